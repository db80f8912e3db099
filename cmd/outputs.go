package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/report"
)

// outputsValue is check's -o: repeatable, each FORMAT (standard output)
// or FORMAT=PATH (a file); at most one goes to standard output. The first
// -o replaces the default (text).
type outputsValue struct {
	list    *[]string
	changed bool
}

func newOutputs(p *[]string) *outputsValue {
	*p = []string{"text"}
	return &outputsValue{list: p}
}

func (o *outputsValue) Set(s string) error {
	if err := checkOutput(s); err != nil {
		return err
	}
	if !o.changed {
		*o.list, o.changed = nil, true
	}
	*o.list = append(*o.list, s)
	return checkOutputs(*o.list)
}

func (o *outputsValue) String() string { return strings.Join(*o.list, ",") }
func (o *outputsValue) Type() string   { return "stringArray" }

// pflag.SliceValue: a list in the config file sets each.
func (o *outputsValue) Append(s string) error { return o.Set(s) }
func (o *outputsValue) Replace(list []string) error {
	o.changed = false
	for _, s := range list {
		if err := o.Set(s); err != nil {
			return err
		}
	}
	return nil
}
func (o *outputsValue) GetSlice() []string { return slices.Clone(*o.list) }

// checkOutput checks one FORMAT or FORMAT=PATH.
func checkOutput(s string) error {
	format, path, hasPath := strings.Cut(s, "=")
	if !slices.Contains(report.Formats, format) {
		return fmt.Errorf("must be FORMAT or FORMAT=PATH, FORMAT one of %s", strings.Join(report.Formats, ", "))
	}
	if hasPath && path == "" {
		return fmt.Errorf("%s=: give a file after =, or - for standard output", format)
	}
	return nil
}

// checkOutputs checks the list together: one output to standard output at
// most, and no file twice.
func checkOutputs(list []string) error {
	stdout := 0
	seen := map[string]bool{}
	for _, s := range list {
		_, path, _ := strings.Cut(s, "=")
		if path == "" || path == "-" {
			stdout++
			continue
		}
		if seen[path] {
			return fmt.Errorf("%s is written by two outputs", path)
		}
		seen[path] = true
	}
	if stdout > 1 {
		return errors.New("at most one output goes to standard output: give the others a file (FORMAT=PATH)")
	}
	return nil
}

// openOutputs makes the run's outputs: each -o, and, in a GitHub Actions
// job with -o github, the markdown summary appended to
// $GITHUB_STEP_SUMMARY (unless an -o writes there already). Files are
// created before the run, so a path that cannot be written fails it
// before anything is checked. close flushes and closes the files.
func (a *app) openOutputs(opts *CheckOptions, stdout io.Writer, ropts report.Options, secrets *redact.Secrets) (report.Multi, func() error, error) {
	var outs report.Multi
	var files []*os.File
	var streams []*resultStream
	closeAll := func() error {
		var first error
		for _, s := range streams {
			if err := s.Flush(); err != nil && first == nil {
				first = err
			}
		}
		for _, f := range files {
			if err := f.Close(); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	list := slices.Clone(opts.Output)
	summary := a.getenv("GITHUB_STEP_SUMMARY")
	if a.getenv("GITHUB_ACTIONS") == "true" && summary != "" && slices.ContainsFunc(list, func(s string) bool { return strings.HasPrefix(s, "github") }) &&
		!slices.ContainsFunc(list, func(s string) bool { return strings.HasSuffix(s, "="+summary) }) {
		list = append(list, "markdown=>>"+summary)
	}
	for _, s := range list {
		format, path, _ := strings.Cut(s, "=")
		w, o := stdout, ropts
		if path != "" && path != "-" {
			flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			if p, ok := strings.CutPrefix(path, ">>"); ok {
				path, flag = p, os.O_WRONLY|os.O_CREATE|os.O_APPEND
			}
			f, err := os.OpenFile(path, flag, 0o644)
			if err != nil {
				closeAll()
				return nil, nil, fmt.Errorf("-o %s: %w", s, err)
			}
			files = append(files, f)
			stream := newResultStream(f, secrets)
			streams = append(streams, stream)
			w = stream
			o.Palette = a.palette(f, true)
		}
		out, err := report.New(format, w, o)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		outs = append(outs, out)
	}
	return outs, closeAll, nil
}
