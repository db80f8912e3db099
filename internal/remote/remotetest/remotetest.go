// Package remotetest serves audio over loopback HTTP and HTTPS for tests of
// URL inputs: files or generated bodies, with knobs for the ways real
// servers differ (ignoring Range, chunked bodies, lying lengths, slowness),
// counting what it sends. Its Options give a remote.Client that may reach
// this server and nothing else, and that resolves names without DNS.
package remotetest

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/remote"
)

// Behaviour is how the server answers for one path.
type Behaviour struct {
	// IgnoreRange answers every request with 200 and the whole body.
	IgnoreRange bool
	// Chunked leaves out Content-Length on 200 answers (chunked encoding).
	Chunked bool
	// Gzip sends 200 bodies gzip-encoded (Content-Encoding: gzip).
	Gzip bool
	// Missing is how many bytes at the end of the file the server
	// announces (Content-Length, Content-Range) but never sends: it closes
	// the connection instead.
	Missing int64
	// MaxRange caps the length of a byte range answer (some servers and
	// CDNs do); 0 means no cap.
	MaxRange int64
	// RangeStatus, when set, is the answer to any request with a Range
	// header (a server that refuses ranges with an error).
	RangeStatus int
	// Delay waits before the answer's headers; ChunkDelay waits before
	// each 4 KiB of the body (a slow server).
	Delay, ChunkDelay time.Duration
	// FailAfter, when positive, makes the server drop the connection after
	// sending this many body bytes of an answer (a reset mid-transfer).
	FailAfter int64
}

// Request is one request the server saw.
type Request struct {
	Path   string
	Range  string
	Proto  string
	Header http.Header
}

// Server is a loopback HTTP(S) server.
type Server struct {
	*httptest.Server
	t    testing.TB
	mux  *http.ServeMux
	addr netip.AddrPort

	sent  atomic.Int64 // body bytes written
	conns atomic.Int64 // connections accepted

	mu       sync.Mutex
	requests []Request
	names    map[string]netip.Addr
}

// New starts a plain HTTP server; it stops at the end of the test.
func New(t testing.TB) *Server { return start(t, false, false) }

// NewTLS starts an HTTPS server (httptest's certificate, valid for
// example.com, 127.0.0.1 and ::1), offering HTTP/2 when http2 is set.
func NewTLS(t testing.TB, http2 bool) *Server { return start(t, true, http2) }

func start(t testing.TB, useTLS, http2 bool) *Server {
	t.Helper()
	s := &Server{t: t, mux: http.NewServeMux(), names: make(map[string]netip.Addr)}
	s.Server = httptest.NewUnstartedServer(s.mux)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.EnableHTTP2 = http2
	if useTLS {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	ap, err := netip.ParseAddrPort(s.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ap
	return s
}

// AddrPort is the address the server listens on.
func (s *Server) AddrPort() netip.AddrPort { return s.addr }

// Port is the server's port, for building URLs with other host spellings.
func (s *Server) Port() int { return int(s.addr.Port()) }

// URL is the server's URL for path (which starts with "/").
func (s *Server) URL(path string) string { return s.Server.URL + path }

// BytesSent counts the body bytes the server has written.
func (s *Server) BytesSent() int64 { return s.sent.Load() }

// Connections counts the connections the server has accepted.
func (s *Server) Connections() int64 { return s.conns.Load() }

// Requests lists the requests the server has seen.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetCounts zeroes the byte, connection and request counts.
func (s *Server) ResetCounts() {
	s.sent.Store(0)
	s.conns.Store(0)
	s.mu.Lock()
	s.requests = nil
	s.mu.Unlock()
}

// Name makes the Options' resolver answer host with addr.
func (s *Server) Name(host string, addr netip.Addr) {
	s.mu.Lock()
	s.names[strings.ToLower(host)] = addr
	s.mu.Unlock()
}

// Options are client options that reach this server (and no other
// non-public address), trust its certificate, and resolve only the names
// given to Name: no query leaves the machine.
func (s *Server) Options() remote.Options {
	opts := remote.Options{
		Timeout:   2 * time.Minute, // generous: tests run under -race on loaded machines
		UserAgent: "audiopreflight/test",
		AllowAddr: func(ap netip.AddrPort) bool { return ap == s.addr },
		LookupNetIP: func(_ context.Context, host string) ([]netip.Addr, error) {
			s.mu.Lock()
			a, ok := s.names[strings.ToLower(strings.TrimSuffix(host, "."))]
			s.mu.Unlock()
			if !ok {
				return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
			}
			return []netip.Addr{a}, nil
		},
	}
	if s.Certificate() != nil {
		pool := x509.NewCertPool()
		pool.AddCert(s.Certificate())
		opts.TLSConfig = &tls.Config{RootCAs: pool}
	}
	return opts
}

// Handle serves path with h, counting as for the other paths.
func (s *Server) Handle(path string, h http.HandlerFunc) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		h(&countingWriter{ResponseWriter: w, n: &s.sent}, r)
	})
}

// Redirect answers path with a redirect to target.
func (s *Server) Redirect(path, target string, code int) {
	s.Handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", target)
		w.WriteHeader(code)
	})
}

// Status answers path with status and a short text body.
func (s *Server) Status(path string, status int) {
	s.Handle(path, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, http.StatusText(status), status)
	})
}

// Add serves size bytes of content at path, as b says.
func (s *Server) Add(path string, content io.ReaderAt, size int64, b Behaviour) {
	s.Handle(path, func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, content, size, b)
	})
}

// AddBytes serves data at path.
func (s *Server) AddBytes(path string, data []byte, b Behaviour) {
	s.Add(path, readerAt(data), int64(len(data)), b)
}

// AddDir serves every regular file under dir at "/" + its slash-separated
// path relative to dir, and returns those paths.
func (s *Server) AddDir(dir string, b Behaviour) []string {
	s.t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		path := "/" + filepath.ToSlash(rel)
		s.AddBytes(path, data, b)
		paths = append(paths, path)
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return paths
}

func (s *Server) record(r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, Request{Path: r.URL.Path, Range: r.Header.Get("Range"), Proto: r.Proto, Header: r.Header.Clone()})
	s.mu.Unlock()
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// serve answers one request for content: a single byte range (206, or 416
// past the end) unless the behaviour says otherwise, else the whole body.
func serve(w http.ResponseWriter, r *http.Request, content io.ReaderAt, size int64, b Behaviour) {
	if b.Delay > 0 {
		select {
		case <-time.After(b.Delay):
		case <-r.Context().Done():
			return
		}
	}
	announced := size + b.Missing
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Accept-Ranges", "bytes")
	rng := r.Header.Get("Range")
	if rng != "" && b.RangeStatus != 0 {
		http.Error(w, http.StatusText(b.RangeStatus), b.RangeStatus)
		return
	}
	if rng != "" && !b.IgnoreRange {
		first, last, ok := parseRange(rng, announced)
		if ok && first >= announced {
			h.Set("Content-Range", fmt.Sprintf("bytes */%d", announced))
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			return
		}
		if ok {
			if b.MaxRange > 0 && last-first+1 > b.MaxRange {
				last = first + b.MaxRange - 1
			}
			h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", first, last, announced))
			h.Set("Content-Length", strconv.FormatInt(last-first+1, 10))
			w.WriteHeader(http.StatusPartialContent)
			send(w, r, content, first, min(last+1, size), b)
			return
		}
	}
	var body io.Writer = w
	if b.Gzip {
		h.Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		defer zw.Close()
		body = zw
	} else if !b.Chunked {
		h.Set("Content-Length", strconv.FormatInt(announced, 10))
	}
	w.WriteHeader(http.StatusOK)
	if b.Chunked || b.Gzip {
		w.(http.Flusher).Flush()
	}
	send(body, r, content, 0, size, b)
}

// send writes content[from:to] in 4 KiB pieces.
func send(w io.Writer, r *http.Request, content io.ReaderAt, from, to int64, b Behaviour) {
	buf := make([]byte, 4096)
	sent := int64(0)
	for off := from; off < to; {
		if b.ChunkDelay > 0 {
			select {
			case <-time.After(b.ChunkDelay):
			case <-r.Context().Done():
				return
			}
		}
		n := min(int64(len(buf)), to-off)
		if b.FailAfter > 0 && sent+n > b.FailAfter {
			n = b.FailAfter - sent
		}
		k, err := content.ReadAt(buf[:n], off)
		if k > 0 {
			if _, werr := w.Write(buf[:k]); werr != nil {
				return
			}
		}
		if err != nil && err != io.EOF || k == 0 {
			return
		}
		off += int64(k)
		sent += int64(k)
		if b.FailAfter > 0 && sent >= b.FailAfter {
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			panic(http.ErrAbortHandler) // drops the connection
		}
	}
}

// parseRange reads a single "bytes=a-b", "bytes=a-" or "bytes=-n" against
// size.
func parseRange(h string, size int64) (first, last int64, ok bool) {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return 0, 0, false
	}
	a, z, ok := strings.Cut(spec, "-")
	if !ok {
		return 0, 0, false
	}
	if a == "" {
		n, err := strconv.ParseInt(z, 10, 64)
		if err != nil || n <= 0 {
			return 0, 0, false
		}
		return max(size-n, 0), size - 1, true
	}
	first, err := strconv.ParseInt(a, 10, 64)
	if err != nil || first < 0 {
		return 0, 0, false
	}
	last = size - 1
	if z != "" {
		if last, err = strconv.ParseInt(z, 10, 64); err != nil || last < first {
			return 0, 0, false
		}
		last = min(last, size-1)
	}
	return first, last, true
}

type readerAt []byte

func (b readerAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Pattern is a generated body of any size: Head, then bytes that follow
// from their offset (so a huge body costs no memory and every byte can be
// checked).
type Pattern struct {
	Head []byte
	Size int64
}

// ByteAt is the byte at off.
func (p Pattern) ByteAt(off int64) byte {
	if off < int64(len(p.Head)) {
		return p.Head[off]
	}
	x := uint64(off) * 0x9E3779B97F4A7C15
	return byte(x >> 56)
}

// ReadAt implements io.ReaderAt.
func (p Pattern) ReadAt(b []byte, off int64) (int, error) {
	if off >= p.Size {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), p.Size-off))
	for i := 0; i < n; i++ {
		b[i] = p.ByteAt(off + int64(i))
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}
