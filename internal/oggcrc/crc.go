// Package oggcrc is the Ogg page checksum (RFC 3533 §6), for the reader
// that checks pages and the writer that makes them: CRC-32 with polynomial
// 0x04c11db7, most significant bit first, initial value 0, no final
// inversion, computed over the whole page with the checksum field taken as
// zero. hash/crc32 only has the bit-reversed form, so the tables are here
// (slicing by 8); where the CPU multiplies carry-less (crc_amd64.s), long
// runs are folded 64 bytes at a time first.
package oggcrc

import (
	"encoding/binary"
	"sync/atomic"
)

const crcPoly = 0x04c11db7

// The slicing tables are built by the first call that needs them: built
// at start-up, every run would pay for them, most without reading a page;
// as data in the binary, they would add 8 KB to the web module, which is
// near its size budget. Either way a call then costs the same, but for one
// load and a predictable branch to find the tables.

var tables atomic.Pointer[[8][256]uint32]

// crcTables are the slicing tables: crcTables()[k][b] is the checksum of
// the byte b followed by k zero bytes.
func crcTables() *[8][256]uint32 {
	if t := tables.Load(); t != nil {
		return t
	}
	return buildTables()
}

func buildTables() *[8][256]uint32 {
	t := new([8][256]uint32)
	for i := range 256 {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ crcPoly
			} else {
				r <<= 1
			}
		}
		t[0][i] = r
	}
	for i := range 256 {
		for k := 1; k < 8; k++ {
			p := t[k-1][i]
			t[k][i] = p<<8 ^ t[0][p>>24]
		}
	}
	tables.Store(t)
	return t
}

// Checksum computes the checksum of a whole page (header, lacing and body
// in one slice), treating bytes 22..25, where the stored checksum lives,
// as zero.
func Checksum(page []byte) uint32 {
	var zero [4]byte
	c := crcUpdate(0, page[:22])
	c = crcUpdate(c, zero[:])
	return crcUpdate(c, page[26:])
}

// crcUpdate continues the checksum c over p.
func crcUpdate(c uint32, p []byte) uint32 {
	if len(p) >= foldMin && canFold() {
		return crcFolded(c, p)
	}
	return crcSliced(c, p)
}

// crcSliced is crcUpdate with the tables, eight bytes at a time.
func crcSliced(c uint32, p []byte) uint32 {
	t := crcTables()
	for len(p) >= 8 {
		c ^= uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
		c = t[7][c>>24] ^ t[6][c>>16&0xff] ^ t[5][c>>8&0xff] ^ t[4][c&0xff] ^
			t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]]
		p = p[8:]
	}
	for _, b := range p {
		c = c<<8 ^ t[0][byte(c>>24)^b]
	}
	return c
}

// foldMin is the shortest run worth folding.
const foldMin = 128

// foldKeys are the powers of x that folding multiplies by, modulo the
// polynomial: a 128-bit block b = hi·x^64 + lo moved n bits up is
// hi·(x^(n+64) mod P) + lo·(x^n mod P), which has the same remainder and
// fits in 128 bits again.
type foldKeys struct {
	x512, x576 uint64 // four blocks on
	x128, x192 uint64 // one block on
}

// keys: TestCRCTables recomputes them.
var keys = foldKeys{x512: 0xe6228b11, x576: 0x8833794c, x128: 0xe8a45605, x192: 0xc5b9cd4c}

// crcFolded is crcUpdate for runs of at least 64 bytes on a CPU that
// folds: the whole 64-byte blocks are folded into 128 bits with the same
// remainder (c added to their first 32 bits, where a running remainder
// belongs), and the tables finish from those 16 bytes and the rest.
func crcFolded(c uint32, p []byte) uint32 {
	n := len(p) &^ 63
	hi, lo := foldBlocks(c, p[:n], &keys)
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	return crcSliced(crcSliced(0, b[:]), p[n:])
}
