// Package s3test serves S3 on loopback for tests: an in-process fake
// (gofakes3) for fast unit tests, a real S3-compatible server (versitygw,
// which checks SigV4 signatures) for integration tests, and a fault
// injector that sits in front of either to throttle, fail or cut off
// chosen requests. It also isolates the AWS credential chain of a test
// from the machine's own configuration.
package s3test

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Test credentials: any value works with the fake; versitygw is started
// with these.
const (
	AccessKey = "AKIAAUDIOPREFLIGHT01"
	SecretKey = "audiopreflight-test-secret-key-0000000000"
)

// Env points the AWS credential chain of this test at the given keys
// (through the environment) and at nothing else: no profile files of the
// machine, no instance metadata (whose link-local address a test must not
// reach), no endpoint or retry settings from outside.
func Env(t testing.TB, accessKey, secretKey string) {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":                      accessKey,
		"AWS_SECRET_ACCESS_KEY":                  secretKey,
		"AWS_SESSION_TOKEN":                      "",
		"AWS_PROFILE":                            "",
		"AWS_DEFAULT_PROFILE":                    "",
		"AWS_REGION":                             "",
		"AWS_DEFAULT_REGION":                     "",
		"AWS_CONFIG_FILE":                        filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE":            filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":              "true",
		"AWS_ENDPOINT_URL":                       "",
		"AWS_ENDPOINT_URL_S3":                    "",
		"AWS_MAX_ATTEMPTS":                       "",
		"AWS_RETRY_MODE":                         "",
		"AWS_WEB_IDENTITY_TOKEN_FILE":            "",
		"AWS_ROLE_ARN":                           "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":      "",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "",
		"AWS_ACCESS_KEY":                         "",
		"AWS_SECRET_KEY":                         "",
		"AWS_ROLE_SESSION_NAME":                  "",
		"AWS_ENDPOINT_URL_SSO":                   "",
		"AWS_ENDPOINT_URL_STS":                   "",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT":      "",
		"AWS_EC2_METADATA_V1_DISABLED":           "",
		"AWS_METADATA_SERVICE_TIMEOUT":           "",
		"AWS_CA_BUNDLE":                          "",
	} {
		t.Setenv(k, v)
	}
}

// Fake is gofakes3 on a loopback port, behind a Faults injector.
type Fake struct {
	URL     string
	Backend *s3mem.Backend
	*Faults
}

// NewFake starts a fake S3 for the test; it stops when the test ends.
func NewFake(t testing.TB) *Fake {
	t.Helper()
	backend := s3mem.New()
	faker := gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog()))
	faults := &Faults{}
	srv := httptest.NewServer(faults.Wrap(faker.Server()))
	t.Cleanup(srv.Close)
	return &Fake{URL: srv.URL, Backend: backend, Faults: faults}
}

// Bucket creates a bucket.
func (f *Fake) Bucket(t testing.TB, name string) {
	t.Helper()
	if err := f.Backend.CreateBucket(name); err != nil {
		t.Fatalf("creating bucket %s: %v", name, err)
	}
}

// Put stores an object.
func (f *Fake) Put(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	meta := map[string]string{"Last-Modified": time.Now().UTC().Format(http.TimeFormat)}
	if _, err := f.Backend.PutObject(bucket, key, meta, bytes.NewReader(data), int64(len(data)), nil); err != nil {
		t.Fatalf("putting s3://%s/%s: %v", bucket, key, err)
	}
}

// Request is what the injector saw of one request.
type Request struct {
	Method string
	// Bucket and Key come from the path (path-style addressing).
	Bucket, Key string
	Query       url.Values
	Range       string
	IfMatch     string
}

// Fault is what to do to one request instead of serving it normally.
type Fault struct {
	// Status, when not 0, is answered with an S3 error document of Code.
	Status int
	Code   string
	// CutAfter, when Status is 0, serves the request but breaks the
	// connection after this many body bytes.
	CutAfter int64
}

// Faults records requests and applies the faults a test chooses. The
// zero value records and passes everything on.
type Faults struct {
	mu       sync.Mutex
	requests []Request
	choose   func(Request, int) *Fault
	counts   map[string]int
	sent     atomic.Int64
}

// BodyBytes counts the response body bytes sent so far.
func (f *Faults) BodyBytes() int64 { return f.sent.Load() }

// countingWriter counts what a handler writes.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(n))
	return n, err
}

func (c countingWriter) Flush() {
	if fl, ok := c.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

// Set makes choose decide, for each request, whether it fails: it gets
// the request and how many requests for the same bucket and key came
// before it (0 for the first), and returns nil to let it through.
func (f *Faults) Set(choose func(r Request, nth int) *Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.choose = choose
	f.counts = map[string]int{}
}

// Requests returns the requests seen so far and forgets them.
func (f *Faults) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

// Wrap puts the injector in front of h.
func (f *Faults) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var w http.ResponseWriter = countingWriter{ResponseWriter: rw, n: &f.sent}
		path := strings.TrimPrefix(r.URL.Path, "/")
		bucket, key, _ := strings.Cut(path, "/")
		req := Request{Method: r.Method, Bucket: bucket, Key: key, Query: r.URL.Query(),
			Range: r.Header.Get("Range"), IfMatch: r.Header.Get("If-Match")}
		f.mu.Lock()
		f.requests = append(f.requests, req)
		var fault *Fault
		if f.choose != nil {
			id := bucket + "/" + key
			fault = f.choose(req, f.counts[id])
			f.counts[id]++
		}
		f.mu.Unlock()
		switch {
		case fault == nil:
			h.ServeHTTP(w, r)
		case fault.Status != 0:
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(fault.Status)
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>injected by s3test</Message><RequestId>s3test</RequestId></Error>`, fault.Code)
		default:
			h.ServeHTTP(&cuttingWriter{ResponseWriter: w, left: fault.CutAfter}, r)
		}
	})
}

// cuttingWriter breaks the connection once its allowance of body bytes is
// spent.
type cuttingWriter struct {
	http.ResponseWriter
	left int64
}

func (c *cuttingWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > c.left {
		c.ResponseWriter.Write(p[:c.left])
		if fl, ok := c.ResponseWriter.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler)
	}
	c.left -= int64(len(p))
	return c.ResponseWriter.Write(p)
}

// ListServer answers ListObjectsV2 for one bucket whose keys it makes up
// as it goes: n keys named by key(i), in order, served a page at a time
// from the continuation token, so that a listing of millions costs the
// server no memory. A GET of any key in the bucket answers body (ranges
// served); other requests get 404.
func ListServer(t testing.TB, bucket string, n int, key func(i int) string, body []byte) string {
	t.Helper()
	modified := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if b, k, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); b == bucket && k != "" && r.Method == http.MethodGet {
			w.Header().Set("ETag", `"0123456789abcdef0123456789abcdef"`)
			http.ServeContent(w, r, k, modified, bytes.NewReader(body))
			return
		}
		if strings.Trim(r.URL.Path, "/") != bucket || q.Get("list-type") != "2" {
			http.NotFound(w, r)
			return
		}
		max := 1000
		if m, err := strconv.Atoi(q.Get("max-keys")); err == nil && m > 0 && m < max {
			max = m
		}
		start := 0
		if tok := q.Get("continuation-token"); tok != "" {
			start, _ = strconv.Atoi(tok)
		}
		end := min(start+max, n)
		w.Header().Set("Content-Type", "application/xml")
		bw := bufio.NewWriterSize(w, 64<<10)
		fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>%s</Name><Prefix></Prefix><KeyCount>%d</KeyCount><MaxKeys>%d</MaxKeys><IsTruncated>%v</IsTruncated>`,
			bucket, end-start, max, end < n)
		if end < n {
			fmt.Fprintf(bw, `<NextContinuationToken>%d</NextContinuationToken>`, end)
		}
		for i := start; i < end; i++ {
			bw.WriteString(`<Contents><Key>`)
			xml.EscapeText(bw, []byte(key(i)))
			bw.WriteString(`</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"0"</ETag><Size>1000</Size><StorageClass>STANDARD</StorageClass></Contents>`)
		}
		bw.WriteString(`</ListBucketResult>`)
		bw.Flush()
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
