package preflight

import (
	"context"
	"sync/atomic"

	"github.com/audiopreflight/audiopreflight/internal/cmdengine"
	"github.com/audiopreflight/audiopreflight/internal/download"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

// Command is the engine as the audiopreflight command drives it: with the
// command's own inputs (standard input, named pipes, object stores), its
// downloader and its run's request. Its configuration's type is internal
// to this module, so no other program can make one, and it is not covered
// by the compatibility promise: programs use Check and Checker, which run
// the same engine.
type Command struct{ e engine }

// NewCommand returns the command's engine for cfg.
func NewCommand(cfg cmdengine.Config) *Command { return &Command{e: engine{Config: cfg}} }

// Check checks one input. An input that cannot be read gives a result
// with Error set; everything else gives a verdict. bytesRead, when not
// nil, counts the bytes read of the input (for a progress line).
func (c *Command) Check(ctx context.Context, t cmdengine.Target, bytesRead *atomic.Int64) *Result {
	return c.e.check(ctx, t, bytesRead, nil)
}

// CheckIn is Check building the result in room, for a caller that checks
// one input after another and is done with each result before it uses
// the room again (the command's run, once the result is written): the
// result and its Audio are valid until then.
func (c *Command) CheckIn(ctx context.Context, t cmdengine.Target, bytesRead *atomic.Int64, room *ResultRoom) *Result {
	return c.e.check(ctx, t, bytesRead, room)
}

// CheckAudio checks audio already at hand as the input t, and closes it.
// It reaches none of the code that opens files, spools or URLs (the
// WebAssembly build links none of it). Base64 text goes through Check.
func (c *Command) CheckAudio(t cmdengine.Target, audio Audio) *Result {
	if c.e.Base64 {
		audio.Close()
		return ErrorResult(t.Name, t.Source, errBase64AtHand)
	}
	//lint:ignore SA1012 nil is checkFrom's "no context" (reads are not stopped): a context.Background here would link time's formatting into the WebAssembly module
	return c.e.checkFrom(nil, t, func(bool, *fileSlot) (Audio, download.Download, error) { return audio, nil, nil }, nil, nil)
}

// Inspect probes one input's headers without deciding anything, for the
// probe command. A URL the server could not download gives its failure.
func (c *Command) Inspect(ctx context.Context, t cmdengine.Target) (*probe.Info, *validate.DownloadFailure, error) {
	return c.e.inspect(ctx, t)
}

// OpenWhole gives the whole audio of one input, for a command that reads
// it more than once (fix); see engine.openWhole.
func (c *Command) OpenWhole(ctx context.Context, t cmdengine.Target) (Audio, error) {
	return c.e.openWhole(ctx, t)
}
