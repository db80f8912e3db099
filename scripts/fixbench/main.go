// Command fixbench converts one input as the fix command's re-encoding
// path does (decode → downmix → resample → dither → encode) and checks the
// output, so that scripts/bench-fix.sh can time it against sox. It is a
// measuring tool, not part of the CLI.
//
// usage: go run ./scripts/fixbench [-format wav|flac] [-workers N] IN OUT
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/convert"
	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/internal/pcm"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
	"github.com/audiopreflight/audiopreflight/validate"
)

func main() {
	format := flag.String("format", "wav", "output format: wav or flac")
	workers := flag.Int("workers", 1, "goroutines for the resampler's last stage (1 or 2)")
	noCheck := flag.Bool("no-check", false, "do not check the output")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: fixbench [-format wav|flac] [-workers N] [-no-check] IN OUT")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Arg(1), *format, *workers, !*noCheck); err != nil {
		fmt.Fprintln(os.Stderr, "fixbench:", err)
		os.Exit(1)
	}
}

func run(in, out, formatName string, workers int, checkIt bool) error {
	format, err := encode.ParseFormat(formatName)
	if err != nil {
		return err
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	info, err := probe.Probe(f, st.Size(), in)
	if err != nil {
		return err
	}
	dec, err := pcm.Open(f, st.Size(), info)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	w, err := os.Create(out)
	if err != nil {
		return err
	}
	res, err := convert.Run(dec, w, convert.Options{Format: format, Workers: workers})
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	fmt.Printf("%s: %d Hz × %d, %d frames → %s: %d samples; %v\n", in, res.InputRate, res.InputChannels, res.InputFrames, out, res.OutputFrames, res.Steps)
	if !checkIt {
		return nil
	}
	c := &check.Checker{Request: validate.Request{Type: validate.Unscripted, Async: true}}
	r := c.Check(context.Background(), check.Target{Name: out, Source: report.SourceFile})
	if !r.Accepted {
		return fmt.Errorf("%s: the output is not accepted: %+v", out, r.Exception)
	}
	fmt.Printf("%s: accepted\n", out)
	return nil
}
