package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/logging"
)

// Defaults of Options.
const (
	// DefaultMaxAttempts is how many times one request is tried when the
	// store answers 5xx or throttles (SlowDown), unless AWS_MAX_ATTEMPTS or
	// the profile's max_attempts says otherwise. The SDK's own default is
	// 3; a batch over millions of objects meets throttling often enough to
	// want a little more patience.
	DefaultMaxAttempts = 5
	// DefaultConnections is how many idle connections to one endpoint are
	// kept for reuse: as many as requests are in flight by default.
	DefaultConnections = 32
	// DefaultReadTimeout is how long a connection may deliver nothing
	// before the request fails (and is retried).
	DefaultReadTimeout = 60 * time.Second
)

// Options configures a Store. The zero value uses the standard AWS chain
// alone.
type Options struct {
	// EndpointURL is the endpoint of an S3-compatible store
	// (--endpoint-url), e.g. http://127.0.0.1:7070. Empty: the chain's
	// endpoint (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's
	// endpoint_url), else AWS S3 itself. With an endpoint of its own,
	// buckets are addressed in the path (http://host/bucket/key), which
	// every S3-compatible store serves; without one, a region is needed.
	EndpointURL string
	// Connections is how many idle connections are kept per host; set it
	// to the number of inputs read at once (--remote-jobs).
	Connections int
	// MaxAttempts bounds the attempts of one request, the first included;
	// 0 takes AWS_MAX_ATTEMPTS or the profile's max_attempts, else
	// DefaultMaxAttempts.
	MaxAttempts int
	// Backoff, when set, replaces the SDK's delay before retry number
	// attempt (exponential with jitter, 1 s base for throttling, 20 s
	// cap). Tests make it short.
	Backoff func(attempt int, err error) time.Duration
	// PageSize is how many keys one listing request asks for (at most
	// 1000, S3's own limit; 0 asks for that).
	PageSize int32
	// ReadTimeout is how long a connection may deliver nothing; 0 means
	// DefaultReadTimeout.
	ReadTimeout time.Duration
}

// Store reads objects and lists prefixes of one S3 or S3-compatible
// endpoint with the credentials of the standard AWS chain. It is safe for
// concurrent use; connections are reused across objects.
type Store struct {
	client      *s3.Client
	maxAttempts int
	pageSize    int32
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

// New builds a Store from the standard AWS chain — the environment
// (AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_REGION, ...), the shared config and
// credentials files, web identity (EKS, AWS_WEB_IDENTITY_TOKEN_FILE), SSO,
// credential_process, and the container and instance roles — plus
// opts. It fetches the credentials once, so that missing or broken
// credentials are one clear error for the run rather than one per object.
func New(ctx context.Context, opts Options) (*Store, error) {
	if opts.EndpointURL != "" {
		u, err := url.Parse(opts.EndpointURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("--endpoint-url %q: give an http:// or https:// URL with a host", opts.EndpointURL)
		}
	}
	conns := opts.Connections
	if conns <= 0 {
		conns = DefaultConnections
	}
	readTimeout := opts.ReadTimeout
	if readTimeout <= 0 {
		readTimeout = DefaultReadTimeout
	}
	st := &Store{pageSize: opts.PageSize}
	httpClient := awshttp.NewBuildableClient().
		WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConns = 2 * conns
			t.MaxIdleConnsPerHost = conns
		}).
		WithReadTimeout(readTimeout)

	loadOpts := []func(*config.LoadOptions) error{
		// The SDK logs warnings to stderr by default ("Response has no
		// supported checksum", profile warnings): the command's stderr is
		// its own, and what matters reaches the user as an error.
		config.WithLogger(logging.Nop{}),
		config.WithLogConfigurationWarnings(false),
		config.WithClientLogMode(0),
		config.WithHTTPClient(httpClient),
		// A ranged GET has no whole-object checksum to validate; asking
		// for it on full reads costs a hash of every byte for nothing the
		// check needs.
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
	}
	if opts.EndpointURL != "" {
		loadOpts = append(loadOpts, config.WithBaseEndpoint(opts.EndpointURL))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("reading the AWS configuration: %w", err)
	}
	customEndpoint := cfg.BaseEndpoint != nil
	if cfg.Region == "" {
		if !customEndpoint {
			return nil, errors.New("no AWS region: set AWS_REGION (or region in the profile), or give --endpoint-url for an S3-compatible store")
		}
		// S3-compatible stores take any region in the signature; most
		// expect this one.
		cfg.Region = "us-east-1"
	}
	st.maxAttempts = opts.MaxAttempts
	if st.maxAttempts <= 0 {
		st.maxAttempts = cfg.RetryMaxAttempts
	}
	if st.maxAttempts <= 0 {
		st.maxAttempts = DefaultMaxAttempts
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, fmt.Errorf("no usable AWS credentials (environment, shared files, web identity, container or instance role): %w", err)
	}
	retryer := &countingRetryer{
		RetryerV2: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = st.maxAttempts
			// The SDK's retry quota fails requests outright once many
			// have been retried, which under sustained throttling
			// turns into errors for inputs that merely had to wait;
			// the per-request bound and the backoff are the limit.
			o.RateLimiter = ratelimit.None
			if opts.Backoff != nil {
				o.Backoff = retry.BackoffDelayerFunc(func(attempt int, err error) (time.Duration, error) {
					return opts.Backoff(attempt, err), nil
				})
			}
		}),
		stats: &st.stats,
	}
	st.client = s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = customEndpoint
		// Counted here, after the chain has set up the client (a CA
		// bundle from AWS_CA_BUNDLE or the profile changes it).
		o.HTTPClient = &countingClient{inner: o.HTTPClient, stats: &st.stats}
		o.Retryer = retryer
		o.RetryMaxAttempts = 0
		o.Logger = logging.Nop{}
		o.DisableLogOutputChecksumValidationSkipped = true
	})
	return st, nil
}

// countingRetryer counts the retries the SDK makes.
type countingRetryer struct {
	aws.RetryerV2
	stats *counters
}

func (r *countingRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	r.stats.retries.Add(1)
	return r.RetryerV2.RetryDelay(attempt, err)
}

// countingClient counts requests and the body bytes received.
type countingClient struct {
	inner s3.HTTPClient
	stats *counters
}

func (c *countingClient) Do(req *http.Request) (*http.Response, error) {
	c.stats.requests.Add(1)
	resp, err := c.inner.Do(req)
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
