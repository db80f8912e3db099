package webcheck_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/cmd"
	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/internal/webcheck"
)

// cliLines runs `audiopreflight check -o jsonl` on names with flags, in
// process, and returns its lines.
func cliLines(t *testing.T, flags []string, names []string) [][]byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"check", "-o", "jsonl", "--quiet=false"}, flags...)
	args = append(args, "--")
	if code := cmd.Execute(append(args, names...), strings.NewReader(""), &stdout, &stderr); code != 0 && code != 1 {
		t.Fatalf("check %v: exit %d: %s", flags, code, stderr.String())
	}
	lines := bytes.Split(bytes.TrimSuffix(stdout.Bytes(), []byte("\n")), []byte("\n"))
	if len(lines) != len(names) {
		t.Fatalf("check %v: %d lines for %d inputs", flags, len(lines), len(names))
	}
	return lines
}

// TestCheckIsTheCLIsJSONLLine checks every input of the committed corpus
// and the samples with each request type, and the samples and the check
// family with every other option, as bytes named like the file: each line
// must be the one `check -o jsonl` prints for the file, byte for byte.
func TestCheckIsTheCLIsJSONLLine(t *testing.T) {
	t.Chdir("../..")
	dirs, err := filepath.Glob("testdata/corpus/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	dirs = append(dirs, "testdata/samples")
	type variant struct {
		flags   []string
		options map[string]any
	}
	compared := 0
	for _, dir := range dirs {
		// Base64 inputs are checked as the bytes they are (the module
		// has no base64 option).
		var names []string
		for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-unscripted.jsonl")) {
			names = append(names, filepath.ToSlash(filepath.Join(dir, v.Input)))
		}
		variants := []variant{
			{[]string{"--request", "unscripted"}, map[string]any{"request": "unscripted"}},
			{[]string{"--request", "scripted"}, map[string]any{"request": "scripted"}},
		}
		if base := filepath.Base(dir); base == "samples" || base == "check" {
			variants = append(variants,
				variant{nil, map[string]any{}},
				variant{[]string{"--sync-limit", "4096"}, map[string]any{"syncLimit": 4096}},
				variant{[]string{"--mode", "async", "--sync-limit", "4096"}, map[string]any{"mode": "async", "syncLimit": 4096}},
				variant{[]string{"--header-only", "--request", "scripted"}, map[string]any{"headerOnly": true, "request": "scripted"}},
			)
		}
		for _, v := range variants {
			want := cliLines(t, v.flags, names)
			for i, name := range names {
				data, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				v.options["name"] = name
				opts, _ := json.Marshal(v.options)
				got, err := webcheck.Check(data, opts)
				if err != nil {
					t.Fatalf("%s %s: %v", name, opts, err)
				}
				if !bytes.Equal(got, want[i]) {
					t.Errorf("%s %s:\n got %s\nwant %s", name, opts, got, want[i])
				}
				compared++
			}
		}
	}
	if compared < 2800 {
		t.Errorf("compared %d results, want every corpus input with both request types", compared)
	}
}

func TestCheckWithoutOptions(t *testing.T) {
	data, err := os.ReadFile("../../testdata/samples/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []string{"", "null", "{}", `{"name":null,"syncLimit":null}`} {
		line, err := webcheck.Check(data, []byte(opts))
		if err != nil {
			t.Fatalf("%q: %v", opts, err)
		}
		var r struct {
			Input  string `json:"input"`
			Source string `json:"source"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		if r.Input != webcheck.DefaultName || r.Source != "file" || r.Status != "accepted" {
			t.Errorf("%q: %+v, want input %q, source file, accepted", opts, r, webcheck.DefaultName)
		}
	}
}

func TestBadOptionsSayWhatIsWrong(t *testing.T) {
	for _, c := range []struct{ options, want string }{
		{`[]`, "options must be an object"},
		{`"scripted"`, "options must be an object"},
		{`{"request":"Scripted"}`, `request must be "unscripted" or "scripted", not "Scripted"`},
		{`{"mode":"batch"}`, `mode must be "sync" or "async", not "batch"`},
		{`{"syncLimit":-1}`, "syncLimit must be a whole number of bytes from 0 to 9007199254740991, not -1"},
		{`{"syncLimit":1.5}`, "syncLimit must be a whole number of bytes from 0 to 9007199254740991, not 1.5"},
		{`{"syncLimit":1e300}`, "syncLimit must be a whole number of bytes"},
		{`{"syncLimit":"10MiB"}`, "option syncLimit must be a number, not a string"},
		{`{"headerOnly":"yes"}`, "option headerOnly must be a boolean, not a string"},
		{`{"base64":true}`, `unknown option "base64"`},
		{`{"name":7}`, "option name must be a string, not a number"},
		{`{"request":"scripted","sync_limit":5}`, `unknown option "sync_limit" (the options are request, mode, syncLimit, headerOnly, name)`},
		{`{"request":`, "options: unexpected EOF"},
	} {
		_, err := webcheck.Check([]byte("RIFF"), []byte(c.options))
		var optErr *webcheck.OptionError
		if !errors.As(err, &optErr) {
			t.Errorf("%s: %v, want an OptionError", c.options, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "audiopreflight check: ") {
			t.Errorf("%s: %q, want it to say %q", c.options, err, c.want)
		}
	}
}

// TestTheBrowserBuildHasNoNetworkCode lists what web/wasm imports when
// built for the browser: none of the network code (which would also make
// the module twice as large), nor process or file-system walking code.
func TestTheBrowserBuildHasNoNetworkCode(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	c := exec.Command(goTool, "list", "-deps", "../../web/wasm")
	c.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := c.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list listed %d packages: %q", len(deps), out)
	}
	forbidden := []string{"net", "net/http", "crypto/tls", "os/exec",
		"github.com/audiopreflight/audiopreflight/internal/remote",
		"github.com/audiopreflight/audiopreflight/internal/inputs",
		"github.com/audiopreflight/audiopreflight/cmd"}
	for _, d := range deps {
		for _, f := range forbidden {
			if d == f {
				t.Errorf("the browser build imports %s", d)
			}
		}
	}
}
