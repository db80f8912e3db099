package cmd

import (
	"bytes"
	"io"
	"strings"

	"github.com/audiopreflight/audiopreflight/validate"
)

// scrubbing returns the app with its output streams wrapped so that no
// secret reaches them in full: each is replaced by its redacted form. The
// findings already carry redacted tokens; this is the second line, for any
// path (an error message, a panic) that might quote one.
func (a *app) scrubbing(secrets ...string) *app {
	var s []string
	for _, secret := range secrets {
		if len(secret) >= 4 {
			s = append(s, secret)
		}
	}
	if len(s) == 0 {
		return a
	}
	b := *a
	b.out = &scrubWriter{w: a.out, secrets: s}
	b.errOut = &scrubWriter{w: a.errOut, secrets: s}
	return &b
}

// scrubWriter replaces secrets in what is written through it. Every writer
// of the tool writes a record (a line, a result, a document) in one call,
// so a secret is never split across two writes.
type scrubWriter struct {
	w       io.Writer
	secrets []string
}

// Unwrap lets terminal detection see the stream underneath.
func (s *scrubWriter) Unwrap() io.Writer { return s.w }

func (s *scrubWriter) Write(p []byte) (int, error) {
	out := p
	for _, secret := range s.secrets {
		if bytes.Contains(out, []byte(secret)) {
			out = bytes.ReplaceAll(out, []byte(secret), []byte(validate.Redact(secret)))
		}
	}
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// scrubSecrets replaces the secrets in text by their redacted forms.
func scrubSecrets(text string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) >= 4 {
			text = strings.ReplaceAll(text, secret, validate.Redact(secret))
		}
	}
	return text
}

// secretsIn finds the secrets a command line carries, for the one path
// that runs before the flags are parsed: a panic's report. They are the
// values of --token and --authorization and of their environment variables.
func secretsIn(args []string, getenv func(string) string) []string {
	secrets := []string{getenv(envName("token")), getenv(envName("authorization"))}
	for i, a := range args {
		for _, flag := range []string{"--token", "--authorization"} {
			if a == flag && i+1 < len(args) {
				secrets = append(secrets, args[i+1])
			}
			if v, ok := strings.CutPrefix(a, flag+"="); ok {
				secrets = append(secrets, v)
			}
		}
	}
	return secrets
}
