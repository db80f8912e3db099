package oracle

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// outcomeTB records how a helper ended a test instead of ending this one.
type outcomeTB struct {
	testing.TB
	skipped, failed string
}

func (o *outcomeTB) Skip(args ...any) { o.skipped = fmt.Sprint(args...); runtime.Goexit() }
func (o *outcomeTB) Skipf(format string, args ...any) {
	o.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (o *outcomeTB) Fatal(args ...any) { o.failed = fmt.Sprint(args...); runtime.Goexit() }
func (o *outcomeTB) Fatalf(format string, args ...any) {
	o.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// corporaDirOutcome runs CorporaDir as a test would, in its own goroutine
// so that a skip or a failure ends only that goroutine.
func corporaDirOutcome(t *testing.T, sub string) (dir string, o *outcomeTB) {
	o = &outcomeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		dir = CorporaDir(o, sub)
	}()
	<-done
	return dir, o
}

// TestCorporaDirOutsideAndUnderCI: a missing external corpus skips the
// test with one line that says how to get it, unless CI is set, where the
// same line fails it; a corpus that is there is returned.
func TestCorporaDirOutsideAndUnderCI(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "present"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		corpora, ci, sub string
		want             string // "dir", "skip" or "fail"
	}{
		{"", "", "flac-test-files", "skip"},
		{root, "", "flac-test-files", "skip"},
		{filepath.Join(root, "missing"), "", "present", "skip"},
		{"", "1", "flac-test-files", "fail"},
		{root, "true", "flac-test-files", "fail"},
		{root, "", "present", "dir"},
		{root, "1", "present", "dir"},
	} {
		t.Setenv("AUDIOPREFLIGHT_CORPORA", c.corpora)
		t.Setenv("CI", c.ci)
		dir, o := corporaDirOutcome(t, c.sub)
		got, msg := "dir", ""
		switch {
		case o.failed != "":
			got, msg = "fail", o.failed
		case o.skipped != "":
			got, msg = "skip", o.skipped
		}
		if got != c.want {
			t.Errorf("AUDIOPREFLIGHT_CORPORA=%q CI=%q %s: %s (%s), want %s", c.corpora, c.ci, c.sub, got, msg, c.want)
			continue
		}
		if got == "dir" {
			if dir != filepath.Join(root, c.sub) {
				t.Errorf("dir %q, want %q", dir, filepath.Join(root, c.sub))
			}
			continue
		}
		if strings.Contains(msg, "\n") || !strings.Contains(msg, "scripts/corpus/external/"+c.sub+".sh") || !strings.Contains(msg, "AUDIOPREFLIGHT_CORPORA") {
			t.Errorf("%s message %q: want one line naming the variable and the script that makes the corpus", got, msg)
		}
	}
}

// TestMissingSoundfileSkipsOutsideCI: without python3-soundfile the harness
// tests skip with one line saying how to install it, and fail under CI.
func TestMissingSoundfileSkipsOutsideCI(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-python3")
	for _, c := range []struct{ ci, want string }{{"", "skip"}, {"true", "fail"}} {
		t.Setenv("CI", c.ci)
		o := &outcomeTB{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			requireSoundfile(o, missing)
		}()
		<-done
		got, msg := "pass", ""
		switch {
		case o.failed != "":
			got, msg = "fail", o.failed
		case o.skipped != "":
			got, msg = "skip", o.skipped
		}
		if got != c.want || !strings.Contains(msg, "apt-get install python3-soundfile") || strings.Contains(msg, "\n") {
			t.Errorf("CI=%q: %s %q, want %s with one line saying how to install it", c.ci, got, msg, c.want)
		}
	}
}
