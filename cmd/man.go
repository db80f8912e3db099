package cmd

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

// ManOptions are the flags of `audiopreflight man`.
type ManOptions struct {
	Dir string
}

// newManCmd is the hidden command that writes the man pages, one per
// command (audiopreflight.1, audiopreflight-check.1, …), from the same
// cobra commands --help prints: the release build runs it, so the pages
// that packages install describe exactly the binary beside them.
func newManCmd(a *app) *cobra.Command {
	opts := &ManOptions{}
	c := &cobra.Command{
		Use:    "man --dir DIR",
		Short:  "Write the man pages (section 1) into DIR",
		Hidden: true,
		Args:   noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if opts.Dir == "" {
				return usageErrorf(c, "man: give the directory to write the pages into with --dir")
			}
			return runMan(a, c.Root(), opts)
		},
	}
	c.Flags().StringVar(&opts.Dir, "dir", "", "directory to write the pages into (created if missing)")
	withoutEnvironment(c.Flags(), "dir")
	return c
}

func runMan(a *app, root *cobra.Command, opts *ManOptions) error {
	date, err := manDate(a.getenv)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return err
	}
	root.DisableAutoGenTag = true
	root.InitDefaultHelpCmd()
	forEachCommand(root, func(c *cobra.Command) {
		// cobra renders Long and the flags' usage as Markdown: written for
		// --help, they must come out in the page as they read there.
		c.Long = manText(c.Long)
		c.Flags().VisitAll(func(f *pflag.Flag) { f.Usage = escapeMarkdown(f.Usage) })
		c.Short = escapeMarkdown(c.Short)
		if c.Name() == "help" {
			c.Hidden = true
		}
	})
	v := version.Get()
	header := &doc.GenManHeader{
		Section: "1",
		Date:    &date,
		Source:  "audiopreflight " + v.Version,
		Manual:  "audiopreflight manual",
	}
	if err := doc.GenManTree(root, header, opts.Dir); err != nil {
		return fmt.Errorf("man: %w", err)
	}
	return nil
}

func forEachCommand(c *cobra.Command, f func(*cobra.Command)) {
	f(c)
	for _, sub := range c.Commands() {
		forEachCommand(sub, f)
	}
}

// manDate is the date the pages carry: SOURCE_DATE_EPOCH when set (the
// reproducible-builds convention), else the time of the build's commit,
// else the Unix epoch — never the time of the run, so the same binary
// writes the same pages.
func manDate(getenv func(string) string) (time.Time, error) {
	if epoch := getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		secs, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("man: SOURCE_DATE_EPOCH=%q is not a number of seconds", epoch)
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
