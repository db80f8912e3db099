// Package check checks one input end to end: it reads the audio (a file,
// standard input, base64 text or a URL), probes it, reads it whole when a
// decision step needs that, and runs the decision order. The commands call
// it; it prints nothing.
package check

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/audiopreflight/audiopreflight/internal/pybase64"
	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

// Target is one input to check.
type Target struct {
	// Name is the input as the user gave it (or as a directory walk found it).
	Name string
	// Source is report.SourceFile, SourceStdin or SourceURL.
	Source string
	// Err is set when the input is already known to be unreadable.
	Err error
}

// Checker checks inputs against one request. It is safe for concurrent use.
type Checker struct {
	Request validate.Request
	// Base64 says the inputs hold the text of an audio_data field.
	Base64 bool
	// Stdin is read for the input "-".
	Stdin io.Reader
	// Remote downloads URL inputs as the server does; nil means URL inputs
	// are not supported.
	Remote *remote.Client
}

// Audio is the bytes of one input, read at offsets.
type Audio interface {
	io.ReaderAt
	Size() int64
	Close() error
}

// Check checks one input. An input that cannot be read gives a result with
// Error set; everything else gives a verdict.
func (c *Checker) Check(ctx context.Context, t Target) *report.Result {
	return c.check(ctx, t, nil)
}

func (c *Checker) check(ctx context.Context, t Target, bytesRead *atomic.Int64) *report.Result {
	if t.Err != nil {
		return report.ErrorResult(t.Name, t.Source, t.Err)
	}
	ev := validate.Evidence{Input: t.Name, Base64: c.Base64}
	// failed turns an error into the result: a download that broke off is
	// the server's FailedToReadAudioFromURL, anything else an input that
	// could not be checked.
	failed := func(err error) *report.Result {
		if f, ok := remote.AsFailure(err); ok {
			ev.Download = &validate.DownloadFailure{Detail: f.Detail, Hint: f.Hint}
			return c.decide(t, ev)
		}
		return report.ErrorResult(t.Name, t.Source, err)
	}
	audio, err := c.open(ctx, t)
	if err != nil {
		return failed(err)
	}
	defer audio.Close()
	obj, _ := audio.(*remote.Object)
	if obj != nil {
		ev.SourceWarnings = obj.Warnings()
	}
	if bytesRead != nil {
		audio = countingAudio{Audio: audio, n: bytesRead}
	}

	if c.Base64 {
		decoded, err := decodeBase64(audio)
		var pyErr *pybase64.Error
		switch {
		case errors.As(err, &pyErr):
			ev.Base64Error = err.Error()
			return c.decide(t, ev)
		case err != nil:
			return failed(err)
		}
		audio = memoryAudio{bytes.NewReader(decoded)}
	}

	ev.Size = audio.Size()
	if ev.Size == 0 {
		return c.decide(t, ev)
	}
	// One read serves the signature and probe's sniffing: a header check
	// of a small file is then open, fstat, one pread and close.
	head := make([]byte, min(ev.Size, probe.HeadSize))
	n, err := audio.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return failed(err)
	}
	audio = headCached{Audio: audio, head: head[:n]}
	ev.Head = head[:n]

	info, err := probe.Probe(audio, ev.Size, t.Name)
	if err != nil {
		return failed(err)
	}
	ev.Info = info
	if !c.Request.HeaderOnly {
		read, err := probe.ReadAll(audio, ev.Size, info)
		if err != nil {
			return failed(err)
		}
		ev.Read = read
		// The server downloads the whole body before it reads any of it:
		// a body shorter than announced, or slower than the timeout, fails
		// even when the audio read so far was fine.
		if obj != nil && !c.Base64 {
			if f := obj.FinishDownload(); f != nil {
				return failed(f)
			}
		}
	}
	return c.decide(t, ev)
}

func (c *Checker) decide(t Target, ev validate.Evidence) *report.Result {
	d := validate.Decide(c.Request, ev)
	// The Authorization header's findings come first and are the run's,
	// with their own hint (report.Run.Auth); the result's hint is for the
	// audio's own findings.
	audio := d
	audio.Findings = d.Findings[len(c.Request.Auth):]
	return report.NewResult(t.Name, t.Source, d, ev.Info, validate.Hint(c.Request, ev, audio))
}

func (c *Checker) open(ctx context.Context, t Target) (Audio, error) {
	switch t.Source {
	case report.SourceURL:
		if c.Remote == nil {
			return nil, errors.New("URL inputs are not supported here")
		}
		obj, fail := c.Remote.Open(ctx, t.Name)
		if fail != nil {
			return nil, fail
		}
		return obj, nil
	case report.SourceStdin:
		return spool(c.Stdin)
	}
	return openFile(t.Name)
}

// countingAudio adds what is read to a run's byte count.
type countingAudio struct {
	Audio
	n *atomic.Int64
}

func (c countingAudio) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.Audio.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// headCached serves reads within the first bytes of the audio from memory.
type headCached struct {
	Audio
	head []byte
}

// Head gives probe the bytes already read (probe.HeadReader).
func (h headCached) Head() []byte { return h.head }

func (h headCached) ReadAt(p []byte, off int64) (int, error) {
	if off >= 0 && off+int64(len(p)) <= int64(len(h.head)) {
		return copy(p, h.head[off:]), nil
	}
	return h.Audio.ReadAt(p, off)
}

// fileAudio is a regular file.
type fileAudio struct {
	*os.File
	size int64
}

func (f fileAudio) Size() int64 { return f.size }

// memoryAudio is audio held in memory (decoded base64, a short stdin).
type memoryAudio struct{ *bytes.Reader }

func (memoryAudio) Close() error { return nil }

// maxBase64Text bounds the base64 text read into memory: the API's own
// limits make larger fields pointless, and it keeps a hostile input from
// exhausting memory.
const maxBase64Text = 1 << 30

func decodeBase64(a Audio) ([]byte, error) {
	if a.Size() > maxBase64Text {
		return nil, fmt.Errorf("base64 text of %d bytes is larger than the %d bytes this tool reads", a.Size(), int64(maxBase64Text))
	}
	text := make([]byte, a.Size())
	if _, err := a.ReadAt(text, 0); err != nil && err != io.EOF {
		return nil, err
	}
	// The server's reference decodes the field's bytes with the default,
	// non-validating base64.b64decode: bytes outside the alphabet are
	// dropped, whatever they are.
	return pybase64.Decode(text)
}

// stdinMemoryLimit is how much of standard input is kept in memory; more
// than that goes to a temporary file, which is removed when the check ends.
const stdinMemoryLimit = 32 << 20

// spool reads standard input so that it can be read at offsets.
func spool(r io.Reader) (Audio, error) {
	if r == nil {
		return nil, errors.New("standard input is not available")
	}
	buf := &bytes.Buffer{}
	n, err := io.CopyN(buf, r, stdinMemoryLimit+1)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading standard input: %w", err)
	}
	if n <= stdinMemoryLimit {
		return memoryAudio{bytes.NewReader(buf.Bytes())}, nil
	}
	f, err := os.CreateTemp("", "audiopreflight-stdin-*")
	if err != nil {
		return nil, fmt.Errorf("spooling standard input: %w", err)
	}
	os.Remove(f.Name()) // the open descriptor keeps it until Close
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return nil, fmt.Errorf("spooling standard input: %w", err)
	}
	rest, err := io.Copy(f, r)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("spooling standard input: %w", err)
	}
	return fileAudio{f, n + rest}, nil
}

// Inspect probes one input's headers without deciding anything, for the
// probe command. A URL the server could not download gives its failure.
func (c *Checker) Inspect(ctx context.Context, t Target) (*probe.Info, *validate.DownloadFailure, error) {
	if t.Err != nil {
		return nil, nil, t.Err
	}
	downloadFailure := func(err error) (*probe.Info, *validate.DownloadFailure, error) {
		if f, ok := remote.AsFailure(err); ok {
			return nil, &validate.DownloadFailure{Detail: f.Detail, Hint: f.Hint}, nil
		}
		return nil, nil, err
	}
	audio, err := c.open(ctx, t)
	if err != nil {
		return downloadFailure(err)
	}
	defer audio.Close()
	if c.Base64 {
		decoded, err := decodeBase64(audio)
		if err != nil {
			return downloadFailure(err)
		}
		audio = memoryAudio{bytes.NewReader(decoded)}
	}
	info, err := probe.Probe(audio, audio.Size(), t.Name)
	if err != nil {
		return downloadFailure(err)
	}
	return info, nil, nil
}
