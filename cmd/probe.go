package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/inputs"
	"github.com/audiopreflight/audiopreflight/probe"
)

// ProbeOptions are the flags of `audiopreflight probe`.
type ProbeOptions struct {
	Output    string
	Base64    bool
	FilesFrom string
	Null      bool
	NoColor   bool
	Include   []string
	Exclude   []string

	AllowPrivateURLs bool
	Timeout          time.Duration

	Inputs []string
}

func newProbeCmd(a *app) *cobra.Command {
	opts := &ProbeOptions{}
	c := &cobra.Command{
		Use:   "probe [flags] INPUT...",
		Short: "Show what the audio is, as the API's audio reader sees it (like ffprobe)",
		Long: `Show what each input is as the API's audio reader (libsndfile 1.2) sees it:
container, codec, sample rate — for Ogg-Opus both the header's input rate and
the rate the server sees —, channels, bits, frames, duration, size and the
chunks, metadata blocks or streams it is made of. Headers only; no verdict
(audiopreflight check gives that).

INPUT is a file, a directory (walked recursively), a quoted glob, an http(s)
URL, or - for standard input. Exit status: 0, or 2 when an input could not be read.`,
		Example: `  audiopreflight probe recording.opus
  audiopreflight probe -o json uploads/ | jq '.results[].audio.sample_rate'`,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Inputs = args
			if len(args) == 0 && opts.FilesFrom == "" {
				return usageErrorf(c, "probe: give at least one INPUT (a file, a directory, a glob, or - for standard input)")
			}
			return runProbe(a, opts)
		},
	}
	f := c.Flags()
	enumFlag(c, &opts.Output, "output", "o", "text", "output format", "text", "json")
	f.BoolVar(&opts.Base64, "base64", false, "each input holds the base64 text of an audio_data field")
	f.StringVar(&opts.FilesFrom, "files-from", "", "read input names from FILE, or - for standard input, one a line")
	f.BoolVarP(&opts.Null, "null", "0", false, "names in --files-from are separated by NUL (find -print0)")
	f.BoolVar(&opts.NoColor, "no-color", false, "do not colour the output (also NO_COLOR)")
	f.StringArrayVar(&opts.Include, "include", nil, "in directories, probe the files matching this glob (repeatable)")
	f.StringArrayVar(&opts.Exclude, "exclude", nil, "in directories, skip the files matching this glob (repeatable)")
	f.BoolVar(&opts.AllowPrivateURLs, "allow-private-urls", false, "download URLs on loopback, private and link-local hosts too (the server never does)")
	f.DurationVar(&opts.Timeout, "timeout", 30*time.Second, "how long one URL's download may take")
	return c
}

// probeResult is one element of `probe -o json`'s "results".
type probeResult struct {
	Input  string      `json:"input"`
	Source string      `json:"source"`
	Audio  *probe.Info `json:"audio,omitempty"`
	Error  string      `json:"error,omitempty"`
}

func runProbe(a *app, opts *ProbeOptions) error {
	expanded, err := inputs.Expand(opts.Inputs, inputs.Options{
		Include: opts.Include, Exclude: opts.Exclude, FilesFrom: opts.FilesFrom, Null: opts.Null, Stdin: a.in,
	})
	if err != nil {
		return &usageError{err: err, cmdPath: "audiopreflight probe"}
	}
	client := newRemoteClient(opts.AllowPrivateURLs, opts.Timeout)
	defer client.CloseIdleConnections()
	checker := &check.Checker{Base64: opts.Base64, Stdin: a.in, Remote: client}
	var results []probeResult
	failed := false
	for _, t := range toTargets(expanded) {
		r := probeResult{Input: t.Name, Source: t.Source}
		info, download, err := checker.Inspect(context.Background(), t)
		switch {
		case err != nil:
			r.Error = err.Error()
		case download != nil:
			r.Error = "the server could not download it: " + download.Detail
		default:
			r.Audio = info
		}
		failed = failed || r.Error != ""
		results = append(results, r)
	}
	if opts.Output == "json" {
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(struct {
			Results []probeResult `json:"results"`
		}{results})
	} else {
		err = writeProbeText(a.out, results, a.palette(a.out, opts.NoColor))
	}
	if err != nil {
		return err
	}
	if failed {
		return &exitError{code: ExitError}
	}
	return nil
}

func writeProbeText(w io.Writer, results []probeResult, p interface {
	Bold(string) string
	Red(string) string
	Yellow(string) string
}) error {
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, p.Bold(r.Input))
		if r.Error != "" {
			fmt.Fprintf(w, "  %s\n", p.Red("error: "+r.Error))
			continue
		}
		a := r.Audio
		row := func(k, v string) { fmt.Fprintf(w, "  %-10s %s\n", k+":", v) }
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
				rate += fmt.Sprintf(" as the server sees it (the header's input rate is %d Hz)", a.InputSampleRate)
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
	}
	return nil
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
