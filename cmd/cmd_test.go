package cmd

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// run executes the command line in-process with the given environment and
// standard input, and returns the exit status and both streams.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app{in: strings.NewReader(stdin), out: &out, errOut: &errOut, getenv: func(k string) string { return env[k] }}
	code := execute(args, a)
	return code, out.String(), errOut.String()
}

func TestErrorsJSONListsTheCatalog(t *testing.T) {
	code, out, stderr := run(t, nil, "", "errors", "-o", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var doc struct {
		Exceptions []struct {
			Name         string   `json:"name"`
			Message      string   `json:"message"`
			Parameters   []any    `json:"parameters"`
			Description  string   `json:"description"`
			Category     string   `json:"category"`
			RequestTypes []string `json:"request_types"`
		} `json:"exceptions"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Exceptions) != 18 || doc.Exceptions[0].Name != "ASRInterProcessException" || doc.Exceptions[17].Name != "InvalidHeaderParameter" {
		t.Fatalf("got %d exceptions: %+v", len(doc.Exceptions), doc.Exceptions)
	}
	if m := doc.Exceptions[10].Message; m != "An unexpected error occurred while processing the audio. Please check if the audio is valid and it's not corrupted." {
		t.Errorf("FailedToUseAudio message %q", m)
	}
}

func TestErrorsFilters(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"--request", "scripted"}, 9},
		{[]string{"--request", "unscripted"}, 17},
		{[]string{"--category", "asr"}, 3},
		{[]string{"--category", "authentication", "--request", "scripted"}, 5},
	}
	for _, tt := range tests {
		code, out, _ := run(t, nil, "", append([]string{"errors", "-o", "json"}, tt.args...)...)
		var doc struct{ Exceptions []any }
		if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 {
			t.Fatalf("%v: exit %d, %v", tt.args, code, err)
		}
		if len(doc.Exceptions) != tt.want {
			t.Errorf("%v: %d exceptions, want %d", tt.args, len(doc.Exceptions), tt.want)
		}
	}
}

func TestErrorsTextAndMarkdown(t *testing.T) {
	_, out, _ := run(t, nil, "", "errors")
	if !strings.Contains(out, "AudioTooBigForSync") || !strings.HasPrefix(out, "NAME") || strings.Contains(out, "\x1b[") {
		t.Errorf("text output:\n%s", out)
	}
	_, out, _ = run(t, nil, "", "errors", "-o", "markdown", "--category", "asr")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 5 || !strings.HasPrefix(lines[2], "| `ASRInterProcessException` |") {
		t.Errorf("markdown output:\n%s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{
		{"errors", "-o", "yaml"},
		{"errors", "extra"},
		{"errors", "--no-such-flag"},
		{"explain"},
		{"nonsense"},
		{"check", "--request", "scripty", "x.wav"},
		{"check", "--sync-limit", "ten", "x.wav"},
		{"check"},
	}
	for _, args := range tests {
		code, out, stderr := run(t, nil, "", args...)
		if code != ExitError {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" || !strings.HasPrefix(stderr, "audiopreflight: ") || !strings.Contains(stderr, "--help' for usage") || strings.Contains(stderr, "Flags:") {
			t.Errorf("%v: stdout %q stderr %q", args, out, stderr)
		}
	}
}

func TestEnvironmentStandsInForFlags(t *testing.T) {
	env := map[string]string{"AUDIOPREFLIGHT_OUTPUT": "json", "AUDIOPREFLIGHT_CATEGORY": "asr"}
	_, out, _ := run(t, env, "", "errors")
	if !strings.HasPrefix(out, "{") || strings.Count(out, `"name": "ASR`) != 3 {
		t.Errorf("environment not applied:\n%s", out)
	}
	_, out, _ = run(t, env, "", "errors", "-o", "text")
	if !strings.HasPrefix(out, "NAME") {
		t.Errorf("the flag did not win over the environment:\n%s", out)
	}
	code, _, stderr := run(t, map[string]string{"AUDIOPREFLIGHT_OUTPUT": "yaml"}, "", "errors")
	if code != ExitError || !strings.Contains(stderr, "AUDIOPREFLIGHT_OUTPUT") {
		t.Errorf("bad environment value: exit %d, %q", code, stderr)
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		args  []string
		stdin string
		code  int
		want  []string
	}{
		{[]string{"explain", "audiotoobigforsync"}, "", 0, []string{"AudioTooBigForSync", "async"}},
		{[]string{"explain", "Client with 42 is not active"}, "", 0, []string{"ClientIsNotActive", `user_id:     "42"`, "cannot predict"}},
		{[]string{"explain", `{"detail": "The server failed to parse your mp3 audio"}`}, "", 0, []string{"FailedToConvertAudio", `audio_format: "mp3"`, "ffmpeg"}},
		{[]string{"explain", "-"}, `{"error": {"type": "AudioTooBigForSync"}}`, 0, []string{"AudioTooBigForSync"}},
		{[]string{"explain", "AudioTooBig"}, "", 1, []string{"did you mean: AudioTooBigForSync"}},
		{[]string{"explain", "NoTokenProvided", "gibberish"}, "", 1, []string{"NoTokenProvided", "is not an exception"}},
	}
	for _, tt := range tests {
		code, out, _ := run(t, nil, tt.stdin, tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d", tt.args, code, tt.code)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, out)
			}
		}
	}
}

func TestExplainJSON(t *testing.T) {
	code, out, _ := run(t, nil, "", "explain", "-o", "json", "Client with a {b} is not active")
	var doc struct {
		Results []struct {
			Identified bool `json:"identified"`
			Exceptions []struct {
				Name       string            `json:"name"`
				Message    string            `json:"message"`
				Parameters []map[string]any  `json:"parameters"`
				Extracted  map[string]string `json:"extracted"`
				Cause      string            `json:"cause"`
				Fix        string            `json:"fix"`
			} `json:"exceptions"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	e := doc.Results[0].Exceptions[0]
	if e.Name != "ClientIsNotActive" || e.Extracted["user_id"] != "a {b}" || e.Message != "Client with {user_id} is not active" || e.Cause == "" || e.Fix == "" || len(e.Parameters) != 1 {
		t.Errorf("%+v", e)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := run(t, nil, "", args...)
		if code != 0 || !strings.HasPrefix(out, "audiopreflight ") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, stderr := run(t, nil, "", "completion", shell)
		if code != 0 || len(out) < 500 || stderr != "" {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", shell, code, len(out), stderr)
		}
	}
}
