package cmd

import (
	"io"
	"log"

	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/version"
)

// newRemoteClient is the one HTTP client of a run: URL inputs share its
// connections, as the server's downloader would. opts carries the run's
// choices; the User-Agent is set here.
func newRemoteClient(opts remote.Options) *remote.Client {
	quietNetHTTP()
	opts.UserAgent = version.UserAgent()
	return remote.NewClient(opts)
}

// quietNetHTTP silences the standard logger, which nothing in audiopreflight
// writes to but net/http's client does, on its own: "Unsolicited response
// received on idle HTTP channel starting with …" quotes bytes an audio host
// sent, and would reach stderr raw, between the results. What a transfer
// failure means for a result is in the result.
func quietNetHTTP() { log.SetOutput(io.Discard) }
