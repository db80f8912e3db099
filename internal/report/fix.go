package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/audiopreflight/audiopreflight/probe"
)

// FixFormats lists the output formats of `fix`.
var FixFormats = []string{"text", "json", "jsonl"}

// FixStatus is where one input of `fix` stands.
type FixStatus string

const (
	// FixFixed: the output was written, and check accepts it.
	FixFixed FixStatus = "fixed"
	// FixAccepted: the API accepts the input as it is; it was left alone.
	FixAccepted FixStatus = "accepted"
	// FixPlanned: --dry-run; the input would be fixed as the steps say.
	FixPlanned FixStatus = "planned"
	// FixNotFixed: the input could not be fixed (Reason says why).
	FixNotFixed FixStatus = "not-fixed"
	// FixError: the input could not be read.
	FixError FixStatus = "error"
)

// Fix methods, as FixResult.Method names them: fixplan's lossless paths,
// decoding here, or ffmpeg.
const (
	FixMethodOpusHeader = "opus-header"
	FixMethodOpusRemux  = "opus-remux"
	FixMethodWAVHeader  = "wav-header"
	FixMethodDecode     = "decode"
	FixMethodFFmpeg     = "ffmpeg"
)

// FixResult is one input of `fix`: what was wrong (check's result for
// it), what was done, the new file and check's result for that.
type FixResult struct {
	Input  string    `json:"input"`
	Source string    `json:"source"`
	Status FixStatus `json:"status"`
	// Before is check's result for the input; nil when it could not be
	// read.
	Before *Result `json:"before"`
	// Method is how the output is made (FixMethod*); "" when nothing is.
	Method string `json:"method,omitempty"`
	// Lossless says no audio was decoded: the output holds the input's
	// coded audio, byte for byte.
	Lossless bool     `json:"lossless"`
	Steps    []string `json:"steps"`
	Notes    []string `json:"notes"`
	// Output is the new file ("" when none was written or, for a dry run,
	// would be); Backup is where --in-place kept the original.
	Output string `json:"output,omitempty"`
	Backup string `json:"backup,omitempty"`
	// After is check's result for the new file.
	After *Result `json:"after"`
	// Reason says why the input was not fixed; Command, when set, is a
	// command line that would fix it (ffmpeg, when it is not on PATH).
	Reason  string `json:"reason,omitempty"`
	Command string `json:"command,omitempty"`
	// Error says why the input could not be read.
	Error string `json:"error,omitempty"`

	Elapsed time.Duration `json:"-"`
}

// FixRun describes a fix run: the head of the JSON output.
type FixRun struct {
	SchemaVersion  int    `json:"schema_version"`
	Request        string `json:"request"`
	Mode           string `json:"mode"`
	SyncLimitBytes int64  `json:"sync_limit_bytes"`
	// Format is the --format asked for: "auto", "wav" or "flac".
	Format             string  `json:"format"`
	DryRun             bool    `json:"dry_run"`
	InPlace            bool    `json:"in_place"`
	Force              bool    `json:"force"`
	MaxDurationSeconds float64 `json:"max_duration_seconds,omitempty"`
	// FFmpeg is the ffmpeg the run hands undecodable audio to; "" when
	// none.
	FFmpeg string `json:"ffmpeg"`
}

// FixSummary counts the results of a fix run.
type FixSummary struct {
	Total    int `json:"total"`
	Fixed    int `json:"fixed"`
	Accepted int `json:"accepted"`
	Planned  int `json:"planned"`
	NotFixed int `json:"not_fixed"`
	Errors   int `json:"errors"`
}

// Add counts one result.
func (s *FixSummary) Add(r *FixResult) {
	s.Total++
	switch r.Status {
	case FixFixed:
		s.Fixed++
	case FixAccepted:
		s.Accepted++
	case FixPlanned:
		s.Planned++
	case FixNotFixed:
		s.NotFixed++
	case FixError:
		s.Errors++
	}
}

// Failed reports whether some input was not fixed (exit status 1).
func (s FixSummary) Failed() bool { return s.NotFixed > 0 || s.Errors > 0 }

// fixJSON is a FixResult's JSON object, with the identities the output
// adds and check's result objects for the input and the output.
type fixJSON struct {
	SchemaVersion int           `json:"schema_version,omitempty"`
	Input         string        `json:"input"`
	InputBytes    string        `json:"input_bytes,omitempty"`
	InputID       string        `json:"input_id"`
	Source        string        `json:"source"`
	Status        FixStatus     `json:"status"`
	Before        *nestedResult `json:"before"`
	Method        string        `json:"method,omitempty"`
	Lossless      bool          `json:"lossless"`
	Steps         []string      `json:"steps"`
	Notes         []string      `json:"notes"`
	Output        string        `json:"output,omitempty"`
	OutputBytes   string        `json:"output_bytes,omitempty"`
	Backup        string        `json:"backup,omitempty"`
	After         *nestedResult `json:"after"`
	Reason        string        `json:"reason,omitempty"`
	Command       string        `json:"command,omitempty"`
	Error         string        `json:"error,omitempty"`
}

// FixOutput writes `fix` results through the one output path: every
// string of a result is redacted and, in text, escaped (display) before a
// renderer sees it. Text and JSONL stream; JSON is one document written at
// Flush.
type FixOutput struct {
	w       io.Writer
	format  string
	run     FixRun
	opts    Options
	show    shower
	results []fixJSON
	summary FixSummary
	wrote   bool
}

// NewFix returns the fix output for format, writing to w.
func NewFix(format string, w io.Writer, run FixRun, opts Options) (*FixOutput, error) {
	switch format {
	case "text", "json", "jsonl":
	default:
		return nil, fmt.Errorf("unknown output format %q", format)
	}
	o := &FixOutput{w: w, format: format, opts: opts, show: shower{policy: opts.Redact, escape: format == "text"}}
	run.SchemaVersion = SchemaVersion
	o.run = *display(&run, o.show.text)
	return o, nil
}

// Summary is the count of the results written so far.
func (o *FixOutput) Summary() FixSummary { return o.summary }

// Write writes (or, for JSON, keeps) one result.
func (o *FixOutput) Write(r *FixResult) error {
	o.summary.Add(r)
	j := o.object(r)
	switch o.format {
	case "json":
		o.results = append(o.results, j)
		return nil
	case "jsonl":
		j.SchemaVersion = SchemaVersion
		return encodeJSON(o.w, "", j)
	}
	return o.writeText(j)
}

// object is the display copy of r as its JSON object: every string through
// the shower, the names of the input and the output as names are shown.
func (o *FixOutput) object(r *FixResult) fixJSON {
	c := display(r, o.show.text)
	j := fixJSON{Source: c.Source, Status: c.Status, Method: c.Method, Lossless: c.Lossless, Steps: c.Steps, Notes: c.Notes,
		Backup: c.Backup, Reason: c.Reason, Command: c.Command, Error: c.Error}
	j.Input, j.InputID, j.InputBytes = o.show.input(r.Input, r.Source)
	if r.Output != "" {
		j.Output, _, j.OutputBytes = o.show.input(r.Output, SourceFile)
	}
	if r.Backup != "" {
		j.Backup, _, _ = o.show.input(r.Backup, SourceFile)
	}
	if j.Steps == nil {
		j.Steps = []string{}
	}
	if j.Notes == nil {
		j.Notes = []string{}
	}
	nested := func(orig, shown *Result) *nestedResult {
		if orig == nil {
			return nil
		}
		shown.Input, shown.InputID, shown.InputBytes = o.show.input(orig.Input, orig.Source)
		return &nestedResult{shown}
	}
	j.Before = nested(r.Before, c.Before)
	j.After = nested(r.After, c.After)
	return j
}

// Flush ends the output: the summary line (text) or the whole document
// (JSON).
func (o *FixOutput) Flush(elapsed time.Duration) error {
	switch o.format {
	case "json":
		results := o.results
		if results == nil {
			results = []fixJSON{}
		}
		return encodeJSON(o.w, "  ", struct {
			FixRun
			Results []fixJSON  `json:"results"`
			Summary FixSummary `json:"summary"`
		}{o.run, results, o.summary})
	case "jsonl":
		return nil
	}
	return o.writeSummary(elapsed)
}

// writeText writes one input: a line with a mark, the input, what became of
// it and the new file's audio, then what was wrong, what was done and what
// to know, indented.
func (o *FixOutput) writeText(r fixJSON) error {
	p := o.opts.Palette
	var b strings.Builder
	row := func(label, text string) { fmt.Fprintf(&b, "    %s %s\n", p.Dim(fmt.Sprintf("%-8s", label+":")), text) }
	switch r.Status {
	case FixError:
		fmt.Fprintf(&b, "%s %s  %s\n", p.Red("!"), r.Input, p.Red("could not read: "+r.Error))
	case FixAccepted:
		fmt.Fprintf(&b, "%s %s  %s%s\n", p.Green("✓"), r.Input, p.Green("accepted as it is: left alone (--force rewrites it)"), p.Dim(audioSummary(r.Before.audio())))
	case FixFixed:
		fmt.Fprintf(&b, "%s %s → %s  %s%s\n", p.Green("✓"), r.Input, p.Bold(r.Output), p.Green("fixed, accepted"), p.Dim(audioSummary(r.After.audio())))
	case FixPlanned:
		fmt.Fprintf(&b, "%s %s → %s  %s\n", p.Cyan("→"), r.Input, p.Bold(r.Output), p.Cyan("would be fixed (dry run)"))
	default:
		fmt.Fprintf(&b, "%s %s  %s\n", p.Red("✗"), r.Input, p.Red("not fixed: "+r.Reason))
	}
	if r.Before.verdict() {
		for i, f := range r.Before.Findings {
			was := f.Name
			if f.Detail != "" {
				was += " (" + f.Detail + ")"
			}
			if i == 0 {
				row("was", p.Red(f.Name)+strings.TrimPrefix(was, f.Name))
			} else {
				row("also", was)
			}
		}
	}
	if len(r.Steps) > 0 {
		label := "done"
		switch r.Status {
		case FixPlanned:
			label = "plan"
		case FixNotFixed:
			label = "tried"
		}
		row(label, methodWords(r.Method, r.Lossless)+": "+strings.Join(r.Steps, "; "))
	}
	for _, n := range r.Notes {
		row("note", p.Yellow(n))
	}
	if r.Backup != "" {
		row("kept", "the original as "+r.Backup)
	}
	if r.Status == FixNotFixed && r.After.verdict() && r.After.Exception != nil {
		row("output", "check answers "+r.After.Exception.Name+" for it; it was not kept")
	}
	if r.Command != "" {
		row("run", r.Command)
	}
	o.wrote = true
	_, err := io.WriteString(o.w, b.String())
	return err
}

// methodWords says what kind of fix the steps are.
func methodWords(method string, lossless bool) string {
	switch {
	case lossless && method == FixMethodOpusRemux:
		return "remux, lossless"
	case lossless:
		return "header rewrite, lossless"
	case method == FixMethodFFmpeg:
		return "converted by ffmpeg"
	}
	return "decoded and re-encoded"
}

// writeSummary writes the run's last line.
func (o *FixOutput) writeSummary(elapsed time.Duration) error {
	p := o.opts.Palette
	s := o.summary
	parts := []string{}
	if o.run.DryRun {
		parts = append(parts, p.Cyan(fmt.Sprintf("%d would be fixed", s.Planned)))
	} else {
		parts = append(parts, p.Green(fmt.Sprintf("%d fixed", s.Fixed)))
	}
	parts = append(parts, fmt.Sprintf("%d accepted as they are", s.Accepted),
		colourIf(s.NotFixed > 0, p.Red, fmt.Sprintf("%d not fixed", s.NotFixed)))
	if s.Errors > 0 {
		parts = append(parts, p.Red(fmt.Sprintf("%d could not be read", s.Errors)))
	}
	mode := o.run.Request
	if mode == "unscripted" {
		mode += ", " + o.run.Mode
	}
	if o.run.DryRun {
		mode += ", dry run"
	}
	line := fmt.Sprintf("%s: %s (%s, %.2f s)", count(s.Total, "input", "inputs"), strings.Join(parts, ", "), mode, elapsed.Seconds())
	if o.wrote {
		line = "\n" + line
	}
	_, err := fmt.Fprintln(o.w, line)
	return err
}

// nestedResult is check's result inside another object: its JSON object
// without the schema version, which the enclosing object carries.
type nestedResult struct{ *Result }

func (r nestedResult) MarshalJSON() ([]byte, error) {
	line, err := r.Result.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return withoutSchemaVersion(line), nil
}

// verdict reports whether the result has a verdict (it is no error).
func (r *nestedResult) verdict() bool { return r != nil && r.Status != StatusError }

// audio is the audio of a result object, nil for an error result.
func (r *nestedResult) audio() *probe.Info {
	if !r.verdict() {
		return nil
	}
	return r.Audio
}
