package cmd

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/audiopreflight/audiopreflight/internal/lazy"
	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/validate"
)

// ExplainOptions are the flags of `audiopreflight explain`.
type ExplainOptions struct {
	Output      string
	NoColor     bool
	ShowSecrets bool
	Texts       []string
}

func newExplainCmd(a *app) *cobra.Command {
	opts := &ExplainOptions{}
	c := &cobra.Command{
		Use:   "explain TEXT...",
		Short: "Name an exception from its name, its message or a JSON error body, and say how to fix it",
		Long: `Identify an API exception from its name (any case), from its message with the
parameters filled in, or from a JSON error body as an API client prints it, and
say what usually causes it and what to do about it. TEXT "-" reads standard input.

Tokens in the text (an InvalidSessionToken message, an Authorization header)
are shown as their first 4 characters, as check shows them, unless
--show-secrets.

Exit status: 0 when every TEXT was identified, 1 when one was not, 2 on usage errors.`,
		Example: `  audiopreflight explain AudioTooBigForSync
  audiopreflight explain "Client with 42 is not active"
  audiopreflight explain '{"detail": "The server failed to parse your mp3 audio"}'
  curl -s ... | audiopreflight explain -`,
		Args: minArgs(1, "TEXT (an exception name, a message, a JSON body, or - for standard input)"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Texts = args
			opts.NoColor = a.global.NoColor
			return runExplain(a, opts)
		},
	}
	enumFlag(c, &opts.Output, "output", "o", "text", "output format", report.ExplainFormats...)
	boolFlag(c.Flags(), &opts.ShowSecrets, "show-secrets", "", "show tokens in full (they are redacted to their first 4 characters otherwise)")
	return c
}

func runExplain(a *app, opts *ExplainOptions) error {
	var results []*report.Explanation
	var secrets []string
	stdinUsed := false
	for _, text := range opts.Texts {
		if text == "-" {
			if stdinUsed {
				return &usageError{err: fmt.Errorf("standard input (-) can be given only once"), cmdPath: "audiopreflight explain"}
			}
			stdinUsed = true
			b, err := io.ReadAll(io.LimitReader(a.in, 1<<20))
			if err != nil {
				return fmt.Errorf("reading standard input: %w", err)
			}
			text = string(b)
			if strings.TrimSpace(text) == "" {
				return &usageError{err: fmt.Errorf("explain: standard input (-) was empty: pipe the error text or body into it"), cmdPath: "audiopreflight explain"}
			}
		}
		if strings.TrimSpace(text) == "" {
			return &usageError{err: fmt.Errorf("explain: TEXT is empty: give an exception name, a message or a JSON body"), cmdPath: "audiopreflight explain"}
		}
		r, found := explainText(text, opts.ShowSecrets)
		results = append(results, r)
		secrets = append(secrets, found...)
	}

	// The answers go out the way check's results do: redacted (the
	// credentials found in any TEXT, and URLs' secrets) and escaped by
	// report's one output path, then scrubbed once more as a last line.
	policy := redact.Policy{Show: opts.ShowSecrets, Secrets: redact.NewSecrets(secrets...)}
	var scrub *redact.Secrets
	if !opts.ShowSecrets {
		scrub = policy.Secrets
	}
	out := newResultStream(a.out, scrub)
	output, err := report.NewExplain(opts.Output, out, report.Options{Palette: a.palette(a.out, opts.NoColor), Redact: policy})
	if err != nil {
		return err
	}
	for _, r := range results {
		if err := output.Write(r); err != nil {
			return err
		}
	}
	if err := output.Flush(); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	for _, r := range results {
		if !r.Identified {
			return &exitError{code: ExitRejected}
		}
	}
	return nil
}

// explainText identifies the exceptions in text, and returns with the
// answer the credentials the text holds — a parameter named like one, what
// follows an authorization scheme, a token= or api_key: value — for the
// output to redact wherever they appear (in the quoted text, the message
// and the parameters alike). Unless showSecrets, a credential parameter is
// also redacted at once, whatever its length.
func explainText(text string, showSecrets bool) (*report.Explanation, []string) {
	r := &report.Explanation{Text: text, Exceptions: []report.ExplainedException{}, Suggestions: []string{}}
	var secrets []string
	for _, id := range validate.Identify(text) {
		extracted := map[string]string{}
		for k, v := range id.Params {
			if redact.SecretParam(k) && v != "" {
				secrets = append(secrets, v)
				if !showSecrets {
					v = redact.Token(v)
				}
			}
			extracted[k] = v
		}
		r.Exceptions = append(r.Exceptions, report.ExplainedException{
			Exception: id.Exception, Extracted: extracted, MatchedBy: id.MatchedBy, Advice: validate.AdviceFor(id.Exception.Name),
		})
	}
	r.Identified = len(r.Exceptions) > 0
	if !r.Identified {
		if s := validate.Suggest(text, 3); s != nil {
			r.Suggestions = s
		}
	}
	return r, append(secrets, schemeTokens(text)...)
}

// pastedCredential matches a credential as a pasted header, log line or
// URL carries it: a token after an authorization scheme ("Bearer T"), or
// the value of a field or parameter named like one ("token=T",
// "api_key: T").
var pastedCredential = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:\b(?:bearer|elsa|basic)[ \t]+|\b[a-z_-]*(?:token|secret|password|passwd|api[_-]?key|signature)["']?[ \t]*[:=][ \t]*["']?)([^\s"',;&]{4,})`)
}}

// schemeTokens are the credentials pastedCredential finds in text.
func schemeTokens(text string) []string {
	var out []string
	for _, m := range pastedCredential.Get().FindAllStringSubmatch(text, -1) {
		switch strings.ToLower(m[1]) {
		case "bearer", "elsa", "basic":
			continue // "Authorization: Bearer T": the token follows
		}
		out = append(out, m[1])
	}
	return out
}
