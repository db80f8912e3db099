package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/audiopreflight/audiopreflight/probe"
)

// textRenderer writes one line per input — ✓ or ✗, the input, the verdict
// and its message — with the other findings, warnings and hint indented
// under it, and a summary line at the end.
type textRenderer struct {
	w    io.Writer
	opts Options
}

func (t *textRenderer) Write(r *Result) error {
	if !t.opts.shown(r) {
		return nil
	}
	p := t.opts.Palette
	var b strings.Builder
	switch {
	case r.Error != "":
		fmt.Fprintf(&b, "%s %s  %s\n", p.Red("!"), r.Input, p.Red("could not check: "+r.Error))
	case r.Accepted:
		mark, verdict := p.Green("✓"), p.Green("accepted")
		if r.Failed(t.opts.Run.Strict) {
			mark, verdict = p.Yellow("✗"), p.Yellow("accepted by the server, failed by --strict (warnings)")
		}
		fmt.Fprintf(&b, "%s %s  %s%s\n", mark, r.Input, verdict, p.Dim(audioSummary(r.Audio)))
	default:
		e := r.Exception
		fmt.Fprintf(&b, "%s %s  %s: %s\n", p.Red("✗"), r.Input, p.Bold(p.Red(e.Name)), e.Message)
		if e.Detail != "" {
			fmt.Fprintf(&b, "    %s %s\n", p.Dim("why:    "), e.Detail)
		}
		for _, f := range r.Findings[1:] {
			line := f.Name + ": " + f.Message
			if f.Detail != "" {
				line += " (" + f.Detail + ")"
			}
			fmt.Fprintf(&b, "    %s %s\n", p.Dim("also:   "), line)
		}
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "    %s %s\n", p.Yellow("warning:"), w)
	}
	if len(r.Undecided) > 0 {
		fmt.Fprintf(&b, "    %s %s not checked (--header-only reads the headers only)\n", p.Dim("note:   "), strings.Join(r.Undecided, ", "))
	}
	if r.Hint != "" {
		fmt.Fprintf(&b, "    %s %s\n", p.Cyan("hint:   "), r.Hint)
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// audioSummary is " · wav pcm_s16le · 16000 Hz · 1 ch · 2.500 s".
func audioSummary(a *probe.Info) string {
	if a == nil || !a.Opens {
		return ""
	}
	parts := []string{strings.TrimSpace(a.Container + " " + a.Codec), fmt.Sprintf("%d Hz", a.SampleRate), fmt.Sprintf("%d ch", a.Channels)}
	if !a.LengthUnknown && a.SampleRate > 0 {
		parts = append(parts, fmt.Sprintf("%.3f s", a.Duration()))
	}
	return "  · " + strings.Join(parts, " · ")
}

func (t *textRenderer) Flush(s Summary, elapsed time.Duration) error {
	if t.opts.Quiet && s.Rejected == 0 && s.Errors == 0 {
		return nil
	}
	p := t.opts.Palette
	line := fmt.Sprintf("%d %s: %s accepted, %s rejected", s.Total, plural(s.Total, "input", "inputs"),
		p.Green(fmt.Sprint(s.Accepted)), colourIf(s.Rejected > 0, p.Red, fmt.Sprint(s.Rejected)))
	if s.Errors > 0 {
		line += ", " + p.Red(fmt.Sprintf("%d could not be checked", s.Errors))
	}
	if s.Warned > 0 {
		line += fmt.Sprintf(", %d with warnings", s.Warned)
	}
	line += " (" + t.opts.Run.Request
	if t.opts.Run.Request == "unscripted" {
		line += ", " + t.opts.Run.Mode
	}
	if t.opts.Run.HeaderOnly {
		line += ", header only"
	}
	line += fmt.Sprintf(", %.2f s)", elapsed.Seconds())
	_, err := fmt.Fprintf(t.w, "\n%s\n", line)
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func colourIf(cond bool, paint func(string) string, s string) string {
	if cond {
		return paint(s)
	}
	return s
}
