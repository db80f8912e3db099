// Package sndfiletest holds what the fuzz tests and benchmarks of the
// libsndfile-native formats share: seeds from the committed corpus, the
// bounded-allocation check, and a reader that counts the bytes it serves.
package sndfiletest

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// MaxInput is the largest input a fuzz target feeds the parsers.
const MaxInput = 64 << 10

// MaxAlloc is what one probe and full read of a MaxInput input may
// allocate.
const MaxAlloc = 4 << 20

// CorpusDir is testdata/corpus/other seen from a package under probe/.
func CorpusDir() string {
	return filepath.Join("..", "..", "testdata", "corpus", "other")
}

// Seeds adds the committed corpus files whose names start with one of the
// prefixes, cut to MaxInput bytes.
func Seeds(f *testing.F, prefixes ...string) {
	f.Helper()
	entries, err := os.ReadDir(CorpusDir())
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, "expected-") {
			continue
		}
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				b, err := os.ReadFile(filepath.Join(CorpusDir(), name))
				if err != nil {
					f.Fatal(err)
				}
				if len(b) > MaxInput {
					b = b[:MaxInput]
				}
				f.Add(b)
				n++
				break
			}
		}
	}
	if n == 0 {
		f.Fatalf("no seeds for %v", prefixes)
	}
}

// Check runs a format's header reader and, when the input opens, its full
// read, and fails when they allocate more than MaxAlloc. A panic fails the
// fuzz run by itself; a loop that never ends is the fuzz target's watchdog's
// (fuzzguard.Watch).
func Check(t *testing.T, data []byte, readHeader func(io.ReaderAt, int64) (*probe.Info, error),
	readAll func(io.ReaderAt, int64, *probe.Info) (*probe.ReadResult, error)) {
	t.Helper()
	if len(data) > MaxInput {
		data = data[:MaxInput]
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := bytes.NewReader(data)
	info, err := readHeader(r, int64(len(data)))
	if info == nil {
		t.Fatal("no Info")
	}
	if err == nil && info.Settled == nil && readAll != nil {
		if _, err := readAll(r, int64(len(data)), info); err != nil {
			t.Fatalf("full read: %v", err)
		}
	}
	// The same input through the registry, as the tool sees it.
	if pi, err := probe.Probe(r, int64(len(data)), "fuzz"); err == nil {
		probe.ReadAll(r, int64(len(data)), pi)
	}
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > MaxAlloc {
		t.Fatalf("allocated %d bytes for a %d-byte input", d, len(data))
	}
}

// CountingReader is an io.ReaderAt that counts the bytes it serves.
type CountingReader struct {
	R io.ReaderAt
	n atomic.Int64
}

func (c *CountingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.R.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// Bytes returns the bytes served so far and resets the count.
func (c *CountingReader) Bytes() int64 { return c.n.Swap(0) }
