// Package check is the command's side of checking: its inputs as listed
// (Target), its settings (Checker) and its run loop (Run), over the engine
// of package preflight (preflight.Command), which a Go program calls
// through preflight.Check: the command and a program get the same result
// for the same audio. It prints nothing.
package check

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/audiopreflight/audiopreflight/internal/cmdengine"
	"github.com/audiopreflight/audiopreflight/internal/download"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/internal/spool"
	"github.com/audiopreflight/audiopreflight/preflight"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

// Target is one input to check.
type Target = cmdengine.Target

// Audio is the bytes of one input, read at offsets.
type Audio = cmdengine.Audio

// ObjectOpener opens an object of a store by its name (s3://bucket/key).
type ObjectOpener = cmdengine.ObjectOpener

// DefaultMaxInputSize is the default of Checker.MaxInputSize.
const DefaultMaxInputSize = preflight.DefaultMaxInputSize

// Checker checks inputs against one request. It is safe for concurrent
// use.
type Checker struct {
	Request validate.Request
	// Base64 says the inputs hold the text of an audio_data field.
	Base64 bool
	// Stdin is read for the input "-".
	Stdin io.Reader
	// Remote downloads URL inputs (see cmdengine.Config).
	Remote download.Downloader
	// MaxInputSize caps what is copied or downloaded of one input that
	// cannot be read in place (--max-input-size); zero means
	// DefaultMaxInputSize.
	MaxInputSize int64
	// Spools bounds the spools that exist at once; nil means a gate of
	// spool.DefaultGate.
	Spools *spool.Gate
	// Objects opens object-store inputs; nil means they are not supported.
	Objects ObjectOpener

	gateOnce sync.Once
}

// cmd is the engine with the Checker's fields as they are now (the fix
// command changes the request between its checks); the spools' gate is
// the Checker's, made once.
func (c *Checker) cmd() *preflight.Command {
	c.gateOnce.Do(func() {
		if c.Spools == nil {
			c.Spools = spool.NewGate(spool.DefaultGate)
		}
	})
	return preflight.NewCommand(cmdengine.Config{Request: c.Request, Base64: c.Base64, Stdin: c.Stdin,
		Remote: c.Remote, MaxInputSize: c.MaxInputSize, Spools: c.Spools, Objects: c.Objects})
}

// Check checks one input. An input that cannot be read gives a result with
// Error set; everything else gives a verdict.
func (c *Checker) Check(ctx context.Context, t Target) *report.Result {
	return c.cmd().Check(ctx, t, nil)
}

// CheckAudio checks audio already at hand as the input t, and closes it.
func (c *Checker) CheckAudio(t Target, audio Audio) *report.Result {
	return c.cmd().CheckAudio(t, audio)
}

// Bytes is audio held in memory, for CheckAudio.
func Bytes(b []byte) Audio { return memoryAudio{bytes.NewReader(b)} }

type memoryAudio struct{ *bytes.Reader }

func (memoryAudio) Close() error { return nil }

// Inspect probes one input's headers without deciding anything, for the
// probe command. A URL the server could not download gives its failure.
func (c *Checker) Inspect(ctx context.Context, t Target) (*probe.Info, *validate.DownloadFailure, error) {
	return c.cmd().Inspect(ctx, t)
}

// OpenWhole gives the whole audio of one input, for a command that reads
// it more than once (fix). A URL the server could not download gives its
// failure as the error.
func (c *Checker) OpenWhole(ctx context.Context, t Target) (Audio, error) {
	return c.cmd().OpenWhole(ctx, t)
}
