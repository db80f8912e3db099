package resample

import (
	"fmt"
	"testing"
)

// BenchmarkResample converts one second of audio at each rate to 16 kHz;
// the taps per stage are in the name.
func BenchmarkResample(b *testing.B) {
	for _, rate := range []int{22050, 44100, 48000, 96000} {
		r, _ := New(rate, 16000)
		x := tone(float64(rate), 440, 0.5, rate)
		b.Run(fmt.Sprintf("%d/taps=%v", rate, r.Taps()), func(b *testing.B) {
			y := make([]float32, 0, 20000)
			b.SetBytes(int64(4 * rate))
			for b.Loop() {
				for i := 0; i < len(x); i += 4096 {
					y, _ = r.Process(y[:0], x[i:min(i+4096, len(x))])
				}
			}
		})
	}
}

// BenchmarkNew is the cost of designing a converter's filters.
func BenchmarkNew(b *testing.B) {
	for _, rate := range []int{44100, 44101, 48000} {
		b.Run(fmt.Sprint(rate), func(b *testing.B) {
			for b.Loop() {
				New(rate, 16000)
			}
		})
	}
}
