package resample

import "slices"

// halfband halves the sample rate with a linear-phase halfband lowpass
// (cutoff at a quarter of the input rate), whose every other coefficient
// is zero but the centre one. The input is split into its even and odd
// samples as it arrives: output m is centre·x[2m] plus one dense inner
// product over the odd samples around it, so a 2:1 decimation costs half
// the filter's taps per output. New puts it ahead of the polyphase stage
// while the rate is high enough for its wide transition band.
type halfband struct {
	center float32
	// coef are the taps at offsets −(2j−1), …, −3, −1, 1, 3, …, 2j−1.
	coef []float32
	j    int
	// even holds x[2m] from the next output's m on; odd holds x[2q+1]
	// from q = m−j on (zeros stand for the samples before the start).
	even, odd []float32
	parity    int // of the next input sample
}

// newHalfband designs the filter for input rate rate so that the output
// is clean (atten dB) below pass Hz: its passband runs to pass and its
// stopband starts at rate/2 − pass, where what is there folds onto pass.
func newHalfband(rate, pass, atten float64) *halfband {
	tw := (rate/2 - 2*pass) / rate
	n := kaiserLength(atten, tw)
	// offsets −(2j−1)…(2j−1): 4j−1 ≥ n taps, j a multiple of 4 so that
	// the 2j odd ones are whole vectors of 8 (see dot)
	j := max((n+1)/4+3, 4) &^ 3
	reach := float64(2*j - 1)
	win := newWindow(kaiserBeta(atten))
	c := make([]float64, j)
	sum := 0.5
	for k := range c {
		c[k] = lowpass(float64(2*k+1), 0.25, reach+1, win)
		sum += 2 * c[k]
	}
	h := &halfband{center: float32(0.5 / sum), coef: make([]float32, 2*j), j: j}
	for k := range c {
		// each side of the centre: the DC gain is exactly 1
		h.coef[j-1-k] = float32(c[k] / sum)
		h.coef[j+k] = float32(c[k] / sum)
	}
	h.even = make([]float32, 0, blockSize)
	h.odd = make([]float32, j, j+blockSize)
	return h
}

func (h *halfband) taps() int { return 4*h.j - 1 }

// process appends the decimated output for in to dst.
func (h *halfband) process(dst, in []float32) []float32 {
	if h.parity == 1 && len(in) > 0 {
		h.odd = append(h.odd, in[0])
		in = in[1:]
		h.parity = 0
	}
	pairs := len(in) / 2
	ev, od := len(h.even), len(h.odd)
	h.even = slices.Grow(h.even, pairs+1)[:ev+pairs]
	h.odd = slices.Grow(h.odd, pairs)[:od+pairs]
	e, o := h.even[ev:], h.odd[od:]
	for i := range pairs {
		e[i] = in[2*i]
		o[i] = in[2*i+1]
	}
	if len(in)%2 == 1 {
		h.even = append(h.even, in[len(in)-1])
		h.parity = 1
	}
	// output m needs even[m] and odd[m .. m+2j) (odd is offset by j)
	n := min(len(h.even), len(h.odd)-2*h.j+1)
	if n <= 0 {
		return dst
	}
	out, dst := grow(dst, n)
	avx := hasAVX()
	for m := range out {
		out[m] = float32(h.center*h.even[m]) + dot(avx, h.coef, h.odd[m:m+2*h.j])
	}
	h.even = h.even[:copy(h.even, h.even[n:])]
	h.odd = h.odd[:copy(h.odd, h.odd[n:])]
	return dst
}

// grow extends dst by n elements and returns them and the longer dst.
func grow(dst []float32, n int) (added, all []float32) {
	l := len(dst)
	if cap(dst)-l < n {
		bigger := make([]float32, l, max(2*cap(dst), l+n))
		copy(bigger, dst)
		dst = bigger
	}
	dst = dst[:l+n]
	return dst[l:], dst
}
