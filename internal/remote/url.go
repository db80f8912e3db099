package remote

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/audiopreflight/audiopreflight/internal/lazy"
)

// The server is a Python service; it downloads audio_path with the
// requests library, which parses URLs with urllib3. Where Go's net/url reads
// a URL differently, parseServerURL rewrites it first so that the host we
// check and connect to is the one the server would: requests strips leading
// whitespace, urllib3 ends the authority at a backslash as well as at
// / ? #, requests decodes percent-escapes of unreserved characters
// everywhere (so %31%32%37.0.0.1 is 127.0.0.1), urllib3 accepts at most
// five port digits, and non-ASCII hosts must be valid IDNA 2008 labels
// (urllib3 encodes them strictly, without UTS #46 mapping: idna.go).

var schemeRE = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*):`) }}

// IsURL reports whether s has the shape of an absolute URL ("scheme://…"),
// the inputs that are checked as audio_path rather than as local files.
func IsURL(s string) bool {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	n := schemeLen(s)
	return n > 1 && strings.HasPrefix(s[n:], "://")
}

// schemeLen is the length of the scheme s starts with (schemeRE's first
// group, without its colon), or 0. IsURL is asked of every input: a byte
// loop spares a check of local files the regexp's compilation.
func schemeLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '.' || c == '-'):
		case i > 0 && c == ':':
			return i
		default:
			return 0
		}
	}
	return 0
}

// parseServerURL parses rawURL as the server would and checks what can be
// checked without a network: scheme, host presence, port, IDNA.
func parseServerURL(rawURL string) (*url.URL, *Failure) {
	s := strings.TrimLeftFunc(rawURL, unicode.IsSpace)
	m := schemeRE.Get().FindStringSubmatch(s)
	if m == nil {
		return nil, &Failure{
			Reason: ReasonScheme,
			Detail: "the URL has no scheme: the API downloads only http:// and https:// URLs",
			Hint:   "write the URL with https:// in front",
		}
	}
	scheme := strings.ToLower(m[1])
	rest := s[len(m[0]):]
	if scheme != "http" && scheme != "https" {
		return nil, schemeFailure(scheme, rest)
	}
	if !strings.HasPrefix(rest, "//") {
		return nil, invalidURL("no host", "")
	}
	rest = rest[2:]
	authority, tail := rest, ""
	if i := strings.IndexAny(rest, `\/?#`); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	if strings.HasPrefix(tail, `\`) {
		tail = "/" + tail
	}
	authority = unquoteUnreserved(authority)
	u, err := url.Parse(scheme + "://" + authority + tail)
	if err != nil {
		return nil, invalidURL(err.Error(), "")
	}
	host := u.Hostname()
	if host == "" {
		return nil, invalidURL("no host", "")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) > 5 || n > 65535 {
			return nil, invalidURL("bad port "+strconv.Quote(p), "")
		}
	}
	if !isASCII(host) {
		ascii, err := idnaToASCII(host)
		if err != nil {
			return nil, invalidURL(fmt.Sprintf("host %q is not a valid internationalised domain name", host), "")
		}
		u.Host = joinHostPort(ascii, u.Port())
	} else if strings.HasPrefix(host, "*") || strings.HasPrefix(host, ".") {
		// requests refuses these before connecting.
		return nil, invalidURL(fmt.Sprintf("host %q", host), "")
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

func invalidURL(why, hint string) *Failure {
	return &Failure{Reason: ReasonInvalidURL, Detail: "not a valid URL: " + why, Hint: hint}
}

// schemeFailure says why a URL with another scheme cannot be audio_path,
// and how to get an https URL for the usual storage schemes.
func schemeFailure(scheme, rest string) *Failure {
	f := &Failure{
		Reason: ReasonScheme,
		Detail: fmt.Sprintf("the scheme %q is not http or https: the API downloads only http:// and https:// URLs", scheme),
		Hint:   "use the object's https URL or a pre-signed URL",
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(rest, "//"), "/")
	switch scheme {
	case "s3", "s3a", "s3n":
		if bucket != "" {
			f.Hint = fmt.Sprintf("use the object's https URL (https://%s.s3.amazonaws.com/%s) or a pre-signed URL", bucket, key)
		}
	case "gs":
		if bucket != "" {
			f.Hint = fmt.Sprintf("use the object's https URL (https://storage.googleapis.com/%s/%s) or a signed URL", bucket, key)
		}
	case "file":
		f.Hint = "send a local file as audio_file, not as audio_path"
	}
	if !strings.HasPrefix(rest, "//") && scheme != "file" {
		// "example.com:8080/a.wav" reads as scheme "example.com".
		f.Hint = "write the URL with https:// in front"
	}
	return f
}

// unquoteUnreserved decodes %XX escapes of unreserved characters
// (A-Z a-z 0-9 - . _ ~), as requests' requote_uri does, and leaves the rest.
func unquoteUnreserved(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && hexDigit(s[i+1]) >= 0 && hexDigit(s[i+2]) >= 0 {
			c := byte(hexDigit(s[i+1])<<4 | hexDigit(s[i+2]))
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
				b.WriteByte(c)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func joinHostPort(host, port string) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" {
		return host
	}
	return host + ":" + port
}

// displayURL shows u without what may be secret: no user information, and
// the query (pre-signed URLs carry signatures and credentials there)
// replaced by "?…".
func displayURL(u *url.URL) string {
	v := *u
	v.User = nil
	q := v.RawQuery != "" || v.ForceQuery
	v.RawQuery, v.ForceQuery, v.Fragment, v.RawFragment = "", false, "", ""
	s := v.String()
	if q {
		s += "?…"
	}
	return s
}

// nameOf is the last path segment of u, unescaped: the input's "file name",
// whose extension the prober compares with the content.
func nameOf(u *url.URL) string {
	p := u.Path
	if p == "" || strings.HasSuffix(p, "/") {
		return ""
	}
	return path.Base(p)
}
