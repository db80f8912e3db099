package mpeg_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	_ "github.com/audiopreflight/audiopreflight/probe/mpeg"
)

// TestCorpus checks the committed corpus (scripts/corpus/mpeg.sh) against
// the reference model's verdicts, file by file.
func TestCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "corpus", "mpeg")
	for _, req := range []string{"unscripted", "scripted"} {
		verdicts := oracle.MustLoad(t, filepath.Join(dir, "expected-"+req+".jsonl"))
		for _, v := range verdicts {
			if msg := oracle.CompareFile(filepath.Join(dir, v.Input), v.Sndfile); msg != "" {
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
		if msg := oracle.CompareFile(filepath.Join(dir, v.Input), v.Sndfile); msg != "" {
			bad++
			t.Errorf("%s: %s", v.Input, msg)
		}
	}
	t.Logf("big corpus: %d files, %d agree (%.2f%%)", len(verdicts), len(verdicts)-bad, 100*float64(len(verdicts)-bad)/float64(len(verdicts)))
}
