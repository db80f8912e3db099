package opusremux_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/internal/opusremux"
	. "github.com/audiopreflight/audiopreflight/internal/webm/webmtest"
)

const (
	maxFuzzInput = 64 << 10
	// maxFuzzAlloc bounds what one remux of a 64 KiB input may allocate:
	// read windows, one page, one block.
	maxFuzzAlloc = 4 << 20
)

func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// FuzzFromMatroska: any input gives an error or an Ogg-Opus stream, never
// a panic, and allocates a bounded amount.
func FuzzFromMatroska(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/mediarecorder/*.webm")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), maxFuzzInput)])
	}
	ps := [][]byte{{0xfc, 1, 2, 3}, {0xfc | 3, 0x82, 1, 2}, {0x08, 9}}
	f.Add(Chrome(Recording{Channels: 2, Packets: ps, ClusterMS: 60}))
	f.Add(FFmpeg("matroska", 1, 312, ps, 20, 1000))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		if len(data) > maxFuzzInput {
			return
		}
		var out bytes.Buffer
		var err error
		alloc := allocated(func() {
			_, err = opusremux.FromMatroska(bytes.NewReader(data), int64(len(data)), &out)
		})
		if alloc > maxFuzzAlloc+uint64(out.Cap()) {
			t.Fatalf("allocated %d bytes for a %d-byte input", alloc, len(data))
		}
		if err == nil && !bytes.HasPrefix(out.Bytes(), []byte("OggS")) {
			t.Fatalf("no error and no Ogg output")
		}
	})
}

// FuzzRewriteOggHead: any input gives an error or a copy of the same
// length give or take the OpusHead page, never a panic.
func FuzzRewriteOggHead(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/corpus/ogg/*.opus")
	for _, name := range files[:min(len(files), 40)] {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), maxFuzzInput)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		if len(data) > maxFuzzInput {
			return
		}
		var err error
		var res *opusremux.Result
		alloc := allocated(func() {
			res, err = opusremux.RewriteOggHead(bytes.NewReader(data), int64(len(data)), io.Discard)
		})
		if alloc > maxFuzzAlloc {
			t.Fatalf("allocated %d bytes for a %d-byte input", alloc, len(data))
		}
		if err == nil && (res.Written < int64(len(data))-300 || res.Written > int64(len(data))+300) {
			t.Fatalf("wrote %d bytes for %d", res.Written, len(data))
		}
	})
}
