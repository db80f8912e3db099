package manpages

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/audiopreflight/audiopreflight/cmd"
)

func writeManPages(t *testing.T, env map[string]string) map[string]string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "man") // Write creates it
	if err := Write(cmd.CommandTree(), dir, func(k string) string { return env[k] }); err != nil {
		t.Fatalf("Write: %v", err)
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
	return pages
}

// Every command a user can run has its page, and help, hidden, has none.
func TestManPagesOnePerCommand(t *testing.T) {
	pages := writeManPages(t, map[string]string{"SOURCE_DATE_EPOCH": "1764633600"})
	root := cmd.CommandTree()
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
	if _, ok := pages["audiopreflight-help.1"]; ok {
		t.Errorf("audiopreflight-help.1 written for a hidden command")
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
	pages := writeManPages(t, map[string]string{"SOURCE_DATE_EPOCH": "1764633600"})
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

// The same build writes the same pages whenever it runs (no date of the
// run in them), so packages built twice are identical.
func TestManPagesReproducible(t *testing.T) {
	first := writeManPages(t, nil)
	second := writeManPages(t, nil)
	if len(first) == 0 {
		t.Fatal("no pages")
	}
	for name, page := range first {
		if second[name] != page {
			t.Errorf("%s differs between two runs", name)
		}
		if !strings.Contains(page, `"Jan 1970"`) {
			t.Errorf("%s: a test build's pages are dated from the epoch, got %.120q", name, page)
		}
	}
}

func TestBadSourceDateEpoch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man")
	err := Write(cmd.CommandTree(), dir, func(k string) string {
		return map[string]string{"SOURCE_DATE_EPOCH": "yesterday"}[k]
	})
	if err == nil || !strings.Contains(err.Error(), `SOURCE_DATE_EPOCH="yesterday"`) {
		t.Errorf("bad SOURCE_DATE_EPOCH: error %v", err)
	}
	if _, statErr := os.Stat(dir); !os.IsNotExist(statErr) {
		t.Errorf("pages were started before the date was known: %v", statErr)
	}
}

// The Homebrew cask installs every page (its list is written out in
// .goreleaser.yaml: a cask's manpages take no glob).
func TestCaskInstallsEveryManPage(t *testing.T) {
	pages := writeManPages(t, nil)
	b, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
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

// A flag every command inherits reads as --help prints it on every page,
// whether or not cobra has merged it into the commands' flags yet (it does
// when a command runs).
func TestInheritedFlagEscapedOnce(t *testing.T) {
	for _, merged := range []bool{false, true} {
		root := &cobra.Command{Use: "audiopreflight", Run: func(*cobra.Command, []string) {}}
		root.PersistentFlags().Bool("no-color", false, "plain text (also NO_COLOR); see 'docs/**/*.md'")
		sub := &cobra.Command{Use: "check", Run: func(*cobra.Command, []string) {}}
		root.AddCommand(sub)
		if merged {
			sub.InheritedFlags()
		}
		dir := t.TempDir()
		if err := Write(root, dir, func(string) string { return "" }); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"audiopreflight.1", "audiopreflight-check.1"} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if want := "plain text (also NO_COLOR); see 'docs/**/*\\&.md'\n"; !strings.Contains(string(b), want) {
				t.Errorf("merged %v: %s lacks %q:\n%s", merged, name, want, b)
			}
		}
	}
}
