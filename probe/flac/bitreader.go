package flac

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
)

// windowSize is how much of the input the frame reader holds at a time:
// frames are read through it in order, and the seek after each block of
// the read lands a few frames back, mostly inside it. A 5-second speech
// clip (about 100 KiB) is read with one ReadAt. The buffer is reused from
// input to input (see bufferPool). Tests lower it to make every frame
// straddle windows.
var windowSize = 256 << 10

// bitReader reads the audio frames MSB-first: a window of the input in a
// reusable buffer, consumed through a 64-bit cache, with the running CRC-16
// of the frame being read.
//
// A read that needs more bits than remain before the end of the input fails
// and reports false; that is libFLAC's end of stream (its read callback finds
// the file position at the file length).
type bitReader struct {
	r    io.ReaderAt
	size int64

	buf  []byte
	base int64 // input offset of buf[0]
	end  int   // bytes of buf that hold input
	next int   // index in buf of the next byte to enter the cache

	// cache holds the next bits, left-aligned. Its first nbits bits are
	// counted; the bits after them are either zero or the input's
	// following bits, so that loading those again is harmless.
	cache uint64
	nbits uint

	// The frame CRC-16 covers the input from the frame's sync code up to
	// its footer; crc holds it for the input before crcOff.
	crcOn  bool
	crc    uint16
	crcOff int64

	// fetched counts the bytes read from r, for benchmarks.
	fetched int64
}

func (b *bitReader) reset(r io.ReaderAt, size int64) {
	if cap(b.buf) < windowSize {
		b.buf = make([]byte, windowSize)
	}
	b.buf = b.buf[:windowSize]
	b.r, b.size = r, size
	b.base, b.end, b.next = 0, 0, 0
	b.cache, b.nbits = 0, 0
	b.crcOn = false
	b.fetched = 0
}

// bitPos is the input position of the next unread bit.
func (b *bitReader) bitPos() int64 { return (b.base+int64(b.next))*8 - int64(b.nbits) }

// aligned tells whether the next unread bit starts a byte.
func (b *bitReader) aligned() bool { return b.nbits&7 == 0 }

// bytePos is the input offset of the next unread byte (the position
// libFLAC's decode position reports); meaningful when aligned.
func (b *bitReader) bytePos() int64 { return b.bitPos() >> 3 }

// seek moves to the input offset off, as a seek callback followed by a
// flush of libFLAC's bit buffer does.
func (b *bitReader) seek(off int64) {
	b.cache, b.nbits = 0, 0
	b.crcOn = false
	if off >= b.base && off <= b.base+int64(b.end) {
		b.next = int(off - b.base)
		return
	}
	b.base, b.end, b.next = off, 0, 0
	b.load()
}

// load reads input after buf[:end] into the rest of the buffer; it reports
// whether anything was read.
func (b *bitReader) load() bool {
	want := int64(len(b.buf) - b.end)
	if rest := b.size - (b.base + int64(b.end)); rest < want {
		want = rest
	}
	if want <= 0 {
		return false
	}
	n, _ := b.r.ReadAt(b.buf[b.end:b.end+int(want)], b.base+int64(b.end))
	b.fetched += int64(n)
	b.end += n
	return n > 0
}

// slide drops the consumed part of the window and reads on; it reports
// false at the end of the input.
func (b *bitReader) slide() bool {
	keep := b.bitPos()>>3 - b.base
	if b.crcOn && b.crcOff < b.base+keep {
		b.crc = crc16Update(b.crc, b.buf[b.crcOff-b.base:keep])
		b.crcOff = b.base + keep
	}
	n := copy(b.buf, b.buf[keep:b.end])
	b.base += keep
	b.end = n
	b.next -= int(keep)
	return b.load()
}

// fill loads the cache with at least 57 counted bits, or all that remain.
func (b *bitReader) fill() {
	if b.next+8 <= b.end {
		v := binary.BigEndian.Uint64(b.buf[b.next:])
		b.cache |= v >> b.nbits
		n := (63 - b.nbits) >> 3
		b.next += int(n)
		b.nbits += n << 3
		return
	}
	for b.nbits <= 56 {
		if b.next == b.end && !b.slide() {
			return
		}
		if b.next+8 <= b.end {
			b.fill()
			return
		}
		b.cache |= uint64(b.buf[b.next]) << (56 - b.nbits)
		b.next++
		b.nbits += 8
	}
}

// readBits reads n ≤ 32 bits as an unsigned number.
func (b *bitReader) readBits(n uint) (uint32, bool) {
	if b.nbits < n {
		b.fill()
		if b.nbits < n {
			return 0, false
		}
	}
	v := uint32(b.cache >> (64 - n)) // n == 0 shifts everything out
	b.cache <<= n
	b.nbits -= n
	return v, true
}

// readSigned reads an n-bit two's complement number, 1 ≤ n ≤ 64.
func (b *bitReader) readSigned(n uint) (int64, bool) {
	var u uint64
	if n > 32 {
		hi, ok := b.readBits(n - 32)
		if !ok {
			return 0, false
		}
		lo, ok := b.readBits(32)
		if !ok {
			return 0, false
		}
		u = uint64(hi)<<32 | uint64(lo)
	} else {
		v, ok := b.readBits(n)
		if !ok {
			return 0, false
		}
		u = uint64(v)
	}
	return int64(u<<(64-n)) >> (64 - n), true
}

// readByte reads the next 8 bits.
func (b *bitReader) readByte() (byte, bool) {
	v, ok := b.readBits(8)
	return byte(v), ok
}

// unreadByte steps back over the byte just read, which is how libFLAC's
// one-byte lookahead ("cached") behaves.
func (b *bitReader) unreadByte(x byte) {
	if b.nbits <= 56 {
		b.cache = b.cache>>8 | uint64(x)<<56
		b.nbits += 8
		return
	}
	b.seek(b.bitPos()>>3 - 1)
}

// readUnary counts zero bits up to and including the next one bit; the
// count wraps as libFLAC's 32-bit counter does.
func (b *bitReader) readUnary() (uint32, bool) {
	var v uint32
	for {
		z := uint(bits.LeadingZeros64(b.cache))
		if z < b.nbits {
			b.cache <<= z + 1
			b.nbits -= z + 1
			return v + uint32(z), true
		}
		v += uint32(b.nbits)
		b.cache <<= b.nbits
		b.nbits = 0
		b.fill()
		if b.nbits == 0 {
			return v, false
		}
	}
}

// riceStatus is how reading a block of Rice codes ended.
type riceStatus int

const (
	riceOK      riceStatus = iota
	riceEOF                // the input ended
	riceInvalid            // a quotient too large for a 32-bit residual
)

// readRice reads len(dst) Rice-coded signed residuals with parameter p
// (for the subframes not restored as they are read, residual.go).
//
// libFLAC refuses a quotient above 0xFFFFFFFF>>p (for p > 0) on its fast
// path, which covers every code lying wholly inside its bit buffer; the
// rare code straddling the end of that 8 KiB buffer is read without the
// check. The check is applied to every code here, which differs only for
// such a code inside a frame whose CRC-16 is nevertheless right.
//
// Codes of at most 32 bits are read as riceLPC8Go reads them (which see);
// a longer code, or fewer than eight bytes of window left, go through the
// general path one code at a time.
func (b *bitReader) readRice(dst []int32, p uint) riceStatus {
	limit := uint32(0xFFFFFFFF) >> p
	i := 0
	for {
		cache, nbits, next, buf := b.cache, b.nbits, b.next, b.buf[:b.end]
		for ; i < len(dst); i++ {
			if nbits < 32 {
				if next > len(buf)-8 {
					break
				}
				cache |= binary.BigEndian.Uint64(buf[next:]) >> (nbits & 63)
				next += int((63 - nbits) >> 3)
				nbits |= 56
			}
			l := uint(bits.Len32(uint32(cache >> 32)))
			if l <= p {
				break
			}
			n := 33 + p - l
			u := uint32(cache>>((64-n)&63)) + uint32(31-l)<<(p&31)
			cache <<= n & 63
			nbits -= n
			dst[i] = int32(u>>1) ^ -int32(u&1)
		}
		b.cache, b.nbits, b.next = cache, nbits, next
		if i == len(dst) {
			return riceOK
		}
		// The general path, for one code.
		q, ok := b.readUnary()
		if !ok {
			return riceEOF
		}
		if q > limit {
			return riceInvalid
		}
		lsb, ok := b.readBits(p)
		if !ok {
			return riceEOF
		}
		v := q<<p | lsb
		dst[i] = int32(v>>1) ^ -int32(v&1)
		i++
	}
}

// startCRC begins the CRC-16 of a frame whose two sync bytes were just
// read.
func (b *bitReader) startCRC(sync0, sync1 byte) {
	b.crc = crc16Update(0, []byte{sync0, sync1})
	b.crcOff = b.bytePos()
	b.crcOn = true
}

// frameCRC is the CRC-16 of the frame up to the (byte-aligned) current
// position.
func (b *bitReader) frameCRC() uint16 {
	p := b.bytePos()
	if b.crcOff < p {
		b.crc = crc16Update(b.crc, b.buf[b.crcOff-b.base:p-b.base])
		b.crcOff = p
	}
	b.crcOn = false
	return b.crc
}

// scanSync moves to just after the next frame sync code (0xFF then 0xF8 or
// 0xF9) at or after the current byte-aligned position and returns its
// second byte; false at the end of the input. It is libFLAC's frame_sync_
// when no error is reported: while seeking, lost sync is silent.
func (b *bitReader) scanSync() (byte, bool) {
	b.next -= int(b.nbits >> 3)
	b.cache, b.nbits = 0, 0
	for {
		i := bytes.IndexByte(b.buf[b.next:b.end], 0xFF)
		if i < 0 {
			b.next = b.end
			if !b.slide() {
				return 0, false
			}
			continue
		}
		b.next += i + 1
		if b.next == b.end && !b.slide() {
			return 0, false
		}
		if x := b.buf[b.next]; x>>1 == 0x7C {
			b.next++
			return x, true
		}
	}
}
