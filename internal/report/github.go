package report

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// githubRenderer writes GitHub Actions workflow commands: an ::error for
// each rejected input that is not ignored (and each that could not be
// checked), a ::notice for
// each undecided one, a ::warning for each warning, so they show as
// annotations on the files; --strict makes the notices and warnings
// errors. With --check-auth a failing Authorization header is one ::error
// for the run.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
type githubRenderer struct {
	w    io.Writer
	opts Options
}

func (g *githubRenderer) begin() error {
	a := g.opts.Run.Auth
	if a == nil || len(a.Findings) == 0 {
		return nil
	}
	msg := authLabel + ": " + findingLine(a.Findings[0]) + " — the API answers this for every input"
	if a.Hint != "" {
		msg += "\nhint: " + a.Hint
	}
	_, err := fmt.Fprintf(g.w, "::error title=%s::%s\n", escapeProperty(a.Findings[0].Name), escapeData(msg))
	return err
}

func (g *githubRenderer) write(r *Result) error {
	var b strings.Builder
	file := ""
	if r.Source == SourceFile {
		file = "file=" + escapeProperty(r.Input) + ","
	}
	command := func(level, title, msg string) {
		fmt.Fprintf(&b, "::%s %stitle=%s::%s\n", level, file, escapeProperty(title), escapeData(r.Input+": "+msg))
	}
	strictLevel := func(level string) string {
		if g.opts.Run.Strict {
			return "error"
		}
		return level
	}
	findings := r.Findings
	if g.opts.Run.Auth != nil {
		findings = r.AudioFindings()
	}
	switch {
	case r.Status == StatusError:
		command("error", "audiopreflight: could not check", r.Error)
	case r.Status == StatusIgnored:
		// Accepted by the team: no annotation (the summary counts it).
	case len(findings) > 0:
		msg := findings[0].Message
		if findings[0].Detail != "" {
			msg += " (" + findings[0].Detail + ")"
		}
		for _, f := range findings[1:] {
			msg += "\nalso: " + findingLine(f)
		}
		if r.Hint != "" {
			msg += "\nhint: " + r.Hint
		}
		command("error", findings[0].Name, msg)
	case len(r.Undecided) > 0:
		command(strictLevel("notice"), "audiopreflight: undecided", strings.Join(r.Undecided, ", ")+" "+undecidedNote)
	}
	for _, w := range r.Warnings {
		command(strictLevel("warning"), "audiopreflight warning", w)
	}
	_, err := io.WriteString(g.w, b.String())
	return err
}

func (g *githubRenderer) flush(s Summary, _ time.Duration) error {
	line := fmt.Sprintf("audiopreflight: %s, %d accepted, %d rejected", count(s.Total, "input", "inputs"), s.Accepted, s.Rejected)
	if s.Ignored > 0 {
		line += fmt.Sprintf(", %d ignored", s.Ignored)
	}
	if s.Undecided > 0 {
		line += fmt.Sprintf(", %d undecided", s.Undecided)
	}
	if s.Errors > 0 {
		line += fmt.Sprintf(", %d could not be checked", s.Errors)
	}
	_, err := fmt.Fprintln(g.w, line)
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
