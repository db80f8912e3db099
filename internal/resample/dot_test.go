package resample

import (
	"math"
	"testing"
)

// TestDotSameBits: the vector inner product gives the bits of the Go one
// (so a conversion is the same bytes on every machine), for lengths that
// are whole vectors.
func TestDotSameBits(t *testing.T) {
	x := noise(4096)
	c := noise(512)
	for _, n := range []int{8, 16, 24, 32, 40, 56, 64, 136, 144, 160, 512} {
		for off := 0; off < 64; off++ {
			got, want := dot(hasAVX(), c[:n], x[off:]), dotGo(c[:n], x[off:])
			if math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("n=%d off=%d: %v, want %v", n, off, got, want)
			}
		}
	}
}

func BenchmarkDot(b *testing.B) {
	x := noise(4096)
	c := noise(144)
	var s float32
	b.Run("dot", func(b *testing.B) {
		avx := hasAVX()
		for i := 0; b.Loop(); i++ {
			s += dot(avx, c, x[i&1023:])
		}
	})
	b.Run("dotGo", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			s += dotGo(c, x[i&1023:])
		}
	})
	_ = s
}
