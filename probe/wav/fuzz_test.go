package wav_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/probe"
)

// maxFuzzAlloc bounds what one Probe + ReadAll of a fuzz input (at most
// 64 KiB) may allocate, whatever sizes the input claims.
const maxFuzzAlloc = 4 << 20

// seedCorpus adds the committed corpus files whose names match keep,
// truncated to 64 KiB.
func seedCorpus(f *testing.F, keep func(name string) bool) {
	dir := filepath.Join("..", "..", "testdata", "corpus", "wav")
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), "expected-") || !keep(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 64<<10)])
		n++
	}
	if n == 0 {
		f.Fatal("no seed files")
	}
}

func FuzzWAV(f *testing.F) {
	seedCorpus(f, func(name string) bool { return strings.HasSuffix(name, ".wav") })
	f.Add(riff(fmt16, chunk("data", pcm16(10))))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		fuzzOne(t, data)
	})
}

func FuzzW64(f *testing.F) {
	seedCorpus(f, func(name string) bool { return strings.HasSuffix(name, ".w64") })
	f.Add(w64(w64Chunk(w64FMT, fmtBody(fmtSpec{})), w64Chunk(w64DATA, pcm16(10))))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		fuzzOne(t, data)
	})
}

func fuzzOne(t *testing.T, data []byte) {
	if len(data) > 64<<10 {
		return
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	info, err := probe.Probe(bytes.NewReader(data), int64(len(data)), "fuzz.wav")
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	res, err := probe.ReadAll(bytes.NewReader(data), int64(len(data)), info)
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxFuzzAlloc {
		t.Fatalf("allocated %d bytes for a %d-byte input", alloc, len(data))
	}

	if info.Opens {
		if info.SndfileFormat == "" || info.SndfileSubtype == "" || info.Channels < 1 || info.SampleRate < 1 {
			t.Fatalf("opens without a description: %+v", info)
		}
		if !info.LengthUnknown && info.Frames < 0 {
			t.Fatalf("negative frame count %d", info.Frames)
		}
		if !info.LengthUnknown && res == nil {
			t.Fatal("no full read for an input that opens")
		}
		if res != nil && !info.LengthUnknown && res.FramesRead > info.Frames {
			t.Fatalf("read %d frames of %d", res.FramesRead, info.Frames)
		}
	} else if info.OpenError == "" {
		t.Fatal("does not open and says no why")
	}

	// The same bytes give the same answer.
	again, err := probe.Probe(bytes.NewReader(data), int64(len(data)), "fuzz.wav")
	if err != nil || again.Opens != info.Opens || again.Frames != info.Frames || again.SndfileSubtype != info.SndfileSubtype {
		t.Fatalf("second probe differs: %+v vs %+v", again, info)
	}
}
