package oggcrc

import (
	"math/rand/v2"
	"testing"
)

// crcBitwise is the checksum one bit at a time, straight from its
// definition.
func crcBitwise(c uint32, p []byte) uint32 {
	for _, b := range p {
		c ^= uint32(b) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ crcPoly
			} else {
				c <<= 1
			}
		}
	}
	return c
}

// TestCRC compares the sliced and the folded checksums with the bitwise
// one over every length up to a few blocks and random longer runs, from
// random running values.
func TestCRC(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 70000)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	check := func(c uint32, p []byte) {
		t.Helper()
		want := crcBitwise(c, p)
		if got := crcSliced(c, p); got != want {
			t.Fatalf("sliced, %d bytes from %#x: %#x, want %#x", len(p), c, got, want)
		}
		if got := crcUpdate(c, p); got != want {
			t.Fatalf("crcUpdate, %d bytes from %#x: %#x, want %#x", len(p), c, got, want)
		}
		if canFold() && len(p) >= 64 {
			if got := crcFolded(c, p); got != want {
				t.Fatalf("folded, %d bytes from %#x: %#x, want %#x", len(p), c, got, want)
			}
		}
	}
	for n := 0; n <= 600; n++ {
		check(rng.Uint32(), buf[n%7:n%7+n])
	}
	for range 200 {
		n := rng.IntN(65307)
		off := rng.IntN(len(buf) - n)
		check(rng.Uint32(), buf[off:off+n])
	}
	check(0, make([]byte, 4096))
	if !canFold() {
		t.Log("no carry-less multiply here: only the tables were checked")
	}
}

// The check value of the CRC-32 with polynomial 0x04c11db7, no reflection,
// initial value and final xor 0 is the POSIX cksum one without its final
// inversion.
func TestCheckValue(t *testing.T) {
	if got := crcUpdate(0, []byte("123456789")); got != ^uint32(0x765e7680) {
		t.Errorf("crc(123456789) = %#x", got)
	}
}

// The tables and the folding keys are what their definitions give.
func TestCRCTables(t *testing.T) {
	for k := range crcTables() {
		for b := range 256 {
			msg := make([]byte, 1+k)
			msg[0] = byte(b)
			if got, want := crcTables()[k][b], crcBitwise(0, msg); got != want {
				t.Fatalf("crcTables()[%d][%#x] = %#x, want %#x", k, b, got, want)
			}
		}
	}
	for _, c := range []struct {
		n    int
		have uint64
	}{{128, keys.x128}, {192, keys.x192}, {512, keys.x512}, {576, keys.x576}} {
		r := uint64(1)
		for range c.n {
			if r <<= 1; r&(1<<32) != 0 {
				r ^= 1<<32 | crcPoly
			}
		}
		if c.have != r {
			t.Errorf("x^%d mod P = %#x, generated %#x", c.n, r, c.have)
		}
	}
}

func BenchmarkChecksum(b *testing.B) {
	p := make([]byte, 4096)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		crcUpdate(0, p)
	}
}

func BenchmarkChecksumSliced(b *testing.B) {
	p := make([]byte, 4096)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		crcSliced(0, p)
	}
}
