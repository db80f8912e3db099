package flac

// Metadata blocks (FLAC format, "METADATA_BLOCK"): each starts with a
// last-block flag, a 7-bit type and a 24-bit length. libsndfile asks libFLAC
// for every block type and reads until the last one, so every block is
// parsed as libFLAC parses it (read_metadata_ and its helpers).

// Metadata block types.
const (
	blockStreamInfo    = 0
	blockPadding       = 1
	blockApplication   = 2
	blockSeekTable     = 3
	blockVorbisComment = 4
	blockCueSheet      = 5
	blockPicture       = 6
)

var blockNames = [...]string{"STREAMINFO", "PADDING", "APPLICATION", "SEEKTABLE", "VORBIS_COMMENT", "CUESHEET", "PICTURE"}

// readMetadata reads one metadata block at the decoder's position
// (read_metadata_). It returns false where libFLAC's does; the state then
// tells why.
func (d *decoder) readMetadata() bool {
	m := &d.meta
	if d.framesStarted {
		m.reset(d.br.r, d.size, d.br.bitPos())
	}
	m.eof = false
	ok := d.readMetadataBlock()
	if d.framesStarted {
		d.br.seek(m.pos >> 3)
		d.br.readBits(uint(m.pos & 7))
	}
	return ok
}

func (d *decoder) readMetadataBlock() bool {
	m := &d.meta
	start := m.pos >> 3
	d.blockStart = start
	last, ok1 := m.raw(1)
	typ, ok2 := m.raw(7)
	length, ok3 := m.raw(24)
	if !ok1 || !ok2 || !ok3 {
		d.state = stEndOfStream
		return false
	}
	d.noteBlock(start, typ, length)

	switch typ {
	case blockStreamInfo:
		if !d.readStreamInfo(length) {
			return false
		}
	case blockSeekTable:
		if !d.readSeekTable(length) {
			return false
		}
	default:
		if !d.readLimitedBlock(typ, length) {
			return false
		}
	}
	if last != 0 {
		d.firstFrameOffset = m.pos >> 3
		d.state = stSearchSync
	}
	return true
}

// failed ends a block whose read failed: the end of the input puts libFLAC
// in its end-of-stream state; other failures leave the state as it was.
func (d *decoder) failed() bool {
	if d.meta.eof {
		d.state = stEndOfStream
	}
	return false
}

func (d *decoder) readStreamInfo(length uint32) bool {
	m := &d.meta
	si := &d.si
	d.streamInfoGen++
	// libFLAC stores each field as it reads it, so a block cut short
	// leaves the earlier fields changed.
	fields := []struct {
		bits uint
		dst  *uint32
		add  uint32
	}{
		{16, &si.minBlock, 0}, {16, &si.maxBlock, 0}, {24, &si.minFrame, 0}, {24, &si.maxFrame, 0},
		{20, &si.rate, 0}, {3, &si.channels, 1}, {5, &si.bps, 1},
	}
	for _, f := range fields {
		v, ok := m.raw(f.bits)
		if !ok {
			return d.failed()
		}
		*f.dst = v + f.add
	}
	total, ok := m.raw64(36)
	if !ok {
		return d.failed()
	}
	si.total = total
	if !m.bytes(16) { // MD5 signature
		return d.failed()
	}
	if length < 34 {
		return false
	}
	if !m.bytes(length - 34) {
		return d.failed()
	}
	d.hasStreamInfo = true
	if !d.seeking {
		d.snd.streamInfoSeen(si, d.blockStart)
	}
	return true
}

// seekPointSize is the size of one SEEKTABLE point: sample number, stream
// offset, frame samples.
const seekPointSize = 18

func (d *decoder) readSeekTable(length uint32) bool {
	m := &d.meta
	d.hasSeekTable = false
	n := length / seekPointSize
	if n == 0 && d.tableAllocated {
		d.tableAllocated = false
		d.state = stMemoryError
		return false
	}
	d.tableAllocated = true
	off := m.pos >> 3
	if m.atEnd(int64(n) * seekPointSize * 8) {
		m.eof = true
		return d.failed()
	}
	m.pos += int64(n) * seekPointSize * 8
	if rest := length - n*seekPointSize; rest > 0 && !m.bytes(rest) {
		return d.failed()
	}
	d.hasSeekTable = true
	d.table = seekTable{off: off, points: n}
	return true
}

// readLimitedBlock reads a block other than STREAMINFO and SEEKTABLE under
// the limit of its declared length.
func (d *decoder) readLimitedBlock(typ, length uint32) bool {
	m := &d.meta
	if typ == blockApplication {
		if !m.bytes(4) { // application id, read before the limit is set
			return d.failed()
		}
		if length < 4 {
			d.state = stMemoryError
			return false
		}
		length -= 4
	}
	m.limitSet, m.limit = true, length*8
	var ok bool
	switch typ {
	case blockVorbisComment:
		ok = d.readVorbisComment(length)
	case blockCueSheet:
		ok = d.readCueSheet()
	case blockPicture:
		ok = d.readPicture()
	default: // PADDING, APPLICATION data and unknown types
		ok = m.bytes(length)
	}
	if m.eof {
		d.state = stEndOfStream
	}
	if m.limit > 0 {
		// The content did not end where the length said: libFLAC cannot
		// tell which was wrong and stops reading metadata.
		d.errorSeen(errBadMetadata, "metadata block whose content does not match its length", d.blockStart)
		if d.state == stReadMetadata {
			d.state = stSearchSync
		}
		ok = false
	}
	m.limitSet, m.limit = false, invalidLimit
	return ok
}

// readVorbisComment is read_metadata_vorbiscomment_: lengths that do not fit
// the block end the parse early and the rest of the block is skipped; a
// comment count above 100000 fails the block.
func (d *decoder) readVorbisComment(length uint32) bool {
	m := &d.meta
	if length >= 8 {
		length -= 8
		vendor, ok := m.le32()
		if !ok {
			return false
		}
		if vendor > 0 {
			if length < vendor {
				goto skip
			}
			length -= vendor
			if !m.bytes(vendor) {
				return false
			}
		}
		n, ok := m.le32()
		if !ok {
			return false
		}
		if n > 100000 {
			return false
		}
		for range n {
			if length < 4 {
				goto skip
			}
			length -= 4
			l, ok := m.le32()
			if !ok {
				return false
			}
			if l > 0 {
				if length < l {
					goto skip
				}
				length -= l
				if !m.bytes(l) {
					goto skip
				}
			}
		}
	}
skip:
	if length > 0 {
		return m.bytes(length)
	}
	return true
}

// readCueSheet is read_metadata_cuesheet_, which reads a fixed layout and
// relies on the block limit to stop at the block's end.
func (d *decoder) readCueSheet() bool {
	m := &d.meta
	if !m.bytes(128) { // media catalog number
		return false
	}
	if _, ok := m.raw64(64); !ok { // lead-in
		return false
	}
	if _, ok := m.raw(1); !ok { // is CD
		return false
	}
	if !m.skipBits(7 + 258*8) {
		return false
	}
	tracks, ok := m.raw(8)
	if !ok {
		return false
	}
	for range tracks {
		if _, ok := m.raw64(64); !ok { // offset
			return false
		}
		if _, ok := m.raw(8); !ok { // number
			return false
		}
		if !m.bytes(12) { // ISRC
			return false
		}
		if _, ok := m.raw(1); !ok { // type
			return false
		}
		if _, ok := m.raw(1); !ok { // pre-emphasis
			return false
		}
		if !m.skipBits(6 + 13*8) {
			return false
		}
		indices, ok := m.raw(8)
		if !ok {
			return false
		}
		for range indices {
			if _, ok := m.raw64(64); !ok {
				return false
			}
			if _, ok := m.raw(8); !ok {
				return false
			}
			if !m.skipBits(3 * 8) {
				return false
			}
		}
	}
	return true
}

// readPicture is read_metadata_picture_. Its length checks compare a byte
// count with the limit left in bits, as libFLAC does.
func (d *decoder) readPicture() bool {
	m := &d.meta
	if _, ok := m.raw(32); !ok { // picture type
		return false
	}
	for range 2 { // MIME type, description
		n, ok := m.raw(32)
		if !ok {
			return false
		}
		if m.limit < n {
			m.limit = invalidLimit
			return false
		}
		if n > 0 && !m.bytes(n) {
			return false
		}
	}
	for range 4 { // width, height, depth, colours
		if _, ok := m.raw(32); !ok {
			return false
		}
	}
	n, ok := m.raw(32)
	if !ok {
		return false
	}
	if m.limit < n {
		m.limit = invalidLimit
		return false
	}
	if n > 0 && !m.bytes(n) {
		return false
	}
	return true
}
