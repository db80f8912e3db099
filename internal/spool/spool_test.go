package spool

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// pattern is a stream of n bytes that tell their offset apart.
type pattern struct{ off, n int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	k := int(min(int64(len(b)), p.n-p.off))
	for i := range k {
		b[i] = byteAt(p.off + int64(i))
	}
	p.off += int64(k)
	return k, nil
}

func byteAt(off int64) byte { return byte(uint64(off) * 0x9E3779B97F4A7C15 >> 56) }

func want(off, n int64) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byteAt(off + int64(i))
	}
	return b
}

// TestWindowsKeepsHeadAndTail: for every stream length around the
// windows' edges and any chunking, reads within the head or the tail give
// the stream's bytes, and a read that reaches into what was dropped says
// where it starts.
func TestWindowsKeepsHeadAndTail(t *testing.T) {
	const H, T = HeadWindow, TailWindow
	for _, n := range []int64{0, 1, 100, H - 1, H, H + 1, H + T - 1, H + T, H + T + 1, H + T + 100000, 5 << 20} {
		for _, chunking := range []func(io.Reader) io.Reader{
			func(r io.Reader) io.Reader { return r },
			iotest.HalfReader,
			func(r io.Reader) io.Reader { return io.MultiReader(io.LimitReader(r, 7), iotest.HalfReader(r)) },
		} {
			a, err := Windows(chunking(&pattern{n: n}), Options{What: "standard input"})
			if err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
			if a.Size() != n {
				t.Fatalf("n=%d: Size %d", n, a.Size())
			}
			tailAt := max(n-T, H) // nothing is dropped when the tail starts where the head ends
			kept := func(off, end int64) bool { return end <= H || off >= tailAt || tailAt == H }
			for _, r := range [][2]int64{{0, 16}, {0, 4096}, {H - 10, 10}, {H - 10, 20}, {n - T - 1, 2}, {n - T, 64}, {n - 128, 128}, {n - 100, 200}, {n / 2, 1000}} {
				off, k := r[0], r[1]
				if off < 0 || off >= n || k <= 0 {
					continue
				}
				p := make([]byte, k)
				got, err := a.ReadAt(p, off)
				end := min(off+k, n)
				switch {
				case kept(off, end):
					if got != int(end-off) || !bytes.Equal(p[:got], want(off, end-off)) {
						t.Fatalf("n=%d: ReadAt(%d, %d) = %d bytes, %v: wrong bytes", n, k, off, got, err)
					}
					if (end < off+k) != (err == io.EOF) || (err != nil && err != io.EOF) {
						t.Fatalf("n=%d: ReadAt(%d, %d) error %v", n, k, off, err)
					}
				default:
					var nk *NotKeptError
					if !errors.As(err, &nk) || nk.Off != max(off, H) || !bytes.Equal(p[:got], want(off, int64(got))) {
						t.Fatalf("n=%d: ReadAt(%d, %d) = %d, %v; want a NotKeptError at %d", n, k, off, got, err, max(off, H))
					}
					if !strings.Contains(err.Error(), "the first 1 MiB and the last 256 KiB of standard input") {
						t.Fatalf("error text %q", err)
					}
				}
			}
		}
	}
}

// countingReader counts what is read from an endless stream.
type countingReader struct{ n int64 }

func (c *countingReader) Read(b []byte) (int, error) {
	clear(b)
	c.n += int64(len(b))
	return len(b), nil
}

// TestCapStopsReading: a stream longer than MaxSize is refused after at
// most one copy buffer more than the cap, both ways, and a stream of
// exactly MaxSize is not.
func TestCapStopsReading(t *testing.T) {
	for name, spool := range map[string]func(io.Reader, Options) (Audio, error){"Windows": Windows, "Full": Full} {
		// A small cap counts too, in memory.
		var tl *TooLargeError
		if _, err := spool(&pattern{n: 1001}, Options{MaxSize: 1000}); !errors.As(err, &tl) {
			t.Errorf("%s of 1001 bytes with a cap of 1000: %v", name, err)
		}
		if a, err := spool(&pattern{n: 1000}, Options{MaxSize: 1000}); err != nil || a.Size() != 1000 {
			t.Errorf("%s of 1000 bytes with a cap of 1000: %v", name, err)
		}
	}
	const limit = 3<<20 + 5
	for name, spool := range map[string]func(io.Reader, Options) (Audio, error){"Windows": Windows, "Full": Full} {
		src := &countingReader{}
		_, err := spool(src, Options{MaxSize: limit, What: "standard input", Dir: t.TempDir()})
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.Limit != limit {
			t.Fatalf("%s: %v, want a TooLargeError", name, err)
		}
		if src.n > limit+copyBuffer {
			t.Errorf("%s read %d bytes of an endless stream with a cap of %d", name, src.n, limit)
		}
		if !strings.HasPrefix(err.Error(), "standard input is larger than 3.00 MiB (3145733 bytes)") {
			t.Errorf("%s: error %q", name, err)
		}
		a, err := spool(&pattern{n: limit}, Options{MaxSize: limit, Dir: t.TempDir()})
		if err != nil || a.Size() != limit {
			t.Fatalf("%s of exactly the cap: %v", name, err)
		}
		a.Close()
	}
}

// TestFullCopiesEverything: small streams stay in memory, larger ones go
// to a temporary file; every byte reads back, and the file is gone.
func TestFullCopiesEverything(t *testing.T) {
	for _, n := range []int64{0, 1, MemoryLimit, MemoryLimit + 1, 7<<20 + 3} {
		dir := t.TempDir()
		a, err := Full(iotest.HalfReader(&pattern{n: n}), Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if a.Size() != n {
			t.Fatalf("Size %d, want %d", a.Size(), n)
		}
		got := make([]byte, n)
		if k, err := a.ReadAt(got, 0); int64(k) != n || (err != nil && err != io.EOF) || !bytes.Equal(got, want(0, n)) {
			t.Fatalf("n=%d: read back %d bytes, %v", n, k, err)
		}
		if _, onDisk := a.(*file); onDisk != (n > MemoryLimit) {
			t.Errorf("n=%d: spooled to disk: %v", n, onDisk)
		}
		if entries, _ := os.ReadDir(dir); runtime.GOOS != "windows" && len(entries) != 0 {
			t.Errorf("n=%d: the spool file has a name while open: %v", n, entries)
		}
		a.Close()
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("n=%d: the spool file outlives Close: %v", n, entries)
		}
	}
}

// TestTooLargeDeletesTheSpool: a stream over the cap leaves no file behind.
func TestTooLargeDeletesTheSpool(t *testing.T) {
	dir := t.TempDir()
	_, err := Full(&pattern{n: 6 << 20}, Options{Dir: dir, MaxSize: 5 << 20})
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("%v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestMemoryIsBounded: whatever the stream's length, a spool allocates its
// windows (or its memory part) and a copy buffer, no more.
func TestMemoryIsBounded(t *testing.T) {
	for name, spool := range map[string]func(io.Reader, Options) (Audio, error){"Windows": Windows, "Full": Full} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		a, err := spool(&pattern{n: 64 << 20}, Options{Dir: t.TempDir()})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		a.Close()
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 6<<20 && !raceDetector {
			t.Errorf("%s of 64 MiB allocated %d bytes", name, alloc)
		}
	}
}

func TestFailingStreamIsNamed(t *testing.T) {
	boom := errors.New("boom")
	for _, spool := range []func(io.Reader, Options) (Audio, error){Windows, Full} {
		_, err := spool(io.MultiReader(&pattern{n: 3 << 20}, iotest.ErrReader(boom)), Options{What: "standard input", Dir: t.TempDir()})
		if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "reading standard input: ") {
			t.Errorf("%v", err)
		}
	}
}

func TestGateBoundsSpools(t *testing.T) {
	g := NewGate(2)
	ctx := context.Background()
	leave1, _ := g.Enter(ctx)
	leave2, _ := g.Enter(ctx)
	entered := make(chan struct{})
	go func() {
		leave, err := g.Enter(ctx)
		if err == nil {
			leave()
		}
		close(entered)
	}()
	select {
	case <-entered:
		t.Fatal("a third spool entered a gate of two")
	case <-time.After(20 * time.Millisecond):
	}
	leave1()
	<-entered
	leave2()
	cancelled, cancel := context.WithCancel(ctx)
	g1, _ := g.Enter(ctx)
	g2, _ := g.Enter(ctx)
	cancel()
	if _, err := g.Enter(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Enter on a full gate with a cancelled context: %v", err)
	}
	g1()
	g2()
	var none *Gate
	leave, err := none.Enter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	leave()
}
