package webm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/audiopreflight/audiopreflight/probe"
)

// EBML (RFC 8794): elements are an ID and a size, both variable-length
// integers, then the body. IDs keep their length marker bits; sizes drop
// them, and a size of all ones means "unknown" (a Segment or a Cluster
// written by a live muxer, which ends where an element that cannot be its
// child begins).

// unknownSize marks an element whose size field is all ones.
const unknownSize = -1

// element is an element header.
type element struct {
	id   uint32
	off  int64 // where the header starts
	body int64 // where the body starts
	size int64 // body size, or unknownSize
}

// end is where the element ends, given the end of its parent.
func (e element) end(parentEnd int64) int64 {
	if e.size == unknownSize {
		return parentEnd
	}
	return e.body + e.size
}

// reader reads an input sequentially through a window of fixed size, so
// that a walk over a long file keeps its memory bounded.
type reader struct {
	r      io.ReaderAt
	size   int64
	pos    int64
	buf    []byte
	bufOff int64
	bufLen int
	err    error // the first read failure of r
}

const windowSize = 64 << 10

func newReader(r io.ReaderAt, size int64) *reader {
	return &reader{r: r, size: size, buf: make([]byte, windowSize)}
}

// formatError makes a FormatError at off.
func formatError(off int64, format string, args ...any) error {
	return &probe.FormatError{Format: "webm", Off: off, Msg: fmt.Sprintf(format, args...)}
}

// peek returns n bytes at the current position without moving, fewer at
// the end of the input. n must be at most windowSize.
func (rd *reader) peek(n int) ([]byte, error) {
	if rd.pos >= rd.bufOff && rd.pos+int64(n) <= rd.bufOff+int64(rd.bufLen) {
		i := rd.pos - rd.bufOff
		return rd.buf[i : i+int64(n)], nil
	}
	if rd.pos >= rd.size {
		return nil, nil
	}
	want := min(int64(len(rd.buf)), rd.size-rd.pos)
	m, err := rd.r.ReadAt(rd.buf[:want], rd.pos)
	if int64(m) < want {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		rd.err = err
		return nil, err
	}
	rd.bufOff, rd.bufLen = rd.pos, m
	return rd.buf[:min(n, m)], nil
}

// read copies len(p) bytes at the current position into p and moves past
// them; a short input is io.ErrUnexpectedEOF.
func (rd *reader) read(p []byte) error {
	for len(p) > 0 {
		b, err := rd.peek(min(len(p), windowSize))
		if err != nil {
			return err
		}
		if len(b) == 0 {
			return io.ErrUnexpectedEOF
		}
		n := copy(p, b)
		p = p[n:]
		rd.pos += int64(n)
	}
	return nil
}

// vint reads a variable-length integer of at most maxLen bytes at the
// current position. keepMarker keeps the length marker bit (IDs); allOnes
// tells a size field whose value bits are all set.
func (rd *reader) vint(maxLen int, keepMarker bool) (v uint64, allOnes bool, err error) {
	off := rd.pos
	b, err := rd.peek(1)
	if err != nil {
		return 0, false, err
	}
	if len(b) == 0 {
		return 0, false, io.EOF
	}
	n := 1
	for mask := byte(0x80); n <= 8 && b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if n > maxLen {
		return 0, false, formatError(off, "EBML number of %d bytes where at most %d are allowed", n, maxLen)
	}
	b, err = rd.peek(n)
	if err != nil {
		return 0, false, err
	}
	if len(b) < n {
		return 0, false, io.ErrUnexpectedEOF
	}
	v = uint64(b[0])
	if !keepMarker {
		v &= 0xff >> n
	}
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	rd.pos += int64(n)
	allOnes = v == 1<<(7*n)-1
	return v, allOnes, nil
}

// next reads the element header at the current position. At the end of
// the input it returns io.EOF.
func (rd *reader) next() (element, error) {
	e := element{off: rd.pos}
	id, _, err := rd.vint(4, true)
	if err != nil {
		return e, err
	}
	size, unknown, err := rd.vint(8, false)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return e, err
	}
	e.id, e.body = uint32(id), rd.pos
	if unknown {
		e.size = unknownSize
	} else if size > math.MaxInt64/2 {
		return e, formatError(e.off, "element 0x%X claims %d bytes", id, size)
	} else {
		e.size = int64(size)
	}
	return e, nil
}

// within checks that e, whose parent ends at parentEnd, fits in it and is
// not of unknown size unless allowed.
func (e element) within(parentEnd int64, unknownOK bool) error {
	if e.size == unknownSize {
		if !unknownOK {
			return formatError(e.off, "element 0x%X of unknown size", e.id)
		}
		return nil
	}
	if e.size > parentEnd-e.body {
		return formatError(e.off, "element 0x%X of %d bytes runs past its parent's end (%d bytes left)", e.id, e.size, parentEnd-e.body)
	}
	return nil
}

// skip moves to the end of e.
func (rd *reader) skip(e element) { rd.pos = e.body + e.size }

// maxScalar bounds the elements read whole: numbers, strings, binary
// headers such as CodecPrivate.
const maxScalar = 64 << 10

// bytes reads e's body, which must be at most max bytes.
func (rd *reader) bytes(e element, max int64) ([]byte, error) {
	if e.size > max {
		return nil, formatError(e.off, "element 0x%X of %d bytes (at most %d expected)", e.id, e.size, max)
	}
	p := make([]byte, e.size)
	if err := rd.read(p); err != nil {
		return nil, err
	}
	return p, nil
}

// uint reads an unsigned integer element (0 to 8 bytes).
func (rd *reader) uint(e element) (uint64, error) {
	if e.size > 8 {
		return 0, formatError(e.off, "integer element 0x%X of %d bytes", e.id, e.size)
	}
	var b [8]byte
	if err := rd.read(b[8-e.size:]); err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint64(b[:]), nil
}

// int reads a signed integer element.
func (rd *reader) int(e element) (int64, error) {
	u, err := rd.uint(e)
	if err != nil || e.size == 0 {
		return 0, err
	}
	shift := 64 - 8*uint(e.size)
	return int64(u<<shift) >> shift, nil
}

// float reads a float element (0, 4 or 8 bytes).
func (rd *reader) float(e element) (float64, error) {
	switch e.size {
	case 0:
		return 0, nil
	case 4:
		u, err := rd.uint(e)
		return float64(math.Float32frombits(uint32(u))), err
	case 8:
		u, err := rd.uint(e)
		return math.Float64frombits(u), err
	}
	return 0, formatError(e.off, "float element 0x%X of %d bytes", e.id, e.size)
}

// string reads a string element, dropping trailing NULs.
func (rd *reader) string(e element) (string, error) {
	b, err := rd.bytes(e, maxScalar)
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return string(b), err
}
