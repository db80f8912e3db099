package pcm

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/probe"
)

// maxFuzzAlloc is the most that opening a fuzz input's decoder and
// reading up to 128 Ki frames from it may allocate.
const maxFuzzAlloc = 64 << 20

// FuzzPCM: no input makes a decoder panic, loop or allocate without
// bound; whatever it decodes stays within the frames it announced.
func FuzzPCM(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*")
	for _, p := range paths {
		if strings.HasSuffix(p, ".f32") {
			continue
		}
		b, err := os.ReadFile(p)
		if err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		r := bytes.NewReader(data)
		info, err := probe.Probe(r, int64(len(data)), "fuzz")
		if err != nil {
			return
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		defer func() {
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > maxFuzzAlloc {
				t.Fatalf("allocated %d bytes for a %d-byte input", n, len(data))
			}
		}()
		d, err := Open(r, int64(len(data)), info)
		if err != nil {
			return
		}
		form := d.Format()
		buf := make([]float32, 512*form.Channels)
		var total int64
		for i := 0; i < 256; i++ { // enough to pass every seed's end
			n, err := d.Read(buf)
			if n < 0 || n > 512 {
				t.Fatalf("Read returned %d frames for a 512-frame buffer", n)
			}
			total += int64(n)
			if err != nil {
				if !errors.Is(err, io.EOF) && err.Error() == "" {
					t.Fatal("an error without a message")
				}
				break
			}
		}
		if form.Frames >= 0 && total > form.Frames {
			t.Fatalf("%d frames decoded, %d announced", total, form.Frames)
		}
	})
}

// TestShortData: a layout that claims more frames than the input holds is
// refused at Open, and data that disappears while reading is an error
// naming the container and the offset.
func TestShortData(t *testing.T) {
	info := &probe.Info{Container: probe.ContainerWAV, Codec: "pcm_s16le", Opens: true, SampleRate: 8000, Channels: 2,
		Samples: &probe.SampleLayout{Offset: 44, Frames: 100, Encoding: probe.SignedPCM, Bytes: 2}}
	data := make([]byte, 44+4*100)
	if _, err := Open(bytes.NewReader(data[:len(data)-1]), int64(len(data)-1), info); err == nil {
		t.Error("a layout past the end of the input was accepted")
	}
	d, err := Open(shrinking{bytes.NewReader(data[:44+4*50])}, int64(len(data)), info)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]float32, 2*100)
	_, err = d.Read(buf)
	var fe *probe.FormatError
	if !errors.As(err, &fe) || fe.Off != 44+4*50 {
		t.Errorf("reading past the data: %v, want a FormatError at 0x%x", err, 44+4*50)
	}
	info.Samples.Bytes = 5
	if _, err := Open(bytes.NewReader(data), int64(len(data)), info); err == nil {
		t.Error("5-byte samples accepted")
	}
}

// shrinking is an input that lost its end after it was probed.
type shrinking struct{ *bytes.Reader }
