// Command audiopreflight says which exception the speech-assessment API
// would answer for a piece of audio — or that it would accept it — before
// the audio is sent.
package main

import (
	"os"

	"github.com/audiopreflight/audiopreflight/cmd"
)

func main() {
	os.Exit(cmd.Execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
