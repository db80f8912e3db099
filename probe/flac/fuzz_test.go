package flac_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/flac"
)

// maxFuzzInput bounds the inputs the fuzz target probes.
const maxFuzzInput = 64 << 10

// maxFuzzAlloc is the most one Probe+ReadAll of a fuzz input may allocate.
// The full read's buffers (8 channels of 65535 samples, a 33-bit side
// channel, the input window, the seek table) stay under 3 MiB.
const maxFuzzAlloc = 4 << 20

// FuzzFLAC feeds arbitrary bytes behind "fLaC" (and the committed corpus,
// cut to 64 KiB) to the prober: no panic, an answer, bounded allocation.
func FuzzFLAC(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "corpus", "flac", "*", "*.flac"))
	top, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "corpus", "flac", "*.flac"))
	for _, name := range append(top, files...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), maxFuzzInput)])
	}
	f.Add([]byte("fLaC"))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		if len(data) > maxFuzzInput {
			return
		}
		if !bytes.HasPrefix(data, []byte("fLaC")) && !bytes.HasPrefix(data, []byte("ID3")) {
			data = append([]byte("fLaC"), data...)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r := bytes.NewReader(data)
		info, err := probe.Probe(r, int64(len(data)), "fuzz.flac")
		if err != nil {
			t.Fatal(err)
		}
		res, err := probe.ReadAll(r, int64(len(data)), info)
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > maxFuzzAlloc {
			t.Fatalf("allocated %d bytes for a %d-byte input", n, len(data))
		}
		if info.Opens && !info.LengthUnknown && res == nil {
			t.Fatal("no read result for an input that opens")
		}
		if res != nil && (res.FramesRead < 0 || res.FramesRead > info.Frames) {
			t.Fatalf("read %d frames of %d", res.FramesRead, info.Frames)
		}
		if !info.Opens || info.Container != probe.ContainerFLAC {
			return
		}
		// The decoder to PCM: to its end, in bounded memory, never more
		// samples than STREAMINFO promises.
		runtime.ReadMemStats(&before)
		pr, err := flac.NewPCMReader(r, int64(len(data)), info)
		if err != nil {
			t.Fatal(err)
		}
		defer pr.Close()
		var samples int64
		for {
			frame, _, err := pr.ReadFrame()
			if err != nil {
				break
			}
			samples += int64(len(frame[0]))
		}
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > maxFuzzAlloc {
			t.Fatalf("PCMReader allocated %d bytes for a %d-byte input", n, len(data))
		}
		if !info.LengthUnknown && samples > info.Frames {
			t.Fatalf("PCMReader gave %d samples of %d", samples, info.Frames)
		}
	})
}
