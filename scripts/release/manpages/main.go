// Command manpages writes audiopreflight's man pages into DIR, from the
// command tree the binary builds (internal/manpages). scripts/release/docs.sh
// builds it with the release's -ldflags, as it builds the binary, so every
// page names the release's version; SOURCE_DATE_EPOCH dates them.
//
// usage: manpages DIR
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/audiopreflight/audiopreflight/cmd"
	"github.com/audiopreflight/audiopreflight/internal/manpages"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stderr))
}

func run(args []string, getenv func(string) string, stderr io.Writer) int {
	if len(args) != 1 || args[0] == "" {
		fmt.Fprintln(stderr, "usage: manpages DIR  (writes a page per command into DIR)")
		return 2
	}
	if err := manpages.Write(cmd.CommandTree(), args[0], getenv); err != nil {
		fmt.Fprintf(stderr, "manpages: %v\n", err)
		return 1
	}
	return 0
}
