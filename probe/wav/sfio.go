package wav

import "io"

// This file reproduces how libsndfile 1.2.0 reads a header when the server
// hands it the upload as an in-memory Python file (python-soundfile's
// virtual I/O over io.BytesIO). Two things about that reader decide where a
// malformed file's parse goes, so they are modelled exactly rather than
// approximated:
//
//   - The file position. BytesIO lets a seek run past the end (reads there
//     return nothing), clamps a relative seek that would go below zero to
//     zero, and refuses an absolute seek to a negative offset (the position
//     stays). libsndfile asks for the position (psf_ftell) to decide where
//     the data starts and when the header ends.
//
//   - libsndfile's header cache (psf->header). Header fields are read
//     through a buffer that only grows: every byte read or skipped through
//     it is appended, skips too large for it become real seeks, a negative
//     skip moves back inside it, and it may not grow past 100 KiB. When it
//     cannot grow, every further header read yields zeros. The W64 parser
//     even aligns chunks on the cache index rather than the file position.
//
// The cache is not stored: segments record which file bytes it holds, and
// values are read back from the file when needed, so memory stays small
// whatever the sizes in the file say.

const (
	seekSet = 0
	seekCur = 1
	seekEnd = 2

	headerInitialSize = 256        // INITIAL_HEADER_SIZE
	headerMaxSize     = 100 * 1024 // the largest cache libsndfile allows
)

// vfile is the in-memory upload as libsndfile sees it through BytesIO.
type vfile struct {
	r    io.ReaderAt
	size int64
	pos  int64

	// A small read-ahead window so that field-by-field reads do not each
	// reach the underlying reader.
	win    [1024]byte
	winOff int64
	winLen int
}

func newVFile(r io.ReaderAt, size int64) *vfile {
	return &vfile{r: r, size: size, winOff: -1}
}

// readAt copies the file bytes at off into p and returns how many there
// were (fewer at the end of the file).
func (f *vfile) readAt(p []byte, off int64) int {
	n := 0
	for n < len(p) {
		o := off + int64(n)
		if o < 0 || o >= f.size {
			break
		}
		if f.winOff < 0 || o < f.winOff || o >= f.winOff+int64(f.winLen) {
			if len(p)-n >= len(f.win) {
				// Large reads go straight through.
				m, _ := f.r.ReadAt(p[n:], o)
				if m <= 0 {
					break
				}
				n += m
				continue
			}
			m, _ := f.r.ReadAt(f.win[:], o)
			if m <= 0 {
				f.winOff, f.winLen = -1, 0
				break
			}
			f.winOff, f.winLen = o, m
		}
		n += copy(p[n:], f.win[o-f.winOff:f.winLen])
	}
	return n
}

// available returns how many of n bytes could be read at the position.
func (f *vfile) available(n int64) int64 {
	if n <= 0 || f.pos >= f.size {
		return 0
	}
	if rest := f.size - f.pos; n > rest {
		return rest
	}
	return n
}

// fread reads into p at the position and advances it (psf_fread).
func (f *vfile) fread(p []byte) int {
	n := f.readAt(p[:f.available(int64(len(p)))], f.pos)
	f.pos += int64(n)
	return n
}

// fseek moves the position as BytesIO.seek does and returns the new one
// (psf_fseek through the virtual I/O callbacks).
func (f *vfile) fseek(off int64, whence int) int64 {
	var p int64
	switch whence {
	case seekSet:
		if off < 0 {
			return 0 // BytesIO raises; the callback answers 0, the position stays
		}
		p = off
	case seekCur:
		if off > 0 && f.pos > maxInt64-off {
			return 0 // OverflowError in BytesIO
		}
		p = f.pos + off
	case seekEnd:
		if off > 0 && f.size > maxInt64-off {
			return 0
		}
		p = f.size + off
	}
	if p < 0 {
		p = 0
	}
	f.pos = p
	return p
}

const maxInt64 = 1<<63 - 1

// cacheSegment says that header cache bytes [start, start+n) are the file
// bytes [off, off+n).
type cacheSegment struct {
	start, off, n int64
}

// hdr is libsndfile's header reader (psf_binheader_readf and its cache)
// over a vfile.
type hdr struct {
	f *vfile

	indx, end, capacity int64
	segs                []cacheSegment

	bigEndian bool // psf->rwf_endian

	// State of one psf_binheader_readf call: items after a failed cache
	// growth are skipped, and 3- and 8-byte values and 16-byte hashes share
	// one scratch buffer that keeps its bytes when a read comes up short.
	aborted bool
	scratch [16]byte
	count   int64

	small [4]byte // destination of 1- to 4-byte reads (kept here so they do not allocate)
}

func newHdr(f *vfile) *hdr {
	return &hdr{f: f, capacity: headerInitialSize}
}

// grow is psf_bump_header_allocation: it reports false when the cache may
// not grow to hold needed more bytes.
func (h *hdr) grow(needed int64) bool {
	var n int64
	if needed > h.capacity {
		n = 2 * max(needed, headerInitialSize)
	} else {
		n = 2 * h.capacity
	}
	if n > headerMaxSize {
		return false
	}
	h.capacity = n
	return true
}

// appendFromFile reads up to n bytes at the file position into the cache
// and returns how many there were.
func (h *hdr) appendFromFile(n int64) int64 {
	got := h.f.available(n)
	if got > 0 {
		if k := len(h.segs) - 1; k >= 0 && h.segs[k].start+h.segs[k].n == h.end && h.segs[k].off+h.segs[k].n == h.f.pos {
			h.segs[k].n += got
		} else {
			h.segs = append(h.segs, cacheSegment{start: h.end, off: h.f.pos, n: got})
		}
		h.f.pos += got
		h.end += got
	}
	return got
}

// cached copies cache bytes [start, start+len(p)) into p.
func (h *hdr) cached(p []byte, start int64) {
	for i := range p {
		p[i] = 0
	}
	// Segments are in cache order; reads are nearly always near the end.
	k := len(h.segs) - 1
	for k >= 0 && h.segs[k].start > start {
		k--
	}
	if k < 0 {
		k = 0
	}
	done := int64(0)
	for ; k < len(h.segs) && done < int64(len(p)); k++ {
		s := h.segs[k]
		at := start + done
		if at < s.start || at >= s.start+s.n {
			if at >= s.start+s.n {
				continue
			}
			break // a hole cannot happen: the cache is filled contiguously
		}
		m := min(s.start+s.n-at, int64(len(p))-done)
		h.f.readAt(p[done:done+m], s.off+(at-s.start))
		done += m
	}
}

// read is header_read: it fills p from the cache, reading what is missing
// from the file, and returns the byte count it reports. On a short read p is
// left untouched.
func (h *hdr) read(p []byte) int64 {
	n := int64(len(p))
	if h.indx+n >= h.capacity && !h.grow(n) {
		return 0
	}
	if h.indx+n > h.end {
		need := n - (h.end - h.indx)
		got := h.f.available(need)
		if got != need {
			// The bytes are consumed from the file but not kept.
			h.f.pos += got
			return got
		}
		h.appendFromFile(need)
	}
	h.cached(p, h.indx)
	h.indx += n
	return n
}

// seekCur is header_seek(SEEK_CUR).
func (h *hdr) seekCur(pos int64) {
	if h.indx+pos >= h.capacity {
		h.grow(pos)
	}
	if h.indx+pos < 0 {
		return
	}
	if h.indx >= h.capacity {
		h.f.fseek(pos, seekCur)
		return
	}
	if h.indx+pos <= h.end {
		h.indx += pos
		return
	}
	if h.indx+pos > h.capacity {
		// Too far to cache: a real seek from the file position.
		pos -= h.end - h.indx
		h.indx = h.end
		h.f.fseek(pos, seekCur)
		return
	}
	h.appendFromFile(pos - (h.end - h.indx))
	h.indx = h.end
}

// seekSet is header_seek(SEEK_SET).
func (h *hdr) seekSet(pos int64) {
	if h.indx+pos >= h.capacity {
		h.grow(pos)
	}
	if pos > h.capacity {
		h.indx, h.end = 0, 0
		h.segs = h.segs[:0]
		h.f.fseek(pos, seekSet)
		return
	}
	if pos > h.end {
		h.appendFromFile(pos - h.end)
	}
	h.indx = pos
}

// begin starts one psf_binheader_readf call; done returns its byte count.
func (h *hdr) begin() {
	h.aborted = false
	h.scratch = [16]byte{}
	h.count = 0
}

func (h *hdr) done() int64 { return h.count }

// item is the check psf_binheader_readf makes before every conversion:
// when the cache is nearly full and may not grow, the call stops there.
func (h *hdr) item() bool {
	if h.aborted {
		return false
	}
	if h.indx+16 >= h.capacity && !h.grow(16) {
		h.aborted = true
		return false
	}
	return true
}

// le switches all later reads to little-endian ('e').
func (h *hdr) le() {
	if h.item() {
		h.bigEndian = false
	}
}

// marker reads four bytes as a chunk identifier ('m'); 0 when short.
func (h *hdr) marker() uint32 {
	if !h.item() {
		return 0
	}
	b := h.small[:4]
	n := h.read(b)
	h.count += n
	if n != 4 {
		return 0
	}
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// u8 reads one byte ('1'); 0 when short.
func (h *hdr) u8() uint8 {
	if !h.item() {
		return 0
	}
	b := h.small[:1]
	n := h.read(b)
	h.count += n
	if n != 1 {
		return 0
	}
	return b[0]
}

// u16 reads a 2-byte value in the current byte order ('2'); 0 when short.
func (h *hdr) u16() uint16 {
	if !h.item() {
		return 0
	}
	b := h.small[:2]
	n := h.read(b)
	h.count += n
	if n != 2 {
		return 0
	}
	if h.bigEndian {
		return uint16(b[0])<<8 | uint16(b[1])
	}
	return uint16(b[1])<<8 | uint16(b[0])
}

// u32 reads a 4-byte value in the current byte order ('4'); 0 when short.
func (h *hdr) u32() uint32 {
	if !h.item() {
		return 0
	}
	b := h.small[:4]
	n := h.read(b)
	h.count += n
	if n != 4 {
		return 0
	}
	return h.order32(b)
}

func (h *hdr) order32(b []byte) uint32 {
	if h.bigEndian {
		return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	return uint32(b[3])<<24 | uint32(b[2])<<16 | uint32(b[1])<<8 | uint32(b[0])
}

// u64 reads an 8-byte value ('8') through the shared scratch buffer: when
// the read is short, the value is made of whatever the scratch held.
func (h *hdr) u64() int64 {
	if !h.item() {
		return 0
	}
	n := h.read(h.scratch[:8])
	h.count += n
	b := h.scratch[:8]
	var v uint64
	if h.bigEndian {
		for i := 0; i < 8; i++ {
			v = v<<8 | uint64(b[i])
		}
	} else {
		for i := 7; i >= 0; i-- {
			v = v<<8 | uint64(b[i])
		}
	}
	return int64(v)
}

// hash16 reads a 16-byte GUID and folds it into an int the way the W64
// reader compares markers ('h').
func (h *hdr) hash16() int32 {
	if !h.item() {
		return 0
	}
	n := h.read(h.scratch[:16])
	h.count += n
	return foldGUID(h.scratch[:16])
}

func foldGUID(b []byte) int32 {
	var v uint32
	for k := 0; k < 16; k++ {
		v ^= uint32(b[k]) << k
	}
	return int32(v)
}

// bytes reads n bytes ('b'); into p when p is not nil (p must hold n).
func (h *hdr) bytes(n int, p []byte) {
	if !h.item() || n <= 0 {
		return
	}
	if p == nil {
		// The content is not needed: account for the read without keeping it.
		got := h.skipRead(int64(n))
		h.count += got
		return
	}
	for i := range p[:n] {
		p[i] = 0
	}
	h.count += h.read(p[:n])
}

// skipRead is read without a destination.
func (h *hdr) skipRead(n int64) int64 {
	if h.indx+n >= h.capacity && !h.grow(n) {
		return 0
	}
	if h.indx+n > h.end {
		need := n - (h.end - h.indx)
		got := h.f.available(need)
		if got != need {
			h.f.pos += got
			return got
		}
		h.appendFromFile(need)
	}
	h.indx += n
	return n
}

// jump skips n bytes, backwards when negative ('j'). libsndfile passes the
// count through an int, so callers give the 32-bit value they computed.
func (h *hdr) jump(n int32) {
	if !h.item() {
		return
	}
	h.seekCur(int64(n))
	h.count += int64(n)
}

// seekTo moves to an absolute position ('p').
func (h *hdr) seekTo(pos int32) {
	if !h.item() {
		return
	}
	h.seekSet(int64(pos))
	h.count = int64(pos)
}

// clear empties the cache ('!').
func (h *hdr) clear() {
	if h.item() {
		h.indx, h.end = 0, 0
		h.segs = h.segs[:0]
	}
}

// at is the position of the next byte the parse consumes: the file
// position less the cached bytes not consumed yet.
func (h *hdr) at() int64 { return h.f.pos - (h.end - h.indx) }

// ftell is the file position (psf_ftell), which runs ahead of the parse
// when the cache holds bytes not yet consumed.
func (h *hdr) ftell() int64 { return h.f.pos }
