package probe_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
)

// sndfileView renders what probe says libsndfile sees, in the model's terms.
func sndfileView(info *probe.Info, read *probe.ReadResult) string {
	if !info.Opens {
		return "does not open"
	}
	frames := fmt.Sprint(info.Frames)
	if info.LengthUnknown {
		frames = "unknown"
	}
	s := fmt.Sprintf("%s/%s %d Hz %d ch frames=%s", info.SndfileFormat, info.SndfileSubtype, info.SampleRate, info.Channels, frames)
	if read != nil {
		s += fmt.Sprintf(" read=%d", read.FramesRead)
		if read.ReadError != "" {
			s += " read-error"
		}
	}
	return s
}

func modelView(v oracle.Verdict) string {
	s := v.Sndfile
	if s.OpenError != nil {
		return "does not open"
	}
	frames := fmt.Sprint(*s.Frames)
	if *s.Frames == oracle.SFCountMax {
		frames = "unknown"
	}
	out := fmt.Sprintf("%s/%s %d Hz %d ch frames=%s", *s.Format, *s.Subtype, *s.Samplerate, *s.Channels, frames)
	if s.FramesRead != nil {
		out += fmt.Sprintf(" read=%d", *s.FramesRead)
		if s.ReadError != nil {
			out += " read-error"
		}
	}
	return out
}

// compareWithModel probes every file of a golden file that the model
// opened or refused (not the ones it never looked at: empty, too big, bad
// base64) and compares probe's view with libsndfile's.
func compareWithModel(t *testing.T, dir, golden string) int {
	t.Helper()
	n := 0
	for _, v := range oracle.MustLoad(t, filepath.Join(dir, golden)) {
		if v.Sndfile == nil || strings.HasSuffix(v.Input, ".b64") {
			continue
		}
		path := filepath.Join(dir, v.Input)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		info, err := probe.Probe(f, st.Size(), path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		read, err := probe.ReadAll(f, st.Size(), info)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if got, want := sndfileView(info, read), modelView(v); got != want {
			t.Errorf("%s:\n  probe: %s\n  model: %s", path, got, want)
		}
		n++
	}
	return n
}

func TestProbeAgreesWithTheModelOnTheCommittedCorpus(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/corpus/*")
	dirs = append(dirs, "../testdata/samples")
	total := 0
	for _, dir := range dirs {
		total += compareWithModel(t, dir, "expected-unscripted.jsonl")
	}
	if total == 0 {
		t.Fatal("no files compared")
	}
}

func TestProbeAgreesWithTheModelOnTheFLACTestbench(t *testing.T) {
	dir := oracle.CorporaDir(t, "flac-test-files")
	if n := compareWithModel(t, dir, "expected-unscripted.jsonl"); n != 73 {
		t.Errorf("compared %d files, want 73", n)
	}
}
