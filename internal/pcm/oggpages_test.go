package pcm

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// pages splits an Ogg file into its pages.
func pages(t *testing.T, b []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(b) > 0 {
		n := 27 + int(b[26])
		for _, l := range b[27:n] {
			n += int(l)
		}
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

func decodeBytes(t *testing.T, data []byte) []float32 {
	t.Helper()
	r := bytes.NewReader(data)
	info, err := probe.Probe(r, int64(len(data)), "x.ogg")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(r, int64(len(data)), info)
	if err != nil {
		t.Fatal(err)
	}
	return readAll(t, d)
}

// TestOggFirstStreamOnly: a chained stream after the first, or a second
// stream multiplexed with it, does not reach the Vorbis decoder, which
// would take its packets for the first stream's.
func TestOggFirstStreamOnly(t *testing.T) {
	a, _ := os.ReadFile("testdata/vorbis-44k-stereo.ogg")
	b, _ := os.ReadFile("testdata/vorbis-16k-mono.ogg")
	want := decodeBytes(t, a)

	chained := append(append([]byte(nil), a...), b...)
	if got := decodeBytes(t, chained); !slices.Equal(got, want) {
		t.Errorf("chained: %d samples, want the first stream's %d", len(got), len(want))
	}

	// multiplexed: both streams' first pages, then the rest in turn
	pa, pb := pages(t, a), pages(t, b)
	var mux []byte
	mux = append(mux, pa[0]...)
	mux = append(mux, pb[0]...)
	for i := 1; i < max(len(pa), len(pb)); i++ {
		if i < len(pb) {
			mux = append(mux, pb[i]...)
		}
		if i < len(pa) {
			mux = append(mux, pa[i]...)
		}
	}
	if got := decodeBytes(t, mux); !slices.Equal(got, want) {
		t.Errorf("multiplexed: %d samples, want the first stream's %d", len(got), len(want))
	}
}
