package probe_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile/sndfiletest"
)

// TestProbeAgreesWithTheModelOnTheBigID3Corpus compares probe with the
// model on the large generated id3 family (scripts/make-corpus.sh --out DIR
// id3 with CORPUS_SCALE=50: random tags in front of random corpus files),
// when AUDIOPREFLIGHT_BIG_CORPUS names DIR.
func TestProbeAgreesWithTheModelOnTheBigID3Corpus(t *testing.T) {
	root := os.Getenv("AUDIOPREFLIGHT_BIG_CORPUS")
	if root == "" {
		t.Skip("set AUDIOPREFLIGHT_BIG_CORPUS to the output directory of make-corpus.sh --out DIR id3")
	}
	n := compareWithModel(t, filepath.Join(root, "id3"), "expected-unscripted.jsonl")
	if n == 0 {
		t.Fatal("no files compared")
	}
	t.Logf("compared %d files", n)
}

const (
	maxFuzzInput = 64 << 10
	maxFuzzAlloc = 4 << 20 // bytes one Probe+ReadAll may allocate on a 64 KiB input
)

// FuzzID3 probes arbitrary bytes with every format registered, seeded with
// inputs behind ID3v2 tags: no panic, termination, bounded allocation, and
// an Info that holds together.
func FuzzID3(f *testing.F) {
	dir := filepath.Join("..", "testdata", "corpus", "id3")
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), "expected-") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), maxFuzzInput)])
	}
	// tags of size 0 and 1 in a row, each followed by what fills it to 12 bytes
	f.Add([]byte("ID3\x03\x00\x00\x00\x00\x00\x00xxID3\x04\x00\x00\x00\x00\x00\x01\x00xRIFF\x24\x00\x00\x00WAVEfmt "))
	f.Add([]byte("ID3\x04\x00\x10\x00\x00\x00\x023DI\x04\x00\x10\x00\x00\x00\x02fLaC\x00\x00\x00\x22"))
	f.Fuzz(func(t *testing.T, b []byte) {
		defer fuzzguard.Watch(len(b))()
		if len(b) > maxFuzzInput {
			return
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r := bytes.NewReader(b)
		info, err := probe.Probe(r, int64(len(b)), "fuzz")
		if err != nil {
			t.Fatalf("probe: %v", err) // a bytes.Reader never fails
		}
		res, err := probe.ReadAll(r, int64(len(b)), info)
		if err != nil {
			t.Fatalf("read all: %v", err)
		}
		runtime.ReadMemStats(&after)
		if d := after.TotalAlloc - before.TotalAlloc; d > maxFuzzAlloc {
			t.Fatalf("allocated %d bytes for a %d-byte input", d, len(b))
		}
		if info.Container == "" || info.Opens == (info.OpenError != "") {
			t.Fatalf("inconsistent info %+v", info)
		}
		if info.Opens && (info.SndfileFormat == "" || info.SndfileSubtype == "") {
			t.Fatalf("opens without a libsndfile format: %+v", info)
		}
		if res != nil && (res.FramesRead < 0 || !info.Opens) {
			t.Fatalf("read result %+v for %+v", res, info)
		}
	})
}

// BenchmarkProbeBehindID3 probes 16 kHz mono files behind a 1 KiB ID3v2.3
// tag, headers only and with the full read, and reports the bytes read
// per probe.
func BenchmarkProbeBehindID3(b *testing.B) {
	tag := append([]byte("ID3\x03\x00\x00\x00\x00\x08\x00"), make([]byte, 1024)...)
	for _, name := range []string{"samples/hello-16k-mono.wav", "samples/hello-16k-mono.flac", "corpus/mpeg/bench-5s-16k-mono.mp3"} {
		audio, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			b.Fatal(err)
		}
		data := append(append([]byte(nil), tag...), audio...)
		size := int64(len(data))
		for _, full := range []bool{false, true} {
			label := "header/" + filepath.Ext(name)[1:]
			if full {
				label = "full/" + filepath.Ext(name)[1:]
			}
			b.Run(label, func(b *testing.B) {
				r := &sndfiletest.CountingReader{R: bytes.NewReader(data)}
				if full {
					b.SetBytes(size)
				}
				b.ReportAllocs()
				for b.Loop() {
					info, err := probe.Probe(r, size, name)
					if err != nil || !info.Opens {
						b.Fatalf("%s: %v %+v", name, err, info)
					}
					if full {
						if _, err := probe.ReadAll(r, size, info); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(r.Bytes())/float64(b.N), "bytes-read/op")
			})
		}
	}
}
