package ogg

import "testing"

// A page is its checksum's fixed point: stored, it checks.
func TestPageChecksumOfBuiltPage(t *testing.T) {
	pg := oggPage{serial: 3, seq: 9, packets: [][]byte{make([]byte, 3000), make([]byte, 70)}}.bytes()
	if got, want := pageChecksum(pg), uint32(pg[22])|uint32(pg[23])<<8|uint32(pg[24])<<16|uint32(pg[25])<<24; got != want {
		t.Fatalf("%#x, stored %#x", got, want)
	}
}
