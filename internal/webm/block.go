package webm

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Frame is one frame of a track, as stored.
type Frame struct {
	// Data is the frame's bytes; it stays valid until the next call of
	// FrameReader.Next.
	Data []byte
	// Offset is where the block holding the frame starts in the input.
	Offset int64
	// Timestamp is the block's timestamp in ticks (File.TimestampScale):
	// the Cluster's timestamp plus the block's relative one. Frames laced
	// in one block share it.
	Timestamp int64
	// Duration is the BlockDuration in ticks when the block is in a
	// BlockGroup that has one, else -1. It covers all the block's frames.
	Duration int64
	// DiscardPadding is the block's DiscardPadding in nanoseconds (0 when
	// absent): how much of its end a player drops. Set on the last frame
	// of the block only.
	DiscardPadding int64
	// LastInBlock is set for a block's last (or only) frame.
	LastInBlock bool
	// BlockFrames is the number of frames laced in the block.
	BlockFrames int
}

// maxBlock bounds a block of the selected track read whole: an Opus
// packet is at most about 61 KB, and a block laces at most 256 frames.
const maxBlock = 16 << 20

// FrameReader reads the frames of one track in file order, walking the
// Clusters sequentially; memory is one block.
type FrameReader struct {
	f     *File
	rd    *reader
	track uint64

	cluster     element // current Cluster; id 0 before the first
	clusterEnd  int64
	clusterTime int64
	haveTime    bool
	done        bool
	err         error

	block   []byte // the current block's frames, back to back
	sizes   []int  // their sizes
	next    int    // next frame to return
	pending Frame  // fields shared by the block's frames
	frameAt int    // offset of the next frame in block
}

// Frames reads the frames of the track numbered track.
func (f *File) Frames(track uint64) *FrameReader {
	fr := &FrameReader{f: f, rd: newReader(f.r, f.size), track: track}
	if f.firstCluster < 0 {
		fr.done = true
	} else {
		fr.rd.pos = f.firstCluster
	}
	return fr
}

// Next returns the next frame of the track, io.EOF after the last one.
// A file cut short ends with the last whole block before the cut (the
// error is then io.EOF too; Truncated says so).
func (fr *FrameReader) Next() (Frame, error) {
	for fr.next >= len(fr.sizes) {
		if fr.err != nil {
			return Frame{}, fr.err
		}
		if fr.done {
			return Frame{}, io.EOF
		}
		if err := fr.readBlock(); err != nil {
			fr.err = err
			return Frame{}, err
		}
	}
	fr.next++
	fm := fr.pending
	n := fr.sizes[fr.next-1]
	fm.Data = fr.block[fr.frameAt : fr.frameAt+n]
	fr.frameAt += n
	fm.LastInBlock = fr.next == len(fr.sizes)
	fm.BlockFrames = len(fr.sizes)
	if !fm.LastInBlock {
		fm.DiscardPadding = 0
	}
	return fm, nil
}

// Truncated tells whether the walk stopped at a cut in the input.
func (fr *FrameReader) Truncated() bool { return fr.f.Truncated }

// isTopLevel tells the IDs that end an unknown-size Cluster: the
// Segment's children (and a new EBML header or Segment, as a live stream
// that was restarted has).
func isTopLevel(id uint32) bool {
	switch id {
	case idCluster, idCues, idTags, idChapters, idAttachments, idSeekHead, idInfo, idTracks, idEBML, idSegment:
		return true
	}
	return false
}

// readBlock walks to the next block of the track and loads its frames.
func (fr *FrameReader) readBlock() error {
	rd := fr.rd
	segEnd := fr.f.segEnd
	for {
		if fr.cluster.id == 0 || rd.pos >= fr.clusterEnd {
			if err := fr.enterCluster(); err != nil {
				return err
			}
			if fr.done {
				return nil
			}
			continue
		}
		e, err := rd.next()
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			fr.done = true
			fr.f.Truncated = fr.f.Truncated || err == io.ErrUnexpectedEOF
			return nil
		}
		if err != nil {
			return err
		}
		if fr.cluster.size == unknownSize && isTopLevel(e.id) {
			// An unknown-size Cluster ends where a sibling begins.
			rd.pos = e.off
			fr.clusterEnd = e.off
			continue
		}
		if e.size == unknownSize {
			return formatError(e.off, "element 0x%X of unknown size inside a Cluster", e.id)
		}
		if e.size > fr.clusterEnd-e.body {
			if fr.clusterEnd == segEnd && e.body+e.size > fr.f.size {
				// The input ends inside this element: a recording cut short.
				fr.f.Truncated = true
				fr.done = true
				return nil
			}
			return formatError(e.off, "element 0x%X of %d bytes runs past its Cluster's end", e.id, e.size)
		}
		switch e.id {
		case idTimestamp:
			t, err := rd.uint(e)
			if err != nil {
				return err
			}
			fr.clusterTime, fr.haveTime = int64(t), true
		case idSimpleBlock:
			ok, err := fr.loadBlock(e, e)
			if err != nil || ok {
				rd.pos = e.body + e.size
				return err
			}
		case idBlockGroup:
			ok, err := fr.loadGroup(e)
			if err != nil || ok {
				rd.pos = e.body + e.size
				return err
			}
		}
		rd.pos = e.body + e.size
	}
}

// enterCluster moves to the next Cluster of the Segment, skipping other
// top-level elements; at the Segment's end it sets done.
func (fr *FrameReader) enterCluster() error {
	rd := fr.rd
	segEnd := fr.f.segEnd
	if fr.cluster.id != 0 {
		rd.pos = fr.clusterEnd
	}
	for {
		if rd.pos >= segEnd {
			fr.done = true
			return nil
		}
		e, err := rd.next()
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			fr.done = true
			fr.f.Truncated = fr.f.Truncated || err == io.ErrUnexpectedEOF
			return nil
		}
		if err != nil {
			return err
		}
		if e.id == idEBML || e.id == idSegment {
			// A second Segment (a chained live stream): its tracks may
			// differ; the first Segment is what is read.
			fr.done = true
			return nil
		}
		if e.id == idCluster {
			if e.size != unknownSize && e.size > segEnd-e.body {
				// The input ends inside this Cluster: read what is there.
				fr.f.Truncated = true
				e.size = segEnd - e.body
			}
			fr.cluster = e
			fr.clusterEnd = e.end(segEnd)
			fr.haveTime = false
			return nil
		}
		if e.size == unknownSize {
			return formatError(e.off, "element 0x%X of unknown size in the Segment", e.id)
		}
		if e.size > segEnd-e.body {
			fr.f.Truncated = true
			fr.done = true
			return nil
		}
		rd.pos = e.body + e.size
	}
}

// loadGroup reads a BlockGroup: its Block, BlockDuration and
// DiscardPadding, in whatever order they come.
func (fr *FrameReader) loadGroup(g element) (bool, error) {
	rd := fr.rd
	end := g.body + g.size
	var block element
	duration, padding := int64(-1), int64(0)
	for rd.pos < end {
		c, err := rd.next()
		if err != nil {
			return false, eofIsUnexpected(err)
		}
		if err := c.within(end, false); err != nil {
			return false, err
		}
		switch c.id {
		case idBlock:
			block = c
		case idBlockDuration:
			d, err := rd.uint(c)
			if err != nil {
				return false, err
			}
			if d > 1<<62 {
				return false, formatError(c.off, "BlockDuration of %d", d)
			}
			duration = int64(d)
		case idDiscardPadding:
			p, err := rd.int(c)
			if err != nil {
				return false, err
			}
			padding = p
		}
		rd.pos = c.body + c.size
	}
	if block.id == 0 {
		return false, nil
	}
	rd.pos = block.body
	ok, err := fr.loadBlock(block, g)
	if ok {
		fr.pending.Duration = duration
		fr.pending.DiscardPadding = padding
	}
	return ok, err
}

// loadBlock reads a (Simple)Block's header and, when it belongs to the
// track, its frames (RFC 9559 §10: track number, relative timestamp,
// flags, lacing). outer is the element whose offset the frames report.
func (fr *FrameReader) loadBlock(b, outer element) (bool, error) {
	rd := fr.rd
	end := b.body + b.size
	track, _, err := rd.vint(8, false)
	if err != nil {
		return false, eofIsUnexpected(err)
	}
	if track != fr.track {
		return false, nil
	}
	if end-rd.pos < 3 {
		return false, formatError(b.off, "block header cut short")
	}
	if !fr.haveTime {
		return false, formatError(b.off, "block before its Cluster's Timestamp")
	}
	var hdr [3]byte
	if err := rd.read(hdr[:]); err != nil {
		return false, err
	}
	rel := int64(int16(binary.BigEndian.Uint16(hdr[:2])))
	flags := hdr[2]
	size := end - rd.pos
	if size > maxBlock {
		return false, formatError(b.off, "block of %d bytes (at most %d)", size, maxBlock)
	}
	if cap(fr.block) < int(size) {
		fr.block = make([]byte, size, max(int(size), 2*cap(fr.block)))
	}
	fr.block = fr.block[:size]
	if err := rd.read(fr.block); err != nil {
		return false, err
	}
	if err := fr.unlace(flags, b.off); err != nil {
		return false, err
	}
	fr.pending = Frame{Offset: outer.off, Timestamp: fr.clusterTime + rel, Duration: -1}
	return true, nil
}

// unlace splits fr.block into frames by the block's lacing (RFC 9559
// §10.4): none, Xiph, fixed-size or EBML. The lace header is removed from
// fr.block.
func (fr *FrameReader) unlace(flags byte, off int64) error {
	fr.sizes, fr.next, fr.frameAt = fr.sizes[:0], 0, 0
	data := fr.block
	lacing := flags >> 1 & 3
	if lacing == 0 {
		fr.sizes = append(fr.sizes, len(data))
		return nil
	}
	if len(data) < 1 {
		return formatError(off, "laced block without its frame count")
	}
	count := int(data[0]) + 1
	p := 1
	bad := func(msg string) error { return formatError(off, "block lacing: %s", msg) }
	total := 0
	switch lacing {
	case 1: // Xiph: sizes as runs of 255
		for i := 0; i < count-1; i++ {
			n := 0
			for {
				if p >= len(data) {
					return bad("frame sizes run past the block")
				}
				n += int(data[p])
				p++
				if data[p-1] != 255 {
					break
				}
			}
			fr.sizes = append(fr.sizes, n)
			total += n
		}
	case 2: // fixed: equal sizes
		rest := len(data) - p
		if rest%count != 0 {
			return bad(fmt.Sprintf("%d bytes do not split into %d equal frames", rest, count))
		}
		for range count {
			fr.sizes = append(fr.sizes, rest/count)
		}
		fr.block = data[p:]
		return nil
	case 3: // EBML: first size, then signed differences
		n, used := readVintBytes(data[p:], false)
		if used == 0 {
			return bad("first frame size cut short")
		}
		p += used
		prev := int64(n)
		fr.sizes = append(fr.sizes, int(prev))
		total = int(prev)
		for i := 1; i < count-1; i++ {
			v, used := readVintBytes(data[p:], false)
			if used == 0 {
				return bad("frame size difference cut short")
			}
			p += used
			diff := int64(v) - (1<<(7*used-1) - 1)
			prev += diff
			if prev < 0 || prev > int64(len(data)) {
				return bad("frame size out of range")
			}
			fr.sizes = append(fr.sizes, int(prev))
			total += int(prev)
		}
	}
	if total > len(data)-p {
		return bad("frames larger than the block")
	}
	fr.sizes = append(fr.sizes, len(data)-p-total)
	fr.block = data[p:]
	return nil
}

// readVintBytes reads an EBML variable-length integer from b; used is 0
// when b is too short or the length is over 8 bytes.
func readVintBytes(b []byte, keepMarker bool) (v uint64, used int) {
	if len(b) == 0 {
		return 0, 0
	}
	n := 1
	for mask := byte(0x80); n <= 8 && b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if n > 8 || n > len(b) {
		return 0, 0
	}
	v = uint64(b[0])
	if !keepMarker {
		v &= 0xff >> n
	}
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return v, n
}
