package cmd

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/validate"
)

var fixTable = flag.Bool("fixtable", false, "TestFixCommittedCorpus: also hand to ffmpeg what the tool does not fix alone, and print the share table in Markdown")

// corpusRejection is one rejected file of the committed corpus.
type corpusRejection struct {
	path      string
	exception string // the reference model's verdict
	syncLimit int64  // the sync limit the model judged it with
}

// corpusRejections are the files of the committed corpus the reference
// model rejects (unscripted), but for base64 text (fix takes audio).
func corpusRejections(t *testing.T) []corpusRejection {
	t.Helper()
	golden, _ := filepath.Glob("../testdata/corpus/*/expected-unscripted.jsonl")
	var out []corpusRejection
	for _, g := range golden {
		dir := filepath.Dir(g)
		limit := int64(validate.DefaultSyncLimit)
		if b, err := os.ReadFile(filepath.Join(dir, "model-flags")); err == nil {
			f := strings.Fields(string(b))
			for i := 0; i+1 < len(f); i++ {
				if f[i] == "--sync-limit" {
					limit, _ = strconv.ParseInt(f[i+1], 10, 64)
				}
			}
		}
		for _, v := range oracle.MustLoad(t, g) {
			if v.Exception == nil || strings.HasSuffix(v.Input, ".b64") {
				continue
			}
			out = append(out, corpusRejection{filepath.Join(dir, v.Input), *v.Exception, limit})
		}
	}
	if len(out) < 900 {
		t.Fatalf("only %d rejected files in the committed corpus", len(out))
	}
	return out
}

// reasonKey groups the reasons an input is not fixed, and says, for a
// coding the tool does not decode, which.
func reasonKey(r string) (key, what string) {
	r, _, _ = strings.Cut(r, "; ffmpeg ")
	switch {
	case strings.Contains(r, "the tool does not decode "):
		what, _, _ = strings.Cut(r[strings.Index(r, "the tool does not decode ")+len("the tool does not decode "):], " (")
		return "a coding or container the tool does not decode", what
	case strings.Contains(r, "the API's reader does not open it"):
		return "the API's reader does not open it (a damaged header, or one it does not support)", ""
	case strings.Contains(r, "the tool's decoder"):
		return "damaged audio the tool's decoder stops in, or finds nothing in", ""
	case strings.HasPrefix(r, "the tool does not recognise"), strings.HasPrefix(r, "it is not audio"):
		return "not audio, or no format the tool knows", ""
	case strings.HasPrefix(r, "the input is empty"), strings.HasPrefix(r, "the input holds no audio"):
		return "no audio: empty, or no samples", ""
	case strings.HasPrefix(r, "too big for sync mode"):
		return "too big for sync mode even as 16 kHz mono FLAC", ""
	case strings.HasPrefix(r, "ffmpeg could not convert it"):
		return "ffmpeg could not convert it either", ""
	}
	return r, ""
}

// TestFixCommittedCorpus runs fix over every rejected file of the
// committed corpus, as the model judged it (unscripted, its sync limit):
// every file fix writes is accepted by the check engine, every file it
// does not fix has a reason, and none of those reasons is a fixed file
// check would still reject. It logs the share fixed by the model's
// reason and the reasons left; with -fixtable (and ffmpeg on PATH) it also
// hands the rest to ffmpeg and prints the README's table.
func TestFixCommittedCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	ffmpeg := "none"
	if *fixTable {
		needFFmpeg(t)
		ffmpeg = ""
	}
	type tally struct{ total, lossless, decoded, ffmpeg int }
	byException := map[string]*tally{}
	unfixed := map[string]int{}
	examples := map[string]string{}
	codings := map[string]map[string]bool{}
	engine := &check.Checker{}
	out := t.TempDir()
	for i, in := range corpusRejections(t) {
		tl := byException[in.exception]
		if tl == nil {
			tl = &tally{}
			byException[in.exception] = tl
		}
		tl.total++
		dir := filepath.Join(out, strconv.Itoa(i))
		args := []string{"-O", dir, "--sync-limit", strconv.FormatInt(in.syncLimit, 10), "--ffmpeg", ffmpeg, in.path}
		code, lines, stderr := fixResults(t, nil, "", args...)
		if len(lines) != 1 || code == ExitError {
			t.Fatalf("%s: exit %d, %s", in.path, code, stderr)
		}
		r := lines[0]
		switch r.Status {
		case report.FixFixed:
			engine.Request = validate.Request{Type: validate.Unscripted, SyncLimit: in.syncLimit}
			if got := engine.Check(context.Background(), check.Target{Name: r.Output, Source: report.SourceFile}); !got.Accepted {
				t.Errorf("%s: the fixed file %s is not accepted: %+v", in.path, r.Output, got.Exception)
			}
			switch {
			case r.Lossless:
				tl.lossless++
			case r.Method == report.FixMethodFFmpeg:
				tl.ffmpeg++
			default:
				tl.decoded++
			}
		case report.FixNotFixed:
			if r.Reason == "" || strings.HasPrefix(r.Reason, "check would still reject") || strings.HasPrefix(r.Reason, "writing the fixed file failed") {
				t.Errorf("%s: not fixed: %q", in.path, r.Reason)
			}
			key, what := reasonKey(r.Reason)
			unfixed[key]++
			if what != "" {
				if codings[key] == nil {
					codings[key] = map[string]bool{}
				}
				codings[key][what] = true
			}
			if _, ok := examples[key]; !ok {
				examples[key] = strings.TrimPrefix(in.path, "../testdata/corpus/")
			}
		default:
			t.Errorf("%s: status %s (%s)", in.path, r.Status, r.Error)
		}
		os.RemoveAll(dir)
	}

	var names []string
	for n := range byException {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return byException[names[i]].total > byException[names[j]].total })
	var b strings.Builder
	head := "| the model's verdict | rejected | fixed | lossless | decoded here |"
	if *fixTable {
		head += " by ffmpeg |"
	}
	fmt.Fprintf(&b, "\n%s\n|%s\n", head, strings.Repeat(" --- |", strings.Count(head, "|")-1))
	var sum tally
	row := func(name string, tl tally) {
		fixed := tl.lossless + tl.decoded + tl.ffmpeg
		fmt.Fprintf(&b, "| %s | %d | %d (%.0f %%) | %d | %d |", name, tl.total, fixed, 100*float64(fixed)/float64(tl.total), tl.lossless, tl.decoded)
		if *fixTable {
			fmt.Fprintf(&b, " %d |", tl.ffmpeg)
		}
		b.WriteString("\n")
	}
	for _, n := range names {
		tl := *byException[n]
		row(n, tl)
		sum.total += tl.total
		sum.lossless += tl.lossless
		sum.decoded += tl.decoded
		sum.ffmpeg += tl.ffmpeg
	}
	row("all", sum)
	var keys []string
	for k := range unfixed {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return unfixed[keys[i]] > unfixed[keys[j]] || unfixed[keys[i]] == unfixed[keys[j]] && keys[i] < keys[j]
	})
	b.WriteString("\n| not fixed, because | files | for example |\n| --- | --- | --- |\n")
	for _, k := range keys {
		name := k
		if len(codings[k]) > 0 {
			var whats []string
			for w := range codings[k] {
				whats = append(whats, w)
			}
			sort.Strings(whats)
			name += ": " + strings.Join(whats, ", ")
		}
		fmt.Fprintf(&b, "| %s | %d | `%s` |\n", name, unfixed[k], examples[k])
	}
	t.Log(b.String())
	if sum.lossless+sum.decoded < sum.total/3 {
		t.Errorf("only %d of %d fixed", sum.lossless+sum.decoded, sum.total)
	}
	if _, err := exec.LookPath("ffmpeg"); err != nil && *fixTable {
		t.Fatal("no ffmpeg")
	}
}
