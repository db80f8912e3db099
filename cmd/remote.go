package cmd

import (
	"time"

	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/version"
)

// newRemoteClient is the one HTTP client of a run: URL inputs share its
// connections, as the server's downloader would.
func newRemoteClient(allowPrivate bool, timeout time.Duration) *remote.Client {
	return remote.NewClient(remote.Options{AllowPrivate: allowPrivate, Timeout: timeout, UserAgent: version.UserAgent()})
}
