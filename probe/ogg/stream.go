package ogg

import (
	"encoding/binary"
	"slices"
)

// This file reproduces libogg 1.3.5's logical stream (ogg_stream_state) on
// the decoding side: pages go in (ogg_stream_pagein), packets come out
// (ogg_stream_packetout). Its quirks decide what the server decodes after
// damage: a page whose sequence number does not follow the previous one
// drops the partial packet in progress and leaves a "hole" marker, which
// packetout reports once (-1) before the packets behind it; a continued
// packet whose beginning was lost is skipped.
//
// Packets are returned as offsets into the stream's body buffer, the way
// libogg returns pointers into it, because libsndfile keeps using packets
// from an earlier page after later pages have moved that buffer: after a
// hole followed by a page with no complete packet, it decodes a stale
// packet slot, whose pointer then reads whatever the buffer holds there.
// The buffer is therefore kept the way libogg keeps it, with bytes past
// the fill left in place (it is only allocated as far as it has been
// written: the rest was never written and reads as zero). While every page
// taken in is one the sync buffer holds where the file's bytes are, the
// buffer is not written but described (spans.go).

const (
	lacingBOS  = 0x100
	lacingEOS  = 0x200
	lacingHole = 0x400

	// Bounds on what a stream buffers for a packet that never ends. libogg
	// grows without limit; past these the stream is treated as failing to
	// take the page, as libogg does when it cannot grow.
	maxStreamBody   = 16 << 20
	maxStreamLacing = 1 << 20
)

// packet is libogg's ogg_packet: where its bytes are in the body buffer.
type packet struct {
	off      int
	bytes    int
	granule  int64
	eos      bool
	bos      bool
	packetno int64
}

type stream struct {
	serial int32
	pageno int64 // the sequence number expected next; -1 after a reset

	body         []byte // libogg's body_data, as far as it has been written
	bodyFill     int
	bodyReturned int

	// Until written is set, body is not used: spans says what the buffer
	// holds of file, and bodyLen is its length.
	written bool
	file    []byte
	spans   spanMap
	bodyLen int
	scratch []byte

	lacing         []int32
	granules       []int64
	lacingPacket   int // entries up to here form complete packets
	lacingReturned int

	packetno int64
}

// reset is ogg_stream_reset.
func (s *stream) reset() {
	s.bodyFill = 0
	s.bodyReturned = 0
	s.lacing = s.lacing[:0]
	s.granules = s.granules[:0]
	s.lacingPacket = 0
	s.lacingReturned = 0
	s.pageno = -1
	s.packetno = 0
}

// resetSerial is ogg_stream_reset_serialno.
func (s *stream) resetSerial(serial int32) {
	s.reset()
	s.serial = serial
}

// pagein is ogg_stream_pagein: 0, or -1 when the page does not belong to
// the stream (serial number, version) or cannot be taken.
func (s *stream) pagein(pg *page) int {
	// Forget what was returned already.
	if br := s.bodyReturned; br > 0 {
		s.bodyFill -= br
		if s.bodyFill > 0 {
			if s.written {
				copy(s.body, s.body[br:br+s.bodyFill])
			} else {
				s.spans.move(0, br, br+s.bodyFill)
			}
		}
		s.bodyReturned = 0
	}
	if lr := s.lacingReturned; lr > 0 {
		n := copy(s.lacing, s.lacing[lr:])
		copy(s.granules, s.granules[lr:])
		s.lacing = s.lacing[:n]
		s.granules = s.granules[:n]
		s.lacingPacket -= lr
		s.lacingReturned = 0
	}
	raw := pg.raw()
	if int32(binary.LittleEndian.Uint32(raw[14:])) != s.serial || raw[4] > 0 {
		return -1
	}
	segments := int(raw[26])
	if len(s.lacing)+segments+1 > maxStreamLacing {
		return -1
	}
	hdr := raw[:pg.hlen]
	body := raw[pg.hlen:]
	bos := raw[5]&0x02 != 0
	seq := int64(int32(binary.LittleEndian.Uint32(raw[18:])))
	segptr := 0

	if seq != s.pageno {
		// Out of sequence: drop the partial packet, mark the hole.
		for i := s.lacingPacket; i < len(s.lacing); i++ {
			s.bodyFill -= int(s.lacing[i] & 0xff)
		}
		s.lacing = s.lacing[:s.lacingPacket]
		s.granules = s.granules[:s.lacingPacket]
		if s.pageno != -1 {
			s.lacing = append(s.lacing, lacingHole)
			s.granules = append(s.granules, -1)
			s.lacingPacket++
		}
	}

	if raw[5]&0x01 != 0 {
		n := len(s.lacing)
		if n < 1 || s.lacing[n-1]&0xff < 255 || s.lacing[n-1] == lacingHole {
			// The beginning of the continued packet is lost: skip it.
			bos = false
			for ; segptr < segments; segptr++ {
				v := int(hdr[pageHeaderLen+segptr])
				body = body[v:]
				if v < 255 {
					segptr++
					break
				}
			}
		}
	}

	if len(body) > 0 {
		if !s.expandBody(len(body)) {
			return -1
		}
		if !s.written {
			if src, ok := pg.fileOffset(); ok && !s.spans.full() {
				s.file = pg.s.whole
				s.spans.set(s.bodyFill, s.bodyFill+len(body), src+int64(pg.size()-len(body)), 0)
			} else {
				s.writeOut()
			}
		}
		if s.written {
			copy(s.body[s.bodyFill:], body)
		}
		s.bodyFill += len(body)
	}

	// The lacing values go in with no granule position, the first marked
	// when the page begins the stream; the last packet that ends on the
	// page gets the page's granule position.
	saved := -1
	seg := hdr[pageHeaderLen+segptr : pageHeaderLen+segments]
	n := len(s.lacing)
	s.lacing = slices.Grow(s.lacing, len(seg))[:n+len(seg)]
	s.granules = slices.Grow(s.granules, len(seg))[:n+len(seg)]
	lac, gr := s.lacing[n:], s.granules[n:]
	for i, l := range seg {
		lac[i] = int32(l)
		gr[i] = -1
	}
	if bos && len(seg) > 0 {
		lac[0] |= lacingBOS
	}
	for i := len(seg) - 1; i >= 0; i-- {
		if seg[i] < 255 {
			saved = n + i
			s.lacingPacket = n + i + 1
			break
		}
	}
	if saved != -1 {
		s.granules[saved] = int64(binary.LittleEndian.Uint64(raw[6:]))
	}
	if raw[5]&0x04 != 0 && len(s.lacing) > 0 {
		s.lacing[len(s.lacing)-1] |= lacingEOS
	}
	s.pageno = seq + 1
	return 0
}

// expandBody is _os_body_expand: make room for needed more bytes.
func (s *stream) expandBody(needed int) bool {
	if s.bodyFill+needed > maxStreamBody {
		return false
	}
	if !s.written {
		s.bodyLen = max(s.bodyLen, s.bodyFill+needed)
	} else if s.bodyFill+needed > len(s.body) {
		s.body = growZeroed(s.body, s.bodyFill+needed)
	}
	return true
}

// writeOut puts the body's bytes into body; from then on it is written.
func (s *stream) writeOut() {
	s.body = growZeroed(s.body[:0], s.bodyLen)
	s.spans.read(s.file, s.body, 0)
	s.spans.reset()
	s.written = true
}

// packetout is ogg_stream_packetout (adv) and ogg_stream_packetpeek (not
// adv): 1 with a packet, 0 when none is complete, -1 for a hole (which is
// consumed even by a peek).
func (s *stream) packetout(op *packet, adv bool) int {
	ptr := s.lacingReturned
	if s.lacingPacket <= ptr {
		return 0
	}
	if s.lacing[ptr]&lacingHole != 0 {
		s.lacingReturned++
		s.packetno++
		return -1
	}
	if op == nil && !adv {
		return 1
	}
	size := int(s.lacing[ptr] & 0xff)
	bytes := size
	eos := s.lacing[ptr]&lacingEOS != 0
	bos := s.lacing[ptr]&lacingBOS != 0
	for size == 255 {
		ptr++
		v := s.lacing[ptr]
		size = int(v & 0xff)
		if v&lacingEOS != 0 {
			eos = true
		}
		bytes += size
	}
	if op != nil {
		// Field by field: a struct literal is built on the stack and
		// copied, which costs more than the rest of the call.
		op.off, op.bytes, op.granule = s.bodyReturned, bytes, s.granules[ptr]
		op.eos, op.bos, op.packetno = eos, bos, s.packetno
	}
	if adv {
		s.bodyReturned += bytes
		s.lacingReturned = ptr + 1
		s.packetno++
	}
	return 1
}

// packetsOut is packetout(&dst[i], true) for i = 0, 1, ... until a call
// returns something else than 1 or dst is full: how many packets it
// wrote, and what the last call returned (1 when dst filled up).
func (s *stream) packetsOut(dst []packet) (n, ret int) {
	ptr, br, pno := s.lacingReturned, s.bodyReturned, s.packetno
	ret = 1
	for n < len(dst) {
		if s.lacingPacket <= ptr {
			ret = 0
			break
		}
		v := s.lacing[ptr]
		if v&lacingHole != 0 {
			ptr++
			pno++
			ret = -1
			break
		}
		size := int(v & 0xff)
		bytes := size
		eos, bos := v&lacingEOS != 0, v&lacingBOS != 0
		for size == 255 {
			ptr++
			v = s.lacing[ptr]
			size = int(v & 0xff)
			if v&lacingEOS != 0 {
				eos = true
			}
			bytes += size
		}
		op := &dst[n]
		op.off, op.bytes, op.granule = br, bytes, s.granules[ptr]
		op.eos, op.bos, op.packetno = eos, bos, pno
		br += bytes
		ptr++
		pno++
		n++
	}
	s.lacingReturned, s.bodyReturned, s.packetno = ptr, br, pno
	return n, ret
}

// data returns the bytes a packet points at now: for a stale packet,
// what the buffer holds there (zeros past its end, where libogg's pointer
// would read memory that is not the buffer's). What it returns is valid
// until the next call.
func (s *stream) data(p *packet) []byte {
	if h := &s.spans.hot; !s.written && p.off >= h.start && p.off+p.bytes <= h.end {
		off := h.src + int64(p.off-h.start)
		return s.file[off : off+int64(p.bytes)]
	}
	return s.dataElsewhere(p)
}

func (s *stream) dataElsewhere(p *packet) []byte {
	if !s.written {
		if p.off >= 0 && p.off+p.bytes <= s.bodyLen {
			if b, ok := s.spans.slice(s.file, p.off, p.off+p.bytes); ok {
				return b
			}
			return s.assemble(p.off, p.bytes)
		}
		return s.assemble(p.off, min(p.bytes, 1<<20))
	}
	if p.off >= 0 && p.off+p.bytes <= len(s.body) {
		return s.body[p.off : p.off+p.bytes]
	}
	scratch := s.scratch[:0]
	for i := 0; i < p.bytes && i < 1<<20; i++ {
		j := p.off + i
		if j >= 0 && j < len(s.body) {
			scratch = append(scratch, s.body[j])
		} else {
			scratch = append(scratch, 0)
		}
	}
	s.scratch = scratch
	return scratch
}

// assemble is n bytes of the described body from position off on.
func (s *stream) assemble(off, n int) []byte {
	if n <= 0 {
		return s.scratch[:0]
	}
	if cap(s.scratch) < n {
		s.scratch = make([]byte, n)
	}
	b := s.scratch[:n]
	s.spans.read(s.file, b, off)
	return b
}

// streamPageBody is the body of a raw page of version 0 whose serial
// number is serial.
func streamPageBody(pg []byte, serial int32) ([]byte, bool) {
	if len(pg) < pageHeaderLen || pg[4] != 0 || int32(binary.LittleEndian.Uint32(pg[14:])) != serial {
		return nil, false
	}
	hlen := pageHeaderLen + int(pg[26])
	if len(pg) < hlen {
		return nil, false
	}
	return pg[hlen:], true
}

// forEachPacket calls fn with each packet that begins and ends on the raw
// page pg (whose body is body): not the end of a packet continued from the
// page before, not a packet that goes on in the next.
func forEachPacket(pg, body []byte, fn func(p []byte)) {
	start, pos := 0, 0
	continued := pg[5]&0x01 != 0
	for _, l := range pg[pageHeaderLen : pageHeaderLen+int(pg[26])] {
		pos += int(l)
		if pos > len(body) {
			return
		}
		if l < 255 {
			if !continued {
				fn(body[start:pos])
			}
			continued = false
			start = pos
		}
	}
}
