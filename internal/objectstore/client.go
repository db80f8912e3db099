package objectstore

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// client is the narrow S3 client a Store needs: signed GET and HEAD
// requests for objects, listings and a bucket's region, and pre-signed
// GET URLs. One attempt per call: the Store retries.
type client struct {
	hc    *http.Client
	creds *credCache
	// endpoint is an S3-compatible store's, addressed path-style; nil for
	// AWS S3, addressed virtual-host style where the bucket's name allows.
	endpoint *url.URL
	// region signs every request; "" on AWS without AWS_REGION: each
	// bucket's region is asked for once and remembered.
	region string
	now    func() time.Time

	mu      sync.Mutex
	regions map[string]*regionLookup
}

// regionLookup is one bucket's region: being asked for (done open), or
// known.
type regionLookup struct {
	done   chan struct{}
	region string
	err    error
}

// userAgent names the client in the store's logs.
const userAgent = "audiopreflight"

// send makes one request about bucket and key ("" for the bucket) with
// query and extra headers, and returns a 2xx answer or an *s3Error. On
// AWS without a region set, a store's answer that the bucket is in
// another region (a redirect, or a signature for the wrong region)
// is sent once more to that region.
func (c *client) send(ctx context.Context, method, bucket, key string, query url.Values, header http.Header) (*http.Response, error) {
	for redirected := false; ; redirected = true {
		region, err := c.bucketRegion(ctx, bucket)
		if err != nil {
			return nil, err
		}
		resp, err := c.do(ctx, method, c.objectURL(bucket, key, region, query), region, header)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return resp, nil
		}
		e := readError(resp, key)
		if c.region == "" && !redirected && e.Region != "" && e.Region != region {
			c.setRegion(bucket, e.Region)
			continue
		}
		return nil, e
	}
}

// do signs and sends one request.
func (c *client) do(ctx context.Context, method string, u *url.URL, region string, header http.Header) (*http.Response, error) {
	v, err := c.creds.get(ctx)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.URL = u
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("X-Amz-Content-Sha256", emptyPayloadHash)
	signRequest(req, v, region, "s3", emptyPayloadHash, c.now())
	return c.hc.Do(req)
}

// presign returns a pre-signed GET URL of an object.
func (c *client) presign(ctx context.Context, bucket, key string, expiry time.Duration) (string, error) {
	region, err := c.bucketRegion(ctx, bucket)
	if err != nil {
		return "", err
	}
	v, err := c.creds.get(ctx)
	if err != nil {
		return "", err
	}
	return presignURL(c.objectURL(bucket, key, region, nil), v, region, expiry, c.now()), nil
}

// objectURL addresses key in bucket: path-style on a store's own
// endpoint (http://host/bucket/key, which every S3-compatible store
// serves); on AWS, virtual-host style (https://bucket.s3.REGION.amazonaws.com/key)
// unless the bucket's name cannot be a host name under TLS, then
// path-style on the region's endpoint.
func (c *client) objectURL(bucket, key, region string, query url.Values) *url.URL {
	u := &url.URL{Scheme: "https", Host: "s3." + region + "." + awsDomain(region)}
	if c.endpoint != nil {
		u.Scheme, u.Host = c.endpoint.Scheme, c.endpoint.Host
	}
	if c.endpoint == nil && virtualHostable(bucket) {
		u.Host = bucket + "." + u.Host
		u.Path = "/" + key
	} else {
		u.Path = "/" + bucket + "/" + key
	}
	u.RawPath = canonicalPath(u.Path)
	if len(query) > 0 {
		u.RawQuery = canonicalQuery(query)
	}
	return u
}

// virtualHostable reports whether a bucket's name can lead the host name
// of a TLS request: a DNS label (S3's rules for bucket names) without
// dots, which the certificate's wildcard would not cover.
func virtualHostable(bucket string) bool {
	if len(bucket) < 3 || len(bucket) > 63 || strings.Contains(bucket, ".") || net.ParseIP(bucket) != nil {
		return false
	}
	for i := 0; i < len(bucket); i++ {
		ch := bucket[i]
		switch {
		case 'a' <= ch && ch <= 'z', '0' <= ch && ch <= '9':
		case ch == '-' && i > 0 && i < len(bucket)-1:
		default:
			return false
		}
	}
	return true
}

// bucketRegion is the region to sign requests about bucket with: the
// one set, else the bucket's own, asked for once (concurrent asks for
// the same bucket wait for the first; a failure is not remembered).
func (c *client) bucketRegion(ctx context.Context, bucket string) (string, error) {
	if c.region != "" {
		return c.region, nil
	}
	c.mu.Lock()
	l, ok := c.regions[bucket]
	if !ok {
		l = &regionLookup{done: make(chan struct{})}
		c.regions[bucket] = l
	}
	c.mu.Unlock()
	if ok {
		select {
		case <-l.done:
			if l.err == nil {
				return l.region, nil
			}
			// The lookup that failed was forgotten: ask again.
			return c.bucketRegion(ctx, bucket)
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	l.region, l.err = c.lookupRegion(ctx, bucket)
	if l.err != nil {
		c.mu.Lock()
		if c.regions[bucket] == l {
			delete(c.regions, bucket)
		}
		c.mu.Unlock()
	}
	close(l.done)
	return l.region, l.err
}

// setRegion remembers where a store said a bucket is.
func (c *client) setRegion(bucket, region string) {
	l := &regionLookup{done: make(chan struct{}), region: region}
	close(l.done)
	c.mu.Lock()
	c.regions[bucket] = l
	c.mu.Unlock()
}

// lookupRegion asks S3 where a bucket is: a HEAD of the bucket, signed
// for us-east-1, whose answer carries x-amz-bucket-region whether it is
// 200, a redirect, or access denied. It needs no permission beyond
// reaching the bucket, unlike GetBucketLocation.
func (c *client) lookupRegion(ctx context.Context, bucket string) (string, error) {
	const home = "us-east-1"
	resp, err := c.do(ctx, http.MethodHead, c.objectURL(bucket, "", home, nil), home, nil)
	if err != nil {
		return "", err
	}
	if r := resp.Header.Get("X-Amz-Bucket-Region"); r != "" {
		resp.Body.Close()
		return r, nil
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		resp.Body.Close()
		return home, nil
	}
	e := readError(resp, "")
	if e.Code == "AccessDenied" && e.Region == "" {
		// Denied without saying where: go on with us-east-1 and let the
		// request itself say what is wrong.
		return home, nil
	}
	return "", e
}
