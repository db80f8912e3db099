package cmd

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/audiopreflight/audiopreflight/internal/redact"
)

// envPrefix starts the environment variable that stands in for each flag:
// --sync-limit is also AUDIOPREFLIGHT_SYNC_LIMIT.
const envPrefix = "AUDIOPREFLIGHT_"

// envName is the environment variable that stands in for a flag. Every
// run names one for each flag of its command: flag names are ASCII, spelt
// in one pass.
func envName(flag string) string {
	b := make([]byte, len(envPrefix)+len(flag))
	n := copy(b, envPrefix)
	for i := 0; i < len(flag); i++ {
		c := flag[i]
		switch {
		case c >= utf8.RuneSelf:
			return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
		case c == '-':
			c = '_'
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		}
		b[n+i] = c
	}
	return string(b)
}

// noEnvironment is the annotation of a flag that no variable sets: a flag
// of the same name as a variable but another meaning (errors --request
// filters the listing; AUDIOPREFLIGHT_REQUEST is the request check makes).
const noEnvironment = "audiopreflight/no-environment"

// withoutEnvironment marks flags of fs that no environment variable sets.
func withoutEnvironment(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		_ = fs.SetAnnotation(n, noEnvironment, []string{"true"})
	}
}

func takesEnvironment(f *pflag.Flag) bool {
	if f.Name == "help" || f.Name == "version" {
		return false
	}
	_, no := f.Annotations[noEnvironment]
	return !no
}

// bindEnvironment gives every flag of c that the command line did not set
// the value of its AUDIOPREFLIGHT_<FLAG> variable, so the flag always wins.
//
// CI jobs set these variables once for every command they run, so a value
// applies to a command only where it is valid for that command's flag:
// AUDIOPREFLIGHT_OUTPUT=github serves check, and version, which has no
// github output, ignores it. A value that no command accepts is a mistake
// (AUDIOPREFLIGHT_OUTPUT=jsno, AUDIOPREFLIGHT_SYNC_LIMIT=ten) and every
// command with that flag refuses it, naming the variable.
func bindEnvironment(c *cobra.Command, a *app) error {
	if strings.HasPrefix(c.Name(), "__") {
		return nil // a shell asking for completions: the variables are not for it
	}
	var err error
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || !takesEnvironment(f) {
			return
		}
		name := envName(f.Name)
		val := a.getenv(name)
		if val == "" {
			return
		}
		setErr := c.Flags().Set(f.Name, val)
		if setErr == nil {
			if a.fromEnvironment == nil {
				a.fromEnvironment = map[string]bool{}
			}
			a.fromEnvironment[f.Name] = true
			return
		}
		if acceptedByAnyCommand(f.Name, val) {
			return
		}
		if cause := errors.Unwrap(setErr); cause != nil {
			setErr = cause
		}
		err = usageErrorf(c, "invalid %s=%s: %v", name, shownValue(name, val, a.secrets()), setErr)
	})
	return err
}

// acceptedByAnyCommand reports whether some command has a flag of this name
// that takes its variable and accepts val. It asks a fresh command tree, so
// the running command's values are left alone.
func acceptedByAnyCommand(flag, val string) bool {
	root := newRootCmd(&app{getenv: func(string) string { return "" }})
	var accepted func(c *cobra.Command) bool
	accepted = func(c *cobra.Command) bool {
		for _, fs := range []*pflag.FlagSet{c.Flags(), c.PersistentFlags()} {
			if f := fs.Lookup(flag); f != nil && takesEnvironment(f) && fs.Set(flag, val) == nil {
				return true
			}
		}
		for _, sub := range c.Commands() {
			if accepted(sub) {
				return true
			}
		}
		return false
	}
	return accepted(root)
}

// shownValue is how an error message quotes the value of a variable or
// flag: redacted when the name says it holds a credential (by the rule
// that judges URL parameters), when it holds one of the run's secrets (a
// token given to the wrong variable), or when it looks like a credential
// itself; quoted as given otherwise. The line it goes into is made safe to
// print by errorText, like every error line.
func shownValue(name, val string, secrets *redact.Secrets) string {
	if redact.SecretParam(name) || looksLikeCredential(val) || secrets.Scrub(val) != val {
		return fmt.Sprintf("%q", redact.Token(val))
	}
	return fmt.Sprintf("%q", val)
}

// looksLikeCredential reports whether a value that a flag refused looks
// like a token or an Authorization header rather than a typo: a scheme and
// a token, or one long word of letters and digits mixed. No value any flag
// of this tool takes looks like that.
func looksLikeCredential(val string) bool {
	if scheme, rest, ok := strings.Cut(strings.TrimSpace(val), " "); ok && rest != "" {
		switch strings.ToLower(scheme) {
		case "bearer", "elsa", "basic", "token":
			return true
		}
	}
	if len(val) < 16 || strings.ContainsFunc(val, unicode.IsSpace) {
		return false
	}
	return strings.ContainsFunc(val, unicode.IsLetter) && strings.ContainsFunc(val, unicode.IsDigit)
}

// secrets are the credentials this command line carries, from the flags
// and variables that hold them, in every form a message may quote them
// (with and without the scheme): no error message may show them.
func (a *app) secrets() *redact.Secrets {
	return secretsIn(a.args, a.getenv)
}
