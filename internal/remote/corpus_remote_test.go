//go:build remotecorpus

// The committed corpus read over HTTP must probe exactly as it does from
// disk, whatever the server does with ranges. Run with
//
//	go test -tags remotecorpus ./internal/remote/
//
// It needs every format package, so it is kept out of the default build:
// the format packages and this one are written independently.
package remote_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/remote/remotetest"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
)

func TestCorpusOverHTTPMatchesLocal(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/corpus/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	behaviours := map[string]remotetest.Behaviour{
		"ranged":       {},
		"ignore-range": {IgnoreRange: true},
		"chunked":      {IgnoreRange: true, Chunked: true},
		"capped-range": {MaxRange: 5000},
	}
	for _, dir := range dirs {
		for bname, b := range behaviours {
			t.Run(filepath.Base(dir)+"/"+bname, func(t *testing.T) {
				srv := remotetest.New(t)
				c := newClient(srv)
				files := 0
				for _, p := range srv.AddDir(dir, b) {
					if strings.HasSuffix(p, ".jsonl") || strings.HasSuffix(p, ".b64") || path.Base(p) == "model-flags" {
						continue
					}
					files++
					compareRemote(t, c, srv.URL(p), filepath.Join(dir, filepath.FromSlash(p)))
				}
				t.Logf("%d files", files)
			})
		}
	}
}

func compareRemote(t *testing.T, c *remote.Client, url, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))
	name := filepath.Base(file)
	o, f := c.Open(context.Background(), url)
	if size == 0 {
		if f == nil || f.Reason != remote.ReasonEmpty {
			t.Errorf("%s: empty file: %+v", name, f)
		}
		return
	}
	if f != nil {
		t.Errorf("%s: %s", name, f.Detail)
		return
	}
	defer o.Close()
	if o.Size() != size {
		t.Errorf("%s: size %d, want %d", name, o.Size(), size)
	}
	local, lerr := probe.Probe(bytes.NewReader(data), size, name)
	got, rerr := probe.Probe(o, o.Size(), o.Name())
	if (lerr == nil) != (rerr == nil) {
		t.Errorf("%s: probe errors differ: %v / %v", name, lerr, rerr)
		return
	}
	if lerr != nil {
		return
	}
	if a, b := jsonOf(local), jsonOf(got); a != b {
		t.Errorf("%s: probe differs\nlocal  %s\nremote %s", name, a, b)
	}
	lres, lerr := probe.ReadAll(bytes.NewReader(data), size, local)
	rres, rerr := probe.ReadAll(o, o.Size(), got)
	if (lerr == nil) != (rerr == nil) {
		t.Errorf("%s: read errors differ: %v / %v", name, lerr, rerr)
	}
	if a, b := jsonOf(lres), jsonOf(rres); a != b {
		t.Errorf("%s: full read differs\nlocal  %s\nremote %s", name, a, b)
	}
	if f := o.FinishDownload(); f != nil {
		t.Errorf("%s: FinishDownload: %s", name, f.Detail)
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
