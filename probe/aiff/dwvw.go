package aiff

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

// DWVW ("Delta Width Variable Word", Typhoon/libsndfile) is a bit stream
// of variable-width deltas. libsndfile learns a DWVW file's frame count by
// decoding all of it (psf_decode_frame_count), and can only seek back to
// the start. The decoder below follows src/dwvw.c's control flow — where
// it stops, how many samples it counts — without computing sample values.

// dwvwDecoder is the bit reservoir and state of one decoding pass.
type dwvwDecoder struct {
	r    io.ReaderAt
	size int64
	pos  int64

	bitWidth, dwmMaxSize, maxDelta int32
	bitCount, bits                 int32
	lastDeltaWidth                 int32

	buf        [256]byte
	index, end int
}

func newDWVW(r io.ReaderAt, size, start int64, bitWidth int) *dwvwDecoder {
	d := &dwvwDecoder{r: r, size: size, pos: start, bitWidth: int32(bitWidth)}
	d.reset()
	return d
}

// reset is dwvw_read_reset.
func (d *dwvwDecoder) reset() {
	d.dwmMaxSize = d.bitWidth / 2
	d.maxDelta = 1 << (d.bitWidth - 1)
	d.bitCount, d.bits, d.lastDeltaWidth = 0, 0, 0
	d.index, d.end = 0, 0
}

func (d *dwvwDecoder) fread() int {
	if d.pos < 0 || d.pos >= d.size {
		return 0
	}
	n := int64(len(d.buf))
	if rem := d.size - d.pos; n > rem {
		n = rem
	}
	m, _ := d.r.ReadAt(d.buf[:n], d.pos)
	if m < 0 {
		m = 0
	}
	d.pos += int64(m)
	return m
}

// loadBits is dwvw_decode_load_bits: n bits, or with n < 0 the
// delta-width modifier (a run of zero bits). -1 at the end of the input.
func (d *dwvwDecoder) loadBits(n int32) int32 {
	getDWM := false
	if n < 0 {
		getDWM = true
		n = d.dwmMaxSize
	}
	for d.bitCount < n {
		if d.index >= d.end {
			d.end = d.fread()
			d.index = 0
		}
		if n < 8 && d.end == 0 {
			return -1
		}
		d.bits = int32(uint32(d.bits) << 8)
		if d.index < d.end {
			d.bits |= int32(d.buf[d.index])
			d.index++
		}
		d.bitCount += 8
	}
	if !getDWM {
		out := (d.bits >> uint(d.bitCount-n)) & (int32(1)<<uint(n) - 1)
		d.bitCount -= n
		return out
	}
	var out int32
	for out < d.dwmMaxSize {
		d.bitCount--
		if d.bitCount >= 0 && d.bits&(int32(1)<<uint(d.bitCount)) != 0 {
			break
		}
		out++
	}
	return out
}

// decode is dwvw_decode_data for up to n samples; it returns how many it
// produced.
func (d *dwvwDecoder) decode(n int) int {
	deltaWidth := d.lastDeltaWidth
	count := 0
	for ; count < n; count++ {
		dwm := d.loadBits(-1)
		if dwm < 0 || (d.end == 0 && count == 0) {
			break
		}
		if dwm != 0 && d.loadBits(1) != 0 {
			dwm = -dwm
		}
		deltaWidth = (deltaWidth + dwm + d.bitWidth) % d.bitWidth
		if deltaWidth != 0 {
			delta := d.loadBits(deltaWidth-1) | int32(1)<<uint(deltaWidth-1)
			d.loadBits(1) // sign
			if delta == d.maxDelta-1 {
				d.loadBits(1)
			}
		}
		if d.end == 0 && d.bitCount == 0 {
			break
		}
	}
	d.lastDeltaWidth = deltaWidth
	return count
}

// readShort is dwvw_read_s: decode in chunks of 2048 samples until one
// comes up short.
func (d *dwvwDecoder) readShort(items int64) int64 {
	var total int64
	for items > 0 {
		want := int(min(items, 2048))
		got := d.decode(want)
		total += int64(got)
		items -= int64(want)
		if got != want {
			break
		}
	}
	return total
}

// dwvwFrameCount is psf_decode_frame_count over a DWVW stream: decode from
// the data offset to the end of the file, unless the data is longer than
// 16 MiB, in which case the length is unknown.
func dwvwFrameCount(f *sndfile.File, bitWidth int) int64 {
	if f.DataLength > 0x1000000 {
		return 1<<63 - 1
	}
	ch := int64(f.Channels)
	readLen := int(2048 / ch * ch)
	d := newDWVW(f.H.Reader(), f.H.Size(), f.DataOffset, bitWidth)
	var total int64
	for {
		// dwvw_read_i: one decode of up to readLen samples.
		got := 0
		if readLen > 0 {
			got = d.decode(readLen)
		}
		if got <= 0 {
			break
		}
		total += int64(got)
	}
	f.CanRead = true
	return total / ch
}

// dwvwStream reads DWVW the way the server's loop does.
type dwvwStream struct{ d *dwvwDecoder }

func newDWVWStream(r io.ReaderAt, size, start int64, bitWidth int) *dwvwStream {
	return &dwvwStream{d: newDWVW(r, size, start, bitWidth)}
}

func (s *dwvwStream) Read(items int64) (int64, error) { return s.d.readShort(items), nil }

func (s *dwvwStream) SeekFrame(frame int64) (int64, error) {
	if frame == 0 {
		return 0, nil
	}
	return 0, &probe.FormatError{Format: probe.ContainerAIFF, Msg: "DWVW cannot seek"}
}
