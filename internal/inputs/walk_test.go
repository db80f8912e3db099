package inputs

import "testing"

var joined string

// TestJoinNameIn is joinName's result, cut from the path when it ends with
// it and made otherwise.
func TestJoinNameIn(t *testing.T) {
	for _, c := range []struct {
		path, dir, elem string
		cut             bool
	}{
		{"rec/sub/a.wav", "", "a.wav", false},
		{"rec/sub/a.wav", "sub", "a.wav", true},
		{"rec/sub/deep/a.wav", "sub/deep", "a.wav", true},
		{"rec//sub/a.wav", "sub", "a.wav", true},
		{"sub/a.wav", "sub", "a.wav", true},
		{"rec/sub/a.wav", "sub/", "a.wav", true},
		{"rec/sub/a.wav", "ub", "a.wav", true},
		{"rec/sub/a.wav", "other", "a.wav", false},
		{"rec/sub/b.wav", "sub", "a.wav", false},
		{"rec/suba.wav", "sub", "a.wav", false},
		{"rec/subXa.wav", "sub", "a.wav", false},
		{"a.wav", "sub", "a.wav", false},
		{"x/sub/a.wav", "x/sub/", "a.wav", true},
		{"x/sub/a.wav", "x/sub//", "a.wav", false},
		{"x/sub/a.wav", "x/su", "b/a.wav", false},
	} {
		got, want := joinNameIn(c.path, c.dir, c.elem), joinName(c.dir, c.elem)
		if got != want {
			t.Errorf("joinNameIn(%q, %q, %q) = %q, joinName gives %q", c.path, c.dir, c.elem, got, want)
		}
		allocs := testing.AllocsPerRun(10, func() { joined = joinNameIn(c.path, c.dir, c.elem) })
		if cut := allocs == 0 && c.dir != ""; cut != c.cut {
			t.Errorf("joinNameIn(%q, %q, %q): %v allocations", c.path, c.dir, c.elem, allocs)
		}
	}
}
