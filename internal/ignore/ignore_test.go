package ignore

import (
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/config"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/validate"
)

func rejected(input, source, exception string, auth bool) *report.Result {
	r := &report.Result{Input: input, Source: source, Status: report.StatusRejected, Exception: &report.Exception{Name: exception, Step: "format"}}
	if auth {
		r.Exception.Step = validate.StepAuth
	}
	r.Findings = []*report.Exception{r.Exception}
	return r
}

func TestApply(t *testing.T) {
	cfg, err := config.Decode("/repo/.audiopreflight.yaml", []byte(`ignore:
  - path: "https://cdn.example.com/legacy/**"
    reason: the CDN's old uploads
  - path: legacy/*.wav
    exceptions: [InvalidAudioFormat]
    reason: old
`))
	if err != nil {
		t.Fatal(err)
	}
	rules := New(cfg, nil)
	tests := []struct {
		r    *report.Result
		want string
	}{
		{rejected("/repo/legacy/a.wav", report.SourceFile, "InvalidAudioFormat", false), "old (/repo/.audiopreflight.yaml:4:5)"},
		{rejected("/repo/legacy/a.wav", report.SourceFile, "AudioTooBigForSync", false), ""},
		{rejected("/repo/legacy/sub/a.wav", report.SourceFile, "InvalidAudioFormat", false), ""},
		{rejected("https://cdn.example.com/legacy/2019/a.wav", report.SourceURL, "FailedToReadAudioFromURL", false), "the CDN's old uploads (/repo/.audiopreflight.yaml:2:5)"},
		// A failing Authorization header is the run's: nothing accepts it.
		{rejected("https://cdn.example.com/legacy/a.wav", report.SourceURL, "NoTokenProvided", true), ""},
	}
	for _, tt := range tests {
		rules.Apply(tt.r)
		got := ""
		if tt.r.Ignored != nil {
			got = tt.r.Ignored.Reason + " (" + tt.r.Ignored.By + ")"
		}
		if got != tt.want || (got != "") != (tt.r.Status == report.StatusIgnored) {
			t.Errorf("%s %s: %q, status %s; want %q", tt.r.Input, tt.r.Exception.Name, got, tt.r.Status, tt.want)
		}
	}
	if unused := rules.Unused(); len(unused) != 0 {
		t.Errorf("unused: %v", unused)
	}
	// An accepted result is left alone, and counts for no entry.
	fresh := New(cfg, nil)
	ok := &report.Result{Input: "/repo/legacy/b.wav", Source: report.SourceFile, Status: report.StatusAccepted}
	fresh.Apply(ok)
	if ok.Status != report.StatusAccepted || len(fresh.Unused()) != 2 || !strings.Contains(fresh.Unused()[1], "the 1 input its path matched had no InvalidAudioFormat") {
		t.Errorf("%s, %q", ok.Status, fresh.Unused())
	}
}
