package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// binary is the audiopreflight binary built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "audiopreflight-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "audiopreflight")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building audiopreflight: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runBinary runs the built binary as a user would and returns its exit
// status and streams.
func runBinary(t *testing.T, stdin []byte, env []string, args ...string) (int, string, string) {
	t.Helper()
	c := exec.Command(binary, args...)
	c.Stdin = bytes.NewReader(stdin)
	c.Env = append(os.Environ(), "NO_COLOR=1")
	c.Env = append(c.Env, env...)
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut
	err := c.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

const samples = "testdata/samples"

func TestEndToEndExitStatus(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"check", samples + "/hello-16k-mono.wav", samples + "/hello-16k-mono.flac", samples + "/hello-16k-mono.opus"}, 0},
		{[]string{"check", samples}, 1},
		{[]string{"check", "--request", "scripted", samples + "/hello.mp3", samples + "/hello-44k-stereo.flac"}, 0},
		{[]string{"check", samples + "/hello-16k-mono.wav", samples + "/does-not-exist.wav"}, 2},
		{[]string{"check", "--mode", "later", samples}, 2},
		{[]string{"explain", "MissingAudioParam"}, 0},
		{[]string{"explain", "no such thing"}, 1},
		{[]string{"errors", "-o", "json"}, 0},
		{[]string{"fix", "--dry-run", samples + "/hello-44k-stereo.flac", samples + "/hello-16k-mono.wav"}, 0},
		{[]string{"fix", "--dry-run", "--ffmpeg", "none", samples}, 1},
		{[]string{"fix", "--no-backup", samples}, 2},
	}
	for _, tt := range tests {
		code, _, stderr := runBinary(t, nil, nil, tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", tt.args, code, tt.code, stderr)
		}
	}
}

func TestEndToEndStreamsAreSeparate(t *testing.T) {
	code, out, stderr := runBinary(t, nil, nil, "check", "-o", "json", samples+"/hello-16k-mono.wav", samples+"/missing.wav")
	if code != 2 {
		t.Errorf("exit %d", code)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Errorf("stdout is not one JSON document: %v\n%s", err, out)
	}
	if stderr != "" {
		t.Errorf("a per-input error went to stderr too: %q", stderr)
	}
	code, out, stderr = runBinary(t, nil, nil, "check", "--jobs", "x", samples)
	if code != 2 || out != "" || !strings.HasPrefix(stderr, "audiopreflight: ") {
		t.Errorf("usage error: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

func TestEndToEndFilesFromStdinWithNUL(t *testing.T) {
	names := []string{samples + "/hello-16k-mono.wav", samples + "/hello.m4a", samples + "/odd name\nwith newline.wav"}
	list := strings.Join(names, "\x00") + "\x00"
	code, out, _ := runBinary(t, []byte(list), nil, "check", "--files-from", "-", "-0", "-o", "jsonl")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || code != 2 {
		t.Fatalf("exit %d, %d results:\n%s", code, len(lines), out)
	}
	for i, line := range lines {
		var r struct{ Input string }
		if err := json.Unmarshal([]byte(line), &r); err != nil || r.Input != names[i] {
			t.Errorf("result %d: %q (%v), want input %q", i, line, err, names[i])
		}
	}
}

func TestEndToEndJobsDoNotChangeOutput(t *testing.T) {
	for _, format := range []string{"jsonl", "github", "junit"} {
		_, one, _ := runBinary(t, nil, nil, "check", "-j", "1", "-o", format, samples, "testdata/corpus")
		_, eight, _ := runBinary(t, nil, nil, "check", "-j", "8", "-o", format, samples, "testdata/corpus")
		// The run's wall time is the one thing allowed to differ.
		one, eight = elapsed.ReplaceAllString(one, `time=""`), elapsed.ReplaceAllString(eight, `time=""`)
		if one != eight {
			t.Errorf("-o %s: -j 1 and -j 8 differ", format)
		}
		if len(one) < 100 {
			t.Errorf("-o %s: suspiciously short output %q", format, one)
		}
	}
}

var elapsed = regexp.MustCompile(`time="[0-9.]+"`)

func TestEndToEndStdinAudio(t *testing.T) {
	audio, err := os.ReadFile(samples + "/hello-16k-mono.flac")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := runBinary(t, audio, nil, "check", "-o", "jsonl", "-")
	var r struct {
		Input, Source string
		Accepted      bool
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 || r.Input != "-" || r.Source != "stdin" || !r.Accepted {
		t.Errorf("exit %d, %+v, %v", code, r, err)
	}
}

// TestEndToEndAuthFromTheEnvironment runs the binary as a CI job would:
// the token comes from a secret through the environment, set or not.
func TestEndToEndAuthFromTheEnvironment(t *testing.T) {
	const token = "ci_secret_4f3e2d1c0b9aZYXW"
	ok := samples + "/hello-16k-mono.wav"
	tests := []struct {
		env  []string
		args []string
		code int
		want string
	}{
		{nil, []string{"check", "--check-auth", ok}, 1, "NoTokenProvided"},
		{[]string{"AUDIOPREFLIGHT_TOKEN="}, []string{"check", "--check-auth", ok}, 1, "NoTokenProvided"},
		{[]string{"AUDIOPREFLIGHT_TOKEN=" + token}, []string{"check", "--check-auth", ok}, 0, "accepted"},
		{[]string{"AUDIOPREFLIGHT_CHECK_AUTH=1", "AUDIOPREFLIGHT_TOKEN=" + token + "\n"}, []string{"check", ok}, 1, "InvalidSessionToken"},
		{[]string{"AUDIOPREFLIGHT_AUTHORIZATION=Bearer " + token}, []string{"check", "--check-auth", "--request", "scripted", ok}, 0, "accepted"},
		{[]string{"AUDIOPREFLIGHT_AUTHORIZATION=" + token}, []string{"check", "--check-auth", "--request", "scripted", ok}, 1, "InvalidHeaderParameter"},
	}
	for _, tt := range tests {
		env := append([]string{"AUDIOPREFLIGHT_TOKEN=", "AUDIOPREFLIGHT_AUTHORIZATION=", "AUDIOPREFLIGHT_CHECK_AUTH="}, tt.env...)
		code, out, stderr := runBinary(t, nil, env, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("%q %v: exit %d, output:\n%s", tt.env, tt.args, code, out)
		}
		if strings.Contains(out+stderr, token) || strings.Contains(out+stderr, "ZYXW") {
			t.Errorf("%q %v: the token leaked:\n%s%s", tt.env, tt.args, out, stderr)
		}
	}
}

// TestEndToEndCommandLine: the built binary keeps the command line's
// rules — CI-wide variables apply only where they are valid, usage
// mistakes exit 2 with one line, global flags work on either side of the
// command name.
func TestEndToEndCommandLine(t *testing.T) {
	ok := samples + "/hello-16k-mono.wav"
	tests := []struct {
		env        []string
		args       []string
		code       int
		wantStderr string
	}{
		{[]string{"AUDIOPREFLIGHT_OUTPUT=github"}, []string{"version"}, 0, ""},
		{[]string{"AUDIOPREFLIGHT_OUTPUT=junit", "AUDIOPREFLIGHT_JOBS=4", "AUDIOPREFLIGHT_STRICT=yes"}, []string{"probe", ok}, 0, ""},
		{[]string{"AUDIOPREFLIGHT_OUTPUT=github"}, []string{"explain", "MissingAudioParam"}, 0, ""},
		{[]string{"AUDIOPREFLIGHT_OUTPUT=jsonl", "AUDIOPREFLIGHT_REQUEST=scripted"}, []string{"errors"}, 0, ""},
		{[]string{"AUDIOPREFLIGHT_STRICT=on"}, []string{"check", ok}, 0, ""},
		{[]string{"AUDIOPREFLIGHT_SYNC_LIMIT=ten"}, []string{"check", ok}, 2, "invalid AUDIOPREFLIGHT_SYNC_LIMIT=\"ten\""},
		{nil, []string{"completion"}, 2, "completion: name the shell"},
		{nil, []string{"completion", "foo"}, 2, "unknown shell \"foo\""},
		{nil, []string{"chek", ok}, 2, "did you mean check?"},
		{nil, []string{"--no-color", "-o", "json", "check", ok}, 0, ""},
	}
	for _, tt := range tests {
		code, out, stderr := runBinary(t, nil, tt.env, tt.args...)
		if code != tt.code || (tt.wantStderr == "") != (stderr == "") || !strings.Contains(stderr, tt.wantStderr) {
			t.Errorf("%v %v: exit %d, stderr %q; want exit %d, stderr with %q", tt.env, tt.args, code, stderr, tt.code, tt.wantStderr)
		}
		if code == 2 && (out != "" || strings.Count(stderr, "\n") != 2) {
			t.Errorf("%v: a usage error is one line and the help hint: stdout %q, stderr %q", tt.args, out, stderr)
		}
	}
}

func flagUpdate() *bool {
	return flag.Bool("update", false, "rewrite the README's examples from real runs")
}
