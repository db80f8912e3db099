package convert

import (
	"bytes"
	"encoding/binary"
	"io"
	"runtime"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/internal/pcm"
	"github.com/audiopreflight/audiopreflight/probe"
)

// wav44 is a 44.1 kHz stereo 16-bit WAV of the given length (a tone).
func wav44(seconds int) []byte {
	n := 44100 * seconds
	b := make([]byte, 44+4*n)
	le := binary.LittleEndian
	copy(b, "RIFF")
	le.PutUint32(b[4:], uint32(36+4*n))
	copy(b[8:], "WAVEfmt ")
	le.PutUint32(b[16:], 16)
	le.PutUint16(b[20:], 1)
	le.PutUint16(b[22:], 2)
	le.PutUint32(b[24:], 44100)
	le.PutUint32(b[28:], 44100*4)
	le.PutUint16(b[32:], 4)
	le.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	le.PutUint32(b[40:], uint32(4*n))
	for i := range n {
		v := uint16(int16((i * 37) % 20000))
		le.PutUint16(b[44+4*i:], v)
		le.PutUint16(b[46+4*i:], v)
	}
	return b
}

// allocFor is what converting data allocates, in bytes.
func allocFor(t *testing.T, data []byte, format encode.Format) uint64 {
	t.Helper()
	r := bytes.NewReader(data)
	info, err := probe.Probe(r, int64(len(data)), "in.wav")
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	dec, err := pcm.Open(r, int64(len(data)), info)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(dec, discard{}, Options{Format: format}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// discard is an output that cannot seek.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

var _ io.Writer = discard{}

// TestMemoryDoesNotGrow: converting a minute allocates about what
// converting five seconds does (the chain holds a few blocks, never the
// audio), so an hour or two converts in the same memory.
func TestMemoryDoesNotGrow(t *testing.T) {
	short, long := wav44(5), wav44(60)
	for _, format := range []encode.Format{encode.WAV} {
		a, b := allocFor(t, short, format), allocFor(t, long, format)
		t.Logf("%s: 5 s allocate %d KiB, 60 s %d KiB", format, a>>10, b>>10)
		if b > a+a/2 {
			t.Errorf("%s: 60 s allocate %d bytes, 5 s %d: memory grows with the length", format, b, a)
		}
	}
}
