package cmd

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// lazyList is a --files-from list made up as it is read: n names, counting
// the bytes read.
type lazyList struct {
	n, next int
	pending []byte
	read    atomic.Int64
}

func (l *lazyList) Read(p []byte) (int, error) {
	for len(l.pending) < len(p) && l.next < l.n {
		l.pending = fmt.Appendf(l.pending, "missing/%07d.wav\n", l.next)
		l.next++
	}
	if len(l.pending) == 0 {
		return 0, io.EOF
	}
	k := copy(p, l.pending)
	l.pending = l.pending[k:]
	l.read.Add(int64(k))
	return k, nil
}

// firstWrite records how much of the list was read when the first result
// reached standard output.
type firstWrite struct {
	bytes.Buffer
	list   *lazyList
	readAt int64
}

func (w *firstWrite) Write(p []byte) (int, error) {
	if w.Len() == 0 && w.readAt == 0 {
		w.readAt = w.list.read.Load()
	}
	return w.Buffer.Write(p)
}

// TestHugeListIsReadAsTheRunGoes: --files-from is read as the run takes
// inputs, not whole before the first is checked: when the first results
// are written, a small part of the list has been read.
func TestHugeListIsReadAsTheRunGoes(t *testing.T) {
	const n = 100_000 // 2 MB of names
	list := &lazyList{n: n}
	out := &firstWrite{list: list}
	var errOut bytes.Buffer
	a := &app{in: list, out: out, errOut: &errOut, getenv: func(string) string { return "" }}
	code := execute([]string{"check", "-o", "jsonl", "--files-from", "-"}, a)
	if code != ExitError {
		t.Fatalf("exit %d, want %d (every input is missing); stderr %q", code, ExitError, errOut.String())
	}
	total := list.read.Load()
	if out.readAt == 0 || out.readAt > 512<<10 || total < 2_000_000 {
		t.Errorf("%d bytes of the %d-byte list read when the first result was written; want it read as the run goes", out.readAt, total)
	}
	lines := strings.Count(out.String(), "\n")
	if lines != n {
		t.Errorf("%d results for %d names", lines, n)
	}
}

// TestStreamedReportsParse: the JSON and JUnit reports, written as the run
// goes, are documents encoding/json and encoding/xml read, with counts
// that agree with their results, for a run of every status.
func TestStreamedReportsParse(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	// An ignore entry for the 44.1 kHz stereo FLAC, so that one status
	// is ignored.
	if err := os.WriteFile(cfg, []byte("ignore:\n  - path: \"**/hello-44k-stereo.flac\"\n    reason: archive take\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs := []string{samples + "/hello-16k-mono.wav", samples + "/hello.mp3", samples + "/hello-16k-mono.flac",
		samples + "/hello-44k-stereo.flac", filepath.Join(dir, "missing.wav")}
	// 16k mono WAV: accepted (its header settles it); mp3: rejected;
	// 16k FLAC: undecided (--header-only); stereo FLAC: ignored;
	// missing: error. Each twice, to have more than one of each.
	args := append([]string{"check", "--header-only", "--config", cfg, "-j", "3"}, append(inputs, inputs...)...)
	jsonPath, junitPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
	code, _, stderr := run(t, nil, "", append(args, "-o", "json="+jsonPath, "-o", "junit="+junitPath)...)
	if code != ExitError {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SchemaVersion int `json:"schema_version"`
		Results       []struct {
			Input  string `json:"input"`
			Status string `json:"status"`
		} `json:"results"`
		Summary struct {
			Total, Accepted, Rejected, Undecided, Errors, Ignored int
		} `json:"summary"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("the JSON report does not parse: %v\n%s", err, data)
	}
	counts := map[string]int{}
	for i, r := range doc.Results {
		counts[r.Status]++
		if want := args[len(args)-10+i]; r.Input != want {
			t.Errorf("result %d is %s, want %s", i, r.Input, want)
		}
	}
	s := doc.Summary
	want := map[string]int{"accepted": 2, "rejected": 2, "undecided": 2, "ignored": 2, "error": 2}
	if doc.SchemaVersion != 1 || s.Total != 10 || len(doc.Results) != 10 || fmt.Sprint(counts) != fmt.Sprint(want) ||
		s.Accepted != 2 || s.Rejected != 2 || s.Undecided != 2 || s.Ignored != 2 || s.Errors != 2 {
		t.Errorf("JSON: schema %d, summary %+v, statuses %v; want 2 of each", doc.SchemaVersion, s, counts)
	}

	data, err = os.ReadFile(junitPath)
	if err != nil {
		t.Fatal(err)
	}
	type suite struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Skipped  int `xml:"skipped,attr"`
		Cases    []struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
			Error   *struct{} `xml:"error"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	}
	var junit struct {
		suite
		Suite suite `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &junit); err != nil {
		t.Fatalf("the JUnit report does not parse: %v\n%s", err, data)
	}
	var failures, errs, skipped int
	for i, c := range junit.Suite.Cases {
		if want := args[len(args)-10+i]; c.Name != want {
			t.Errorf("test case %d is %s, want %s", i, c.Name, want)
		}
		switch {
		case c.Failure != nil:
			failures++
		case c.Error != nil:
			errs++
		case c.Skipped != nil:
			skipped++
		}
	}
	// Rejected: failures; error: errors; undecided and ignored: skipped.
	for _, s := range []suite{junit.suite, junit.Suite} {
		if s.Tests != 10 || s.Failures != 2 || s.Errors != 2 || s.Skipped != 4 {
			t.Errorf("JUnit counts tests=%d failures=%d errors=%d skipped=%d, want 10, 2, 2, 4", s.Tests, s.Failures, s.Errors, s.Skipped)
		}
	}
	if len(junit.Suite.Cases) != 10 || failures != 2 || errs != 2 || skipped != 4 {
		t.Errorf("JUnit has %d test cases: %d failures, %d errors, %d skipped", len(junit.Suite.Cases), failures, errs, skipped)
	}
}

// TestListProblemPartWay: a problem with the list found part way (a NUL
// byte in a list of lines) ends the run there with a usage error, after
// the results of the names before it, in an output that is still whole.
func TestListProblemPartWay(t *testing.T) {
	list := samples + "/hello-16k-mono.wav\n" + samples + "/hello.mp3\nbad\x00name\n" + samples + "/hello.mp3\n"
	code, out, stderr := run(t, nil, list, "check", "--header-only", "-o", "json", "--files-from", "-")
	if code != ExitError || !strings.Contains(stderr, "NUL byte on line 3") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	var doc struct {
		Results []struct{ Input string }
		Summary struct{ Total int }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Summary.Total != 2 || len(doc.Results) != 2 {
		t.Errorf("output %v: %+v\n%s", err, doc, out)
	}
}

// TestClosedOutputStopsTheRun: a standard output that fails stops the run
// with an error, whatever is left to check.
func TestClosedOutputStopsTheRun(t *testing.T) {
	list := &lazyList{n: 1_000_000}
	var errOut bytes.Buffer
	a := &app{in: list, out: failingWriter{}, errOut: &errOut, getenv: func(string) string { return "" }}
	code := execute([]string{"check", "-o", "jsonl", "--files-from", "-"}, a)
	if code == 0 || !strings.Contains(errOut.String(), "writing results") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
	if r := list.read.Load(); r > 4<<20 {
		t.Errorf("%d bytes of the list read after standard output failed", r)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }
