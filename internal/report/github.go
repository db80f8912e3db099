package report

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// githubRenderer writes GitHub Actions workflow commands: an ::error for
// each rejected input (and each that could not be checked), a ::warning for
// each warning, so they show as annotations on the files.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
type githubRenderer struct {
	w    io.Writer
	opts Options
}

func (g *githubRenderer) Write(r *Result) error {
	var b strings.Builder
	file := ""
	if r.Source == SourceFile {
		file = "file=" + escapeProperty(r.Input) + ","
	}
	switch {
	case r.Error != "":
		fmt.Fprintf(&b, "::error %stitle=%s::%s\n", file, escapeProperty("audiopreflight: could not check"), escapeData(r.Input+": "+r.Error))
	case !r.Accepted:
		msg := r.Exception.Message
		if r.Exception.Detail != "" {
			msg += " (" + r.Exception.Detail + ")"
		}
		if r.Hint != "" {
			msg += "\nhint: " + r.Hint
		}
		fmt.Fprintf(&b, "::error %stitle=%s::%s\n", file, escapeProperty(r.Exception.Name), escapeData(r.Input+": "+msg))
	}
	level := "warning"
	if g.opts.Run.Strict {
		level = "error"
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "::%s %stitle=%s::%s\n", level, file, escapeProperty("audiopreflight warning"), escapeData(r.Input+": "+w))
	}
	_, err := io.WriteString(g.w, b.String())
	return err
}

func (g *githubRenderer) Flush(s Summary, _ time.Duration) error {
	_, err := fmt.Fprintf(g.w, "audiopreflight: %d inputs, %d accepted, %d rejected, %d could not be checked\n", s.Total, s.Accepted, s.Rejected, s.Errors)
	return err
}

// escapeData and escapeProperty follow the workflow command escaping rules
// (the runner's toolkit: %, CR and LF in data; also : and , in properties).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
