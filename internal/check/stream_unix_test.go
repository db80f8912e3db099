//go:build unix

package check

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/validate"
)

// TestNamedPipeIsReadLikeStdin: a named pipe (process substitution,
// /dev/stdin on a pipe) is checked like standard input.
func TestNamedPipeIsReadLikeStdin(t *testing.T) {
	sample := "../../testdata/samples/hello-16k-mono.wav"
	data, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.Write(data)
		w.Close()
	}()
	c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}}
	got := c.Check(context.Background(), Target{Name: fifo, Source: report.SourceFile, Stream: true})
	want := c.Check(context.Background(), Target{Name: sample, Source: report.SourceFile})
	if comparable(got) != comparable(want) || got.Audio == nil || got.Audio.Frames != want.Audio.Frames {
		t.Errorf("from a named pipe %s, from the file %s", comparable(got), comparable(want))
	}
}
