package remote

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of Options (docs/server.md#urls).
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxRedirects = 10
	DefaultUserAgent    = "audiopreflight"
	// DefaultMaxConnsPerHost bounds the connections to one host: a run
	// checking hundreds of URLs at once must not open hundreds of
	// connections to the same audio host.
	DefaultMaxConnsPerHost = 8
)

// Options configure a Client. The zero value checks like the server:
// public hosts only, 30 s, at most 10 redirects.
type Options struct {
	// AllowPrivate lets hosts that are not on the public internet through
	// (--allow-private-urls): for a server that runs inside the same
	// network, and for tests.
	AllowPrivate bool
	// Timeout bounds each input's download, from Open to its last read
	// (--timeout). Zero means DefaultTimeout.
	Timeout time.Duration
	// UserAgent is sent as is: "audiopreflight/<version>". Empty means
	// DefaultUserAgent.
	UserAgent string
	// MaxRedirects is how many redirects are followed; one more is a
	// failure. Zero means DefaultMaxRedirects; negative follows none.
	MaxRedirects int
	// Now tells the time for pre-signed URL expiry. Nil means time.Now.
	Now func() time.Time
	// MaxConnsPerHost bounds the connections open to one host at once
	// (--max-conns-per-host); requests beyond wait for one. Zero means
	// DefaultMaxConnsPerHost.
	MaxConnsPerHost int
	// HeaderOnly makes every Object read no more than a header check
	// needs (--header-only): see Object and HeaderWindow. Base64 text is
	// not a header: its check needs the whole body.
	HeaderOnly bool
	// CountTo, with HeaderOnly, is how far a body whose length only its end
	// tells (chunked, or compressed) is read, counting, when the server
	// ignores Range: the sync limit + 1 byte, which is what decides
	// AudioTooBigForSync. Zero stops such a body at HeaderWindow.
	CountTo int64
	// MaxSize, without HeaderOnly, is the most bytes (decoded) one Object
	// reads of a body whose length only its end tells: a compressed body
	// that inflates beyond it stops there (Object.Incomplete). Zero means
	// no cap.
	MaxSize int64
	// Progress, when set, is called as body bytes arrive (from the reading
	// goroutine, so it must be quick and safe for concurrent use): input is
	// the URL as given to Open, size is -1 while unknown. The command draws
	// the progress of downloads that take more than a second from it.
	Progress func(input string, transferred, size int64)

	// AllowAddr, when set, lets through the non-public addresses (with the
	// port connected to) for which it returns true, when AllowPrivate is
	// off. Tests use it to allow one loopback server and not another.
	AllowAddr func(netip.AddrPort) bool
	// LookupNetIP resolves host names. Nil means net.DefaultResolver.
	// Tests give a fake, so that no query leaves the machine.
	LookupNetIP func(ctx context.Context, host string) ([]netip.Addr, error)
	// DialContext makes TCP connections to an address ("ip:port") that
	// the address policy has already allowed. Nil means a net.Dialer.
	DialContext func(ctx context.Context, network, address string) (net.Conn, error)
	// TLSConfig, when set, is cloned for the HTTPS connections (tests use
	// it to trust their server's certificate). Nil means the system roots.
	TLSConfig *tls.Config
}

// Client downloads URL inputs the way the server does. One Client serves a
// whole run: its connections are reused across inputs of the same host,
// and it is safe for concurrent use (-j).
type Client struct {
	http      *http.Client
	transport *http.Transport
	// used tells whether a request was made: closing the idle connections
	// of a transport never used would set up its HTTP/2 support first
	// (25 µs at the end of every run of local files).
	used         atomic.Bool
	allowPrivate bool
	allowAddr    func(netip.AddrPort) bool
	lookup       func(ctx context.Context, host string) ([]netip.Addr, error)
	dial         func(ctx context.Context, network, address string) (net.Conn, error)
	timeout      time.Duration
	userAgent    string
	maxRedirects int
	now          func() time.Time
	progress     func(input string, transferred, size int64)
	headerOnly   bool
	countTo      int64
	maxSize      int64
}

// NewClient makes a Client.
func NewClient(opts Options) *Client {
	c := &Client{
		allowPrivate: opts.AllowPrivate,
		allowAddr:    opts.AllowAddr,
		lookup:       opts.LookupNetIP,
		dial:         opts.DialContext,
		timeout:      opts.Timeout,
		userAgent:    opts.UserAgent,
		maxRedirects: opts.MaxRedirects,
		now:          opts.Now,
		progress:     opts.Progress,
		headerOnly:   opts.HeaderOnly,
		countTo:      opts.CountTo,
		maxSize:      opts.MaxSize,
	}
	if c.lookup == nil {
		c.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	if c.dial == nil {
		d := &net.Dialer{KeepAlive: 30 * time.Second}
		c.dial = d.DialContext
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	switch {
	case c.maxRedirects == 0:
		c.maxRedirects = DefaultMaxRedirects
	case c.maxRedirects < 0:
		c.maxRedirects = 0
	}
	if c.now == nil {
		c.now = time.Now
	}
	maxConns := opts.MaxConnsPerHost
	if maxConns <= 0 {
		maxConns = DefaultMaxConnsPerHost
	}
	var tlsConfig *tls.Config
	if opts.TLSConfig != nil {
		tlsConfig = opts.TLSConfig.Clone()
	}
	c.transport = &http.Transport{
		// No proxy: the server connects directly, and the address policy
		// must see the address actually connected to.
		Proxy:               nil,
		DialContext:         c.dialContext,
		TLSClientConfig:     tlsConfig,
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        64,
		MaxConnsPerHost:     maxConns,
		MaxIdleConnsPerHost: maxConns,
		IdleConnTimeout:     90 * time.Second,
		// The requests say "Accept-Encoding: identity" themselves (see
		// acceptEncoding); left on, net/http would add "gzip" to requests
		// without a Range header and undo it out of sight.
		DisableCompression: true,
	}
	c.http = &http.Client{
		Transport:     c.transport,
		CheckRedirect: c.checkRedirect,
		// No Jar: the server sends no cookies.
	}
	return c
}

// CloseIdleConnections closes the connections kept for reuse; call it at
// the end of a run.
func (c *Client) CloseIdleConnections() {
	if c.used.Load() {
		c.transport.CloseIdleConnections()
	}
}

// do sends a request through the Client's transport.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	c.used.Store(true)
	return c.http.Do(req)
}

// permitted applies the address policy to one address about to be
// connected to.
func (c *Client) permitted(ap netip.AddrPort) bool {
	if Classify(ap.Addr()) == Public || c.allowPrivate {
		return true
	}
	return c.allowAddr != nil && c.allowAddr(ap)
}

// resolve gives the addresses the server would connect to for host: the
// literal it spells (in any inet_aton form), the loopback addresses for
// loopback names, or what DNS says.
func (c *Client) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, ok := ParseHostAddr(host); ok {
		return []netip.Addr{a}, nil
	}
	if isLoopbackName(host) {
		return []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1}), netip.IPv6Loopback()}, nil
	}
	if isInvalidName(host) {
		return nil, &dnsError{host: host, err: errors.New("no such host")}
	}
	addrs, err := c.lookup(ctx, host)
	if err != nil {
		var de *net.DNSError
		if errors.As(err, &de) && de.IsNotFound {
			err = errors.New("no such host")
		} else if errors.As(err, &de) {
			err = errors.New(de.Err)
		}
		return nil, &dnsError{host: host, err: err}
	}
	if len(addrs) == 0 {
		return nil, &dnsError{host: host, err: errors.New("no addresses")}
	}
	return addrs, nil
}

// dialContext resolves addr's host itself and connects only to addresses
// the policy allows. Every connection goes through here, the first request's
// and every redirect's, so a name that resolves to a private address when
// it is used (DNS rebinding, a redirect to an internal host) is refused at
// the moment it would be connected to.
func (c *Client) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("bad port %q", portText)
	}
	addrs, err := c.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	var blocked *blockedError
	var lastErr error
	for _, a := range addrs {
		if a.Is4In6() {
			a = a.Unmap() // what a dual-stack socket connects to
		}
		ap := netip.AddrPortFrom(a, uint16(port))
		if !c.permitted(ap) {
			if blocked == nil {
				blocked = &blockedError{host: host, addr: a}
				if isLoopbackName(host) {
					blocked.addr = netip.Addr{}
				}
			}
			continue
		}
		conn, err := c.dial(ctx, network, ap.String())
		if err == nil {
			return conn, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	if lastErr != nil {
		return nil, lastErr
	}
	return nil, blocked
}

// checkLiteral refuses, before any connection, a URL whose host is a
// literal address or a loopback name the policy does not allow.
func (c *Client) checkLiteral(u *url.URL) *blockedError {
	host := u.Hostname()
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	p, _ := strconv.ParseUint(port, 10, 16)
	if a, ok := ParseHostAddr(host); ok {
		if !c.permitted(netip.AddrPortFrom(a, uint16(p))) {
			return &blockedError{host: host, addr: a}
		}
		return nil
	}
	if isLoopbackName(host) && !c.allowPrivate && c.allowAddr == nil {
		return &blockedError{host: host}
	}
	return nil
}

// trace records the redirects one Open follows; it travels in the
// request's context, which redirected requests share.
type trace struct {
	mu   sync.Mutex
	hops []*url.URL
}

type traceKey struct{}

func (t *trace) add(u *url.URL) {
	t.mu.Lock()
	t.hops = append(t.hops, u)
	t.mu.Unlock()
}

func (t *trace) last() *url.URL {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.hops) == 0 {
		return nil
	}
	return t.hops[len(t.hops)-1]
}

func (t *trace) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.hops)
}

// checkRedirect follows a redirect as the server would, up to the limit,
// to http and https URLs only, and not to a literal non-public address
// (names are checked when dialled).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	tr, _ := req.Context().Value(traceKey{}).(*trace)
	if len(via) > c.maxRedirects {
		return &redirectError{&Failure{
			Reason: ReasonRedirects,
			Detail: fmt.Sprintf("more than %d redirects (the last to %s)", c.maxRedirects, displayURL(req.URL)),
			Hint:   "the redirects may loop; give the URL they end at",
		}}
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return &redirectError{&Failure{
			Reason: ReasonRedirect,
			Detail: fmt.Sprintf("the URL redirects to %s, whose scheme %q is not http or https", displayURL(req.URL), req.URL.Scheme),
		}}
	}
	if b := c.checkLiteral(req.URL); b != nil {
		return &redirectError{notPublicFailure(b, req.URL)}
	}
	if tr != nil {
		tr.add(req.URL)
	}
	// The server's client sends no Referer; net/http adds one.
	req.Header.Del("Referer")
	return nil
}
