// Package sections makes one io.ReaderAt of several pieces: bytes in
// memory and sections of other readers, one after the other. A rewritten
// file is then the input's bytes and a few new ones, which costs nothing
// until it is read and can be checked before it is written.
package sections

import (
	"errors"
	"io"
)

// Section is bytes in memory (Data), or N bytes of R from Off.
type Section struct {
	Data []byte
	R    io.ReaderAt
	Off  int64
	N    int64
}

// Bytes is a section of bytes in memory.
func Bytes(b []byte) Section { return Section{Data: b} }

// Of is n bytes of r from off.
func Of(r io.ReaderAt, off, n int64) Section { return Section{R: r, Off: off, N: n} }

// Size is how many bytes the section holds.
func (s Section) Size() int64 {
	if s.R == nil {
		return int64(len(s.Data))
	}
	return s.N
}

// Concat reads sections one after the other.
type Concat struct {
	parts []Section
	size  int64
}

// New joins sections.
func New(parts ...Section) *Concat {
	c := &Concat{parts: parts}
	for _, p := range parts {
		c.size += p.Size()
	}
	return c
}

// Size is the total size.
func (c *Concat) Size() int64 { return c.size }

// ReadAt reads len(b) bytes at off; fewer only at the end (io.EOF). A
// section whose reader ends early is io.ErrUnexpectedEOF.
func (c *Concat) ReadAt(b []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("sections: negative offset")
	}
	n := 0
	start := int64(0)
	for _, p := range c.parts {
		size := p.Size()
		if len(b) == 0 {
			break
		}
		if off >= start+size {
			start += size
			continue
		}
		rel := off - start
		want := min(int64(len(b)), size-rel)
		var m int
		var err error
		if p.R == nil {
			m = copy(b[:want], p.Data[rel:])
		} else {
			m, err = p.R.ReadAt(b[:want], p.Off+rel)
			if errors.Is(err, io.EOF) && int64(m) == want {
				err = nil
			}
		}
		n += m
		off += int64(m)
		b = b[m:]
		start += size
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return n, err
		}
	}
	if len(b) > 0 {
		return n, io.EOF
	}
	return n, nil
}

// copyBuffer is the size of the reads WriteTo makes: large enough that
// copying a long file costs few system calls.
const copyBuffer = 1 << 20

// WriteTo writes every section to w in order, with one buffer of
// copyBuffer bytes.
func (c *Concat) WriteTo(w io.Writer) (int64, error) {
	var total int64
	var buf []byte
	for _, p := range c.parts {
		if p.R == nil {
			n, err := w.Write(p.Data)
			total += int64(n)
			if err != nil {
				return total, err
			}
			continue
		}
		if buf == nil {
			buf = make([]byte, min(copyBuffer, max(c.size, 1)))
		}
		n, err := io.CopyBuffer(w, io.NewSectionReader(p.R, p.Off, p.N), buf)
		total += n
		if err != nil {
			return total, err
		}
		if n < p.N {
			return total, io.ErrUnexpectedEOF
		}
	}
	return total, nil
}
