package oracle

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The reference harness (scripts/reference/decide.py) writes the golden
// files every verdict test compares with. These tests run it again over the
// committed inputs and require byte-identical expectations, so that the
// harness and the goldens cannot drift apart: a change to the harness that
// changes a verdict fails here until the goldens are regenerated with it.

const (
	repoRoot = "../.."
	harness  = repoRoot + "/scripts/reference/decide.py"
	python   = "/usr/bin/python3"
)

// requireHarness skips the test, with one line saying how to get what is
// missing, when python3-soundfile is not installed; under CI it fails.
func requireHarness(t *testing.T) { t.Helper(); requireSoundfile(t, python) }

// requireSoundfile is requireHarness for the interpreter at path py.
func requireSoundfile(t testing.TB, py string) {
	t.Helper()
	if err := exec.Command(py, "-c", "import soundfile").Run(); err != nil {
		msg := "the reference harness needs " + py + " with python3-soundfile (apt-get install python3-soundfile; .ci/run installs it)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + ": " + err.Error())
		}
		t.Skip(msg)
	}
}

// TestMakeCorpusReproducesTheGoldens regenerates the expectations of the
// "check" family (base64 shapes, the sync-limit boundary, empty inputs:
// every step of the decision order before libsndfile) exactly as a
// maintainer does, with scripts/make-corpus.sh --verdicts-only over a copy
// of the committed files, and requires the committed expectation files.
func TestMakeCorpusReproducesTheGoldens(t *testing.T) {
	requireHarness(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found: scripts/make-corpus.sh is a bash script")
	}
	const family = "check"
	src := filepath.Join(repoRoot, "testdata", "corpus", family)
	out := t.TempDir()
	copyInputs(t, src, filepath.Join(out, family))

	cmd := exec.Command("bash", filepath.Join(repoRoot, "scripts", "make-corpus.sh"), "--verdicts-only", "--out", out, family)
	cmd.Env = append(os.Environ(), "AUDIOPREFLIGHT_ORACLE="+absPath(t, harness))
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make-corpus.sh: %v\n%s", err, msg)
	}
	for _, req := range []string{"unscripted", "scripted"} {
		name := "expected-" + req + ".jsonl"
		requireSame(t, filepath.Join(src, name), readFile(t, filepath.Join(out, family, name)))
	}
}

// TestHarnessReproducesEveryGolden runs the harness over every committed
// corpus family, the samples, the files fix writes (testdata/fixed) and, when AUDIOPREFLIGHT_CORPORA has it, the
// FLAC decoder testbench, each input in its golden file's order. It takes
// about ten seconds of CPU, so it runs only when
// AUDIOPREFLIGHT_HARNESS_ALL is set (CI runs the check family above).
func TestHarnessReproducesEveryGolden(t *testing.T) {
	if os.Getenv("AUDIOPREFLIGHT_HARNESS_ALL") == "" {
		t.Skip("set AUDIOPREFLIGHT_HARNESS_ALL=1 to rerun the harness over every committed golden file (about 10 s)")
	}
	requireHarness(t)
	dirs, err := filepath.Glob(filepath.Join(repoRoot, "testdata", "corpus", "*"))
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, filepath.Join(repoRoot, "testdata", "samples"), filepath.Join(repoRoot, "testdata", "fixed"))
	if root := os.Getenv("AUDIOPREFLIGHT_CORPORA"); root != "" {
		if dir := filepath.Join(root, "flac-test-files"); isDir(dir) {
			dirs = append(dirs, dir)
		}
	}
	total := 0
	for _, dir := range dirs {
		for _, req := range []string{"unscripted", "scripted"} {
			golden := filepath.Join(dir, "expected-"+req+".jsonl")
			got, n := runHarnessInGoldenOrder(t, dir, req, golden)
			requireSame(t, golden, got)
			total += n
		}
	}
	t.Logf("the harness reproduces %d expectation lines in %d directories", total, len(dirs))
}

// runHarnessInGoldenOrder runs the harness over the inputs a golden file
// names, in its order, the way scripts/make-corpus.sh does: the family's
// model-flags for every run, plain files first, then the *.b64 files with
// --base64. It returns the output and the number of inputs.
func runHarnessInGoldenOrder(t *testing.T, dir, req, golden string) ([]byte, int) {
	t.Helper()
	var audio, b64 []string
	for _, line := range bytes.Split(bytes.TrimSuffix(readFile(t, golden), []byte("\n")), []byte("\n")) {
		var v struct {
			Input string `json:"input"`
		}
		if err := json.Unmarshal(line, &v); err != nil {
			t.Fatalf("%s: %v", golden, err)
		}
		if strings.HasSuffix(v.Input, ".b64") {
			b64 = append(b64, v.Input)
		} else {
			audio = append(audio, v.Input)
		}
	}
	var flags []string
	if b, err := os.ReadFile(filepath.Join(dir, "model-flags")); err == nil {
		flags = strings.Fields(string(b))
	}
	var out bytes.Buffer
	for _, run := range []struct {
		extra []string
		names []string
	}{{nil, audio}, {[]string{"--base64"}, b64}} {
		if len(run.names) == 0 {
			continue
		}
		args := append([]string{absPath(t, harness), "--request", req}, flags...)
		args = append(append(append(args, run.extra...), "--"), run.names...)
		cmd := exec.Command(python, args...)
		cmd.Dir = dir
		cmd.Stdout = &out
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s (%s): %v\n%s", dir, req, err, stderr.Bytes())
		}
	}
	return out.Bytes(), len(audio) + len(b64)
}

// requireSame fails the test, naming the first line that differs, unless got
// is byte for byte the golden file's content.
func requireSame(t *testing.T, golden string, got []byte) {
	t.Helper()
	want := readFile(t, golden)
	if bytes.Equal(got, want) {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Fatalf("the harness no longer reproduces %s: line %d\n golden:  %s\n harness: %s\n(after a deliberate change to scripts/reference, regenerate: scripts/make-corpus.sh --verdicts-only FAMILY)", golden, i+1, w, g)
		}
	}
}

// copyInputs copies a corpus family's files, without its expectation
// files, from src to dst.
func copyInputs(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasPrefix(d.Name(), "expected-") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func absPath(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}
