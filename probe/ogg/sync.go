package ogg

import (
	"bytes"
	"encoding/binary"
	"io"
	"sync"
)

// This file reproduces libogg 1.3.5's page synchronisation
// (ogg_sync_pageseek) as libsndfile's ogg_sync_next_page drives it: the
// input is read in 2048-byte steps into a buffer, a page is returned only
// when it is complete and its checksum matches, and anything else — a bad
// checksum, garbage between pages — loses sync: the search resumes at the
// next 'O' after the failed capture. The server therefore skips a damaged
// page silently, and a page whose length fields run past the end of the
// file hides everything after it.
//
// The buffer is modelled by two file offsets, cursor (where the next search
// starts: libogg's "returned") and fill (how far the file has been read
// since the last seek). What libsndfile does depends on fill, not only on
// where pages are: a search limited to the bytes already buffered
// (readmax 0) finds a page only if it was read in full.

const (
	syncReadSize  = 2048  // OGG_SYNC_READ_SIZE: bytes read per refill
	pageHeaderLen = 27    // fixed part of a page header
	maxPageSize   = 65307 // 27 + 255 + 255*255
	windowCap     = 192 << 10
	readChunk     = 32 << 10
)

// page is one complete, checksum-verified page (libogg's ogg_page). It owns
// a copy of its bytes so that it stays valid whatever the buffer does next.
type page struct {
	buf  []byte
	hlen int
	blen int
	off  int64 // where it starts in the file
}

func (p *page) valid() bool      { return p.hlen >= pageHeaderLen }
func (p *page) header() []byte   { return p.buf[:p.hlen] }
func (p *page) body() []byte     { return p.buf[p.hlen : p.hlen+p.blen] }
func (p *page) size() int        { return p.hlen + p.blen }
func (p *page) version() byte    { return p.buf[4] }
func (p *page) continued() bool  { return p.buf[5]&0x01 != 0 }
func (p *page) bos() bool        { return p.valid() && p.buf[5]&0x02 != 0 }
func (p *page) eos() bool        { return p.valid() && p.buf[5]&0x04 != 0 }
func (p *page) granule() int64   { return int64(binary.LittleEndian.Uint64(p.buf[6:14])) }
func (p *page) serial() int32    { return int32(binary.LittleEndian.Uint32(p.buf[14:18])) }
func (p *page) segments() int    { return int(p.buf[26]) }
func (p *page) lacing(i int) int { return int(p.buf[pageHeaderLen+i]) }

// sequence is ogg_page_pageno: the 32-bit page sequence number as a
// signed value, which is how libogg compares it.
func (p *page) sequence() int64 { return int64(int32(binary.LittleEndian.Uint32(p.buf[18:22]))) }

// packets is ogg_page_packets: how many packets end on the page.
func (p *page) packets() int {
	n := 0
	for i := range p.segments() {
		if p.lacing(i) < 255 {
			n++
		}
	}
	return n
}

// endsContinued is libsndfile's ogg_page_continues: the last lacing value
// is 255, so the page's last packet goes on in the next page. (With no
// segments it reads the segment count byte itself, as libsndfile does.)
func (p *page) endsContinued() bool { return p.buf[pageHeaderLen+p.segments()-1] == 255 }

func (p *page) set(src []byte, hlen int, off int64) {
	if cap(p.buf) < len(src) {
		p.buf = make([]byte, len(src), max(len(src), 4096))
	}
	p.buf = p.buf[:len(src)]
	copy(p.buf, src)
	p.hlen = hlen
	p.blen = len(src) - hlen
	p.off = off
}

// copyFrom makes p a copy of q.
func (p *page) copyFrom(q *page) {
	if !q.valid() {
		p.hlen, p.blen = 0, 0
		return
	}
	p.set(q.buf[:q.size()], q.hlen, q.off)
}

// scanStats records what the page search met, for warnings. Each file
// region is counted once even when seeks make the search pass over it
// again.
type scanStats struct {
	reach      int64 // furthest cursor position seen
	badPages   int   // page captures whose checksum failed
	firstBad   int64
	junkBytes  int64 // bytes skipped that did not start a page
	firstJunk  int64
	truncPage  bool // a page header promised more bytes than the file has
	truncAt    int64
	recordFrom int64 // only count events at or after this offset
}

// syncReader is the sync buffer over the input.
type syncReader struct {
	r      io.ReaderAt
	size   int64
	cursor int64
	fill   int64

	win    []byte // cached file bytes [winOff, winOff+len(win))
	winOff int64
	pooled bool

	stats *scanStats
}

var windowPool = sync.Pool{New: func() any { b := make([]byte, 0, windowCap); return &b }}

func newSyncReader(r io.ReaderAt, size int64) *syncReader {
	return &syncReader{r: r, size: size}
}

// release gives the cache buffer back; the reader can still be used (it
// reloads what it needs).
func (s *syncReader) release() {
	if s.pooled {
		b := s.win[:0]
		windowPool.Put(&b)
	}
	s.win, s.pooled, s.winOff = nil, false, 0
}

// bytesAt returns the file bytes [off, off+n). n never exceeds what fits
// in the window (a maximal page plus a read step). Bytes the reader cannot
// deliver read as zeros: the caller's guarded reader reports the failure.
func (s *syncReader) bytesAt(off int64, n int) []byte {
	end := s.winOff + int64(len(s.win))
	if off >= s.winOff && off+int64(n) <= end {
		return s.win[off-s.winOff:][:n]
	}
	if s.win == nil {
		if s.size >= windowCap {
			s.win = (*windowPool.Get().(*[]byte))[:0]
			s.pooled = true
		} else {
			s.win = make([]byte, 0, int(s.size))
		}
	}
	// Keep what is already cached from off on, then read the rest.
	keep := 0
	if off >= s.winOff && off < end {
		keep = copy(s.win[:cap(s.win)], s.win[off-s.winOff:])
	}
	s.winOff = off
	want := max(n, readChunk)
	want = int(min(int64(want), int64(cap(s.win)), s.size-off))
	if want < n {
		want = n
	}
	buf := s.win[:want]
	if keep < want {
		m, _ := s.r.ReadAt(buf[keep:want], off+int64(keep))
		clear(buf[keep+m : want])
	}
	s.win = buf
	return s.win[:n]
}

// seek is ogg_sync_fseek: move the file position and empty the buffer.
func (s *syncReader) seek(off int64) {
	s.cursor, s.fill = off, off
}

// pageseek is ogg_sync_pageseek: a page (its size, > 0), nothing yet
// (0: more data needed), or a failed capture (minus the bytes skipped).
func (s *syncReader) pageseek(pg *page) int64 {
	avail := s.fill - s.cursor
	if avail < pageHeaderLen {
		return 0
	}
	h := s.bytesAt(s.cursor, pageHeaderLen)
	if string(h[:4]) != "OggS" {
		return s.lose(false)
	}
	hlen := pageHeaderLen + int(h[26])
	if avail < int64(hlen) {
		return 0
	}
	blen := 0
	for _, v := range s.bytesAt(s.cursor+pageHeaderLen, int(h[26])) {
		blen += int(v)
	}
	if int64(hlen+blen) > avail {
		if s.cursor+int64(hlen+blen) > s.size && s.stats != nil && s.cursor >= s.stats.recordFrom && !s.stats.truncPage {
			s.stats.truncPage, s.stats.truncAt = true, s.cursor
		}
		return 0
	}
	full := s.bytesAt(s.cursor, hlen+blen)
	if pageChecksum(full) != binary.LittleEndian.Uint32(full[22:26]) {
		return s.lose(true)
	}
	pg.set(full, hlen, s.cursor)
	s.cursor += int64(hlen + blen)
	s.note()
	return int64(hlen + blen)
}

// lose resumes the search at the next 'O' after the failed capture, or at
// the end of the buffered data.
func (s *syncReader) lose(badChecksum bool) int64 {
	from := s.cursor
	n := int(s.fill - from - 1)
	next := s.fill
	if i := bytes.IndexByte(s.bytesAt(from+1, n), 'O'); i >= 0 {
		next = from + 1 + int64(i)
	}
	if st := s.stats; st != nil && from >= st.reach && from >= st.recordFrom {
		if badChecksum {
			if st.badPages == 0 {
				st.firstBad = from
			}
			st.badPages++
		} else {
			if st.junkBytes == 0 {
				st.firstJunk = from
			}
			st.junkBytes += next - from
		}
	}
	s.cursor = next
	s.note()
	return -(next - from)
}

func (s *syncReader) note() {
	if s.stats != nil && s.cursor > s.stats.reach {
		s.stats.reach = s.cursor
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
			position -= synced
			continue
		}
		if synced > 0 {
			if offset != nil {
				*offset += position
			}
			return int(synced)
		}
		if readmax == 0 {
			return 0
		}
		nb := int64(syncReadSize)
		if readmax > 0 {
			nb = min(nb, readmax-position)
		}
		nb = min(nb, s.size-s.fill)
		if nb <= 0 {
			return 0
		}
		s.fill += nb
	}
	return 0
}
