package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/remote/remotetest"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/validate"
)

// TestURLVerdictsEqualLocalVerdicts serves every committed corpus file over
// loopback HTTP — by a server that honours Range and by one that ignores it
// — and requires the verdict of each URL to be the verdict of the same file
// read locally (stream_dir aside, which is the input as given; and an
// empty file, which over HTTP is an empty body).
func TestURLVerdictsEqualLocalVerdicts(t *testing.T) {
	behaviours := map[string]remotetest.Behaviour{"ranges": {}, "no-ranges": {IgnoreRange: true}}
	for name, b := range behaviours {
		t.Run(name, func(t *testing.T) {
			compared := 0
			for _, dir := range corpusDirs(t) {
				abs, err := filepath.Abs(dir)
				if err != nil {
					t.Fatal(err)
				}
				srv := remotetest.New(t)
				srv.AddDir(abs, b)
				client := remote.NewClient(srv.Options())
				limit := modelSyncLimit(t, abs)
				for _, req := range []string{validate.Unscripted, validate.Scripted} {
					for i, v := range oracle.MustLoad(t, filepath.Join(abs, "expected-"+req+".jsonl")) {
						if name == "no-ranges" && i%5 != 0 {
							continue // a sample is enough for the slow path
						}
						b64 := strings.HasSuffix(v.Input, ".b64")
						c := &Checker{Request: validate.Request{Type: req, SyncLimit: limit}, Base64: b64, Remote: client}
						local := c.Check(context.Background(), Target{Name: filepath.Join(abs, v.Input), Source: report.SourceFile})
						url := srv.URL("/" + filepath.ToSlash(v.Input))
						overHTTP := c.Check(context.Background(), Target{Name: url, Source: report.SourceURL})
						want := comparable(local)
						if st, err := os.Stat(filepath.Join(abs, v.Input)); err == nil && st.Size() == 0 {
							// An empty body is a failed download for the
							// server (docs/server.md#urls), not a missing parameter.
							want = "FailedToReadAudioFromURL map[]"
						}
						if got := comparable(overHTTP); got != want {
							t.Errorf("%s (%s): over HTTP %s, locally %s", url, req, got, want)
						}
						compared++
					}
				}
				client.CloseIdleConnections()
			}
			if compared == 0 {
				t.Fatal("nothing compared")
			}
		})
	}
}

// comparable is a result's verdict with the input-dependent parameter
// (stream_dir) blanked.
func comparable(r *report.Result) string {
	if r.Exception != nil {
		if _, ok := r.Exception.Parameters["stream_dir"]; ok {
			p := map[string]string{"stream_dir": "<input>"}
			e := *r.Exception
			e.Parameters = p
			r = &report.Result{Exception: &e, Error: r.Error}
		}
	}
	return verdictOf(r)
}

// TestURLHeaderChecksAgreeWithLocalOnes: a header check over HTTP, whatever
// the server's manners, decides what the same check of the local file
// decides, or leaves it undecided (a server that ignores Range keeps the
// end of a large file out of a header check's reach), never otherwise.
func TestURLHeaderChecksAgreeWithLocalOnes(t *testing.T) {
	behaviours := map[string]remotetest.Behaviour{
		"ranges": {}, "no-ranges": {IgnoreRange: true},
		"chunked": {IgnoreRange: true, Chunked: true}, "gzip": {IgnoreRange: true, Gzip: true},
	}
	for name, b := range behaviours {
		t.Run(name, func(t *testing.T) {
			compared, undecided := 0, 0
			for _, dir := range corpusDirs(t) {
				abs, err := filepath.Abs(dir)
				if err != nil {
					t.Fatal(err)
				}
				srv := remotetest.New(t)
				srv.AddDir(abs, b)
				limit := modelSyncLimit(t, abs)
				opts := srv.Options()
				opts.HeaderOnly, opts.CountTo = true, limit+1
				client := remote.NewClient(opts)
				for i, v := range oracle.MustLoad(t, filepath.Join(abs, "expected-unscripted.jsonl")) {
					if i%3 != 0 || strings.HasSuffix(v.Input, ".b64") {
						continue
					}
					c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: limit, HeaderOnly: true}, Remote: client}
					local := c.Check(context.Background(), Target{Name: filepath.Join(abs, v.Input), Source: report.SourceFile})
					overHTTP := c.Check(context.Background(), Target{Name: srv.URL("/" + filepath.ToSlash(v.Input)), Source: report.SourceURL})
					want, got := comparable(local), comparable(overHTTP)
					if st, err := os.Stat(filepath.Join(abs, v.Input)); err == nil && st.Size() == 0 {
						want = "FailedToReadAudioFromURL map[]"
					}
					switch {
					case got == want:
					case overHTTP.Error == "" && overHTTP.Exception == nil && len(overHTTP.Undecided) > len(local.Undecided):
						undecided++
					default:
						t.Errorf("%s (%s): over HTTP %s %v, locally %s", v.Input, name, got, overHTTP.Undecided, want)
					}
					compared++
				}
				client.CloseIdleConnections()
			}
			t.Logf("%d compared, %d left undecided over HTTP", compared, undecided)
			if compared == 0 {
				t.Fatal("nothing compared")
			}
		})
	}
}
