package ogg_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r *bytes.Reader
	n atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// typical5s is a 5 s, 16 kHz mono Ogg-Opus file as opusenc writes it at
// 24 kbit/s.
func typical5s(b *testing.B) []byte {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "ogg", "opus-16k-5s-24k.opus"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkProbeHeader(b *testing.B) {
	data := typical5s(b)
	cr := &countingReader{r: bytes.NewReader(data)}
	b.ReportAllocs()
	for b.Loop() {
		info, err := probe.Probe(cr, int64(len(data)), "a.opus")
		if err != nil || !info.Opens {
			b.Fatal(err, info.OpenError)
		}
	}
	b.ReportMetric(float64(cr.n.Load())/float64(b.N), "bytes-read/op")
	b.ReportMetric(float64(len(data)), "file-bytes")
}

func BenchmarkFullRead(b *testing.B) {
	data := typical5s(b)
	cr := &countingReader{r: bytes.NewReader(data)}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		info, err := probe.Probe(cr, int64(len(data)), "a.opus")
		if err != nil {
			b.Fatal(err)
		}
		res, err := probe.ReadAll(cr, int64(len(data)), info)
		if err != nil || res == nil || res.FramesRead != 80000 {
			b.Fatalf("%v %+v", err, res)
		}
	}
	b.ReportMetric(float64(cr.n.Load())/float64(b.N), "bytes-read/op")
}

// BenchmarkWorkload1000 probes and fully reads the 1000 five-second Opus
// files of the benchmark workload (scripts/bench-workload.sh),
// two at a time as the tool does on two cores. Set APF_WORKLOAD to its
// directory (default /tmp/apf-workload).
func BenchmarkWorkload1000(b *testing.B) {
	dir := os.Getenv("APF_WORKLOAD")
	if dir == "" {
		dir = "/tmp/apf-workload"
	}
	names, _ := filepath.Glob(filepath.Join(dir, "speech5s-opus", "*.opus"))
	if len(names) == 0 {
		b.Skip("no workload: run scripts/bench-workload.sh " + dir)
	}
	for b.Loop() {
		var wg sync.WaitGroup
		next := atomic.Int64{}
		for range 2 {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= len(names) {
						return
					}
					f, err := os.Open(names[i])
					if err != nil {
						b.Error(err)
						return
					}
					st, _ := f.Stat()
					info, err := probe.Probe(f, st.Size(), names[i])
					if err == nil {
						_, err = probe.ReadAll(f, st.Size(), info)
					}
					f.Close()
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(len(names)), "files/op")
}
