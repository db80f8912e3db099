package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/audiopreflight/audiopreflight/internal/redact"
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
	enumFlag(c, &opts.Output, "output", "o", "text", "output format", "text", "json")
	boolFlag(c.Flags(), &opts.ShowSecrets, "show-secrets", "", "show tokens in full (they are redacted to their first 4 characters otherwise)")
	return c
}

// explanation is one TEXT's answer; its JSON is documented in the README.
type explanation struct {
	Text        string               `json:"text"`
	Identified  bool                 `json:"identified"`
	Exceptions  []explainedException `json:"exceptions"`
	Suggestions []string             `json:"suggestions"`
}

type explainedException struct {
	*validate.Exception
	Extracted map[string]string `json:"extracted"`
	MatchedBy string            `json:"matched_by"`
	validate.Advice
}

func runExplain(a *app, opts *ExplainOptions) error {
	var results []explanation
	stdinUsed := false
	for _, text := range opts.Texts {
		shown := text
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
			shown = text
		}
		if strings.TrimSpace(text) == "" {
			return &usageError{err: fmt.Errorf("explain: TEXT is empty: give an exception name, a message or a JSON body"), cmdPath: "audiopreflight explain"}
		}
		results = append(results, explainText(text, shown, opts.ShowSecrets))
	}

	var err error
	if opts.Output == "json" {
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(struct {
			Results []explanation `json:"results"`
		}{results})
	} else {
		err = writeExplainText(a.out, results, a.palette(a.out, opts.NoColor))
	}
	if err != nil {
		return err
	}
	for _, r := range results {
		if !r.Identified {
			return &exitError{code: ExitRejected}
		}
	}
	return nil
}

// explainText identifies the exceptions in text; shown is the text as the
// answer quotes it ("-" stays "-" only when standard input was not read).
// Unless showSecrets, a token in it — a parameter named like a credential,
// or what follows an authorization scheme — is shown redacted, in the
// parameters, the message and the quoted text alike.
func explainText(text, shown string, showSecrets bool) explanation {
	r := explanation{Text: shown, Exceptions: []explainedException{}, Suggestions: []string{}}
	var secrets []string
	for _, id := range validate.Identify(text) {
		extracted := map[string]string{}
		for k, v := range id.Params {
			if isSecretName(k) && !showSecrets && v != "" {
				secrets = append(secrets, v)
				v = redact.Token(v)
			}
			extracted[k] = v
		}
		r.Exceptions = append(r.Exceptions, explainedException{
			Exception: id.Exception, Extracted: extracted, MatchedBy: id.MatchedBy, Advice: validate.AdviceFor(id.Exception.Name),
		})
	}
	r.Identified = len(r.Exceptions) > 0
	if !r.Identified {
		if s := validate.Suggest(text, 3); s != nil {
			r.Suggestions = s
		}
	}
	if !showSecrets {
		secrets = append(secrets, schemeTokens(text)...)
		r.Text = redact.NewSecrets(secrets...).Scrub(r.Text)
	}
	return r
}

// pastedCredential matches a credential as a pasted header, log line or
// URL carries it: a token after an authorization scheme ("Bearer T"), or
// the value of a field or parameter named like one ("token=T",
// "api_key: T").
var pastedCredential = regexp.MustCompile(`(?i)(?:\b(?:bearer|elsa|basic)[ \t]+|\b[a-z_-]*(?:token|secret|password|passwd|api[_-]?key|signature)["']?[ \t]*[:=][ \t]*["']?)([^\s"',;&]{4,})`)

// schemeTokens are the credentials pastedCredential finds in text.
func schemeTokens(text string) []string {
	var out []string
	for _, m := range pastedCredential.FindAllStringSubmatch(text, -1) {
		switch strings.ToLower(m[1]) {
		case "bearer", "elsa", "basic":
			continue // "Authorization: Bearer T": the token follows
		}
		out = append(out, m[1])
	}
	return out
}

func writeExplainText(w io.Writer, results []explanation, p interface {
	Bold(string) string
	Red(string) string
	Dim(string) string
}) error {
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if !r.Identified {
			fmt.Fprintf(w, "%s %q is not an exception of the API.\n", p.Red("✗"), oneLine(r.Text, 80))
			if len(r.Suggestions) > 0 {
				fmt.Fprintf(w, "  did you mean: %s\n", strings.Join(r.Suggestions, ", "))
			}
			fmt.Fprintln(w, "  audiopreflight errors lists them all.")
			continue
		}
		for j, e := range r.Exceptions {
			if j > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "%s  %s\n", p.Bold(e.Name), p.Dim(fmt.Sprintf("(%s; %s)", e.Category, strings.Join(e.RequestTypes, ", "))))
			fmt.Fprintf(w, "  message:     %s\n", e.Format(e.Extracted))
			if len(e.Extracted) > 0 {
				keys := make([]string, 0, len(e.Extracted))
				for k := range e.Extracted {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					fmt.Fprintf(w, "  %-12s %q\n", k+":", e.Extracted[k])
				}
			}
			fmt.Fprintf(w, "  description: %s\n", e.Description)
			fmt.Fprintf(w, "  cause:       %s\n", e.Cause)
			fmt.Fprintf(w, "  fix:         %s\n", e.Fix)
			if !validate.Predictable(e.Name) {
				fmt.Fprintln(w, "  note:        it depends on the server's state; audiopreflight check cannot predict it.")
			}
		}
	}
	return nil
}

// oneLine shortens text to one line of at most n runes for a message.
func oneLine(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return text
}
