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
//
// GitHub shows 10 annotations of each kind (error, warning, notice) per
// step, and drops the others: the first 10 of each kind, in input order,
// are annotations; the rest are printed as plain log lines, and the last
// line says how many (the job summary, -o markdown, lists them all).
type githubRenderer struct {
	w    io.Writer
	opts Options
	// shown counts the annotations of each kind; unshown those printed
	// as plain lines instead.
	shown   map[string]int
	unshown int
}

// annotationsPerKind is how many annotations of one kind GitHub shows for
// a step.
const annotationsPerKind = 10

// annotate writes a workflow command of level, or, past the step's
// limit, the same as a plain log line.
func (g *githubRenderer) annotate(b *strings.Builder, level, properties, title, msg string) {
	if g.shown == nil {
		g.shown = map[string]int{}
	}
	if g.shown[level] < annotationsPerKind {
		g.shown[level]++
		fmt.Fprintf(b, "::%s %s::%s\n", level, properties, escapeData(msg))
		return
	}
	g.unshown++
	fmt.Fprintf(b, "audiopreflight %s: %s: %s\n", level, title, strings.ReplaceAll(msg, "\n", " — "))
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
	var b strings.Builder
	g.annotate(&b, "error", "title="+escapeProperty(a.Findings[0].Name), a.Findings[0].Name, msg)
	_, err := io.WriteString(g.w, b.String())
	return err
}

func (g *githubRenderer) write(r *Result) error {
	var b strings.Builder
	file := ""
	if r.Source == SourceFile {
		file = "file=" + escapeProperty(r.Input) + ","
	}
	command := func(level, title, msg string) {
		g.annotate(&b, level, file+"title="+escapeProperty(title), title, r.Input+": "+msg)
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
	if g.unshown > 0 {
		line += fmt.Sprintf("\naudiopreflight: GitHub shows %d annotations of each kind per step: the first %d errors, warnings and notices are annotations, the %d others are the plain lines above (the job summary lists them all)",
			annotationsPerKind, annotationsPerKind, g.unshown)
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
