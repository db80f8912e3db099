package ogg

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
		if canFold && len(p) >= 64 {
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
	if !canFold {
		t.Log("no carry-less multiply here: only the tables were checked")
	}
}

// A page is its checksum's fixed point: stored, it checks.
func TestPageChecksumOfBuiltPage(t *testing.T) {
	pg := oggPage{serial: 3, seq: 9, packets: [][]byte{make([]byte, 3000), make([]byte, 70)}}.bytes()
	if got, want := pageChecksum(pg), uint32(pg[22])|uint32(pg[23])<<8|uint32(pg[24])<<16|uint32(pg[25])<<24; got != want {
		t.Fatalf("%#x, stored %#x", got, want)
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
