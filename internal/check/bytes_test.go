package check

import (
	"context"
	"os"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/validate"
)

// TestCheckAudioIsCheckOnBytesAtHand: the bytes of a file checked with
// CheckAudio under the file's name give the file's result, from a
// directory where no file of that name exists.
func TestCheckAudioIsCheckOnBytesAtHand(t *testing.T) {
	names := []string{"hello-16k-mono.wav", "hello-44k-stereo.flac", "cut-short.flac", "hello.m4a", "empty.wav"}
	t.Chdir("../../testdata/samples")
	data := map[string][]byte{}
	want := map[string]string{}
	c := &Checker{Request: validate.Request{Type: validate.Scripted, SyncLimit: validate.DefaultSyncLimit}}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		data[n] = b
		want[n] = verdictOf(c.Check(context.Background(), Target{Name: n, Source: report.SourceFile})) + " " + n
	}
	t.Chdir(t.TempDir())
	for _, n := range names {
		r := c.CheckAudio(Target{Name: n, Source: report.SourceFile}, Bytes(data[n]))
		if got := verdictOf(r) + " " + r.Input; got != want[n] {
			t.Errorf("%s: %s, as a file %s", n, got, want[n])
		}
	}
}

func TestCheckAudioTakesNoBase64(t *testing.T) {
	c := &Checker{Base64: true}
	r := c.CheckAudio(Target{Name: "a.b64", Source: report.SourceFile}, Bytes([]byte("UklGRg==")))
	if r.Status != report.StatusError || r.Error != "CheckAudio takes audio, not base64 text" {
		t.Errorf("%+v", r)
	}
}
