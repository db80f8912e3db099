package flac

import "testing"

// crcBitwise is the MSB-first CRC of the given width and polynomial
// (without its x^width term), one bit at a time from its definition.
func crcBitwise(width int, poly uint32, p []byte) uint32 {
	top := uint32(1) << (width - 1)
	mask := top<<1 - 1
	var c uint32
	for _, b := range p {
		c ^= uint32(b) << (width - 8)
		for range 8 {
			if c&top != 0 {
				c = (c<<1 ^ poly) & mask
			} else {
				c = c << 1 & mask
			}
		}
	}
	return c
}

// The tables and the folding constants are what their definitions give.
func TestCRCTables(t *testing.T) {
	for b := range 256 {
		if got, want := uint32(crc8Table()[b]), crcBitwise(8, 0x07, []byte{byte(b)}); got != want {
			t.Fatalf("crc8Table[%#x] = %#x, want %#x", b, got, want)
		}
		for k := range crc16Tables() {
			msg := make([]byte, 1+k)
			msg[0] = byte(b)
			if got, want := uint32(crc16Tables()[k][b]), crcBitwise(16, 0x8005, msg); got != want {
				t.Fatalf("crc16Tables[%d][%#x] = %#x, want %#x", k, b, got, want)
			}
		}
	}
	for _, c := range []struct {
		n    int
		have uint64
	}{{64, crc16X64}, {128, crc16X128}, {192, crc16X192}} {
		r := uint64(1)
		for range c.n {
			if r <<= 1; r&(1<<16) != 0 {
				r ^= 1<<16 | 0x8005
			}
		}
		if c.have != r {
			t.Errorf("x^%d mod P = %#x, generated %#x", c.n, r, c.have)
		}
	}
}
