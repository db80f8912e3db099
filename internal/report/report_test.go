package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/safetext"
	"github.com/audiopreflight/audiopreflight/internal/term"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// Odd names and outside strings the fixtures carry.
const (
	// evilName would, printed raw, move the cursor up, clear the screen
	// and draw a fake accepted line.
	evilName = "samples/\x1b[3F\x1b[Jevil\n✓ fake.wav  accepted.wav"
	// rawName is not valid UTF-8 and holds a right-to-left override.
	rawName    = "samples/bad\xffname\u202egnp.wav"
	secretURL  = "https://alice:S3cr3tPass@example.com/a.wav?X-Amz-Expires=60&X-Amz-Signature=abcdef0123456789"
	evilReason = "HTTP 403 \x1b]0;pwned\x07Forbidden\u009b2J"
)

func wav(rate, ch int) *probe.Info {
	return &probe.Info{Container: "wav", Variant: "RIFF", Codec: "pcm_s16le", Opens: true, SndfileFormat: "WAV",
		SndfileSubtype: "PCM_16", SampleRate: rate, Channels: ch, BitsPerSample: 16, Frames: int64(rate * 2), Size: 500}
}

// decide builds a result the way internal/check does: the hint is for the
// audio's own findings (the Authorization header's are the run's).
func decide(input, source string, ev validate.Evidence, r validate.Request) *Result {
	ev.Input = input
	d := validate.Decide(r, ev)
	audio := d
	audio.Findings = d.Findings[len(r.Auth):]
	res := NewResult(input, source, d, ev.Info, validate.Hint(r, ev, audio))
	res.Elapsed = 1234 * time.Microsecond
	return res
}

// fixtureResults is one run's worth of results that exercises every part of
// every format: accepted, rejected with several findings, warnings and a
// hint, a rejection the team accepts (ignored), undecided (header-only),
// rejected with steps undecided, an unreadable input, a URL with credentials, odd names and outside strings
// that would act on a terminal.
func fixtureResults(req validate.Request) []*Result {
	truncated := wav(16000, 1)
	truncated.Warnings = []string{"the header declares 64000 bytes of audio, 31000 are present"}
	headerOnly := req
	headerOnly.HeaderOnly = true
	flac := func(rate, ch int) *probe.Info {
		return &probe.Info{Container: "flac", Codec: "flac", Opens: true, SndfileFormat: "FLAC", SndfileSubtype: "PCM_16",
			SampleRate: rate, Channels: ch, Frames: 100, Size: 500,
			Parts: []probe.Part{{Kind: "metadata", ID: "STREAMINFO", Offset: 4, Size: 34}, {Kind: "metadata", ID: "APPLICATION \x1b[2J", Offset: 42, Size: 10, Note: "id \u202eevil"}}}
	}
	evil := wav(16000, 1)
	evil.Warnings = []string{"a LIST chunk named \"\x1b]0;title\x07\""}
	legacy := decide("samples/legacy 44k.wav", SourceFile, validate.Evidence{Size: 5000, Info: wav(44100, 2), Read: &probe.ReadResult{FramesRead: 88200}}, req)
	if legacy.Ignorable() {
		legacy.Ignore("recorded before the 16 kHz rule \x1b[31m(re-recording planned)", ".audiopreflight.yaml:12:5")
	}
	locked := ErrorResult("samples/locked.wav", SourceFile, errors.New("open samples/locked.wav: permission denied"))
	locked.Elapsed = 10 * time.Microsecond
	return []*Result{
		decide("samples/ok.wav", SourceFile, validate.Evidence{Size: 500, Info: wav(16000, 1), Read: &probe.ReadResult{FramesRead: 32000}}, req),
		decide("samples/stereo 44k, \"loud\".wav", SourceFile, validate.Evidence{Size: 5000, Info: wav(44100, 2), Read: &probe.ReadResult{FramesRead: 0}}, req),
		legacy,
		decide("samples/cut.wav", SourceFile, validate.Evidence{Size: 500, Info: truncated, Read: &probe.ReadResult{FramesRead: 15500}}, req),
		decide("samples/unread.flac", SourceFile, validate.Evidence{Size: 500, Info: flac(16000, 1)}, headerOnly),
		decide("samples/unread-44k.flac", SourceFile, validate.Evidence{Size: 500, Info: flac(44100, 1)}, headerOnly),
		locked,
		decide(secretURL, SourceURL, validate.Evidence{Download: &validate.DownloadFailure{Detail: evilReason}}, req),
		decide("-", SourceStdin, validate.Evidence{Size: 0}, req),
		decide(evilName, SourceFile, validate.Evidence{Size: 5000, Info: evil, Read: &probe.ReadResult{FramesRead: 32000}}, req),
		decide(rawName, SourceFile, validate.Evidence{Size: 500, Info: wav(16000, 1), Read: &probe.ReadResult{FramesRead: 32000}}, req),
	}
}

// variant is one way of running the fixture.
type variant struct {
	name   string
	quiet  bool
	strict bool
	auth   bool
}

var variants = []variant{{name: "report"}, {name: "report-quiet", quiet: true}, {name: "report-strict", strict: true}, {name: "report-auth", auth: true}}

func render(t *testing.T, format string, v variant) []byte {
	t.Helper()
	var buf bytes.Buffer
	req := validate.Request{Type: validate.Unscripted, SyncLimit: 1000}
	run := Run{Request: "unscripted", Mode: "sync", SyncLimitBytes: 1000, Strict: v.strict}
	if v.auth {
		req.Auth = validate.CheckAuth(validate.Unscripted, validate.AuthHeader{})
		run.CheckAuth = true
		run.Auth = NewAuthCheck(req.Auth, validate.Hint(req, validate.Evidence{}, validate.Decision{Findings: req.Auth}))
	}
	out, err := New(format, &buf, Options{Run: run, Quiet: v.quiet, Palette: term.Palette{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range fixtureResults(req) {
		if err := out.Write(res); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Flush(1500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, format := range Formats {
		for _, v := range variants {
			name := v.name + "." + format
			t.Run(name, func(t *testing.T) {
				got := render(t, format, v)
				path := filepath.Join("..", "..", "testdata", "golden", name)
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the golden file; got:\n%s", name, got)
				}
			})
		}
	}
}

func TestJSONShape(t *testing.T) {
	var doc struct {
		SchemaVersion  int                          `json:"schema_version"`
		Request        string                       `json:"request"`
		Mode           string                       `json:"mode"`
		SyncLimitBytes int64                        `json:"sync_limit_bytes"`
		Base64         *bool                        `json:"base64"`
		CheckAuth      *bool                        `json:"check_auth"`
		Strict         *bool                        `json:"strict"`
		Results        []map[string]json.RawMessage `json:"results"`
		Summary        Summary                      `json:"summary"`
	}
	if err := json.Unmarshal(render(t, "json", variant{}), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != SchemaVersion || doc.Request != "unscripted" || doc.Mode != "sync" || doc.SyncLimitBytes != 1000 ||
		doc.Base64 == nil || doc.CheckAuth == nil || doc.Strict == nil {
		t.Errorf("run fields: %+v", doc)
	}
	if want := (Summary{Total: 11, Accepted: 3, Rejected: 5, Undecided: 1, Errors: 1, Ignored: 1, Warned: 1, Shown: 11}); doc.Summary != want {
		t.Errorf("summary %+v, want %+v", doc.Summary, want)
	}
	statuses := []Status{StatusAccepted, StatusRejected, StatusIgnored, StatusAccepted, StatusUndecided, StatusRejected, StatusError, StatusRejected, StatusRejected, StatusRejected, StatusAccepted}
	for i, r := range doc.Results {
		keys := []string{"input", "input_id", "source", "status", "accepted", "exception", "findings", "warnings", "audio"}
		if _, isErr := r["error"]; isErr {
			keys = []string{"input", "input_id", "source", "status", "accepted", "error"}
			if _, ok := r["exception"]; ok {
				t.Errorf("an error result has verdict fields: %v", r)
			}
		}
		for _, k := range keys {
			if _, ok := r[k]; !ok {
				t.Errorf("result %s lacks %q", r["input"], k)
			}
		}
		var status Status
		var accepted bool
		json.Unmarshal(r["status"], &status)
		json.Unmarshal(r["accepted"], &accepted)
		if status != statuses[i] || accepted != (status == StatusAccepted) {
			t.Errorf("result %d %s: status %s, accepted %v; want %s", i, r["input"], status, accepted, statuses[i])
		}
	}
	if got := string(doc.Results[0]["exception"]); got != "null" {
		t.Errorf("accepted result's exception = %s, want null", got)
	}
	var steps []string
	if json.Unmarshal(doc.Results[4]["undecided"], &steps); strings.Join(steps, ",") != "decode,zero-frames" {
		t.Errorf("undecided result's steps = %s", doc.Results[4]["undecided"])
	}
	// An ignored result keeps its verdict and says who accepted it, and why.
	var ignored struct {
		Exception struct{ Name string } `json:"exception"`
		Ignored   *Ignored              `json:"ignored"`
	}
	raw, _ := json.Marshal(doc.Results[2])
	if json.Unmarshal(raw, &ignored); ignored.Exception.Name != "AudioTooBigForSync" || ignored.Ignored == nil ||
		ignored.Ignored.By != ".audiopreflight.yaml:12:5" || !strings.HasPrefix(ignored.Ignored.Reason, "recorded before") {
		t.Errorf("ignored result: %s", raw)
	}
	for i, r := range doc.Results {
		if _, ok := r["ignored"]; ok != (statuses[i] == StatusIgnored) {
			t.Errorf("result %d %s: ignored field present %v", i, r["input"], ok)
		}
	}
}

// TestJSONKeepsNamesRecoverable: a name that is not valid UTF-8 is shown
// as valid UTF-8 with its exact bytes in input_bytes; a name that is
// valid UTF-8 has no input_bytes; input_id is the hash of the input as
// given, whatever is shown.
func TestJSONKeepsNamesRecoverable(t *testing.T) {
	for _, line := range strings.Split(strings.TrimSpace(string(render(t, "jsonl", variant{}))), "\n") {
		var r struct {
			SchemaVersion int     `json:"schema_version"`
			Input         string  `json:"input"`
			InputBytes    *[]byte `json:"input_bytes"`
			InputID       string  `json:"input_id"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if r.SchemaVersion != SchemaVersion {
			t.Errorf("a JSONL line without schema_version: %s", line)
		}
		switch {
		case strings.HasPrefix(r.Input, "samples/bad"):
			if r.InputBytes == nil || string(*r.InputBytes) != rawName || r.Input != strings.ToValidUTF8(rawName, "\uFFFD") || r.InputID != InputID(rawName) {
				t.Errorf("raw name: %s", line)
			}
		case strings.HasPrefix(r.Input, "https://"):
			if r.InputBytes != nil || r.InputID != InputID(secretURL) {
				t.Errorf("URL: %s", line)
			}
		default:
			if r.InputBytes != nil {
				t.Errorf("input_bytes for a valid name: %s", line)
			}
		}
	}
}

func TestJUnitIsWellFormed(t *testing.T) {
	var doc junitSuites
	if err := xml.Unmarshal(render(t, "junit", variant{}), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 11 || doc.Failures != 5 || doc.Errors != 1 || doc.Skipped != 2 || len(doc.Suites.Cases) != 11 {
		t.Errorf("tests=%d failures=%d errors=%d skipped=%d cases=%d", doc.Tests, doc.Failures, doc.Errors, doc.Skipped, len(doc.Suites.Cases))
	}
	cases := doc.Suites.Cases
	if f := cases[1].Failure; f == nil || f.Type != "AudioTooBigForSync" {
		t.Errorf("second case's failure = %+v", f)
	}
	if s := cases[2].Skipped; s == nil || cases[2].Failure != nil || !strings.HasPrefix(s.Message, "ignored: AudioTooBigForSync") ||
		!strings.Contains(s.Message, "recorded before the 16 kHz rule") || !strings.HasSuffix(s.Message, "(.audiopreflight.yaml:12:5)") {
		t.Errorf("ignored case: %+v", cases[2])
	}
	if s := cases[4].Skipped; s == nil || !strings.Contains(s.Message, "decode, zero-frames") {
		t.Errorf("undecided case: %+v", cases[4])
	}
	if cases[0].File != "samples/ok.wav" || cases[0].Time != "0.001" || cases[7].File != "" || cases[8].File != "" {
		t.Errorf("file and time attributes: %+v %+v %+v", cases[0], cases[7], cases[8])
	}
	// With --strict an undecided input fails.
	var strict junitSuites
	if err := xml.Unmarshal(render(t, "junit", variant{strict: true}), &strict); err != nil {
		t.Fatal(err)
	}
	if f := strict.Suites.Cases[4].Failure; f == nil || f.Type != "undecided" {
		t.Errorf("strict undecided case: %+v", strict.Suites.Cases[4])
	}
	if strict.Suites.Cases[2].Skipped == nil {
		t.Errorf("strict ignored case: %+v", strict.Suites.Cases[2])
	}
}

func TestGitHubEscapes(t *testing.T) {
	out := string(render(t, "github", variant{}))
	if !strings.Contains(out, "file=samples/stereo 44k%2C \"loud\".wav,title=AudioTooBigForSync::") {
		t.Errorf("file property not escaped:\n%s", out)
	}
	if !strings.Contains(out, "::notice file=samples/unread.flac,title=audiopreflight%3A undecided::") {
		t.Errorf("no notice for the undecided input:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "::") && strings.Count(line, "::") != 2 {
			t.Errorf("a command spans lines or is malformed: %q", line)
		}
	}
}

// TestQuietShowsWhatFails: -q lists exactly the results that fail the run
// (and the errors), in every format, and the summary stays.
func TestQuietShowsWhatFails(t *testing.T) {
	for _, strict := range []bool{false, true} {
		v := variant{quiet: true, strict: strict}
		var want []string
		for _, r := range fixtureResults(validate.Request{Type: validate.Unscripted, SyncLimit: 1000}) {
			if r.Failed(strict) || r.Status == StatusError {
				want = append(want, InputID(r.Input))
			}
		}
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(string(render(t, "jsonl", v))), "\n") {
			var r struct {
				InputID string `json:"input_id"`
			}
			json.Unmarshal([]byte(line), &r)
			got = append(got, r.InputID)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("strict=%v: jsonl shows %v, want %v", strict, got, want)
		}
		var doc struct {
			Results []any   `json:"results"`
			Summary Summary `json:"summary"`
		}
		json.Unmarshal(render(t, "json", v), &doc)
		if len(doc.Results) != len(want) || doc.Summary.Shown != len(want) || doc.Summary.Total != 11 {
			t.Errorf("strict=%v: json shows %d results, summary %+v", strict, len(doc.Results), doc.Summary)
		}
		text := string(render(t, "text", v))
		if strings.Contains(text, "samples/ok.wav") || strings.Contains(text, "legacy") || !strings.Contains(text, "11 inputs:") {
			t.Errorf("strict=%v: quiet text:\n%s", strict, text)
		}
		if strings.Contains(text, "samples/unread.flac") != strict || strings.Contains(text, "samples/cut.wav") != strict {
			t.Errorf("strict=%v: quiet text and the undecided or warned inputs:\n%s", strict, text)
		}
		var junit junitSuites
		xml.Unmarshal(render(t, "junit", v), &junit)
		if junit.Tests != len(want) || len(junit.Suites.Cases) != len(want) {
			t.Errorf("strict=%v: junit has %d tests, %d cases, want %d", strict, junit.Tests, len(junit.Suites.Cases), len(want))
		}
	}
}

// TestNothingRawReachesTheOutput feeds every format names, audio host
// replies and audio-derived strings holding each byte and character that
// could act on a terminal or a log, and checks that none comes out raw —
// only the renderers' own newlines (and, in text, their own colour codes
// on a terminal).
func TestNothingRawReachesTheOutput(t *testing.T) {
	var hostile []string
	for c := 0; c < 0x20; c++ {
		hostile = append(hostile, string(rune(c)))
	}
	hostile = append(hostile, "\x7f", "\x80", "\x9b", "\xff", "\xc3")
	for _, r := range []rune{0x85, 0x9b, 0x9d, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c, 0x2028, 0x2029} {
		hostile = append(hostile, string(r))
	}
	var results []*Result
	for _, h := range hostile {
		info := wav(16000, 2)
		info.Container, info.Codec = "wav"+h, "pcm"+h
		info.Warnings = []string{"warning " + h}
		info.Parts = []probe.Part{{Kind: "chunk" + h, ID: "id" + h, Note: "note" + h}}
		r := decide("in"+h+"put.wav", SourceFile, validate.Evidence{Size: 500, Info: info, Read: &probe.ReadResult{FramesRead: 1, Warnings: []string{"read " + h}}}, validate.Request{Type: validate.Unscripted, SyncLimit: 1000})
		r.Hint += " hint" + h
		results = append(results, r,
			decide("https://host/"+h+"?sig=x"+h, SourceURL, validate.Evidence{Download: &validate.DownloadFailure{Detail: "HTTP 403 " + h, Hint: "hint " + h}}, validate.Request{Type: validate.Unscripted}),
			ErrorResult("gone"+h+".wav", SourceFile, errors.New("open gone"+h+".wav: no such file")))
	}
	for _, format := range append(append([]string{}, Formats...), "probe text", "probe json") {
		for _, colour := range []bool{false, true} {
			var buf bytes.Buffer
			opts := Options{Run: Run{Request: "unscripted", Mode: "sync"}, Palette: term.Colours(colour)}
			if f, ok := strings.CutPrefix(format, "probe "); ok {
				out, _ := NewProbe(f, &buf, opts)
				for _, r := range results {
					pr := &ProbeResult{Input: r.Input, Source: r.Source, Audio: r.Audio, Error: r.Error}
					if r.Audio == nil && r.Exception != nil {
						pr.Error = r.Exception.Detail
					}
					if err := out.Write(pr); err != nil {
						t.Fatal(err)
					}
				}
				if err := out.Flush(); err != nil {
					t.Fatal(err)
				}
			} else {
				out, _ := New(format, &buf, opts)
				for _, r := range results {
					if err := out.Write(r); err != nil {
						t.Fatal(err)
					}
				}
				if err := out.Flush(time.Second); err != nil {
					t.Fatal(err)
				}
			}
			got := buf.String()
			if colour {
				got = colourCode.ReplaceAllString(got, "")
			}
			if !utf8.ValidString(got) {
				t.Errorf("-o %s (colour %v): output is not valid UTF-8", format, colour)
			}
			for i, r := range got {
				if r != '\n' && safetext.Unsafe(r) {
					t.Errorf("-o %s (colour %v): raw %U at %d: %q", format, colour, r, i, got[max(0, i-40):min(len(got), i+40)])
					break
				}
			}
		}
	}
}

// TestURLSecretsAreRedacted: a URL's password and signature appear in no
// format, not in the input, the annotations, the test names, the details,
// the hints or stream_dir; --show-secrets shows them.
func TestURLSecretsAreRedacted(t *testing.T) {
	req := validate.Request{Type: validate.Unscripted, SyncLimit: 100}
	big := decide(secretURL, SourceURL, validate.Evidence{Size: 500, Info: wav(16000, 1), Read: &probe.ReadResult{FramesRead: 32000},
		SourceWarnings: []string{"the URL redirects and ends at " + secretURL}}, req)
	failed := decide(secretURL, SourceURL, validate.Evidence{Download: &validate.DownloadFailure{Detail: `Get "` + secretURL + `": EOF`, Hint: "try " + secretURL}}, req)
	for _, format := range Formats {
		for _, show := range []bool{false, true} {
			var buf bytes.Buffer
			out, _ := New(format, &buf, Options{Run: Run{Request: "unscripted", Mode: "sync"}, Redact: redact.Policy{Show: show}})
			out.Write(big)
			out.Write(failed)
			out.Flush(time.Second)
			leaked := strings.Contains(buf.String(), "S3cr3tPass") || strings.Contains(buf.String(), "0123456789")
			if leaked != show {
				t.Errorf("-o %s, show %v: secrets shown %v:\n%s", format, show, leaked, buf.String())
			}
			if !show && !strings.Contains(buf.String(), "alice:…@example.com") {
				t.Errorf("-o %s: the redacted URL is missing:\n%s", format, buf.String())
			}
		}
	}
}

// TestAuthReportedOnce: with --check-auth, a failing header is reported
// once in text, github and junit, and on every result in JSON.
func TestAuthReportedOnce(t *testing.T) {
	v := variant{auth: true}
	for format, want := range map[string]int{"text": 1, "github": 1, "junit": 1} {
		out := string(render(t, format, v))
		if n := strings.Count(out, "no Authorization header was given"); n != want {
			t.Errorf("-o %s: the auth finding's detail appears %d times, want %d:\n%s", format, n, want, out)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(string(render(t, "jsonl", v))), "\n") {
		var r Result
		json.Unmarshal([]byte(line), &r)
		if r.Status != StatusError && (len(r.Findings) == 0 || r.Findings[0].Name != validate.NoTokenProvided || r.Status != StatusRejected) {
			t.Errorf("a JSONL result lacks the auth finding: %s", line)
		}
	}
	var doc struct {
		CheckAuth bool       `json:"check_auth"`
		Auth      *AuthCheck `json:"auth"`
	}
	json.Unmarshal(render(t, "json", v), &doc)
	if !doc.CheckAuth || doc.Auth == nil || len(doc.Auth.Findings) != 1 || doc.Auth.Hint == "" {
		t.Errorf("run header: %+v", doc)
	}
}

var colourCode = regexp.MustCompile("\x1b\\[[0-9;]*m")

// GitHub shows 10 annotations of each kind per step: the github format
// makes the first 10 of each kind annotations, prints the others as plain
// lines, and says so at the end.
func TestGitHubAnnotationsPerStep(t *testing.T) {
	var buf bytes.Buffer
	out, err := New("github", &buf, Options{Run: Run{Request: "unscripted", Mode: "sync"}})
	if err != nil {
		t.Fatal(err)
	}
	req := validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}
	for i := range 25 {
		r := decide(fmt.Sprintf("takes/%02d.wav", i), SourceFile, validate.Evidence{Size: 5000, Info: wav(44100, 2), Read: &probe.ReadResult{FramesRead: 88200}}, req)
		if err := out.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Flush(time.Second); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if n := strings.Count(text, "::error "); n != 10 {
		t.Errorf("%d error annotations, want 10:\n%s", n, text)
	}
	if !strings.Contains(text, "::error file=takes/09.wav,") || strings.Contains(text, "::error file=takes/10.wav,") ||
		!strings.Contains(text, "audiopreflight error: InvalidAudioFormat: takes/10.wav: Only 16 kHz mono") {
		t.Errorf("the first 10 are annotations, the others plain lines:\n%s", text)
	}
	if !strings.HasSuffix(text, "the first 10 errors, warnings and notices are annotations, the 15 others are the plain lines above (the job summary lists them all)\n") {
		t.Errorf("no closing note:\n%s", text)
	}
}

// The markdown summary lists at most markdownRows rows a table, and says
// how many it left out.
func TestMarkdownIsBounded(t *testing.T) {
	var buf bytes.Buffer
	out, err := New("markdown", &buf, Options{Run: Run{Request: "unscripted", Mode: "sync"}})
	if err != nil {
		t.Fatal(err)
	}
	req := validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}
	for i := range markdownRows + 7 {
		r := decide(fmt.Sprintf("takes/%03d|x.wav", i), SourceFile, validate.Evidence{Size: 5000, Info: wav(44100, 2), Read: &probe.ReadResult{FramesRead: 88200}}, req)
		out.Write(r)
	}
	out.Flush(time.Second)
	text := buf.String()
	if n := strings.Count(text, "| `InvalidAudioFormat` | 44100 Hz"); n != markdownRows {
		t.Errorf("%d rows", n)
	}
	if !strings.Contains(text, "… and 7 more") || !strings.Contains(text, "| `InvalidAudioFormat` | 207 |") ||
		!strings.HasPrefix(text, "## ❌ audiopreflight: the API would reject 207 of 207 inputs") || !strings.Contains(text, "takes/000\\|x.wav") {
		t.Errorf("markdown:\n%.2000s", text)
	}
}
