package shasum

import (
	"crypto/sha256"
	"math/rand/v2"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
)

// TestSum256IsCryptoSHA256 compares every length across the padding's
// edges (55, 56, 63, 64 bytes and beyond two blocks) and random contents.
func TestSum256IsCryptoSHA256(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 300; n++ {
		for range 4 {
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(r.Uint32())
			}
			if got, want := Sum256(data), sha256.Sum256(data); got != want {
				t.Fatalf("%d bytes %x: %x, crypto/sha256 %x", n, data, got, want)
			}
		}
	}
	// FIPS 180-4's example: "abc".
	if got := Sum256([]byte("abc")); got != [Size]byte{
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	} {
		t.Fatalf(`Sum256("abc") = %x`, got)
	}
}

func FuzzSum256(f *testing.F) {
	f.Add([]byte("samples/take.wav"))
	f.Add(make([]byte, 56))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		if got, want := Sum256(data), sha256.Sum256(data); got != want {
			t.Fatalf("%x: %x, crypto/sha256 %x", data, got, want)
		}
	})
}
