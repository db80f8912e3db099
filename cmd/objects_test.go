package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/shard"
)

// With --exit-zero a run whose every input has its result exits 0, even
// with rejected and unreadable inputs; a usage error is still 2.
func TestExitZero(t *testing.T) {
	args := []string{"check", "-o", "jsonl", samples + "/hello-44k-stereo.flac", samples + "/missing.wav"}
	if code, _, _ := run(t, nil, "", args...); code != ExitError {
		t.Fatalf("without --exit-zero: exit %d", code)
	}
	code, out, _ := run(t, nil, "", append(args, "--exit-zero")...)
	if code != ExitOK || strings.Count(out, "\n") != 2 {
		t.Errorf("--exit-zero: exit %d, output %q", code, out)
	}
	if code, _, _ := run(t, map[string]string{"AUDIOPREFLIGHT_EXIT_ZERO": "1"}, "", "check", "--mode", "later", samples); code != ExitError {
		t.Errorf("--exit-zero with a usage error: exit %d", code)
	}
}

func inputsOf(t *testing.T, jsonl string) []string {
	t.Helper()
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		if line == "" {
			continue
		}
		var r struct{ Input string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		names = append(names, r.Input)
	}
	return names
}

// Every worker of an array job can be given the same --resume directory:
// each keeps its own report there, and a second run of a worker checks
// nothing again.
func TestResumeDirectoryPerShard(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports") + "/"
	all := inputsOf(t, func() string { _, out, _ := run(t, nil, "", "check", "-o", "jsonl", samples); return out }())
	var merged []string
	for k := range 3 {
		env := map[string]string{"JOB_COMPLETION_INDEX": string(rune('0' + k))}
		code, out, stderr := run(t, env, "", "check", "-o", "jsonl", "--exit-zero", "--shard-count", "3", "--resume", dir, samples)
		if code != 0 {
			t.Fatalf("shard %d: exit %d: %s", k, code, stderr)
		}
		for _, in := range inputsOf(t, out) {
			if shard.Of(in, 3) != k {
				t.Errorf("shard %d checked %s", k, in)
			}
		}
		report, err := os.ReadFile(filepath.Join(dir, "report-"+string(rune('0'+k))+"-of-3.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		if string(report) != out {
			t.Errorf("shard %d: the report differs from what was printed", k)
		}
		merged = append(merged, inputsOf(t, string(report))...)
		if _, again, _ := run(t, env, "", "check", "-o", "jsonl", "--shard-count", "3", "--resume", dir, samples); again != "" {
			t.Errorf("shard %d run again checked %q", k, again)
		}
	}
	slices.Sort(merged)
	slices.Sort(all)
	if !slices.Equal(merged, all) {
		t.Errorf("the shards' reports hold %q, one run %q", merged, all)
	}
	// Without shards, the directory holds report.jsonl.
	plain := t.TempDir()
	run(t, nil, "", "check", "-o", "jsonl", "--resume", plain, samples+"/hello-16k-mono.wav")
	if _, err := os.Stat(filepath.Join(plain, "report.jsonl")); err != nil {
		t.Error(err)
	}
}
