package ogg_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	_ "github.com/audiopreflight/audiopreflight/probe/ogg"
)

// runCorpus checks every file of dir against the model's verdicts for
// both request types (libsndfile's view is the same in both) and returns
// how many agree.
func runCorpus(t *testing.T, dir string, report func(name, diff string)) (ok, total int) {
	t.Helper()
	for _, req := range []string{"unscripted", "scripted"} {
		for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-"+req+".jsonl")) {
			if v.Sndfile == nil {
				continue
			}
			total++
			diff := oracle.CompareFile(filepath.Join(dir, v.Input), v.Sndfile)
			if diff == "" {
				ok++
				continue
			}
			report(req+": "+v.Input, diff)
		}
	}
	return ok, total
}

// TestCorpus requires exact agreement with the reference model on the
// committed corpus.
func TestCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "corpus", "ogg")
	ok, total := runCorpus(t, dir, func(name, diff string) {
		t.Errorf("%s: %s", name, diff)
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
	ok, total := runCorpus(t, dir, func(name, diff string) {
		bad++
		if w != nil {
			fmt.Fprintf(w, "%s: %s\n", name, diff)
		}
		if bad <= 50 {
			t.Errorf("%s: %s", name, diff)
		}
	})
	t.Logf("model agreement: %d/%d (%.2f%%)", ok, total, 100*float64(ok)/float64(max(total, 1)))
}
