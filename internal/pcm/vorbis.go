package pcm

import (
	"errors"
	"fmt"
	"io"

	"github.com/jfreymuth/oggvorbis"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Ogg-Vorbis through github.com/jfreymuth/oggvorbis, which, like
// libvorbisfile, cuts the end of the stream at the last page's granule
// position and the start at the first audio page's. It is handed the pages
// of the first logical stream only (oggStream), and stops at the frame
// count the server's reader reports, past which libsndfile reads nothing.

type vorbisReader struct {
	dec    *oggvorbis.Reader
	format Format
	left   int64 // frames still to deliver; -1 for all
	done   bool
}

func newVorbis(r io.ReaderAt, size int64, info *probe.Info) (Reader, error) {
	if !info.Opens {
		return nil, &UnsupportedError{Container: info.Container, Codec: info.Codec, Msg: "the input does not open: " + info.OpenError}
	}
	if err := checkFormat(info.Container, info.SampleRate, info.Channels); err != nil {
		return nil, err
	}
	// The pages of the first stream only, through a reader without Seek,
	// which keeps the decoder streaming from the start.
	src := newOggStream(r, size)
	dec, err := newOggVorbis(src)
	if err != nil {
		return nil, &probe.FormatError{Format: info.Container, Msg: "vorbis decoder: " + err.Error()}
	}
	if dec.SampleRate() != info.SampleRate || dec.Channels() != info.Channels {
		return nil, &probe.FormatError{Format: info.Container,
			Msg: fmt.Sprintf("the decoder sees %d Hz × %d channels, the header %d Hz × %d", dec.SampleRate(), dec.Channels(), info.SampleRate, info.Channels)}
	}
	frames := info.Frames
	if info.LengthUnknown {
		frames = -1
	}
	return &vorbisReader{dec: dec, left: frames, format: Format{SampleRate: info.SampleRate, Channels: info.Channels, Frames: frames}}, nil
}

func newOggVorbis(r io.Reader) (d *oggvorbis.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			d, err = nil, fmt.Errorf("decoder failure: %v", p)
		}
	}()
	return oggvorbis.NewReader(r)
}

func (d *vorbisReader) Format() Format { return d.format }

func (d *vorbisReader) Read(p []float32) (n int, err error) {
	ch := d.format.Channels
	p = p[:len(p)/ch*ch]
	if d.left >= 0 {
		p = p[:min(int64(len(p)), d.left*int64(ch))]
	}
	if d.done || d.left == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, &probe.FormatError{Format: probe.ContainerOgg, Msg: fmt.Sprintf("vorbis decoder failure: %v", r)}
		}
	}()
	for idle := 0; ; idle++ {
		if idle > maxIdleReads {
			return 0, &probe.FormatError{Format: probe.ContainerOgg, Msg: "vorbis decoder: no audio comes out"}
		}
		m, err := d.dec.Read(p)
		if m < 0 || m > len(p) {
			return 0, &probe.FormatError{Format: probe.ContainerOgg, Msg: "vorbis decoder: bad sample count"}
		}
		if m%ch != 0 {
			return 0, &probe.FormatError{Format: probe.ContainerOgg, Msg: "vorbis decoder: partial frame"}
		}
		if d.left > 0 {
			d.left -= int64(m / ch)
		}
		switch {
		case errors.Is(err, io.EOF):
			d.done = true
			if m == 0 {
				return 0, io.EOF
			}
			return m / ch, nil
		case err != nil:
			return 0, &probe.FormatError{Format: probe.ContainerOgg, Msg: "vorbis decoder: " + err.Error()}
		case m > 0:
			return m / ch, nil
		}
	}
}
