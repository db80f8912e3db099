package config

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite schema/audiopreflight.schema.json")

func TestDecode(t *testing.T) {
	cfg, err := Decode("c.yaml", []byte(`# a comment
request: scripted
sync-limit: 5MB
max-input-size: 4800000
header-only: true
jobs: 4
include: ["**/*.wav", "**/*.flac"]
output: [github, junit=preflight.xml]
paths:
  - recordings/
ignore:
  - path: legacy/**/*.wav
    exceptions: [InvalidAudioFormat, AudioTooBigForSync]
    reason: recorded before the rule
  - path: "*.flac"
    reason: any exception
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range cfg.Settings {
		got = append(got, s.Key+"="+strings.Join(s.Values, ",")+" @"+itoa(s.Pos.Line)+":"+itoa(s.Pos.Column))
	}
	want := []string{"request=scripted @2:1", "sync-limit=5MB @3:1", "max-input-size=4800000 @4:1", "header-only=true @5:1",
		"jobs=4 @6:1", "include=**/*.wav,**/*.flac @7:1", "output=github,junit=preflight.xml @8:1"}
	if !slices.Equal(got, want) {
		t.Errorf("settings %q\nwant     %q", got, want)
	}
	if !slices.Equal(cfg.Paths, []string{"recordings/"}) || cfg.PathsPos != (Pos{9, 1}) {
		t.Errorf("paths %q at %v", cfg.Paths, cfg.PathsPos)
	}
	if len(cfg.Ignore) != 2 || cfg.Ignore[0].Path != "legacy/**/*.wav" || cfg.Ignore[0].Pos != (Pos{12, 5}) ||
		!slices.Equal(cfg.Ignore[0].Exceptions, []string{"InvalidAudioFormat", "AudioTooBigForSync"}) || cfg.Ignore[1].Exceptions != nil {
		t.Errorf("ignore %+v", cfg.Ignore)
	}
	abs, _ := filepath.Abs(".")
	if cfg.Dir != abs {
		t.Errorf("dir %q", cfg.Dir)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// Every mistake is reported at its file:line:column, all of them at once.
func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		doc  string
		want []string
	}{
		{"sync_limit: 5MB\n", []string{`c.yaml:1:1: unknown key "sync_limit" (did you mean sync-limit?)`}},
		{"Request: scripted\n", []string{`c.yaml:1:1: unknown key "Request" (did you mean request?)`}},
		{"colour: red\n", []string{`c.yaml:1:1: unknown key "colour"`}},
		{"token: abc\n", []string{`c.yaml:1:1: unknown key "token"`}},
		{"strict: yes\n", []string{`c.yaml:1:9: strict: want true or false, got the string "yes"`}},
		{"jobs: four\n", []string{`c.yaml:1:7: jobs: want a whole number, got the string "four"`}},
		{"request: 1\n", []string{`c.yaml:1:10: request: want a string, got the number 1`}},
		{"request:\n", []string{`c.yaml:1:9: request: want a string, got nothing`}},
		{"include: '*.wav'\n", []string{`c.yaml:1:10: include: want a list, like ["**/*.wav"], got the string "*.wav"`}},
		{"paths: [a, '']\n", []string{`c.yaml:1:12: paths: each item must be a non-empty string, got the string ""`}},
		{"strict: true\nstrict: false\n", []string{`c.yaml:2:1: strict is set twice`}},
		{"- request\n", []string{`c.yaml:1:1: want a mapping of settings (request: scripted, …), got a list`}},
		{"request: [a\n", []string{`c.yaml:1:1: not valid YAML: did not find expected ',' or ']'`}},
		{"request: a\n---\nmode: sync\n", []string{`c.yaml:2:1: a second YAML document: a config file holds one`}},
		{"ignore:\n  - path: a\n", []string{`c.yaml:2:5: ignore: this entry has no reason (each entry needs a path and the reason the team accepts it)`}},
		{"ignore:\n  - reason: because\n", []string{`c.yaml:2:5: ignore: this entry has no path (each entry needs a path and the reason the team accepts it)`}},
		{"ignore:\n  - path: a\n    reason: '  '\n", []string{`c.yaml:3:13: ignore: reason: say why the team accepts these rejections, got the string "  "`}},
		{"ignore:\n  - path: 'a/[b'\n    reason: r\n", []string{`c.yaml:2:11: ignore: path: not a valid glob (an unclosed [ or {, or a trailing \?)`}},
		{"ignore:\n  - path: a\n    reason: r\n    exceptions: [InvalidAudioFormt, Nope]\n", []string{
			`c.yaml:4:18: ignore: exceptions: "InvalidAudioFormt" is not an exception of the API (did you mean InvalidAudioFormat?)`,
			`c.yaml:4:37: ignore: exceptions: "Nope" is not an exception of the API (audiopreflight errors lists them)`}},
		{"ignore:\n  - path: a\n    reason: r\n    why: x\n", []string{`c.yaml:4:5: unknown key "why"`}},
		{"ignore: a\n", []string{`c.yaml:1:9: ignore: want a list of entries (- path: …, reason: …), got the string "a"`}},
		{"strict: 1\njobs: x\nsync_limit: 1\n", []string{
			`c.yaml:1:9: strict: want true or false, got the number 1`,
			`c.yaml:2:7: jobs: want a whole number, got the string "x"`,
			`c.yaml:3:1: unknown key "sync_limit" (did you mean sync-limit?)`}},
	}
	for _, tt := range tests {
		_, err := Decode("c.yaml", []byte(tt.doc))
		var got []string
		var errs Errors
		var one *Error
		switch {
		case errors.As(err, &errs):
			for _, e := range errs {
				got = append(got, e.Error())
			}
		case errors.As(err, &one):
			got = []string{one.Error()}
		case err != nil:
			t.Fatalf("%q: untyped error %v", tt.doc, err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q:\n got  %q\n want %q", tt.doc, got, tt.want)
		}
	}
}

func TestDecodeEmpty(t *testing.T) {
	for _, doc := range []string{"", "# only a comment\n", "---\n"} {
		cfg, err := Decode("c.yaml", []byte(doc))
		if err != nil || len(cfg.Settings) != 0 || cfg.Paths != nil || cfg.Ignore != nil {
			t.Errorf("%q: %+v, %v", doc, cfg, err)
		}
	}
}

func TestLoadRefusesWhatIsNotAConfig(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("#"), MaxSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than 1024 KiB") {
		t.Errorf("a large file: %v", err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

// Find walks up from the directory to the repository's root, the nearest
// file winning; both names in one directory is an error.
func TestFind(t *testing.T) {
	root := t.TempDir()
	mk := func(p string) {
		full := filepath.Join(root, p)
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			return
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("outside/.audiopreflight.yaml")
	mk("outside/repo/.git/")
	mk("outside/repo/a/b/c/")
	mk("outside/repo/a/.audiopreflight.yml")
	mk("outside/repo/x/y/")
	mk("outside/plain/deep/")
	mk("both/.audiopreflight.yaml")
	mk("both/.audiopreflight.yml")
	mk("both/sub/")
	tests := []struct{ dir, want, err string }{
		{"outside/repo/a/b/c", "outside/repo/a/.audiopreflight.yml", ""},
		{"outside/repo/a", "outside/repo/a/.audiopreflight.yml", ""},
		// The repository's root stops the walk: the file above it is
		// not this repository's.
		{"outside/repo/x/y", "", ""},
		{"outside/repo", "", ""},
		// Outside a repository the walk goes on up.
		{"outside/plain/deep", "outside/.audiopreflight.yaml", ""},
		{"both/sub", "", "are both config files: keep one"},
	}
	for _, tt := range tests {
		got, err := Find(filepath.Join(root, tt.dir))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.dir, err, tt.err)
			}
			continue
		}
		want := ""
		if tt.want != "" {
			want = filepath.Join(root, tt.want)
		}
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", tt.dir, got, err, want)
		}
	}
}

// The starter file is valid, and uncommented it sets every key with a
// valid example, so it says something about each.
func TestStarterCoversEveryKey(t *testing.T) {
	if cfg, err := Decode("starter.yaml", []byte(Starter)); err != nil || len(cfg.Settings) != 0 {
		t.Fatalf("the starter as written: %v, %+v", err, cfg)
	}
	uncommented := regexp.MustCompile(`(?m)^#(\S|  )`).ReplaceAllString(Starter, "$1")
	cfg, err := Decode("starter.yaml", []byte(uncommented))
	if err != nil {
		t.Fatalf("the starter uncommented: %v\n%s", err, uncommented)
	}
	var set []string
	for _, s := range cfg.Settings {
		set = append(set, s.Key)
	}
	for _, k := range Keys() {
		if !slices.Contains(set, k) {
			t.Errorf("the starter does not show %s", k)
		}
	}
	if len(cfg.Paths) == 0 || len(cfg.Ignore) == 0 {
		t.Errorf("the starter does not show paths and ignore: %+v", cfg)
	}
}

// The committed schema, which the binary serves, is the one the Go types
// generate (go test ./internal/config -update rewrites it).
func TestSchemaIsCurrent(t *testing.T) {
	got, err := generateSchema()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "schema", "audiopreflight.schema.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the Go types generate: go test ./internal/config -update", path)
	}
	for _, k := range append(Keys(), "paths", "ignore") {
		if !bytes.Contains(got, []byte(`"`+k+`": {`)) {
			t.Errorf("the schema has no property %s", k)
		}
	}
}

func TestIgnoreEntryMatch(t *testing.T) {
	e := IgnoreEntry{Path: "legacy/**/*.wav", Exceptions: []string{"InvalidAudioFormat"}}
	for name, want := range map[string]bool{
		"legacy/a.wav": true, "legacy/2019/b/c.wav": true, "legacy/a.flac": false, "new/legacy/a.wav": false, "../legacy/a.wav": false,
	} {
		if e.Match(name) != want {
			t.Errorf("%s: match %v", name, !want)
		}
	}
	if !e.Covers("InvalidAudioFormat") || e.Covers("AudioTooBigForSync") {
		t.Error("covers")
	}
	if any := (IgnoreEntry{Path: "*"}); !any.Covers("AudioTooBigForSync") {
		t.Error("an entry without exceptions covers them all")
	}
}
