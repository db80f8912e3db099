package cmd

import (
	"os"

	"github.com/spf13/cobra"
)

// CommandTree is the command tree the command line builds, not run, for
// the programs that document it: the man pages (scripts/release/manpages)
// are written from it at release time, so they say what --help says. The
// writer lives outside the binary because its Markdown renderer would cost
// every run its package initialisation.
func CommandTree() *cobra.Command {
	return newRootCmd(&app{in: os.Stdin, out: os.Stdout, errOut: os.Stderr, getenv: os.Getenv})
}
