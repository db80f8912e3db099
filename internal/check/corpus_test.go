package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/internal/report"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
	"github.com/audiopreflight/audiopreflight/validate"
)

// corpusDirs are the committed directories with the reference model's
// verdicts: every family of the differential corpus and the samples.
func corpusDirs(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("../../testdata/corpus/*")
	if err != nil {
		t.Fatal(err)
	}
	return append(dirs, "../../testdata/samples")
}

// modelSyncLimit is the --sync-limit the model ran a family with.
func modelSyncLimit(t *testing.T, dir string) int64 {
	b, err := os.ReadFile(filepath.Join(dir, "model-flags"))
	if os.IsNotExist(err) {
		return validate.DefaultSyncLimit
	}
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "--sync-limit" {
			n, err := strconv.ParseInt(f[i+1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	return validate.DefaultSyncLimit
}

func verdictOf(r *report.Result) string {
	if r.Error != "" {
		return "error: " + r.Error
	}
	if r.Exception == nil {
		return "accepted"
	}
	return fmt.Sprintf("%s %v", r.Exception.Name, r.Exception.Parameters)
}

func wantVerdict(v oracle.Verdict) string {
	if v.Exception == nil {
		return "accepted"
	}
	p := v.Parameters
	if p == nil {
		p = map[string]string{}
	}
	return fmt.Sprintf("%s %v", *v.Exception, p)
}

// checkAgainstModel runs every input of dir's golden files through the
// checker, in full mode and header-only, and compares the verdicts with
// the model's. Header-only may leave a verdict undecided, but whatever it
// decides must be the model's verdict too.
func checkAgainstModel(t *testing.T, dir string, syncLimit int64) (checked int) {
	t.Helper()
	t.Chdir(dir)
	for _, req := range []string{validate.Unscripted, validate.Scripted} {
		for _, v := range oracle.MustLoad(t, "expected-"+req+".jsonl") {
			target := Target{Name: v.Input, Source: report.SourceFile}
			base64 := strings.HasSuffix(v.Input, ".b64")
			full := &Checker{Request: validate.Request{Type: req, SyncLimit: syncLimit}, Base64: base64}
			want := wantVerdict(v)
			if got := verdictOf(full.Check(context.Background(), target)); got != want {
				t.Errorf("%s (%s): %s, the model says %s", filepath.Join(dir, v.Input), req, got, want)
			}
			headerOnly := &Checker{Request: validate.Request{Type: req, SyncLimit: syncLimit, HeaderOnly: true}, Base64: base64}
			r := headerOnly.Check(context.Background(), target)
			if got := verdictOf(r); got != want && r.Status != report.StatusUndecided {
				t.Errorf("%s (%s, header only): %s, the model says %s", filepath.Join(dir, v.Input), req, got, want)
			}
			checked++
		}
	}
	return checked
}

func TestVerdictsMatchTheModelOnTheCommittedCorpus(t *testing.T) {
	for _, dir := range corpusDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			abs, err := filepath.Abs(dir)
			if err != nil {
				t.Fatal(err)
			}
			if n := checkAgainstModel(t, abs, modelSyncLimit(t, abs)); n == 0 {
				t.Fatal("no verdicts checked")
			}
		})
	}
}

func TestVerdictsMatchTheModelOnTheFLACTestbench(t *testing.T) {
	dir := oracle.CorporaDir(t, "flac-test-files")
	if n := checkAgainstModel(t, dir, validate.DefaultSyncLimit); n != 2*73 {
		t.Errorf("checked %d verdicts, want %d", n, 2*73)
	}
}
