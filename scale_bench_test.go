package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/objectstore/s3test"
)

// benchObjects is how many objects the bucket benchmarks check.
const benchObjects = 10_000

// runMeasured runs the binary and returns its wall time and peak RSS; an
// exit status of 2 fails the benchmark, unless the arguments ask for
// nothing to be found (--include '*.none').
func runMeasured(b *testing.B, env []string, args ...string) (time.Duration, int64, string) {
	b.Helper()
	c := exec.Command(binary, args...)
	c.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
	var out strings.Builder
	c.Stdout = &out
	start := time.Now()
	err := c.Run()
	wall := time.Since(start)
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() == 2 && !strings.Contains(strings.Join(args, " "), "*.none")) {
		b.Fatalf("%v: %v", args, err)
	}
	return wall, peakRSS(c.ProcessState), out.String()
}

// BenchmarkScaleBucket measures a header check of 10,000 objects on
// loopback (versitygw, objects of 19 KB to 40 KB from testdata/samples)
// at several --remote-jobs: objects per second and the command's peak RSS;
// and, through a counting proxy, the bytes transferred per object.
//
//	go test -run '^$' -bench ScaleBucket -benchtime 3x .
func BenchmarkScaleBucket(b *testing.B) {
	v := s3test.StartVersity(b)
	var files [][]byte
	for _, name := range []string{"hello-16k-mono.wav", "hello-16k-mono.flac", "hello-16k-mono.opus", "hello-44k-stereo.flac", "hello.mp3"} {
		data, err := os.ReadFile(samples + "/" + name)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	exts := []string{".wav", ".flac", ".opus", ".flac", ".mp3"}
	for i := range benchObjects {
		v.Put(b, "archive", fmt.Sprintf("2024/day %02d/take-%05d%s", i%30, i, exts[i%len(exts)]), files[i%len(files)])
	}
	args := []string{"check", "-o", "jsonl", "--header-only", "--read-objects", "s3://archive/2024/"}
	for _, jobs := range []int{1, 8, 32, 128} {
		b.Run(fmt.Sprintf("remote-jobs=%d", jobs), func(b *testing.B) {
			env := objectEnv(b, v.URL)
			var rss int64
			var wall time.Duration
			for b.Loop() {
				w, r, out := runMeasured(b, env, append(args, "--remote-jobs", fmt.Sprint(jobs))...)
				if n := strings.Count(out, "\n"); n != benchObjects {
					b.Fatalf("%d results", n)
				}
				wall += w
				rss = max(rss, r)
			}
			b.ReportMetric(float64(benchObjects*b.N)/wall.Seconds(), "objects/s")
			b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
		})
	}
	b.Run("bytes", func(b *testing.B) {
		endpoint, faults := s3test.Proxy(b, v.URL)
		env := objectEnv(b, endpoint)
		for b.Loop() {
			before := faults.BodyBytes()
			runMeasured(b, env, append(args, "--include", "*.none")...)
			listing := faults.BodyBytes() - before
			before = faults.BodyBytes()
			runMeasured(b, env, args...)
			b.ReportMetric(float64(faults.BodyBytes()-before-listing)/benchObjects, "body-bytes/object")
			b.ReportMetric(float64(listing)/benchObjects, "listing-bytes/object")
		}
	})
}

// BenchmarkScaleListing measures the command's peak RSS over a listing of
// a million keys (a made-up listing server whose every object is the same
// WAV), checking one shard in $AUDIOPREFLIGHT_BENCH_SHARDS (default 100:
// 10,000 objects; 1 checks all of them).
//
//	go test -run '^$' -bench ScaleListing -benchtime 1x .
func BenchmarkScaleListing(b *testing.B) {
	const n = 1_000_000
	wav, err := os.ReadFile(samples + "/hello-16k-mono.wav")
	if err != nil {
		b.Fatal(err)
	}
	endpoint := s3test.ListServer(b, "big", n, func(i int) string { return fmt.Sprintf("archive/2024/%02d/take-%07d.wav", i%12, i) }, wav)
	env := objectEnv(b, endpoint)
	shards := os.Getenv("AUDIOPREFLIGHT_BENCH_SHARDS")
	if shards == "" {
		shards = "100"
	}
	for b.Loop() {
		wall, rss, out := runMeasured(b, env, "check", "-o", "jsonl", "--header-only", "--read-objects", "--shard", "0/"+shards, "s3://big/")
		b.ReportMetric(float64(strings.Count(out, "\n")), "results")
		b.ReportMetric(float64(n)/wall.Seconds(), "listed/s")
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
	}
}
