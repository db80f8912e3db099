// Package redact keeps credentials out of everything audiopreflight
// prints: the tokens given to it (--token, --authorization and their
// environment variables), and the secrets URLs carry — a password in the
// user information, the signature, credential and token parameters of
// pre-signed URLs.
//
// The output path applies it to every string before encoding (Policy), and
// keeps a stream scrubber (Writer) as a last line behind the encoders.
package redact

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/audiopreflight/audiopreflight/internal/lazy"
)

// Mark is what stands for a secret's hidden part.
const Mark = "…"

// Token shows a secret as its first 4 characters and "…", or only "…"
// when it has fewer than 8 characters: enough to tell two tokens apart,
// never enough to use one.
func Token(secret string) string {
	if utf8.RuneCountInString(secret) < 8 {
		return Mark
	}
	i := 0
	for n := 0; n < 4; n++ {
		_, size := utf8.DecodeRuneInString(secret[i:])
		i += size
	}
	return secret[:i] + Mark
}

// secretParam reports whether the query parameter of this lower-case name,
// in pre-signed and authenticated URLs, has a credential for its value
// (AWS SigV4 and legacy S3, GCS V4, Azure SAS, CloudFront). (A switch, not
// a map: a map would be filled by the package's initialiser at every
// start.)
func secretParam(name string) bool {
	switch name {
	case "x-amz-signature",
		"x-amz-credential",
		"x-amz-security-token",
		"signature",
		"x-goog-signature",
		"x-goog-credential",
		"sig",
		"key-pair-id",
		"policy":
		return true
	}
	return false
}

// secretWords make any parameter whose name contains one a secret.
var secretWords = []string{"token", "key", "secret", "passw", "passphrase", "pwd", "auth", "signature", "credential"}

// SecretParam reports whether a URL query parameter (or a name=value pair
// in a message) of this name carries a credential.
func SecretParam(name string) bool {
	name = strings.ToLower(name)
	if secretParam(name) {
		return true
	}
	for _, w := range secretWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// URL returns the URL u with its secrets redacted: the password of the
// user information becomes "…", and the value of every secret parameter of
// the query and the fragment becomes Token(value). Everything else is
// kept byte for byte (the URL is not re-encoded), so what is printed is
// still recognisably the URL given. A string that is not a URL with an
// authority ("scheme://…") is returned as it is.
func URL(u string) string {
	scheme := strings.Index(u, "://")
	if scheme <= 0 || !isScheme(u[:scheme]) {
		return u
	}
	start := scheme + len("://")
	end := start + strings.IndexAny(u[start:], "/?#")
	if end < start {
		end = len(u)
	}
	var b strings.Builder
	b.Grow(len(u))
	b.WriteString(u[:start])
	authority := u[start:end]
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		userinfo := authority[:at]
		if user, _, hasPassword := strings.Cut(userinfo, ":"); hasPassword {
			userinfo = user + ":" + Mark
		}
		authority = userinfo + authority[at:]
	}
	b.WriteString(authority)
	rest := u[end:]
	before, fragment, hasFragment := strings.Cut(rest, "#")
	path, query, hasQuery := strings.Cut(before, "?")
	b.WriteString(path)
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(redactParams(query))
	}
	if hasFragment {
		b.WriteByte('#')
		b.WriteString(redactParams(fragment))
	}
	return b.String()
}

// redactParams redacts the secret values of a query or fragment written
// as name=value pairs separated by & (or ;).
func redactParams(q string) string {
	if !strings.Contains(q, "=") {
		return q
	}
	var b strings.Builder
	out := q
	for len(out) > 0 {
		j := strings.IndexAny(out, "&;")
		pair, sep := out, ""
		if j >= 0 {
			pair, sep, out = out[:j], out[j:j+1], out[j+1:]
		} else {
			out = ""
		}
		if name, value, ok := strings.Cut(pair, "="); ok && value != "" && SecretParam(unescape(name)) {
			pair = name + "=" + Token(value)
		}
		b.WriteString(pair)
		b.WriteString(sep)
	}
	return b.String()
}

func isScheme(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// unescape undoes percent-encoding well enough to read a parameter's name
// (X%2DAmz%2DSignature is still the signature).
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// urlInText finds URLs in a message: a scheme, "://", and everything up to
// whitespace, a quote or an angle bracket.
var urlInText = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp {
	return regexp.MustCompile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'`<>]*")
}}

// pairInText finds name=value pairs in text: a value ends at whitespace,
// a quote, a bracket, &, comma or semicolon.
var pairInText = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp {
	return regexp.MustCompile("([A-Za-z0-9_.-]+)=([^\\s\"'`<>&,;()\\[\\]{}]+)")
}}

// Text redacts the URLs a message quotes, as URL does (a detail, a hint, an
// error that names the URL it fetched).
func Text(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range urlInText.Get().FindAllStringIndex(s, -1) {
		b.WriteString(s[last:m[0]])
		u := s[m[0]:m[1]]
		trimmed := strings.TrimRight(u, ".,;:!?)]}")
		b.WriteString(URL(trimmed))
		b.WriteString(u[len(trimmed):])
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// Pairs redacts, in text that no rule of the program wrote (a panic's
// value), the URLs as Text does and every name=value pair whose name is a
// secret parameter's ("token=tok_…"), wherever it stands. Names the user
// chose (file names) are not passed through it: "key=C major.wav" is a
// name, not a secret.
func Pairs(s string) string {
	s = Text(s)
	if !strings.Contains(s, "=") {
		return s
	}
	return pairInText.Get().ReplaceAllStringFunc(s, func(pair string) string {
		name, value, _ := strings.Cut(pair, "=")
		if !SecretParam(name) || strings.HasSuffix(value, Mark) {
			return pair
		}
		return name + "=" + Token(value)
	})
}
