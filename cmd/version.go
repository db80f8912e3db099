package cmd

import (
	"encoding/json"
	"fmt"

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
		Short: "Print the version, commit and build date",
		Args:  noArgs,
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
	modified := ""
	if v.Modified {
		modified = " (modified)"
	}
	_, err := fmt.Fprintf(a.out, "audiopreflight %s\ncommit:  %s%s\nbuilt:   %s\ngo:      %s\n", v.Version, orUnknown(v.Commit), modified, orUnknown(v.Date), v.GoVersion)
	return err
}
