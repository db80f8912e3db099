package flac_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/flac"
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

// benchFile is a 5 s, 16 kHz mono FLAC: the committed corpus' long-burst
// (mostly silence), or, when AUDIOPREFLIGHT_WORKLOAD names the benchmark
// workload, its first speech clip (flac -5 with the default seek table and
// padding, as the server typically gets it).
func benchFile(b *testing.B) []byte {
	b.Helper()
	path := filepath.Join("..", "..", "testdata", "corpus", "flac", "long-burst.flac")
	if dir := os.Getenv("AUDIOPREFLIGHT_WORKLOAD"); dir != "" {
		path = filepath.Join(dir, "speech5s-flac", "s0000.flac")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkHeader(b *testing.B) {
	data := benchFile(b)
	cr := &countingReader{r: bytes.NewReader(data)}
	b.ReportAllocs()
	for b.Loop() {
		info, err := probe.Probe(cr, int64(len(data)), "a.flac")
		if err != nil || !info.Opens {
			b.Fatal(err, info.OpenError)
		}
	}
	b.ReportMetric(float64(cr.n.Load())/float64(b.N), "bytes-read/op")
}

func BenchmarkFullRead(b *testing.B) {
	data := benchFile(b)
	cr := &countingReader{r: bytes.NewReader(data)}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		info, err := probe.Probe(cr, int64(len(data)), "a.flac")
		if err != nil {
			b.Fatal(err)
		}
		res, err := probe.ReadAll(cr, int64(len(data)), info)
		if err != nil || res.ReadError != "" {
			b.Fatal(err, res)
		}
	}
	b.ReportMetric(float64(cr.n.Load())/float64(b.N), "bytes-read/op")
}

// TestWorkload times the full check of the benchmark workload's 1000 FLAC
// files (scripts/bench-workload.sh) on two goroutines, when
// AUDIOPREFLIGHT_WORKLOAD names it. It reports; the budget is in
// CONTRIBUTING.md#benchmarks.
func TestWorkload(t *testing.T) {
	dir := os.Getenv("AUDIOPREFLIGHT_WORKLOAD")
	if dir == "" {
		t.Skip("set AUDIOPREFLIGHT_WORKLOAD to the output directory of scripts/bench-workload.sh")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "speech5s-flac", "*.flac"))
	if len(files) == 0 {
		t.Fatal("no files")
	}
	best, bestCPU := time.Duration(1<<62), time.Duration(1<<62)
	for range 5 {
		start, cpu0 := time.Now(), cpuTime()
		var next atomic.Int64
		var wg sync.WaitGroup
		var bad atomic.Int64
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= int64(len(files)) {
						return
					}
					f, err := os.Open(files[i])
					if err != nil {
						t.Error(err)
						return
					}
					st, _ := f.Stat()
					info, err := probe.Probe(f, st.Size(), files[i])
					if err == nil {
						var res *probe.ReadResult
						res, err = probe.ReadAll(f, st.Size(), info)
						if err == nil && (res == nil || res.ReadError != "" || res.FramesRead != 80000) {
							bad.Add(1)
						}
					}
					f.Close()
					if err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		if bad.Load() != 0 {
			t.Fatalf("%d files not read in full", bad.Load())
		}
		best = min(best, time.Since(start))
		bestCPU = min(bestCPU, cpuTime()-cpu0)
	}
	cpu := "CPU time not measured on " + runtime.GOOS
	if bestCPU > 0 {
		cpu = fmt.Sprintf("%v CPU", bestCPU)
	}
	t.Logf("%d files, full check on 2 goroutines: %v wall, %s (best of 5)", len(files), best, cpu)
}
