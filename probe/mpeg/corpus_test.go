package mpeg_test

import (
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	_ "github.com/audiopreflight/audiopreflight/probe/mpeg"
)

// The committed differential corpus (scripts/corpus/mpeg.sh): every file must
// be seen exactly as the reference model's libsndfile sees it.
func TestCorpus(t *testing.T) {
	oracle.CheckCorpus(t, filepath.Join("..", "..", "testdata", "corpus", "mpeg"), 50)
}

// The large generated corpus, when AUDIOPREFLIGHT_BIG_CORPUS names it.
func TestBigCorpus(t *testing.T) { oracle.CheckBigCorpus(t, "mpeg") }
