package cmd

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repo lays out a repository as a team has one: the config file at its
// root, recordings two directories down, and the test's working directory
// two directories below the root.
func repo(t *testing.T, cfg string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"takes/ok.wav":         "hello-16k-mono.wav",
		"takes/stereo.flac":    "hello-44k-stereo.flac",
		"legacy/old/take.flac": "hello-44k-stereo.flac",
	}
	for dst, src := range files {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "samples", src))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(root, dst), string(b))
	}
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "tools", "ci"), 0o755); err != nil {
		t.Fatal(err)
	}
	if cfg != "" {
		writeFile(t, filepath.Join(root, ".audiopreflight.yaml"), cfg)
	}
	t.Chdir(filepath.Join(root, "tools", "ci"))
	return root
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Every config key is a check flag, and every check flag a key or left
// out for a stated reason (a credential, a one-run choice).
func TestConfigKeysAreCheckFlags(t *testing.T) {
	missingFlags, missingKeys := configKeysAreCheckFlags(newCheckCmd(&app{getenv: func(string) string { return "" }}))
	if len(missingFlags) > 0 {
		t.Errorf("config keys without a check flag: %v", missingFlags)
	}
	if len(missingKeys) > 0 {
		t.Errorf("check flags with no config key (add one to config.File, or say why in notInConfig): %v", missingKeys)
	}
}

type shownConfig struct {
	ConfigFile string `json:"config_file"`
	Settings   map[string]struct {
		Value  any    `json:"value"`
		Source string `json:"source"`
	} `json:"settings"`
	Paths []string `json:"paths"`
}

func configShow(t *testing.T, env map[string]string, args ...string) shownConfig {
	t.Helper()
	code, out, stderr := run(t, env, "", append([]string{"config", "show", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("config show: exit %d, %s", code, stderr)
	}
	var s shownConfig
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return s
}

// A flag wins over its variable, which wins over the config file, which
// wins over the default; config show says which gave each value.
func TestConfigPrecedence(t *testing.T) {
	repo(t, "request: scripted\nmode: async\nsync-limit: 5MB\nstrict: true\njobs: 3\ninclude: ['**/*.wav']\n")
	env := map[string]string{"AUDIOPREFLIGHT_MODE": "sync", "AUDIOPREFLIGHT_SYNC_LIMIT": "2MB"}
	s := configShow(t, env, "--sync-limit", "1MB")
	want := map[string]struct {
		value  any
		source string
	}{
		"sync-limit":  {"1 MB", "flag --sync-limit"},
		"mode":        {"sync", "environment AUDIOPREFLIGHT_MODE"},
		"request":     {"scripted", "../../.audiopreflight.yaml:1:1"},
		"strict":      {true, "../../.audiopreflight.yaml:4:1"},
		"jobs":        {"3", "../../.audiopreflight.yaml:5:1"},
		"include":     {[]any{"**/*.wav"}, "../../.audiopreflight.yaml:6:1"},
		"header-only": {false, "default"},
		"timeout":     {"30s", "default"},
	}
	for k, w := range want {
		got := s.Settings[k]
		if got.Source != w.source || !jsonEqual(got.Value, w.value) {
			t.Errorf("%s: %v from %q, want %v from %q", k, got.Value, got.Source, w.value, w.source)
		}
	}
	if s.ConfigFile != "../../.audiopreflight.yaml" {
		t.Errorf("config file %q", s.ConfigFile)
	}
	// --no-config and AUDIOPREFLIGHT_NO_CONFIG read none; --config and
	// AUDIOPREFLIGHT_CONFIG name one.
	for _, tt := range []struct {
		env  map[string]string
		args []string
		file string
	}{
		{nil, []string{"--no-config"}, ""},
		{map[string]string{"AUDIOPREFLIGHT_NO_CONFIG": "1"}, nil, ""},
		{nil, []string{"--config", "../../.audiopreflight.yaml"}, "../../.audiopreflight.yaml"},
		{map[string]string{"AUDIOPREFLIGHT_CONFIG": "../../.audiopreflight.yaml"}, nil, "../../.audiopreflight.yaml"},
	} {
		s := configShow(t, tt.env, tt.args...)
		request := s.Settings["request"]
		if s.ConfigFile != tt.file || (tt.file == "") != (request.Source == "default") {
			t.Errorf("%v %v: config file %q, request from %q", tt.env, tt.args, s.ConfigFile, request.Source)
		}
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// check, run two directories below the config file, checks the file's
// paths (relative to the file), lets the accepted rejection pass as
// ignored, and fails on the others.
func TestCheckWithTheConfigFileUpTheTree(t *testing.T) {
	repo(t, `paths: [takes/, legacy/]
ignore:
  - path: legacy/**
    exceptions: [InvalidAudioFormat]
    reason: recorded before the 16 kHz rule
`)
	code, out, stderr := run(t, nil, "", "check", "-o", "jsonl")
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct {
			Input, Status string
			Ignored       *struct{ Reason, By string }
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		by := ""
		if r.Ignored != nil {
			by = " by " + r.Ignored.By + ": " + r.Ignored.Reason
		}
		got = append(got, r.Input+" "+r.Status+by)
	}
	want := []string{
		"../../takes/ok.wav accepted",
		"../../takes/stereo.flac rejected",
		"../../legacy/old/take.flac ignored by ../../.audiopreflight.yaml:3:5: recorded before the 16 kHz rule",
	}
	if code != ExitRejected || !slices.Equal(got, want) || stderr != "" {
		t.Errorf("exit %d, stderr %q, results:\n%s\nwant:\n%s", code, stderr, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Inputs on the command line win over the paths.
	code, out, _ = run(t, nil, "", "check", "../../legacy")
	if code != ExitOK || !strings.Contains(out, "1 input: 0 accepted, 0 rejected, 1 ignored") || !strings.Contains(out, "~ ../../legacy/old/take.flac  ignored InvalidAudioFormat") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestCheckConfigErrors(t *testing.T) {
	tests := []struct {
		cfg  string
		env  map[string]string
		args []string
		want string
	}{
		{"sync_limit: 5MB\n", nil, nil, `audiopreflight: ../../.audiopreflight.yaml:1:1: unknown key "sync_limit" (did you mean sync-limit?)` + "\n"},
		// A value is judged by its flag, as on the command line.
		{"sync-limit: ten\n", nil, nil, `audiopreflight: ../../.audiopreflight.yaml:1:1: sync-limit: invalid value "ten": `},
		{"request: scripted\nmode: later\n", nil, nil, `audiopreflight: ../../.audiopreflight.yaml:2:1: mode: invalid value "later": must be one of sync, async` + "\n"},
		{"request: [scripted]\n", nil, nil, `audiopreflight: ../../.audiopreflight.yaml:1:10: request: want a string, got a list` + "\n"},
		{"include: ['**/*.wav', '**/*.flac']\nexclude: ['stereo*']\n", nil, []string{"../../takes"}, ""},
		{"jobs: -1\n", nil, nil, `audiopreflight: ../../.audiopreflight.yaml:1:1: jobs: invalid value "-1": must be 1 or more, or 0 for one per CPU` + "\n"},
		// What the command line or the environment sets is not read from
		// the file, so a bad value there is not an error.
		{"mode: later\n", map[string]string{"AUDIOPREFLIGHT_MODE": "async"}, []string{"../../takes/ok.wav"}, ""},
		{"", nil, []string{"--config", "nope.yaml", "x.wav"}, "audiopreflight: config file nope.yaml: not found\n"},
		{"", nil, []string{"--config", "a.yaml", "--no-config", "x.wav"}, "audiopreflight: check: --config and --no-config contradict each other\nRun 'audiopreflight check --help' for usage.\n"},
		{"request: scripted\n", nil, nil, "audiopreflight: check: give at least one INPUT (a file, a directory, a glob, or - for standard input), or --files-from, or paths in the config file\nRun 'audiopreflight check --help' for usage.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			repo(t, tt.cfg)
			code, _, stderr := run(t, tt.env, "", append([]string{"check"}, tt.args...)...)
			if tt.want == "" {
				if code != ExitOK || stderr != "" {
					t.Errorf("exit %d, stderr %q", code, stderr)
				}
				return
			}
			if code != ExitError || !strings.HasPrefix(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q\nwant %q", code, stderr, tt.want)
			}
		})
	}
}

// An ignore entry that let nothing pass is warned about: its path
// matched no input, or the inputs it matched had another verdict.
func TestUnusedIgnoreEntriesWarn(t *testing.T) {
	repo(t, `ignore:
  - path: gone/**
    reason: deleted long ago
  - path: takes/*.flac
    exceptions: [AudioTooBigForSync]
    reason: too big once
  - path: takes/*.flac
    reason: anything
`)
	code, out, stderr := run(t, nil, "", "check", "../../takes")
	want := "audiopreflight: warning: ../../.audiopreflight.yaml:2:5: the ignore entry for gone/** (any rejection) let nothing pass: no input of this run matched its path; remove it once the recordings are fixed\n" +
		"audiopreflight: warning: ../../.audiopreflight.yaml:4:5: the ignore entry for takes/*.flac (AudioTooBigForSync) let nothing pass: the 1 input its path matched had no AudioTooBigForSync; remove it once the recordings are fixed\n"
	if code != ExitOK || stderr != want || !strings.Contains(out, "(../../.audiopreflight.yaml:7:5)") {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s\nout:\n%s", code, stderr, want, out)
	}
}

// A baseline from an earlier report — JSON, JSONL, or written by
// --write-baseline — lets pass exactly the (input, exception) pairs it
// holds; a new rejection, or a new exception for the same input, fails.
func TestBaseline(t *testing.T) {
	root := repo(t, "")
	// Last week's reports, from the repository's root.
	t.Chdir(root)
	code, jsonReport, _ := run(t, nil, "", "check", "-o", "json", "takes")
	_, jsonlReport, _ := run(t, nil, "", "check", "-o", "jsonl", "takes")
	if code != ExitRejected {
		t.Fatalf("exit %d", code)
	}
	writeFile(t, filepath.Join(root, "reports", "last-week.json"), jsonReport)
	writeFile(t, filepath.Join(root, "last-week.jsonl"), jsonlReport)
	code, _, stderr := run(t, nil, "", "check", "--write-baseline", "tools/baseline.json", "takes")
	if code != ExitRejected || stderr != "" {
		t.Fatalf("--write-baseline: exit %d, %s", code, stderr)
	}
	written, _ := os.ReadFile(filepath.Join(root, "tools", "baseline.json"))
	if !strings.Contains(string(written), `"input": "../takes/stereo.flac"`) || strings.Contains(string(written), "ok.wav") {
		t.Errorf("the baseline names files relative to itself and holds only the rejections:\n%s", written)
	}
	// This week a new rejected file joins, run from elsewhere too.
	b, _ := os.ReadFile(filepath.Join(root, "takes", "stereo.flac"))
	writeFile(t, filepath.Join(root, "takes", "new.flac"), string(b))
	for _, tt := range []struct{ dir, baseline, takes string }{
		{root, "reports/last-week.json", "takes"},
		{root, "last-week.jsonl", "takes"},
		{root, "tools/baseline.json", "takes"},
		{filepath.Join(root, "tools", "ci"), "../baseline.json", "../../takes"},
		{filepath.Join(root, "tools", "ci"), "../../reports/last-week.json", "../../takes"},
	} {
		t.Chdir(tt.dir)
		code, out, stderr := run(t, nil, "", "check", "-o", "jsonl", "--baseline", tt.baseline, tt.takes)
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var r struct{ Input, Status string }
			json.Unmarshal([]byte(line), &r)
			got = append(got, filepath.Base(r.Input)+" "+r.Status)
		}
		want := []string{"new.flac rejected", "ok.wav accepted", "stereo.flac ignored"}
		if code != ExitRejected || !slices.Equal(got, want) || stderr != "" {
			t.Errorf("%s --baseline %s: exit %d, %v, want %v; stderr %s", tt.dir, tt.baseline, code, got, want, stderr)
		}
	}
	// The same input with another verdict is new: scripted rejects it no more,
	// an async check of a too-big file would not be in the baseline.
	t.Chdir(root)
	for _, bad := range []struct{ content, want string }{
		{"", "baseline bad: not a JSON or JSONL report of audiopreflight check: it is empty"},
		{"[1]", "baseline bad: not a JSON or JSONL report of audiopreflight check: it starts with [, not an object"},
		{`{"a": 1}`, `baseline bad: not a JSON or JSONL report of audiopreflight check: its first object has neither "results" (a JSON report) nor "input_id" (a JSONL result)`},
		{`{"schema_version": 2, "results": []}`, "written by a newer audiopreflight"},
		{"{\"input_id\": \"x\"}\nnot json\n", "line 2: invalid character"},
	} {
		writeFile(t, filepath.Join(root, "bad"), bad.content)
		code, _, stderr := run(t, nil, "", "check", "--baseline", "bad", "takes")
		if code != ExitError || !strings.Contains(stderr, bad.want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", bad.content, code, stderr, bad.want)
		}
	}
}

func TestConfigInitWritesAValidStarter(t *testing.T) {
	root := repo(t, "")
	code, out, stderr := run(t, nil, "", "config", "init")
	if code != 0 || out != "wrote ../../.audiopreflight.yaml: uncomment what your repository needs; audiopreflight config verify checks it\n" {
		t.Fatalf("exit %d, %q, %q", code, out, stderr)
	}
	if _, err := os.Stat(filepath.Join(root, ".audiopreflight.yaml")); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, nil, "", "config", "init")
	if code != ExitError || !strings.Contains(stderr, "../../.audiopreflight.yaml exists: config init leaves it alone (--force overwrites it)") {
		t.Errorf("second init: exit %d, %q", code, stderr)
	}
	if code, _, stderr = run(t, nil, "", "config", "init", "--force"); code != 0 {
		t.Errorf("--force: exit %d, %q", code, stderr)
	}
	code, out, stderr = run(t, nil, "", "config", "verify")
	if code != 0 || out != "../../.audiopreflight.yaml: valid (0 settings, 0 paths, 0 ignore entries)\n" {
		t.Errorf("verify: exit %d, %q, %q", code, out, stderr)
	}
}

func TestConfigVerify(t *testing.T) {
	repo(t, "")
	writeFile(t, "good.yml", "request: scripted\noutput: json\npaths: [a/]\nignore:\n  - path: x\n    reason: y\n")
	writeFile(t, "bad.yml", "request: scripted\nsync-limit: 12 parsecs\nstrictt: true\n")
	code, out, _ := run(t, nil, "", "config", "verify", "good.yml")
	if code != 0 || out != "good.yml: valid (2 settings, 1 paths, 1 ignore entries)\n" {
		t.Errorf("good: exit %d, %q", code, out)
	}
	code, _, stderr := run(t, nil, "", "config", "verify", "bad.yml")
	if code != ExitError || stderr != "audiopreflight: bad.yml:3:1: unknown key \"strictt\" (did you mean strict?)\n" {
		t.Errorf("bad: exit %d, %q", code, stderr)
	}
	writeFile(t, "bad.yml", "request: scripted\nsync-limit: 12 parsecs\n")
	code, _, stderr = run(t, nil, "", "config", "verify", "bad.yml")
	if code != ExitError || !strings.HasPrefix(stderr, `audiopreflight: bad.yml:2:1: sync-limit: invalid value "12 parsecs"`) {
		t.Errorf("bad value: exit %d, %q", code, stderr)
	}
	code, _, stderr = run(t, nil, "", "config", "verify")
	if code != ExitError || !strings.Contains(stderr, "no config file found") {
		t.Errorf("none: exit %d, %q", code, stderr)
	}
}

// config schema prints the published file byte for byte, the one editors
// fetch from the repository.
func TestConfigSchemaPrintsThePublishedFile(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "schema", "audiopreflight.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, nil, "", "config", "schema")
	if code != 0 || out != string(want) || stderr != "" {
		t.Errorf("config schema: exit %d, stderr %q, output equal to the file: %v", code, stderr, out == string(want))
	}
}

// The published schema and the decoder agree: a file the schema takes,
// config verify takes, and one it refuses, config verify refuses.
func TestSchemaAgreesWithVerify(t *testing.T) {
	python := "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import jsonschema").Run(); err != nil {
		msg := "the schema test needs python3-jsonschema (apt-get install python3-jsonschema; .ci/run installs it)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	schema, err := filepath.Abs(filepath.Join("..", "schema", "audiopreflight.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	repo(t, "")
	docs := []struct {
		doc   string
		valid bool
	}{
		{"request: scripted\n", true},
		{"sync-limit: 5MB\nmax-input-size: 4800000\n", true},
		{"sync-limit: 1.5 GiB\n", true},
		{"output: github\n", true},
		{"output: [github, junit=preflight.xml]\n", true},
		{"timeout: 1m30s\njobs: 0\n", true},
		{"ignore:\n  - path: a/**\n    exceptions: [InvalidAudioFormat]\n    reason: ok\n", true},
		{"request: maybe\n", false},
		{"sync_limit: 5MB\n", false},
		// (strict: yes is left out: YAML 1.1 readers, like PyYAML, take yes
		// for true; YAML 1.2, which editors and this decoder read, a string.)
		{"jobs: -1\n", false},
		{"max-conns-per-host: 0\n", false},
		{"timeout: soon\n", false},
		{"sync-limit: ten\n", false},
		{"include: '*.wav'\n", false},
		{"ignore:\n  - path: a\n", false},
		{"ignore:\n  - path: a\n    reason: ' '\n", false},
		{"ignore:\n  - path: a\n    reason: r\n    exceptions: [Nope]\n", false},
		{"token: abc\n", false},
	}
	for i, d := range docs {
		name := filepath.Join(t.TempDir(), "c.yaml")
		writeFile(t, name, d.doc)
		code, _, stderr := run(t, nil, "", "config", "verify", name)
		if (code == 0) != d.valid {
			t.Errorf("%d %q: config verify exit %d (%s), want valid=%v", i, d.doc, code, stderr, d.valid)
		}
		py := exec.Command(python, "-c", `import sys, json, yaml, jsonschema
jsonschema.validate(yaml.safe_load(open(sys.argv[2])), json.load(open(sys.argv[1])))`, schema, name)
		out, err := py.CombinedOutput()
		if (err == nil) != d.valid {
			t.Errorf("%d %q: the schema says valid=%v, want %v: %s", i, d.doc, err == nil, d.valid, out)
		}
	}
}
