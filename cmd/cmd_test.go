package cmd

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/version"
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
		{"completion"},
		{"completion", "foo"},
		{"completion", "bash", "zsh"},
		{"help", "nonsense"},
		{"help", "check", "extra"},
		{"version", "extra"},
		{"chek", "x.wav"},
		{"-o", "json", "completion", "bash"},
		{"completion", "bash", "-o", "json"},
		{"-o", "json"},
		{"check", "-j", "-1", "x.wav"},
		{"check", "--timeout", "0s", "x.wav"},
		{"explain", "-o", "yaml", "x"},
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

// TestTyposGetSuggestions: a mistyped command, shell or flag is named back
// with the closest real ones.
func TestTyposGetSuggestions(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"chek", "x.wav"}, `unknown command "chek" (did you mean check?)`},
		{[]string{"explian", "x"}, `(did you mean explain?)`},
		{[]string{"verison"}, `(did you mean version?)`},
		{[]string{"completion", "powershel"}, `unknown shell "powershel" (did you mean powershell?)`},
		{[]string{"completion", "fsh"}, `(did you mean zsh or fish?)`},
		{[]string{"help", "prob"}, `(did you mean probe?)`},
		{[]string{"check", "--stric", "x.wav"}, `unknown flag --stric (did you mean --strict?)`},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, nil, "", tt.args...)
		if code != ExitError || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q, want %q", tt.args, code, stderr, tt.want)
		}
	}
}

// runTime is how long a check took, as its summary line ends: ", 0.03 s)".
var runTime = regexp.MustCompile(`, [0-9]+\.[0-9]+ s\)\n`)

// withoutRunTime is out with the check's run time left out, for comparing
// two runs.
func withoutRunTime(out string) string { return runTime.ReplaceAllString(out, ", T s)\n") }

// TestGlobalFlagsEitherSide: --no-color and -o mean the same before and
// after the command name, for every command that has output formats.
func TestGlobalFlagsEitherSide(t *testing.T) {
	ok := samples + "/hello-16k-mono.wav"
	tests := [][]string{
		{"check", ok},
		{"probe", ok},
		{"errors"},
		{"explain", "AudioTooBigForSync"},
		{"version"},
	}
	for _, args := range tests {
		for _, flags := range [][]string{{"--no-color"}, {"-o", "json"}, {"--output=json", "--no-color"}, {"--no-color=yes", "-o", "text"}} {
			after := append(append([]string{}, args...), flags...)
			before := append(append([]string{}, flags...), args...)
			codeA, outA, errA := run(t, nil, "", after...)
			codeB, outB, errB := run(t, nil, "", before...)
			if codeA != 0 || codeB != 0 || errA != "" || errB != "" {
				t.Errorf("%v: exit %d (%q); %v: exit %d (%q)", after, codeA, errA, before, codeB, errB)
			}
			if withoutRunTime(outA) != withoutRunTime(outB) {
				t.Errorf("%v and %v differ:\n%s\n---\n%s", after, before, outA, outB)
			}
			if flags[0] == "-o" && !strings.HasPrefix(outB, "{") {
				t.Errorf("%v: not JSON: %s", before, outB)
			}
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
	_, text, _ := run(t, nil, "", "version")
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := run(t, nil, "", args...)
		if code != 0 || !strings.HasPrefix(out, "audiopreflight ") || out != text {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
	// The time shown is the commit's, and says so; "built" is only a
	// release's build time.
	if strings.Contains(text, "built:") || !strings.Contains(text, "commit time:") {
		t.Errorf("version text:\n%s", text)
	}
	code, out, _ := run(t, nil, "", "version", "-o", "json")
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	// Whatever the build recorded, JSON and text show the same words: a
	// missing field is "unknown" in both, never "".
	for _, k := range []string{"version", "commit", "commit_time", "go_version"} {
		s, _ := v[k].(string)
		if s == "" {
			t.Errorf("%s is %v", k, v[k])
		}
		if !strings.Contains(text, " "+s) {
			t.Errorf("text lacks %s %q:\n%s", k, s, text)
		}
	}
}

// TestVersionLabelsMissingFieldsAlike renders a build that recorded
// nothing: text and JSON both say "unknown".
func TestVersionLabelsMissingFieldsAlike(t *testing.T) {
	text := versionText(version.Info{Version: "dev", Commit: version.Unknown, CommitTime: version.Unknown, GoVersion: "go1"})
	if want := "audiopreflight dev\ncommit:       unknown\ncommit time:  unknown\ngo:           go1\n"; text != want {
		t.Errorf("got\n%s\nwant\n%s", text, want)
	}
	text = versionText(version.Info{Version: "v1.0.0", Commit: "abc", CommitTime: "2026-01-02T03:04:05Z", BuildTime: "2026-01-03T00:00:00Z", GoVersion: "go1", Modified: true})
	if want := "audiopreflight v1.0.0\ncommit:       abc (modified)\ncommit time:  2026-01-02T03:04:05Z\nbuilt:        2026-01-03T00:00:00Z\ngo:           go1\n"; text != want {
		t.Errorf("got\n%s\nwant\n%s", text, want)
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

// TestExplainRedactsTokens: explain shows a token the way check does — its
// first 4 characters — in the text and JSON answers, in the message, the
// parameters and the quoted text, unless --show-secrets.
func TestExplainRedactsTokens(t *testing.T) {
	const token = "abcd1234efgh5678"
	texts := []string{
		"Invalid session token: " + token,
		`{"detail": "Invalid session token: ` + token + `"}`,
		"2026-01-01 ERROR InvalidSessionToken: Invalid session token: " + token + " (request 42)",
		"curl -H 'Authorization: Bearer " + token + "' answered NoTokenProvided",
		"Authorization: ELSA " + token,
		"GET /a.wav?X-Amz-Signature=" + token + "&x=1 failed: InvalidSessionToken",
		`{"error": "NoTokenProvided", "api_key": "` + token + `"}`,
	}
	for _, text := range texts {
		for _, format := range []string{"text", "json"} {
			_, out, stderr := run(t, nil, "", "explain", "-o", format, text)
			if strings.Contains(out+stderr, token[4:]) {
				t.Errorf("%s, -o %s: the token is shown:\n%s", text, format, out)
			}
			_, out, _ = run(t, nil, text, "explain", "-o", format, "-")
			if strings.Contains(out, token[4:]) {
				t.Errorf("%s on stdin, -o %s: the token is shown:\n%s", text, format, out)
			}
			_, out, _ = run(t, map[string]string{"AUDIOPREFLIGHT_SHOW_SECRETS": "1"}, "", "explain", "-o", format, text)
			if format == "json" && !strings.Contains(out, token) {
				t.Errorf("%s, -o %s, AUDIOPREFLIGHT_SHOW_SECRETS=1: the token is not shown:\n%s", text, format, out)
			}
		}
	}
	_, out, _ := run(t, nil, "", "explain", texts[0])
	if !strings.Contains(out, "message:     Invalid session token: abcd…") || !strings.Contains(out, `token:       "abcd…"`) {
		t.Errorf("text answer:\n%s", out)
	}
	_, out, _ = run(t, nil, "", "explain", "--show-secrets", texts[0])
	if !strings.Contains(out, `token:       "`+token+`"`) {
		t.Errorf("--show-secrets:\n%s", out)
	}
}

// TestExplainEmptyText: an empty TEXT, or empty standard input, is a usage
// error that says so, not "is not an exception".
func TestExplainEmptyText(t *testing.T) {
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"\n", []string{"explain", "-"}, "standard input (-) was empty"},
		{"", []string{"explain", "AudioTooBigForSync", "-"}, "standard input (-) was empty"},
		{"", []string{"explain", "  "}, "TEXT is empty"},
	} {
		code, out, stderr := run(t, nil, tt.stdin, tt.args...)
		if code != ExitError || out != "" || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "not an exception") {
			t.Errorf("%v <%q: exit %d, stdout %q, stderr %q", tt.args, tt.stdin, code, out, stderr)
		}
	}
}

// TestExplainJSONListsAreNeverNull: suggestions and exceptions are arrays,
// empty or not.
func TestExplainJSONListsAreNeverNull(t *testing.T) {
	for _, text := range []string{"AudioTooBigForSync", "zzzzzzzzzzzzzzzzzzzz", "AudioTooBig"} {
		_, out, _ := run(t, nil, "", "explain", "-o", "json", text)
		var doc struct {
			Results []map[string]json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"suggestions", "exceptions"} {
			if v := string(doc.Results[0][k]); !strings.HasPrefix(v, "[") {
				t.Errorf("%s: %s is %s", text, k, v)
			}
		}
	}
}
