package probe_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe"
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

// TestShortReadsAreWarned: on every committed file that libsndfile opens
// and reads without an error but where its read loop delivers fewer frames
// than it announced, whatever the format, Unscored warns.
func TestShortReadsAreWarned(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/corpus/*")
	short := 0
	for _, dir := range dirs {
		for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-scripted.jsonl")) {
			s := v.Sndfile
			if s == nil || strings.HasSuffix(v.Input, ".b64") || s.OpenError != nil || s.ReadError != nil ||
				s.FramesRead == nil || s.Frames == nil || *s.FramesRead == 0 || *s.FramesRead >= *s.Frames {
				continue
			}
			short++
			path := filepath.Join(dir, v.Input)
			t.Run(path, func(t *testing.T) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				r := bytes.NewReader(data)
				info, err := probe.Probe(r, int64(len(data)), path)
				if err != nil {
					t.Fatal(err)
				}
				read, err := probe.ReadAll(r, int64(len(data)), info)
				if err != nil {
					t.Fatal(err)
				}
				if len(probe.Unscored(info, read)) == 0 {
					t.Errorf("the server reads %d of %d frames, and nothing says so", *s.FramesRead, *s.Frames)
				}
			})
		}
	}
	if short < 20 {
		t.Fatalf("only %d short reads in the corpus", short)
	}
	t.Logf("%d short reads, each warned", short)
}
