package flac

import "sync/atomic"

// FLAC protects each frame header with a CRC-8 (polynomial x^8+x^2+x+1) and
// each whole frame with a CRC-16 (polynomial x^16+x^15+x^2+1), both
// MSB-first with a zero initial value (FLAC format, "FRAME_HEADER" and
// "FRAME_FOOTER").
//
// The lookup tables are built by the first call that needs them: built at
// start-up, every run would pay for them, most without reading a frame;
// as data in the binary, they would add 4 KB to the web module, which is
// near its size budget. Either way a call then costs the same, but for one
// load and a predictable branch to find the tables.

var crc8Tab atomic.Pointer[[256]uint8]

// crc8Table is the CRC-8 of each byte.
func crc8Table() *[256]uint8 {
	if t := crc8Tab.Load(); t != nil {
		return t
	}
	return buildCRC8Table()
}

func buildCRC8Table() *[256]uint8 {
	t := new([256]uint8)
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
	crc8Tab.Store(t)
	return t
}

func crc8(p []byte) uint8 {
	t := crc8Table()
	var c uint8
	for _, b := range p {
		c = t[c^b]
	}
	return c
}

var crc16Tabs atomic.Pointer[[8][256]uint16]

// crc16Tables are slice-by-8 tables: crc16Tables()[k][b] is the CRC of the
// byte b followed by k zero bytes, so that eight input bytes fold into the
// CRC with eight table lookups.
func crc16Tables() *[8][256]uint16 {
	if t := crc16Tabs.Load(); t != nil {
		return t
	}
	return buildCRC16Tables()
}

func buildCRC16Tables() *[8][256]uint16 {
	t := new([8][256]uint16)
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
	crc16Tabs.Store(t)
	return t
}

// crc16Table folds p into the running frame CRC c, eight bytes a turn
// through the tables (crc16Update where nothing faster is at hand).
func crc16Table(c uint16, p []byte) uint16 {
	t := crc16Tables()
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

// x^64, x^128 and x^192 modulo the CRC-16 polynomial, for crc16Fold
// (TestCRCTables recomputes them).
const crc16X64, crc16X128, crc16X192 = 0x8113, 0x106, 0x1666
