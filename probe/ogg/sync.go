package ogg

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
)

// This file reproduces libogg 1.3.5's page synchronisation (ogg_sync_state,
// ogg_sync_pageseek) as libsndfile's ogg_sync_next_page drives it: the
// input is read in 2048-byte steps into a buffer, a page is returned only
// when it is complete and its checksum matches, and anything else — a bad
// checksum, garbage between pages — loses sync: the search resumes at the
// next 'O' after the failed capture. The server therefore skips a damaged
// page silently, and a page header whose lengths run past the end of the
// file hides everything after it.
//
// github.com/pion/webrtc/v4/pkg/media/oggreader (v4.2.26, in go.mod) was
// weighed for this and cannot stand in for it: its ParseNextPage reads an
// io.Reader front to back, so the file's end cannot be read without reading
// everything before it; it checks the "OggS" capture only on the first page
// and, on a checksum mismatch, returns errChecksumMismatch after consuming
// the page, where libogg resumes the search one byte after the failed
// capture (which matters when a page's length bytes are the damaged ones);
// it allocates three new slices for every page; and its OpusHead check
// wants a header type of exactly 0x02 and refuses channel mapping family 3,
// which libsndfile accepts.
//
// The buffer itself is reproduced, not only the positions: libogg moves
// the unread bytes to its front before every read and grows it by its own
// rule, and a page (ogg_page) is a pair of pointers into it. libsndfile
// keeps consulting its current page after later reads have refilled the
// buffer under it (the end-of-stream flag after a seek), so what those
// pointers then see is part of the behaviour. Of a file held in memory
// whole, the buffer is not written but described (spans.go): what it holds
// from 0 to the fill is always the file's bytes before the file position,
// and what lies beyond the fill is what earlier reads left there.

const (
	syncReadSize  = 2048  // OGG_SYNC_READ_SIZE: bytes read per refill
	pageHeaderLen = 27    // fixed part of a page header
	maxPageSize   = 65307 // 27 + 255 + 255*255
	// A file of up to cacheSize bytes is read in one go (the search for
	// the last page reads the last 64 KiB anyway); larger ones in blocks,
	// small for the header, large for a full read.
	headBlock = 16 << 10
	fullBlock = 64 << 10
)

// page is libogg's ogg_page: where a page's header and body are in the
// sync buffer, and their lengths.
type page struct {
	s    *syncReader
	hdr  int // offset of the header in the sync buffer
	hlen int
	blen int
	off  int64 // where the page was found in the file
}

func (p *page) valid() bool { return p.s != nil && p.hlen >= pageHeaderLen }

// raw is the page's bytes as the buffer holds them now (valid until the
// next raw or body: a page the buffer no longer holds where the file's
// bytes are is put together in a scratch buffer).
func (p *page) raw() []byte  { return p.s.bytesAt(p.hdr, p.hdr+p.hlen+p.blen) }
func (p *page) body() []byte { return p.raw()[p.hlen:] }
func (p *page) size() int    { return p.hlen + p.blen }
func (p *page) flag(bit byte) bool {
	return p.valid() && p.s.at(p.hdr+5)&bit != 0
}
func (p *page) bos() bool      { return p.flag(0x02) }
func (p *page) eos() bool      { return p.flag(0x04) }
func (p *page) granule() int64 { return int64(p.s.u64(p.hdr + 6)) }
func (p *page) serial() int32  { return int32(p.s.u32(p.hdr + 14)) }
func (p *page) segments() int  { return int(p.s.at(p.hdr + 26)) }

// fileOffset is where the page's bytes are in the file when the buffer
// holds them as the file does (they are before the fill) and the file is
// in memory whole.
func (p *page) fileOffset() (int64, bool) {
	s := p.s
	if s.whole == nil || p.hdr+p.hlen+p.blen > s.fill {
		return 0, false
	}
	return s.pos - int64(s.fill-p.hdr), true
}

// packets is ogg_page_packets: how many packets end on the page, the
// lacing values below 255 (counted eight at a time: seeks ask it of every
// page they pass).
func (p *page) packets() int {
	l := p.s.bytesAt(p.hdr+pageHeaderLen, p.hdr+pageHeaderLen+p.segments())
	n := len(l)
	const low7 = 0x7f7f7f7f7f7f7f7f
	for len(l) >= 8 {
		x := ^binary.LittleEndian.Uint64(l) // a byte of 255 is now zero
		zero := ^((x&low7 + low7) | x | low7)
		n -= bits.OnesCount64(zero)
		l = l[8:]
	}
	for _, v := range l {
		if v == 255 {
			n--
		}
	}
	return n
}

// endsContinued is libsndfile's ogg_page_continues: the last lacing value
// is 255, so the page's last packet goes on in the next page. (With no
// segments it reads the segment count byte itself, as libsndfile does.)
func (p *page) endsContinued() bool { return p.s.at(p.hdr+pageHeaderLen+p.segments()-1) == 255 }

// scanStats records what the page search met, for warnings. Junk is
// counted once per file region as the search first passes it; each page
// whose checksum fails is kept once, by offset, however often seeks pass
// over it.
type scanStats struct {
	reach      int64 // furthest file position the junk count has passed
	junkBytes  int64 // bytes skipped that did not start a page
	firstJunk  int64
	recordFrom int64 // only count events at or after this offset
	// the extent of the last bad page met: skipping the rest of its body
	// is not junk
	badStart, badEnd int64

	bad     []badPage // pages whose checksum failed, in the order met
	badMore int       // sightings past maxBadPages, not told apart
	// codec, when set, says how many frames a page's packets would have
	// given the server (-1 when it is not a page of the stream).
	codec interface{ pageFrames(pg []byte) int64 }
}

// badPage is a page capture whose checksum failed.
type badPage struct {
	off    int64
	frames int64 // what framesOf said, -1 when unknown
}

// maxBadPages bounds the pages recorded one by one.
const maxBadPages = 64

// noteBad records the failed capture pg found at file offset at.
func (st *scanStats) noteBad(at int64, pg []byte) {
	st.badStart, st.badEnd = at, at+int64(len(pg))
	if at < st.recordFrom {
		return
	}
	for _, b := range st.bad {
		if b.off == at {
			return
		}
	}
	if len(st.bad) == maxBadPages {
		st.badMore++
		return
	}
	frames := int64(-1)
	if st.codec != nil {
		frames = st.codec.pageFrames(pg)
	}
	st.bad = append(st.bad, badPage{off: at, frames: frames})
}

// badPages is how many of the bad pages recorded from the from-th on lie
// at or after recordFrom, and the offset of the first.
func (st *scanStats) badPages(from int) (n int, first int64) {
	first = -1
	for _, b := range st.bad[min(from, len(st.bad)):] {
		if b.off >= st.recordFrom {
			n++
			if first < 0 || b.off < first {
				first = b.off
			}
		}
	}
	if from <= len(st.bad) {
		n += st.badMore
	}
	return n, first
}

// badBetween tells whether a bad page starts in [from, to).
func (st *scanStats) badBetween(from, to int64) bool {
	for _, b := range st.bad {
		if b.off >= from && b.off < to {
			return true
		}
	}
	return false
}

// framesAfter is what the bad pages of the stream after offset would
// have given.
func (st *scanStats) framesAfter(off int64) int64 {
	var n int64
	for _, b := range st.bad {
		if b.off > off && b.frames > 0 {
			n += b.frames
		}
	}
	return n
}

// fileCache serves the input in blocks, so that 2048-byte refills do not
// each become a read of the input. A file up to `whole` bytes is read in
// one go.
type fileCache struct {
	r     io.ReaderAt
	size  int64
	whole int64
	block int64
	buf   []byte
	bufp  *[]byte // buf's pool entry, for a block of a larger file
	off   int64
	// store holds a whole file of up to `whole` bytes; it stays with the
	// cache (and its fileState), so that the full read after the header
	// reads finds the file already read.
	store []byte
}

// all is the whole file, of up to `whole` bytes, read if it is not yet.
func (c *fileCache) all() []byte {
	if !c.holdsAll() {
		c.load(0)
	}
	return c.buf
}

// release gives the cache's buffer back; the cache reloads what it needs.
func (c *fileCache) release() {
	putCacheBuf(c.bufp)
	c.buf, c.bufp, c.off = nil, nil, 0
}

// holdsAll tells whether the whole file is in the cache.
func (c *fileCache) holdsAll() bool {
	return c.off == 0 && c.buf != nil && int64(len(c.buf)) == c.size
}

func (c *fileCache) read(dst []byte, off int64) int {
	n := 0
	for n < len(dst) && off < c.size {
		if off < c.off || off >= c.off+int64(len(c.buf)) {
			c.load(off)
		}
		k := copy(dst[n:], c.buf[off-c.off:])
		n += k
		off += int64(k)
	}
	return n
}

func (c *fileCache) load(off int64) {
	start, want := int64(0), c.size
	if c.size > c.whole {
		start = off - off%c.block
		want = min(c.block, c.size-start)
	}
	switch {
	case c.size <= c.whole:
		if int64(cap(c.store)) < want {
			c.store = make([]byte, want)
		}
		putCacheBuf(c.bufp)
		c.buf, c.bufp = c.store[:want], nil
	case c.buf == nil || cap(c.buf) < int(want):
		putCacheBuf(c.bufp)
		c.buf, c.bufp = getCacheBuf(int(want))
	}
	c.buf = c.buf[:want]
	m, _ := c.r.ReadAt(c.buf, start)
	clear(c.buf[m:])
	c.off = start
}

// syncReader is libogg's ogg_sync_state plus the file position.
type syncReader struct {
	src      *fileCache
	size     int64
	pos      int64  // file position (psf_ftell)
	mem      []byte // libogg's buffer, as far as it has been written
	fill     int
	returned int
	// the sizes of the page at returned, once its header is in (libogg's
	// headerbytes and bodybytes: a page is sized once, not at every read
	// that adds to it)
	headerBytes, bodyBytes int

	// In place, mem is not written: whole is the file, mem[0:fill] is
	// whole[pos-fill:pos], and stale describes mem beyond the fill (as far
	// as memLen, mem's length), where earlier reads left bytes.
	inPlace bool
	whole   []byte
	stale   spanMap
	memLen  int
	scratch []byte

	stats   *scanStats
	checked *checkCache // may be nil
	// work counts buffer refills, to bound a read that libsndfile would
	// never finish.
	work int64
}

// newSyncReader is a sync reader of its own, for tests.
func newSyncReader(r io.ReaderAt, size int64) *syncReader {
	return &syncReader{src: &fileCache{r: r, size: size, whole: cacheSize, block: headBlock}, size: size}
}

// rebind makes the reader read r, the same input, from now on, for a full
// read: a small file the header reads read whole is not read again.
func (s *syncReader) rebind(r io.ReaderAt) {
	if s.src.holdsAll() {
		s.src.r = r
		return
	}
	s.src.release()
	*s.src = fileCache{r: r, size: s.size, whole: cacheSize, block: fullBlock, store: s.src.store}
}

// tell is ogg_sync_ftell: the file offset just after the last page
// returned (or the bytes skipped).
func (s *syncReader) tell() int64 { return s.pos + int64(s.returned-s.fill) }

// fileOff is the file offset of buffer position i.
func (s *syncReader) fileOff(i int) int64 { return s.pos - int64(s.fill-i) }

// seek is ogg_sync_fseek's effect on the buffer: new file position, empty
// buffer (its bytes stay in memory).
func (s *syncReader) seek(off int64) {
	if s.inPlace && s.fill > 0 {
		s.leave(0, s.fill, 0)
	}
	s.pos = off
	s.fill, s.returned = 0, 0
	s.headerBytes, s.bodyBytes = 0, 0
}

// leave records that buffer positions [a, b), which hold file bytes as
// the unread part of the buffer does now, are left behind the fill
// (which becomes floor or more).
func (s *syncReader) leave(a, b, floor int) {
	s.stale.set(a, b, s.pos-int64(s.fill-a), floor)
	if s.stale.full() {
		s.writeOut()
	}
}

// writeOut puts the buffer's bytes into mem and leaves the in-place mode.
func (s *syncReader) writeOut() {
	m := growZeroed(s.mem[:0], s.memLen)
	s.stale.read(s.whole, m, 0)
	copy(m, s.whole[s.pos-int64(s.fill):s.pos])
	s.mem, s.inPlace = m, false
	s.stale.reset()
}

// at is mem[i].
func (s *syncReader) at(i int) byte {
	switch {
	case !s.inPlace:
		return s.mem[i]
	case i < s.fill:
		return s.whole[s.pos-int64(s.fill-i)]
	}
	return s.stale.at(s.whole, i)
}

// u32 and u64 read little-endian numbers from mem.
func (s *syncReader) u32(i int) uint32 {
	if !s.inPlace {
		return binary.LittleEndian.Uint32(s.mem[i:])
	}
	if i+4 <= s.fill {
		return binary.LittleEndian.Uint32(s.whole[s.pos-int64(s.fill-i):])
	}
	return uint32(s.at(i)) | uint32(s.at(i+1))<<8 | uint32(s.at(i+2))<<16 | uint32(s.at(i+3))<<24
}

func (s *syncReader) u64(i int) uint64 {
	if !s.inPlace {
		return binary.LittleEndian.Uint64(s.mem[i:])
	}
	if i+8 <= s.fill {
		return binary.LittleEndian.Uint64(s.whole[s.pos-int64(s.fill-i):])
	}
	return uint64(s.u32(i)) | uint64(s.u32(i+4))<<32
}

// bytesAt is mem[a:b], in place put together in scratch (valid until the
// next call) when it is not all before the fill.
func (s *syncReader) bytesAt(a, b int) []byte {
	if !s.inPlace {
		return s.mem[a:b]
	}
	base := s.pos - int64(s.fill)
	if b <= s.fill {
		return s.whole[base+int64(a) : base+int64(b)]
	}
	if cap(s.scratch) < b-a {
		s.scratch = make([]byte, b-a)
	}
	dst := s.scratch[:b-a]
	s.stale.read(s.whole, dst, a)
	if a < s.fill {
		copy(dst, s.whole[base+int64(a):s.pos])
	}
	return dst
}

// unread is the part of the buffer not yet returned.
func (s *syncReader) unread() []byte {
	if s.inPlace {
		return s.whole[s.pos-int64(s.fill-s.returned) : s.pos]
	}
	return s.mem[s.returned:s.fill]
}

// buffer is ogg_sync_buffer: move the unread bytes to the front and make
// room for size more. libogg's storage is grown only as far as bytes are
// written: what lies beyond was never written and reads as zero.
func (s *syncReader) buffer(size int) {
	if s.returned > 0 {
		s.fill -= s.returned
		if s.fill > 0 {
			copy(s.mem, s.mem[s.returned:s.returned+s.fill])
		}
		s.returned = 0
	}
	if s.fill+size > len(s.mem) {
		s.mem = growZeroed(s.mem, s.fill+size)
	}
}

// readInto is psf_fread into the buffer followed by ogg_sync_wrote.
func (s *syncReader) readInto(n int) int {
	if s.inPlace {
		return s.readInPlace(n)
	}
	s.buffer(n)
	got := s.src.read(s.mem[s.fill:s.fill+n], s.pos)
	s.pos += int64(got)
	s.fill += got
	s.work++
	return got
}

// readInPlace is readInto on the file in memory: buffer's move of the
// unread bytes to the front and the read after them change only what
// mem[0:fill] stands for; what the move leaves behind, past the new fill,
// is recorded.
func (s *syncReader) readInPlace(n int) int {
	if s.whole == nil {
		s.whole = s.src.all()
	}
	got := 0
	if s.pos >= 0 && s.pos < s.size {
		got = int(min(int64(n), s.size-s.pos))
	}
	if s.returned > 0 {
		keep := s.fill - s.returned
		if from := keep + got; from < s.fill {
			s.leave(from, s.fill, from)
		}
		if !s.inPlace {
			// Too fragmented: the buffer was written out as it stands;
			// read into it.
			return s.readInto(n)
		}
		s.fill, s.returned = keep, 0
	}
	s.memLen = max(s.memLen, s.fill+n)
	s.pos += int64(got)
	s.fill += got
	s.work++
	return got
}

// pageseek is ogg_sync_pageseek: a page (its size, > 0), nothing yet
// (0: more data needed), or a failed capture (minus the bytes skipped).
func (s *syncReader) pageseek(pg *page) int {
	avail := s.fill - s.returned
	hlen, blen := s.headerBytes, s.bodyBytes
	if hlen == 0 {
		if avail < pageHeaderLen {
			return 0
		}
		p := s.unread()
		if string(p[:4]) != "OggS" {
			return s.lose(false)
		}
		hlen = pageHeaderLen + int(p[26])
		if avail < hlen {
			return 0
		}
		blen = lacingSum(p[pageHeaderLen:hlen])
		s.headerBytes, s.bodyBytes = hlen, blen
	}
	if hlen+blen > avail {
		return 0
	}
	s.headerBytes, s.bodyBytes = 0, 0
	p := s.unread()
	if !s.checksumOK(p[:hlen+blen]) {
		if s.stats != nil {
			s.stats.noteBad(s.fileOff(s.returned), p[:hlen+blen])
		}
		return s.lose(true)
	}
	*pg = page{s: s, hdr: s.returned, hlen: hlen, blen: blen, off: s.fileOff(s.returned)}
	s.returned += hlen + blen
	s.note()
	return hlen + blen
}

// lacingSum is the sum of a page's lacing values, its body size, added
// eight at a time (pages are sized again each time a read adds to an
// incomplete one, and each time a seek passes them).
func lacingSum(l []byte) int {
	const lanes = 0x00ff00ff00ff00ff
	sum := 0
	for len(l) >= 8 {
		x := binary.LittleEndian.Uint64(l)
		x = x&lanes + x>>8&lanes                 // four 16-bit sums of two bytes
		sum += int(x * 0x0001000100010001 >> 48) // their sum, in the top lane
		l = l[8:]
	}
	for _, v := range l {
		sum += int(v)
	}
	return sum
}

// checksumOK checks the page at the cursor, once per page.
func (s *syncReader) checksumOK(pg []byte) bool {
	at := s.fileOff(s.returned)
	if s.checked != nil {
		if ok, known := s.checked.lookup(at, len(pg)); known {
			return ok
		}
	}
	ok := pageChecksum(pg) == binary.LittleEndian.Uint32(pg[22:26])
	if s.checked != nil {
		s.checked.store(at, len(pg), ok)
	}
	return ok
}

// lose resumes the search at the next 'O' after the failed capture, or at
// the end of the buffered data.
func (s *syncReader) lose(badChecksum bool) int {
	s.headerBytes, s.bodyBytes = 0, 0
	from := s.returned
	next := s.fill
	if i := bytes.IndexByte(s.unread()[1:], 'O'); i >= 0 {
		next = from + 1 + i
	}
	if st := s.stats; st != nil && !badChecksum {
		at, end := s.fileOff(from), s.fileOff(next)
		if at > st.badStart && at < st.badEnd {
			at = st.badEnd // the rest of a bad page is not junk
		}
		if at < end && at >= st.reach && at >= st.recordFrom {
			if st.junkBytes == 0 {
				st.firstJunk = at
			}
			st.junkBytes += end - at
		}
	}
	s.returned = next
	s.note()
	return -(next - from)
}

func (s *syncReader) note() {
	if s.stats != nil {
		s.stats.reach = max(s.stats.reach, s.tell())
	}
}

// nextPage is libsndfile's ogg_sync_next_page. readmax bounds the bytes
// that may be skipped looking for a page (> 0), or allows only what is
// buffered (0), or nothing bounds it (< 0). It returns the page size, or 0
// when there is no page (end of file, or the bound was reached). When
// offset is not nil it is advanced by the bytes skipped before the page.
func (s *syncReader) nextPage(pg *page, readmax int64, offset *int64) int {
	var position int64
	for readmax <= 0 || readmax > position {
		synced := s.pageseek(pg)
		if synced < 0 {
			position -= int64(synced)
			continue
		}
		if synced > 0 {
			if offset != nil {
				*offset += position
			}
			return synced
		}
		if readmax == 0 {
			return 0
		}
		nb := int64(syncReadSize)
		if readmax > 0 {
			nb = min(nb, readmax-position)
		}
		if s.readInto(int(nb)) == 0 {
			return 0
		}
	}
	return 0
}
