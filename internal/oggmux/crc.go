package oggmux

// Ogg page checksum (RFC 3533 §6): CRC-32 with polynomial 0x04c11db7,
// most significant bit first, initial value 0, no final inversion, over the
// whole page with the checksum field taken as zero. hash/crc32 has only the
// bit-reversed form, so the tables are built here (slicing by 8).

const crcPoly = 0x04c11db7

var crcTable = func() (t [8][256]uint32) {
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
	return t
}()

// crcUpdate continues the checksum c over p.
func crcUpdate(c uint32, p []byte) uint32 {
	for len(p) >= 8 {
		c ^= uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
		c = crcTable[7][c>>24] ^ crcTable[6][c>>16&0xff] ^ crcTable[5][c>>8&0xff] ^ crcTable[4][c&0xff] ^
			crcTable[3][p[4]] ^ crcTable[2][p[5]] ^ crcTable[1][p[6]] ^ crcTable[0][p[7]]
		p = p[8:]
	}
	for _, b := range p {
		c = c<<8 ^ crcTable[0][byte(c>>24)^b]
	}
	return c
}

// Checksum computes the checksum of a whole page (header, lacing and body
// in one slice) with bytes 22 to 25, where the stored checksum lives,
// taken as zero.
func Checksum(page []byte) uint32 {
	var zero [4]byte
	c := crcUpdate(0, page[:22])
	c = crcUpdate(c, zero[:])
	return crcUpdate(c, page[26:])
}
