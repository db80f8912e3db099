// Package convert runs the re-encoding path of the fix command: decode
// (internal/pcm) → downmix to mono (the average of the channels) →
// resample to 16 kHz → TPDF dither to 16 bit (internal/resample) → encode
// as WAV or FLAC (internal/encode), block by block, in memory that does
// not depend on the input's length. Decoding runs on a goroutine of its own.
package convert

import (
	"errors"
	"fmt"
	"io"

	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/internal/pcm"
	"github.com/audiopreflight/audiopreflight/internal/resample"
)

// ErrNoAudio is returned for an input that decodes to no frames: there is
// nothing to convert (the API answers such audio with FailedToUseAudio,
// whatever its format).
var ErrNoAudio error = NoAudioError{}

// NoAudioError is ErrNoAudio's type. A value, not a pointer as from
// errors.New, so that another package can declare a sentinel equal to it
// (internal/fix's ErrNoAudio) as a literal the linker lays out: a copy of
// this variable would be made by that package's initialiser at every start.
type NoAudioError struct{}

func (NoAudioError) Error() string { return "convert: the input holds no audio" }

// TargetRate is the sample rate the API takes.
const TargetRate = 16000

// Options control one conversion.
type Options struct {
	// Format is the output container: encode.WAV or encode.FLAC (Auto
	// means WAV; encode.Choose picks one for a size limit).
	Format encode.Format
	// Seed seeds the dither; 0 means resample.DefaultSeed.
	Seed uint64
	// Workers is how many goroutines may compute the resampler's last
	// stage (1 or 2; 0 means 1: measured on the shared 2-core machine, a
	// second one cost more than it gained, as decoding already runs on a
	// goroutine of its own).
	Workers int
}

// Result says what a conversion did.
type Result struct {
	InputRate     int
	InputChannels int
	InputFrames   int64 // frames decoded
	OutputFrames  int64 // 16 kHz mono samples written
	Format        encode.Format
	// Steps name what was done, in order, for people.
	Steps []string
}

// OutputFrames is the number of samples a conversion of a stream of
// the given format will write, -1 when the stream's length is unknown.
func OutputFrames(f pcm.Format) int64 {
	if f.Frames < 0 {
		return -1
	}
	r, err := resample.New(f.SampleRate, TargetRate)
	if err != nil {
		return -1
	}
	return r.OutputLength(f.Frames)
}

// maxIdleReads is how many reads in a row may return no frames (a
// decoder between two frames) before the decoder is taken to be stuck.
const maxIdleReads = 1000

// blockFrames is how many input frames one step handles.
const blockFrames = 8192

// Run converts everything dec delivers and writes it to w, which must
// start at offset 0; a length not known in advance needs w to be an
// io.WriteSeeker.
func Run(dec pcm.Reader, w io.Writer, opt Options) (*Result, error) {
	in := dec.Format()
	if in.Channels < 1 || in.SampleRate < 1 {
		return nil, fmt.Errorf("convert: %d Hz × %d channels", in.SampleRate, in.Channels)
	}
	rs, err := resample.New(in.SampleRate, TargetRate)
	if err != nil {
		return nil, err
	}
	workers := max(opt.Workers, 1)
	rs.SetWorkers(workers)
	seed := opt.Seed
	if seed == 0 {
		seed = resample.DefaultSeed
	}
	q := resample.NewQuantizer(seed)
	format := opt.Format
	if format == encode.Auto {
		format = encode.WAV
	}
	res := &Result{InputRate: in.SampleRate, InputChannels: in.Channels, Format: format}
	exact := keepsSamples(in)
	res.Steps = Steps(in, format)

	want := int64(-1)
	if in.Frames >= 0 {
		want = rs.OutputLength(in.Frames)
	}
	enc, err := encode.New(w, format, TargetRate, want)
	if err != nil {
		return nil, err
	}

	// The decoder runs ahead on its own goroutine, handing over blocks of
	// mono samples; two buffers go round.
	type block struct {
		mono []float32
		err  error
	}
	full := make(chan block, 1)
	free := make(chan []float32, 2)
	free <- make([]float32, 0, blockFrames)
	free <- make([]float32, 0, blockFrames)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(full)
		frames := make([]float32, blockFrames*in.Channels)
		idle := 0 // reads in a row that returned nothing
		for {
			var mono []float32
			select {
			case mono = <-free:
			case <-stop:
				return
			}
			n, err := dec.Read(frames)
			if n < 0 || n*in.Channels > len(frames) {
				err = fmt.Errorf("convert: the decoder returned %d frames", n)
				n = 0
			}
			if idle++; n > 0 {
				idle = 0
			} else if idle > maxIdleReads && err == nil {
				err = errors.New("convert: the decoder makes no progress")
			}
			mono = resample.Downmix(mono[:0], frames[:n*in.Channels], in.Channels)
			select {
			case full <- block{mono, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()

	out := make([]float32, 0, blockFrames)
	samples := make([]int16, 0, blockFrames)
	emit := func(x []float32) error {
		if exact {
			samples = resample.Round(samples[:0], x)
		} else {
			samples = q.Quantize(samples[:0], x)
		}
		res.OutputFrames += int64(len(samples))
		return enc.Write(samples)
	}
	for b := range full {
		res.InputFrames += int64(len(b.mono))
		out, _ = rs.Process(out[:0], b.mono)
		free <- b.mono
		if err := emit(out); err != nil {
			return nil, err
		}
		if b.err != nil {
			if errors.Is(b.err, io.EOF) {
				break
			}
			return nil, b.err
		}
	}
	if res.InputFrames == 0 {
		return nil, ErrNoAudio
	}
	if err := emit(rs.Flush(out[:0])); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return res, nil
}

// keepsSamples tells audio that is already 16 kHz mono of at most 16
// bits: it comes through the resampler unchanged, and is copied, not
// dithered.
func keepsSamples(in pcm.Format) bool {
	return in.SampleRate == TargetRate && in.Channels == 1 && in.Bits > 0 && in.Bits <= 16
}

// Steps names, for people, what Run does to a stream of the given format
// written as format (WAV when Auto): before it runs (a dry run's plan) as
// after (Result.Steps).
func Steps(in pcm.Format, format encode.Format) []string {
	if format == encode.Auto {
		format = encode.WAV
	}
	exact := keepsSamples(in)
	var s []string
	if in.Channels > 1 {
		s = append(s, fmt.Sprintf("downmix %d channels to mono (average)", in.Channels))
	}
	if in.SampleRate != TargetRate {
		s = append(s, fmt.Sprintf("resample %d Hz to %d Hz (Kaiser windowed-sinc)", in.SampleRate, TargetRate))
	}
	if exact {
		s = append(s, fmt.Sprintf("keep the %d-bit samples", in.Bits))
	} else {
		s = append(s, "dither to 16 bit (TPDF)")
	}
	s = append(s, "encode "+format.String())
	return s
}
