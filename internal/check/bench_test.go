package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/internal/run"
	"github.com/audiopreflight/audiopreflight/validate"
)

// benchmarkInputs copies the sample recordings into n files in a temporary
// directory, in the mix of a typical upload folder: mostly 16 kHz mono WAV,
// some FLAC, Ogg-Opus, 44.1 kHz stereo and MP3.
func benchmarkInputs(b testing.TB, n int) []Target {
	b.Helper()
	mix := []string{"hello-16k-mono.wav", "hello-16k-mono.wav", "hello-16k-mono.wav", "hello-16k-mono.wav",
		"hello-16k-mono.wav", "hello-16k-mono.wav", "hello-16k-mono.wav", "hello-16k-mono.flac", "hello-16k-mono.opus", "hello-44k-stereo.flac", "hello.mp3"}
	dir := b.TempDir()
	targets := make([]Target, n)
	for i := range targets {
		src := mix[i%len(mix)]
		data, err := os.ReadFile(filepath.Join("../../testdata/samples", src))
		if err != nil {
			b.Fatal(err)
		}
		name := filepath.Join(dir, fmt.Sprintf("%04d-%s", i, src))
		if err := os.WriteFile(name, data, 0o644); err != nil {
			b.Fatal(err)
		}
		targets[i] = Target{Name: name, Source: report.SourceFile}
	}
	return targets
}

func benchmarkRun(b *testing.B, headerOnly bool) {
	targets := benchmarkInputs(b, 1000)
	c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit, HeaderOnly: headerOnly}}
	progress := &Progress{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rejected := 0
		err := c.Run(context.Background(), run.Slice(targets), RunOptions{Jobs: runtime.NumCPU(), Progress: progress}, func(r *report.Result) error {
			if r.Error != "" {
				return fmt.Errorf("%s: %s", r.Input, r.Error)
			}
			if r.Status == report.StatusRejected {
				rejected++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if rejected == 0 {
			b.Fatal("no input was rejected: the mix is wrong")
		}
	}
	b.ReportMetric(float64(progress.BytesRead.Load())/float64(b.N)/1000, "bytes-read/file")
}

// BenchmarkCheck1000HeaderOnly is `check --header-only` over 1000 small files.
func BenchmarkCheck1000HeaderOnly(b *testing.B) { benchmarkRun(b, true) }

// BenchmarkCheck1000Full is the full check over the same 1000 files.
func BenchmarkCheck1000Full(b *testing.B) { benchmarkRun(b, false) }
