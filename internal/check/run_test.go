package check

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/internal/run"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

// TestRunSurvivesAParserPanic: an input that makes a parser panic gets an
// error result, and the inputs after it are still checked, in order.
func TestRunSurvivesAParserPanic(t *testing.T) {
	probe.RegisterFormat(probe.Format{Name: "panics", Magic: "PANICS-IN-TESTS", Order: 1,
		ReadHeader: func(io.ReaderAt, int64) (*probe.Info, error) { panic("a parser bug") }})
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.wav")
	if err := os.WriteFile(bad, []byte("PANICS-IN-TESTS and more bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	targets := []Target{
		{Name: bad, Source: report.SourceFile},
		{Name: "../../testdata/samples/hello-16k-mono.wav", Source: report.SourceFile},
		{Name: bad, Source: report.SourceFile},
		{Name: "../../testdata/samples/hello.mp3", Source: report.SourceFile},
	}
	c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}}
	var got []string
	progress := &Progress{}
	err := c.Run(context.Background(), run.Slice(targets), RunOptions{Jobs: 2, Progress: progress}, func(r *report.Result) error {
		got = append(got, verdictOf(r))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || !strings.Contains(got[0], "internal error") || got[1] != "accepted" || !strings.Contains(got[2], "internal error") || !strings.HasPrefix(got[3], "InvalidAudioFormat") {
		t.Errorf("results %q", got)
	}
	if n := progress.Done.Load(); n != 4 {
		t.Errorf("progress counted %d inputs, want 4", n)
	}
}

// TestAParserPanicIsRedacted: a panic's value quoting a credential
// reaches the result redacted.
func TestAParserPanicIsRedacted(t *testing.T) {
	probe.RegisterFormat(probe.Format{Name: "panics-with-token", Magic: "PANICS-WITH-TOKEN", Order: 1,
		ReadHeader: func(io.ReaderAt, int64) (*probe.Info, error) { panic("request failed: token=tok_live_abcdef123456") }})
	bad := filepath.Join(t.TempDir(), "bad.wav")
	if err := os.WriteFile(bad, []byte("PANICS-WITH-TOKEN and more bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}}
	var got *report.Result
	if err := c.Run(context.Background(), run.Slice([]Target{{Name: bad, Source: report.SourceFile}}), RunOptions{Jobs: 1, Progress: &Progress{}}, func(r *report.Result) error {
		got = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Error, "token=tok_…") || strings.Contains(got.Error, "123456") {
		t.Errorf("error %q", got.Error)
	}
}
