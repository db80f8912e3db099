package preflight

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/cmdengine"
	"github.com/audiopreflight/audiopreflight/internal/download"
	"github.com/audiopreflight/audiopreflight/internal/spool"
	"github.com/audiopreflight/audiopreflight/validate"
)

// DefaultMaxInputSize is the default of Checker.MaxInputSize: 4 GiB, the
// most a RIFF WAV can hold.
const DefaultMaxInputSize = 4 << 30

// DefaultName names audio checked from bytes, an io.ReaderAt or an
// io.Reader when the request gives no Name: it has no extension, so a
// scripted check has none to fall back to for audio_format.
const DefaultName = "audio"

// Request types (Request.Type).
const (
	Unscripted = validate.Unscripted
	Scripted   = validate.Scripted
)

// DefaultSyncLimit is the API's sync limit: 10 MiB.
const DefaultSyncLimit = validate.DefaultSyncLimit

// Audio is the bytes of one input, read at offsets.
type Audio interface {
	io.ReaderAt
	Size() int64
	Close() error
}

// Input is the audio to check: make one with Bytes, ReaderAt, Reader, File
// or URL. The zero Input is no input (Check returns an error).
type Input struct {
	kind   inputKind
	bytes  []byte
	at     io.ReaderAt
	size   int64
	reader io.Reader
	name   string // the path or URL
}

type inputKind uint8

const (
	noInput inputKind = iota
	bytesInput
	readerAtInput
	readerInput
	fileInput
	urlInput
)

// Bytes is audio held in memory (or, with Request.Base64, the text of an
// audio_data field). Check reads it and does not keep it.
func Bytes(b []byte) Input { return Input{kind: bytesInput, bytes: b} }

// ReaderAt is audio read at offsets: size bytes of r. Only what the check
// needs is read (for a header check of most formats, a few kilobytes).
func ReaderAt(r io.ReaderAt, size int64) Input {
	return Input{kind: readerAtInput, at: r, size: size}
}

// Reader is audio read once, forward — an HTTP request's body, a pipe —
// as the command reads standard input: a header check keeps only its
// head and tail, a full check a copy (in memory up to 1 MiB, in a
// temporary file beyond), at most Checker.MaxInputSize bytes.
func Reader(r io.Reader) Input { return Input{kind: readerInput, reader: r} }

// File is the file at path, read in place. The result's input is the
// path unless the request names it.
func File(path string) Input { return Input{kind: fileInput, name: path} }

// URL is audio the API would download from url (its audio_url field),
// downloaded as the API's server does, with the command's rules: only
// http and https, only hosts on the public internet (unless
// Checker.AllowPrivateURLs), at most 10 redirects, Checker.Timeout for the
// whole download. A download the server would fail on is the
// FailedToReadAudioFromURL verdict, not an error. A header check reads
// only the ranges the headers are in. In the WebAssembly build (GOOS=js)
// there is no network code: a URL input's result is an error.
func URL(url string) Input { return Input{kind: urlInput, name: url} }

// Request is the request the audio would be sent with, and how to check
// it. Its zero value is an unscripted, synchronous request with the API's
// sync limit, fully checked.
type Request struct {
	// Type is Unscripted (the default, for "") or Scripted.
	Type string
	// Async is the unscripted asynchronous mode, which has no size limit
	// (scripted requests have no modes: it changes nothing for them).
	Async bool
	// SyncLimit is the sync limit in bytes: larger audio is
	// AudioTooBigForSync in sync mode. Zero means DefaultSyncLimit (the
	// API's); it must not be negative.
	SyncLimit int64
	// HeaderOnly reads the headers only: the decision steps that need the
	// whole audio are left undecided (Result.Undecided, StatusUndecided
	// when nothing else is found).
	HeaderOnly bool
	// Base64 says the input holds the text of an audio_data field, decoded
	// with the server's rules; the audio is what it decodes to.
	Base64 bool
	// Name plays the part of the input's name: the result's Input,
	// AudioTooBigForSync's stream_dir, and the extension a scripted
	// check's audio_format falls back to when the content names no format.
	// Empty means the path or URL of a File or URL input, and DefaultName
	// for the others.
	Name string
	// Authorization, with CheckAuth, is the Authorization header the
	// request would send ("Bearer <token>"): its problems are findings
	// too, first among them (the command's --check-auth).
	Authorization string
	CheckAuth     bool
}

// validate is the decision's request.
func (r Request) validate() (validate.Request, error) {
	v := validate.Request{Type: r.Type, Async: r.Async, SyncLimit: r.SyncLimit, HeaderOnly: r.HeaderOnly}
	switch r.Type {
	case "":
		v.Type = Unscripted
	case Unscripted, Scripted:
	default:
		return v, fmt.Errorf("preflight: request type must be %q or %q, not %q", Unscripted, Scripted, r.Type)
	}
	switch {
	case r.SyncLimit == 0:
		v.SyncLimit = DefaultSyncLimit
	case r.SyncLimit < 0:
		return v, fmt.Errorf("preflight: the sync limit must not be negative (%d)", r.SyncLimit)
	}
	if r.CheckAuth {
		v.Auth = validate.CheckAuth(v.Type, validate.AuthHeader{Value: r.Authorization})
	}
	return v, nil
}

// Checker checks inputs with its settings. The zero Checker is ready to
// use, with the command's defaults; its settings must not change once it
// is in use. It is safe for concurrent use, and keeps no state but what
// its settings make (its downloads' connections, its spools' bound): two
// Checkers are independent.
type Checker struct {
	// MaxInputSize caps what is copied or downloaded of one input that is
	// not read in place: a Reader's stream, decoded base64, a URL's body
	// (the command's --max-input-size). Zero means DefaultMaxInputSize.
	// Bytes, ReaderAt and File inputs are read in place and not capped.
	// An input beyond it is an error result.
	MaxInputSize int64
	// AllowPrivateURLs lets URL inputs on loopback, private and
	// link-local hosts through (--allow-private-urls): the API never
	// downloads from them, so by default their result is the API's
	// FailedToReadAudioFromURL, as for the command.
	AllowPrivateURLs bool
	// Timeout bounds one URL's download, as the API's server does
	// (--timeout). Zero means 30 seconds.
	Timeout time.Duration

	once    sync.Once
	spools  *spool.Gate
	mu      sync.Mutex
	clients map[clientKey]download.Downloader
}

// Check checks one input with a Checker of its own, with the command's
// defaults, and closes that Checker's connections: nothing outlives the
// call. See Checker.Check. A program that checks many URLs keeps a Checker,
// whose connections are reused.
func Check(ctx context.Context, in Input, req Request) (*Result, error) {
	var c Checker
	defer c.CloseIdleConnections()
	return c.Check(ctx, in, req)
}

// CloseIdleConnections closes the connections the Checker keeps for
// reuse after downloading URL inputs.
func (c *Checker) CloseIdleConnections() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.clients {
		if i, ok := d.(interface{ CloseIdleConnections() }); ok {
			i.CloseIdleConnections()
		}
	}
}

// Check checks one input against the request and returns its result: the
// same result `audiopreflight check` prints for the same audio, request
// and name (for the command's `-o jsonl`, json.Marshal of it).
//
// An input that cannot be checked — a file that cannot be read, a stream
// beyond MaxInputSize — is a result with StatusError whose Error says why
// (the result names the input), as the command reports it; it is not an
// error return. Check returns an error only when it was called wrongly (a
// zero Input, an unknown request type, a negative sync limit), and ctx's
// error when ctx was done before the check finished: downloads and reads
// stop then.
func (c *Checker) Check(ctx context.Context, in Input, req Request) (*Result, error) {
	vreq, err := req.validate()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e := &engine{Config: cmdengine.Config{Request: vreq, Base64: req.Base64, MaxInputSize: c.MaxInputSize, Spools: c.gate()},
		maxSizeIs: "Checker.MaxInputSize"}
	t := target{Name: req.Name, Source: SourceFile}
	var r *Result
	switch in.kind {
	case bytesInput, readerAtInput:
		if t.Name == "" {
			t.Name = DefaultName
		}
		var audio Audio = memoryAudio{bytes.NewReader(in.bytes)}
		if in.kind == readerAtInput {
			audio = readerAtAudio{r: in.at, size: in.size}
		}
		open := func(headerOnly bool, _ *fileSlot) (Audio, download.Download, error) {
			if req.Base64 {
				a, err := e.decodeBase64(io.NewSectionReader(audio, 0, audio.Size()), headerOnly)
				return a, nil, err
			}
			return audio, nil, nil
		}
		r = e.checkFrom(ctx, t, open, nil, nil)
	case readerInput:
		if t.Name == "" {
			t.Name = DefaultName
		}
		e.Stdin, e.stdinIs = in.reader, "the stream"
		t.Source = SourceStdin
		r = e.check(ctx, t, nil, nil)
		r.Source = SourceFile
	case fileInput:
		if t.Name == "" {
			t.Name = in.name
		}
		f, err := openFile(in.name, nil)
		if errors.Is(err, errChanged) {
			err = errNotRegular
		}
		if err != nil {
			return ErrorResult(t.Name, t.Source, err), nil
		}
		// Opened here, by its path, so that Name may differ from it.
		r = e.checkFrom(ctx, t, func(headerOnly bool, _ *fileSlot) (Audio, download.Download, error) {
			if req.Base64 {
				defer f.Close()
				a, err := e.decodeBase64(io.NewSectionReader(f, 0, f.Size()), headerOnly)
				return a, nil, err
			}
			return f, nil, nil
		}, nil, nil)
	case urlInput:
		if t.Name == "" {
			t.Name = in.name
		}
		t.Source = SourceURL
		e.Remote = c.downloader(req.Base64, vreq)
		r = e.checkAs(ctx, t, target{Name: in.name, Source: SourceURL}, nil, nil)
	default:
		return nil, errors.New("preflight: no input (make one with Bytes, ReaderAt, Reader, File or URL)")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// errNotRegular is a File input that is a directory, a pipe or a device:
// read a stream with Reader.
var errNotRegular = errors.New("not a regular file")

// gate is the Checker's bound on spools held at once.
func (c *Checker) gate() *spool.Gate {
	c.once.Do(func() { c.spools = spool.NewGate(spool.DefaultGate) })
	return c.spools
}

// clientKey is what a URL download depends on beyond the Checker: a
// header check reads ranges, and counts up to the sync limit a body whose
// length only its end tells.
type clientKey struct {
	headerOnly bool
	countTo    int64
}

// downloader is the Checker's downloader for a request, made on first use.
func (c *Checker) downloader(base64 bool, req validate.Request) download.Downloader {
	var k clientKey
	// Base64 text is no header: its check reads the whole body.
	if req.HeaderOnly && !base64 {
		k.headerOnly = true
		if req.Type == Unscripted && !req.Async {
			k.countTo = req.SyncLimit + 1
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.clients[k]
	if !ok {
		d = c.newDownloader(k)
		if c.clients == nil {
			c.clients = map[clientKey]download.Downloader{}
		}
		c.clients[k] = d
	}
	return d
}
