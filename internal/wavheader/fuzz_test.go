package wavheader_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/internal/wavheader"
)

// FuzzLocate: any input gives an error or a layout inside the input,
// never a panic, and reading it costs a bounded amount of memory.
func FuzzLocate(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/corpus/wav/*.w*")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 4096)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		l, err := wavheader.Locate(bytes.NewReader(data), int64(len(data)))
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
			t.Fatalf("allocated %d bytes for a %d-byte input", alloc, len(data))
		}
		if err != nil {
			return
		}
		if l.DataOffset < 0 || l.DataSize <= 0 || l.DataOffset+l.DataSize > int64(len(data)) {
			t.Fatalf("audio at %d, %d bytes, in a %d-byte input", l.DataOffset, l.DataSize, len(data))
		}
		if _, err := l.Write(io.Discard, bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
	})
}
