// Package pcm decodes audio the tool can read itself into one streaming
// form: interleaved float32 samples, full scale ±1, read in blocks with
// memory that does not grow with the input. One file per source family:
// raw.go for the uncompressed samples of WAV, RF64, W64, AIFF, AU and CAF
// (located by the prober, never parsed again here), mp3.go, vorbis.go,
// flac.go. Compressed codings it does not decode (ADPCM, GSM, AAC, ...)
// give an *UnsupportedError; the fix command hands those to ffmpeg.
//
// Every decoder stops at the frame count the server's reader reports for
// the input (probe.Info.Frames, or what probe.ReadAll finds), so that a
// converted file keeps the duration the server would have seen.
package pcm

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Format is the shape of a decoded stream.
type Format struct {
	SampleRate int
	Channels   int
	// Frames is how many frames the stream will deliver; -1 when it is not
	// known before the end.
	Frames int64
	// Bits is the resolution of the samples when they are integers of at
	// most 32 bits (each decoded value is then an exact multiple of
	// 2^-(Bits-1)); 0 for float and lossy codings.
	Bits int
}

// Reader is a stream of decoded audio.
type Reader interface {
	// Format describes the stream; it does not change while reading.
	Format() Format
	// Read decodes up to len(p)/Channels whole frames into p, interleaved,
	// and returns the number of frames. At the end it returns 0, io.EOF. A
	// damaged input gives an error naming what is wrong and where.
	Read(p []float32) (frames int, err error)
}

// UnsupportedError says that the input is audio this package does not
// decode; Codec names the coding.
type UnsupportedError struct {
	Container string
	Codec     string
	Msg       string
}

func (e *UnsupportedError) Error() string {
	s := fmt.Sprintf("%s: cannot decode %s", e.Container, e.Codec)
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// ErrNotOpen is returned for an input the prober says does not open.
var ErrNotOpen = errors.New("the input does not open as audio")

// maxIdleReads bounds how often in a row a wrapped decoder may return
// nothing without an error (packets that decode to no samples) before a
// decoder gives up on the input.
const maxIdleReads = 1 << 16

// maxChannels bounds the channel count a decoder accepts (libsndfile's
// limit): a block buffer holds at least one frame.
const maxChannels = 1024

// Open returns a decoder for the input that Probe described as info. r and
// size are the whole input, as given to Probe.
func Open(r io.ReaderAt, size int64, info *probe.Info) (Reader, error) {
	if info == nil {
		return nil, ErrNotOpen
	}
	if info.Samples != nil && info.Opens {
		sr, n := probe.Section(r, size, info)
		return newRaw(sr, n, info)
	}
	codec := info.Codec
	if codec == "" {
		codec = "this coding"
	}
	switch {
	case info.Container == probe.ContainerMP3 && info.Codec == "mp3":
		return newMP3(r, size, info)
	case info.Container == probe.ContainerOgg && info.Codec == "vorbis":
		return newVorbis(r, size, info)
	case info.Container == probe.ContainerCAF && strings.HasPrefix(info.SndfileSubtype, "ALAC"):
		sr, n := probe.Section(r, size, info)
		return newALAC(sr, n, info)
	case info.Container == probe.ContainerFLAC:
		sr, n := probe.Section(r, size, info)
		return newFLAC(sr, n, info)
	}
	if !info.Opens && info.Container != probe.ContainerMP3 {
		return nil, &UnsupportedError{Container: info.Container, Codec: codec, Msg: "the input does not open: " + info.OpenError}
	}
	return nil, &UnsupportedError{Container: info.Container, Codec: codec}
}

// checkFormat refuses a stream shape no decoder should hand out.
func checkFormat(container string, rate, channels int) error {
	switch {
	case rate < 1:
		return &probe.FormatError{Format: container, Msg: fmt.Sprintf("sample rate %d", rate)}
	case channels < 1 || channels > maxChannels:
		return &probe.FormatError{Format: container, Msg: fmt.Sprintf("%d channels", channels)}
	}
	return nil
}
