package mpeg_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/mpeg"
)

// TestCorpus checks the committed corpus (scripts/corpus/mpeg.sh) against
// the reference model's verdicts, file by file.
func TestCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "corpus", "mpeg")
	for _, req := range []string{"unscripted", "scripted"} {
		verdicts := oracle.MustLoad(t, filepath.Join(dir, "expected-"+req+".jsonl"))
		for _, v := range verdicts {
			if msg := compare(dir, v); msg != "" {
				t.Errorf("%s (%s): %s", v.Input, req, msg)
			}
		}
	}
}

// TestBigCorpus checks a large generated corpus (CORPUS_SCALE>1) when
// AUDIOPREFLIGHT_BIG_CORPUS names its root; it reports the agreement rate
// and fails on any disagreement.
func TestBigCorpus(t *testing.T) {
	root := os.Getenv("AUDIOPREFLIGHT_BIG_CORPUS")
	if root == "" {
		t.Skip("set AUDIOPREFLIGHT_BIG_CORPUS to the --out directory of make-corpus.sh with CORPUS_SCALE>1")
	}
	dir := filepath.Join(root, "mpeg")
	verdicts := oracle.MustLoad(t, filepath.Join(dir, "expected-unscripted.jsonl"))
	bad := 0
	for _, v := range verdicts {
		if msg := compare(dir, v); msg != "" {
			bad++
			t.Errorf("%s: %s", v.Input, msg)
		}
	}
	t.Logf("big corpus: %d files, %d agree (%.2f%%)", len(verdicts), len(verdicts)-bad, 100*float64(len(verdicts)-bad)/float64(len(verdicts)))
}

// compare runs Probe and ReadAll on one corpus file and says how they
// disagree with the model's view; "" when they agree.
func compare(dir string, v oracle.Verdict) string {
	f, err := os.Open(filepath.Join(dir, v.Input))
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	info, err := probe.Probe(f, st.Size(), v.Input)
	if err != nil {
		return "probe: " + err.Error()
	}
	s := v.Sndfile
	if s == nil {
		return "no sndfile view in the model's verdict"
	}
	var diffs []string
	want := func(what string, got, exp any) {
		if fmt.Sprint(got) != fmt.Sprint(exp) {
			diffs = append(diffs, fmt.Sprintf("%s %v, model %v", what, got, exp))
		}
	}
	wantOpen := s.OpenError == nil
	want("opens", info.Opens, wantOpen)
	if !wantOpen || !info.Opens {
		if info.Opens != wantOpen {
			diffs = append(diffs, fmt.Sprintf("(our error %q, model %q)", info.OpenError, deref(s.OpenError)))
		}
		return strings.Join(diffs, "; ")
	}
	want("format", info.SndfileFormat, deref(s.Format))
	want("subtype", info.SndfileSubtype, deref(s.Subtype))
	want("samplerate", info.SampleRate, *s.Samplerate)
	want("channels", info.Channels, *s.Channels)
	if *s.Frames == oracle.SFCountMax {
		want("length unknown", info.LengthUnknown, true)
	} else {
		want("length unknown", info.LengthUnknown, false)
		want("frames", info.Frames, *s.Frames)
	}
	res, err := probe.ReadAll(f, st.Size(), info)
	if err != nil {
		return "read: " + err.Error()
	}
	if s.FramesRead == nil {
		if res != nil {
			diffs = append(diffs, "we read, the model does not")
		}
		return strings.Join(diffs, "; ")
	}
	if res == nil {
		diffs = append(diffs, "the model reads, we do not")
		return strings.Join(diffs, "; ")
	}
	want("read error", res.ReadError != "", s.ReadError != nil)
	want("frames read", res.FramesRead, *s.FramesRead)
	return strings.Join(diffs, "; ")
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
