package flac_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/flac"
)

// The committed differential corpus: every file must be seen exactly as the
// reference model's libsndfile sees it.
func TestCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "corpus", "flac")
	n, bad := compareCorpus(t, dir, true)
	if n < 50 {
		t.Fatalf("only %d files in %s", n, dir)
	}
	if bad != 0 {
		t.Fatalf("%d of %d files disagree with the model", bad, n)
	}
}

// The FLAC decoder testbench (73 files, faulty/ subset/ uncommon/), from
// AUDIOPREFLIGHT_CORPORA.
func TestTestbench(t *testing.T) {
	dir := oracle.CorporaDir(t, "flac-test-files")
	n, bad := compareCorpus(t, dir, true)
	if n != 73 {
		t.Errorf("compared %d files, want 73", n)
	}
	if bad != 0 {
		t.Fatalf("%d of %d files disagree with the model", bad, n)
	}
}

// The large generated corpus (scripts/make-corpus.sh --out DIR flac with
// CORPUS_SCALE=50), when AUDIOPREFLIGHT_BIG_CORPUS names DIR.
func TestBigCorpus(t *testing.T) {
	root := os.Getenv("AUDIOPREFLIGHT_BIG_CORPUS")
	if root == "" {
		t.Skip("set AUDIOPREFLIGHT_BIG_CORPUS to the output directory of make-corpus.sh --out DIR flac")
	}
	dir := filepath.Join(root, "flac")
	n, bad := compareCorpus(t, dir, testing.Verbose())
	t.Logf("big corpus: %d files, %d disagree, agreement %.4f%%", n, bad, 100*float64(n-bad)/float64(max(n, 1)))
	if bad != 0 {
		t.Fail()
	}
}

// compareCorpus checks every file of a corpus directory against the model's
// verdicts and returns how many files it checked and how many disagreed.
func compareCorpus(t *testing.T, dir string, report bool) (n, bad int) {
	t.Helper()
	views := map[string]*oracle.Sndfile{}
	for _, req := range []string{"unscripted", "scripted"} {
		for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-"+req+".jsonl")) {
			if v.Sndfile != nil {
				views[v.Input] = v.Sndfile
			} else if _, ok := views[v.Input]; !ok {
				views[v.Input] = nil
			}
		}
	}
	names := make([]string, 0, len(views))
	for name := range views {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		want := views[name]
		n++
		if want == nil {
			bad++
			t.Errorf("%s: the model has no libsndfile view of it", name)
			continue
		}
		if diff := compareFile(filepath.Join(dir, name), want); diff != "" {
			bad++
			if report {
				t.Errorf("%s: %s", name, diff)
			}
		}
	}
	return n, bad
}

// compareFile probes one file and says how it differs from the model's view
// ("" when it agrees).
func compareFile(path string, want *oracle.Sndfile) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	info, err := probe.Probe(f, st.Size(), path)
	if err != nil {
		return "probe: " + err.Error()
	}
	wantOpens := want.OpenError == nil
	if info.Opens != wantOpens {
		return fmt.Sprintf("opens=%v (%s), model opens=%v (%s)", info.Opens, info.OpenError, wantOpens, str(want.OpenError))
	}
	if !info.Opens {
		return ""
	}
	got := fmt.Sprintf("%s/%s %d Hz %d ch", info.SndfileFormat, info.SndfileSubtype, info.SampleRate, info.Channels)
	exp := fmt.Sprintf("%s/%s %d Hz %d ch", str(want.Format), str(want.Subtype), num(want.Samplerate), num(want.Channels))
	if info.LengthUnknown {
		got += " frames=unknown"
	} else {
		got += fmt.Sprintf(" frames=%d", info.Frames)
	}
	if want.Frames != nil && *want.Frames == oracle.SFCountMax {
		exp += " frames=unknown"
	} else if want.Frames != nil {
		exp += fmt.Sprintf(" frames=%d", *want.Frames)
	}
	res, err := probe.ReadAll(f, st.Size(), info)
	if err != nil {
		return "read: " + err.Error()
	}
	if res != nil {
		got += fmt.Sprintf(" read=%d err=%v", res.FramesRead, res.ReadError != "")
	}
	if want.FramesRead != nil {
		exp += fmt.Sprintf(" read=%d err=%v", *want.FramesRead, want.ReadError != nil)
	}
	if got != exp {
		if res != nil && res.ReadError != "" {
			got += " (" + res.ReadError + ")"
		}
		if want.ReadError != nil {
			exp += " (" + *want.ReadError + ")"
		}
		return "got " + got + ", model " + exp
	}
	return ""
}

func str(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func num[T int | int64](p *T) T {
	if p == nil {
		return -1
	}
	return *p
}
