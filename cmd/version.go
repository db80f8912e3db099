package cmd

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/audiopreflight/audiopreflight/internal/version"
)

// VersionOptions are the flags of `audiopreflight version`.
type VersionOptions struct {
	Output string
}

func newVersionCmd(a *app) *cobra.Command {
	opts := &VersionOptions{}
	c := &cobra.Command{
		Use:   "version",
		Short: "Print the version, the commit it was built from and when that commit was made",
		Long: `Print the version, the commit it was built from (with "(modified)" when the
checkout had uncommitted changes), the time of that commit, the time a release
was built (releases only) and the Go version. A field the build did not record
is "unknown", in text and JSON alike. --version prints the same text.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return runVersion(a, opts)
		},
	}
	enumFlag(c, &opts.Output, "output", "o", "text", "output format", "text", "json")
	return c
}

func runVersion(a *app, opts *VersionOptions) error {
	v := version.Get()
	if opts.Output == "json" {
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	_, err := fmt.Fprint(a.out, versionText(v))
	return err
}

// versionText is the text of `version` and of `--version`.
func versionText(v version.Info) string {
	var b strings.Builder
	fmt.Fprintf(&b, "audiopreflight %s\n", v.Version)
	row := func(k, v string) { fmt.Fprintf(&b, "%-13s %s\n", k+":", v) }
	commit := v.Commit
	if v.Modified {
		commit += " (modified)"
	}
	row("commit", commit)
	row("commit time", v.CommitTime)
	if v.BuildTime != "" {
		row("built", v.BuildTime)
	}
	row("go", v.GoVersion)
	return b.String()
}
