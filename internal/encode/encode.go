// Package encode writes 16-bit mono audio in the containers the API
// accepts: WAV (PCM, the canonical 44-byte RIFF header) and FLAC (through
// github.com/mewkiz/flac's encoder, fixed predictors). Both stream: memory
// does not grow with the length. When the output is seekable, the sizes
// (WAV) or the STREAMINFO totals and MD5 (FLAC) are written at the end from
// what was written; otherwise the frame count given up front must be right.
package encode

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// Format is an output container.
type Format int

// Output formats. Auto lets Choose decide.
const (
	Auto Format = iota
	WAV
	FLAC
)

func (f Format) String() string {
	switch f {
	case WAV:
		return "wav"
	case FLAC:
		return "flac"
	}
	return "auto"
}

// Ext is the file name extension of the format.
func (f Format) Ext() string { return "." + f.String() }

// ParseFormat reads a --format value.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "", "auto":
		return Auto, nil
	case "wav":
		return WAV, nil
	case "flac":
		return FLAC, nil
	}
	return Auto, fmt.Errorf("unknown output format %q (want wav or flac)", s)
}

// Choose picks the container for frames samples of 16-bit mono audio:
// the one asked for, else WAV, or FLAC when a WAV would be larger than
// limit bytes (limit 0: no limit), as for a request in sync mode, whose
// body has a size limit.
func Choose(asked Format, frames, limit int64) Format {
	if asked != Auto {
		return asked
	}
	if limit > 0 && frames >= 0 && WAVSize(frames) > limit {
		return FLAC
	}
	return WAV
}

// Writer writes 16-bit mono samples.
type Writer interface {
	// Write encodes samples.
	Write(samples []int16) error
	// Close finishes the stream (patching sizes into a seekable output) and
	// flushes it; it does not close the underlying writer.
	Close() error
	// Frames is the number of samples written so far.
	Frames() int64
}

// New returns a writer of the given format (WAV or FLAC) at rate Hz for
// frames samples, -1 when the count is not known until the end (the
// output must then be an io.WriteSeeker).
func New(w io.Writer, format Format, rate int, frames int64) (Writer, error) {
	if rate < 1 || rate > 655350 {
		return nil, fmt.Errorf("encode: sample rate %d out of range", rate)
	}
	if _, ok := w.(io.WriteSeeker); !ok && frames < 0 {
		return nil, ErrLengthNeeded
	}
	switch format {
	case WAV, Auto:
		return newWAV(w, rate, frames)
	case FLAC:
		return newFLAC(w, rate, frames)
	}
	return nil, fmt.Errorf("encode: unknown format %d", format)
}

// ErrLengthNeeded is returned for an output that cannot be patched at the
// end when the length is not known at the start.
var ErrLengthNeeded = errors.New("encode: the output is not seekable and the length is not known")

// CountError says that the samples written are not as many as declared
// for an output that cannot be patched.
type CountError struct {
	Declared, Written int64
}

func (e *CountError) Error() string {
	return fmt.Sprintf("encode: %d samples declared, %d written", e.Declared, e.Written)
}

// sink buffers the writes to the output and keeps its position; Seek
// flushes first.
type sink struct {
	w   io.Writer
	buf *bufio.Writer
	n   int64
}

func newSink(w io.Writer) *sink {
	return &sink{w: w, buf: bufio.NewWriterSize(w, 64<<10)}
}

func (s *sink) Write(p []byte) (int, error) {
	n, err := s.buf.Write(p)
	s.n += int64(n)
	return n, err
}

// patch writes p at offset off of a seekable output and returns to the end.
func (s *sink) patch(off int64, p []byte) error {
	ws, ok := s.w.(io.WriteSeeker)
	if !ok {
		return ErrLengthNeeded
	}
	if err := s.buf.Flush(); err != nil {
		return err
	}
	if _, err := ws.Seek(off, io.SeekStart); err != nil {
		return err
	}
	if _, err := ws.Write(p); err != nil {
		return err
	}
	_, err := ws.Seek(s.n, io.SeekStart)
	return err
}

func (s *sink) seekable() bool {
	_, ok := s.w.(io.WriteSeeker)
	return ok
}
