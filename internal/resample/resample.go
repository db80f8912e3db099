// Package resample turns decoded audio into what the API takes: one
// channel (Downmix averages the channels), 16 kHz (Resampler, a
// band-limited polyphase windowed-sinc converter with a Kaiser window, for
// any input rate) and 16-bit samples (Quantizer, with TPDF dither from a
// fixed seed, so a conversion is reproducible byte for byte).
//
// Resampler's design targets, checked by its tests on generated tones and
// sweeps: passband ripple at most 0.1 dB below 7 kHz, and at least 90 dB
// rejection of everything above 8 kHz (which would fold back into the
// band). For inputs at 44.1 kHz and more, halfband 2:1 stages come first
// (cheap, with a transition band that may be wide at that rate), then one
// polyphase stage whose 7–8 kHz transition band sets its length. Below
// 16 kHz (8 and 11.025 kHz recordings) the band is the input's: the
// passband runs to 90 % of its Nyquist frequency and its images are
// rejected from there on.
package resample

import (
	"errors"
	"fmt"
	"math"
)

// Design constants (see the package comment).
const (
	// Attenuation is the stopband attenuation every stage is designed for;
	// a little above the 90 dB target leaves room for float32 arithmetic.
	Attenuation = 100.0
	// PassbandEdge and StopbandEdge bound the transition band, in Hz, when
	// the output is 16 kHz; for another output rate they scale with it.
	PassbandEdge = 7000.0
	StopbandEdge = 8000.0
	// upsamplePass is the passband of a conversion up, as a fraction of
	// the input's Nyquist frequency.
	upsamplePass = 0.9
	// halfbandMinTransition is the narrowest transition band, as a
	// fraction of the output rate, for which a halfband stage is used.
	halfbandMinTransition = 0.125
)

// blockSize is the capacity the stages' buffers start with.
const blockSize = 8192

// stage is one step of a conversion.
type stage interface {
	// process appends the stage's output for the input in to dst.
	process(dst, in []float32) []float32
	taps() int
}

// Resampler converts one channel from one sample rate to another.
type Resampler struct {
	in, out int
	stages  []stage
	bufs    [][]float32 // output buffers between stages
	inCount int64       // samples consumed
	outDone int64       // samples delivered
	flushed bool
}

// MinRate and MaxRate bound the rates New accepts. Below 1 kHz there is
// no recording to speak of, and converting it would blow a few bytes up
// into hours of output.
const (
	MinRate = 1000
	MaxRate = 1 << 22
)

// New returns a converter from rate in to rate out.
func New(in, out int) (*Resampler, error) {
	if in < MinRate || out < MinRate || in > MaxRate || out > MaxRate {
		return nil, fmt.Errorf("resample: %d Hz to %d Hz: rates must be within %d to %d Hz", in, out, MinRate, MaxRate)
	}
	r := &Resampler{in: in, out: out}
	if in == out {
		return r, nil
	}
	scale := float64(out) / 16000
	pass, stop := PassbandEdge*scale, StopbandEdge*scale
	rate, div := float64(in), int64(1)
	for rate/2-2*stop >= halfbandMinTransition*float64(out) {
		// The halfband's stopband starts at rate/2 − stop, which folds
		// onto stop: what it lets through lands where the last stage
		// removes it. It pays while its transition band, from stop to
		// rate/2 − stop, is not narrow (44.1 kHz → 22.05 kHz: 8 to
		// 14.05 kHz).
		r.stages = append(r.stages, newHalfband(rate, stop, Attenuation))
		rate /= 2
		div *= 2
	}
	if rate < float64(out) {
		nyq := rate / 2
		pass, stop = upsamplePass*nyq, nyq
	}
	if rate != float64(out) {
		r.stages = append(r.stages, newPolyphase(int64(in), div, int64(out), (pass+stop)/2, stop-pass, Attenuation))
	}
	r.bufs = make([][]float32, len(r.stages))
	for i := range r.bufs {
		r.bufs[i] = make([]float32, 0, blockSize)
	}
	return r, nil
}

// SetWorkers lets the last stage, where the work is, compute a block's
// output with n goroutines (1 or 2); the output does not change.
func (r *Resampler) SetWorkers(n int) {
	for _, s := range r.stages {
		if p, ok := s.(*polyphase); ok {
			p.workers = min(max(n, 1), 2)
		}
	}
}

// Taps is the number of filter taps per stage, for the record.
func (r *Resampler) Taps() []int {
	t := make([]int, len(r.stages))
	for i, s := range r.stages {
		t[i] = s.taps()
	}
	return t
}

// ErrFlushed is returned by Process after Flush.
var ErrFlushed = errors.New("resample: input after the end")

// Process converts the next input samples and appends the output to dst.
func (r *Resampler) Process(dst, in []float32) ([]float32, error) {
	if r.flushed {
		return dst, ErrFlushed
	}
	r.inCount += int64(len(in))
	start := len(dst)
	dst = r.run(dst, in)
	r.outDone += int64(len(dst) - start)
	return dst, nil
}

func (r *Resampler) run(dst, in []float32) []float32 {
	if len(r.stages) == 0 {
		return append(dst, in...)
	}
	cur := in
	for i, s := range r.stages {
		if i == len(r.stages)-1 {
			return s.process(dst, cur)
		}
		r.bufs[i] = s.process(r.bufs[i][:0], cur)
		cur = r.bufs[i]
	}
	return dst
}

// OutputLength is the number of samples a conversion of n input samples
// gives: the same duration, to the nearest output sample.
func (r *Resampler) OutputLength(n int64) int64 {
	if r.in == r.out || n <= 0 {
		return max(n, 0)
	}
	if n < 1<<40 { // n·out fits 63 bits (out < 2^22)
		return (n*int64(r.out) + int64(r.in)/2) / int64(r.in)
	}
	return int64(math.Round(float64(n) * float64(r.out) / float64(r.in)))
}

// Flush ends the input and appends the rest of the output: the filters'
// tails, so that the output has OutputLength(samples consumed) samples.
func (r *Resampler) Flush(dst []float32) []float32 {
	if r.flushed {
		return dst
	}
	r.flushed = true
	want := r.OutputLength(r.inCount)
	zeros := make([]float32, 1024)
	// Feed silence until the filters have pushed out everything up to the
	// last output (each stage holds at most its taps of look-ahead).
	for guard := 0; r.outDone < want && guard < 1<<20; guard++ {
		start := len(dst)
		dst = r.run(dst, zeros)
		r.outDone += int64(len(dst) - start)
	}
	if extra := r.outDone - want; extra > 0 {
		dst = dst[:int64(len(dst))-extra]
		r.outDone = want
	}
	return dst
}
