package wav_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// speechWAV is a 5-second 16 kHz mono 16-bit WAV as ffmpeg writes it (with
// a LIST/INFO chunk before the audio): the file the server wants.
func speechWAV() []byte {
	list := chunk("LIST", cat([]byte("INFO"), chunk("ISFT", []byte("Lavf59.27.100\x00"))))
	return riff(fmt16, list, chunk("data", pcm16(5*16000)))
}

func benchProbe(b *testing.B, data []byte, full bool) {
	cr := &countingReader{r: bytes.NewReader(data)}
	size := int64(len(data))
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		info, err := probe.Probe(cr, size, "speech.wav")
		if err != nil || !info.Opens {
			b.Fatalf("%v %+v", err, info)
		}
		if full {
			if res, err := probe.ReadAll(cr, size, info); err != nil || res == nil {
				b.Fatalf("%v %+v", err, res)
			}
		}
	}
	b.ReportMetric(float64(cr.bytes.Load())/float64(b.N), "bytes-read/op")
}

// Header probe of a 16 kHz mono PCM WAV.
func BenchmarkProbe16kMono(b *testing.B) { benchProbe(b, speechWAV(), false) }

// Header probe and full read of the same file: the header settles the read.
func BenchmarkReadAll16kMono(b *testing.B) { benchProbe(b, speechWAV(), true) }

// Full read of MPEG audio in a WAV, which walks every frame.
func BenchmarkReadAllMP3InWAV(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "wav", "mp3-16k-mono.wav"))
	if err != nil {
		b.Fatal(err)
	}
	benchProbe(b, data, true)
}

// wavHead is a WAV in memory whose first probe.HeadSize bytes are already
// read, as the checker hands an input to probe (probe.HeadReader).
type wavHead struct {
	*bytes.Reader
	head []byte
}

func (h wavHead) Head() []byte { return h.head }

// TestHeaderAllocations bounds the allocations of a header check of the
// file the server wants: a WAV settled from its header is the commonest
// input, and each allocation is paid once per input.
func TestHeaderAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	data := speechWAV()
	check := func() {
		info, err := probe.Probe(wavHead{bytes.NewReader(data), data[:probe.HeadSize]}, int64(len(data)), "speech.wav")
		if err != nil || !info.Opens || info.Settled == nil || info.Samples == nil {
			t.Fatalf("%v %+v", err, info)
		}
		probe.Release(info)
	}
	check()
	if n := testing.AllocsPerRun(50, check); n > 4 && !raceDetector {
		t.Errorf("%.0f allocations per header check, want at most 4", n)
	}
	// A checker that probes one input after another in a Prober and a
	// Room allocates nothing for a WAV settled from its header.
	var p probe.Prober
	var room probe.Room
	r := &wavHead{bytes.NewReader(data), data[:probe.HeadSize]}
	inRoom := func() {
		info, err := p.Probe(r, int64(len(data)), "speech.wav", &room)
		if err != nil || !info.Opens || info.Settled == nil || info.Samples == nil || len(info.Parts) != 4 {
			t.Fatalf("%v %+v", err, info)
		}
		probe.Release(info)
	}
	if n := testing.AllocsPerRun(50, inRoom); n > 0 && !raceDetector {
		t.Errorf("%.0f allocations per header check in a room, want none", n)
	}
}
