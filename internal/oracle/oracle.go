// Package oracle loads the reference model's verdicts (golden JSONL files
// written by scripts/make-corpus.sh) so that tests can compare the tool's
// answers with the server's.
package oracle

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Verdict is one line of the reference model's output.
type Verdict struct {
	Input      string            `json:"input"`
	Exception  *string           `json:"exception"`
	Parameters map[string]string `json:"parameters"`
	Sndfile    *Sndfile          `json:"sndfile"`
}

// Sndfile is what libsndfile saw; nil fields were null.
type Sndfile struct {
	Format     *string `json:"format"`
	Subtype    *string `json:"subtype"`
	Samplerate *int    `json:"samplerate"`
	Channels   *int    `json:"channels"`
	Frames     *int64  `json:"frames"`
	OpenError  *string `json:"open_error"`
	ReadError  *string `json:"read_error"`
	FramesRead *int64  `json:"frames_read"`
}

// SFCountMax is libsndfile's "length unknown" frame count.
const SFCountMax = int64(1<<63 - 1)

// ExceptionName returns the verdict's exception name, "" when accepted.
func (v Verdict) ExceptionName() string {
	if v.Exception == nil {
		return ""
	}
	return *v.Exception
}

// Load reads a golden JSONL file.
func Load(path string) ([]Verdict, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Verdict
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var v Verdict
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

// MustLoad is Load for tests: it fails the test on error or on an empty file.
func MustLoad(t testing.TB, path string) []Verdict {
	t.Helper()
	v, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) == 0 {
		t.Fatalf("%s: no verdicts", path)
	}
	return v
}

// CorporaDir returns the directory of an external corpus (one that is not
// committed, such as the FLAC decoder testbench "flac-test-files"), from
// AUDIOPREFLIGHT_CORPORA. When it is unset or the corpus is not in it, the
// test is skipped with one line saying how to get it, except under CI (CI
// set), where that is a failure: CI must run it.
func CorporaDir(t testing.TB, sub string) string {
	t.Helper()
	root := os.Getenv("AUDIOPREFLIGHT_CORPORA")
	dir := filepath.Join(root, sub)
	if root != "" {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	where := "AUDIOPREFLIGHT_CORPORA is not set"
	if root != "" {
		where = fmt.Sprintf("no %s in AUDIOPREFLIGHT_CORPORA=%s", sub, root)
	}
	msg := fmt.Sprintf("external corpus %q not found (%s): scripts/corpus/external/%s.sh says how to make it, then set AUDIOPREFLIGHT_CORPORA (CONTRIBUTING.md#external-corpora)", sub, where, sub)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
