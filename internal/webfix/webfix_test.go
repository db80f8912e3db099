package webfix_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/cmd"
	"github.com/audiopreflight/audiopreflight/internal/webfix"
)

// fixInputs copies the inputs the fix comparisons use into dir, each
// family in its own directory, and returns their names relative to dir:
// the fix corpus, the browser captures and the samples (which take the
// decoding path, or need ffmpeg).
func fixInputs(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for family, glob := range map[string]string{
		"fix":           "testdata/corpus/fix/in/*",
		"mediarecorder": "testdata/mediarecorder/*.webm",
		"samples":       "testdata/samples/*",
	} {
		files, err := filepath.Glob(glob)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no files (%v)", glob, err)
		}
		if err := os.MkdirAll(filepath.Join(dir, family), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if st, err := os.Stat(f); err != nil || st.IsDir() || strings.HasSuffix(f, ".jsonl") {
				continue // the samples' expectations and base64 texts
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			name := family + "/" + filepath.Base(f)
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
		}
	}
	return names
}

// TestFixIsTheCLIsFix fixes each input as bytes named like the file and
// compares with `audiopreflight fix -o jsonl --ffmpeg none` run on the
// file: the report must be the CLI's line byte for byte, and the fixed
// bytes the file the CLI wrote. Each request and mode is tried.
func TestFixIsTheCLIsFix(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, v := range []struct {
		flags   []string
		options map[string]any
	}{
		{nil, map[string]any{}},
		{[]string{"--request", "scripted"}, map[string]any{"request": "scripted"}},
		{[]string{"--mode", "async", "--format", "flac"}, map[string]any{"mode": "async", "format": "flac"}},
		{[]string{"--sync-limit", "20000"}, map[string]any{"syncLimit": 20000}},
	} {
		t.Run(strings.Join(v.flags, " "), func(t *testing.T) {
			t.Chdir(repo)
			dir := t.TempDir()
			names := fixInputs(t, dir)
			t.Chdir(dir)
			// One run an input: two inputs of one run may not share a
			// fixed file's name (x.mka and x.opus), and the module fixes
			// each input alone.
			var lines, outputs [][]byte
			for _, name := range names {
				var stdout, stderr bytes.Buffer
				args := append([]string{"fix", "-o", "jsonl", "--ffmpeg", "none"}, v.flags...)
				if code := cmd.Execute(append(args, "--", name), strings.NewReader(""), &stdout, &stderr); code != 0 && code != 1 {
					t.Fatalf("fix %v %s: exit %d: %s", v.flags, name, code, stderr.String())
				}
				line := bytes.TrimSuffix(bytes.ReplaceAll(stdout.Bytes(), []byte(cliNoFFmpeg), []byte(browserNoFFmpeg)), []byte("\n"))
				var r struct{ Status, Output string }
				if err := json.Unmarshal(line, &r); err != nil {
					t.Fatal(err)
				}
				var out []byte
				if r.Status == "fixed" {
					// Read, and removed for the input with the same
					// fixed file's name (x.mka, x.opus).
					if out, err = os.ReadFile(r.Output); err != nil {
						t.Fatal(err)
					}
					os.Remove(r.Output)
				}
				lines, outputs = append(lines, line), append(outputs, out)
			}
			for i, name := range names {
				var want struct {
					Status, Method, Output string
					Lossless               bool
				}
				if err := json.Unmarshal(lines[i], &want); err != nil {
					t.Fatal(err)
				}
				in, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				opts := map[string]any{"name": name}
				for k, o := range v.options {
					opts[k] = o
				}
				text, _ := json.Marshal(opts)
				got, err := webfix.Fix(bytes.NewReader(in), text)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if !bytes.Equal(got.Report, lines[i]) {
					t.Errorf("%s:\nmodule %s\n   cli %s", name, got.Report, lines[i])
				}
				if got.Name != want.Output {
					t.Errorf("%s: named %q, the CLI wrote %q", name, got.Name, want.Output)
				}
				switch {
				case want.Status == "fixed":
					cliOut := outputs[i]
					if !bytes.Equal(got.Bytes, cliOut) {
						t.Errorf("%s: the module's %d bytes are not the %d the CLI wrote to %s", name, len(got.Bytes), len(cliOut), want.Output)
					}
				case got.Bytes != nil:
					t.Errorf("%s: %s, yet the module gives %d bytes", name, want.Status, len(got.Bytes))
				}
				counts[want.Status+" "+want.Method]++
			}
		})
	}
	t.Logf("compared: %v", counts)
	if counts["fixed opus-remux"] == 0 || counts["fixed opus-header"] == 0 || counts["fixed wav-header"] == 0 {
		t.Errorf("a lossless path is never compared: %v", counts)
	}
}

// The one difference between the command's line and the module's: what
// they say of ffmpeg, which `fix --ffmpeg none` does not run and a browser
// does not have.
const (
	cliNoFFmpeg     = "; ffmpeg would convert it (--ffmpeg none)"
	browserNoFFmpeg = "; ffmpeg would convert it, and a browser has none"
)

// TestFixOptions: options fix cannot take are TypeErrors that say what is
// wrong.
func TestFixOptions(t *testing.T) {
	for _, c := range []struct{ options, want string }{
		{`"scripted"`, "audiopreflight fix: options must be an object"},
		{`{"request": "Scripted"}`, `audiopreflight fix: request must be "unscripted" or "scripted", not "Scripted"`},
		{`{"headerOnly": true}`, `audiopreflight fix: unknown option "headerOnly" (the options are request, mode, syncLimit, name, format, force)`},
		{`{"format": "mp3"}`, `audiopreflight fix: format must be "auto", "wav" or "flac", not "mp3"`},
		{`{"force": 1}`, "audiopreflight fix: option force must be a boolean, not a number"},
		{`{"syncLimit": -1}`, "audiopreflight fix: syncLimit must be a whole number of bytes from 0 to 9007199254740991, not -1"},
	} {
		_, err := webfix.Fix(bytes.NewReader(nil), []byte(c.options))
		var oe *webfix.FixOptionError
		if !errors.As(err, &oe) || err.Error() != c.want {
			t.Errorf("%s: %v, want the option error %q", c.options, err, c.want)
		}
	}
}
