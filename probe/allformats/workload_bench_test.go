package allformats_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
)

// input is one file held in memory, read the way the checker reads it:
// its first probe.HeadSize bytes are handed over already read
// (probe.HeadReader) and every other read is counted, so that the
// benchmark shows the reads a file on disk would cost.
type input struct {
	r     *bytes.Reader
	head  []byte
	reads atomic.Int64
	bytes atomic.Int64
}

func (in *input) Head() []byte { return in.head }

func (in *input) ReadAt(p []byte, off int64) (int, error) {
	if off >= 0 && off+int64(len(p)) <= int64(len(in.head)) {
		return copy(p, in.head[off:]), nil
	}
	in.reads.Add(1)
	n, err := in.r.ReadAt(p, off)
	in.bytes.Add(int64(n))
	return n, err
}

// workload loads a family of the benchmark workload (scripts/bench-workload.sh)
// from $AUDIOPREFLIGHT_WORKLOAD (default /tmp/apf-workload).
func workload(b *testing.B, family string) (names []string, files [][]byte) {
	dir := os.Getenv("AUDIOPREFLIGHT_WORKLOAD")
	if dir == "" {
		dir = "/tmp/apf-workload"
	}
	names, _ = filepath.Glob(filepath.Join(dir, family, "*"))
	if len(names) == 0 {
		b.Skip("no workload: run scripts/bench-workload.sh " + dir)
	}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	return names, files
}

// benchWorkload checks every file of a family as the checker does (a
// header check, or a full read), from memory, one after the other: the
// probe's work per file without the file system and the run loop. It
// reports the preads past the head and the bytes they read, per file.
func benchWorkload(b *testing.B, family string, full bool) {
	names, files := workload(b, family)
	var reads, read int64
	b.ReportAllocs()
	for b.Loop() {
		for i, data := range files {
			in := &input{r: bytes.NewReader(data), head: data[:min(len(data), probe.HeadSize)]}
			info, err := probe.Probe(in, int64(len(data)), names[i])
			if err != nil {
				b.Fatal(names[i], err)
			}
			if full {
				if _, err := probe.ReadAll(in, int64(len(data)), info); err != nil {
					b.Fatal(names[i], err)
				}
			} else {
				probe.Release(info)
			}
			reads += in.reads.Load()
			read += in.bytes.Load()
		}
	}
	n := float64(b.N) * float64(len(files))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n/1e3, "µs/file")
	b.ReportMetric(float64(reads)/n, "preads/file")
	b.ReportMetric(float64(read)/n, "bytes-read/file")
}

// BenchmarkWorkloadSmallHeader: the 1000 mixed small files, header-only.
func BenchmarkWorkloadSmallHeader(b *testing.B) { benchWorkload(b, "small", false) }

// BenchmarkWorkloadOpusFull: the 1000 five-second Ogg-Opus files, full.
func BenchmarkWorkloadOpusFull(b *testing.B) { benchWorkload(b, "speech5s-opus", true) }
