package remote

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Reason names the kind of a Failure, for programs and tests; people read
// the Detail.
type Reason string

const (
	ReasonInvalidURL Reason = "invalid-url"        // the server's URL parser refuses it
	ReasonScheme     Reason = "scheme"             // not http or https
	ReasonNotPublic  Reason = "not-public"         // the host, or a redirect's, is not on the public internet
	ReasonDNS        Reason = "dns"                // the host name does not resolve
	ReasonConnect    Reason = "connect"            // no TCP connection
	ReasonTLS        Reason = "tls"                // handshake or certificate failure
	ReasonRedirects  Reason = "too-many-redirects" // more than MaxRedirects
	ReasonRedirect   Reason = "bad-redirect"       // a redirect the server cannot follow (scheme, URL)
	ReasonStatus     Reason = "status"             // the final status is not 2xx
	ReasonEmpty      Reason = "empty-body"         // nothing to read
	ReasonShortBody  Reason = "short-body"         // the body ended before its announced length
	ReasonTimeout    Reason = "timeout"            // the download did not finish within the timeout
	ReasonExpired    Reason = "expired"            // a pre-signed URL whose expiry has passed
	ReasonChanged    Reason = "changed"            // the remote file changed while it was read
	ReasonTransfer   Reason = "transfer"           // any other failure while transferring
)

// Failure means the server could not read the audio from the URL: the
// verdict is FailedToReadAudioFromURL, whose message is the catalog's;
// Detail says for people what failed ("HTTP 404 Not Found", the DNS error,
// the expiry time) and Hint what to do about it, when there is something
// to say.
type Failure struct {
	Reason Reason
	Detail string
	Hint   string
	Status int   // the HTTP status, for ReasonStatus
	Err    error // the underlying error, when there is one
}

func (f *Failure) Error() string { return f.Detail }
func (f *Failure) Unwrap() error { return f.Err }

// AsFailure finds a *Failure in err's chain: Object.ReadAt returns one when
// a read fails in transfer, and the prober wraps it in a probe.IOError.
func AsFailure(err error) (*Failure, bool) {
	var f *Failure
	ok := errors.As(err, &f)
	return f, ok
}

// blockedError is the dialer's or the redirect check's refusal of an
// address that is not public.
type blockedError struct {
	host string
	addr netip.Addr
}

func (e *blockedError) Error() string {
	switch {
	case e.host == e.addr.String() || !e.addr.IsValid():
		return fmt.Sprintf("%s is %s", e.host, e.describe())
	case isLiteral(e.host):
		return fmt.Sprintf("%s (that is %s) is %s", e.host, e.addr, e.describe())
	}
	return fmt.Sprintf("%s resolves to %s, %s", e.host, e.addr, e.describe())
}

func isLiteral(host string) bool {
	_, ok := ParseHostAddr(host)
	return ok
}

func (e *blockedError) describe() string {
	if !e.addr.IsValid() {
		return "the API's own machine (a loopback name)"
	}
	return describeAddr(e.addr)
}

// dnsError is a failed lookup of a host name.
type dnsError struct {
	host string
	err  error
}

func (e *dnsError) Error() string { return fmt.Sprintf("DNS lookup of %s failed: %v", e.host, e.err) }
func (e *dnsError) Unwrap() error { return e.err }

// redirectError carries a Failure decided while following redirects.
type redirectError struct{ f *Failure }

func (e *redirectError) Error() string { return e.f.Detail }

const privateHint = "the API downloads from the public internet: put the audio where it can reach it (a public or pre-signed https URL); --allow-private-urls checks it anyway"

func notPublicFailure(b *blockedError, redirectedTo *url.URL) *Failure {
	f := &Failure{Reason: ReasonNotPublic, Hint: privateHint, Err: b}
	if redirectedTo != nil {
		f.Detail = fmt.Sprintf("the URL redirects to %s, and %s: the API cannot reach it", displayURL(redirectedTo), b)
	} else {
		f.Detail = fmt.Sprintf("%s: the API cannot reach it", b)
	}
	return f
}

// failureFrom turns an error of http.Client.Do or of reading a body into a
// Failure. tr says whether redirects happened; got and size, when size is
// known (>= 0), say how far a body had come.
func (o *Object) failureFrom(err error, got int64) *Failure {
	var (
		blocked *blockedError
		redir   *redirectError
		dns     *dnsError
		netErr  net.Error
		opErr   *net.OpError
	)
	if errors.Is(o.ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
	}
	switch {
	case errors.As(err, &redir):
		return redir.f
	case errors.As(err, &blocked):
		return notPublicFailure(blocked, o.trace.last())
	case errors.As(err, &dns):
		return &Failure{Reason: ReasonDNS, Detail: dns.Error(), Err: err}
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		f := &Failure{Reason: ReasonTimeout, Err: err}
		if got > 0 || o.size > 0 {
			f.Detail = fmt.Sprintf("the download did not finish within %s (%s)", o.client.timeout, o.progressText(got))
		} else {
			f.Detail = fmt.Sprintf("no answer within %s", o.client.timeout)
		}
		return f
	case errors.Is(err, context.Canceled):
		return &Failure{Reason: ReasonTransfer, Detail: "the download was cancelled", Err: err}
	case isTLSError(err):
		return &Failure{Reason: ReasonTLS, Detail: fmt.Sprintf("TLS with %s failed: %s", o.hostTried(), tlsCause(err)), Err: err}
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return &Failure{Reason: ReasonConnect, Detail: fmt.Sprintf("could not connect to %s: %s", o.hostTried(), rootCause(err)), Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Failure{Reason: ReasonShortBody, Detail: fmt.Sprintf("the body ended early (%s, shorter than announced)", o.progressText(got)), Err: err}
	}
	return &Failure{Reason: ReasonTransfer, Detail: "the transfer failed: " + rootCause(err), Err: err}
}

// hostTried is the host of the last request made: the URL's, or the last
// redirect's.
func (o *Object) hostTried() string {
	if u := o.trace.last(); u != nil {
		return u.Host
	}
	return o.url.Host
}

// progressText says how many bytes arrived: "1234 of 5678 bytes".
func (o *Object) progressText(got int64) string {
	if o.size >= 0 {
		return fmt.Sprintf("%d of %d bytes received", got, o.size)
	}
	return fmt.Sprintf("%d bytes received", got)
}

func isTLSError(err error) bool {
	var (
		cv  *tls.CertificateVerificationError
		rh  tls.RecordHeaderError
		al  tls.AlertError
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		inv x509.CertificateInvalidError
	)
	if errors.As(err, &cv) || errors.As(err, &rh) || errors.As(err, &al) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &inv) {
		return true
	}
	return strings.Contains(err.Error(), "tls: ")
}

func tlsCause(err error) string {
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return cv.Err.Error()
	}
	return rootCause(err)
}

// rootCause strips the url.Error and net.OpError wrapping, which repeat the
// method, URL and addresses the detail already gives.
func rootCause(err error) string {
	for {
		var ue *url.Error
		var oe *net.OpError
		switch {
		case errors.As(err, &ue) && ue.Err != nil:
			err = ue.Err
		case errors.As(err, &oe) && oe.Err != nil:
			err = oe.Err
		default:
			return err.Error()
		}
	}
}

// statusFailure is the Failure for a final status that is not 2xx.
func statusFailure(resp *http.Response, final *url.URL, now func() time.Time) *Failure {
	f := &Failure{
		Reason: ReasonStatus,
		Status: resp.StatusCode,
		Detail: "the audio host answered HTTP " + resp.Status,
	}
	if !strings.HasPrefix(resp.Status, fmt.Sprint(resp.StatusCode)) {
		f.Detail = fmt.Sprintf("the audio host answered HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if exp, ok := ParseExpiry(final); ok && !exp.At.After(now()) {
		f.Detail += fmt.Sprintf("; the pre-signed URL expired at %s (%s)", exp.At.UTC().Format(time.RFC3339), exp.Scheme)
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		f.Hint = "the API sends no cookies or credentials: use a public or pre-signed URL"
	case http.StatusNotFound, http.StatusGone:
		f.Hint = "check the URL: nothing is there"
	}
	return f
}
