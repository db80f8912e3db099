package cpufeature

import (
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// The processor is asked on the first Has, not at start-up, and its answer
// agrees with golang.org/x/sys/cpu's (which asks at start-up, in tests
// only).
func TestHas(t *testing.T) {
	if s := known.Load(); s != 0 {
		t.Fatalf("features known before the first Has: %#x", s)
	}
	native := runtime.GOARCH == "amd64" && !purego
	for _, c := range []struct {
		name string
		f    Set
		want bool
	}{
		{"BMI2", BMI2, cpu.X86.HasBMI2},
		{"LZCNT", LZCNT, cpu.X86.HasLZCNT},
		{"PCLMULQDQ", PCLMULQDQ, cpu.X86.HasPCLMULQDQ},
		{"SSSE3", SSSE3, cpu.X86.HasSSSE3},
		{"AVX", AVX, cpu.X86.HasAVX},
		{"PCLMULQDQ|SSSE3", PCLMULQDQ | SSSE3, cpu.X86.HasPCLMULQDQ && cpu.X86.HasSSSE3},
	} {
		want := native && c.want
		if got := Has(c.f); got != want {
			t.Errorf("Has(%s) = %v, want %v", c.name, got, want)
		}
	}
	if known.Load() == 0 {
		t.Error("the answer was not kept")
	}
	t.Logf("features: %#x", known.Load())
}
