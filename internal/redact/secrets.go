package redact

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/lazy"
	"github.com/audiopreflight/audiopreflight/internal/safetext"
)

// minSecret is the shortest secret scrubbed: shorter strings would match
// ordinary text.
const minSecret = 4

// authScheme reports whether a word (lower case) of an Authorization
// header is not the secret ("Bearer <token>", "ELSA <token>", "Basic
// <credentials>").
func authScheme(word string) bool {
	switch word {
	case "bearer", "elsa", "basic", "token":
		return true
	}
	return false
}

// Secrets are the credentials one run knows of — the tokens and headers it
// was given — in every form a message may quote them.
type Secrets struct {
	// forms are the strings to replace, each with its replacement, longest
	// first so that a whole header goes before the token inside it.
	forms []form
}

type form struct{ secret, shown string }

// NewSecrets expands the values given (a token, an Authorization header)
// into the secrets to scrub: each value, trimmed of surrounding space, its
// scheme-less part ("Bearer T" → "T", "Bearer Bearer T" → "Bearer T" and
// "T"), and the forms they take quoted by Go (%q), percent-encoded in a URL
// and escaped for a terminal.
func NewSecrets(values ...string) *Secrets {
	seen := map[string]bool{}
	s := &Secrets{}
	add := func(secret, shown string) {
		if len(secret) >= minSecret && !seen[secret] {
			seen[secret] = true
			s.forms = append(s.forms, form{secret, shown})
		}
	}
	for _, v := range values {
		for _, p := range parts(v) {
			shown := Token(p)
			add(p, shown)
			if q := strconv.Quote(p); len(q) > 2 {
				add(q[1:len(q)-1], shown)
			}
			add(url.QueryEscape(p), shown)
			add(url.PathEscape(p), shown)
			add(safetext.Escape(p), shown)
		}
	}
	sortLongestFirst(s.forms)
	return s
}

// parts are the secret strings in an Authorization-like value.
func parts(v string) []string {
	out := []string{v}
	t := strings.TrimSpace(v)
	out = append(out, t)
	for {
		scheme, rest, ok := strings.Cut(t, " ")
		if !ok || !authScheme(strings.ToLower(scheme)) {
			break
		}
		t = strings.TrimSpace(rest)
		out = append(out, t)
	}
	for _, f := range strings.Fields(v) {
		if !authScheme(strings.ToLower(f)) {
			out = append(out, f)
		}
	}
	return out
}

func sortLongestFirst(forms []form) {
	sort.SliceStable(forms, func(i, j int) bool { return len(forms[i].secret) > len(forms[j].secret) })
}

// Empty reports whether there is nothing to scrub.
func (s *Secrets) Empty() bool { return s == nil || len(s.forms) == 0 }

// Scrub replaces every secret in text by its redacted form.
func (s *Secrets) Scrub(text string) string {
	if s == nil {
		return text
	}
	for _, f := range s.forms {
		if strings.Contains(text, f.secret) {
			text = strings.ReplaceAll(text, f.secret, f.shown)
		}
	}
	return text
}

// Policy is what the output path does to every string it prints: redact
// URLs' secrets and the run's known secrets, unless Show (--show-secrets).
type Policy struct {
	Show    bool
	Secrets *Secrets
}

// Text applies the policy to a message (a detail, a warning, an error, a
// hint): URLs in it and secret name=value pairs are redacted, and so are
// the run's secrets.
func (p Policy) Text(s string) string {
	if p.Show {
		return s
	}
	return p.Secrets.Scrub(Text(s))
}

// Secret applies the policy to a string that is not a message (a file
// name): only the run's secrets are scrubbed.
func (p Policy) Secret(s string) string {
	if p.Show {
		return s
	}
	return p.Secrets.Scrub(s)
}

// URL applies the policy to a URL input.
func (p Policy) URL(s string) string {
	if p.Show {
		return s
	}
	return p.Secrets.Scrub(URL(s))
}

// Writer is the last line: it scrubs the run's secrets from a stream, in
// their raw form and in the forms the output encoders give them (JSON,
// XML, GitHub workflow commands, terminal escapes). It holds back the last
// bytes of each write that could begin a secret, so a secret split across
// two writes (an encoder's 4096-byte chunks) is still caught; Flush
// writes them out.
type Writer struct {
	w       io.Writer
	forms   []form
	longest int
	pending []byte
}

// NewWriter returns a scrubbing writer over w; with no secrets it returns
// nil (use w itself).
func (s *Secrets) NewWriter(w io.Writer) *Writer {
	if s.Empty() {
		return nil
	}
	sw := &Writer{w: w}
	seen := map[string]bool{}
	for _, f := range s.forms {
		for _, enc := range encodings {
			secret, shown := enc(f.secret), enc(f.shown)
			if secret == "" || seen[secret] {
				continue
			}
			seen[secret] = true
			sw.forms = append(sw.forms, form{secret, shown})
			sw.longest = max(sw.longest, len(secret))
		}
	}
	sortLongestFirst(sw.forms)
	return sw
}

// encodings are the ways an output format may spell a string. (Functions
// the linker lays out: closures made here, and the replacers, would be
// made by the package's initialiser at every start.)
var encodings = []func(string) string{
	func(s string) string { return s },
	func(s string) string { return jsonString(s, false) },
	func(s string) string { return jsonString(s, true) },
	func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	},
	// GitHub workflow commands: data, then property escaping.
	func(s string) string { return githubData.Get().Replace(s) },
	func(s string) string { return githubProperty.Get().Replace(s) },
}

var (
	githubData = lazy.Value[*strings.Replacer]{New: func() *strings.Replacer {
		return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	}}
	githubProperty = lazy.Value[*strings.Replacer]{New: func() *strings.Replacer {
		return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	}}
)

func jsonString(s string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if enc.Encode(s) != nil {
		return ""
	}
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// Unwrap lets terminal detection see the stream underneath.
func (w *Writer) Unwrap() io.Writer { return w.w }

func (w *Writer) Write(p []byte) (int, error) {
	w.pending = append(w.pending, p...)
	w.scrub()
	// Any secret not yet complete starts within the last longest-1 bytes.
	keep := min(len(w.pending), w.longest-1)
	if err := w.emit(len(w.pending) - keep); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes out what Write held back.
func (w *Writer) Flush() error { return w.emit(len(w.pending)) }

func (w *Writer) scrub() {
	for _, f := range w.forms {
		if bytes.Contains(w.pending, []byte(f.secret)) {
			w.pending = bytes.ReplaceAll(w.pending, []byte(f.secret), []byte(f.shown))
		}
	}
}

func (w *Writer) emit(n int) error {
	if n <= 0 {
		return nil
	}
	_, err := w.w.Write(w.pending[:n])
	w.pending = append(w.pending[:0], w.pending[n:]...)
	return err
}
