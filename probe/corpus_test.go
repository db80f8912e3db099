package probe_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
)

// compareWithModel probes every file of a golden file that the model
// opened or refused (not the ones it never looked at: empty, too big, bad
// base64) and compares probe's view with libsndfile's.
func compareWithModel(t *testing.T, dir, golden string) int {
	t.Helper()
	n := 0
	for _, v := range oracle.MustLoad(t, filepath.Join(dir, golden)) {
		if v.Sndfile == nil || strings.HasSuffix(v.Input, ".b64") {
			continue
		}
		path := filepath.Join(dir, v.Input)
		if diff := oracle.CompareFile(path, v.Sndfile); diff != "" {
			t.Errorf("%s: %s", path, diff)
		}
		n++
	}
	return n
}

func TestProbeAgreesWithTheModelOnTheCommittedCorpus(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/corpus/*")
	dirs = append(dirs, "../testdata/samples")
	total := 0
	for _, dir := range dirs {
		total += compareWithModel(t, dir, "expected-unscripted.jsonl")
	}
	if total == 0 {
		t.Fatal("no files compared")
	}
}

func TestProbeAgreesWithTheModelOnTheFLACTestbench(t *testing.T) {
	dir := oracle.CorporaDir(t, "flac-test-files")
	if n := compareWithModel(t, dir, "expected-unscripted.jsonl"); n != 73 {
		t.Errorf("compared %d files, want 73", n)
	}
}
