package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// creds is one set of AWS credentials.
type creds struct {
	AccessKeyID     string
	SecretAccessKey string
	// SessionToken comes with temporary credentials.
	SessionToken string
	// Expires is when temporary credentials stop working; zero for keys
	// that do not expire.
	Expires time.Time
}

// A credSource is one link of the credential chain.
type credSource interface {
	// name says where the credentials come from, in errors.
	name() string
	// retrieve fetches credentials, with hc for the sources that ask a
	// service. It returns an error wrapping errNotSetUp when the
	// environment does not point at this source, so that the chain goes
	// on to the next; any other error stops the chain, as in the AWS CLI:
	// a source that is set up but broken is the user's to fix, not a
	// reason to run with other credentials.
	retrieve(ctx context.Context, hc *http.Client) (creds, error)
}

var errNotSetUp = errors.New("not set up")

// chain lists the credential sources in the AWS CLI's order.
func chain() []credSource {
	sources := []credSource{envSource{}, profileSource{}, webIdentitySource{}, containerSource{}}
	// The instance metadata service is a link-local address; the AWS
	// CLI and SDKs skip it when told to, and so does this.
	if !strings.EqualFold(os.Getenv("AWS_EC2_METADATA_DISABLED"), "true") {
		sources = append(sources, imdsSource{})
	}
	return sources
}

// credCache holds the credentials of a Store and renews temporary ones
// before they expire, from the source that gave them, so that a run
// longer than their lifetime goes on.
type credCache struct {
	hc  *http.Client
	now func() time.Time

	mu        sync.Mutex
	src       credSource
	cur       creds
	refreshAt time.Time // zero: never
}

// retryRefresh is how long a failed renewal waits before the next try
// while the credentials in hand still work.
const retryRefresh = 30 * time.Second

// resolve walks the sources in order and keeps the first that gives
// credentials.
func (c *credCache) resolve(ctx context.Context, sources []credSource) error {
	var notes []string
	for _, s := range sources {
		v, err := s.retrieve(ctx, c.hc)
		if errors.Is(err, errNotSetUp) {
			// Say why a source that was tried gave nothing (the
			// instance metadata service not answering), not that the
			// others were not set up.
			if err != errNotSetUp {
				notes = append(notes, s.name()+": "+strings.TrimPrefix(err.Error(), errNotSetUp.Error()+": "))
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s.name(), err)
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		c.src = s
		c.set(v)
		return nil
	}
	if len(notes) > 0 {
		return fmt.Errorf("none found (%s)", strings.Join(notes, "; "))
	}
	return errors.New("none found")
}

// set takes v as the current credentials and plans their renewal when
// 80% of their remaining lifetime has passed, so that no request is
// signed with credentials about to expire.
func (c *credCache) set(v creds) {
	c.cur = v
	c.refreshAt = time.Time{}
	if !v.Expires.IsZero() {
		now := c.now()
		c.refreshAt = now.Add(v.Expires.Sub(now) * 8 / 10)
	}
}

// get returns credentials to sign with, renewing them when their time
// has come. A failed renewal keeps the credentials in hand while they
// still work.
func (c *credCache) get(ctx context.Context) (creds, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refreshAt.IsZero() || c.now().Before(c.refreshAt) {
		return c.cur, nil
	}
	v, err := c.src.retrieve(ctx, c.hc)
	if err == nil {
		c.set(v)
		return v, nil
	}
	if c.now().Before(c.cur.Expires) {
		c.refreshAt = c.now().Add(retryRefresh)
		return c.cur, nil
	}
	return creds{}, &credError{source: c.src.name(), err: err}
}

// credError is a renewal of expired credentials that failed.
type credError struct {
	source string
	err    error
}

func (e *credError) Error() string {
	return "the AWS credentials expired and could not be renewed (" + e.source + "): " + e.err.Error()
}

func (e *credError) Unwrap() error { return e.err }

// envSource is AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN (with the older names AWS_ACCESS_KEY and
// AWS_SECRET_KEY, which the SDKs still read).
type envSource struct{}

func (envSource) name() string { return "environment" }

func (envSource) retrieve(context.Context, *http.Client) (creds, error) {
	id := firstEnv("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY")
	secret := firstEnv("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY")
	switch {
	case id == "" && secret == "":
		return creds{}, errNotSetUp
	case id == "":
		return creds{}, errors.New("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
	case secret == "":
		return creds{}, errors.New("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
	}
	return creds{AccessKeyID: id, SecretAccessKey: secret, SessionToken: os.Getenv("AWS_SESSION_TOKEN")}, nil
}

// checkKeys refuses credentials that a service sent without a key pair.
func checkKeys(v creds) (creds, error) {
	if v.AccessKeyID == "" || v.SecretAccessKey == "" {
		return creds{}, errors.New("the answer holds no access key and secret")
	}
	return v, nil
}

// httpFailure describes an answer of a credential service that is not a
// success: its status and the start of its body, which says why.
func httpFailure(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	msg := strings.Join(strings.Fields(string(body)), " ")
	if msg == "" {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	return fmt.Errorf("HTTP %s: %s", resp.Status, msg)
}

// parseTime reads an expiry time as credential services write it:
// RFC 3339, or the "...UTC" form of older SSO caches.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05UTC", s)
}
