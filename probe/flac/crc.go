package flac

// FLAC protects each frame header with a CRC-8 (polynomial x^8+x^2+x+1) and
// each whole frame with a CRC-16 (polynomial x^16+x^15+x^2+1), both
// MSB-first with a zero initial value (FLAC format, "FRAME_HEADER" and
// "FRAME_FOOTER").

//go:generate go run ../../internal/crcgen -o crc_tables.go crc8Table=8,0x07,1 crc16Tables=16,0x8005,8 crc16X64=16,0x8005,x64 crc16X128=16,0x8005,x128 crc16X192=16,0x8005,x192

// crc8Table is the CRC-8 of each byte. crc16Tables are slice-by-8 tables
// of the CRC-16: crc16Tables[k][b] is the CRC of the byte b followed by k
// zero bytes, so that eight input bytes fold into the CRC with eight
// lookups. crc16X64 and its kin are the folding constants of crc16Fold.
// All are data generated into crc_tables.go (TestCRCTables checks them)
// rather than built: at start-up every run would pay for them, most
// without reading a frame, and built on first use they would cost each
// call a test of whether they are built yet.

func crc8(p []byte) uint8 {
	var c uint8
	for _, b := range p {
		c = crc8Table[c^b]
	}
	return c
}

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
