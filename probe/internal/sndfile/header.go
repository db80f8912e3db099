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
// (and the file position still moves). When the cache cannot grow any
// more, the rest of a psf_binheader_readf call is ignored and leaves its
// destinations unchanged.
//
// The file itself behaves like python-soundfile's virtual I/O over a
// BytesIO: reads past the end return nothing, seeks past the end succeed,
// relative seeks before the start stop at 0, and a seek BytesIO refuses
// leaves the position where it was.
//
// The cache's bytes are not stored. Its length, index and end are kept as
// libsndfile keeps them, with a record of which file bytes each read into
// it copied where; a value is read back from the file when a parser asks
// for it. So a chunk body that libsndfile reads into its cache to skip it
// is not read here, and memory stays small whatever the sizes in the file
// say.
type HeaderReader struct {
	headerState
	// fillBuf backs fills: a header takes one or two fills, and a header
	// check of a small file should not allocate for them.
	fillBuf [4]cacheFill
	// A read-ahead window over r, so that field-by-field reads do not each
	// reach it; its bytes count only from winOff for winLen.
	win [256]byte
}

// headerState is what a reader starts each input with afresh; fillBuf and
// win are memory it keeps (reset does not clear their 352 bytes for every
// input).
type headerState struct {
	r    io.ReaderAt
	size int64
	pos  int64 // file position (psf_ftell)

	len   int64       // psf->header.len: what the cache holds before it must grow
	indx  int64       // psf->header.indx: next byte to hand out
	end   int64       // psf->header.end: bytes held
	fills []cacheFill // every read into the cache, oldest first
	big   bool        // multi-byte values are big-endian (psf->rwf_endian)

	fileOffset int64 // psf->fileoffset

	winOff int64
	winLen int
}

// cacheFill records that cache bytes [at, at+n) were copied from file bytes
// [off, off+n). A later fill of the same cache bytes replaces them. Bytes
// past the cache's end keep what was last copied there (as libsndfile's
// buffer does when it is cleared or a read comes up short), which a line
// read at the end of the file can hand out.
type cacheFill struct{ at, off, n int64 }

// newHeaderReader starts reading r, of the given size, at offset 0 with an
// empty cache. Formats start with Open.
func newHeaderReader(r io.ReaderAt, size int64) *HeaderReader {
	h := new(HeaderReader)
	h.reset(r, size)
	return h
}

// Release drops what the reader refers to (the input), for a reader kept
// for reuse.
func (h *HeaderReader) Release() { h.reset(nil, 0) }

func (h *HeaderReader) reset(r io.ReaderAt, size int64) {
	h.headerState = headerState{r: r, size: size, len: initialHeaderSize, winOff: -1}
	h.fills = h.fillBuf[:0]
}

// Open starts reading an input the way sf_open hands it to a format's
// reader. Behind ID3v2 tags (r is then the part after them, see Embedded)
// it reads the whole input, as libsndfile does through python-soundfile's
// virtual I/O, which ignores libsndfile's file offset. It repeats what
// sf_open reads first (guess_file_type and id3_skip in src/sndfile.c and
// src/id3.c): 12 bytes through the cache and, for every tag, the tag's
// header and a seek past it that leaves the cache empty, so that the
// format's reader starts with the cache and the file position libsndfile
// leaves it.
func Open(r io.ReaderAt, size int64) *HeaderReader {
	return OpenIn(new(HeaderReader), r, size)
}

// OpenIn is Open in a HeaderReader the caller holds (and may reuse: a
// header check of a small file should not fault in a fresh page for it).
func OpenIn(h *HeaderReader, r io.ReaderAt, size int64) *HeaderReader {
	if outer, _, total, ok := Embedded(r); ok {
		r, size = outer, total
	}
	h.reset(r, size)
	var b [12]byte
	h.Readf("b", b[:], 12)
	for b[0] == 'I' && b[1] == 'D' && b[2] == '3' && b[3] >= 2 && b[3] <= 4 {
		var tag [10]byte
		h.Readf("pb", 0, tag[:], 10)
		if tag[0] != 'I' || tag[1] != 'D' || tag[2] != '3' {
			break
		}
		// The size: four 7-bit groups, plus the 10 header bytes.
		n := int64(tag[6]&0x7f)<<21 | int64(tag[7]&0x7f)<<14 | int64(tag[8]&0x7f)<<7 | int64(tag[9]&0x7f) + 10
		if h.fileOffset+n >= h.size {
			break
		}
		h.Readf("p!", n)
		h.fileOffset += n
		b = [12]byte{}
		h.Readf("b", b[:], 12)
	}
	return h
}

// FileOffset is where libsndfile believes the file starts (psf->fileoffset):
// after the ID3v2 tags Open skipped, 0 when there were none.
func (h *HeaderReader) FileOffset() int64 { return h.fileOffset }

// SetBigEndian sets the byte order of later multi-byte values, as parsers
// that assign psf->rwf_endian directly do.
func (h *HeaderReader) SetBigEndian(big bool) { h.big = big }

// BigEndian reports the byte order of multi-byte values (psf->rwf_endian).
func (h *HeaderReader) BigEndian() bool { return h.big }

// Reader is the input being read.
func (h *HeaderReader) Reader() io.ReaderAt { return h.r }

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
func (h *HeaderReader) Index() int64 { return h.indx }

// ResetIndex sets psf->header.indx to 0, as wav_read_header does after its
// first read: later reads hand out the cache from its start again.
func (h *HeaderReader) ResetIndex() { h.indx = 0 }

// NextOffset is the file offset of the next byte a header read hands out:
// the file position less the cached bytes not handed out yet.
func (h *HeaderReader) NextOffset() int64 { return h.pos - (h.end - h.indx) }

// readAt copies the input's bytes at off into p and returns how many there
// were (fewer at the end of the input). It reads through the window only,
// so that p, often a small array of the caller's, stays on its stack.
func (h *HeaderReader) readAt(p []byte, off int64) int {
	if h.winOff >= 0 && off >= h.winOff && off+int64(len(p)) <= h.winOff+int64(h.winLen) {
		return copy(p, h.win[off-h.winOff:])
	}
	n := 0
	for n < len(p) {
		o := off + int64(n)
		if o < 0 || o >= h.size {
			break
		}
		if h.winOff < 0 || o < h.winOff || o >= h.winOff+int64(h.winLen) {
			m, _ := h.r.ReadAt(h.win[:min(int64(len(h.win)), h.size-o)], o)
			if m <= 0 {
				h.winOff, h.winLen = -1, 0
				break
			}
			h.winOff, h.winLen = o, m
		}
		n += copy(p[n:], h.win[o-h.winOff:h.winLen])
	}
	return n
}

// available is how many of n bytes can be read at the file position.
func (h *HeaderReader) available(n int64) int64 {
	if n <= 0 || h.pos >= h.size {
		return 0
	}
	return min(n, h.size-h.pos)
}

// FRead is psf_fread of len(p) bytes at the file position, bypassing the
// cache. It returns the number of bytes read.
func (h *HeaderReader) FRead(p []byte) int {
	p = p[:h.available(int64(len(p)))]
	var n int
	if len(p) >= len(h.win) {
		// Large reads go straight through.
		n, _ = h.r.ReadAt(p, h.pos)
		n = max(n, 0)
	} else {
		n = h.readAt(p, h.pos)
	}
	h.pos += int64(n)
	return n
}

// FSeek is psf_fseek, bypassing the cache. It returns the new position, or
// 0 when BytesIO refuses the seek (a negative absolute offset, a position
// past the largest it can hold), which leaves the position where it was.
func (h *HeaderReader) FSeek(off int64, whence int) int64 {
	const maxPos = 1<<63 - 1
	var np int64
	switch whence {
	case SeekSet:
		if off < 0 {
			return 0
		}
		np = off
	case SeekCur:
		if off > 0 && h.pos > maxPos-off {
			return 0
		}
		np = h.pos + off
	case SeekEnd:
		if off > 0 && h.size > maxPos-off {
			return 0
		}
		np = h.size + off
	default:
		return 0
	}
	h.pos = max(np, 0)
	return h.pos
}

// bump is psf_bump_header_allocation: it grows the cache for a request of
// needed bytes and reports true when the growth is refused.
func (h *HeaderReader) bump(needed int64) bool {
	newlen := 2 * h.len
	if needed > h.len {
		newlen = 2 * max(needed, initialHeaderSize)
	}
	if newlen > maxHeaderSize {
		return true
	}
	h.len = newlen
	return false
}

// fill is psf_fread into the cache at its end: up to n bytes from the file
// position. It returns how many there were; the caller decides whether the
// cache holds them (moves its end).
func (h *HeaderReader) fill(n int64) int64 {
	got := h.available(n)
	if got <= 0 {
		return 0
	}
	k := len(h.fills) - 1
	if k >= 0 && h.fills[k].at+h.fills[k].n == h.end && h.fills[k].off+h.fills[k].n == h.pos {
		h.fills[k].n += got
	} else {
		// Drop the latest fills this one covers (bytes of short reads).
		for k >= 0 && h.fills[k].at >= h.end && h.fills[k].at+h.fills[k].n <= h.end+got {
			k--
		}
		h.fills = append(h.fills[:k+1], cacheFill{at: h.end, off: h.pos, n: got})
	}
	h.pos += got
	return got
}

// cached copies the cache's bytes from at into p: those of the latest fill
// of each byte, zero where nothing was ever copied.
func (h *HeaderReader) cached(p []byte, at int64) {
	if k := len(h.fills) - 1; k >= 0 {
		// Most reads hand out what the latest fill brought in.
		c := h.fills[k]
		if at >= c.at && at+int64(len(p)) <= c.at+c.n && h.readAt(p, c.off+at-c.at) == len(p) {
			return
		}
	}
	clear(p)
	h.cachedFrom(p, at, len(h.fills))
}

// cachedFrom fills p, the cache from at, from fills[:k], latest first.
func (h *HeaderReader) cachedFrom(p []byte, at int64, k int) {
	for k > 0 && len(p) > 0 {
		k--
		c := h.fills[k]
		lo, hi := max(at, c.at), min(at+int64(len(p)), c.at+c.n)
		if lo >= hi {
			continue
		}
		h.readAt(p[lo-at:hi-at], c.off+lo-c.at)
		// What lies before lo comes from older fills; go on after hi.
		h.cachedFrom(p[:lo-at], at, k)
		p, at = p[hi-at:], hi
	}
}

// read is header_read: n bytes through the cache into dst (nil discards).
// It returns n, or the short count of a read that hit the end of the file
// (dst is then left as it was).
func (h *HeaderReader) read(dst []byte, n int64) int64 {
	if n < 0 {
		return 0
	}
	if h.indx+n >= h.len && h.bump(n) {
		return 0
	}
	if h.indx+n > h.end {
		need := n - (h.end - h.indx)
		got := h.fill(need)
		if got != need {
			return got
		}
		h.end += got
	}
	if dst != nil {
		h.cached(dst[:min(int64(len(dst)), n)], h.indx)
	}
	h.indx += n
	return n
}

// seekSet is header_seek(position, SEEK_SET).
func (h *HeaderReader) seekSet(position int64) {
	if h.indx+position >= h.len {
		h.bump(position)
	}
	if position > h.len {
		// Too far to cache: forget the cache and seek the file.
		h.indx, h.end = 0, 0
		h.FSeek(position, SeekSet)
		return
	}
	if position < 0 {
		return
	}
	if position > h.end {
		h.end += h.fill(position - h.end)
	}
	h.indx = position
}

// seekCur is header_seek(position, SEEK_CUR).
func (h *HeaderReader) seekCur(position int64) {
	if h.indx+position >= h.len {
		h.bump(position)
	}
	switch {
	case h.indx+position < 0:
	case h.indx >= h.len:
		h.FSeek(position, SeekCur)
	case h.indx+position <= h.end:
		h.indx += position
	case h.indx+position > h.len:
		// Too far to cache: skip in the file.
		position -= h.end - h.indx
		h.indx = h.end
		h.FSeek(position, SeekCur)
	default:
		h.end += h.fill(position - (h.end - h.indx))
		h.indx = h.end
	}
}

// gets is header_gets: bytes up to a newline (excluded) into dst, at most
// len(dst)-1 of them, NUL-terminated. At the end of the file it hands out,
// over and over, whatever the cache last held past its end.
func (h *HeaderReader) gets(dst []byte) int {
	bufsize := int64(len(dst))
	if bufsize == 0 || (h.indx+bufsize >= h.len && h.bump(bufsize)) {
		return 0
	}
	var b [1]byte
	k := 0
	for ; k < len(dst)-1; k++ {
		if h.indx < h.end {
			h.cached(b[:], h.indx)
			h.indx++
		} else {
			h.end += h.fill(1)
			h.cached(b[:], h.indx)
			h.indx = h.end
		}
		dst[k] = b[0]
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
//	h      16-byte identifier folded to 32 bits as W64 compares them (*uint32/*int32)
//	1 2 3 4 8   unsigned integers of that many bytes (*uint8/*int8, *uint16/*int16,
//	       *uint32/*int32 for 3 and 4, *uint64/*int64)
//	f, d   *float32, *float64
//	b      raw bytes: a []byte (nil to discard) and an int count
//	G      a line: a []byte, read up to a newline, NUL-terminated
//	p      seek to an absolute offset (int or int64)
//	j      skip (int or int64, truncated to 32 bits as libsndfile does)
//	!      empty the cache
//
// A value that cannot be read completely reads as zero; when the cache
// cannot grow before the next character, the rest of the call is ignored
// and its destinations keep their values.
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
		if h.indx+16 >= h.len && h.bump(16) {
			break
		}
		switch format[i] {
		case 'e':
			h.big = false
		case 'E':
			h.big = true
		case 'm':
			var b [4]byte
			count += int(h.read(b[:], 4))
			setUint(next(), uint64(binary.BigEndian.Uint32(b[:])))
		case 'h':
			count += int(h.read(scratch[:], 16))
			var v uint32
			for k, c := range scratch {
				v ^= uint32(c) << k
			}
			setUint(next(), uint64(v))
		case '1':
			var b [1]byte
			count += int(h.read(b[:], 1))
			setUint(next(), uint64(b[0]))
		case '2':
			var b [2]byte
			count += int(h.read(b[:], 2))
			if h.big {
				setUint(next(), uint64(binary.BigEndian.Uint16(b[:])))
			} else {
				setUint(next(), uint64(binary.LittleEndian.Uint16(b[:])))
			}
		case '3':
			count += int(h.read(scratch[:3], 3))
			var v uint32
			if h.big {
				v = uint32(scratch[0])<<16 | uint32(scratch[1])<<8 | uint32(scratch[2])
			} else {
				v = uint32(scratch[2])<<16 | uint32(scratch[1])<<8 | uint32(scratch[0])
			}
			setUint(next(), uint64(v))
		case '4':
			var b [4]byte
			count += int(h.read(b[:], 4))
			if h.big {
				setUint(next(), uint64(binary.BigEndian.Uint32(b[:])))
			} else {
				setUint(next(), uint64(binary.LittleEndian.Uint32(b[:])))
			}
		case '8':
			count += int(h.read(scratch[:8], 8))
			if h.big {
				setUint(next(), binary.BigEndian.Uint64(scratch[:8]))
			} else {
				setUint(next(), binary.LittleEndian.Uint64(scratch[:8]))
			}
		case 'f':
			var b [4]byte
			count += int(h.read(b[:], 4))
			if p, ok := next().(*float32); ok {
				*p = Float32Read(b[:], h.big)
			}
		case 'd':
			var b [8]byte
			count += int(h.read(b[:], 8))
			if p, ok := next().(*float64); ok {
				*p = Double64Read(b[:], h.big)
			}
		case 'b':
			dst, _ := next().([]byte)
			n := toInt(next())
			clear(dst[:min(max(n, 0), len(dst))])
			count += int(h.read(dst, int64(n)))
		case 'G':
			dst, _ := next().([]byte)
			clear(dst)
			if h.indx+int64(len(dst)) >= h.len && h.bump(int64(len(dst))) {
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
		case '!':
			h.indx, h.end = 0, 0
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
