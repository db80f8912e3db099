package resample

import "math"

// Kaiser-windowed sinc design (J. F. Kaiser, "Nonrecursive digital filter
// design using the I0-sinh window function", 1974; the design formulas as
// in Oppenheim & Schafer, Discrete-Time Signal Processing, §7.5.3).

// kaiserBeta is the window shape for a stopband attenuation of atten dB.
func kaiserBeta(atten float64) float64 {
	switch {
	case atten > 50:
		return 0.1102 * (atten - 8.7)
	case atten >= 21:
		return 0.5842*math.Pow(atten-21, 0.4) + 0.07886*(atten-21)
	}
	return 0
}

// kaiserLength is the filter length (in samples of the rate the filter
// runs at) that reaches atten dB with a transition band of width tw, tw
// given as a fraction of that rate.
func kaiserLength(atten, tw float64) int {
	return int(math.Ceil((atten - 7.95) / (2.285 * 2 * math.Pi * tw)))
}

// besselI0 is the modified Bessel function of the first kind, order 0, by
// its power series (which converges fast for the arguments a window needs).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 200; k++ {
		term *= q / float64(k*k)
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}

// window is a Kaiser window of a given shape.
type window struct {
	beta, norm float64 // norm is 1/I0(beta)
}

func newWindow(beta float64) window { return window{beta, 1 / besselI0(beta)} }

// at is the window at position u in [-1, 1] (0 outside).
func (w window) at(u float64) float64 {
	if u < -1 || u > 1 {
		return 0
	}
	return besselI0(w.beta*math.Sqrt(1-u*u)) * w.norm
}

// sinc is sin(πx)/(πx).
func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// lowpass is the windowed-sinc kernel of a lowpass with cutoff fc (a
// fraction of the sample rate) at offset tau samples from its centre,
// windowed over |tau| <= half.
func lowpass(tau, fc, half float64, w window) float64 {
	return 2 * fc * sinc(2*fc*tau) * w.at(tau/half)
}
