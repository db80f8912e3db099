package cmd

import (
	"context"
	"io"
	"log"
	"sync"
	"sync/atomic"

	"github.com/audiopreflight/audiopreflight/internal/download"
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

// lazyRemoteClient is newRemoteClient made at the first download: its
// User-Agent names the build, and reading the build's record is work a
// check of local files need not do.
func lazyRemoteClient(opts remote.Options) *lazyRemote {
	quietNetHTTP()
	return &lazyRemote{opts: opts}
}

type lazyRemote struct {
	opts   remote.Options
	once   sync.Once
	client atomic.Pointer[remote.Client]
}

func (l *lazyRemote) Download(ctx context.Context, url string) (download.Download, error) {
	l.once.Do(func() { l.client.Store(newRemoteClient(l.opts)) })
	return l.client.Load().Download(ctx, url)
}

// CloseIdleConnections closes the client's idle connections, if it was
// made.
func (l *lazyRemote) CloseIdleConnections() {
	if c := l.client.Load(); c != nil {
		c.CloseIdleConnections()
	}
}

// quietNetHTTP silences the standard logger, which nothing in audiopreflight
// writes to but net/http's client does, on its own: "Unsolicited response
// received on idle HTTP channel starting with …" quotes bytes an audio host
// sent, and would reach stderr raw, between the results. What a transfer
// failure means for a result is in the result.
func quietNetHTTP() { log.SetOutput(io.Discard) }
