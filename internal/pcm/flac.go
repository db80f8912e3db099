package pcm

import (
	"errors"
	"fmt"
	"io"

	mewflac "github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"

	"github.com/audiopreflight/audiopreflight/probe"
)

// FLAC through github.com/mewkiz/flac's decoder, frame by frame. As
// libFLAC does for the server's reader, it stops at STREAMINFO's sample
// count when there is one, and repairs a gap in the sample numbers (lost
// frames) with silence: up to 5 seconds or 50 frames of the previous
// frame's size, when the frames on either side agree on rate, channels
// and depth.

type flacReader struct {
	s       *mewflac.Stream
	format  Format
	scale   float32
	left    int64 // frames still to deliver; -1 for all
	pending [][]int32
	pos     int
	done    bool
	// the previous frame, for the repair of gaps
	last      frame.Header
	lastStart uint64
	haveLast  bool
	fixed     uint64 // STREAMINFO's fixed block size, 0 when it varies
	silence   [][]int32
	// pendingFrame is a frame held back while the silence before it goes out
	pendingFrame *frame.Frame
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
	d := &flacReader{s: s, scale: 1 / float32(int64(1)<<(bps-1)), left: frames,
		format: Format{SampleRate: info.SampleRate, Channels: info.Channels, Frames: frames, Bits: bps}}
	if s.Info.BlockSizeMin == s.Info.BlockSizeMax {
		d.fixed = uint64(s.Info.BlockSizeMax)
	}
	return d, nil
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
	if d.left == 0 {
		return 0, io.EOF
	}
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
	if f := d.pendingFrame; f != nil {
		// the frame after a repaired gap
		d.pendingFrame, d.haveLast = nil, true
		d.take(f)
		return nil
	}
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
	start := f.Num
	if f.HasFixedBlockSize {
		bs := d.fixed
		if bs == 0 {
			bs = uint64(f.BlockSize)
		}
		start = f.Num * bs
	}
	if gap := d.gap(f.Header, start); gap > 0 {
		// deliver the silence now, the frame after it
		d.lastStart, d.last = start, f.Header
		d.pendingFrame = f
		d.setSilence(gap)
		return nil
	}
	d.lastStart, d.last, d.haveLast = start, f.Header, true
	d.take(f)
	return nil
}

// gap is how many samples of silence libFLAC puts before a frame that
// starts at sample start.
func (d *flacReader) gap(h frame.Header, start uint64) uint64 {
	if !d.haveLast {
		return 0
	}
	end := d.lastStart + uint64(d.last.BlockSize)
	l := d.last
	if end >= start || l.SampleRate != h.SampleRate || l.Channels.Count() != h.Channels.Count() || l.BitsPerSample != h.BitsPerSample || l.BlockSize < 16 {
		return 0
	}
	return min(start-end, 5*uint64(l.SampleRate), 50*uint64(l.BlockSize))
}

// setSilence makes the next pending samples n frames of silence.
func (d *flacReader) setSilence(n uint64) {
	d.pending = d.pending[:0]
	for c := range d.format.Channels {
		if len(d.silence) <= c {
			d.silence = append(d.silence, nil)
		}
		if uint64(cap(d.silence[c])) < n {
			d.silence[c] = make([]int32, n)
		}
		d.pending = append(d.pending, d.silence[c][:n])
	}
	d.pos = 0
}

// take makes f's samples the pending ones.
func (d *flacReader) take(f *frame.Frame) {
	d.pending = d.pending[:0]
	for _, sf := range f.Subframes {
		d.pending = append(d.pending, sf.Samples)
	}
	d.pos = 0
}
