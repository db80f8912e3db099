package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/term"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// fixtureResults is one run's worth of results that exercises every part of
// every format: accepted, rejected with several findings, warnings and a
// hint, header-only, an unreadable input, a URL, characters to escape.
func fixtureResults() []*Result {
	req := validate.Request{Type: validate.Unscripted, SyncLimit: 1000}
	wav := func(rate, ch int) *probe.Info {
		return &probe.Info{Container: "wav", Variant: "RIFF", Codec: "pcm_s16le", Opens: true, SndfileFormat: "WAV",
			SndfileSubtype: "PCM_16", SampleRate: rate, Channels: ch, BitsPerSample: 16, Frames: int64(rate * 2), Size: 500}
	}
	decide := func(input, source string, ev validate.Evidence, r validate.Request) *Result {
		ev.Input = input
		d := validate.Decide(r, ev)
		return NewResult(input, source, d, ev.Info, validate.Hint(r, ev, d))
	}
	truncated := wav(16000, 1)
	truncated.Warnings = []string{"the header declares 64000 bytes of audio, 31000 are present"}
	headerOnly := req
	headerOnly.HeaderOnly = true
	return []*Result{
		decide("samples/ok.wav", SourceFile, validate.Evidence{Size: 500, Info: wav(16000, 1), Read: &probe.ReadResult{FramesRead: 32000}}, req),
		decide("samples/stereo 44k, \"loud\".wav", SourceFile, validate.Evidence{Size: 5000, Info: wav(44100, 2), Read: &probe.ReadResult{FramesRead: 0}}, req),
		decide("samples/cut.wav", SourceFile, validate.Evidence{Size: 500, Info: truncated, Read: &probe.ReadResult{FramesRead: 15500}}, req),
		decide("samples/unread.flac", SourceFile, validate.Evidence{Size: 500, Info: &probe.Info{Container: "flac", Codec: "flac", Opens: true,
			SndfileFormat: "FLAC", SndfileSubtype: "PCM_16", SampleRate: 16000, Channels: 1, Frames: 100, Size: 500}}, headerOnly),
		ErrorResult("samples/locked.wav", SourceFile, errors.New("open samples/locked.wav: permission denied")),
		decide("https://example.com/a.wav?X-Amz-Expires=60", SourceURL, validate.Evidence{Download: &validate.DownloadFailure{Detail: "HTTP 403 Forbidden"}}, req),
		decide("-", SourceStdin, validate.Evidence{Size: 0}, req),
	}
}

func render(t *testing.T, format string, quiet bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	r, err := New(format, &buf, Options{Run: Run{Request: "unscripted", Mode: "sync", SyncLimitBytes: 1000}, Quiet: quiet, Palette: term.Palette{}})
	if err != nil {
		t.Fatal(err)
	}
	var s Summary
	for _, res := range fixtureResults() {
		s.Add(res)
		if err := r.Write(res); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Flush(s, 1500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, format := range Formats {
		for _, quiet := range []bool{false, true} {
			name := "report." + format
			if quiet {
				name = "report-quiet." + format
			}
			t.Run(name, func(t *testing.T) {
				got := render(t, format, quiet)
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
		Request        string                       `json:"request"`
		Mode           string                       `json:"mode"`
		SyncLimitBytes int64                        `json:"sync_limit_bytes"`
		Results        []map[string]json.RawMessage `json:"results"`
		Summary        Summary                      `json:"summary"`
	}
	if err := json.Unmarshal(render(t, "json", false), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Request != "unscripted" || doc.Mode != "sync" || doc.SyncLimitBytes != 1000 {
		t.Errorf("run fields: %+v", doc)
	}
	if doc.Summary != (Summary{Total: 7, Accepted: 3, Rejected: 3, Errors: 1, Warned: 1}) {
		t.Errorf("summary %+v", doc.Summary)
	}
	for _, r := range doc.Results {
		keys := []string{"input", "source", "accepted", "exception", "findings", "warnings", "audio"}
		if _, isErr := r["error"]; isErr {
			keys = []string{"input", "source", "error"}
			if len(r) != 3 {
				t.Errorf("an error result has verdict fields: %v", r)
			}
		}
		for _, k := range keys {
			if _, ok := r[k]; !ok {
				t.Errorf("result %s lacks %q", r["input"], k)
			}
		}
	}
	if got := string(doc.Results[0]["exception"]); got != "null" {
		t.Errorf("accepted result's exception = %s, want null", got)
	}
}

func TestJUnitIsWellFormed(t *testing.T) {
	var doc junitSuites
	if err := xml.Unmarshal(render(t, "junit", false), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 7 || doc.Failures != 3 || doc.Errors != 1 || len(doc.Suites.Cases) != 7 {
		t.Errorf("tests=%d failures=%d errors=%d cases=%d", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites.Cases))
	}
	if f := doc.Suites.Cases[1].Failure; f == nil || f.Type != "AudioTooBigForSync" {
		t.Errorf("second case's failure = %+v", f)
	}
}

func TestGitHubEscapes(t *testing.T) {
	out := string(render(t, "github", false))
	if !strings.Contains(out, "file=samples/stereo 44k%2C \"loud\".wav,title=AudioTooBigForSync::") {
		t.Errorf("file property not escaped:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "::") && strings.Count(line, "::") != 2 {
			t.Errorf("a command spans lines or is malformed: %q", line)
		}
	}
}
