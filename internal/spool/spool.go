// Package spool turns a stream that can be read only once, forward
// (standard input, a named pipe, base64 text being decoded), into audio that
// the prober can read at offsets, in bounded memory and bounded disk.
//
// Two shapes, for the two kinds of check:
//
//   - Windows, for a header check: the stream is read to its end and
//     counted, and only its first HeadWindow bytes and its last TailWindow
//     bytes are kept, in memory. That is what headers need: the formats
//     read their headers from the start, and Ogg and MP3 read their length
//     from the end. A read anywhere else fails with a *NotKeptError that
//     says so.
//   - Full, for a full check: the stream is copied whole, in memory while
//     it is small (MemoryLimit), then to a temporary file that no other
//     process can open and that is gone when the spool is closed (or when
//     the process ends).
//
// Either way the stream is read at most up to a cap (Options.MaxSize): one
// byte more is a *TooLargeError, and whatever was spooled is released.
//
// Memory is bounded per spool (HeadWindow + TailWindow, or MemoryLimit, plus
// one copy buffer), and a Gate bounds how many spools hold it at once, so a
// run's memory for spools is a constant, whatever its parallelism.
package spool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/audiopreflight/audiopreflight/internal/bytesize"
)

// What a spool keeps in memory.
const (
	// HeadWindow is how much of the start of a stream a header check
	// keeps: the largest headers seen in practice (a FLAC file whose
	// metadata carries a 470 KB cover picture) fit with room to spare.
	HeadWindow = 1 << 20
	// TailWindow is how much of the end of a stream a header check keeps:
	// the Ogg reader's backward search for the last page reads 64 KiB,
	// then 128 KiB more; MP3 reads a 128-byte ID3v1 tag.
	TailWindow = 256 << 10
	// MemoryLimit is how much of a stream a full check keeps in memory
	// before it moves the stream to a temporary file.
	MemoryLimit = 1 << 20
	// copyBuffer is the size of the buffer streams are copied through.
	copyBuffer = 64 << 10
)

// Audio is a spooled stream, read at offsets.
type Audio interface {
	io.ReaderAt
	Size() int64
	Close() error
}

// Options say how a stream is spooled.
type Options struct {
	// MaxSize is the most bytes read from the stream; 0 means no cap.
	MaxSize int64
	// Dir is where a full spool's temporary file goes ("" is os.TempDir()).
	Dir string
	// What names the stream in errors ("standard input", "the decoded
	// audio"); "" is "the input".
	What string
}

func (o Options) what() string {
	if o.What == "" {
		return "the input"
	}
	return o.What
}

// TooLargeError is a stream longer than Options.MaxSize.
type TooLargeError struct {
	What  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s (%d bytes), the most this tool copies of one input", e.What, bytesize.Format(e.Limit), e.Limit)
}

// NotKeptError is a read of a part of a stream a header check did not keep.
type NotKeptError struct {
	// Off is where the refused read starts.
	Off int64
	// Kept says, in words, what was kept ("the first 1 MiB and the last
	// 256 KiB of standard input").
	Kept string
}

func (e *NotKeptError) Error() string {
	return fmt.Sprintf("a header check keeps only %s, and this input's headers go on at byte %d: check it without --header-only to read it whole", e.Kept, e.Off)
}

// readError is a failure of the stream itself.
func readError(o Options, err error) error {
	return fmt.Errorf("reading %s: %w", o.what(), err)
}

// checkSize fails when n bytes exceed the cap.
func checkSize(o Options, n int64) error {
	if o.MaxSize > 0 && n > o.MaxSize {
		return &TooLargeError{What: o.what(), Limit: o.MaxSize}
	}
	return nil
}

// limited reads r up to one byte past the cap, so that checkSize sees a
// stream that is too long without reading all of it.
func limited(r io.Reader, o Options) io.Reader {
	if o.MaxSize <= 0 {
		return r
	}
	return io.LimitReader(r, o.MaxSize+1)
}

// Windows reads r to its end and keeps its head and tail windows.
func Windows(r io.Reader, o Options) (Audio, error) {
	w := &windows{what: o.what()}
	buf := make([]byte, copyBuffer)
	src := limited(r, o)
	var tail ring
	for {
		n, err := src.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			if room := HeadWindow - len(w.head); room > 0 {
				k := min(room, len(chunk))
				w.head = append(w.head, chunk[:k]...)
				chunk = chunk[k:]
			}
			tail.write(chunk)
			w.size += int64(n)
			if err := checkSize(o, w.size); err != nil {
				return nil, err
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readError(o, err)
		}
	}
	w.tail = tail.bytes()
	w.tailAt = w.size - int64(len(w.tail))
	return w, nil
}

// windows is the head and tail of a stream; tail starts at tailAt, right
// after head when nothing was dropped between them.
type windows struct {
	what   string
	head   []byte
	tail   []byte
	tailAt int64
	size   int64
}

func (w *windows) Size() int64  { return w.size }
func (w *windows) Close() error { w.head, w.tail = nil, nil; return nil }

func (w *windows) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("spool: negative offset")
	}
	if off >= w.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off < w.size {
		switch {
		case off < int64(len(w.head)):
			k := copy(p[n:], w.head[off:])
			n += k
			off += int64(k)
		case off >= w.tailAt:
			k := copy(p[n:], w.tail[off-w.tailAt:])
			n += k
			off += int64(k)
		default:
			return n, &NotKeptError{Off: off, Kept: fmt.Sprintf("the first %s and the last %s of %s", bytesize.Format(HeadWindow), bytesize.Format(TailWindow), w.what)}
		}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// ring keeps the last TailWindow bytes written to it, growing to that size
// only as bytes come.
type ring struct {
	buf  []byte
	next int  // where the next byte goes, once buf is full
	full bool // buf holds TailWindow bytes and wraps
}

func (r *ring) write(p []byte) {
	if len(p) > TailWindow {
		p = p[len(p)-TailWindow:]
	}
	for len(p) > 0 {
		if !r.full {
			k := min(TailWindow-len(r.buf), len(p))
			r.buf = append(r.buf, p[:k]...)
			p = p[k:]
			r.full = len(r.buf) == TailWindow
			continue
		}
		k := copy(r.buf[r.next:], p)
		p = p[k:]
		r.next = (r.next + k) % TailWindow
	}
}

// bytes returns the kept bytes in stream order.
func (r *ring) bytes() []byte {
	if !r.full {
		return r.buf
	}
	out := make([]byte, 0, TailWindow)
	out = append(out, r.buf[r.next:]...)
	return append(out, r.buf[:r.next]...)
}

// Full copies r whole: in memory up to MemoryLimit, to a temporary file
// beyond.
func Full(r io.Reader, o Options) (Audio, error) {
	src := limited(r, o)
	var mem bytes.Buffer
	n, err := io.CopyN(&mem, src, MemoryLimit+1)
	if err != nil && err != io.EOF {
		return nil, readError(o, err)
	}
	if err := checkSize(o, n); err != nil {
		return nil, err
	}
	if n <= MemoryLimit {
		return memory{bytes.NewReader(mem.Bytes())}, nil
	}
	f, err := createTemp(o.Dir)
	if err != nil {
		return nil, fmt.Errorf("spooling %s: %w", o.what(), err)
	}
	fail := func(err error) (Audio, error) {
		f.Close()
		return nil, err
	}
	if _, err := f.Write(mem.Bytes()); err != nil {
		return fail(fmt.Errorf("spooling %s: %w", o.what(), err))
	}
	mem = bytes.Buffer{}
	buf := make([]byte, copyBuffer)
	size := n
	for {
		k, rerr := src.Read(buf)
		if k > 0 {
			size += int64(k)
			if err := checkSize(o, size); err != nil {
				return fail(err)
			}
			if _, err := f.Write(buf[:k]); err != nil {
				return fail(fmt.Errorf("spooling %s: %w", o.what(), err))
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fail(readError(o, rerr))
		}
	}
	return &file{f: f, size: size}, nil
}

// memory is a stream held in memory.
type memory struct{ *bytes.Reader }

func (memory) Close() error { return nil }

// file is a stream spooled to a temporary file.
type file struct {
	f    *tempFile
	size int64
}

func (f *file) Size() int64                             { return f.size }
func (f *file) ReadAt(p []byte, off int64) (int, error) { return f.f.ReadAt(p, off) }
func (f *file) Close() error                            { return f.f.Close() }

// tempFile is a temporary file that is deleted when it is closed: at once
// where an open file can be unlinked (its name is gone before anything is
// written), at Close elsewhere.
type tempFile struct {
	*os.File
	name string // "" once the name is gone
}

func createTemp(dir string) (*tempFile, error) {
	f, err := os.CreateTemp(dir, "audiopreflight-spool-*")
	if err != nil {
		return nil, err
	}
	t := &tempFile{File: f, name: f.Name()}
	if os.Remove(t.name) == nil {
		t.name = ""
	}
	return t, nil
}

func (t *tempFile) Close() error {
	err := t.File.Close()
	if t.name != "" {
		os.Remove(t.name)
		t.name = ""
	}
	return err
}

// Gate bounds how many spools exist at once. A spool holds at most
// HeadWindow + TailWindow (or MemoryLimit) bytes plus a copy buffer, so a
// Gate of n bounds the memory of a run's spools by about n × 1.4 MiB,
// whatever the number of inputs checked at once. The zero value is not
// usable; a nil *Gate lets everyone in.
type Gate struct{ slots chan struct{} }

// DefaultGate is the size of the Gate a run uses: enough to keep two cores
// busy decoding base64, small enough for a few MiB in all.
const DefaultGate = 8

// NewGate returns a Gate for n spools at once.
func NewGate(n int) *Gate { return &Gate{slots: make(chan struct{}, max(n, 1))} }

// Enter waits for a slot (or for ctx to end) and returns the function that
// gives it back; call it once the spool is closed.
func (g *Gate) Enter(ctx context.Context) (leave func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
