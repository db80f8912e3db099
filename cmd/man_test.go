package cmd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

func writeManPages(t *testing.T, env map[string]string) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	code, out, stderr := run(t, env, "", "man", "--dir", dir)
	if code != 0 || out != "" || stderr != "" {
		t.Fatalf("man: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		pages[e.Name()] = string(b)
	}
	return dir, pages
}

// Every command a user can run has its page, and the hidden ones (man
// itself, help) have none.
func TestManPagesOnePerCommand(t *testing.T) {
	_, pages := writeManPages(t, map[string]string{"SOURCE_DATE_EPOCH": "1764633600"})
	root := newRootCmd(&app{getenv: func(string) string { return "" }})
	root.InitDefaultCompletionCmd() // cobra adds it when the command line runs
	var want []string
	forEachCommand(root, func(c *cobra.Command) {
		if c.IsAvailableCommand() || c == root {
			want = append(want, strings.ReplaceAll(c.CommandPath(), " ", "-")+".1")
		}
	})
	var got []string
	for name := range pages {
		got = append(got, name)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("pages %v, want %v", got, want)
	}
	for _, hidden := range []string{"audiopreflight-man.1", "audiopreflight-help.1"} {
		if _, ok := pages[hidden]; ok {
			t.Errorf("%s written for a hidden command", hidden)
		}
	}
	if !slices.Contains(got, "audiopreflight-check.1") {
		t.Fatalf("no page for check: %v", got)
	}
}

// The check page says what --help says, readably: the header carries the
// version and SOURCE_DATE_EPOCH's date, a glob stays a glob (Markdown would
// make ** bold), the exit-status table keeps its lines, and every flag is
// there.
func TestManPageOfCheck(t *testing.T) {
	_, pages := writeManPages(t, map[string]string{"SOURCE_DATE_EPOCH": "1764633600"})
	page := pages["audiopreflight-check.1"]
	for _, want := range []string{
		`.TH "AUDIOPREFLIGHT-CHECK" "1" "Dec 2025" "audiopreflight dev" "audiopreflight manual"`,
		`(quoted: 'recordings/**/*\&.wav'`,
		".EX\nExit status:\n  0  no input would be rejected (accepted, undecided, or ignored: a rejection\n",
		`\fB--sync-limit\fP`,
		`\fB-o\fP, \fB--output\fP`,
		"in directories, check the files matching this glob (repeatable; ** matches directories)",
		"audiopreflight check -o github 'uploads/**/*.wav'",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the check page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, `\fB/*`) || strings.Contains(page, "Auto generated") {
		t.Errorf("the check page has Markdown markup or cobra's generated-on line:\n%s", page)
	}
}

// The same binary writes the same pages whenever it runs (no date of the
// run in them), so packages built twice are identical.
func TestManPagesReproducible(t *testing.T) {
	_, first := writeManPages(t, nil)
	_, second := writeManPages(t, nil)
	if len(first) == 0 {
		t.Fatal("no pages")
	}
	for name, page := range first {
		if second[name] != page {
			t.Errorf("%s differs between two runs", name)
		}
		if !strings.Contains(page, `"Jan 1970"`) {
			t.Errorf("%s: a dev build's pages are dated from the epoch, got %.120q", name, page)
		}
	}
}

func TestManUsage(t *testing.T) {
	code, _, stderr := run(t, nil, "", "man")
	if code != ExitError || !strings.Contains(stderr, "--dir") {
		t.Errorf("man without --dir: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, map[string]string{"SOURCE_DATE_EPOCH": "yesterday"}, "", "man", "--dir", t.TempDir())
	if code != ExitError || !strings.Contains(stderr, "SOURCE_DATE_EPOCH") {
		t.Errorf("bad SOURCE_DATE_EPOCH: exit %d, stderr %q", code, stderr)
	}
	_, out, _ := run(t, nil, "", "--help")
	if strings.Contains(out, "man") && strings.Contains(out, "Write the man pages") {
		t.Errorf("man is listed in --help:\n%s", out)
	}
}

// The Homebrew cask installs every page (its list is written out in
// .goreleaser.yaml: a cask's manpages take no glob).
func TestCaskInstallsEveryManPage(t *testing.T) {
	_, pages := writeManPages(t, nil)
	b, err := os.ReadFile(filepath.Join("..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Casks []struct {
			Manpages []string `yaml:"manpages"`
		} `yaml:"homebrew_casks"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for name := range pages {
		want = append(want, "manpages/"+name+".gz")
	}
	if len(cfg.Casks) != 1 {
		t.Fatalf("%d casks", len(cfg.Casks))
	}
	got = slices.Clone(cfg.Casks[0].Manpages)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the cask installs %v, the pages are %v", got, want)
	}
}
