package cmd

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchCheckWorkload runs `check ARGS... DIR` in process on a family of the
// benchmark workload (scripts/bench-workload.sh, $AUDIOPREFLIGHT_WORKLOAD or
// /tmp/apf-workload) with its output discarded: the whole command's work per
// file — walk, open, probe, verdict, render — without process start.
func benchCheckWorkload(b *testing.B, family string, args ...string) {
	dir := os.Getenv("AUDIOPREFLIGHT_WORKLOAD")
	if dir == "" {
		dir = "/tmp/apf-workload"
	}
	dir = filepath.Join(dir, family)
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		b.Skip("no workload: run scripts/bench-workload.sh")
	}
	args = append(append([]string{"check"}, args...), dir)
	b.ReportAllocs()
	for b.Loop() {
		if code := Execute(args, nil, io.Discard, io.Discard); code > 1 {
			b.Fatalf("exit status %d", code)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(entries))/1e3, "µs/file")
}

func BenchmarkCheckSmallHeaderOnly(b *testing.B) { benchCheckWorkload(b, "small", "--header-only") }
func BenchmarkCheckOpusFull(b *testing.B)        { benchCheckWorkload(b, "speech5s-opus") }

func BenchmarkCheckSmallHeaderOnlyJSON(b *testing.B) {
	benchCheckWorkload(b, "small", "--header-only", "-o", "json")
}

func BenchmarkCheckFLACFull(b *testing.B) { benchCheckWorkload(b, "speech5s-flac") }
func BenchmarkCheckWAVFull(b *testing.B)  { benchCheckWorkload(b, "speech5s-wav") }
