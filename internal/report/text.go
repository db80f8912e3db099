package report

import (
	"fmt"
	"io"
	"strconv"
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
	// buf and audio are reused from one input to the next.
	buf, audio []byte
}

// undecidedNote says why steps were left undecided.
const undecidedNote = "not checked (--header-only reads the headers only)"

func (t *textRenderer) begin() error {
	a := t.opts.Run.Auth
	if a == nil || len(a.Findings) == 0 && t.opts.Quiet {
		return nil
	}
	p := t.opts.Palette
	var b []byte
	if len(a.Findings) == 0 {
		b = appendStrings(b, p.Green("✓"), " ", authLabel, "  ", p.Green("accepted"), "\n")
	} else {
		b = t.findings(b, p.Red("✗")+" "+authLabel+"  ", a.Findings)
		b = appendStrings(b, "    ", p.Dim("note:   "), " the API answers this for every input below, before it reads the audio\n")
		if a.Hint != "" {
			b = appendStrings(b, "    ", p.Cyan("hint:   "), " ", a.Hint, "\n")
		}
	}
	t.wrote = true
	_, err := t.w.Write(b)
	return err
}

// authLabel stands in the input column for the Authorization header.
const authLabel = "the Authorization header"

func (t *textRenderer) write(r *Result) error {
	p := t.opts.Palette
	strict := t.opts.Run.Strict
	// One buffer for every input's lines, appended to without fmt: a
	// header check of a small file spent more on formatting its line
	// (Fprintf's boxing, the summary's Sprintfs) than on its header.
	b := t.buf[:0]
	t.audio = appendAudioSummary(t.audio[:0], r.Audio)
	audio := t.audio
	if p.Enabled() && len(audio) > 0 {
		audio = []byte(p.Dim(string(audio)))
	}
	switch {
	case r.Status == StatusError:
		b = appendStrings(b, p.Red("!"), " ", r.Input, "  ", p.Red("could not check: "+r.Error), "\n")
	case r.Status == StatusAccepted:
		mark, verdict := p.Green("✓"), p.Green("accepted")
		if r.Failed(strict) {
			mark, verdict = p.Yellow("✗"), p.Yellow("accepted by the API, failed by --strict (warnings)")
		}
		b = appendStrings(b, mark, " ", r.Input, "  ", verdict)
		b = append(append(b, audio...), '\n')
	case r.Status == StatusUndecided:
		mark, verdict := p.Yellow("?"), "undecided"
		if r.Failed(strict) {
			mark, verdict = p.Red("?"), "undecided, failed by --strict"
		}
		b = appendStrings(b, mark, " ", r.Input, "  ", p.Yellow(verdict), ": ")
		b = appendUndecided(b, r.Undecided)
		b = append(append(b, audio...), '\n')
	case r.Status == StatusIgnored:
		b = appendStrings(b, p.Dim("~"), " ", r.Input, "  ", p.Yellow("ignored"), " ", p.Bold(r.Exception.Name), ": ", r.Exception.Message)
		b = append(append(b, audio...), '\n')
		b = appendStrings(b, "    ", p.Dim("ignored:"), " ", r.Ignored.Reason, " (", r.Ignored.By, ")\n")
	case t.opts.Run.Auth != nil && r.AuthFailed():
		// The header's finding was shown once, above; here, what the
		// audio itself would get.
		b = appendStrings(b, p.Red("✗"), " ", r.Input, "  ", p.Bold(p.Red(r.Exception.Name)), " (", authLabel, ", above)")
		b = append(append(b, audio...), '\n')
		switch af := r.AudioFindings(); {
		case len(af) > 0:
			b = t.findings(b, "    "+p.Dim("audio:  ")+" ", af)
		case len(r.Undecided) > 0:
			b = appendStrings(b, "    ", p.Dim("audio:  "), " undecided: ")
			b = append(appendUndecided(b, r.Undecided), '\n')
		default:
			b = appendStrings(b, "    ", p.Dim("audio:  "), " accepted\n")
		}
	default:
		b = t.findings(b, p.Red("✗")+" "+r.Input+"  ", r.Findings)
	}
	for _, w := range r.Warnings {
		b = appendStrings(b, "    ", p.Yellow("warning:"), " ", w, "\n")
	}
	if r.Status == StatusRejected && len(r.Undecided) > 0 && len(r.AudioFindings()) > 0 {
		b = appendStrings(b, "    ", p.Dim("note:   "), " ")
		b = append(appendUndecided(b, r.Undecided), '\n')
	}
	if r.Hint != "" {
		b = appendStrings(b, "    ", p.Cyan("hint:   "), " ", r.Hint, "\n")
	}
	t.buf = b
	t.wrote = true
	_, err := t.w.Write(b)
	return err
}

func appendStrings(b []byte, parts ...string) []byte {
	for _, s := range parts {
		b = append(b, s...)
	}
	return b
}

// appendUndecided is "steps, listed, not checked (--header-only ...)".
func appendUndecided(b []byte, steps []string) []byte {
	return appendStrings(appendJoined(b, steps, ", "), " ", undecidedNote)
}

func appendJoined(b []byte, list []string, sep string) []byte {
	for i, s := range list {
		if i > 0 {
			b = append(b, sep...)
		}
		b = append(b, s...)
	}
	return b
}

// findings writes head followed by the first finding's "Name: message",
// then its detail and the other findings indented under it.
func (t *textRenderer) findings(b []byte, head string, fs []*Exception) []byte {
	p := t.opts.Palette
	e := fs[0]
	b = appendStrings(b, head, p.Bold(p.Red(e.Name)), ": ", e.Message, "\n")
	if e.Detail != "" {
		b = appendStrings(b, "    ", p.Dim("why:    "), " ", e.Detail, "\n")
	}
	for _, f := range fs[1:] {
		b = appendStrings(b, "    ", p.Dim("also:   "), " ")
		b = appendFindingLine(b, f)
		b = append(b, '\n')
	}
	return b
}

// findingLine is "Name: message (detail)".
func findingLine(f *Exception) string { return string(appendFindingLine(nil, f)) }

func appendFindingLine(b []byte, f *Exception) []byte {
	b = appendStrings(b, f.Name, ": ", f.Message)
	if f.Detail != "" {
		b = appendStrings(b, " (", f.Detail, ")")
	}
	return b
}

// audioSummary is " · wav pcm_s16le · 16000 Hz · 1 ch · 2.500 s".
func audioSummary(a *probe.Info) string { return string(appendAudioSummary(nil, a)) }

func appendAudioSummary(b []byte, a *probe.Info) []byte {
	if a == nil || !a.Opens {
		return b
	}
	b = append(b, "  · "...)
	b = append(b, strings.TrimSpace(a.Container+" "+a.Codec)...)
	b = append(strconv.AppendInt(append(b, " · "...), int64(a.SampleRate), 10), " Hz"...)
	b = append(strconv.AppendInt(append(b, " · "...), int64(a.Channels), 10), " ch"...)
	if !a.LengthUnknown && a.SampleRate > 0 {
		b = append(strconv.AppendFloat(append(b, " · "...), a.Duration(), 'f', 3, 64), " s"...)
	}
	return b
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
