package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// awsFake stands in for AWS S3: every request, whatever its host, goes
// to handler, which sees the host and path the client addressed.
type awsFake struct {
	mu       sync.Mutex
	requests []string // "METHOD host path region"
}

// newAWSStore builds a Store that addresses AWS S3 (no endpoint of its
// own) in region ("" to find each bucket's), with its requests sent to
// handler instead.
func newAWSStore(t *testing.T, region string, c credSource, handler http.HandlerFunc) (*Store, *awsFake) {
	t.Helper()
	fake := &awsFake{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scope := strings.Split(r.Header.Get("Authorization"), "/")
		signedFor := ""
		if len(scope) > 2 {
			signedFor = scope[2]
		}
		fake.mu.Lock()
		fake.requests = append(fake.requests, r.Method+" "+r.Host+" "+r.URL.EscapedPath()+" "+signedFor)
		fake.mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	target, _ := url.Parse(srv.URL)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	cache := &credCache{now: time.Now}
	if c == nil {
		c = sourceFunc(func() (creds, error) { return creds{AccessKeyID: "AKID", SecretAccessKey: "s"}, nil })
	}
	if err := cache.resolve(context.Background(), []credSource{c}); err != nil {
		t.Fatal(err)
	}
	st := &Store{maxAttempts: 3, backoff: func(int, error) time.Duration { return time.Millisecond }}
	st.client = &client{
		hc: &http.Client{
			Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				r = r.Clone(r.Context())
				r.Host = r.URL.Host
				r.URL.Scheme, r.URL.Host = "http", target.Host
				return tr.RoundTrip(r)
			}),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		creds:   cache,
		region:  region,
		now:     time.Now,
		regions: map[string]*regionLookup{},
	}
	return st, fake
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// serveObject answers a GET of any object with 10 bytes.
func serveObject(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("ETag", `"abc"`)
	w.Header().Set("Content-Range", "bytes 0-9/10")
	w.WriteHeader(http.StatusPartialContent)
	io.WriteString(w, "0123456789")
}

func (f *awsFake) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

// On AWS without a region, a bucket's region is asked for once with a
// HEAD (its x-amz-bucket-region answers even a redirect), and its
// requests go to that region's endpoint, virtual-host style, signed for
// it; buckets whose names cannot be host names go path-style.
func TestRegionDiscoveryAndAddressing(t *testing.T) {
	st, fake := newAWSStore(t, "", nil, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.Header().Set("X-Amz-Bucket-Region", "eu-west-2")
			w.WriteHeader(http.StatusMovedPermanently)
			return
		}
		serveObject(w, r)
	})
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			obj, err := st.Open(ctx, URI{Bucket: "rec", Key: "day 1/a+b.wav"})
			if err != nil {
				t.Error(err)
				return
			}
			obj.Close()
		}()
	}
	wg.Wait()
	got := fake.take()
	heads := 0
	for _, r := range got {
		switch {
		case strings.HasPrefix(r, "HEAD "):
			heads++
			if r != "HEAD rec.s3.us-east-1.amazonaws.com / us-east-1" {
				t.Errorf("region asked as %q", r)
			}
		case r != "GET rec.s3.eu-west-2.amazonaws.com /day%201/a%2Bb.wav eu-west-2":
			t.Errorf("object read as %q", r)
		}
	}
	if heads != 1 || len(got) != 9 {
		t.Errorf("%d region lookups in %d requests, want 1 in 9: %q", heads, len(got), got)
	}

	if _, err := st.Open(ctx, URI{Bucket: "my.dotted.bucket", Key: "a.wav"}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"HEAD s3.us-east-1.amazonaws.com /my.dotted.bucket/ us-east-1",
		"GET s3.eu-west-2.amazonaws.com /my.dotted.bucket/a.wav eu-west-2",
	}
	if got := fake.take(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("dotted bucket: %q, want %q", got, want)
	}

	signed, err := st.Presign(ctx, URI{Bucket: "rec", Key: "day 1/a+b.wav"}, time.Hour)
	if err != nil || !strings.HasPrefix(signed, "https://rec.s3.eu-west-2.amazonaws.com/day%201/a%2Bb.wav?") ||
		!strings.Contains(signed, "%2Feu-west-2%2Fs3%2Faws4_request") {
		t.Errorf("pre-signed: %s, %v", signed, err)
	}
	if got := fake.take(); len(got) != 0 {
		t.Errorf("presigning sent %q", got)
	}
}

// A request answered with the bucket's region in an error (a signature
// for the wrong region) is sent again, once, to that region; the region
// is remembered.
func TestRegionRedirect(t *testing.T) {
	st, fake := newAWSStore(t, "", nil, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodHead:
			w.WriteHeader(http.StatusOK) // no region said: us-east-1
		case strings.HasPrefix(r.Host, "moved.s3.us-east-1."):
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region 'us-east-1' is wrong; expecting 'ap-south-1'</Message><Region>ap-south-1</Region></Error>`)
		case strings.HasPrefix(r.Host, "moved.s3.ap-south-1."):
			serveObject(w, r)
		default:
			w.WriteHeader(http.StatusMovedPermanently)
			io.WriteString(w, `<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>`)
		}
	})
	for range 2 {
		obj, err := st.Open(context.Background(), URI{Bucket: "moved", Key: "a.wav"})
		if err != nil {
			t.Fatal(err)
		}
		obj.Close()
	}
	want := []string{
		"HEAD moved.s3.us-east-1.amazonaws.com / us-east-1",
		"GET moved.s3.us-east-1.amazonaws.com /a.wav us-east-1",
		"GET moved.s3.ap-south-1.amazonaws.com /a.wav ap-south-1",
		"GET moved.s3.ap-south-1.amazonaws.com /a.wav ap-south-1",
	}
	if got := fake.take(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests\n %q\nwant\n %q", got, want)
	}
	if got := st.Stats().Retries; got != 0 {
		t.Errorf("a redirect counted as %d retries", got)
	}

	// A redirect that names no region is the error it says.
	_, err := st.Open(context.Background(), URI{Bucket: "other", Key: "a.wav"})
	var e *Error
	if !errors.As(err, &e) || e.Code != "PermanentRedirect" || !strings.Contains(err.Error(), "set AWS_REGION") {
		t.Errorf("redirect without a region: %v", err)
	}
}

// With AWS_REGION set, no region is asked for and no redirect followed.
func TestFixedRegion(t *testing.T) {
	st, fake := newAWSStore(t, "eu-central-1", nil, serveObject)
	obj, err := st.Open(context.Background(), URI{Bucket: "rec", Key: "a.wav"})
	if err != nil {
		t.Fatal(err)
	}
	obj.Close()
	if got := fake.take(); len(got) != 1 || got[0] != "GET rec.s3.eu-central-1.amazonaws.com /a.wav eu-central-1" {
		t.Errorf("%q", got)
	}
}

// A bucket that does not exist fails its region lookup as NoSuchBucket;
// the failure is not remembered.
func TestRegionLookupOfAMissingBucket(t *testing.T) {
	st, fake := newAWSStore(t, "", nil, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	for range 2 {
		_, err := st.Open(context.Background(), URI{Bucket: "nobucket", Key: "a.wav"})
		if !errors.Is(err, ErrNotFound) || !strings.HasPrefix(err.Error(), "no such bucket (NoSuchBucket, HTTP 404)") {
			t.Errorf("%v", err)
		}
	}
	if got := fake.take(); len(got) != 2 {
		t.Errorf("%q, want two lookups", got)
	}
}

// Temporary credentials are renewed during a long run, and requests
// carry the session token of the credentials in force.
func TestStoreSignsWithRenewedCredentials(t *testing.T) {
	now := time.Now()
	src := &fakeSource{now: &now}
	var mu sync.Mutex
	var tokens []string
	st, _ := newAWSStore(t, "us-east-1", src, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tokens = append(tokens, r.Header.Get("X-Amz-Security-Token"))
		mu.Unlock()
		serveObject(w, r)
	})
	st.client.creds.now = func() time.Time { return now }
	for _, step := range []time.Duration{0, 30 * time.Minute, 30 * time.Minute} {
		now = now.Add(step)
		obj, err := st.Open(context.Background(), URI{Bucket: "rec", Key: "a.wav"})
		if err != nil {
			t.Fatal(err)
		}
		obj.Close()
	}
	if want := []string{"token-1", "token-1", "token-2"}; fmt.Sprint(tokens) != fmt.Sprint(want) {
		t.Errorf("tokens %q, want %q", tokens, want)
	}
}

// Errors without an XML body get the code their status stands for;
// MinIO's error headers and a proxy's page are read too.
func TestReadError(t *testing.T) {
	for _, tc := range []struct {
		status     int
		header     http.Header
		body, key  string
		code, msg  string
		wantRegion string
	}{
		{status: 404, key: "k", code: "NoSuchKey"},
		{status: 404, code: "NoSuchBucket"},
		{status: 403, key: "k", code: "AccessDenied"},
		{status: 412, key: "k", code: "PreconditionFailed"},
		{status: 503, body: "<html><body>upstream   down</body></html>", msg: "<html><body>upstream down</body></html>"},
		{status: 400, header: http.Header{"X-Minio-Error-Code": {"InvalidRegion"}, "X-Minio-Error-Desc": {`"Region does not match"`}},
			code: "InvalidRegion", msg: "Region does not match"},
		{status: 301, header: http.Header{"X-Amz-Bucket-Region": {"eu-west-3"}}, code: "", wantRegion: "eu-west-3"},
		{status: 503, body: `<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>`,
			code: "SlowDown", msg: "Reduce your request rate."},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: tc.header, Body: io.NopCloser(strings.NewReader(tc.body))}
		if resp.Header == nil {
			resp.Header = http.Header{}
		}
		e := readError(resp, tc.key)
		if e.Status != tc.status || e.Code != tc.code || e.Message != tc.msg || e.Region != tc.wantRegion {
			t.Errorf("%d %q: %+v", tc.status, tc.body, e)
		}
	}
}

func TestVirtualHostable(t *testing.T) {
	for name, want := range map[string]bool{
		"rec": true, "my-bucket-1": true, "a.b": false, "UPPER": false, "ab": false,
		"-ab": false, "ab-": false, "192.168.1.1": false, "under_score": false, strings.Repeat("a", 64): false,
	} {
		if got := virtualHostable(name); got != want {
			t.Errorf("virtualHostable(%q) = %v", name, got)
		}
	}
}

// A default port is not part of the host signed; another port is.
func TestEndpointHost(t *testing.T) {
	noCreds(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKID")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "s")
	for endpoint, want := range map[string]string{
		"https://store.example:443": "store.example", "http://store.example:80/": "store.example",
		"http://store.example:9000": "store.example:9000", "https://[::1]:443": "[::1]", "http://store.example": "store.example",
	} {
		st, err := New(context.Background(), Options{EndpointURL: endpoint})
		if err != nil {
			t.Fatal(err)
		}
		if got := st.client.endpoint.Host; got != want {
			t.Errorf("%s: host %q, want %q", endpoint, got, want)
		}
	}
}

// Credentials that expired and could not be renewed fail each read with
// that reason, not as an unreachable store.
func TestExpiredCredentialsError(t *testing.T) {
	now := time.Now()
	src := &fakeSource{now: &now}
	st, fake := newAWSStore(t, "us-east-1", src, serveObject)
	st.client.creds.now = func() time.Time { return now }
	now = now.Add(2 * time.Hour)
	src.fail = errors.New("dial tcp 169.254.170.2:80: connect: no route to host")
	_, err := st.Open(context.Background(), URI{Bucket: "rec", Key: "a.wav"})
	want := "the AWS credentials expired and could not be renewed (fake): dial tcp 169.254.170.2:80: connect: no route to host"
	if err == nil || err.Error() != want {
		t.Errorf("%v, want %q", err, want)
	}
	if got := fake.take(); len(got) != 0 {
		t.Errorf("sent %q with expired credentials", got)
	}
}
