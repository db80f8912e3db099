// Package cmdengine is what the audiopreflight command hands preflight's
// engine beyond what a program can (preflight.Checker): its inputs as
// listed (standard input, named pipes, object stores, inputs already
// known to be unreadable), its own downloader and the run's request with
// its Authorization findings. It holds no logic: the engine is preflight's.
package cmdengine

import (
	"context"
	"io"

	"github.com/audiopreflight/audiopreflight/internal/download"
	"github.com/audiopreflight/audiopreflight/internal/spool"
	"github.com/audiopreflight/audiopreflight/validate"
)

// Target is one input to check.
type Target struct {
	// Name is the input as the user gave it (or as a directory walk found it).
	Name string
	// Source is preflight.SourceFile, SourceStdin, SourceURL or SourceObject.
	Source string
	// Stream says a file input is a named pipe or a character device
	// (process substitution, /dev/stdin): it is read once, forward, like
	// standard input.
	Stream bool
	// Err is set when the input is already known to be unreadable.
	Err error
}

// Config is how the command checks its inputs.
type Config struct {
	Request validate.Request
	// Base64 says the inputs hold the text of an audio_data field.
	Base64 bool
	// Stdin is read for the input "-".
	Stdin io.Reader
	// Remote downloads URL inputs as the server does (internal/remote's
	// Client); nil means URL inputs are not supported. For a header check
	// it should have been made with remote.Options.HeaderOnly (unless
	// Base64: base64 text is read whole).
	Remote download.Downloader
	// MaxInputSize caps what is copied or downloaded of one input that
	// cannot be read in place (--max-input-size): standard input and other
	// streams, decoded base64, a URL's body. Zero means
	// preflight.DefaultMaxInputSize. Local files are read in place and not
	// capped.
	MaxInputSize int64
	// Spools bounds the spools (streams and decoded base64 held for
	// random access) that exist at once, and so their memory. Nil means a
	// gate of spool.DefaultGate, made on first use.
	Spools *spool.Gate
	// Objects opens object-store inputs (SourceObject); nil means they are
	// not supported.
	Objects ObjectOpener
}

// ObjectOpener opens an object of a store by its name (s3://bucket/key),
// read in place as a local file is. Its errors give the input an error
// result.
type ObjectOpener interface {
	Open(ctx context.Context, name string) (Audio, error)
	// PresignedURL is, when objects are checked as the API would
	// download them (--as-url), the pre-signed URL the API would be sent
	// for the object, which is then checked as a URL input is; "" when
	// objects are checked as uploads.
	PresignedURL(ctx context.Context, name string) (string, error)
}

// Audio is the bytes of one input, read at offsets (preflight.Audio).
type Audio interface {
	io.ReaderAt
	Size() int64
	Close() error
}
