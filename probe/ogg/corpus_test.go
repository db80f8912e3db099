package ogg_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/ogg"
)

// agree compares the probe's view of one file with the reference model's
// and returns the differences.
func agree(path string, want *oracle.Sndfile) []string {
	var diffs []string
	f, err := os.Open(path)
	if err != nil {
		return []string{err.Error()}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return []string{err.Error()}
	}
	info, err := probe.Probe(f, st.Size(), path)
	if err != nil {
		return []string{"probe: " + err.Error()}
	}
	wantOpens := want.OpenError == nil
	if info.Opens != wantOpens {
		diffs = append(diffs, fmt.Sprintf("opens %v (%s), model %v (%v)", info.Opens, info.OpenError, wantOpens, str(want.OpenError)))
		return diffs
	}
	if !wantOpens {
		return nil
	}
	if info.SndfileFormat != str(want.Format) || info.SndfileSubtype != str(want.Subtype) {
		diffs = append(diffs, fmt.Sprintf("format %s/%s, model %s/%s", info.SndfileFormat, info.SndfileSubtype, str(want.Format), str(want.Subtype)))
	}
	if want.Samplerate != nil && info.SampleRate != *want.Samplerate {
		diffs = append(diffs, fmt.Sprintf("samplerate %d, model %d", info.SampleRate, *want.Samplerate))
	}
	if want.Channels != nil && info.Channels != *want.Channels {
		diffs = append(diffs, fmt.Sprintf("channels %d, model %d", info.Channels, *want.Channels))
	}
	if want.Frames != nil {
		unknown := *want.Frames == oracle.SFCountMax
		if info.LengthUnknown != unknown || (!unknown && info.Frames != *want.Frames) {
			diffs = append(diffs, fmt.Sprintf("frames %d (unknown %v), model %d", info.Frames, info.LengthUnknown, *want.Frames))
		}
	}
	res, err := probe.ReadAll(f, st.Size(), info)
	if err != nil {
		return append(diffs, "readall: "+err.Error())
	}
	if res == nil {
		if want.FramesRead != nil || want.ReadError != nil {
			diffs = append(diffs, "no full read, model read")
		}
		return diffs
	}
	if (res.ReadError != "") != (want.ReadError != nil) {
		diffs = append(diffs, fmt.Sprintf("read error %q, model %v", res.ReadError, str(want.ReadError)))
	}
	if want.FramesRead == nil || res.FramesRead != *want.FramesRead {
		diffs = append(diffs, fmt.Sprintf("frames_read %d, model %v", res.FramesRead, ptr(want.FramesRead)))
	}
	return diffs
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func ptr(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// runCorpus checks every file of dir against the model's verdicts for
// both request types (libsndfile's view is the same in both) and returns
// how many agree.
func runCorpus(t *testing.T, dir string, report func(name string, diffs []string)) (ok, total int) {
	t.Helper()
	for _, req := range []string{"unscripted", "scripted"} {
		for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-"+req+".jsonl")) {
			if v.Sndfile == nil {
				continue
			}
			total++
			diffs := agree(filepath.Join(dir, v.Input), v.Sndfile)
			if len(diffs) == 0 {
				ok++
				continue
			}
			report(req+": "+v.Input, diffs)
		}
	}
	return ok, total
}

// TestCorpus requires exact agreement with the reference model on the
// committed corpus.
func TestCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "corpus", "ogg")
	ok, total := runCorpus(t, dir, func(name string, diffs []string) {
		t.Errorf("%s: %v", name, diffs)
	})
	t.Logf("model agreement: %d/%d", ok, total)
}

// TestBigCorpus runs over a generated mutation corpus
// (scripts/make-corpus.sh --out DIR ogg with CORPUS_SCALE > 1) when
// AUDIOPREFLIGHT_BIG_CORPUS names its root, and reports the agreement
// rate; it fails on any disagreement.
func TestBigCorpus(t *testing.T) {
	root := os.Getenv("AUDIOPREFLIGHT_BIG_CORPUS")
	if root == "" {
		t.Skip("set AUDIOPREFLIGHT_BIG_CORPUS to a generated corpus root")
	}
	dir := filepath.Join(root, "ogg")
	var w *bufio.Writer
	if p := os.Getenv("AUDIOPREFLIGHT_BIG_CORPUS_DIFFS"); p != "" {
		fh, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		w = bufio.NewWriter(fh)
		defer w.Flush()
	}
	bad := 0
	ok, total := runCorpus(t, dir, func(name string, diffs []string) {
		bad++
		if w != nil {
			fmt.Fprintf(w, "%s: %v\n", name, diffs)
		}
		if bad <= 50 {
			t.Errorf("%s: %v", name, diffs)
		}
	})
	t.Logf("model agreement: %d/%d (%.2f%%)", ok, total, 100*float64(ok)/float64(max(total, 1)))
}
