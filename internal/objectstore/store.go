package objectstore

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// Defaults of Options.
const (
	// DefaultMaxAttempts is how many times one request is tried when the
	// store answers 5xx or throttles (SlowDown), or the connection fails,
	// unless AWS_MAX_ATTEMPTS says otherwise.
	DefaultMaxAttempts = 5
	// DefaultConnections is how many idle connections to one endpoint are
	// kept for reuse: as many as requests are in flight by default.
	DefaultConnections = 32
	// DefaultHeaderTimeout is how long a request may wait for the answer's
	// headers before it fails (and is retried).
	DefaultHeaderTimeout = time.Minute
)

// Options configures a Store. The zero value uses the AWS credential
// chain alone, against AWS S3.
type Options struct {
	// EndpointURL is the endpoint of an S3-compatible store
	// (--endpoint-url), e.g. http://127.0.0.1:7070. Empty: the
	// environment's (AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL), else
	// AWS S3 itself. With an endpoint of its own, buckets are addressed
	// in the path (http://host/bucket/key), which every S3-compatible
	// store serves.
	EndpointURL string
	// Connections is how many idle connections are kept per host; set it
	// to the number of inputs read at once (--remote-jobs).
	Connections int
	// MaxAttempts bounds the attempts of one request, the first included;
	// 0 takes AWS_MAX_ATTEMPTS, else DefaultMaxAttempts.
	MaxAttempts int
	// Backoff, when set, replaces the delay before retry number attempt
	// (exponential with jitter from 100 ms, from 1 s after throttling,
	// up to 20 s). Tests make it short.
	Backoff func(attempt int, err error) time.Duration
	// PageSize is how many keys one listing request asks for (at most
	// 1000, S3's own limit; 0 asks for that).
	PageSize int
	// HeaderTimeout is how long a request may wait for the answer's
	// headers; 0 means DefaultHeaderTimeout.
	HeaderTimeout time.Duration
}

// Store reads objects and lists prefixes of one S3 or S3-compatible
// endpoint with the credentials of the AWS chain. It is safe for
// concurrent use; connections are reused across objects.
type Store struct {
	client      *client
	maxAttempts int
	backoff     func(int, error) time.Duration
	pageSize    int
	stats       counters
}

// Stats counts a Store's traffic, for measurements and progress.
type Stats struct {
	// Requests counts HTTP requests sent, retries included.
	Requests int64
	// Retries counts the requests that repeated a failed one.
	Retries int64
	// BodyBytes counts the response body bytes received.
	BodyBytes int64
}

type counters struct {
	requests, retries, bodyBytes atomic.Int64
}

// Stats returns the traffic counted so far.
func (s *Store) Stats() Stats {
	return Stats{Requests: s.stats.requests.Load(), Retries: s.stats.retries.Load(), BodyBytes: s.stats.bodyBytes.Load()}
}

// New builds a Store. Credentials come from the AWS chain, in the AWS
// CLI's order: the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN), the shared config and credentials files with
// AWS_PROFILE (static keys, credential_process, SSO), then web identity
// (AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN: EKS service accounts),
// the container endpoint (ECS, AWS Batch, EKS Pod Identity) and the
// instance role (IMDS, unless AWS_EC2_METADATA_DISABLED=true). The region
// is AWS_REGION or AWS_DEFAULT_REGION; without one, AWS S3 is asked where
// each bucket is. New fetches the credentials once, so that missing or
// broken ones are one clear error for the run, not one per object.
func New(ctx context.Context, opts Options) (*Store, error) {
	endpoint, source := opts.EndpointURL, "--endpoint-url"
	for _, env := range []string{"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"} {
		if endpoint == "" {
			endpoint, source = os.Getenv(env), env
		}
	}
	var base *url.URL
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
			return nil, fmt.Errorf("%s %q: give the store's http:// or https:// URL, with no path", source, endpoint)
		}
		base = &url.URL{Scheme: u.Scheme, Host: u.Host}
		// A default port is left out of the host signed, as clients leave
		// it out of the Host they send with a pre-signed URL.
		if u.Port() == map[string]string{"http": "80", "https": "443"}[u.Scheme] {
			base.Host = strings.TrimSuffix(u.Host, ":"+u.Port())
		}
	}
	region := firstEnv("AWS_REGION", "AWS_DEFAULT_REGION")
	if region == "" && base != nil {
		// S3-compatible stores take any region in the signature; most
		// expect this one, and asking them where a bucket is may not be
		// served.
		region = "us-east-1"
	}

	st := &Store{pageSize: opts.PageSize, maxAttempts: opts.MaxAttempts, backoff: opts.Backoff}
	if st.maxAttempts <= 0 {
		if n, err := parsePositive(os.Getenv("AWS_MAX_ATTEMPTS")); err == nil {
			st.maxAttempts = n
		}
	}
	if st.maxAttempts <= 0 {
		st.maxAttempts = DefaultMaxAttempts
	}
	if st.backoff == nil {
		st.backoff = defaultBackoff
	}
	tr, err := transport(opts)
	if err != nil {
		return nil, err
	}
	creds := &credCache{hc: &http.Client{Transport: tr}, now: time.Now}
	if err := creds.resolve(ctx, chain()); err != nil {
		return nil, fmt.Errorf("no usable AWS credentials (environment, shared config and credentials files, web identity, container or instance role): %w", err)
	}
	st.client = &client{
		hc: &http.Client{
			Transport: &countingTransport{inner: tr, stats: &st.stats},
			// A redirect is S3 saying the bucket is elsewhere: the
			// client reads it (following it would drop the signature).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		creds:    creds,
		endpoint: base,
		region:   region,
		now:      time.Now,
		regions:  map[string]*regionLookup{},
	}
	return st, nil
}

// transport is the HTTP transport of a Store: connections kept for the
// inputs in flight, and the CA bundle of AWS_CA_BUNDLE when it is set.
// Bodies are taken as sent (no transparent gzip), so that byte counts
// are the object's.
func transport(opts Options) (*http.Transport, error) {
	conns := opts.Connections
	if conns <= 0 {
		conns = DefaultConnections
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          2 * conns,
		MaxIdleConnsPerHost:   conns,
		IdleConnTimeout:       time.Minute,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 10 * time.Second,
		ResponseHeaderTimeout: opts.HeaderTimeout,
		DisableCompression:    true,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
	if tr.ResponseHeaderTimeout <= 0 {
		tr.ResponseHeaderTimeout = DefaultHeaderTimeout
	}
	if bundle := os.Getenv("AWS_CA_BUNDLE"); bundle != "" {
		pem, err := os.ReadFile(bundle)
		if err != nil {
			return nil, fmt.Errorf("AWS_CA_BUNDLE: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("AWS_CA_BUNDLE=%s holds no PEM certificate", bundle)
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	return tr, nil
}

// do runs one request with retries: an answer that is worth asking again
// (see retryable) is asked again after a backoff, up to maxAttempts in
// all. It returns how many attempts were made.
func (s *Store) do(ctx context.Context, request func() error) (int, error) {
	for attempt := 1; ; attempt++ {
		err := request()
		if err == nil || attempt >= s.maxAttempts || !retryable(ctx, err) {
			return attempt, err
		}
		s.stats.retries.Add(1)
		if err := sleep(ctx, s.backoff(attempt, err)); err != nil {
			return attempt, err
		}
	}
}

// sleep waits for d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// defaultBackoff waits exponentially longer with each attempt, from
// 100 ms (1 s when the store asked to slow down) up to 20 s, with full
// jitter so that many inputs throttled at once do not come back at once.
func defaultBackoff(attempt int, err error) time.Duration {
	base := 100 * time.Millisecond
	if throttled(err) {
		base = time.Second
	}
	d := min(base<<min(attempt-1, 10), 20*time.Second)
	return d/2 + rand.N(d/2+1)
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

func parsePositive(s string) (int, error) {
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || n <= 0 {
		return 0, errors.New("not a positive number")
	}
	return n, nil
}

// countingTransport counts requests and the body bytes received.
type countingTransport struct {
	inner http.RoundTripper
	stats *counters
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.stats.requests.Add(1)
	resp, err := c.inner.RoundTrip(req)
	if resp != nil && resp.Body != nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.stats.bodyBytes}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// Presign returns a pre-signed GET URL for the object u, valid for expiry
// (at most 7 days, SigV4's limit): what a user sends the API as audio_path
// for an object in a private bucket. Signing needs no request.
func (s *Store) Presign(ctx context.Context, u URI, expiry time.Duration) (string, error) {
	if u.IsPrefix() {
		return "", &Error{Op: "read", URI: u, Msg: "this names a prefix, not an object"}
	}
	if expiry < time.Second || expiry > maxPresignExpiry {
		return "", &Error{Op: "read", URI: u, Msg: fmt.Sprintf("a pre-signed URL is valid for 1 second to 7 days, not %v", expiry)}
	}
	signed, err := s.client.presign(ctx, u.Bucket, u.Key, expiry)
	if err != nil {
		return "", newError("read", u, 1, err)
	}
	return signed, nil
}
