package preflight

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"

	"github.com/audiopreflight/audiopreflight/internal/cmdengine"
	"github.com/audiopreflight/audiopreflight/internal/download"
	"github.com/audiopreflight/audiopreflight/internal/prefault"
	"github.com/audiopreflight/audiopreflight/internal/pybase64"
	"github.com/audiopreflight/audiopreflight/internal/spool"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

// engine checks inputs against one request: the command's (Command) or a
// program's (Checker.Check). What it holds of one input is bounded: a file
// is read in place; a stream or decoded base64 goes through a spool
// (internal/spool: for a header check only its head and tail, for a full
// check a copy capped at MaxInputSize, on disk beyond 1 MiB); a URL
// through its download (internal/download: the engine imports no network
// code). The errors of an input that cannot be checked say what is wrong,
// not which input: the result names it.
type engine struct {
	cmdengine.Config
	// stdinIs names what Stdin is in messages: a program's Reader is not
	// the command's standard input. Empty means "standard input".
	stdinIs string
	// maxSizeIs names the setting of MaxInputSize in messages; empty
	// means the command's flag.
	maxSizeIs string
	gateOnce  sync.Once
}

type target = cmdengine.Target

func (c *engine) check(ctx context.Context, t target, bytesRead *atomic.Int64, room *ResultRoom) *Result {
	return c.checkAs(ctx, t, t, bytesRead, room)
}

// checkAs checks the input t, opened as the input opened: a program may
// name its input otherwise than by its path or URL (Request.Name).
func (c *engine) checkAs(ctx context.Context, t, opened target, bytesRead *atomic.Int64, room *ResultRoom) *Result {
	return c.checkFrom(ctx, t, func(headerOnly bool, file *fileSlot) (Audio, download.Download, error) {
		return c.open(ctx, opened, headerOnly, file)
	}, bytesRead, room)
}

// checkFrom checks the input t, which open opens (with the object of its
// download, for a URL; a file opened in place may take file for its
// memory); its reads fail once ctx, when not nil, is done, and bytesRead,
// when not nil, counts them. The result is built in room, when there is
// one.
func (c *engine) checkFrom(ctx context.Context, t target, open func(headerOnly bool, file *fileSlot) (Audio, download.Download, error),
	bytesRead *atomic.Int64, room *ResultRoom) *Result {
	if t.Err != nil {
		return ErrorResult(t.Name, t.Source, t.Err)
	}
	headerOnly := c.Request.HeaderOnly
	ev := validate.Evidence{Input: t.Name, Base64: c.Base64}
	// failed turns an error into the result: a download that broke off is
	// the server's FailedToReadAudioFromURL, base64 text that does not
	// decode its base64 verdict, headers a header check keeps out of reach
	// undecided steps, anything else an input that could not be checked.
	failed := func(err error) *Result {
		var pyErr *pybase64.Error
		var notKept *spool.NotKeptError
		switch f, isFailure := asDownloadFailure(err); {
		case isFailure:
			ev.Download = f
			return c.decide(t, ev, room)
		case errors.As(err, &pyErr):
			ev.Base64Error = pyErr.Error()
			return c.decide(t, ev, room)
		case headerOnly && errors.As(err, &notKept):
			ev.HeaderUnavailable = notKept.Error()
			return c.decide(t, ev, room)
		}
		return ErrorResult(t.Name, t.Source, c.plainly(err))
	}
	// What the input is read with serves the next input once this one is
	// decided (see inputState).
	in := inputStates.Get().(*inputState)
	defer in.release()
	opened, obj, err := open(headerOnly, &in.file)
	if obj != nil {
		ev.SourceWarnings = obj.Warnings()
	}
	if err != nil {
		return failed(err)
	}
	defer opened.Close()
	audio := &in.audio
	*audio = inputAudio{Audio: opened, ctx: ctx, count: bytesRead}

	ev.Size = audio.Size()
	if obj != nil && !c.Base64 {
		var unknown download.LengthUnknown
		switch err := obj.Incomplete(); {
		case errors.As(err, &unknown):
			// Counted, not read: the size is a lower bound, which is
			// all AudioTooBigForSync needs; the headers are out of reach.
			ev.HeaderUnavailable = unknown.Error()
			return c.decide(t, ev, room)
		case err != nil:
			return failed(err)
		}
	}
	if ev.Size == 0 {
		return c.decide(t, ev, room)
	}
	// One read serves the signature and probe's sniffing: a header check
	// of a small file is then open, fstat, one pread and close.
	head := in.head[:min(ev.Size, probe.HeadSize)]
	n, err := audio.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return failed(err)
	}
	audio.head = head[:n]
	ev.Head = head[:n]

	var infoRoom *probe.Room
	if room != nil {
		infoRoom = &room.info
	}
	info, err := in.prober.Probe(audio, ev.Size, t.Name, infoRoom)
	if err != nil {
		return failed(err)
	}
	ev.Info = info
	if headerOnly {
		spent(info)
	} else {
		read, err := in.prober.ReadAll(audio, ev.Size, info)
		spent(info)
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
	return c.decide(t, ev, room)
}

// inputState is what the engine reads one input with — the buffer of its
// head, the reader over it, the prober, the file opened in place — reused
// from one input to the next: every fresh page of heap costs a page fault
// as it is first written (a fresh head buffer per input was a third of an
// Opus check's faults), and the reader's four small wrappers, the
// prober's guard and the file were five more allocations per input.
// Nothing holds on to it past the decision: the format's state that reads
// through it (Info.Detail) is let go of once the header is read or the
// audio is, and the result keeps none of it.
type inputState struct {
	head   [probe.HeadSize]byte
	audio  inputAudio
	prober probe.Prober
	file   fileSlot
}

var inputStates = sync.Pool{New: func() any { return prefault.New[inputState]() }}

// release puts the state back, keeping no reference to the input.
func (in *inputState) release() {
	in.audio = inputAudio{}
	in.prober = probe.Prober{}
	in.file.reset()
	inputStates.Put(in)
}

// inputAudio is one input's audio as checkFrom reads it: the bytes of its
// head from memory, the rest from the input, failing once ctx is done, and
// counted.
type inputAudio struct {
	Audio
	ctx   errer         // the context; nil: reads are not stopped
	count *atomic.Int64 // nil: not counted
	head  []byte
}

// errer is the part of a context.Context that inputAudio reads. Holding
// the whole interface would link its Deadline, and with it time's
// formatting and parsing, into builds whose checks take no context (the
// WebAssembly module: 41 KB gzipped).
type errer interface{ Err() error }

// Head gives probe the bytes already read (probe.HeadReader).
func (a *inputAudio) Head() []byte { return a.head }

func (a *inputAudio) ReadAt(p []byte, off int64) (int, error) {
	if off >= 0 && off+int64(len(p)) <= int64(len(a.head)) {
		return copy(p, a.head[off:]), nil
	}
	if a.ctx != nil {
		if err := a.ctx.Err(); err != nil {
			return 0, err
		}
	}
	n, err := a.Audio.ReadAt(p, off)
	if a.count != nil {
		a.count.Add(int64(n))
	}
	return n, err
}

func (c *engine) decide(t target, ev validate.Evidence, room *ResultRoom) *Result {
	d := validate.Decide(c.Request, ev)
	// The Authorization header's findings come first and are the run's,
	// with their own hint (the run's Auth); the result's hint is for the
	// audio's own findings.
	audio := d
	audio.Findings = d.Findings[len(c.Request.Auth):]
	return newResult(room, t.Name, t.Source, d, ev.Info, validate.Hint(c.Request, ev, audio))
}

func (c *engine) maxInputSize() int64 {
	if c.MaxInputSize > 0 {
		return c.MaxInputSize
	}
	return DefaultMaxInputSize
}

// plainly adds to an error what the user can do about it.
func (c *engine) plainly(err error) error {
	var tooLarge *spool.TooLargeError
	if errors.As(err, &tooLarge) {
		return fmt.Errorf("%w (%s)", err, cmp.Or(c.maxSizeIs, "--max-input-size"))
	}
	return err
}

// open gives the audio of one input, ready to be read at offsets: a file
// in place, a URL through its Download (returned too, for its warnings
// and its end), a stream spooled, base64 text decoded into a spool.
// headerOnly lets spools keep only what headers need.
func (c *engine) open(ctx context.Context, t target, headerOnly bool, file *fileSlot) (Audio, download.Download, error) {
	if !c.Base64 && t.Source != SourceStdin && !t.Stream {
		return c.openInPlace(ctx, t, headerOnly, file)
	}
	// A spool: wait for a slot first, so that what spools hold (and, for
	// base64 over HTTP, the download's buffers) exists for at most the
	// gate's number of inputs at once, whatever the number of jobs.
	c.gateOnce.Do(func() {
		if c.Spools == nil {
			c.Spools = spool.NewGate(spool.DefaultGate)
		}
	})
	leave, err := c.Spools.Enter(ctx)
	if err != nil {
		return nil, nil, err
	}
	a, obj, err := c.openSpooled(ctx, t, headerOnly)
	if err != nil {
		leave()
		return nil, obj, err
	}
	return gated{Audio: a, leave: leave}, obj, nil
}

// openInPlace opens a file, a URL or an object that is read where it is;
// a file in file, when not nil.
func (c *engine) openInPlace(ctx context.Context, t target, headerOnly bool, file *fileSlot) (Audio, download.Download, error) {
	if t.Source == SourceObject {
		return c.openObject(ctx, t, headerOnly)
	}
	if t.Source != SourceURL {
		f, err := openFile(t.Name, file)
		return f, nil, err
	}
	obj, err := c.openURL(ctx, t, headerOnly)
	if err != nil {
		return nil, obj, err
	}
	return obj, obj, nil
}

// openObject opens an object input: read with the user's credentials,
// or downloaded from a pre-signed URL as the API would (then a
// FailedToReadAudioFromURL is the API's answer, as for any URL).
func (c *engine) openObject(ctx context.Context, t target, headerOnly bool) (Audio, download.Download, error) {
	if c.Objects == nil {
		return nil, nil, errors.New("object inputs are not supported here")
	}
	signed, err := c.Objects.PresignedURL(ctx, t.Name)
	if err != nil {
		return nil, nil, err
	}
	if signed != "" {
		asURL := t
		asURL.Name = signed
		obj, err := c.openURL(ctx, asURL, headerOnly)
		if err != nil {
			return nil, obj, err
		}
		return obj, obj, nil
	}
	a, err := c.Objects.Open(ctx, t.Name)
	return a, nil, err
}

// openURL starts the download of a URL input. What a full check reads
// whole (the audio, or base64 text in either mode) is read no further than
// MaxInputSize.
func (c *engine) openURL(ctx context.Context, t target, headerOnly bool) (download.Download, error) {
	if c.Remote == nil {
		return nil, errors.New("URL inputs are not supported here")
	}
	obj, err := c.Remote.Download(ctx, t.Name)
	if err != nil {
		return nil, err
	}
	if !headerOnly || c.Base64 {
		err := obj.Incomplete()
		if err == nil && !c.Base64 && obj.Size() > c.maxInputSize() {
			err = &spool.TooLargeError{What: "the body", Limit: c.maxInputSize()}
		}
		if err != nil {
			obj.Close()
			return obj, err
		}
	}
	return obj, nil
}

// openSpooled reads a stream, or base64 text from wherever it is, into a
// spool.
func (c *engine) openSpooled(ctx context.Context, t target, headerOnly bool) (Audio, download.Download, error) {
	switch {
	case t.Source == SourceURL:
		obj, err := c.openURL(ctx, t, headerOnly)
		if err != nil {
			return nil, obj, err
		}
		defer obj.Close()
		a, err := c.decodeBase64(io.NewSectionReader(obj, 0, obj.Size()), headerOnly)
		return a, obj, err
	case t.Source == SourceObject:
		a, obj, err := c.openObject(ctx, t, headerOnly)
		if err != nil {
			return nil, obj, err
		}
		defer a.Close()
		decoded, err := c.decodeBase64(io.NewSectionReader(a, 0, a.Size()), headerOnly)
		return decoded, obj, err
	case t.Source == SourceStdin || t.Stream:
		r, what, done, err := c.stream(t)
		if err != nil {
			return nil, nil, err
		}
		defer done()
		if c.Base64 {
			a, err := c.decodeBase64(r, headerOnly)
			return a, nil, err
		}
		a, err := c.spool(r, headerOnly, what)
		return a, nil, err
	}
	f, err := openFile(t.Name, nil)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	a, err := c.decodeBase64(io.NewSectionReader(f, 0, f.Size()), headerOnly)
	return a, nil, err
}

// stream opens standard input or a named pipe or device for reading
// forward; done releases it.
func (c *engine) stream(t target) (r io.Reader, what string, done func(), err error) {
	if t.Source == SourceStdin {
		if c.Stdin == nil {
			return nil, "", nil, errors.New("standard input is not available")
		}
		return c.Stdin, cmp.Or(c.stdinIs, "standard input"), func() {}, nil
	}
	f, err := os.Open(t.Name)
	if err != nil {
		return nil, "", nil, plainPathError(err)
	}
	return f, "the input", func() { f.Close() }, nil
}

// decodeBase64 decodes base64 text as it is read, with the server's rules
// (the reference decodes the field with the default, non-validating
// base64.b64decode: bytes outside the alphabet are dropped, whatever they
// are; docs/server.md#base64), into a spool: memory stays bounded whatever
// the text's size. Text that does not decode gives its *pybase64.Error.
func (c *engine) decodeBase64(text io.Reader, headerOnly bool) (spool.Audio, error) {
	return c.spool(pybase64.NewReader(text), headerOnly, "the decoded audio")
}

// spool holds a stream for random access: its head and tail windows for a
// header check, all of it (to disk beyond a little) for a full check, up to
// MaxInputSize either way.
func (c *engine) spool(r io.Reader, headerOnly bool, what string) (spool.Audio, error) {
	opts := spool.Options{MaxSize: c.maxInputSize(), What: what}
	if headerOnly {
		return spool.Windows(r, opts)
	}
	return spool.Full(r, opts)
}

// gated is a spool that gives its gate's slot back when closed.
type gated struct {
	spool.Audio
	leave func()
}

func (g gated) Close() error {
	err := g.Audio.Close()
	g.leave()
	return err
}

// inspect probes one input's headers without deciding anything, for the
// probe command. A URL the server could not download gives its failure.
func (c *engine) inspect(ctx context.Context, t target) (*probe.Info, *validate.DownloadFailure, error) {
	if t.Err != nil {
		return nil, nil, t.Err
	}
	// Streams are spooled whole: probe shows every part of the headers,
	// wherever they are.
	audio, _, err := c.open(ctx, t, false, nil)
	if err != nil {
		if f, ok := asDownloadFailure(err); ok {
			return nil, f, nil
		}
		return nil, nil, c.plainly(err)
	}
	defer audio.Close()
	info, err := probe.Probe(audio, audio.Size(), t.Name)
	if err != nil {
		if f, ok := asDownloadFailure(err); ok {
			return nil, f, nil
		}
		return nil, nil, err
	}
	spent(info)
	return info, nil, nil
}

// spent lets go of the format's state in info once the input is read: the
// result must not keep it, nor the head buffer it may read through, and
// the format reuses it for the next input.
func spent(info *probe.Info) {
	probe.Release(info)
	info.Detail, info.Held = nil, nil
}

// asDownloadFailure finds in err's chain a download the server would fail
// on (a download.Failure): the server's FailedToReadAudioFromURL.
func asDownloadFailure(err error) (*validate.DownloadFailure, bool) {
	var f download.Failure
	if !errors.As(err, &f) {
		return nil, false
	}
	detail, hint := f.FailedDownload()
	return &validate.DownloadFailure{Detail: detail, Hint: hint}, true
}

// inputError is a failure to open or read an input, worded without the
// input's name: the result names the input already.
type inputError struct {
	msg string
	err error
}

func (e *inputError) Error() string { return e.msg }
func (e *inputError) Unwrap() error { return e.err }

// plainPathError drops the path from a file system error: a failed open
// says why ("permission denied"), another operation says which too
// ("read: input/output error").
func plainPathError(err error) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return err
	}
	if pe.Op == "open" {
		return &inputError{msg: pe.Err.Error(), err: err}
	}
	return &inputError{msg: pe.Op + ": " + pe.Err.Error(), err: err}
}

// readError is a failed read at an offset.
func readError(off int64, err error) error {
	return &inputError{msg: fmt.Sprintf("read error at byte %d: %v", off, err), err: err}
}

// errChanged is a file that is no longer a regular file when it is opened.
var errChanged = errors.New("not a regular file (any more: it changed since the inputs were listed)")

// openWhole gives the whole audio of one input, for a command that reads
// it more than once (fix): a file in place; standard input and other
// streams spooled, as a full check holds them; a URL downloaded whole, as
// the server downloads it, into a spool (a full check reads a URL through
// its Object, which fetches again what a second reading needs). Nothing is
// decided: a URL the server could not download gives its *remote.Failure
// as the error.
func (c *engine) openWhole(ctx context.Context, t target) (Audio, error) {
	if t.Err != nil {
		return nil, t.Err
	}
	if t.Source != SourceURL || c.Base64 {
		a, _, err := c.open(ctx, t, false, nil)
		if err != nil {
			return nil, c.plainly(err)
		}
		return a, nil
	}
	obj, err := c.openURL(ctx, t, false)
	if err != nil {
		return nil, c.plainly(err)
	}
	defer obj.Close()
	a, err := c.spool(io.NewSectionReader(obj, 0, obj.Size()), false, "the body")
	if err != nil {
		return nil, c.plainly(err)
	}
	if f := obj.FinishDownload(); f != nil {
		a.Close()
		return nil, f
	}
	return a, nil
}
