package rare_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/aiff"
	_ "github.com/audiopreflight/audiopreflight/probe/au"
	_ "github.com/audiopreflight/audiopreflight/probe/caf"
	_ "github.com/audiopreflight/audiopreflight/probe/detect"
	_ "github.com/audiopreflight/audiopreflight/probe/rare"
	_ "github.com/audiopreflight/audiopreflight/probe/voc"
)

// compareCorpus runs the prober over every file of a corpus directory,
// compares it with the reference model's verdicts and reports each
// disagreement. An input the model has no libsndfile view of (an empty
// one) must not open.
func compareCorpus(t *testing.T, dir string, report func(name, diff string)) (agree, total int) {
	t.Helper()
	for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-unscripted.jsonl")) {
		total++
		path := filepath.Join(dir, v.Input)
		var diff string
		if v.Sndfile == nil {
			diff = mustNotOpen(t, path)
		} else {
			diff = oracle.CompareFile(path, v.Sndfile)
		}
		if diff != "" {
			report(v.Input, diff)
			continue
		}
		agree++
	}
	return agree, total
}

func mustNotOpen(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if info, err := probe.Probe(f, st.Size(), path); err != nil || info.Opens {
		return "an empty input opens"
	}
	return ""
}

// TestCorpus requires exact agreement with the reference model on every
// file of the committed corpus (scripts/corpus/other.sh).
func TestCorpus(t *testing.T) {
	agree, total := compareCorpus(t, filepath.Join("..", "..", "testdata", "corpus", "other"), func(name, diff string) {
		t.Errorf("%s: %s", name, diff)
	})
	if total < 300 {
		t.Errorf("only %d files in the committed corpus", total)
	}
	t.Logf("committed corpus: %d/%d agree", agree, total)
}

// TestBigCorpus runs over a large generated corpus when
// AUDIOPREFLIGHT_BIG_CORPUS names one (scripts/make-corpus.sh --out DIR
// other with CORPUS_SCALE=50); it reports the agreement rate and the first
// disagreements, and fails on any.
func TestBigCorpus(t *testing.T) {
	shown := 0
	agree, total := compareCorpus(t, oracle.BigCorpusDir(t, "other"), func(name, diff string) {
		if shown < 40 {
			shown++
			t.Logf("%s: %s", name, diff)
		}
	})
	rate := float64(agree) / float64(max(total, 1))
	t.Logf("big corpus: %d/%d agree (%.3f%%)", agree, total, 100*rate)
	if agree != total || total == 0 {
		t.Errorf("%d of %d files disagree with the model", total-agree, total)
	}
}
