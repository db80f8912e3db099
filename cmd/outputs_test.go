package cmd

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Several reports in one run: one to standard output, the others to files.
func TestSeveralOutputs(t *testing.T) {
	root := repo(t, "output: [github, json=reports/run.json]\n")
	code, out, stderr := run(t, nil, "", "check", "-o", "github", "-o", "junit=preflight.xml", "-o", "jsonl=-", "../../takes")
	if code != ExitError || out != "" || !strings.Contains(stderr, "at most one output goes to standard output") {
		t.Errorf("two to standard output: exit %d, %q", code, stderr)
	}
	code, out, stderr = run(t, nil, "", "check", "-o", "github", "-o", "junit=preflight.xml", "-o", "json=report.json", "../../takes")
	if code != ExitRejected || !strings.HasPrefix(out, "::error file=../../takes/stereo.flac,title=InvalidAudioFormat::") || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	var junit struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	b, _ := os.ReadFile("preflight.xml")
	if err := xml.Unmarshal(b, &junit); err != nil || junit.Tests != 2 || junit.Failures != 1 {
		t.Errorf("preflight.xml: %+v, %v\n%s", junit, err, b)
	}
	var doc struct {
		Summary struct{ Rejected, Accepted int }
	}
	b, _ = os.ReadFile("report.json")
	if err := json.Unmarshal(b, &doc); err != nil || doc.Summary.Rejected != 1 || doc.Summary.Accepted != 1 {
		t.Errorf("report.json: %+v, %v", doc, err)
	}
	// From the config file: its paths are relative to its directory.
	if err := os.MkdirAll(filepath.Join(root, "reports"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = run(t, nil, "", "check", "../../takes")
	b, err := os.ReadFile(filepath.Join(root, "reports", "run.json"))
	if code != ExitRejected || err != nil || !strings.Contains(string(b), `"rejected": 1`) || !strings.HasPrefix(out, "::error") {
		t.Errorf("config outputs: exit %d, %v, stdout %q, stderr %q", code, err, out, stderr)
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"-o", "yaml"}, "must be FORMAT or FORMAT=PATH, FORMAT one of text, json, jsonl, github, junit, markdown"},
		{[]string{"-o", "json=a", "-o", "junit=a"}, "a is written by two outputs"},
		{[]string{"-o", "json="}, "json=: give a file after =, or - for standard output"},
		{[]string{"-o", "json=no/such/dir/r.json"}, "-o json=no/such/dir/r.json: open no/such/dir/r.json: no such file or directory"},
	} {
		code, _, stderr := run(t, nil, "", append(append([]string{"check"}, bad.args...), "../../takes")...)
		if code != ExitError || !strings.Contains(stderr, bad.want) {
			t.Errorf("%v: exit %d, %q, want %q", bad.args, code, stderr, bad.want)
		}
	}
}

// In a GitHub Actions job, -o github also appends the markdown summary to
// $GITHUB_STEP_SUMMARY, after what earlier steps wrote there.
func TestGitHubWritesTheStepSummary(t *testing.T) {
	repo(t, "")
	summary := filepath.Join(t.TempDir(), "step_summary")
	writeFile(t, summary, "earlier\n")
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}
	code, out, _ := run(t, env, "", "check", "-o", "github", "../../takes")
	b, _ := os.ReadFile(summary)
	if code != ExitRejected || !strings.HasPrefix(string(b), "earlier\n## ❌ audiopreflight: the API would reject 1 of 2 inputs") ||
		!strings.Contains(string(b), "| ../../takes/stereo.flac | `InvalidAudioFormat` |") || strings.Contains(out, "## ") {
		t.Errorf("exit %d, summary:\n%s\nstdout:\n%s", code, b, out)
	}
	// Not outside a GitHub job, nor for the other formats.
	writeFile(t, summary, "")
	run(t, map[string]string{"GITHUB_STEP_SUMMARY": summary}, "", "check", "-o", "github", "../../takes")
	run(t, env, "", "check", "-o", "json", "../../takes")
	if b, _ := os.ReadFile(summary); len(b) != 0 {
		t.Errorf("summary written: %s", b)
	}
}
