package objectstore

// AWS Signature Version 4, as S3 checks it: "Authenticating Requests (AWS
// Signature Version 4)" in the S3 API reference, header-based
// (sig-v4-header-based-auth) and query-string (sigv4-query-string-auth)
// forms. S3 differs from the generic algorithm in one place: the path is
// percent-encoded once, not twice, and not normalised.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	sigAlgorithm  = "AWS4-HMAC-SHA256"
	amzDateFormat = "20060102T150405Z"
	// emptyPayloadHash is the SHA-256 of no bytes: the payload hash of a
	// GET or HEAD, which S3 accepts in place of UNSIGNED-PAYLOAD.
	emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// unsignedPayload is the payload hash of a pre-signed URL, whose
	// body the signer never sees.
	unsignedPayload = "UNSIGNED-PAYLOAD"
	// maxPresignExpiry is SigV4's limit on X-Amz-Expires.
	maxPresignExpiry = 7 * 24 * time.Hour
)

// unsignedHeader reports whether a header (its lower-case name) is left out
// of the signature: Authorization is the signature, and proxies rewrite
// User-Agent and Accept-Encoding. (A switch, not a map: a map would be
// filled at every start.)
func unsignedHeader(name string) bool {
	switch name {
	case "authorization", "user-agent", "accept-encoding":
		return true
	}
	return false
}

// signRequest signs req for header authentication in region and service
// at now: it sets X-Amz-Date (and X-Amz-Security-Token for temporary
// credentials), every other header already set is signed too, and the
// signature goes in Authorization. payloadHash is the hex SHA-256 of the
// body (for S3 also sent as X-Amz-Content-Sha256, which the caller sets).
// The path is sent exactly as it was signed.
func signRequest(req *http.Request, c creds, region, service, payloadHash string, now time.Time) {
	now = now.UTC()
	req.Header.Set("X-Amz-Date", now.Format(amzDateFormat))
	if c.SessionToken != "" {
		req.Header.Set("X-Amz-Security-Token", c.SessionToken)
	}
	path := canonicalPath(req.URL.Path)
	req.URL.RawPath = path
	headers, signed := canonicalHeaders(req)
	creq := strings.Join([]string{req.Method, path, canonicalQuery(req.URL.Query()), headers, signed, payloadHash}, "\n")
	scope := credentialScope(now, region, service)
	sig := signature(c.SecretAccessKey, now, region, service, stringToSign(now, scope, creq))
	req.Header.Set("Authorization", sigAlgorithm+" Credential="+c.AccessKeyID+"/"+scope+", SignedHeaders="+signed+", Signature="+sig)
}

// presignURL returns u (path and host final, no query of its own) with
// query-string authentication for a GET valid for expiry from now.
func presignURL(u *url.URL, c creds, region string, expiry time.Duration, now time.Time) string {
	now = now.UTC()
	scope := credentialScope(now, region, "s3")
	q := url.Values{
		"X-Amz-Algorithm":     {sigAlgorithm},
		"X-Amz-Credential":    {c.AccessKeyID + "/" + scope},
		"X-Amz-Date":          {now.Format(amzDateFormat)},
		"X-Amz-Expires":       {strconv.FormatInt(int64(expiry/time.Second), 10)},
		"X-Amz-SignedHeaders": {"host"},
	}
	if c.SessionToken != "" {
		q.Set("X-Amz-Security-Token", c.SessionToken)
	}
	path := canonicalPath(u.Path)
	query := canonicalQuery(q)
	creq := strings.Join([]string{http.MethodGet, path, query, "host:" + u.Host + "\n", "host", unsignedPayload}, "\n")
	sig := signature(c.SecretAccessKey, now, region, "s3", stringToSign(now, scope, creq))
	signed := *u
	signed.RawPath = path
	signed.RawQuery = query + "&X-Amz-Signature=" + sig
	return signed.String()
}

func credentialScope(t time.Time, region, service string) string {
	return t.Format("20060102") + "/" + region + "/" + service + "/aws4_request"
}

func stringToSign(t time.Time, scope, canonicalRequest string) string {
	h := sha256.Sum256([]byte(canonicalRequest))
	return sigAlgorithm + "\n" + t.Format(amzDateFormat) + "\n" + scope + "\n" + hex.EncodeToString(h[:])
}

// signature derives the day's signing key from the secret and signs.
func signature(secret string, t time.Time, region, service, toSign string) string {
	k := hmacSHA256([]byte("AWS4"+secret), t.Format("20060102"))
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "aws4_request")
	return hex.EncodeToString(hmacSHA256(k, toSign))
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// canonicalPath is the decoded path encoded once, slashes kept: an
// object key goes to S3 byte for byte, whatever its characters.
func canonicalPath(p string) string {
	if p == "" {
		return "/"
	}
	return uriEncode(p, true)
}

// canonicalQuery is the query's pairs encoded and sorted by name, then
// value: also what is sent, so that the server reads what was signed.
func canonicalQuery(q url.Values) string {
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(q))
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, pair{uriEncode(k, false), uriEncode(v, false)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k + "=" + p.v)
	}
	return b.String()
}

// canonicalHeaders lists the headers to sign (host and every header set
// but the unsigned ones) as name:value lines, lowercase names sorted,
// values trimmed with inner runs of blanks folded to one and repeated
// headers joined by commas; and their names joined by ';'.
func canonicalHeaders(req *http.Request) (canonical, signed string) {
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	values := map[string]string{"host": host}
	for k, vs := range req.Header {
		name := strings.ToLower(k)
		if unsignedHeader(name) {
			continue
		}
		folded := make([]string, len(vs))
		for i, v := range vs {
			folded[i] = strings.Join(strings.Fields(v), " ")
		}
		values[name] = strings.Join(folded, ",")
	}
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + ":" + values[n] + "\n")
	}
	return b.String(), strings.Join(names, ";")
}

// uriEncode percent-encodes every byte but the unreserved characters
// (A-Z a-z 0-9 - . _ ~), and '/' too unless keepSlash: SigV4's UriEncode,
// which is stricter than url.PathEscape and url.QueryEscape (those keep
// characters such as '!' or '+' that S3 expects encoded).
func uriEncode(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		case c == '/' && keepSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
