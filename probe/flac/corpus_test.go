package flac_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	_ "github.com/audiopreflight/audiopreflight/probe/flac"
)

// The committed differential corpus: every file must be seen exactly as the
// reference model's libsndfile sees it.
func TestCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "corpus", "flac")
	n, bad := oracle.CompareDir(t, dir, func(name, diff string) { t.Errorf("%s: %s", name, diff) })
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
	n, bad := oracle.CompareDir(t, dir, func(name, diff string) { t.Errorf("%s: %s", name, diff) })
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
	n, bad := oracle.CompareDir(t, filepath.Join(root, "flac"), func(name, diff string) {
		if testing.Verbose() {
			t.Errorf("%s: %s", name, diff)
		}
	})
	t.Logf("big corpus: %d files, %d disagree, agreement %.4f%%", n, bad, 100*float64(n-bad)/float64(max(n, 1)))
	if bad != 0 {
		t.Fail()
	}
}
