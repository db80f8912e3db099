package flac

import "math/bits"

// Sample restoration from residuals (FLAC format, "SUBFRAME_FIXED" and
// "SUBFRAME_LPC"), with libFLAC 1.4.2's integer behaviour: fixed
// predictors and LPC whose sums provably fit 32 bits run in wrapping 32-bit
// arithmetic, other LPC in 64 bits truncated to 32 (src/libFLAC/lpc.c,
// fixed.c). The verdict needs the results only for the check that every
// sample fits the frame's bit depth (residual.go says where), and they
// match libFLAC's bit for bit. The common subframes are restored as their
// residuals are read (residual.go); these functions do the rest.

// restoreFixed restores data[order:] in place; data[:order] holds the
// warm-up samples and data[order:] the residuals. int64 serves the 33-bit
// side channel of 32-bit stereo.
func restoreFixed[T int32 | int64](data []T, order uint32) {
	switch order {
	case 1:
		for i := 1; i < len(data); i++ {
			data[i] += data[i-1]
		}
	case 2:
		for i := 2; i < len(data); i++ {
			data[i] += 2*data[i-1] - data[i-2]
		}
	case 3:
		for i := 3; i < len(data); i++ {
			data[i] += 3*data[i-1] - 3*data[i-2] + data[i-3]
		}
	case 4:
		for i := 4; i < len(data); i++ {
			data[i] += 4*data[i-1] - 6*data[i-2] + 4*data[i-3] - data[i-4]
		}
	}
}

// silog2 is FLAC__bitmath_silog2: the bits a signed value needs.
func silog2(v int64) uint32 {
	switch {
	case v == 0:
		return 0
	case v == -1:
		return 2
	case v < 0:
		v = -(v + 1)
	}
	return uint32(bits.Len64(uint64(v))-1) + 2
}

// lpcFits32 tells whether libFLAC restores this predictor in 32-bit
// arithmetic (FLAC__lpc_max_residual_bps and
// FLAC__lpc_max_prediction_before_shift_bps both at most 32).
func lpcFits32(bps uint32, coef []int32, shift int32) bool {
	var sum int32
	for _, c := range coef {
		if c < 0 {
			c = -c
		}
		sum += c
	}
	if sum == 0 {
		sum = 1
	}
	pred := int32(bps + silog2(int64(sum)))
	residual := pred - shift
	if int32(bps) > residual {
		residual = int32(bps)
	}
	return residual+1 <= 32 && pred <= 32
}

// restoreLPC restores data[len(coef):] in place: the LPC subframes the
// one-pass reader (residual.go) leaves, of order above 8 or whose sums need
// more than 32 bits.
func restoreLPC(data []int32, coef []int32, shift int32, bps uint32) {
	if lpcFits32(bps, coef, shift) {
		lpc32(data, coef, uint(shift))
	} else {
		lpcWide(data, coef, uint(shift))
	}
}

// lpc32 is FLAC__lpc_restore_signal: 32-bit sums.
func lpc32(data []int32, coef []int32, shift uint) {
	order := len(coef)
	// Coefficients in history order, so that the inner loop walks both
	// slices forward without bounds checks.
	var rev [32]int32
	for j, c := range coef {
		rev[order-1-j] = c
	}
	r := rev[:order]
	for i := order; i < len(data); i++ {
		h := data[i-order : i]
		h = h[:len(r)]
		var sum int32
		for k, c := range r {
			sum += c * h[k]
		}
		data[i] += sum >> shift
	}
}

// lpcWide is FLAC__lpc_restore_signal_wide: 64-bit sums, 32-bit samples.
func lpcWide(data []int32, coef []int32, shift uint) {
	order := len(coef)
	for i := order; i < len(data); i++ {
		h := data[i-order : i]
		var sum int64
		for j, c := range coef {
			sum += int64(c) * int64(h[order-1-j])
		}
		data[i] = int32(int64(data[i]) + sum>>shift)
	}
}

// restoreLPC33 is FLAC__lpc_restore_signal_wide_33bit.
func restoreLPC33(data []int64, coef []int32, shift int32) {
	order := len(coef)
	for i := order; i < len(data); i++ {
		h := data[i-order : i]
		var sum int64
		for j, c := range coef {
			sum += int64(c) * h[order-1-j]
		}
		data[i] += sum >> uint(shift)
	}
}
