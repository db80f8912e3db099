package flac

import "io"

// metaReader reads metadata blocks the way libFLAC 1.4.2's bit reader
// (src/libFLAC/bitreader.c) does, because where a damaged block makes the
// decoder stop decides whether libsndfile opens the file:
//
//   - A block other than STREAMINFO and SEEKTABLE is read under a limit of
//     its declared length: a read that would pass the limit fails and marks
//     the limit invalid. After the block, any limit left over (unread bytes,
//     an invalid limit, or bytes a failed read had not reached) is reported
//     as "bad metadata", an error that makes libsndfile refuse the file.
//   - A single read of up to 32 bits is charged to the limit before the
//     reader finds out that the input has ended. A block cut short by
//     exactly its last byte, read that way, leaves nothing over: the
//     decoder then stops quietly and the file opens.
//   - Byte runs are consumed in three steps: single bytes up to the next
//     32-bit word of the input, whole words while at least four bytes
//     remain, single bytes for the rest. A whole word is charged to the
//     limit only once it is there. (Debian builds libFLAC with 32-bit
//     words; the reference model confirms it.)
//
// Positions are bit offsets in the input; the word grid starts at offset 0,
// where the decoder starts reading.
//
// This is why the metadata is not read with github.com/mewkiz/flac/meta:
// measured on the committed corpus, its accept/refuse decision differs from
// libsndfile's on 24 of 210 files (5 of the 73 testbench files) — it knows
// none of the rules above and validates what libFLAC does not — it reads
// and allocates every block's content, and it logs to the standard logger
// on some sample rates.
type metaReader struct {
	r    io.ReaderAt
	size int64
	pos  int64 // bit position

	limitSet bool
	limit    uint32
	// eof is set when a read failed because the input ended (libFLAC's
	// read callback then puts the decoder in its end-of-stream state).
	eof bool

	buf     [256]byte
	sniff   [12]byte // the stream marker's bytes (streamStart)
	bufOff  int64
	bufLen  int
	fetched int64
}

const invalidLimit = ^uint32(0)

func (m *metaReader) reset(r io.ReaderAt, size, pos int64) {
	m.r, m.size, m.pos = r, size, pos
	m.limitSet, m.limit = false, invalidLimit
	m.eof = false
	m.bufOff, m.bufLen = 0, 0
}

// byteAt returns the input byte at off (which must be inside the input).
func (m *metaReader) byteAt(off int64) byte {
	if off < m.bufOff || off >= m.bufOff+int64(m.bufLen) {
		n := int64(len(m.buf))
		if rest := m.size - off; rest < n {
			n = rest
		}
		got, _ := m.r.ReadAt(m.buf[:n], off)
		m.fetched += int64(got)
		m.bufOff, m.bufLen = off, got
		if got == 0 {
			return 0
		}
	}
	return m.buf[off-m.bufOff]
}

// charge takes n bits from the block's limit; false when they are not
// there (the limit is then invalid).
func (m *metaReader) charge(n uint32) bool {
	if m.limitSet && m.limit != invalidLimit {
		if m.limit < n {
			m.limit = invalidLimit
			return false
		}
		m.limit -= n
	}
	return true
}

// atEnd reports whether n more bits would run past the end of the input.
func (m *metaReader) atEnd(n int64) bool { return m.pos+n > m.size*8 }

// raw is FLAC__bitreader_read_raw_uint32: n ≤ 32 bits, MSB first.
func (m *metaReader) raw(n uint) (uint32, bool) {
	if n == 0 {
		return 0, true
	}
	if !m.charge(uint32(n)) {
		return 0, false
	}
	if m.atEnd(int64(n)) {
		m.eof = true
		return 0, false
	}
	var acc uint64
	first := m.pos >> 3
	last := (m.pos + int64(n) - 1) >> 3
	for off := first; off <= last; off++ {
		acc = acc<<8 | uint64(m.byteAt(off))
	}
	shift := uint((last+1)*8 - (m.pos + int64(n)))
	m.pos += int64(n)
	return uint32(acc>>shift) & uint32((uint64(1)<<n)-1), true
}

// raw64 is FLAC__bitreader_read_raw_uint64: above 32 bits it reads the high
// part, then 32 bits.
func (m *metaReader) raw64(n uint) (uint64, bool) {
	if n <= 32 {
		x, ok := m.raw(n)
		return uint64(x), ok
	}
	hi, ok := m.raw(n - 32)
	if !ok {
		return 0, false
	}
	lo, ok := m.raw(32)
	if !ok {
		return 0, false
	}
	return uint64(hi)<<32 | uint64(lo), true
}

// le32 is FLAC__bitreader_read_uint32_little_endian: four byte reads.
func (m *metaReader) le32() (uint32, bool) {
	var v uint32
	for i := range 4 {
		b, ok := m.raw(8)
		if !ok {
			return 0, false
		}
		v |= b << (8 * i)
	}
	return v, true
}

// bytes is FLAC__bitreader_skip_byte_block_aligned_no_crc (and the reading
// twin, whose bookkeeping is the same): n bytes from a byte-aligned position.
func (m *metaReader) bytes(n uint32) bool {
	if m.limitSet && m.limit != invalidLimit && m.limit < n*8 {
		m.limit = invalidLimit
		return false
	}
	for n > 0 && (m.pos>>3)&3 != 0 {
		if _, ok := m.raw(8); !ok {
			return false
		}
		n--
	}
	if words := n / 4; words > 0 {
		// Whole words are taken while they are there.
		have := uint32(min(int64(words), (m.size*8-m.pos)/32))
		m.pos += int64(have) * 32
		n -= have * 4
		if m.limitSet {
			m.limit -= have * 32
		}
		if have < words {
			m.eof = true
			return false
		}
	}
	for n > 0 {
		if _, ok := m.raw(8); !ok {
			return false
		}
		n--
	}
	return true
}

// skipBits is FLAC__bitreader_skip_bits_no_crc.
func (m *metaReader) skipBits(n uint32) bool {
	if r := uint32(m.pos & 7); r != 0 && n > 0 {
		k := min(8-r, n)
		if _, ok := m.raw(uint(k)); !ok {
			return false
		}
		n -= k
	}
	if k := n / 8; k > 0 {
		if !m.bytes(k) {
			return false
		}
		n %= 8
	}
	if n > 0 {
		if _, ok := m.raw(uint(n)); !ok {
			return false
		}
	}
	return true
}

// readFull reads input bytes at off into p and returns how many there were.
func (m *metaReader) readFull(p []byte, off int64) int {
	if off >= m.size {
		return 0
	}
	if rest := m.size - off; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, _ := m.r.ReadAt(p, off)
	m.fetched += int64(n)
	return n
}
