package wavheader

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/audiopreflight/audiopreflight/probe"
)

// riffLimit is the largest RIFF size field: past it the output is RF64.
const riffLimit = math.MaxUint32

// Header is the output's header: RIFF (RIFX for big-endian audio, RF64
// when the sizes do not fit in 32 bits), WAVE, fmt, and the data chunk's
// header. The audio and, when its size is odd, a pad byte follow it.
func (l *Layout) Header() ([]byte, error) {
	order := l.order()
	f := l.Format.marshal(order)
	pad := l.DataSize & 1
	riffSize := 4 + 8 + int64(len(f)) + 8 + l.DataSize + pad
	b := make([]byte, 0, 12+36+8+len(f)+8)
	if riffSize <= riffLimit {
		magic := "RIFF"
		if l.BigEndian() {
			magic = "RIFX"
		}
		b = append(b, magic...)
		b = order.AppendUint32(b, uint32(riffSize))
		b = append(b, "WAVE"...)
	} else {
		if l.BigEndian() {
			return nil, &probe.UnsupportedError{Format: "wav", Msg: fmt.Sprintf("big-endian audio of %d bytes: RIFX has no 64-bit sizes", l.DataSize)}
		}
		riffSize += 8 + 28 // ds64
		b = append(b, "RF64"...)
		b = binary.LittleEndian.AppendUint32(b, 0xFFFFFFFF)
		b = append(b, "WAVEds64"...)
		b = binary.LittleEndian.AppendUint32(b, 28)
		b = binary.LittleEndian.AppendUint64(b, uint64(riffSize))
		b = binary.LittleEndian.AppendUint64(b, uint64(l.DataSize))
		frames := uint64(0) // unknown for compressed formats
		if l.Format.BlockAlign > 0 && (l.Format.Tag == TagPCM || l.Format.Tag == TagFloat) {
			frames = uint64(l.DataSize) / uint64(l.Format.BlockAlign)
		}
		b = binary.LittleEndian.AppendUint64(b, frames)
		b = binary.LittleEndian.AppendUint32(b, 0) // no table
	}
	b = append(b, "fmt "...)
	b = order.AppendUint32(b, uint32(len(f)))
	b = append(b, f...)
	b = append(b, "data"...)
	if l.DataSize <= riffLimit && riffSize <= riffLimit {
		b = order.AppendUint32(b, uint32(l.DataSize))
	} else {
		b = binary.LittleEndian.AppendUint32(b, 0xFFFFFFFF)
	}
	return b, nil
}

// Output is the rewritten file as an io.ReaderAt over r: the new header,
// then the audio read from r where it is, then a pad byte when needed.
// Nothing is copied until it is read.
func (l *Layout) Output(r io.ReaderAt) (io.ReaderAt, int64, error) {
	h, err := l.Header()
	if err != nil {
		return nil, 0, err
	}
	parts := []part{
		{data: h},
		{r: r, off: l.DataOffset, n: l.DataSize},
	}
	if l.DataSize&1 != 0 {
		parts = append(parts, part{data: []byte{0}})
	}
	return newConcat(parts), int64(len(h)) + l.DataSize + l.DataSize&1, nil
}

// Write writes the rewritten file to w and returns its size.
func (l *Layout) Write(w io.Writer, r io.ReaderAt) (int64, error) {
	out, n, err := l.Output(r)
	if err != nil {
		return 0, err
	}
	return io.Copy(w, io.NewSectionReader(out, 0, n))
}

// part is bytes in memory or a section of a reader.
type part struct {
	data []byte
	r    io.ReaderAt
	off  int64
	n    int64
}

func (p part) size() int64 {
	if p.r == nil {
		return int64(len(p.data))
	}
	return p.n
}

// concat reads parts one after the other.
type concat struct {
	parts  []part
	starts []int64
	size   int64
}

func newConcat(parts []part) *concat {
	c := &concat{parts: parts}
	for _, p := range parts {
		c.starts = append(c.starts, c.size)
		c.size += p.size()
	}
	return c
}

func (c *concat) ReadAt(b []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("wavheader: negative offset")
	}
	n := 0
	for i, p := range c.parts {
		if len(b) == 0 {
			break
		}
		start, size := c.starts[i], p.size()
		if off >= start+size {
			continue
		}
		rel := off - start
		want := min(int64(len(b)), size-rel)
		var m int
		var err error
		if p.r == nil {
			m = copy(b[:want], p.data[rel:])
		} else {
			m, err = p.r.ReadAt(b[:want], p.off+rel)
			if err == io.EOF && int64(m) == want {
				err = nil
			}
		}
		n += m
		off += int64(m)
		b = b[m:]
		if err != nil {
			if err == io.EOF {
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
