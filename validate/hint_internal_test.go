package validate

import (
	"regexp"
	"testing"
)

// shellSafe is the loop form of this pattern.
var shellSafePattern = regexp.MustCompile(`^[A-Za-z0-9_./+,:@%=-]+$`)

func TestShellSafeIsThePattern(t *testing.T) {
	cases := []string{"", "a", "take 1.wav", "rec/2024-01-01_a+b,c:d@e%f=g.wav", "it's", "naïve.wav", "$x", "a\x00b", "~/x", "*.wav"}
	for b := range 256 {
		cases = append(cases, string([]byte{byte(b)}), "x"+string([]byte{byte(b)})+"y")
	}
	for _, s := range cases {
		if got, want := shellSafe(s), shellSafePattern.MatchString(s); got != want {
			t.Errorf("shellSafe(%q) = %v, want %v", s, got, want)
		}
	}
}
