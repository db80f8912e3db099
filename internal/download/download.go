// Package download is what preflight's engine reads a URL input through. The
// package that downloads (internal/remote) implements it, so the engine
// imports no network code: a build that never downloads — the WebAssembly
// build, web/wasm — carries none.
package download

import (
	"context"
	"io"
)

// Downloader downloads URL inputs as the server does
// (docs/server.md#urls): internal/remote's Client.
type Downloader interface {
	// Download starts downloading url. An error whose chain holds a
	// Failure is the server's FailedToReadAudioFromURL; any other, an input
	// that could not be checked.
	Download(ctx context.Context, url string) (Download, error)
}

// Download is a URL's body, read at offsets as it downloads. Its reads
// fail with a Failure in the chain when the transfer fails.
type Download interface {
	io.ReaderAt
	Size() int64
	Close() error
	// Warnings are what the download itself warns about (a pre-signed URL
	// close to its expiry).
	Warnings() []string
	// Incomplete is nil when the whole body can be read; else why not: for
	// a header check of a body without a length, a LengthUnknown.
	Incomplete() error
	// FinishDownload receives what has not arrived of the body yet, as the
	// server's download does before any of the audio is read: a full check
	// calls it after reading the audio.
	FinishDownload() error
}

// Failure is a download the server would fail on: its answer is
// FailedToReadAudioFromURL, with detail saying what failed and hint what to
// do about it (when there is something to say).
type Failure interface {
	error
	FailedDownload() (detail, hint string)
}

// LengthUnknown is the error of a body whose length a header check cannot
// know (a chunked or compressed body from a host that ignores Range): its
// size is a lower bound and its headers are out of reach.
type LengthUnknown interface {
	error
	LengthUnknown()
}
