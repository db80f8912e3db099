package remote_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/remote/remotetest"
	"github.com/audiopreflight/audiopreflight/internal/spool"
)

func headerOnly(countTo int64) func(*remote.Options) {
	return func(o *remote.Options) { o.HeaderOnly, o.CountTo = true, countTo }
}

// readAt reads n bytes at off and returns the error.
func readAt(o *remote.Object, off int64, n int) error {
	_, err := o.ReadAt(make([]byte, n), off)
	if err == io.EOF {
		return nil
	}
	return err
}

// TestHeaderOnlyReadsNoMoreThanTheWindow: a header check of a 20 MB body
// transfers at most HeaderWindow (plus one block of rounding) whatever the
// server does — ranges, a whole body with a length, chunked, gzip — and a
// read beyond what it keeps fails with a NotKeptError rather than
// downloading more.
func TestHeaderOnlyReadsNoMoreThanTheWindow(t *testing.T) {
	const slack = 32 << 10
	content := remotetest.Pattern{Head: testHead(100), Size: 20 << 20}
	for _, tc := range []struct {
		name string
		b    remotetest.Behaviour
		// whole: the server sends the whole body; lengthless: without a length
		whole, lengthless bool
	}{
		{"ranged", remotetest.Behaviour{}, false, false},
		{"range ignored", remotetest.Behaviour{IgnoreRange: true}, true, false},
		{"chunked", remotetest.Behaviour{IgnoreRange: true, Chunked: true}, true, true},
		{"gzip", remotetest.Behaviour{IgnoreRange: true, Gzip: true}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := remotetest.New(t)
			srv.Add("/big.apf", content, content.Size, tc.b)
			o := open(t, newClient(srv, headerOnly(0)), srv.URL("/big.apf"))
			checkBytes(t, o, content, 0, 4096)
			checkBytes(t, o, content, 150<<10, 4096) // within the window
			var lu *remote.LengthUnknownError
			if inc := o.Incomplete(); errors.As(inc, &lu) != tc.lengthless {
				t.Fatalf("Incomplete() = %v", inc)
			}
			switch {
			case tc.lengthless:
				// Its length is unknown: the check goes no further.
				if lu.Counted < remote.HeaderWindow || lu.Counted > remote.HeaderWindow+slack || o.Size() != lu.Counted {
					t.Errorf("counted %d, size %d", lu.Counted, o.Size())
				}
			case o.Size() != content.Size:
				t.Errorf("Size %d", o.Size())
			}
			for _, off := range []int64{5 << 20, content.Size - 8} {
				if tc.lengthless {
					break
				}
				err := readAt(o, off, 8)
				var nk *spool.NotKeptError
				switch {
				case !tc.whole && err != nil:
					t.Errorf("ReadAt(%d) from a ranged server: %v", off, err)
				case tc.whole && (!errors.As(err, &nk) || nk.Off != off):
					t.Errorf("ReadAt(%d): %v, want a NotKeptError", off, err)
				}
			}
			if !tc.whole {
				checkBytes(t, o, content, content.Size-8, 8)
			}
			if got := o.BytesTransferred(); got > remote.HeaderWindow+slack {
				t.Errorf("a header check received %d bytes of a %d-byte body", got, content.Size)
			}
			t.Logf("received %d bytes in %d requests", o.BytesTransferred(), len(srv.Requests()))
		})
	}
}

// TestHeaderOnlyCountsToTheSyncLimit: in sync mode a lengthless body is
// read (counted) to CountTo: a longer one stops there, a shorter one is
// complete and its start and end can be read.
func TestHeaderOnlyCountsToTheSyncLimit(t *testing.T) {
	const countTo = 10<<20 + 1
	srv := remotetest.New(t)
	long := remotetest.Pattern{Head: testHead(100), Size: 20 << 20}
	short := remotetest.Pattern{Head: testHead(100), Size: 3<<20 + 77}
	srv.Add("/long", long, long.Size, remotetest.Behaviour{IgnoreRange: true, Chunked: true})
	srv.Add("/short", short, short.Size, remotetest.Behaviour{IgnoreRange: true, Gzip: true})
	c := newClient(srv, headerOnly(countTo))

	o := open(t, c, srv.URL("/long"))
	var lu *remote.LengthUnknownError
	if !errors.As(o.Incomplete(), &lu) || lu.Counted < countTo || o.Size() != lu.Counted {
		t.Fatalf("Incomplete %v, size %d", o.Incomplete(), o.Size())
	}
	if got := o.BytesTransferred(); got > countTo+remote.HeaderWindow {
		t.Errorf("received %d bytes counting to %d", got, countTo)
	}

	o = open(t, c, srv.URL("/short"))
	if o.Incomplete() != nil || o.Size() != short.Size {
		t.Fatalf("Incomplete %v, size %d", o.Incomplete(), o.Size())
	}
	checkBytes(t, o, short, 0, 1000)
	checkBytes(t, o, short, short.Size-70000, 70000)
	var nk *spool.NotKeptError
	if err := readAt(o, 1<<20, 10); !errors.As(err, &nk) {
		t.Errorf("read in the middle: %v", err)
	}
}

// gzipBomb is a gzip body of n MiB of zeros: one small member of 1 MiB,
// repeated (concatenated members are one gzip stream, for Go and urllib3).
func gzipBomb(n int) (member []byte, count int) {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	return b.Bytes(), n
}

// serveBomb serves a gzip bomb and counts the bytes it wrote.
func serveBomb(srv *remotetest.Server, path string, mib int, written *atomic.Int64) {
	member, count := gzipBomb(mib)
	srv.Handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(member)*count))
		for range count {
			n, err := w.Write(member)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
}

// TestGzipBombIsNeverInflatedToTheEnd: a 10 MiB body that inflates to
// 10 GiB is inflated no further than the header window (async), the sync
// limit + 1 (sync), or MaxSize (a full check, which then says the body is
// too large).
func TestGzipBombIsNeverInflatedToTheEnd(t *testing.T) {
	srv := remotetest.New(t)
	var written atomic.Int64
	serveBomb(srv, "/bomb.wav", 10<<10, &written)
	member, _ := gzipBomb(1)
	for _, tc := range []struct {
		name    string
		mod     func(*remote.Options)
		inflate int64 // how far it may inflate
	}{
		{"header-only async", headerOnly(0), remote.HeaderWindow},
		{"header-only sync", headerOnly(10<<20 + 1), 10<<20 + 1},
		{"full", func(o *remote.Options) { o.MaxSize = 64 << 20 }, 64<<20 + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := open(t, newClient(srv, tc.mod), srv.URL("/bomb.wav"))
			err := o.Incomplete()
			var lu *remote.LengthUnknownError
			var tl *spool.TooLargeError
			switch {
			case tc.name == "full" && (!errors.As(err, &tl) || tl.Limit != 64<<20):
				t.Fatalf("Incomplete() = %v, want a TooLargeError", err)
			case tc.name != "full" && !errors.As(err, &lu):
				t.Fatalf("Incomplete() = %v, want a LengthUnknownError", err)
			}
			if o.Size() < tc.inflate || o.Size() > tc.inflate+64<<10 {
				t.Errorf("inflated %d bytes, want about %d", o.Size(), tc.inflate)
			}
			// Each MiB inflated costs one member; the transport reads ahead a little.
			maxCompressed := (o.Size()>>20+2)*int64(len(member)) + 64<<10
			if got := o.BytesTransferred(); got > maxCompressed {
				t.Errorf("received %d compressed bytes to inflate %d", got, o.Size())
			}
			t.Logf("inflated %d bytes from %d received: %v", o.Size(), o.BytesTransferred(), err)
		})
	}
}

// TestRequestsAskForIdentity: every request says Accept-Encoding: identity
// (so that ranges and lengths are the file's), and net/http adds nothing.
func TestRequestsAskForIdentity(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 300 << 10}
	srv.Add("/a.apf", content, content.Size, remotetest.Behaviour{IgnoreRange: true})
	o := open(t, newClient(srv), srv.URL("/a.apf"))
	checkBytes(t, o, content, 200<<10, 100)
	for _, r := range srv.Requests() {
		if got := r.Header.Values("Accept-Encoding"); len(got) != 1 || got[0] != "identity" {
			t.Errorf("Accept-Encoding %q", got)
		}
	}
}

// TestConnectionsPerHostAreCapped: however many inputs are checked at once,
// one host gets at most MaxConnsPerHost connections.
func TestConnectionsPerHostAreCapped(t *testing.T) {
	for _, tc := range []struct {
		max, want int
	}{{0, remote.DefaultMaxConnsPerHost}, {3, 3}} {
		srv := remotetest.New(t)
		content := remotetest.Pattern{Head: testHead(100), Size: 1000}
		srv.Add("/a.apf", content, content.Size, remotetest.Behaviour{Delay: 20 * time.Millisecond})
		c := newClient(srv, func(o *remote.Options) { o.MaxConnsPerHost = tc.max })
		var wg sync.WaitGroup
		for range 60 {
			wg.Go(func() {
				o, f := c.Open(context.Background(), srv.URL("/a.apf"))
				if f != nil {
					t.Error(f.Detail)
					return
				}
				o.Close()
			})
		}
		wg.Wait()
		c.CloseIdleConnections()
		if n := srv.Connections(); n > int64(tc.want) || n == 0 {
			t.Errorf("MaxConnsPerHost %d: 60 opens at once made %d connections, want at most %d", tc.max, n, tc.want)
		}
	}
}
