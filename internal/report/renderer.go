package report

import (
	"fmt"
	"io"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/term"
)

// Renderer writes results in one output format. Write is called once per
// input, in input order, as results complete; Flush once at the end.
type Renderer interface {
	Write(r *Result) error
	Flush(s Summary, elapsed time.Duration) error
}

// Formats lists the output formats of `check`.
var Formats = []string{"text", "json", "jsonl", "github", "junit"}

// Options shape the output.
type Options struct {
	Run     Run
	Quiet   bool // only rejected and failed inputs (text, github, jsonl, json)
	Palette term.Palette
}

// New returns the renderer for format, writing to w.
func New(format string, w io.Writer, opts Options) (Renderer, error) {
	switch format {
	case "text":
		return &textRenderer{w: w, opts: opts}, nil
	case "json":
		return &jsonRenderer{w: w, opts: opts}, nil
	case "jsonl":
		return &jsonlRenderer{w: w, opts: opts}, nil
	case "github":
		return &githubRenderer{w: w, opts: opts}, nil
	case "junit":
		return &junitRenderer{w: w, opts: opts}, nil
	}
	return nil, fmt.Errorf("unknown output format %q", format)
}

// shown reports whether a quiet run prints the result.
func (o Options) shown(r *Result) bool {
	return !o.Quiet || r.Error != "" || r.Failed(o.Run.Strict)
}
