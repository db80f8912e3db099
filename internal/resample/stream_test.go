package resample

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// noise is a deterministic full-band test signal.
func noise(n int) []float32 {
	q := NewQuantizer(1)
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(int32(q.next()>>33)-1<<30) / (1 << 31)
	}
	return out
}

// TestBlocksDoNotMatter: the output does not depend on how the input is
// cut into blocks, nor on the number of workers.
func TestBlocksDoNotMatter(t *testing.T) {
	for _, rate := range testRates {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			x := noise(rate/2 + 77)
			whole, err := New(rate, 16000)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := whole.Process(nil, x)
			want = whole.Flush(want)
			got := convert(t, rate, 16000, x)
			if !slices.Equal(got, want) {
				t.Fatalf("block-wise output differs from one-block output (%d vs %d samples)", len(got), len(want))
			}
			two, _ := New(rate, 16000)
			two.SetWorkers(2)
			par, _ := two.Process(nil, x)
			par = two.Flush(par)
			if !slices.Equal(par, want) {
				t.Fatal("two workers give another output")
			}
		})
	}
}

// TestDuration: n input samples give the same duration to the nearest
// output sample, whatever the rate and length.
func TestDuration(t *testing.T) {
	for _, rate := range []int{7999, 8000, 11025, 16000, 22050, 44100, 44101, 48000, 192000} {
		for _, n := range []int{0, 1, 3, 1000, 44101, 100003} {
			r, err := New(rate, 16000)
			if err != nil {
				t.Fatal(err)
			}
			y, _ := r.Process(nil, make([]float32, n))
			y = r.Flush(y)
			want := int(math.Round(float64(n) * 16000 / float64(rate)))
			if len(y) != want {
				t.Errorf("%d samples at %d Hz: %d out, want %d", n, rate, len(y), want)
			}
			if got := r.OutputLength(int64(n)); got != int64(want) {
				t.Errorf("OutputLength(%d) at %d Hz = %d, want %d", n, rate, got, want)
			}
		}
	}
}

// TestNoDelay: the output is aligned with the input (linear phase, the
// filters' delay compensated): a tone's phase is kept.
func TestNoDelay(t *testing.T) {
	for _, rate := range testRates {
		const f = 300.0
		x := make([]float32, rate)
		for i := range x {
			x[i] = float32(0.5 * math.Cos(2*math.Pi*f*float64(i)/float64(rate)))
		}
		y := convert(t, rate, 16000, x)
		// the cosine's phase at output sample n is 2πf·n/16000
		var c, s float64
		for n := 1600; n < len(y)-1600; n++ {
			ph := 2 * math.Pi * f * float64(n) / 16000
			c += float64(y[n]) * math.Cos(ph)
			s += float64(y[n]) * math.Sin(ph)
		}
		if lag := math.Atan2(s, c); math.Abs(lag) > 1e-3 {
			t.Errorf("%d Hz: output phase off by %.4f rad", rate, lag)
		}
	}
}

func TestRejectsBadRates(t *testing.T) {
	for _, r := range [][2]int{{0, 16000}, {-1, 16000}, {1, 16000}, {999, 16000}, {44100, 0}, {MaxRate + 1, 16000}} {
		if _, err := New(r[0], r[1]); err == nil {
			t.Errorf("New(%d, %d) accepted", r[0], r[1])
		}
	}
	r, _ := New(44100, 16000)
	r.Flush(nil)
	if _, err := r.Process(nil, []float32{1}); err != ErrFlushed {
		t.Errorf("Process after Flush: %v, want ErrFlushed", err)
	}
}

func TestDownmix(t *testing.T) {
	for _, c := range []struct {
		ch   int
		in   []float32
		want []float32
	}{
		{1, []float32{0.5, -0.25}, []float32{0.5, -0.25}},
		{2, []float32{1, 0, 0.5, 0.5, 1, -1}, []float32{0.5, 0.5, 0}},
		{3, []float32{0.3, 0.3, 0.3, 1, 1, -0.5}, []float32{0.3, 0.5}},
		{6, make([]float32, 12), []float32{0, 0}},
	} {
		got := Downmix(nil, c.in, c.ch)
		if len(got) != len(c.want) {
			t.Fatalf("%d channels: %v, want %v", c.ch, got, c.want)
		}
		for i := range got {
			if math.Abs(float64(got[i]-c.want[i])) > 1e-6 {
				t.Errorf("%d channels: %v, want %v", c.ch, got, c.want)
			}
		}
	}
}

// TestQuantizer: values land within one step (plus the half-step of
// rounding) of the input, the error averages out to nothing and has the
// variance of TPDF dither plus rounding (1/6 + 1/12 of a step²), the
// extremes clip, and the same seed gives the same output.
func TestQuantizer(t *testing.T) {
	const n = 200000
	in := make([]float32, n)
	for i := range in {
		in[i] = float32(0.3 * math.Sin(float64(i)*0.01))
	}
	a := NewQuantizer(DefaultSeed).Quantize(nil, in)
	b := NewQuantizer(DefaultSeed).Quantize(nil, in)
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different output")
	}
	c := NewQuantizer(DefaultSeed+1).Quantize(nil, in)
	if slices.Equal(a, c) {
		t.Fatal("the seed does not change the dither")
	}
	var sum, sq float64
	for i, v := range a {
		e := float64(v) - float64(in[i])*32768
		if math.Abs(e) > 1.5 {
			t.Fatalf("sample %d: %d for %.3f steps", i, v, float64(in[i])*32768)
		}
		sum += e
		sq += e * e
	}
	mean, variance := sum/n, sq/n-(sum/n)*(sum/n)
	if math.Abs(mean) > 0.01 || math.Abs(variance-0.25) > 0.02 {
		t.Errorf("error mean %.4f, variance %.4f; want 0 and 0.25", mean, variance)
	}
	got := NewQuantizer(1).Quantize(nil, []float32{2, -2, 1, -1, float32(math.NaN()), float32(math.Inf(1))})
	if !slices.Equal(got, []int16{32767, -32768, 32767, -32768, 0, 32767}) {
		t.Errorf("extremes: %v", got)
	}
}
