package ogg_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
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

// headReader is an input whose first bytes are already read, as the
// checker hands them to probe (probe.HeadReader).
type headReader struct {
	*bytes.Reader
	head []byte
}

func (h headReader) Head() []byte { return h.head }

func newHeadReader(data []byte) headReader {
	return headReader{bytes.NewReader(data), data[:min(len(data), probe.HeadSize)]}
}

// BenchmarkWorkloadInMemory probes and fully reads the 1000 Opus files of
// the benchmark workload from memory, one after the other: the Ogg work
// alone, without the file system. APF_WORKLOAD as for
// BenchmarkWorkload1000.
func BenchmarkWorkloadInMemory(b *testing.B) {
	dir := os.Getenv("APF_WORKLOAD")
	if dir == "" {
		dir = "/tmp/apf-workload"
	}
	names, _ := filepath.Glob(filepath.Join(dir, "speech5s-opus", "*.opus"))
	if len(names) == 0 {
		b.Skip("no workload: run scripts/bench-workload.sh " + dir)
	}
	var files [][]byte
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			r := newHeadReader(data)
			info, err := probe.Probe(r, int64(len(data)), "a.opus")
			if err == nil {
				_, err = probe.ReadAll(r, int64(len(data)), info)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(files)), "files/op")
}

// TestFullReadAllocations bounds the allocations of a full check of a
// typical file: the per-file state is reused, so what remains is what the
// caller keeps (the Info, its parts and the read result, in one piece),
// probe's own and the input's.
func TestFullReadAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "ogg", "opus-16k-5s-24k.opus"))
	if err != nil {
		t.Fatal(err)
	}
	check := func() {
		r := newHeadReader(data)
		info, err := probe.Probe(r, int64(len(data)), "a.opus")
		if err != nil {
			t.Fatal(err)
		}
		if res, err := probe.ReadAll(r, int64(len(data)), info); err != nil || res.FramesRead != 80000 {
			t.Fatalf("%v %+v", err, res)
		}
	}
	check()
	if n := testing.AllocsPerRun(50, check); n > 6 && !raceDetector {
		t.Errorf("%.0f allocations per file, want at most 6", n)
	}
}

// TestReleaseThenRead: a header check gives its state back with
// probe.Release, and its allocations stay bounded too; a full read after
// that opens the file again and finds the same.
func TestReleaseThenRead(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "ogg", "opus-16k-5s-24k.opus"))
	if err != nil {
		t.Fatal(err)
	}
	header := func() *probe.Info {
		info, err := probe.Probe(newHeadReader(data), int64(len(data)), "a.opus")
		if err != nil || !info.Opens {
			t.Fatal(err, info)
		}
		probe.Release(info)
		return info
	}
	info := header()
	res, err := probe.ReadAll(newHeadReader(data), int64(len(data)), info)
	if err != nil || res.FramesRead != 80000 || res.ReadError != "" {
		t.Fatalf("%v %+v", err, res)
	}
	if testing.Short() {
		return
	}
	if n := testing.AllocsPerRun(50, func() { header() }); n > 4 && !raceDetector {
		t.Errorf("%.0f allocations per header check, want at most 4", n)
	}
}

// TestReadTwice: a second ReadAll of the same Info opens the file again
// and gives a result of its own, equal to the first.
func TestReadTwice(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "ogg", "broken-5s-crc5.opus"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := probe.Probe(newHeadReader(data), int64(len(data)), "a.opus")
	if err != nil || !info.Opens {
		t.Fatal(err, info)
	}
	first, err := probe.ReadAll(newHeadReader(data), int64(len(data)), info)
	if err != nil {
		t.Fatal(err)
	}
	kept := *first
	second, err := probe.ReadAll(newHeadReader(data), int64(len(data)), info)
	if err != nil {
		t.Fatal(err)
	}
	if first == second || !reflect.DeepEqual(*first, kept) || !reflect.DeepEqual(*second, kept) {
		t.Errorf("first %+v (was %+v), second %+v", *first, kept, *second)
	}
	if kept.FramesSkipped == 0 {
		t.Errorf("the bad page's frames not counted: %+v", kept)
	}
}
