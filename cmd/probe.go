package cmd

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/inputs"
	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/report"
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
	ShowSecrets      bool

	Inputs []string
}

func newProbeCmd(a *app) *cobra.Command {
	opts := &ProbeOptions{}
	c := &cobra.Command{
		Use:   "probe [flags] INPUT...",
		Short: "Show what the audio is, as the API's audio reader sees it (like ffprobe)",
		Long: `Show what each input is as the API's audio reader (libsndfile 1.2) sees it:
container, codec, sample rate — for Ogg-Opus both the header's input rate and
the rate the API sees —, channels, bits, frames, duration, size and the
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
			opts.NoColor = a.global.NoColor
			return runProbe(a, opts)
		},
	}
	f := c.Flags()
	enumFlag(c, &opts.Output, "output", "o", "text", "output format", report.ProbeFormats...)
	boolFlag(f, &opts.Base64, "base64", "", "each input holds the base64 text of an audio_data field")
	f.StringVar(&opts.FilesFrom, "files-from", "", "read input names from FILE, or - for standard input, one a line")
	boolFlag(f, &opts.Null, "null", "0", "names in --files-from are separated by NUL (find -print0)")
	globsVar(f, &opts.Include, "include", "in directories, probe the files matching this glob (repeatable)")
	globsVar(f, &opts.Exclude, "exclude", "in directories, skip the files matching this glob (repeatable)")
	boolFlag(f, &opts.AllowPrivateURLs, "allow-private-urls", "", "download URLs on loopback, private and link-local hosts too (the API never does)")
	opts.Timeout = 30 * time.Second
	f.Var((*positiveDuration)(&opts.Timeout), "timeout", "how long one URL's download may take")
	boolFlag(f, &opts.ShowSecrets, "show-secrets", "", "show URLs' passwords and signatures in full in the output")
	return c
}

func runProbe(a *app, opts *ProbeOptions) error {
	policy := redact.Policy{Show: opts.ShowSecrets}
	out := newResultStream(a.out, nil)
	defer out.Flush()
	output, err := report.NewProbe(opts.Output, out, report.Options{Palette: a.palette(a.out, opts.NoColor), Redact: policy})
	if err != nil {
		return err
	}
	expanded, err := inputs.Expand(opts.Inputs, inputs.Options{
		Include: opts.Include, Exclude: opts.Exclude, FilesFrom: opts.FilesFrom, Null: opts.Null, Stdin: a.in,
		Warn: warnTo(a.errOut),
	})
	if err != nil {
		return &usageError{err: err, cmdPath: "audiopreflight probe"}
	}
	client := newRemoteClient(remote.Options{AllowPrivate: opts.AllowPrivateURLs, Timeout: opts.Timeout, MaxSize: check.DefaultMaxInputSize})
	defer client.CloseIdleConnections()
	checker := &check.Checker{Base64: opts.Base64, Stdin: a.in, Remote: client}
	failed := false
	for _, t := range toTargets(expanded) {
		r := &report.ProbeResult{Input: t.Name, Source: t.Source}
		info, download, err := checker.Inspect(context.Background(), t)
		switch {
		case err != nil:
			r.Error = err.Error()
		case download != nil:
			r.Error = "the API could not download it: " + download.Detail
		default:
			r.Audio = info
		}
		failed = failed || r.Error != ""
		if err := output.Write(r); err != nil {
			return err
		}
		if err := out.Flush(); err != nil {
			return err
		}
	}
	if err := output.Flush(); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if failed {
		return &exitError{code: ExitError}
	}
	return nil
}
