// Package manpages writes audiopreflight's man pages (section 1), one per
// command (audiopreflight.1, audiopreflight-check.1, …), from the same
// cobra commands --help prints, so the pages that packages install
// describe exactly the binary beside them.
//
// Only the release tool that writes the pages (scripts/release/manpages)
// links this package: its Markdown and roff renderers would cost every run
// of audiopreflight their package initialisation.
package manpages

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"github.com/audiopreflight/audiopreflight/internal/version"
)

// Write writes the page of root and of every command under it that a user
// can run into dir, created if missing. It rewrites the help texts of the
// tree for the pages: root must be a tree built for this, never run after.
// getenv supplies SOURCE_DATE_EPOCH (see Date).
func Write(root *cobra.Command, dir string, getenv func(string) string) error {
	date, err := Date(getenv)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root.DisableAutoGenTag = true
	// help joins the tree as it does when the command line runs; being
	// cobra's help command, it gets no page and no SEE ALSO entry.
	root.InitDefaultHelpCmd()
	// A persistent flag (--no-color) is one *pflag.Flag shared by every
	// command it reaches: escaped twice, its page would show the backslash.
	escaped := map[*pflag.Flag]bool{}
	escapeUsage := func(f *pflag.Flag) {
		if !escaped[f] {
			escaped[f] = true
			f.Usage = escapeMarkdown(f.Usage)
		}
	}
	forEachCommand(root, func(c *cobra.Command) {
		// cobra renders Long and the flags' usage as Markdown: written for
		// --help, they must come out in the page as they read there.
		c.Long = manText(c.Long)
		c.Flags().VisitAll(escapeUsage)
		c.PersistentFlags().VisitAll(escapeUsage)
		c.Short = escapeMarkdown(c.Short)
	})
	header := &doc.GenManHeader{
		Section: "1",
		Date:    &date,
		Source:  "audiopreflight " + version.Get().Version,
		Manual:  "audiopreflight manual",
	}
	return doc.GenManTree(root, header, dir)
}

func forEachCommand(c *cobra.Command, f func(*cobra.Command)) {
	f(c)
	for _, sub := range c.Commands() {
		forEachCommand(sub, f)
	}
}

// Date is the date the pages carry: SOURCE_DATE_EPOCH when set (the
// reproducible-builds convention), else the time of the build's commit,
// else the Unix epoch — never the time of the run, so the same build
// writes the same pages.
func Date(getenv func(string) string) (time.Time, error) {
	if epoch := getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		secs, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", epoch)
		}
		return time.Unix(secs, 0).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, version.Get().CommitTime); err == nil {
		return t.UTC(), nil
	}
	return time.Unix(0, 0).UTC(), nil
}

// markdownSpecial are the characters Markdown would read as markup in
// help text: globs ('**/*.wav'), <placeholders>, [brackets], `quotes`.
var markdownSpecial = regexp.MustCompile("[\\\\`*_\\[\\]<>#|]")

func escapeMarkdown(s string) string {
	return markdownSpecial.ReplaceAllString(s, `\$0`)
}

// manText turns a --help text into the Markdown cobra renders: a
// paragraph of plain lines is one paragraph that man fills to the
// reader's width; a paragraph with indented lines (the exit-status
// table, a list) is kept line for line, as --help prints it.
func manText(s string) string {
	paragraphs := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paragraphs {
		lines := strings.Split(p, "\n")
		preformatted := false
		for _, line := range lines {
			preformatted = preformatted || strings.HasPrefix(line, " ")
		}
		if preformatted {
			// A Markdown code block: printed as is, nothing to escape.
			paragraphs[i] = "    " + strings.Join(lines, "\n    ")
		} else {
			paragraphs[i] = escapeMarkdown(strings.Join(lines, " "))
		}
	}
	return strings.Join(paragraphs, "\n\n")
}
