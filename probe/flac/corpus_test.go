package flac_test

import (
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	_ "github.com/audiopreflight/audiopreflight/probe/flac"
)

// The committed differential corpus (scripts/corpus/flac.sh): every file must
// be seen exactly as the reference model's libsndfile sees it.
func TestCorpus(t *testing.T) {
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
