package inittrace

import "testing"

func TestParse(t *testing.T) {
	out := "hello\ninit runtime @0.011 ms, 0.042 ms clock, 0 bytes, 0 allocs\n" +
		"init example.com/p @1.2 ms, 0.003 ms clock, 1360 bytes, 8 allocs\ninit broken line\n"
	got := Parse(out)
	if len(got) != 2 || got[0].Package != "runtime" || got[1].Package != "example.com/p" ||
		got[1].Bytes != 1360 || got[1].Allocs != 8 || got[0].Bytes != 0 {
		t.Fatalf("Parse: %+v", got)
	}
}

// TestOfTestBinary runs this test binary again: it links the runtime and
// package testing, whose initialisers run.
func TestOfTestBinary(t *testing.T) {
	seen := map[string]bool{}
	for _, i := range OfTestBinary(t, 3) {
		seen[i.Package] = true
	}
	if !seen["runtime"] || !seen["testing"] {
		t.Errorf("the runtime's and testing's initialisers are not among those reported: %v", seen)
	}
}
