package caf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile/sndfiletest"
)

// fiveSeconds is 16 kHz mono 16-bit CAF, 5 s, laid out as ffmpeg writes it.
func fiveSeconds() []byte {
	pcm := make([]byte, 5*16000*2)
	return cafFile(descChunk(16000, "lpcm", 2, 2, 1, 1, 16),
		cchunk("chan", make([]byte, 12), 12),
		cchunk("info", append([]byte{0, 0, 0, 1}, "encoder\x00Lavf\x00"...), 17),
		dataChunk(pcm, int64(len(pcm)+4)))
}

func BenchmarkCAFHeader(b *testing.B) {
	data := fiveSeconds()
	cr := &sndfiletest.CountingReader{R: bytes.NewReader(data)}
	b.ReportAllocs()
	var read int64
	for b.Loop() {
		info, err := probe.Probe(cr, int64(len(data)), "a.caf")
		if err != nil || !info.Opens || info.Frames != 80000 {
			b.Fatalf("%+v %v", info, err)
		}
		read += cr.Bytes()
	}
	b.ReportMetric(float64(read)/float64(b.N), "bytes-read/op")
}

// BenchmarkCAFALACReadAll reads an Apple Lossless file packet by packet,
// entropy decoding included.
func BenchmarkCAFALACReadAll(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(sndfiletest.CorpusDir(), "caf-sf-alac16-16k.caf"))
	if err != nil {
		b.Fatal(err)
	}
	cr := &sndfiletest.CountingReader{R: bytes.NewReader(data)}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var read int64
	for b.Loop() {
		info, _ := probe.Probe(cr, int64(len(data)), "a.caf")
		res, err := probe.ReadAll(cr, int64(len(data)), info)
		if err != nil || res == nil || res.FramesRead != info.Frames {
			b.Fatalf("%+v %v", res, err)
		}
		read += cr.Bytes()
	}
	b.ReportMetric(float64(read)/float64(b.N), "bytes-read/op")
}
