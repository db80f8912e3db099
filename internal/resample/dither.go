package resample

import "slices"

// Quantizer turns samples of full scale ±1 into 16-bit integers with TPDF
// dither: before rounding it adds the difference of two independent
// uniform values of one step each, which makes the rounding error
// independent of the signal (no distortion of quiet passages, only a flat
// noise floor at about −101 dBFS). The noise comes from a fixed-seed
// generator (SplitMix64), so the same input always gives the same bytes.
type Quantizer struct {
	state uint64
}

// DefaultSeed seeds the dither of every conversion.
const DefaultSeed = 0x5eed_a0d1_0f1c_0016

// NewQuantizer returns a quantizer whose dither sequence starts from seed.
func NewQuantizer(seed uint64) *Quantizer { return &Quantizer{state: seed} }

// next is SplitMix64 (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", 2014).
func (q *Quantizer) next() uint64 {
	q.state += 0x9e3779b97f4a7c15
	z := q.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Quantize appends the 16-bit values of src to dst. Each 64-bit draw gives
// the two 32-bit uniform values of one sample's dither.
func (q *Quantizer) Quantize(dst []int16, src []float32) []int16 {
	const step = 1.0 / (1 << 32)
	n := len(dst)
	dst = slices.Grow(dst, len(src))[:n+len(src)]
	out := dst[n:]
	for i, v := range src {
		r := q.next()
		d := float32(float64(int64(uint32(r))-int64(r>>32)) * step)
		x := float32(v*32768) + d
		// clip, then round half away from zero
		var s int16
		switch {
		case x >= 32767:
			s = 32767
		case x <= -32768:
			s = -32768
		case x >= 0:
			s = int16(x + 0.5)
		case x < 0:
			s = int16(x - 0.5)
		} // NaN stays 0
		out[i] = s
	}
	return dst
}

// Round appends the 16-bit values of src to dst without dither: for
// samples that already are 16-bit values (or coarser), which it keeps
// exactly.
func Round(dst []int16, src []float32) []int16 {
	n := len(dst)
	dst = slices.Grow(dst, len(src))[:n+len(src)]
	out := dst[n:]
	for i, v := range src {
		x := v * 32768
		var s int16
		switch {
		case x >= 32767:
			s = 32767
		case x <= -32768:
			s = -32768
		case x >= 0:
			s = int16(x + 0.5)
		case x < 0:
			s = int16(x - 0.5)
		}
		out[i] = s
	}
	return dst
}
