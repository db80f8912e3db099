package resample

import (
	"fmt"
	"math"
	"testing"
)

// tone is amp·sin(2πf·t) sampled at rate for n samples.
func tone(rate, f, amp float64, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(amp * math.Sin(2*math.Pi*f*float64(i)/rate))
	}
	return out
}

// convert runs x through a fresh converter, in uneven blocks.
func convert(t testing.TB, in, out int, x []float32) []float32 {
	t.Helper()
	r, err := New(in, out)
	if err != nil {
		t.Fatal(err)
	}
	var y []float32
	for i, step := 0, 1; i < len(x); step = step*7%5003 + 1 {
		j := min(i+step, len(x))
		y, err = r.Process(y, x[i:j])
		if err != nil {
			t.Fatal(err)
		}
		i = j
	}
	return r.Flush(y)
}

// fit is the least-squares amplitude of a sinusoid at f in y (rate Hz),
// and the RMS of what remains, both over y[skip:len(y)-skip].
func fit(y []float32, rate, f float64, skip int) (amp, residual float64) {
	y = y[skip : len(y)-skip]
	var ss, cc, sc, ys, yc float64
	for i, v := range y {
		ph := 2 * math.Pi * f * float64(i+skip) / rate
		s, c := math.Sin(ph), math.Cos(ph)
		ss += s * s
		cc += c * c
		sc += s * c
		ys += float64(v) * s
		yc += float64(v) * c
	}
	det := ss*cc - sc*sc
	a := (ys*cc - yc*sc) / det
	b := (yc*ss - ys*sc) / det
	var res float64
	for i, v := range y {
		ph := 2 * math.Pi * f * float64(i+skip) / rate
		d := float64(v) - a*math.Sin(ph) - b*math.Cos(ph)
		res += d * d
	}
	return math.Hypot(a, b), math.Sqrt(res / float64(len(y)))
}

func db(x float64) float64 { return 20 * math.Log10(x) }

// Rates a recording may come at: the usual ones, the lowest accepted, and
// odd ones that take the other code paths (more phases than the table
// holds for 44101 Hz after its halfband stage; three halfband stages
// before an odd ratio for FLAC's highest rate).
var testRates = []int{1000, 8000, 11025, 12345, 22050, 24000, 32000, 37800, 44056, 44100, 44101, 48000, 96000, 1048575}

// quality measures, for a conversion from rate to 16 kHz, the largest
// deviation of the passband gain from 0 dB, the largest level of any
// tone above 8 kHz in the output (its alias), and the largest residual
// (alias, image, distortion) next to a passband tone, all in dB.
func quality(t testing.TB, rate int) (ripple, rejection, residual float64) {
	const out = 16000
	const amp = 0.5
	n := rate / 2 // half a second
	// leave out the ends, where the filters see the silence around the tone
	probe, _ := New(rate, out)
	reach := 0
	for _, k := range probe.Taps() {
		reach += k
	}
	skip := out/20 + reach*out/rate
	passTop := PassbandEdge
	if rate < out {
		passTop = upsamplePass * float64(rate) / 2
	}
	rejection, residual = -400, -400
	for f := 50.0; f <= passTop; f += passTop / 13 {
		y := convert(t, rate, out, tone(float64(rate), f, amp, n))
		a, res := fit(y, out, f, skip)
		ripple = max(ripple, math.Abs(db(a/amp)))
		residual = max(residual, db(res/(amp/math.Sqrt2)))
	}
	if rate > out {
		for f := StopbandEdge; f < float64(rate)/2; f += (float64(rate)/2 - StopbandEdge) / 11 {
			y := convert(t, rate, out, tone(float64(rate), f, amp, n))
			_, res := fit(y, out, 1000, skip) // all of it is alias
			rejection = max(rejection, db(res/(amp/math.Sqrt2)))
		}
	}
	return ripple, rejection, residual
}

// TestQuality asserts the design targets for every rate: at most 0.1 dB
// ripple in the passband, at least 90 dB rejection above 8 kHz, and at
// least 90 dB between a passband tone and anything else in the output.
func TestQuality(t *testing.T) {
	for _, rate := range testRates {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			ripple, rejection, residual := quality(t, rate)
			t.Logf("%6d Hz → 16 kHz: ripple %.5f dB, stopband %.1f dB, residual %.1f dB", rate, ripple, rejection, residual)
			if ripple > 0.1 {
				t.Errorf("passband ripple %.4f dB, want ≤ 0.1 dB", ripple)
			}
			if rejection > -90 {
				t.Errorf("a tone above 8 kHz comes out at %.1f dB, want ≤ −90 dB", rejection)
			}
			if residual > -90 {
				t.Errorf("next to a passband tone there is %.1f dB of something else, want ≤ −90 dB", residual)
			}
		})
	}
}
