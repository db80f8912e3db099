package flac_test

import (
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe/flac"
)

// The committed differential corpus (scripts/corpus/flac.sh): every file must
// be seen exactly as the reference model's libsndfile sees it.
func TestCorpus(t *testing.T) {
	oracle.CheckCorpus(t, filepath.Join("..", "..", "testdata", "corpus", "flac"), 50)
}

// The committed corpus again, read through windows of 61 bytes: every
// frame straddles reloads of the window, every fast path gives way to the
// general one somewhere, and the verdicts must not change.
func TestCorpusSmallWindow(t *testing.T) {
	defer flac.SetWindowSize(61)()
	oracle.CheckCorpus(t, filepath.Join("..", "..", "testdata", "corpus", "flac"), 50)
}

// The FLAC decoder testbench (73 files, faulty/ subset/ uncommon/), from
// AUDIOPREFLIGHT_CORPORA.
func TestTestbench(t *testing.T) {
	if n := oracle.CheckCorpus(t, oracle.CorporaDir(t, "flac-test-files"), 73); n != 73 {
		t.Errorf("compared %d files, want 73", n)
	}
}

// The large generated corpus, when AUDIOPREFLIGHT_BIG_CORPUS names it.
func TestBigCorpus(t *testing.T) { oracle.CheckBigCorpus(t, "flac") }
