//go:build js

package preflight

import (
	"context"
	"errors"

	"github.com/audiopreflight/audiopreflight/internal/download"
)

// newDownloader: the WebAssembly build carries no network code (a page
// fetches the bytes itself and checks them with Bytes).
func (c *Checker) newDownloader(clientKey) download.Downloader { return noDownloads{} }

type noDownloads struct{}

func (noDownloads) Download(context.Context, string) (download.Download, error) {
	return nil, errors.New("URL inputs are not supported in the WebAssembly build: fetch the bytes and check them")
}
