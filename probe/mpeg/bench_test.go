package mpeg_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

func benchFile(b *testing.B, name string) []byte {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "mpeg", name))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func benchHeader(b *testing.B, name string) {
	data := benchFile(b, name)
	cr := &countingReader{r: bytes.NewReader(data)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		info, err := probe.Probe(cr, int64(len(data)), name)
		if err != nil || !info.Opens {
			b.Fatalf("%+v %v", info, err)
		}
	}
	b.ReportMetric(float64(cr.n.Load())/float64(b.N), "bytes-read/op")
}

func benchFull(b *testing.B, name string) {
	data := benchFile(b, name)
	cr := &countingReader{r: bytes.NewReader(data)}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		info, err := probe.Probe(cr, int64(len(data)), name)
		if err != nil || !info.Opens {
			b.Fatalf("%+v %v", info, err)
		}
		res, err := probe.ReadAll(cr, int64(len(data)), info)
		if err != nil || res == nil || res.ReadError != "" {
			b.Fatalf("%+v %v", res, err)
		}
	}
	b.ReportMetric(float64(cr.n.Load())/float64(b.N), "bytes-read/op")
}

// A 5 s 44.1 kHz stereo MP3 with an ID3v2.3 tag and an Info frame.
func BenchmarkHeader44kID3(b *testing.B) { benchHeader(b, "bench-5s-44k-stereo-id3.mp3") }
func BenchmarkFull44kID3(b *testing.B)   { benchFull(b, "bench-5s-44k-stereo-id3.mp3") }

// A 5 s 16 kHz mono MP3 (the rate the server wants, in a container it refuses).
func BenchmarkHeader16kMono(b *testing.B) { benchHeader(b, "bench-5s-16k-mono.mp3") }
func BenchmarkFull16kMono(b *testing.B)   { benchFull(b, "bench-5s-16k-mono.mp3") }
