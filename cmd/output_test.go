package cmd

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/validate"
)

// TestUndecidedExitStatus: a header-only check that finds nothing is
// undecided, not accepted: exit 0 alone, 1 with --strict.
func TestUndecidedExitStatus(t *testing.T) {
	flac := samples + "/hello-16k-mono.flac"
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"check", "--header-only", flac}, 0},
		{[]string{"check", "--header-only", "--strict", flac}, 1},
		{[]string{"check", flac}, 0},
		{[]string{"check", "--strict", flac}, 0},
	} {
		code, out, _ := run(t, nil, "", append(tt.args, "-o", "jsonl")...)
		var r struct {
			Status   report.Status `json:"status"`
			Accepted bool          `json:"accepted"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		headerOnly := tt.args[1] == "--header-only"
		if code != tt.code || r.Accepted == headerOnly || (r.Status == report.StatusUndecided) != headerOnly {
			t.Errorf("%v: exit %d (want %d), %+v", tt.args, code, tt.code, r)
		}
	}
}

// TestQuietKeepsTheSummary: -q prints no accepted input, and the summary
// line stays on standard output.
func TestQuietKeepsTheSummary(t *testing.T) {
	code, out, stderr := run(t, nil, "", "check", "-q", samples+"/hello-16k-mono.wav", samples+"/hello-16k-mono.flac")
	if code != 0 || stderr != "" || !strings.HasPrefix(out, "2 inputs: 2 accepted, 0 rejected (") || strings.Count(out, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	code, out, _ = run(t, nil, "", "check", "-q", samples+"/hello-16k-mono.wav", samples+"/hello.m4a")
	if code != 1 || strings.Contains(out, "hello-16k-mono.wav") || !strings.Contains(out, "hello.m4a") || !strings.Contains(out, "\n2 inputs: 1 accepted, 1 rejected") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if _, out, _ := run(t, nil, "", "check", "-q", "-o", "github", samples+"/hello-16k-mono.wav"); out != "audiopreflight: 1 input, 1 accepted, 0 rejected\n" {
		t.Errorf("github summary %q", out)
	}
}

// panickingWriter stands for a bug that panics while results are written.
type panickingWriter struct{ value string }

func (p panickingWriter) Write([]byte) (int, error) { panic(p.value) }

// TestPanicReportIsScrubbed: a panic's value is an error line like any
// other: tokens in it, known or written as token=…, are redacted, and
// terminal controls escaped.
func TestPanicReportIsScrubbed(t *testing.T) {
	const known = "sk_live_9f8e7d6c5b4aQZXW"
	var errOut bytes.Buffer
	a := &app{in: strings.NewReader(""), out: panickingWriter{"boom token=tok_unknown_1234WXYZ auth " + known + " \x1b]0;title\x07"}, errOut: &errOut,
		getenv: func(k string) string { return map[string]string{"AUDIOPREFLIGHT_TOKEN": known}[k] }}
	code := execute([]string{"check", samples + "/hello-16k-mono.wav"}, a)
	got := errOut.String()
	if code != ExitError || !strings.Contains(got, "internal error") || !strings.Contains(got, "token=tok_…") {
		t.Fatalf("exit %d, stderr:\n%s", code, got)
	}
	if strings.Contains(got, "WXYZ") || strings.Contains(got, "QZXW") || strings.Contains(got, "\x1b") {
		t.Errorf("the panic report leaks:\n%s", got)
	}
}

// TestErrorLinesEscapeInputs: a usage error that names an input shows its
// control characters escaped.
func TestErrorLinesEscapeInputs(t *testing.T) {
	code, _, stderr := run(t, nil, "", "check", "--files-from", t.TempDir()+"/list\x1b[2J\n.txt")
	if code != ExitError || strings.ContainsAny(strings.TrimSuffix(stderr, "\n"), "\x1b") || !strings.Contains(stderr, `list\x1b[2J\x0a.txt`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestURLCredentialsNeverPrinted: a URL's password and signature appear in
// no format of check or probe; --show-secrets shows them; input_id joins
// results to inputs.
func TestURLCredentialsNeverPrinted(t *testing.T) {
	const url = "https://alice:S3cr3tPass@127.0.0.1:9/a.wav?X-Amz-Expires=60&X-Amz-Signature=0123456789abcdef&sig=AzureSecretValue"
	leaks := func(s string) bool {
		return strings.Contains(s, "S3cr3tPass") || strings.Contains(s, "456789abcdef") || strings.Contains(s, "SecretValue")
	}
	for _, format := range append(append([]string{}, report.Formats...), "probe text", "probe json") {
		args := []string{"check", "-o", format, url}
		if f, ok := strings.CutPrefix(format, "probe "); ok {
			args = []string{"probe", "-o", f, url}
		}
		_, out, stderr := run(t, nil, "", args...)
		if leaks(out+stderr) || !strings.Contains(out, "alice:…@127.0.0.1:9") {
			t.Errorf("%v:\n%s%s", args, out, stderr)
		}
		_, out, _ = run(t, nil, "", append(args, "--show-secrets")...)
		if !leaks(out) {
			t.Errorf("%v --show-secrets hides the URL:\n%s", args, out)
		}
	}
	_, out, _ := run(t, nil, "", "check", "-o", "jsonl", url)
	var r struct {
		InputID string `json:"input_id"`
	}
	if json.Unmarshal([]byte(out), &r); r.InputID != report.InputID(url) {
		t.Errorf("input_id %q, want %q", r.InputID, report.InputID(url))
	}
}

// TestOddNamesInCheckAndProbe: a name with a newline, an escape sequence
// and an invalid byte prints escaped in text and recoverable in JSON.
func TestOddNamesInCheckAndProbe(t *testing.T) {
	wav, err := os.ReadFile(samples + "/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "a\x1b[1A\nb\xff\u202e.wav")
	if err := os.WriteFile(name, wav, 0o644); err != nil {
		t.Skipf("the file system refuses the name: %v", err)
	}
	for _, cmd := range []string{"check", "probe"} {
		_, out, _ := run(t, nil, "", cmd, name)
		if !strings.Contains(out, `a\x1b[1A\x0ab\xff\u202e.wav`) || strings.ContainsAny(out, "\x1b\u202e") {
			t.Errorf("%s text: %q", cmd, out)
		}
		_, out, _ = run(t, nil, "", cmd, "-o", "json", name)
		var doc struct {
			Results []struct {
				Input      string `json:"input"`
				InputBytes []byte `json:"input_bytes"`
			} `json:"results"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Results) != 1 || string(doc.Results[0].InputBytes) != name {
			t.Errorf("%s json: %v\n%s", cmd, err, out)
		}
	}
}

// TestCountsAgreeInNumber: "1 input", "1 exception" — never "1 inputs".
func TestCountsAgreeInNumber(t *testing.T) {
	var b bytes.Buffer
	if err := writeErrorsText(&b, []*validate.Exception{validate.MustLookup(validate.NoTokenProvided)}, func(s string) string { return s }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\n1 exception. ") {
		t.Errorf("errors: %q", b.String())
	}
	for _, format := range []string{"text", "github"} {
		_, out, _ := run(t, nil, "", "check", "-o", format, samples+"/hello-16k-mono.wav")
		if !strings.Contains(out, "1 input") || strings.Contains(out, "1 inputs") {
			t.Errorf("-o %s: %q", format, out)
		}
	}
}

// TestExplainPrintsThroughTheOutputPath: what is pasted into explain is
// outside text, printed the way check prints its results — terminal
// controls escaped in text (and \u-escaped in JSON), a URL's password and
// signature redacted, --show-secrets showing them — in the quoted text and
// in the parameters read from it alike.
func TestExplainPrintsThroughTheOutputPath(t *testing.T) {
	leaks := func(s string) bool { return strings.Contains(s, "S3cr3tPass") || strings.Contains(s, "456789abcdef") }
	for _, tt := range []struct {
		text     string
		code     int
		wantText []string // in the text answer
	}{
		// Not an exception: the text answer quotes the text.
		{"https://alice:S3cr3tPass@e.x/a?X-Amz-Signature=0123456789abcdef \x1b]0;p\x07\u202e", 1,
			[]string{`"https://alice:…@e.x/a?X-Amz-Signature=0123… \x1b]0;p\x07\u202e" is not an exception`}},
		// A parameter read from the text.
		{"Client with \x1b[2Jhttps://alice:S3cr3tPass@e.x/\u202e is not active", 0,
			[]string{`message:     Client with \x1b[2Jhttps://alice:…@e.x/\u202e is not active`, `user_id:     "\x1b[2Jhttps://alice:…@e.x/\u202e"`}},
	} {
		for _, format := range report.ExplainFormats {
			for _, stdin := range []bool{false, true} {
				args, in := []string{"explain", "-o", format, tt.text}, ""
				if stdin {
					args, in = []string{"explain", "-o", format, "-"}, tt.text
				}
				code, out, stderr := run(t, nil, in, args...)
				if code != tt.code || stderr != "" || !strings.Contains(out, "alice:…@e.x") {
					t.Errorf("%q -o %s (stdin %v): exit %d, stderr %q:\n%s", tt.text, format, stdin, code, stderr, out)
				}
				if leaks(out) || strings.ContainsAny(out, "\x1b\x07\u202e") {
					t.Errorf("%q -o %s (stdin %v): a secret or a raw control:\n%q", tt.text, format, stdin, out)
				}
				for _, want := range tt.wantText {
					if format == "text" && !strings.Contains(out, want) {
						t.Errorf("%q -o text: no %q in\n%s", tt.text, want, out)
					}
				}
				_, out, _ = run(t, nil, in, append(args, "--show-secrets")...)
				if !strings.Contains(out, "S3cr3tPass") {
					t.Errorf("%q -o %s --show-secrets hides the URL:\n%s", tt.text, format, out)
				}
			}
		}
	}
}
