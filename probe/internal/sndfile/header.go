package sndfile

import (
	"encoding/binary"
	"io"
)

// Sizes of libsndfile's header cache (common.c): it starts at 256 bytes
// and doubles on demand, but a request that would take it past 100 KiB is
// refused.
const (
	initialHeaderSize = 256
	maxHeaderSize     = 100 * 1024
)

// Whence values of psf_fseek.
const (
	SeekSet = 0
	SeekCur = 1
	SeekEnd = 2
)

// HeaderReader reads an input the way libsndfile's header parsers do,
// through psf_binheader_readf and its cache. Reads go through the cache:
// bytes are appended to it from the current file position, so the cache
// index and the file position agree only while nothing was skipped without
// caching. A multi-byte value that cannot be read completely reads as zero
// (and the file position still moves). Once the cache cannot grow any more,
// every later header read is ignored and leaves its destination unchanged.
//
// The file itself behaves like python-soundfile's virtual I/O over a
// BytesIO: reads past the end return nothing, seeks past the end succeed,
// relative seeks before the start stop at 0.
type HeaderReader struct {
	r    io.ReaderAt
	size int64
	pos  int64  // file position (psf_ftell)
	buf  []byte // the cache; len(buf) is its allocated length
	indx int    // next byte to hand out
	end  int    // bytes held
	big  bool   // multi-byte values are big-endian
	dead bool   // the cache refused to grow: header reads are ignored
}

// NewHeaderReader starts reading r, of the given size, at offset 0.
func NewHeaderReader(r io.ReaderAt, size int64) *HeaderReader {
	return &HeaderReader{r: r, size: size, buf: make([]byte, initialHeaderSize)}
}

// SetBigEndian sets the byte order of later multi-byte values, as parsers
// that assign psf->rwf_endian directly do.
func (h *HeaderReader) SetBigEndian(big bool) { h.big = big }

// Reader is the input being read.
func (h *HeaderReader) Reader() io.ReaderAt { return h.r }

// NewEmbeddedReader starts reading an input at offset start, where
// libsndfile resumes after skipping ID3v2 tags: positions it tells and
// seeks to stay those of the whole input (python-soundfile's virtual I/O
// ignores libsndfile's file offset), while header offsets count from start.
func NewEmbeddedReader(r io.ReaderAt, size, start int64) *HeaderReader {
	h := NewHeaderReader(r, size)
	h.pos = start
	return h
}

// Embedded reports whether r is the part of an input after ID3v2 tags (an
// *io.SectionReader that does not start at 0, as probe hands formats found
// behind tags), and returns the whole input, where the part starts and the
// whole size.
func Embedded(r io.ReaderAt) (outer io.ReaderAt, start, size int64, ok bool) {
	sr, isSection := r.(*io.SectionReader)
	if !isSection {
		return nil, 0, 0, false
	}
	outer, start, n := sr.Outer()
	if start <= 0 {
		return nil, 0, 0, false
	}
	return outer, start, start + n, true
}

// Size is the file length (psf->filelength before any parser changes it).
func (h *HeaderReader) Size() int64 { return h.size }

// Tell is psf_ftell: the file position, not the cache index.
func (h *HeaderReader) Tell() int64 { return h.pos }

// Index is psf->header.indx, which some parsers use as a file offset.
func (h *HeaderReader) Index() int64 { return int64(h.indx) }

// FRead is psf_fread of len(p) bytes at the file position, bypassing the
// cache. It returns the number of bytes read.
func (h *HeaderReader) FRead(p []byte) int {
	if len(p) == 0 || h.pos < 0 || h.pos >= h.size {
		return 0
	}
	n := int64(len(p))
	if rem := h.size - h.pos; n > rem {
		n = rem
	}
	m, _ := h.r.ReadAt(p[:n], h.pos)
	if m < 0 {
		m = 0
	}
	h.pos += int64(m)
	return m
}

// FSeek is psf_fseek, bypassing the cache. It returns the new position.
func (h *HeaderReader) FSeek(off int64, whence int) int64 {
	var np int64
	switch whence {
	case SeekSet:
		if off < 0 {
			// BytesIO refuses a negative absolute seek; the callback's
			// error leaves the position where it was.
			return 0
		}
		np = off
	case SeekCur:
		np = h.pos + off
	case SeekEnd:
		np = h.size + off
	default:
		return 0
	}
	if np < 0 {
		np = 0
	}
	h.pos = np
	return np
}

// bump is psf_bump_header_allocation: it grows the cache for a request of
// needed bytes and reports true when the growth is refused.
func (h *HeaderReader) bump(needed int64) bool {
	cur := int64(len(h.buf))
	var newlen int64
	if needed > cur {
		newlen = 2 * max(needed, initialHeaderSize)
	} else {
		newlen = 2 * cur
	}
	if newlen > maxHeaderSize {
		return true
	}
	nb := make([]byte, newlen)
	copy(nb, h.buf)
	h.buf = nb
	return false
}

// read is header_read: n bytes through the cache into dst (nil discards).
// It returns n, or the short count of a read that hit the end of the file
// (dst is then left as it was).
func (h *HeaderReader) read(dst []byte, n int) int {
	if n < 0 {
		return 0
	}
	if h.indx+n >= len(h.buf) && h.bump(int64(n)) {
		return 0
	}
	if h.indx+n > h.end {
		need := n - (h.end - h.indx)
		if h.end+need > len(h.buf) || need < 0 {
			return 0
		}
		count := h.FRead(h.buf[h.end : h.end+need])
		if count != need {
			return count
		}
		h.end += count
	}
	if dst != nil {
		copy(dst, h.buf[h.indx:h.indx+n])
	}
	h.indx += n
	return n
}

// seekSet is header_seek(position, SEEK_SET).
func (h *HeaderReader) seekSet(position int64) {
	if int64(h.indx)+position >= int64(len(h.buf)) {
		h.bump(position)
	}
	if position > int64(len(h.buf)) {
		// Too far to cache: forget the cache and seek the file.
		h.indx, h.end = 0, 0
		h.FSeek(position, SeekSet)
		return
	}
	if position < 0 {
		return
	}
	if position > int64(h.end) {
		h.end += h.FRead(h.buf[h.end:position])
	}
	h.indx = int(position)
}

// seekCur is header_seek(position, SEEK_CUR).
func (h *HeaderReader) seekCur(position int64) {
	if int64(h.indx)+position >= int64(len(h.buf)) {
		h.bump(position)
	}
	size := int64(len(h.buf))
	idx := int64(h.indx)
	switch {
	case idx+position < 0:
		return
	case idx >= size:
		h.FSeek(position, SeekCur)
	case idx+position <= int64(h.end):
		h.indx += int(position)
	case idx+position > size:
		// Too far to cache: skip in the file.
		position -= int64(h.end - h.indx)
		h.indx = h.end
		h.FSeek(position, SeekCur)
	default:
		want := position - int64(h.end-h.indx)
		h.end += h.FRead(h.buf[h.end : int64(h.end)+want])
		h.indx = h.end
	}
}

// gets is header_gets: bytes up to a newline (excluded) into dst, at most
// len(dst)-1 of them, NUL-terminated.
func (h *HeaderReader) gets(dst []byte) int {
	bufsize := len(dst)
	if bufsize == 0 || (h.indx+bufsize >= len(h.buf) && h.bump(int64(bufsize))) {
		return 0
	}
	k := 0
	for ; k < bufsize-1; k++ {
		if h.indx < h.end {
			dst[k] = h.buf[h.indx]
			h.indx++
		} else {
			if h.end < len(h.buf) {
				h.end += h.FRead(h.buf[h.end : h.end+1])
			}
			if h.indx < len(h.buf) {
				dst[k] = h.buf[h.indx]
			}
			h.indx = h.end
		}
		if dst[k] == '\n' {
			break
		}
	}
	dst[k] = 0
	return k
}

// Readf is psf_binheader_readf: it reads the values named by format, one
// character each, into the pointers that follow, and returns the byte count
// libsndfile's function returns. Format characters:
//
//	E, e   following values are big-endian, little-endian
//	m      4-byte marker (*uint32, bytes in file order, most significant first)
//	1 2 3 4 8   unsigned integers of that many bytes (*uint8/*int8, *uint16/*int16,
//	       *uint32/*int32 for 3 and 4, *uint64/*int64)
//	f, d   *float32, *float64
//	b      raw bytes: a []byte (nil to discard) and an int count
//	G      a line: a []byte, read up to a newline, NUL-terminated
//	p      seek to an absolute offset (int or int64)
//	j      skip (int or int64, truncated to 32 bits as libsndfile does)
//
// A value that cannot be read completely reads as zero; once the cache
// refuses to grow, the rest of the call is ignored and the destinations
// keep their values.
func (h *HeaderReader) Readf(format string, args ...any) int {
	var scratch [16]byte // one per call, as in libsndfile: a short read leaves an earlier value in it
	count := 0
	ai := 0
	next := func() any {
		if ai >= len(args) {
			return nil
		}
		a := args[ai]
		ai++
		return a
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if h.dead || (h.indx+16 >= len(h.buf) && h.bump(16)) {
			h.dead = true
			break
		}
		switch c {
		case 'e':
			h.big = false
		case 'E':
			h.big = true
		case 'm':
			var b [4]byte
			count += h.read(b[:], 4)
			setUint(next(), uint64(binary.BigEndian.Uint32(b[:])))
		case '1':
			var b [1]byte
			count += h.read(b[:], 1)
			setUint(next(), uint64(b[0]))
		case '2':
			var b [2]byte
			count += h.read(b[:], 2)
			if h.big {
				setUint(next(), uint64(binary.BigEndian.Uint16(b[:])))
			} else {
				setUint(next(), uint64(binary.LittleEndian.Uint16(b[:])))
			}
		case '3':
			count += h.read(scratch[:3], 3)
			var v uint32
			if h.big {
				v = uint32(scratch[0])<<16 | uint32(scratch[1])<<8 | uint32(scratch[2])
			} else {
				v = uint32(scratch[2])<<16 | uint32(scratch[1])<<8 | uint32(scratch[0])
			}
			setUint(next(), uint64(v))
		case '4':
			var b [4]byte
			count += h.read(b[:], 4)
			if h.big {
				setUint(next(), uint64(binary.BigEndian.Uint32(b[:])))
			} else {
				setUint(next(), uint64(binary.LittleEndian.Uint32(b[:])))
			}
		case '8':
			count += h.read(scratch[:8], 8)
			if h.big {
				setUint(next(), binary.BigEndian.Uint64(scratch[:8]))
			} else {
				setUint(next(), binary.LittleEndian.Uint64(scratch[:8]))
			}
		case 'f':
			var b [4]byte
			count += h.read(b[:], 4)
			if p, ok := next().(*float32); ok {
				*p = Float32Read(b[:], h.big)
			}
		case 'd':
			var b [8]byte
			count += h.read(b[:], 8)
			if p, ok := next().(*float64); ok {
				*p = Double64Read(b[:], h.big)
			}
		case 'b':
			dst, _ := next().([]byte)
			n := toInt(next())
			if dst != nil {
				clear(dst[:min(max(n, 0), len(dst))])
			}
			count += h.read(dst, n)
		case 'G':
			dst, _ := next().([]byte)
			clear(dst)
			if h.indx+len(dst) >= len(h.buf) && h.bump(int64(len(dst))) {
				break
			}
			count += h.gets(dst)
		case 'p':
			n := int64(int32(toInt64(next())))
			h.seekSet(n)
			count = int(n)
		case 'j':
			n := int64(int32(toInt64(next())))
			h.seekCur(n)
			count += int(n)
		}
	}
	return count
}

func setUint(p any, v uint64) {
	switch p := p.(type) {
	case *uint8:
		*p = uint8(v)
	case *int8:
		*p = int8(v)
	case *uint16:
		*p = uint16(v)
	case *int16:
		*p = int16(v)
	case *uint32:
		*p = uint32(v)
	case *int32:
		*p = int32(v)
	case *uint64:
		*p = v
	case *int64:
		*p = int64(v)
	}
}

func toInt64(a any) int64 {
	switch v := a.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	case int32:
		return int64(v)
	case uint32:
		return int64(v)
	case uint64:
		return int64(v)
	}
	return 0
}

func toInt(a any) int { return int(int32(toInt64(a))) }
