//go:build !js

package preflight

import (
	"github.com/audiopreflight/audiopreflight/internal/download"
	"github.com/audiopreflight/audiopreflight/internal/remote"
)

// newDownloader is a client that downloads as the API's server does, with
// the command's rules (internal/remote).
func (c *Checker) newDownloader(k clientKey) download.Downloader {
	o := remote.Options{AllowPrivate: c.AllowPrivateURLs, Timeout: c.Timeout, MaxSize: c.maxInputSize(),
		HeaderOnly: k.headerOnly, CountTo: k.countTo}
	if k.headerOnly {
		o.MaxSize = 0
	}
	return remote.NewClient(o)
}

func (c *Checker) maxInputSize() int64 {
	if c.MaxInputSize > 0 {
		return c.MaxInputSize
	}
	return DefaultMaxInputSize
}
