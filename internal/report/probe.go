package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/audiopreflight/audiopreflight/probe"
)

// ProbeFormats lists the output formats of `probe`.
var ProbeFormats = []string{"text", "json"}

// ProbeResult is one input of `probe`: what the audio is, or why it could
// not be read.
type ProbeResult struct {
	Input  string
	Source string
	Audio  *probe.Info
	Error  string
}

// probeJSON is an element of `probe -o json`'s "results".
type probeJSON struct {
	Input      string      `json:"input"`
	InputBytes string      `json:"input_bytes,omitempty"`
	InputID    string      `json:"input_id"`
	Source     string      `json:"source"`
	Audio      *probe.Info `json:"audio,omitempty"`
	Error      string      `json:"error,omitempty"`
}

// ProbeOutput writes `probe` results through the same path as check's
// Output: every string redacted and, in text, escaped before it is
// printed. Text streams; JSON is one document written at Flush.
type ProbeOutput struct {
	w       io.Writer
	json    bool
	opts    Options
	show    shower
	results []probeJSON
	n       int
}

// NewProbe returns the probe output for format, writing to w.
func NewProbe(format string, w io.Writer, opts Options) (*ProbeOutput, error) {
	switch format {
	case "text", "json":
	default:
		return nil, fmt.Errorf("unknown output format %q", format)
	}
	isJSON := format == "json"
	return &ProbeOutput{w: w, json: isJSON, opts: opts, show: shower{policy: opts.Redact, escape: !isJSON}}, nil
}

// Write writes (or, for JSON, keeps) one result.
func (o *ProbeOutput) Write(r *ProbeResult) error {
	c := display(r, o.show.text)
	var j probeJSON
	j.Input, j.InputID, j.InputBytes = o.show.input(r.Input, r.Source)
	j.Source, j.Audio, j.Error = c.Source, c.Audio, c.Error
	if o.json {
		o.results = append(o.results, j)
		return nil
	}
	o.n++
	return o.writeText(j, o.n == 1)
}

// Flush ends the output.
func (o *ProbeOutput) Flush() error {
	if !o.json {
		return nil
	}
	results := o.results
	if results == nil {
		results = []probeJSON{}
	}
	return encodeJSON(o.w, "  ", struct {
		SchemaVersion int         `json:"schema_version"`
		Results       []probeJSON `json:"results"`
	}{SchemaVersion, results})
}

// writeText writes one input as a block of "key: value" rows.
func (o *ProbeOutput) writeText(r probeJSON, first bool) error {
	p := o.opts.Palette
	var b strings.Builder
	if !first {
		b.WriteString("\n")
	}
	b.WriteString(p.Bold(r.Input) + "\n")
	if r.Error != "" || r.Audio == nil {
		fmt.Fprintf(&b, "  %s\n", p.Red("error: "+r.Error))
		_, err := io.WriteString(o.w, b.String())
		return err
	}
	a := r.Audio
	row := func(k, v string) { fmt.Fprintf(&b, "  %-10s %s\n", k+":", v) }
	container := a.Container
	if a.Variant != "" {
		container += " (" + a.Variant + ")"
	}
	row("container", container)
	if a.Codec != "" {
		row("codec", a.Codec)
	}
	if a.Opens {
		row("opens", fmt.Sprintf("yes (libsndfile %s, %s)", a.SndfileFormat, a.SndfileSubtype))
	} else {
		row("opens", p.Red("no: "+a.OpenError))
	}
	if a.SampleRate > 0 {
		rate := fmt.Sprintf("%d Hz", a.SampleRate)
		if a.InputSampleRate != 0 && a.InputSampleRate != a.SampleRate {
			rate += fmt.Sprintf(" as the API sees it (the header's input rate is %d Hz)", a.InputSampleRate)
		}
		row("rate", rate)
	}
	if a.Channels > 0 {
		row("channels", fmt.Sprint(a.Channels))
	}
	if a.BitsPerSample > 0 {
		row("bits", fmt.Sprint(a.BitsPerSample))
	}
	if a.Opens {
		if a.LengthUnknown {
			row("frames", "unknown (the header does not give the length)")
		} else {
			row("frames", fmt.Sprint(a.Frames))
			row("duration", fmt.Sprintf("%.3f s", a.Duration()))
		}
	}
	row("size", fmt.Sprintf("%d bytes", a.Size))
	for _, kind := range partKinds(a.Parts) {
		var parts []string
		for _, pt := range a.Parts {
			if pt.Kind != kind {
				continue
			}
			s := fmt.Sprintf("%s@%d(%d)", strings.TrimSpace(pt.ID), pt.Offset, pt.Size)
			if pt.Note != "" {
				s += " " + pt.Note
			}
			parts = append(parts, s)
		}
		row(partLabel(kind), strings.Join(parts, " · "))
	}
	for _, warn := range a.Warnings {
		row("warning", p.Yellow(warn))
	}
	_, err := io.WriteString(o.w, b.String())
	return err
}

// partKinds lists the kinds of parts in order of first appearance.
func partKinds(parts []probe.Part) []string {
	var kinds []string
	seen := map[string]bool{}
	for _, p := range parts {
		if !seen[p.Kind] {
			seen[p.Kind] = true
			kinds = append(kinds, p.Kind)
		}
	}
	return kinds
}

func partLabel(kind string) string {
	switch kind {
	case "metadata":
		return "metadata"
	case "":
		return "parts"
	}
	return kind + "s"
}
