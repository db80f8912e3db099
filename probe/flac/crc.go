package flac

// FLAC protects each frame header with a CRC-8 (polynomial x^8+x^2+x+1) and
// each whole frame with a CRC-16 (polynomial x^16+x^15+x^2+1), both
// MSB-first with a zero initial value (FLAC format, "FRAME_HEADER" and
// "FRAME_FOOTER").

var crc8Table = func() (t [256]uint8) {
	for i := range t {
		c := uint8(i)
		for range 8 {
			if c&0x80 != 0 {
				c = c<<1 ^ 0x07
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

func crc8(p []byte) uint8 {
	var c uint8
	for _, b := range p {
		c = crc8Table[c^b]
	}
	return c
}

// crc16Tables holds slice-by-8 tables: crc16Tables[k][b] is the CRC of the
// byte b followed by k zero bytes, so that eight input bytes fold into the
// CRC with eight table lookups.
var crc16Tables = func() (t [8][256]uint16) {
	for i := range t[0] {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x8005
			} else {
				c <<= 1
			}
		}
		t[0][i] = c
	}
	for k := 1; k < 8; k++ {
		for i := range t[k] {
			p := t[k-1][i]
			t[k][i] = p<<8 ^ t[0][p>>8]
		}
	}
	return t
}()

// crc16Table folds p into the running frame CRC c, eight bytes a turn
// through the tables (crc16Update where nothing faster is at hand).
func crc16Table(c uint16, p []byte) uint16 {
	t := &crc16Tables
	for len(p) >= 8 {
		c ^= uint16(p[0])<<8 | uint16(p[1])
		c = t[7][c>>8] ^ t[6][c&0xff] ^ t[5][p[2]] ^ t[4][p[3]] ^
			t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]]
		p = p[8:]
	}
	for _, b := range p {
		c = c<<8 ^ t[0][byte(c>>8)^b]
	}
	return c
}
