package editdistance

import "testing"

func TestLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"check", "check", 0},
		{"chek", "check", 1},
		{"check", "", 5},
		{"", "probe", 5},
		{"kitten", "sitting", 3},
		{"InvalidAudioFormat", "InvalidAudioFromat", 2},
		{"größe", "grosse", 3}, // runes, not bytes: ö→o, ß→s and one s inserted (6 in bytes)
		{"explain", "errors", 6},
	} {
		if got := Levenshtein(c.a, c.b); got != c.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Levenshtein(c.b, c.a); got != c.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d (it is symmetric)", c.b, c.a, got, c.want)
		}
	}
}
