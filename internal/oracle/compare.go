package oracle

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// CompareFile probes the file at path as the tool does (probe.Probe, then
// probe.ReadAll when it opens) and says how that differs from want, the
// model's view of libsndfile: "" when they agree on whether it opens and,
// when it does, on format, subtype, sample rate, channels, frames
// (SFCountMax being an unknown length), whether reading fails and how many
// frames are read. The caller registers the formats to recognise.
func CompareFile(path string, want *Sndfile) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	return Compare(f, st.Size(), path, want)
}

// Compare is CompareFile over an input of the given size and name.
func Compare(r io.ReaderAt, size int64, name string, want *Sndfile) string {
	if want == nil {
		return "the model has no libsndfile view of it"
	}
	info, err := probe.Probe(r, size, name)
	if err != nil {
		return "probe: " + err.Error()
	}
	wantOpens := want.OpenError == nil
	if info.Opens != wantOpens {
		return fmt.Sprintf("opens=%v (%s), model opens=%v (%s)", info.Opens, info.OpenError, wantOpens, deref(want.OpenError))
	}
	if !info.Opens {
		return ""
	}
	read, err := probe.ReadAll(r, size, info)
	if err != nil {
		return "read: " + err.Error()
	}
	got, exp := Describe(info, read), want.Describe()
	if got == exp {
		return ""
	}
	if read != nil && read.ReadError != "" {
		got += " (" + read.ReadError + ")"
	}
	if want.ReadError != nil {
		exp += " (" + *want.ReadError + ")"
	}
	return "got " + got + ", model " + exp
}

// Describe renders what probe found of an input that opens in the terms of
// Sndfile.Describe.
func Describe(info *probe.Info, read *probe.ReadResult) string {
	frames := fmt.Sprint(info.Frames)
	if info.LengthUnknown {
		frames = "unknown"
	}
	s := fmt.Sprintf("%s/%s %d Hz %d ch frames=%s", info.SndfileFormat, info.SndfileSubtype, info.SampleRate, info.Channels, frames)
	if read != nil {
		s += describeRead(read.FramesRead, read.ReadError != "")
	}
	return s
}

// Describe renders the model's view of an input that opens: format and
// subtype, sample rate, channels, frames and, when the model read it, the
// frames read and whether reading failed.
func (s *Sndfile) Describe() string {
	frames := "<nil>"
	switch {
	case s.Frames == nil:
	case *s.Frames == SFCountMax:
		frames = "unknown"
	default:
		frames = fmt.Sprint(*s.Frames)
	}
	out := fmt.Sprintf("%s/%s %s Hz %s ch frames=%s", deref(s.Format), deref(s.Subtype), num(s.Samplerate), num(s.Channels), frames)
	if s.FramesRead != nil {
		out += describeRead(*s.FramesRead, s.ReadError != nil)
	}
	return out
}

func describeRead(frames int64, failed bool) string {
	if failed {
		return fmt.Sprintf(" read=%d read-error", frames)
	}
	return fmt.Sprintf(" read=%d", frames)
}

// CompareDir compares every input of a corpus directory with the model's
// libsndfile view of it (from either request type's golden file, in which
// it is the same), in name order, and calls report for each disagreement.
// It returns how many inputs it compared and how many disagreed.
func CompareDir(t testing.TB, dir string, report func(name, diff string)) (n, bad int) {
	t.Helper()
	views := map[string]*Sndfile{}
	for _, req := range []string{"unscripted", "scripted"} {
		for _, v := range MustLoad(t, filepath.Join(dir, "expected-"+req+".jsonl")) {
			if v.Sndfile != nil || views[v.Input] == nil {
				views[v.Input] = v.Sndfile
			}
		}
	}
	names := make([]string, 0, len(views))
	for name := range views {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		n++
		if diff := CompareFile(filepath.Join(dir, name), views[name]); diff != "" {
			bad++
			report(name, diff)
		}
	}
	return n, bad
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func num(p *int) string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprint(*p)
}

// CheckCorpus compares every input of a committed corpus directory with the
// model (CompareDir), reports each disagreement as a test error, and fails
// when the directory holds fewer than min inputs. It returns how many it
// compared.
func CheckCorpus(t testing.TB, dir string, min int) int {
	t.Helper()
	n, bad := CompareDir(t, dir, func(name, diff string) { t.Errorf("%s: %s", name, diff) })
	if n < min {
		t.Fatalf("only %d files in %s, want at least %d", n, dir, min)
	}
	if bad != 0 {
		t.Fatalf("%d of %d files disagree with the model", bad, n)
	}
	return n
}

// BigCorpusDir is the family's directory in the large generated corpus
// that AUDIOPREFLIGHT_BIG_CORPUS names (scripts/make-corpus.sh --out DIR
// FAMILY with CORPUS_SCALE>1); the test is skipped when it is unset.
func BigCorpusDir(t testing.TB, family string) string {
	t.Helper()
	root := os.Getenv("AUDIOPREFLIGHT_BIG_CORPUS")
	if root == "" {
		t.Skipf("set AUDIOPREFLIGHT_BIG_CORPUS to the --out directory of: CORPUS_SCALE=50 scripts/make-corpus.sh --out DIR %s", family)
	}
	return filepath.Join(root, family)
}

// CheckBigCorpus compares a family's large generated corpus with the model,
// logs the agreement rate, shows the first disagreements, and fails on any.
func CheckBigCorpus(t testing.TB, family string) {
	t.Helper()
	shown := 0
	n, bad := CompareDir(t, BigCorpusDir(t, family), func(name, diff string) {
		if shown < 40 {
			shown++
			t.Logf("%s: %s", name, diff)
		}
	})
	t.Logf("big %s corpus: %d files, %d disagree, agreement %.4f%%", family, n, bad, 100*float64(n-bad)/float64(max(n, 1)))
	if bad != 0 || n == 0 {
		t.Fail()
	}
}
