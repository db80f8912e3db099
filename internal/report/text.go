package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/audiopreflight/audiopreflight/probe"
)

// textRenderer writes one line per input — a mark (✓ accepted, ✗
// rejected, ~ rejected but ignored, ? undecided, ! could not be checked), the input, the verdict
// and its message — with the other findings, warnings and hint indented
// under it, and a summary line at the end. With --check-auth the
// Authorization header's check comes first, once.
type textRenderer struct {
	w     io.Writer
	opts  Options
	wrote bool // something was written before the summary
}

// undecidedNote says why steps were left undecided.
const undecidedNote = "not checked (--header-only reads the headers only)"

func (t *textRenderer) begin() error {
	a := t.opts.Run.Auth
	if a == nil || len(a.Findings) == 0 && t.opts.Quiet {
		return nil
	}
	p := t.opts.Palette
	var b strings.Builder
	if len(a.Findings) == 0 {
		fmt.Fprintf(&b, "%s %s  %s\n", p.Green("✓"), authLabel, p.Green("accepted"))
	} else {
		t.findings(&b, p.Red("✗")+" "+authLabel+"  ", a.Findings)
		fmt.Fprintf(&b, "    %s the API answers this for every input below, before it reads the audio\n", p.Dim("note:   "))
		if a.Hint != "" {
			fmt.Fprintf(&b, "    %s %s\n", p.Cyan("hint:   "), a.Hint)
		}
	}
	t.wrote = true
	_, err := io.WriteString(t.w, b.String())
	return err
}

// authLabel stands in the input column for the Authorization header.
const authLabel = "the Authorization header"

func (t *textRenderer) write(r *Result) error {
	p := t.opts.Palette
	strict := t.opts.Run.Strict
	var b strings.Builder
	audio := p.Dim(audioSummary(r.Audio))
	switch {
	case r.Status == StatusError:
		fmt.Fprintf(&b, "%s %s  %s\n", p.Red("!"), r.Input, p.Red("could not check: "+r.Error))
	case r.Status == StatusAccepted:
		mark, verdict := p.Green("✓"), p.Green("accepted")
		if r.Failed(strict) {
			mark, verdict = p.Yellow("✗"), p.Yellow("accepted by the API, failed by --strict (warnings)")
		}
		fmt.Fprintf(&b, "%s %s  %s%s\n", mark, r.Input, verdict, audio)
	case r.Status == StatusUndecided:
		mark, verdict := p.Yellow("?"), "undecided"
		if r.Failed(strict) {
			mark, verdict = p.Red("?"), "undecided, failed by --strict"
		}
		fmt.Fprintf(&b, "%s %s  %s: %s %s%s\n", mark, r.Input, p.Yellow(verdict), strings.Join(r.Undecided, ", "), undecidedNote, audio)
	case r.Status == StatusIgnored:
		fmt.Fprintf(&b, "%s %s  %s %s: %s%s\n", p.Dim("~"), r.Input, p.Yellow("ignored"), p.Bold(r.Exception.Name), r.Exception.Message, audio)
		fmt.Fprintf(&b, "    %s %s (%s)\n", p.Dim("ignored:"), r.Ignored.Reason, r.Ignored.By)
	case t.opts.Run.Auth != nil && r.AuthFailed():
		// The header's finding was shown once, above; here, what the
		// audio itself would get.
		fmt.Fprintf(&b, "%s %s  %s (%s, above)%s\n", p.Red("✗"), r.Input, p.Bold(p.Red(r.Exception.Name)), authLabel, audio)
		switch af := r.AudioFindings(); {
		case len(af) > 0:
			t.findings(&b, "    "+p.Dim("audio:  ")+" ", af)
		case len(r.Undecided) > 0:
			fmt.Fprintf(&b, "    %s undecided: %s %s\n", p.Dim("audio:  "), strings.Join(r.Undecided, ", "), undecidedNote)
		default:
			fmt.Fprintf(&b, "    %s accepted\n", p.Dim("audio:  "))
		}
	default:
		t.findings(&b, p.Red("✗")+" "+r.Input+"  ", r.Findings)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "    %s %s\n", p.Yellow("warning:"), w)
	}
	if r.Status == StatusRejected && len(r.Undecided) > 0 && len(r.AudioFindings()) > 0 {
		fmt.Fprintf(&b, "    %s %s %s\n", p.Dim("note:   "), strings.Join(r.Undecided, ", "), undecidedNote)
	}
	if r.Hint != "" {
		fmt.Fprintf(&b, "    %s %s\n", p.Cyan("hint:   "), r.Hint)
	}
	t.wrote = true
	_, err := io.WriteString(t.w, b.String())
	return err
}

// findings writes head followed by the first finding's "Name: message",
// then its detail and the other findings indented under it.
func (t *textRenderer) findings(b *strings.Builder, head string, fs []*Exception) {
	p := t.opts.Palette
	e := fs[0]
	fmt.Fprintf(b, "%s%s: %s\n", head, p.Bold(p.Red(e.Name)), e.Message)
	if e.Detail != "" {
		fmt.Fprintf(b, "    %s %s\n", p.Dim("why:    "), e.Detail)
	}
	for _, f := range fs[1:] {
		fmt.Fprintf(b, "    %s %s\n", p.Dim("also:   "), findingLine(f))
	}
}

// findingLine is "Name: message (detail)".
func findingLine(f *Exception) string {
	line := f.Name + ": " + f.Message
	if f.Detail != "" {
		line += " (" + f.Detail + ")"
	}
	return line
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

// flush writes the summary line. It is always written, -q or not, to the
// same stream as the results.
func (t *textRenderer) flush(s Summary, elapsed time.Duration) error {
	p := t.opts.Palette
	line := fmt.Sprintf("%s: %s accepted, %s rejected", count(s.Total, "input", "inputs"),
		p.Green(fmt.Sprint(s.Accepted)), colourIf(s.Rejected > 0, p.Red, fmt.Sprint(s.Rejected)))
	if s.Ignored > 0 {
		line += fmt.Sprintf(", %d ignored", s.Ignored)
	}
	if s.Undecided > 0 {
		line += ", " + colourIf(t.opts.Run.Strict, p.Red, fmt.Sprintf("%d undecided", s.Undecided))
	}
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
	if t.wrote {
		line = "\n" + line
	}
	_, err := fmt.Fprintf(t.w, "%s\n", line)
	return err
}

// count is "1 input", "2 inputs".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func colourIf(cond bool, paint func(string) string, s string) string {
	if cond {
		return paint(s)
	}
	return s
}
