package wavheader

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/audiopreflight/audiopreflight/internal/sections"
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

// Output is the rewritten file as a view over r: the new header, then the
// audio read from r where it is, then a pad byte when needed. Nothing is
// copied until it is read.
func (l *Layout) Output(r io.ReaderAt) (*sections.Concat, int64, error) {
	h, err := l.Header()
	if err != nil {
		return nil, 0, err
	}
	parts := []sections.Section{sections.Bytes(h), sections.Of(r, l.DataOffset, l.DataSize)}
	if l.DataSize&1 != 0 {
		parts = append(parts, sections.Bytes([]byte{0}))
	}
	c := sections.New(parts...)
	return c, c.Size(), nil
}

// Write writes the rewritten file to w and returns its size.
func (l *Layout) Write(w io.Writer, r io.ReaderAt) (int64, error) {
	out, _, err := l.Output(r)
	if err != nil {
		return 0, err
	}
	return out.WriteTo(w)
}
