package ogg_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/probe"
)

const (
	maxFuzzInput = 64 << 10
	// maxFuzzAlloc bounds what one Probe and ReadAll of a 64 KiB input may
	// allocate in all: the sync buffer, the stream buffer and the read cache
	// are each small and reused.
	maxFuzzAlloc = 4 << 20
)

// probeAndRead runs the prober and the full read over data and returns
// the bytes allocated.
func probeAndRead(t testing.TB, data []byte) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := bytes.NewReader(data)
	info, err := probe.Probe(r, int64(len(data)), "fuzz.opus")
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	if info.Container == probe.ContainerOgg && info.Opens {
		if info.SndfileFormat != "OGG" || (info.SndfileSubtype != "OPUS" && info.SndfileSubtype != "VORBIS") {
			t.Fatalf("opens as %s/%s", info.SndfileFormat, info.SndfileSubtype)
		}
		if info.SampleRate < 1 || info.Channels < 1 || (!info.LengthUnknown && info.Frames < 0) {
			t.Fatalf("opens with rate %d, %d channels, %d frames", info.SampleRate, info.Channels, info.Frames)
		}
	}
	res, err := probe.ReadAll(r, int64(len(data)), info)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if res != nil && res.FramesRead < 0 {
		t.Fatalf("read %d frames", res.FramesRead)
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func FuzzOgg(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "corpus", "ogg", "*.o*"))
	spx, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "corpus", "ogg", "*.spx"))
	for _, name := range append(files, spx...) {
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
		if alloc := probeAndRead(t, data); alloc > maxFuzzAlloc {
			t.Fatalf("allocated %d bytes for a %d-byte input", alloc, len(data))
		}
	})
}

// TestSmallInputsClaimingMuch: headers that promise huge pages, packets,
// comments or codebooks must not make the reader allocate them.
func TestSmallInputsClaimingMuch(t *testing.T) {
	page := func(flags byte, seq byte, segs []byte, body []byte) []byte {
		h := []byte("OggS\x00")
		h = append(h, flags, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, seq, 0, 0, 0, 0, 0, 0, 0, byte(len(segs)))
		return append(append(h, segs...), body...)
	}
	for name, data := range map[string][]byte{
		"page claims 65 KB": page(2, 0, bytes.Repeat([]byte{255}, 255), []byte("OpusHead")),
		"12 bytes":          []byte("OggS\x00\x02\xff\xff\xff\xff\xff\xff"),
		"tags claim 4 GB": append(page(2, 0, []byte{19}, []byte("OpusHead\x01\x01\x38\x01\x80\x3e\x00\x00\x00\x00\x00")),
			page(0, 1, []byte{16}, []byte("OpusTags\xff\xff\xff\xff\xff\xff\xff\xff"))...),
		"vorbis books claim 16M entries": append(page(2, 0, []byte{30}, append([]byte("\x01vorbis\x00\x00\x00\x00\x01\x44\xac\x00\x00"), make([]byte, 14)...)),
			page(0, 1, []byte{7, 20}, append([]byte("\x03vorbis\x05vorbis"), []byte{0x00, 0x42, 0x43, 0x56, 0x01, 0x00, 0xff, 0xff, 0xff, 0x01}...))...),
	} {
		if alloc := probeAndRead(t, data); alloc > 1<<20 {
			t.Errorf("%s: allocated %d bytes for %d input bytes", name, alloc, len(data))
		}
	}
}
