package aiff

import (
	"bytes"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile/sndfiletest"
)

// fiveSeconds is a typical upload: 16 kHz mono 16-bit AIFF, 5 s, with the
// COMT and FVER chunks SoX and ffmpeg write.
func fiveSeconds() []byte {
	pcm := make([]byte, 5*16000*2)
	return form("AIFC",
		chunk("FVER", be32(0xA2805140)),
		chunk("COMT", append(append(be16(1), make([]byte, 6)...), append(be16(16), []byte("Processed by SoX")...)...)),
		commChunk(1, 80000, 16, rate16k, "NONE"),
		ssnd(0, pcm))
}

func BenchmarkAIFFHeader(b *testing.B) {
	data := fiveSeconds()
	cr := &sndfiletest.CountingReader{R: bytes.NewReader(data)}
	b.ReportAllocs()
	var read int64
	for b.Loop() {
		info, err := probe.Probe(cr, int64(len(data)), "a.aiff")
		if err != nil || !info.Opens || info.Frames != 80000 {
			b.Fatalf("%+v %v", info, err)
		}
		read += cr.Bytes()
	}
	b.ReportMetric(float64(read)/float64(b.N), "bytes-read/op")
}

func BenchmarkAIFFReadAll(b *testing.B) {
	data := fiveSeconds()
	cr := &sndfiletest.CountingReader{R: bytes.NewReader(data)}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var read int64
	for b.Loop() {
		info, _ := probe.Probe(cr, int64(len(data)), "a.aiff")
		res, err := probe.ReadAll(cr, int64(len(data)), info)
		if err != nil || res.FramesRead != 80000 {
			b.Fatalf("%+v %v", res, err)
		}
		read += cr.Bytes()
	}
	b.ReportMetric(float64(read)/float64(b.N), "bytes-read/op")
}
