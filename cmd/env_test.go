package cmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/audiopreflight/audiopreflight/internal/report"
)

// commandLines are one ordinary run of every command, for the tests that
// set the environment around them.
func commandLines() [][]string {
	ok := samples + "/hello-16k-mono.wav"
	return [][]string{
		{"check", ok},
		{"fix", "--dry-run", ok},
		{"probe", ok},
		{"errors"},
		{"explain", "AudioTooBigForSync"},
		{"version"},
		{"completion", "bash"},
		{"help", "check"},
		{"config", "show"},
	}
}

// validValues are values some command's flag accepts, for every flag that
// takes a variable; enum and boolean flags list their own, the others
// have one sample each. The test fails when a flag has none, so a new flag
// cannot escape it.
func validValues(t *testing.T) map[string][]string {
	t.Helper()
	list := filepath.Join(t.TempDir(), "inputs.txt")
	if err := os.WriteFile(list, []byte(samples+"/hello-16k-mono.flac\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	baseline := filepath.Join(t.TempDir(), "baseline.jsonl")
	if err := os.WriteFile(cfg, []byte("request: unscripted\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(baseline, []byte(`{"input_id": "0123456789abcdef", "status": "rejected", "exception": {"name": "InvalidAudioFormat"}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	samplesFor := map[string][]string{
		"sync-limit":         {"5MB"},
		"jobs":               {"0", "3"},
		"timeout":            {"5s"},
		"max-conns-per-host": {"4"},
		"max-input-size":     {"1GiB"},
		"files-from":         {list},
		"include":            {"*.flac"},
		"exclude":            {"*.mp3"},
		"authorization":      {"Bearer abcdefgh1234"},
		"token":              {"abcdefgh1234"},
		"endpoint-url":       {"http://127.0.0.1:9"},
		"remote-jobs":        {"8"},
		"resume":             {filepath.Join(t.TempDir(), "report.jsonl")},
		"shard":              {"0/1", "1/3"},
		"shard-count":        {"4"},
		"output-dir":         {t.TempDir()},
		"suffix":             {"-fixed"},
		"max-duration":       {"90s"},
		"ffmpeg":             {"none"},
		"output":             report.Formats,
		"config":             {cfg},
		"baseline":           {baseline},
		"write-baseline":     {filepath.Join(t.TempDir(), "baseline.json")},
	}
	values := map[string][]string{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		visit := func(f *pflag.Flag) {
			if !takesEnvironment(f) {
				return
			}
			switch v := f.Value.(type) {
			case *enumValue:
				values[f.Name] = append(values[f.Name], v.allowed...)
			case *boolValue:
				values[f.Name] = []string{"1", "yes", "ON", "false", "no", "0", "off"}
			default:
				s, ok := samplesFor[f.Name]
				if !ok {
					t.Errorf("flag --%s of %s has no sample value in validValues", f.Name, c.CommandPath())
				}
				values[f.Name] = s
			}
		}
		c.Flags().VisitAll(visit)
		c.PersistentFlags().VisitAll(visit)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&app{getenv: func(string) string { return "" }}))
	for name, vs := range values {
		sort.Strings(vs)
		values[name] = compact(vs)
	}
	return values
}

func compact(vs []string) []string {
	var out []string
	for i, v := range vs {
		if i == 0 || v != vs[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// flagAccepts reports whether the command args names has a flag that takes
// the variable of flag and accepts val.
func flagAccepts(args []string, flag, val string) bool {
	root := newRootCmd(&app{getenv: func(string) string { return "" }})
	c, _, err := root.Find(args)
	if err != nil || c == root && args[0] != "" {
		if args[0] != "help" {
			return false
		}
		c = root
	}
	for _, fs := range []*pflag.FlagSet{c.Flags(), c.PersistentFlags(), root.PersistentFlags()} {
		if f := fs.Lookup(flag); f != nil && takesEnvironment(f) {
			return fs.Set(flag, val) == nil
		}
	}
	return false
}

// TestEnvironmentNeverBreaksACommand sets, one at a time, every variable to
// every value some command accepts, around an ordinary run of every
// command. Where the command's own flag does not take the value, the run
// must be exactly what it is without the variable: same exit status, same
// output.
func TestEnvironmentNeverBreaksACommand(t *testing.T) {
	values := validValues(t)
	for _, args := range commandLines() {
		baseCode, baseOut, baseErr := run(t, nil, "", args...)
		baseOut = withoutRunTime(baseOut)
		if baseCode > 1 {
			t.Fatalf("%v: exit %d without any variable: %s", args, baseCode, baseErr)
		}
		for flag, vs := range values {
			for _, val := range vs {
				env := map[string]string{envName(flag): val}
				code, out, stderr := run(t, env, "", args...)
				if code == ExitError {
					t.Errorf("%s=%s %v: exit 2: %s", envName(flag), val, args, stderr)
					continue
				}
				if flagAccepts(args, flag, val) {
					continue // it applies: the output may differ
				}
				if code != baseCode || withoutRunTime(out) != withoutRunTime(baseOut) {
					t.Errorf("%s=%s %v: exit %d and output changed, though %s does not take it:\n%s", envName(flag), val, args, code, args[0], out)
				}
			}
		}
	}
}

// TestErrorsIsNeverFilteredByTheEnvironment: the variables that configure
// check's request leave the listing whole.
func TestErrorsIsNeverFilteredByTheEnvironment(t *testing.T) {
	_, want, _ := run(t, nil, "", "errors", "-o", "json")
	env := map[string]string{"AUDIOPREFLIGHT_REQUEST": "scripted", "AUDIOPREFLIGHT_CATEGORY": "asr"}
	code, got, stderr := run(t, env, "", "errors", "-o", "json")
	if code != 0 || got != want {
		t.Errorf("exit %d (%s), the environment changed the listing:\n%s", code, stderr, got)
	}
	// The flags themselves still filter.
	_, got, _ = run(t, env, "", "errors", "-o", "json", "--request", "scripted")
	if strings.Count(got, `"name": "`) == strings.Count(want, `"name": "`) {
		t.Error("--request scripted did not filter")
	}
}

// TestEnvironmentValueNoCommandTakes: a value that no command's flag
// accepts is a mistake; check (and every command with that flag) refuses
// it, naming the variable, while commands without the flag ignore it.
func TestEnvironmentValueNoCommandTakes(t *testing.T) {
	ok := samples + "/hello-16k-mono.wav"
	tests := []struct {
		variable, value string
		refusedBy       [][]string
		ignoredBy       [][]string
	}{
		{"AUDIOPREFLIGHT_OUTPUT", "yaml", [][]string{{"check", ok}, {"probe", ok}, {"errors"}, {"version"}}, [][]string{{"completion", "bash"}}},
		{"AUDIOPREFLIGHT_SYNC_LIMIT", "ten", [][]string{{"check", ok}}, [][]string{{"probe", ok}, {"errors"}, {"version"}}},
		{"AUDIOPREFLIGHT_JOBS", "-1", [][]string{{"check", ok}}, [][]string{{"probe", ok}, {"explain", "x"}}},
		{"AUDIOPREFLIGHT_TIMEOUT", "0", [][]string{{"check", ok}, {"probe", ok}}, [][]string{{"errors"}}},
		{"AUDIOPREFLIGHT_STRICT", "maybe", [][]string{{"check", ok}}, [][]string{{"version"}}},
		{"AUDIOPREFLIGHT_NO_COLOR", "perhaps", [][]string{{"check", ok}, {"errors"}, {"version"}}, nil},
		{"AUDIOPREFLIGHT_REQUEST", "scripty", [][]string{{"check", ok}}, [][]string{{"errors"}, {"probe", ok}}},
		{"AUDIOPREFLIGHT_MODE", "later", [][]string{{"check", ok}}, [][]string{{"version"}}},
	}
	for _, tt := range tests {
		env := map[string]string{tt.variable: tt.value}
		for _, args := range tt.refusedBy {
			code, out, stderr := run(t, env, "", args...)
			if code != ExitError || out != "" || !strings.Contains(stderr, fmt.Sprintf("invalid %s=%q", tt.variable, tt.value)) {
				t.Errorf("%s=%s %v: exit %d, stdout %q, stderr %q", tt.variable, tt.value, args, code, out, stderr)
			}
		}
		for _, args := range tt.ignoredBy {
			if code, _, stderr := run(t, env, "", args...); code == ExitError {
				t.Errorf("%s=%s %v: exit 2: %s", tt.variable, tt.value, args, stderr)
			}
		}
	}
	// A value another command takes is not a mistake: errors ignores
	// AUDIOPREFLIGHT_OUTPUT=github (a check format) and prints its text.
	code, out, stderr := run(t, map[string]string{"AUDIOPREFLIGHT_OUTPUT": "github"}, "", "errors")
	if code != 0 || !strings.HasPrefix(out, "NAME") {
		t.Errorf("AUDIOPREFLIGHT_OUTPUT=github errors: exit %d, %q %q", code, out, stderr)
	}
}

// TestBooleanSpellings: every boolean flag and variable reads 1/0,
// true/false, yes/no, on/off in any case.
func TestBooleanSpellings(t *testing.T) {
	headerOnly := func(out string) bool {
		var doc struct {
			HeaderOnly bool `json:"header_only"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return doc.HeaderOnly
	}
	ok := samples + "/hello-16k-mono.wav"
	for word, want := range map[string]bool{"1": true, "true": true, "yes": true, "on": true, "YES": true, "On": true, "TRUE": true,
		"0": false, "false": false, "no": false, "off": false, "No": false, "OFF": false} {
		code, out, stderr := run(t, map[string]string{"AUDIOPREFLIGHT_HEADER_ONLY": word}, "", "check", "-o", "json", ok)
		if code != 0 || headerOnly(out) != want {
			t.Errorf("AUDIOPREFLIGHT_HEADER_ONLY=%s: exit %d, header_only %v (%s)", word, code, !want, stderr)
		}
		code, out, stderr = run(t, nil, "", "check", "-o", "json", "--header-only="+word, ok)
		if code != 0 || headerOnly(out) != want {
			t.Errorf("--header-only=%s: exit %d, header_only %v (%s)", word, code, !want, stderr)
		}
	}
	code, _, stderr := run(t, map[string]string{"AUDIOPREFLIGHT_STRICT": "y"}, "", "check", ok)
	if code != ExitError || !strings.Contains(stderr, `invalid AUDIOPREFLIGHT_STRICT="y": must be one of 1, 0, true, false, yes, no, on, off`) || strings.Contains(stderr, "strconv") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// TestErrorsNeverEchoACredential: a token set in the wrong variable or
// given to the wrong flag is not printed in full by the error that refuses
// it, whether the variable's name says it is secret, the value is the
// configured token, or the value merely looks like one.
func TestErrorsNeverEchoACredential(t *testing.T) {
	const token = "tok_9f8e7d6c5b4aQZXW"
	ok := samples + "/hello-16k-mono.wav"
	tests := []struct {
		env  map[string]string
		args []string
	}{
		{map[string]string{"AUDIOPREFLIGHT_CHECK_AUTH": token}, []string{"check", ok}},
		{map[string]string{"AUDIOPREFLIGHT_SHOW_SECRETS": token}, []string{"check", ok}},
		{map[string]string{"AUDIOPREFLIGHT_TOKEN": token, "AUDIOPREFLIGHT_REQUEST": token}, []string{"check", ok}},
		{map[string]string{"AUDIOPREFLIGHT_TOKEN": token, "AUDIOPREFLIGHT_JOBS": token}, []string{"check", ok}},
		{map[string]string{"AUDIOPREFLIGHT_AUTHORIZATION": "Bearer " + token, "AUDIOPREFLIGHT_MODE": token}, []string{"check", ok}},
		{map[string]string{"AUDIOPREFLIGHT_STRICT": token}, []string{"check", ok}},
		{map[string]string{"AUDIOPREFLIGHT_OUTPUT": "Bearer " + token}, []string{"version"}},
		{nil, []string{"check", "--jobs", token, ok}},
		{nil, []string{"check", "--check-auth=" + token, ok}},
		{nil, []string{"check", "--token", token, "--mode", token, ok}},
		{nil, []string{"check", "--authorization", "ELSA " + token, "--sync-limit", token, ok}},
	}
	for _, tt := range tests {
		code, out, stderr := run(t, tt.env, "", tt.args...)
		if code != ExitError {
			t.Errorf("%v %v: exit %d", tt.env, tt.args, code)
		}
		if strings.Contains(out+stderr, token[4:]) {
			t.Errorf("%v %v: the token is echoed: %s", tt.env, tt.args, stderr)
		}
		if !strings.Contains(stderr, "invalid ") {
			t.Errorf("%v %v: %q", tt.env, tt.args, stderr)
		}
	}
	// An ordinary typo is still shown as typed.
	_, _, stderr := run(t, map[string]string{"AUDIOPREFLIGHT_MODE": "asnyc"}, "", "check", ok)
	if !strings.Contains(stderr, `"asnyc"`) {
		t.Errorf("a typo is not shown: %q", stderr)
	}
}

func TestEnvName(t *testing.T) {
	for flag, want := range map[string]string{
		"sync-limit":         "AUDIOPREFLIGHT_SYNC_LIMIT",
		"max-conns-per-host": "AUDIOPREFLIGHT_MAX_CONNS_PER_HOST",
		"s3-endpoint":        "AUDIOPREFLIGHT_S3_ENDPOINT",
		"j":                  "AUDIOPREFLIGHT_J",
		"größe-x":            "AUDIOPREFLIGHT_GRÖßE_X",
	} {
		if got := envName(flag); got != want {
			t.Errorf("envName(%q) = %q, want %q", flag, got, want)
		}
	}
}
