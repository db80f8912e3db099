package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/audiopreflight/audiopreflight/validate"
)

// ExplainFormats lists the output formats of `explain`.
var ExplainFormats = []string{"text", "json"}

// Explanation is the answer for one TEXT of `explain`; its JSON is
// documented in the README.
type Explanation struct {
	// Text is the text as given (standard input's content for "-").
	Text        string               `json:"text"`
	Identified  bool                 `json:"identified"`
	Exceptions  []ExplainedException `json:"exceptions"`
	Suggestions []string             `json:"suggestions"`
}

// ExplainedException is one exception found in a TEXT: the catalog entry,
// the parameters read from the text, how it was recognised and the advice.
type ExplainedException struct {
	*validate.Exception
	Extracted map[string]string `json:"extracted"`
	MatchedBy string            `json:"matched_by"`
	validate.Advice
}

// ExplainOutput writes `explain` answers through the same path as check's
// Output: the text pasted in is outside text (a log line, an error body
// from the API, an Authorization header), so every string is redacted and,
// in text, escaped before it is printed. Text streams; JSON is one
// document written at Flush.
type ExplainOutput struct {
	w       io.Writer
	json    bool
	opts    Options
	show    shower
	results []*Explanation
	n       int
}

// NewExplain returns the explain output for format, writing to w.
func NewExplain(format string, w io.Writer, opts Options) (*ExplainOutput, error) {
	switch format {
	case "text", "json":
	default:
		return nil, fmt.Errorf("unknown output format %q", format)
	}
	isJSON := format == "json"
	return &ExplainOutput{w: w, json: isJSON, opts: opts, show: shower{policy: opts.Redact, escape: !isJSON}}, nil
}

// Write writes (or, for JSON, keeps) one answer.
func (o *ExplainOutput) Write(e *Explanation) error {
	if o.json {
		o.results = append(o.results, display(e, o.show.text))
		return nil
	}
	// The text answer quotes the TEXT on one line: its whitespace is
	// collapsed before the copy escapes what is left.
	oneLine := *e
	oneLine.Text = strings.Join(strings.Fields(e.Text), " ")
	o.n++
	return o.writeText(display(&oneLine, o.show.text), o.n == 1)
}

// Flush ends the output.
func (o *ExplainOutput) Flush() error {
	if !o.json {
		return nil
	}
	results := o.results
	if results == nil {
		results = []*Explanation{}
	}
	return encodeJSON(o.w, "  ", struct {
		Results []*Explanation `json:"results"`
	}{results})
}

func (o *ExplainOutput) writeText(r *Explanation, first bool) error {
	p := o.opts.Palette
	var b strings.Builder
	if !first {
		b.WriteString("\n")
	}
	if !r.Identified {
		fmt.Fprintf(&b, "%s \"%s\" is not an exception of the API.\n", p.Red("✗"), shorten(r.Text, 80))
		if len(r.Suggestions) > 0 {
			fmt.Fprintf(&b, "  did you mean: %s\n", strings.Join(r.Suggestions, ", "))
		}
		b.WriteString("  audiopreflight errors lists them all.\n")
	}
	for j, e := range r.Exceptions {
		if j > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s  %s\n", p.Bold(e.Name), p.Dim(fmt.Sprintf("(%s; %s)", e.Category, strings.Join(e.RequestTypes, ", "))))
		fmt.Fprintf(&b, "  message:     %s\n", e.Format(e.Extracted))
		keys := make([]string, 0, len(e.Extracted))
		for k := range e.Extracted {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  %-12s \"%s\"\n", k+":", e.Extracted[k])
		}
		fmt.Fprintf(&b, "  description: %s\n", e.Description)
		fmt.Fprintf(&b, "  cause:       %s\n", e.Cause)
		fmt.Fprintf(&b, "  fix:         %s\n", e.Fix)
		if !validate.Predictable(e.Name) {
			b.WriteString("  note:        it depends on the API's state; audiopreflight check cannot predict it.\n")
		}
	}
	_, err := io.WriteString(o.w, b.String())
	return err
}

// shorten cuts text to at most n runes, ending it with "…" when cut.
func shorten(text string, n int) string {
	if r := []rune(text); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return text
}
