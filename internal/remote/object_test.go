package remote_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/remote/remotetest"
	"github.com/audiopreflight/audiopreflight/probe"
)

// A made-up container for these tests, registered with the prober: it
// reads the way real parsers do — a header at the start, a structure
// somewhere after the first request's prefix, and the end of the file (as
// Ogg and FLAC frame counts need) — and its full read hashes every byte.
//
//	0   "APFTEST!"
//	8   uint64 offset of the middle structure (8 bytes)
//	... the middle structure: uint64, taken as the frame count
//	end-8  uint64, taken as the sample rate
const testMagic = "APFTEST!"

func init() {
	probe.RegisterFormat(probe.Format{
		Name:  "apftest",
		Magic: testMagic,
		Order: probe.OrderDetectOnly + 900,
		ReadHeader: func(r io.ReaderAt, size int64) (*probe.Info, error) {
			var b [16]byte
			if _, err := r.ReadAt(b[:], 0); err != nil {
				return nil, err
			}
			mid := int64(binary.LittleEndian.Uint64(b[8:]))
			if mid < 16 || mid > size-16 {
				return nil, &probe.FormatError{Format: "apftest", Off: 8, Msg: "bad offset"}
			}
			if _, err := r.ReadAt(b[:8], mid); err != nil {
				return nil, err
			}
			frames := int64(binary.LittleEndian.Uint64(b[:8]))
			if _, err := r.ReadAt(b[:8], size-8); err != nil {
				return nil, err
			}
			rate := int(binary.LittleEndian.Uint32(b[:4]))
			return &probe.Info{Container: "apftest", Opens: true, Frames: frames, SampleRate: rate, Channels: 1}, nil
		},
		ReadAll: func(r io.ReaderAt, size int64, info *probe.Info) (*probe.ReadResult, error) {
			h := fnv.New64a()
			buf := make([]byte, 3000) // not a divisor of the block size
			for off := int64(0); off < size; {
				n, err := r.ReadAt(buf, off)
				h.Write(buf[:n])
				off += int64(n)
				if err == io.EOF {
					break
				}
				if err != nil {
					return nil, err
				}
			}
			return &probe.ReadResult{FramesRead: int64(h.Sum64() >> 1)}, nil
		},
	})
}

// testHead makes the start of an apftest file whose middle structure is at
// mid.
func testHead(mid int64) []byte {
	h := make([]byte, 16)
	copy(h, testMagic)
	binary.LittleEndian.PutUint64(h[8:], uint64(mid))
	return h
}

func hashOf(r io.ReaderAt, size int64) int64 {
	h := fnv.New64a()
	io.Copy(h, io.NewSectionReader(r, 0, size))
	return int64(h.Sum64() >> 1)
}

func newClient(srv *remotetest.Server, mods ...func(*remote.Options)) *remote.Client {
	opts := srv.Options()
	for _, m := range mods {
		m(&opts)
	}
	return remote.NewClient(opts)
}

func open(t *testing.T, c *remote.Client, url string) *remote.Object {
	t.Helper()
	o, f := c.Open(context.Background(), url)
	if f != nil {
		t.Fatalf("Open(%s): %s: %s", url, f.Reason, f.Detail)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

func openFails(t *testing.T, c *remote.Client, url string, want remote.Reason) *remote.Failure {
	t.Helper()
	o, f := c.Open(context.Background(), url)
	if f == nil {
		o.Close()
		t.Fatalf("Open(%s) succeeded, want failure %s", url, want)
	}
	if f.Reason != want {
		t.Fatalf("Open(%s): failure %s (%s), want %s", url, f.Reason, f.Detail, want)
	}
	if f.Detail == "" {
		t.Errorf("Open(%s): failure without a detail", url)
	}
	return f
}

func checkBytes(t *testing.T, o *remote.Object, want io.ReaderAt, off int64, n int) {
	t.Helper()
	got := make([]byte, n)
	k, err := o.ReadAt(got, off)
	if err != nil && !(err == io.EOF && off+int64(n) > o.Size()) {
		t.Fatalf("ReadAt(%d, %d): %v", n, off, err)
	}
	exp := make([]byte, n)
	m, _ := want.ReadAt(exp, off)
	if k != m || !bytes.Equal(got[:k], exp[:m]) {
		t.Fatalf("ReadAt(%d, %d): %d bytes, differing from the file (%d bytes)", n, off, k, m)
	}
}

func warningsContain(o *remote.Object, part string) bool {
	for _, w := range o.Warnings() {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

func TestOpenRanged(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(300 << 10), Size: 1<<20 + 12345}
	srv.Add("/a.wav", content, content.Size, remotetest.Behaviour{})
	o := open(t, newClient(srv), srv.URL("/a.wav"))
	if o.Size() != content.Size {
		t.Fatalf("Size = %d, want %d", o.Size(), content.Size)
	}
	if o.Name() != "a.wav" {
		t.Errorf("Name = %q", o.Name())
	}
	if got := o.BytesTransferred(); got != 64<<10 {
		t.Errorf("Open transferred %d bytes, want the 64 KiB prefix", got)
	}
	if len(o.Warnings()) != 0 {
		t.Errorf("warnings: %q", o.Warnings())
	}
	for _, r := range [][2]int64{{0, 4096}, {60000, 9000}, {500000, 100}, {content.Size - 100, 100}, {content.Size - 10, 100}, {200000, 70000}} {
		checkBytes(t, o, content, r[0], int(r[1]))
	}
	if n, err := o.ReadAt(make([]byte, 1), content.Size); n != 0 || err != io.EOF {
		t.Errorf("ReadAt at the end = %d, %v", n, err)
	}
	reqs := srv.Requests()
	if len(reqs) == 0 || reqs[0].Range != "bytes=0-65535" {
		t.Fatalf("first request: %+v", reqs)
	}
	for _, r := range reqs {
		h := r.Header
		if h.Get("User-Agent") != "audiopreflight/test" || h.Get("Cookie") != "" || h.Get("Authorization") != "" ||
			h.Get("Accept-Encoding") != "identity" || h.Get("Referer") != "" || r.Range == "" {
			t.Errorf("request headers: %v", h)
		}
	}
}

// A header check of a large file reads the prefix, a structure past it and
// the end, and transfers at most 256 KiB (CONTRIBUTING.md#benchmarks), counted at the
// server, over HTTP/1.1 and HTTP/2.
func TestHeaderCheckOfHugeFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		srv   func(t *testing.T) *remotetest.Server
		proto string
	}{
		{"http1", func(t *testing.T) *remotetest.Server { return remotetest.New(t) }, "HTTP/1.1"},
		{"http2", func(t *testing.T) *remotetest.Server { return remotetest.NewTLS(t, true) }, "HTTP/2.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tc.srv(t)
			content := remotetest.Pattern{Head: testHead(700 << 20), Size: 2 << 30}
			srv.Add("/big.apf", content, content.Size, remotetest.Behaviour{})
			o := open(t, newClient(srv), srv.URL("/big.apf"))
			if o.Size() != content.Size {
				t.Fatalf("Size = %d", o.Size())
			}
			info, err := probe.Probe(o, o.Size(), o.Name())
			if err != nil {
				t.Fatal(err)
			}
			if !info.Opens || info.Container != "apftest" {
				t.Fatalf("probe: %+v", info)
			}
			var b [8]byte
			content.ReadAt(b[:], 700<<20)
			wantFrames := int64(binary.LittleEndian.Uint64(b[:]))
			content.ReadAt(b[:4], content.Size-8)
			if info.Frames != wantFrames || info.SampleRate != int(binary.LittleEndian.Uint32(b[:4])) {
				t.Errorf("probe read wrong bytes: frames %d rate %d", info.Frames, info.SampleRate)
			}
			o.Close()
			srv.CloseClientConnections()
			sent := srv.BytesSent()
			t.Logf("header check of a 2 GiB file: server sent %d bytes in %d requests; client received %d", sent, len(srv.Requests()), o.BytesTransferred())
			if sent > 256<<10 {
				t.Errorf("server sent %d bytes, want at most 256 KiB", sent)
			}
			for _, r := range srv.Requests() {
				if r.Proto != tc.proto {
					t.Errorf("request over %s, want %s", r.Proto, tc.proto)
				}
			}
		})
	}
}

// A full check reads the whole file forward through ReadAt: a few
// requests, every byte right, bounded memory, and FinishDownload has
// nothing left to do.
func TestFullReadStreams(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(1 << 20), Size: 20<<20 + 777}
	srv.Add("/long.apf", content, content.Size, remotetest.Behaviour{})
	c := newClient(srv)
	o := open(t, c, srv.URL("/long.apf"))
	info, err := probe.Probe(o, o.Size(), o.Name())
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := probe.ReadAll(o, o.Size(), info)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if want := hashOf(content, content.Size); res.FramesRead != want {
		t.Fatalf("full read hash %x, want %x", res.FramesRead, want)
	}
	if f := o.FinishDownload(); f != nil {
		t.Fatalf("FinishDownload: %s", f.Detail)
	}
	n := len(srv.Requests())
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("full read of %d bytes: %d requests, %d bytes received, %d bytes allocated", content.Size, n, o.BytesTransferred(), alloc)
	if n > 20 {
		t.Errorf("%d requests for one sequential read", n)
	}
	if got := o.BytesTransferred(); got > content.Size+1<<20 {
		t.Errorf("received %d bytes for a %d-byte file", got, content.Size)
	}
	if alloc > 16<<20 {
		t.Errorf("full read allocated %d bytes", alloc)
	}
}

func TestFinishDownloadReadsTheRest(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 5 << 20}
	srv.Add("/x.apf", content, content.Size, remotetest.Behaviour{})
	o := open(t, newClient(srv), srv.URL("/x.apf"))
	checkBytes(t, o, content, content.Size-50, 50)
	if f := o.FinishDownload(); f != nil {
		t.Fatal(f.Detail)
	}
	if got := o.BytesTransferred(); got < content.Size || got > content.Size+(256<<10) {
		t.Errorf("received %d bytes of %d", got, content.Size)
	}
	if f := o.FinishDownload(); f != nil {
		t.Fatal("second FinishDownload:", f.Detail)
	}
}

func TestServerIgnoringRange(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(200 << 10), Size: 3<<20 + 5}
	srv.Add("/a.apf", content, content.Size, remotetest.Behaviour{IgnoreRange: true})
	o := open(t, newClient(srv), srv.URL("/a.apf"))
	if o.Size() != content.Size {
		t.Fatalf("Size = %d", o.Size())
	}
	if !warningsContain(o, "ignores Range") {
		t.Errorf("warnings %q lack the Range warning", o.Warnings())
	}
	if got := o.BytesTransferred(); got > 256<<10 {
		t.Errorf("Open received %d bytes", got)
	}
	info, err := probe.Probe(o, o.Size(), o.Name())
	if err != nil || !info.Opens {
		t.Fatalf("probe: %+v %v", info, err)
	}
	res, err := probe.ReadAll(o, o.Size(), info)
	if err != nil {
		t.Fatal(err)
	}
	if want := hashOf(content, content.Size); res.FramesRead != want {
		t.Fatalf("full read hash %x, want %x", res.FramesRead, want)
	}
	if f := o.FinishDownload(); f != nil {
		t.Fatal(f.Detail)
	}
	checkBytes(t, o, content, 1000, 100)
	checkBytes(t, o, content, 2<<20, 100000)
}

// Without Range, a header check still reads only a prefix from the client's
// side and closes the connection, so the server stops sending long before
// the end of a 2 GiB body.
func TestServerIgnoringRangeHugeFile(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 2 << 30}
	srv.Add("/big.apf", content, content.Size, remotetest.Behaviour{IgnoreRange: true})
	o := open(t, newClient(srv), srv.URL("/big.apf"))
	if o.Size() != content.Size {
		t.Fatalf("Size = %d", o.Size())
	}
	checkBytes(t, o, content, 0, 4096)
	if got := o.BytesTransferred(); got > 256<<10 {
		t.Errorf("client received %d bytes", got)
	}
	o.Close()
	time.Sleep(100 * time.Millisecond)
	if sent := srv.BytesSent(); sent > 64<<20 {
		t.Errorf("server sent %d bytes after the client closed", sent)
	}
}

func TestSmallFileAnsweredWhole(t *testing.T) {
	// A server may answer 200 when the range covers the whole file: that
	// is no reason to warn.
	srv := remotetest.New(t)
	data := append(testHead(20), make([]byte, 1000)...)
	srv.AddBytes("/s.apf", data, remotetest.Behaviour{IgnoreRange: true})
	o := open(t, newClient(srv), srv.URL("/s.apf"))
	if o.Size() != int64(len(data)) || len(o.Warnings()) != 0 {
		t.Errorf("size %d, warnings %q", o.Size(), o.Warnings())
	}
	if f := o.FinishDownload(); f != nil {
		t.Fatal(f.Detail)
	}
	if len(srv.Requests()) != 1 {
		t.Errorf("%d requests", len(srv.Requests()))
	}
}

func TestChunkedWithoutLength(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    remotetest.Behaviour
	}{
		{"chunked", remotetest.Behaviour{IgnoreRange: true, Chunked: true}},
		{"gzip", remotetest.Behaviour{IgnoreRange: true, Gzip: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := remotetest.New(t)
			content := remotetest.Pattern{Head: testHead(2 << 20), Size: 3<<20 + 99}
			srv.Add("/c.apf", content, content.Size, tc.b)
			o := open(t, newClient(srv), srv.URL("/c.apf"))
			if o.Size() != content.Size {
				t.Fatalf("Size = %d, want %d", o.Size(), content.Size)
			}
			info, err := probe.Probe(o, o.Size(), o.Name())
			if err != nil || !info.Opens {
				t.Fatalf("probe: %+v %v", info, err)
			}
			res, err := probe.ReadAll(o, o.Size(), info)
			if err != nil {
				t.Fatal(err)
			}
			if want := hashOf(content, content.Size); res.FramesRead != want {
				t.Fatalf("hash %x, want %x", res.FramesRead, want)
			}
			if f := o.FinishDownload(); f != nil {
				t.Fatal(f.Detail)
			}
		})
	}
}

func TestEmptyBody(t *testing.T) {
	srv := remotetest.New(t)
	srv.AddBytes("/ranged", nil, remotetest.Behaviour{})
	srv.AddBytes("/whole", nil, remotetest.Behaviour{IgnoreRange: true})
	srv.AddBytes("/chunked", nil, remotetest.Behaviour{IgnoreRange: true, Chunked: true})
	srv.AddBytes("/gzip", nil, remotetest.Behaviour{IgnoreRange: true, Gzip: true})
	srv.Handle("/204", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	c := newClient(srv)
	for _, p := range []string{"/ranged", "/whole", "/chunked", "/gzip", "/204"} {
		openFails(t, c, srv.URL(p), remote.ReasonEmpty)
	}
}

// A server announcing more than it sends: found at Open when the prefix
// covers it, by FinishDownload (a full check) when it does not.
func TestBodyShorterThanAnnounced(t *testing.T) {
	srv := remotetest.New(t)
	small := remotetest.Pattern{Head: testHead(100), Size: 20000}
	big := remotetest.Pattern{Head: testHead(100), Size: 2 << 20}
	srv.Add("/small-whole", small, small.Size, remotetest.Behaviour{IgnoreRange: true, Missing: 5000})
	srv.Add("/small-ranged", small, small.Size, remotetest.Behaviour{Missing: 5000})
	srv.Add("/big-whole", big, big.Size, remotetest.Behaviour{IgnoreRange: true, Missing: 5000})
	srv.Add("/big-ranged", big, big.Size, remotetest.Behaviour{Missing: 5000})
	c := newClient(srv)
	openFails(t, c, srv.URL("/small-whole"), remote.ReasonShortBody)
	openFails(t, c, srv.URL("/small-ranged"), remote.ReasonShortBody)
	for _, p := range []string{"/big-whole", "/big-ranged"} {
		o := open(t, c, srv.URL(p))
		if o.Size() != big.Size+5000 {
			t.Errorf("%s: Size = %d", p, o.Size())
		}
		f := o.FinishDownload()
		if f == nil || f.Reason != remote.ReasonShortBody {
			t.Fatalf("%s: FinishDownload = %+v, want a short body", p, f)
		}
		if !strings.Contains(f.Detail, fmt.Sprint(big.Size+5000)) {
			t.Errorf("%s: detail %q", p, f.Detail)
		}
	}
	// A read that reaches the missing end fails too, as a *Failure.
	o := open(t, c, srv.URL("/big-ranged"))
	_, err := o.ReadAt(make([]byte, 100), o.Size()-100)
	if f, ok := remote.AsFailure(err); !ok || f.Reason != remote.ReasonShortBody {
		t.Fatalf("ReadAt past what was sent: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 1 << 20}
	srv.Add("/slow-headers", content, content.Size, remotetest.Behaviour{Delay: 5 * time.Second})
	srv.Add("/slow-body", content, content.Size, remotetest.Behaviour{ChunkDelay: 20 * time.Millisecond})
	c := newClient(srv, func(o *remote.Options) { o.Timeout = 300 * time.Millisecond })
	start := time.Now()
	f := openFails(t, c, srv.URL("/slow-headers"), remote.ReasonTimeout)
	if !strings.Contains(f.Detail, "300ms") {
		t.Errorf("detail %q", f.Detail)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timing out took %v", d)
	}

	// 16 pieces of 4 KiB make the prefix: 320 ms at 20 ms each.
	c = newClient(srv, func(o *remote.Options) { o.Timeout = 2 * time.Second })
	o := open(t, c, srv.URL("/slow-body"))
	f = o.FinishDownload()
	if f == nil || f.Reason != remote.ReasonTimeout {
		t.Fatalf("FinishDownload of a slow body = %+v", f)
	}
	if !strings.Contains(f.Detail, "did not finish within 2s") || !strings.Contains(f.Detail, "bytes received") {
		t.Errorf("detail %q", f.Detail)
	}
	if _, err := o.ReadAt(make([]byte, 10), 500000); err == nil {
		t.Error("ReadAt after a failure succeeded")
	}
}

func TestTransferFailureMidBody(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 4 << 20}
	srv.Add("/reset", content, content.Size, remotetest.Behaviour{FailAfter: 100000})
	o := open(t, newClient(srv), srv.URL("/reset"))
	info, err := probe.Probe(o, o.Size(), o.Name())
	if err != nil {
		t.Fatal(err)
	}
	_, err = probe.ReadAll(o, o.Size(), info)
	var ioErr *probe.IOError
	if !errors.As(err, &ioErr) {
		t.Fatalf("ReadAll error %v, want a probe.IOError", err)
	}
	f, ok := remote.AsFailure(err)
	if !ok || f.Detail == "" {
		t.Fatalf("no Failure in %v", err)
	}
	t.Logf("%s: %s", f.Reason, f.Detail)
}

func TestRangeCappedByServer(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(300000), Size: 1<<20 + 3}
	srv.Add("/capped", content, content.Size, remotetest.Behaviour{MaxRange: 10000})
	o := open(t, newClient(srv), srv.URL("/capped"))
	info, err := probe.Probe(o, o.Size(), o.Name())
	if err != nil || !info.Opens {
		t.Fatalf("probe: %+v %v", info, err)
	}
	res, err := probe.ReadAll(o, o.Size(), info)
	if err != nil {
		t.Fatal(err)
	}
	if want := hashOf(content, content.Size); res.FramesRead != want {
		t.Fatalf("hash %x, want %x", res.FramesRead, want)
	}
}

func TestRangeRefusedWithAnError(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 100000}
	srv.Add("/r", content, content.Size, remotetest.Behaviour{RangeStatus: http.StatusBadRequest})
	o := open(t, newClient(srv), srv.URL("/r"))
	if o.Size() != content.Size || !warningsContain(o, "HTTP 400") {
		t.Errorf("size %d, warnings %q", o.Size(), o.Warnings())
	}
	checkBytes(t, o, content, 90000, 10000)
}

func TestStatus(t *testing.T) {
	srv := remotetest.New(t)
	srv.Status("/404", http.StatusNotFound)
	srv.Status("/403", http.StatusForbidden)
	srv.Status("/500", http.StatusInternalServerError)
	srv.Handle("/300", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusMultipleChoices) })
	c := newClient(srv)
	for _, tc := range []struct {
		path     string
		status   int
		text     string
		requests int
	}{
		{"/404", 404, "HTTP 404 Not Found", 1},
		{"/403", 403, "HTTP 403 Forbidden", 2},
		{"/500", 500, "HTTP 500 Internal Server Error", 2},
		{"/300", 300, "HTTP 300 Multiple Choices", 2},
	} {
		srv.ResetCounts()
		f := openFails(t, c, srv.URL(tc.path), remote.ReasonStatus)
		if f.Status != tc.status || !strings.Contains(f.Detail, tc.text) {
			t.Errorf("%s: status %d, detail %q", tc.path, f.Status, f.Detail)
		}
		if n := len(srv.Requests()); n != tc.requests {
			t.Errorf("%s: %d requests, want %d", tc.path, n, tc.requests)
		}
		if r := srv.Requests(); r[len(r)-1].Range != "" && tc.requests == 2 {
			t.Errorf("%s: the second request had a Range header", tc.path)
		}
	}
}

func TestRedirects(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 200000}
	srv.Add("/final.apf", content, content.Size, remotetest.Behaviour{})
	srv.Redirect("/r1", "/r2", http.StatusFound)
	srv.Redirect("/r2", "/r3", http.StatusMovedPermanently)
	srv.Redirect("/r3", "/final.apf?X-Amz-Signature=s3cr3t", http.StatusTemporaryRedirect)
	for i := 0; i < 11; i++ {
		srv.Redirect(fmt.Sprintf("/chain%d", i), fmt.Sprintf("/chain%d", i+1), http.StatusFound)
	}
	srv.Add("/chain11", content, content.Size, remotetest.Behaviour{})
	srv.Redirect("/loop-a", "/loop-b", http.StatusFound)
	srv.Redirect("/loop-b", "/loop-a", http.StatusFound)
	srv.Redirect("/to-ftp", "ftp://example.com/a.wav", http.StatusFound)
	c := newClient(srv)

	o := open(t, c, srv.URL("/r1"))
	if !warningsContain(o, "3 redirects") || !warningsContain(o, "/final.apf?…") {
		t.Errorf("warnings %q", o.Warnings())
	}
	if strings.Contains(fmt.Sprint(o.Warnings()), "s3cr3t") || strings.Contains(o.FinalURL(), "s3cr3t") {
		t.Errorf("a signature shows: %q, %s", o.Warnings(), o.FinalURL())
	}
	if o.Name() != "r1" {
		t.Errorf("Name = %q, want the input's", o.Name())
	}
	checkBytes(t, o, content, 150000, 1000)

	open(t, c, srv.URL("/chain1")) // ten redirects: allowed
	f := openFails(t, c, srv.URL("/chain0"), remote.ReasonRedirects)
	if !strings.Contains(f.Detail, "more than 10 redirects") {
		t.Errorf("detail %q", f.Detail)
	}
	openFails(t, c, srv.URL("/loop-a"), remote.ReasonRedirects)
	f = openFails(t, c, srv.URL("/to-ftp"), remote.ReasonRedirect)
	if !strings.Contains(f.Detail, `"ftp"`) {
		t.Errorf("detail %q", f.Detail)
	}
	c3 := newClient(srv, func(o *remote.Options) { o.MaxRedirects = 3 })
	open(t, c3, srv.URL("/r1"))
	open(t, c3, srv.URL("/chain8"))
	openFails(t, c3, srv.URL("/chain7"), remote.ReasonRedirects)
}

// A redirect to a non-public host fails even when the first host was
// allowed: by literal address before connecting, and by name when the name
// is resolved for the connection.
func TestRedirectToPrivateHost(t *testing.T) {
	public := remotetest.New(t)  // the one host the policy allows
	private := remotetest.New(t) // another loopback server: not allowed
	private.AddBytes("/secret.apf", testHead(100), remotetest.Behaviour{})
	pp := private.Port()
	public.Redirect("/lit", fmt.Sprintf("http://127.0.0.1:%d/secret.apf", pp), http.StatusFound)
	public.Redirect("/hex", fmt.Sprintf("http://0x7f.1:%d/secret.apf", pp), http.StatusFound)
	public.Redirect("/v6", fmt.Sprintf("http://[::ffff:127.0.0.1]:%d/secret.apf", pp), http.StatusFound)
	public.Redirect("/name", fmt.Sprintf("http://internal.test:%d/secret.apf", pp), http.StatusFound)
	public.Redirect("/meta", "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	public.Redirect("/localhost", fmt.Sprintf("http://localhost:%d/secret.apf", pp), http.StatusFound)
	public.Name("internal.test", netip.MustParseAddr("127.0.0.1"))
	var dials []string
	var mu sync.Mutex
	c := newClient(public, func(o *remote.Options) {
		d := &net.Dialer{}
		o.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			mu.Lock()
			dials = append(dials, addr)
			mu.Unlock()
			return d.DialContext(ctx, network, addr)
		}
	})
	for _, p := range []string{"/lit", "/hex", "/v6", "/name", "/meta", "/localhost"} {
		f := openFails(t, c, public.URL(p), remote.ReasonNotPublic)
		if !strings.Contains(f.Detail, "redirects to") {
			t.Errorf("%s: detail %q", p, f.Detail)
		}
		t.Logf("%s: %s", p, f.Detail)
	}
	if private.Connections() != 0 || len(private.Requests()) != 0 {
		t.Errorf("the private server saw %d connections", private.Connections())
	}
	for _, d := range dials {
		if d != public.AddrPort().String() {
			t.Errorf("dialled %s", d)
		}
	}
}

// Every spelling of a non-public literal address, and the loopback names,
// are refused without allow-private before any lookup or connection.
func TestPrivateLiteralsRefusedWithoutConnecting(t *testing.T) {
	srv := remotetest.New(t)
	srv.AddBytes("/a.apf", testHead(100), remotetest.Behaviour{})
	var dialled, looked atomic.Int64
	c := remote.NewClient(remote.Options{
		UserAgent: "audiopreflight/test",
		LookupNetIP: func(context.Context, string) ([]netip.Addr, error) {
			looked.Add(1)
			return nil, errors.New("no DNS here")
		},
		DialContext: func(context.Context, string, string) (net.Conn, error) {
			dialled.Add(1)
			return nil, errors.New("no connection expected")
		},
	})
	p := srv.Port()
	hosts := []string{
		"127.0.0.1", "127.1", "127.0.1", "2130706433", "017700000001", "0x7f000001", "0X7F000001",
		"0177.0.0.1", "0x7f.1", "0x7f.0.0.0x1", "127.000.000.001", "127.0.0.01", "%31%32%37.0.0.1", "127.255.255.254",
		"[::1]", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "[64:ff9b::127.0.0.1]",
		"[2002:7f00:1::1]", "0", "0.0.0.0", "[::]", "0x0", "10.0.0.1", "10.1", "012.0.0.1", "172.16.5.4", "192.168.1.1",
		"3232235777", "[::ffff:192.168.1.1]", "169.254.169.254", "0xa9fea9fe", "169.254.43518", "[fe80::1]",
		"[fe80::1%25eth0]", "100.64.0.1", "[fd00::1]", "[fc00::1]", "224.0.0.1", "[ff02::1]", "255.255.255.255",
		"240.0.0.1", "192.0.2.1", "198.18.0.1", "localhost", "LOCALHOST", "localhost.", "foo.localhost", "ip6-localhost",
	}
	for _, h := range hosts {
		for _, scheme := range []string{"http", "https"} {
			u := fmt.Sprintf("%s://%s:%d/a.apf", scheme, h, p)
			f := openFails(t, c, u, remote.ReasonNotPublic)
			if !strings.Contains(f.Detail, "the API cannot reach it") || f.Hint == "" {
				t.Errorf("%s: detail %q, hint %q", u, f.Detail, f.Hint)
			}
		}
	}
	if dialled.Load() != 0 || looked.Load() != 0 || srv.Connections() != 0 {
		t.Errorf("%d dials, %d lookups, %d connections at the server", dialled.Load(), looked.Load(), srv.Connections())
	}
}

// With allow-private, the same spellings reach the server: they are read
// as the server's getaddrinfo reads them.
func TestPrivateLiteralsWithAllowPrivate(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 1000}
	srv.Add("/a.apf", content, content.Size, remotetest.Behaviour{})
	c := newClient(srv, func(o *remote.Options) { o.AllowPrivate = true; o.AllowAddr = nil })
	for _, h := range []string{"127.0.0.1", "127.1", "2130706433", "0177.0.0.1", "0x7f.1", "[::ffff:127.0.0.1]", "%31%32%37.0.0.1", "localhost"} {
		o := open(t, c, fmt.Sprintf("http://%s:%d/a.apf", h, srv.Port()))
		if o.Size() != content.Size {
			t.Errorf("%s: Size = %d", h, o.Size())
		}
	}
}

// Names are checked for the addresses they resolve to, when connecting.
func TestNamesResolvingToPrivateAddresses(t *testing.T) {
	srv := remotetest.New(t)
	srv.AddBytes("/a.apf", testHead(100), remotetest.Behaviour{})
	srv.Name("intranet.test", netip.MustParseAddr("10.1.2.3"))
	srv.Name("rebind.test", netip.MustParseAddr("127.0.0.1"))
	srv.Name("mapped.test", netip.MustParseAddr("::ffff:192.168.0.10"))
	var dialled atomic.Int64
	c := newClient(srv, func(o *remote.Options) {
		o.AllowAddr = nil
		o.DialContext = func(context.Context, string, string) (net.Conn, error) {
			dialled.Add(1)
			return nil, errors.New("no connection expected")
		}
	})
	for _, h := range []string{"intranet.test", "rebind.test", "mapped.test"} {
		f := openFails(t, c, fmt.Sprintf("http://%s:%d/a.apf", h, srv.Port()), remote.ReasonNotPublic)
		if !strings.Contains(f.Detail, h+" resolves to") {
			t.Errorf("detail %q", f.Detail)
		}
	}
	if dialled.Load() != 0 || srv.Connections() != 0 {
		t.Errorf("%d dials, %d connections", dialled.Load(), srv.Connections())
	}
}

// The policy applies to each connection: a name that resolved to an
// allowed address once and to another later (DNS rebinding) is refused
// when the new connection is made.
func TestPolicyAppliesToEveryConnection(t *testing.T) {
	srv := remotetest.New(t)
	srv.AddBytes("/a.apf", testHead(100), remotetest.Behaviour{})
	var lookups atomic.Int64
	c := newClient(srv, func(o *remote.Options) {
		o.LookupNetIP = func(context.Context, string) ([]netip.Addr, error) {
			if lookups.Add(1) == 1 {
				return []netip.Addr{srv.AddrPort().Addr()}, nil
			}
			return []netip.Addr{netip.MustParseAddr("127.0.0.2")}, nil
		}
	})
	u := fmt.Sprintf("http://flip.test:%d/a.apf", srv.Port())
	open(t, c, u).Close()
	c.CloseIdleConnections()
	f := openFails(t, c, u, remote.ReasonNotPublic)
	if !strings.Contains(f.Detail, "flip.test resolves to 127.0.0.2") {
		t.Errorf("detail %q", f.Detail)
	}
	if srv.Connections() != 1 {
		t.Errorf("%d connections", srv.Connections())
	}
}

// Only the public addresses of a name are connected to.
func TestMixedResolutionDialsOnlyPublic(t *testing.T) {
	var dials []string
	c := remote.NewClient(remote.Options{
		LookupNetIP: func(context.Context, string) ([]netip.Addr, error) {
			return []netip.Addr{netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("93.184.216.34")}, nil
		},
		DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
			dials = append(dials, addr)
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
		},
	})
	f := openFails(t, c, "http://mixed.example/a.wav", remote.ReasonConnect)
	if len(dials) != 1 || dials[0] != "93.184.216.34:80" {
		t.Errorf("dials %v", dials)
	}
	if !strings.Contains(f.Detail, "connection refused") {
		t.Errorf("detail %q", f.Detail)
	}
}

func TestDNSFailure(t *testing.T) {
	var looked []string
	c := remote.NewClient(remote.Options{
		LookupNetIP: func(_ context.Context, host string) ([]netip.Addr, error) {
			looked = append(looked, host)
			if host == "servfail.example" {
				return nil, &net.DNSError{Err: "server misbehaving", Name: host, IsTemporary: true}
			}
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		},
		DialContext: func(context.Context, string, string) (net.Conn, error) {
			return nil, errors.New("no connection expected")
		},
	})
	f := openFails(t, c, "https://audio.invalid/a.wav", remote.ReasonDNS)
	if f.Detail != "DNS lookup of audio.invalid failed: no such host" {
		t.Errorf("detail %q", f.Detail)
	}
	f = openFails(t, c, "https://nowhere.example/a.wav", remote.ReasonDNS)
	if !strings.Contains(f.Detail, "nowhere.example") || !strings.Contains(f.Detail, "no such host") {
		t.Errorf("detail %q", f.Detail)
	}
	f = openFails(t, c, "http://servfail.example/a.wav", remote.ReasonDNS)
	if !strings.Contains(f.Detail, "server misbehaving") {
		t.Errorf("detail %q", f.Detail)
	}
	f = openFails(t, c, "http://127.0.0.1./a.wav", remote.ReasonDNS) // a trailing dot makes a name
	if !strings.Contains(f.Detail, "127.0.0.1.") {
		t.Errorf("detail %q", f.Detail)
	}
	if len(looked) != 3 || looked[2] != "127.0.0.1." {
		t.Errorf("lookups %q", looked)
	}
}

func TestConnectFailure(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := remote.NewClient(remote.Options{AllowPrivate: true})
	f := openFails(t, c, "http://"+addr+"/a.wav", remote.ReasonConnect)
	if !strings.Contains(f.Detail, addr) || !strings.Contains(f.Detail, "refused") {
		t.Errorf("detail %q", f.Detail)
	}
}

func TestTLS(t *testing.T) {
	srv := remotetest.NewTLS(t, true)
	content := remotetest.Pattern{Head: testHead(100), Size: 300000}
	srv.Add("/a.apf", content, content.Size, remotetest.Behaviour{})
	srv.Name("example.com", netip.MustParseAddr("127.0.0.1"))
	srv.Name("other.test", netip.MustParseAddr("127.0.0.1"))

	o := open(t, newClient(srv), fmt.Sprintf("https://example.com:%d/a.apf", srv.Port()))
	checkBytes(t, o, content, 250000, 50000)
	for _, r := range srv.Requests() {
		if r.Proto != "HTTP/2.0" {
			t.Errorf("request over %s, want HTTP/2", r.Proto)
		}
	}

	untrusting := newClient(srv, func(o *remote.Options) { o.TLSConfig = nil })
	f := openFails(t, untrusting, srv.URL("/a.apf"), remote.ReasonTLS)
	if !strings.Contains(f.Detail, "certificate") {
		t.Errorf("detail %q", f.Detail)
	}
	f = openFails(t, newClient(srv), fmt.Sprintf("https://other.test:%d/a.apf", srv.Port()), remote.ReasonTLS)
	if !strings.Contains(f.Detail, "other.test") {
		t.Errorf("detail %q", f.Detail)
	}
	// Plain HTTP to the TLS port is not a TLS failure but a bad answer.
	if _, f := newClient(srv).Open(context.Background(), fmt.Sprintf("http://127.0.0.1:%d/a.apf", srv.Port())); f == nil {
		t.Error("HTTP to an HTTPS port succeeded")
	}
}

// A certificate that has expired is a TLS failure, also behind a redirect.
func TestExpiredCertificate(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "expired.test"},
		DNSNames:              []string{"expired.test"},
		NotBefore:             time.Now().Add(-48 * time.Hour),
		NotAfter:              time.Now().Add(-24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(testHead(100))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	ap := netip.MustParseAddrPort(srv.Listener.Addr().String())

	front := remotetest.New(t)
	front.Redirect("/go", fmt.Sprintf("https://expired.test:%d/a.apf", ap.Port()), http.StatusFound)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	front.Name("expired.test", ap.Addr())
	c := newClient(front, func(o *remote.Options) {
		o.TLSConfig = &tls.Config{RootCAs: pool}
		o.AllowAddr = func(a netip.AddrPort) bool { return a == ap || a == front.AddrPort() }
	})
	for _, u := range []string{fmt.Sprintf("https://expired.test:%d/a.apf", ap.Port()), front.URL("/go")} {
		f := openFails(t, c, u, remote.ReasonTLS)
		if !strings.Contains(f.Detail, "expired") || !strings.Contains(f.Detail, "expired.test") {
			t.Errorf("%s: detail %q", u, f.Detail)
		}
	}
}

func TestConnectionReuse(t *testing.T) {
	srv := remotetest.New(t)
	for i := 0; i < 5; i++ {
		srv.AddBytes(fmt.Sprintf("/f%d.apf", i), append(testHead(20), make([]byte, 5000*i)...), remotetest.Behaviour{})
	}
	big := remotetest.Pattern{Head: testHead(100), Size: 1 << 20}
	srv.Add("/big.apf", big, big.Size, remotetest.Behaviour{})
	c := newClient(srv)
	for i := 0; i < 5; i++ {
		o := open(t, c, srv.URL(fmt.Sprintf("/f%d.apf", i)))
		o.Close()
	}
	o := open(t, c, srv.URL("/big.apf"))
	checkBytes(t, o, big, 900000, 10)
	checkBytes(t, o, big, 500000, 10)
	o.Close()
	if n := srv.Connections(); n != 1 {
		t.Errorf("%d connections for %d requests, want 1", n, len(srv.Requests()))
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := remotetest.NewTLS(t, true)
	contents := make([]remotetest.Pattern, 8)
	for i := range contents {
		contents[i] = remotetest.Pattern{Head: testHead(int64(100 + i)), Size: int64(200000 + 70000*i)}
		srv.Add(fmt.Sprintf("/f%d.apf", i), contents[i], contents[i].Size, remotetest.Behaviour{})
	}
	c := newClient(srv)
	var wg sync.WaitGroup
	errs := make(chan error, 3*len(contents))
	for round := 0; round < 2; round++ {
		for i := range contents {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o, f := c.Open(context.Background(), srv.URL(fmt.Sprintf("/f%d.apf", i)))
				if f != nil {
					errs <- f
					return
				}
				defer o.Close()
				info, err := probe.Probe(o, o.Size(), o.Name())
				if err != nil {
					errs <- err
					return
				}
				res, err := probe.ReadAll(o, o.Size(), info)
				if err != nil {
					errs <- err
					return
				}
				if res.FramesRead != hashOf(contents[i], contents[i].Size) {
					errs <- fmt.Errorf("f%d: wrong bytes", i)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPresignedExpiry(t *testing.T) {
	srv := remotetest.New(t)
	srv.AddBytes("/a.apf", testHead(100), remotetest.Behaviour{})
	now := time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC)
	c := newClient(srv, func(o *remote.Options) { o.Now = func() time.Time { return now } })
	q := "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20240301%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240301T120000Z&X-Amz-Expires=EXP&X-Amz-SignedHeaders=host&X-Amz-Signature=ab"

	f := openFails(t, c, srv.URL("/a.apf"+strings.Replace(q, "EXP", "600", 1)), remote.ReasonExpired)
	if !strings.Contains(f.Detail, "2024-03-01T12:10:00Z") || !strings.Contains(f.Detail, "20m ago") {
		t.Errorf("detail %q", f.Detail)
	}
	if len(srv.Requests()) != 0 {
		t.Error("an expired URL was requested")
	}
	o := open(t, c, srv.URL("/a.apf"+strings.Replace(q, "EXP", "3000", 1)))
	if !warningsContain(o, "expires at 2024-03-01T12:50:00Z (in 20m") {
		t.Errorf("warnings %q", o.Warnings())
	}
	o = open(t, c, srv.URL("/a.apf"+strings.Replace(q, "EXP", "86400", 1)))
	if len(o.Warnings()) != 0 {
		t.Errorf("warnings %q", o.Warnings())
	}
	// An expired URL behind a redirect: the storage answers 403, and the
	// detail says why.
	srv.Handle("/expired.apf", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Request has expired", http.StatusForbidden)
	})
	srv.Redirect("/go", "/expired.apf"+strings.Replace(q, "EXP", "60", 1), http.StatusFound)
	f = openFails(t, c, srv.URL("/go"), remote.ReasonStatus)
	if !strings.Contains(f.Detail, "403") || !strings.Contains(f.Detail, "expired at 2024-03-01T12:01:00Z") {
		t.Errorf("detail %q", f.Detail)
	}
}

func TestSchemeAndURLFailuresMakeNoRequest(t *testing.T) {
	c := remote.NewClient(remote.Options{
		DialContext: func(context.Context, string, string) (net.Conn, error) {
			t.Error("dialled")
			return nil, errors.New("no")
		},
	})
	for u, want := range map[string]remote.Reason{
		"ftp://example.com/a.wav":    remote.ReasonScheme,
		"file:///tmp/a.wav":          remote.ReasonScheme,
		"s3://bucket/a.wav":          remote.ReasonScheme,
		"example.com/a.wav":          remote.ReasonScheme,
		"http:///a.wav":              remote.ReasonInvalidURL,
		"http://example.com:99999/a": remote.ReasonInvalidURL,
	} {
		f := openFails(t, c, u, want)
		if f.Reason == remote.ReasonScheme && f.Hint == "" {
			t.Errorf("%s: no hint", u)
		}
	}
}

func TestProgress(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 2 << 20}
	srv.Add("/p.apf", content, content.Size, remotetest.Behaviour{})
	var mu sync.Mutex
	var last int64
	calls := 0
	c := newClient(srv, func(o *remote.Options) {
		o.Progress = func(input string, transferred, size int64) {
			mu.Lock()
			defer mu.Unlock()
			if input != srv.URL("/p.apf") || transferred < last || size != content.Size && size != -1 {
				t.Errorf("progress(%q, %d, %d) after %d", input, transferred, size, last)
			}
			last = transferred
			calls++
		}
	})
	o := open(t, c, srv.URL("/p.apf"))
	if f := o.FinishDownload(); f != nil {
		t.Fatal(f.Detail)
	}
	if calls < 2 || last != o.BytesTransferred() {
		t.Errorf("%d calls, last %d, transferred %d", calls, last, o.BytesTransferred())
	}
}

func TestUserInfoIsSentLikeTheServer(t *testing.T) {
	// requests sends the URL's user information as Basic credentials, and
	// so does this client; it adds no other credentials.
	srv := remotetest.New(t)
	srv.AddBytes("/a.apf", testHead(100), remotetest.Behaviour{})
	u := strings.Replace(srv.URL("/a.apf"), "http://", "http://user:pw@", 1)
	open(t, newClient(srv), u)
	if got := srv.Requests()[0].Header.Get("Authorization"); got != "Basic dXNlcjpwdw==" {
		t.Errorf("Authorization %q", got)
	}
}

func TestCloseInterruptsARead(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 4 << 20}
	srv.Add("/slow.apf", content, content.Size, remotetest.Behaviour{ChunkDelay: 50 * time.Millisecond})
	o, f := newClient(srv).Open(context.Background(), srv.URL("/slow.apf"))
	if f != nil {
		t.Fatal(f.Detail)
	}
	done := make(chan error)
	go func() {
		_, err := o.ReadAt(make([]byte, 100), 3<<20)
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	o.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("the interrupted read succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not interrupt the read")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v", d)
	}
}

func TestReadAfterClose(t *testing.T) {
	srv := remotetest.New(t)
	content := remotetest.Pattern{Head: testHead(100), Size: 1 << 20}
	srv.Add("/a.apf", content, content.Size, remotetest.Behaviour{})
	o := open(t, newClient(srv), srv.URL("/a.apf"))
	o.Close()
	if _, err := o.ReadAt(make([]byte, 10), 0); err == nil {
		t.Error("ReadAt after Close succeeded")
	}
}
