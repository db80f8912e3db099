package wav_test

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r     io.ReaderAt
	bytes atomic.Int64
	calls atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.bytes.Add(int64(n))
	c.calls.Add(1)
	return n, err
}

// A 2 GiB PCM WAV (a sparse file) is checked completely, header and full
// read, from a few KiB of it and with little memory: the header settles
// what libsndfile's read loop finds.
func TestTwoGiBWAV(t *testing.T) {
	const size = 2 << 30
	path := filepath.Join(t.TempDir(), "big.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := cat([]byte("RIFF"), le32(size-8), []byte("WAVE"), fmt16,
		chunk("LIST", cat([]byte("INFO"), chunk("ISFT", []byte("Lavf59.27.100\x00")))), []byte("data"))
	head = cat(head, le32(size-len(head)-4))
	if _, err := f.Write(head); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Skipf("cannot make a sparse 2 GiB file here: %v", err)
	}

	cr := &countingReader{r: f}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	info, err := probe.Probe(cr, size, path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := probe.ReadAll(cr, size, info)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)

	wantFrames := int64(size-len(head)) / 2
	if !info.Opens || info.SndfileSubtype != "PCM_16" || info.Frames != wantFrames {
		t.Fatalf("opens=%v %s frames=%d, want PCM_16 with %d frames (%s)", info.Opens, info.SndfileSubtype, info.Frames, wantFrames, info.OpenError)
	}
	if res == nil || res.FramesRead != wantFrames || res.ReadError != "" {
		t.Fatalf("full read %+v, want %d frames", res, wantFrames)
	}
	if n := cr.bytes.Load(); n > 64<<10 {
		t.Errorf("read %d bytes of a 2 GiB file", n)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("allocated %d bytes", alloc)
	}
	t.Logf("2 GiB WAV: %d bytes read in %d calls, %d bytes allocated", cr.bytes.Load(), cr.calls.Load(), after.TotalAlloc-before.TotalAlloc)
}
