package pcm

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
	flacprobe "github.com/audiopreflight/audiopreflight/probe/flac"
)

// FLAC through the prober's own decoder (probe/flac's PCMReader), which
// hands out the samples as libFLAC hands them to the server's reader:
// frames in order, the gaps libFLAC fills with silence filled, nothing past
// STREAMINFO's sample count, and the first error libsndfile would report
// ending the stream after the frames before it.

type flacReader struct {
	p      *flacprobe.PCMReader
	format Format
	// left is how many frames may still be delivered; -1 for all.
	left    int64
	pending [][]int32
	scale   float32
	pos     int
	err     error
}

func newFLAC(r io.ReaderAt, size int64, info *probe.Info) (Reader, error) {
	if !info.Opens {
		return nil, &UnsupportedError{Container: info.Container, Codec: "flac", Msg: "the input does not open: " + info.OpenError}
	}
	if err := checkFormat(info.Container, info.SampleRate, info.Channels); err != nil {
		return nil, err
	}
	p, err := flacprobe.NewPCMReader(r, size, info)
	if err != nil {
		return nil, &probe.FormatError{Format: info.Container, Msg: err.Error()}
	}
	frames := info.Frames
	if info.LengthUnknown {
		frames = -1
	}
	return &flacReader{p: p, left: frames,
		format: Format{SampleRate: info.SampleRate, Channels: info.Channels, Frames: frames, Bits: info.BitsPerSample}}, nil
}

func (d *flacReader) Format() Format { return d.format }

func (d *flacReader) Read(p []float32) (int, error) {
	ch := d.format.Channels
	if d.left == 0 && d.err == nil {
		d.finish(io.EOF)
	}
	for len(d.pending) == 0 || d.pos >= len(d.pending[0]) {
		if d.err != nil {
			return 0, d.err
		}
		samples, bps, err := d.p.ReadFrame()
		if err != nil {
			d.finish(err)
			continue
		}
		if len(samples) != ch || bps < 1 || bps > 32 {
			d.finish(&probe.FormatError{Format: probe.ContainerFLAC, Msg: "a frame of another channel count or depth"})
			continue
		}
		d.pending, d.pos, d.scale = samples, 0, 1/float32(int64(1)<<(bps-1))
	}
	k := min(len(p)/ch, len(d.pending[0])-d.pos)
	if d.left >= 0 {
		k = int(min(int64(k), d.left))
		d.left -= int64(k)
	}
	for c := range ch {
		for i, v := range d.pending[c][d.pos : d.pos+k] {
			p[i*ch+c] = float32(v) * d.scale
		}
	}
	d.pos += k
	return k, nil
}

// finish ends the stream with err and gives the decoder's buffers back.
func (d *flacReader) finish(err error) {
	d.err, d.pending = err, nil
	d.p.Close()
}
