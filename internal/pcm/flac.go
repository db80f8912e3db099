package pcm

import (
	"errors"
	"fmt"
	"io"

	mewflac "github.com/mewkiz/flac"

	"github.com/audiopreflight/audiopreflight/probe"
)

// FLAC through github.com/mewkiz/flac's decoder, frame by frame. It stops
// at STREAMINFO's sample count when there is one, as libFLAC does.

type flacReader struct {
	s       *mewflac.Stream
	format  Format
	scale   float32
	left    int64 // frames still to deliver; -1 for all
	pending [][]int32
	pos     int
	done    bool
}

func newFLAC(r io.ReaderAt, size int64, info *probe.Info) (Reader, error) {
	if !info.Opens {
		return nil, &UnsupportedError{Container: info.Container, Codec: "flac", Msg: "the input does not open: " + info.OpenError}
	}
	if err := checkFormat(info.Container, info.SampleRate, info.Channels); err != nil {
		return nil, err
	}
	s, err := newMewFLAC(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, &probe.FormatError{Format: info.Container, Msg: "flac decoder: " + err.Error()}
	}
	bps := int(s.Info.BitsPerSample)
	if bps < 4 || bps > 32 || int(s.Info.NChannels) != info.Channels {
		return nil, &probe.FormatError{Format: info.Container, Msg: fmt.Sprintf("flac decoder: %d bits, %d channels", bps, s.Info.NChannels)}
	}
	frames := info.Frames
	if info.LengthUnknown {
		frames = -1
	}
	return &flacReader{s: s, scale: 1 / float32(int64(1)<<(bps-1)), left: frames,
		format: Format{SampleRate: info.SampleRate, Channels: info.Channels, Frames: frames}}, nil
}

func newMewFLAC(r io.Reader) (s *mewflac.Stream, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("decoder failure: %v", p)
		}
	}()
	return mewflac.New(r)
}

func (d *flacReader) Format() Format { return d.format }

func (d *flacReader) Read(p []float32) (n int, err error) {
	ch := d.format.Channels
	want := len(p) / ch
	if d.left >= 0 {
		want = int(min(int64(want), d.left))
	}
	for len(d.pending) == 0 || d.pos >= len(d.pending[0]) {
		if d.done || d.left == 0 {
			return 0, io.EOF
		}
		if err := d.next(); err != nil {
			return 0, err
		}
	}
	k := min(want, len(d.pending[0])-d.pos)
	for c := range ch {
		src := d.pending[c][d.pos : d.pos+k]
		for i, v := range src {
			p[i*ch+c] = float32(v) * d.scale
		}
	}
	d.pos += k
	if d.left > 0 {
		d.left -= int64(k)
	}
	return k, nil
}

func (d *flacReader) next() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &probe.FormatError{Format: probe.ContainerFLAC, Msg: fmt.Sprintf("flac decoder failure: %v", p)}
		}
	}()
	f, err := d.s.ParseNext()
	if errors.Is(err, io.EOF) {
		d.done = true
		return nil
	}
	if err != nil {
		return &probe.FormatError{Format: probe.ContainerFLAC, Msg: "flac decoder: " + err.Error()}
	}
	if len(f.Subframes) != d.format.Channels {
		return &probe.FormatError{Format: probe.ContainerFLAC, Msg: "flac decoder: a frame with another channel count"}
	}
	d.pending = d.pending[:0]
	for _, sf := range f.Subframes {
		d.pending = append(d.pending, sf.Samples)
	}
	d.pos = 0
	return nil
}
