// Package fix makes, for one input, the file the API accepts: the engine
// of the fix command. It works over an io.ReaderAt and a size and writes to
// an io.Writer, runs no program and touches no file, so that it serves the
// command line and a WebAssembly build alike.
//
// Prepare checks the input as check does (the prober and the decision
// order, reading the whole audio) and chooses the way:
//
//  1. nothing, when the API accepts the input as it is (unless Force);
//  2. a lossless path of internal/fixplan, when one makes the input
//     acceptable — an OpusHead rewrite, a remux of WebM/Matroska Opus into
//     Ogg-Opus, a WAV header rewrite — without decoding a sample;
//  3. decoding here (internal/pcm) and re-encoding as 16 kHz mono WAV or
//     FLAC (internal/convert), reading the repaired view of a WAV whose
//     header alone kept its audio out of reach;
//  4. MethodExternal, for audio the tool does not decode (AAC, Opus to be
//     re-encoded, ADPCM, ...): the caller hands it to ffmpeg, or says which
//     command would;
//  5. or no way, with the reason (no audio, not audio at all, too big for
//     the sync limit as WAV when WAV was asked for).
//
// Job.Write then writes the output. The caller checks it again with the
// check engine (the closed loop): Check is that engine over an
// io.ReaderAt.
package fix

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/convert"
	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/internal/fixplan"
	"github.com/audiopreflight/audiopreflight/internal/pcm"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats" // inputs are probed here
	"github.com/audiopreflight/audiopreflight/validate"
)

// Options are what the output must satisfy and how it may be made.
type Options struct {
	// Request is the request the output must pass, as check would make
	// it (HeaderOnly is ignored: a fix reads the whole input).
	Request validate.Request
	// Format is the container of a re-encoded output: encode.WAV,
	// encode.FLAC, or encode.Auto (WAV, or FLAC when a WAV would be over
	// the sync limit in sync mode).
	Format encode.Format
	// Force re-encodes an input the API accepts as it is.
	Force bool
	// MaxDuration, when more than zero, cuts the audio after that long.
	// Audio is never cut otherwise.
	MaxDuration time.Duration
}

// SizeLimit is the most bytes the output may hold: the sync limit of an
// unscripted request in sync mode, 0 (none) otherwise.
func (o Options) SizeLimit() int64 {
	r := o.Request
	if r.Type == validate.Scripted || r.Async {
		return 0
	}
	return r.SyncLimit
}

// Input is one input: its name as the user gave it (for the decision's
// messages and the prober's extension checks) and its bytes.
type Input struct {
	Name string
	R    io.ReaderAt
	Size int64
}

// Checked is what check finds for a piece of audio.
type Checked struct {
	Evidence validate.Evidence
	Decision validate.Decision
}

// Info is what the prober saw; nil for empty audio.
func (c *Checked) Info() *probe.Info { return c.Evidence.Info }

// Seconds is the audio's duration as the API's reader counts it (the
// frames a full read gets, at the rate it sees), -1 when it does not open
// or gives no rate.
func (c *Checked) Seconds() float64 {
	info := c.Evidence.Info
	if info == nil || !info.Opens || info.SampleRate <= 0 {
		return -1
	}
	if r := c.Evidence.Read; r != nil {
		return float64(r.FramesRead) / float64(info.SampleRate)
	}
	if info.LengthUnknown {
		return -1
	}
	return info.Duration()
}

// Check runs the check engine over audio — the prober, a full read, the
// decision order — as `check` does for a file, for req (in full mode).
func Check(req validate.Request, name string, r io.ReaderAt, size int64) (*Checked, error) {
	req.HeaderOnly = false
	ev := validate.Evidence{Input: name, Size: size}
	if size > 0 {
		head := make([]byte, min(size, probe.HeadSize))
		n, err := r.ReadAt(head, 0)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		ev.Head = head[:n]
		if ev.Info, err = probe.Probe(r, size, name); err != nil {
			return nil, err
		}
		if ev.Read, err = probe.ReadAll(r, size, ev.Info); err != nil {
			return nil, err
		}
	}
	return &Checked{Evidence: ev, Decision: validate.Decide(req, ev)}, nil
}

// Method is how an output is made.
type Method string

// The methods. The lossless ones are fixplan's paths.
const (
	// MethodNone: nothing is written (Job.Why says why, or the input is
	// accepted as it is).
	MethodNone Method = ""
	// MethodOpusHeader, MethodOpusRemux, MethodWAVHeader: the lossless
	// paths (see fixplan.Path).
	MethodOpusHeader = Method(fixplan.PathOpusHeader)
	MethodOpusRemux  = Method(fixplan.PathOpusRemux)
	MethodWAVHeader  = Method(fixplan.PathWAVHeader)
	// MethodDecode decodes the audio here and re-encodes it.
	MethodDecode Method = "decode"
	// MethodExternal needs a decoder the tool does not have (ffmpeg):
	// Job.Why says what the tool cannot decode. Write refuses it.
	MethodExternal Method = "external"
)

// Lossless tells the methods that decode no audio.
func (m Method) Lossless() bool {
	return m == MethodOpusHeader || m == MethodOpusRemux || m == MethodWAVHeader
}

// Job is the fix of one input, prepared: how the output is made, or why it
// cannot be.
type Job struct {
	Input   Input
	Checked *Checked
	Method  Method
	// Ext is the output's file name extension (".opus", ".wav", ".flac").
	Ext string
	// Format is the container a re-encoding writes (MethodDecode,
	// MethodExternal): encode.WAV or encode.FLAC.
	Format encode.Format
	// Steps say what Write will do, in words.
	Steps []string
	// Notes are what a person should know about the output: audio cut by
	// MaxDuration, damaged audio of which the output holds what decodes.
	Notes []string
	// Why says why the input cannot be fixed (MethodNone) or what the tool
	// cannot decode (MethodExternal); empty when the input is accepted as
	// it is.
	Why string
	// Cut is the duration the output keeps when MaxDuration cuts the
	// audio; 0 otherwise.
	Cut time.Duration
	// Damaged says the API's reader opens the input but fails part way
	// through its audio.
	Damaged bool

	opts    Options
	plan    *fixplan.Plan
	dec     pcm.Reader
	written bool
}

// Accepted tells an input the API accepts as it is, which is left alone.
func (j *Job) Accepted() bool { return j.Method == MethodNone && j.Why == "" }

// Fixable tells a job that writes an output (here or with an external
// decoder).
func (j *Job) Fixable() bool { return j.Method != MethodNone }

// Prepare checks the input and prepares its fix. An error means the input
// could not be read.
func Prepare(in Input, opts Options) (*Job, error) {
	req := opts.Request
	req.HeaderOnly = false
	opts.Request = req
	c, err := Check(req, in.Name, in.R, in.Size)
	if err != nil {
		return nil, err
	}
	j := &Job{Input: in, Checked: c, opts: opts}
	accepted := c.Decision.Accepted()
	if accepted && !opts.Force {
		return j, nil
	}
	if why := noAudio(c); why != "" {
		j.Why = why
		return j, nil
	}
	src, size, info := in.R, in.Size, c.Info()
	planWhy := ""
	if !accepted {
		p := fixplan.Lossless(req, fixplan.Input{Name: in.Name, R: in.R, Size: in.Size, Info: info, Decision: c.Decision})
		if r, n, ok := p.Repaired(); ok {
			if ri, err := probe.Probe(r, n, in.Name); err == nil {
				src, size, info = r, n, ri
			}
		}
		if p.Path != fixplan.PathNone {
			long, err := j.longerThanMax(p, info)
			if err != nil {
				return nil, err
			}
			if !long {
				j.Method, j.Ext, j.Steps, j.plan = Method(p.Path), p.Ext, p.Steps, p
				return j, nil
			}
		}
		if p.Decode && (info.Container == probe.ContainerOgg && info.Variant == "opus" || info.Container == probe.ContainerWebM) {
			// Opus that no header makes acceptable says why (its
			// streams); elsewhere the plan's reason is only that it has
			// no lossless path.
			planWhy = p.Why
		}
	}
	for _, f := range c.Decision.Findings {
		if f.Step == validate.StepDecode {
			j.Damaged = true
			j.Notes = append(j.Notes, fmt.Sprintf("the input's audio is damaged (%s): the API's reader fails there, and a fixed file holds the audio that decodes", f.Detail))
		}
	}
	j.prepareDecode(src, size, info, planWhy)
	return j, nil
}

// noAudio says why an input holds nothing a decoder could make audio of:
// it is empty, or its bytes are a known kind of non-audio (text, an image,
// an archive to unpack first). Unrecognised binary data is left to a
// decoder that may know it.
func noAudio(c *Checked) string {
	ev := c.Evidence
	if ev.Size == 0 {
		return "the input is empty: there is no audio to fix"
	}
	if ev.Info != nil && ev.Info.Container != probe.ContainerUnknown {
		return ""
	}
	lk := validate.LooksLike(ev.Head, ev.Size)
	switch {
	case lk.Kind == validate.ContentBinaryData:
		return ""
	case lk.Extract != "":
		return fmt.Sprintf("it is not audio but %s: unpack it first (%s), then fix what it holds", lk.What, strings.ReplaceAll(lk.Extract, "IN", validate.ShellFileArg(ev.Input)))
	}
	return "it is not audio: it looks like " + lk.What
}

// longerThanMax tells whether a lossless path's output would last longer
// than MaxDuration (it would then have to be cut, which only decoding
// does).
func (j *Job) longerThanMax(p *fixplan.Plan, info *probe.Info) (bool, error) {
	if j.opts.MaxDuration <= 0 {
		return false, nil
	}
	var secs float64
	switch p.Path {
	case fixplan.PathOpusRemux:
		// The remux counts the packets' samples; doing it into nothing
		// costs a read of the input (30 ms an hour).
		o, err := p.Apply(io.Discard)
		if err != nil {
			return false, err
		}
		secs = o.Seconds
	default:
		// A header rewrite keeps the duration the (repaired) header gives.
		if info == nil || info.SampleRate <= 0 || info.LengthUnknown {
			return false, nil
		}
		secs = info.Duration()
	}
	return secs > j.opts.MaxDuration.Seconds(), nil
}

// prepareDecode prepares the decoding path from src, which the prober saw
// as info; planWhy is why no lossless path does, when that is the coding.
func (j *Job) prepareDecode(src io.ReaderAt, size int64, info *probe.Info, planWhy string) {
	limit := j.opts.SizeLimit()
	if info == nil || !info.Opens {
		// What the API's reader does not open has no frame count to
		// decode to: a decoder that reads damaged headers differently
		// (ffmpeg) may still find audio in it.
		j.external(notOpened(info, j.Checked.Evidence.Head, size), planWhy)
		return
	}
	dec, err := pcm.Open(src, size, info)
	var unsupported *pcm.UnsupportedError
	switch {
	case errors.As(err, &unsupported):
		j.external(notDecoded(info, unsupported), planWhy)
		return
	case err != nil:
		j.external("the tool's decoder refuses it: "+err.Error(), planWhy)
		return
	}
	f := dec.Format()
	if keepFor := j.opts.MaxDuration; keepFor > 0 {
		keep := int64(math.Ceil(keepFor.Seconds() * float64(f.SampleRate)))
		if f.Frames < 0 || f.Frames > keep {
			dec = &limited{Reader: dec, keep: keep, left: keep}
			if f.Frames > keep {
				j.Cut = keepFor
				j.Notes = append(j.Notes, fmt.Sprintf("cut after %s (--max-duration): %s of %s left out",
					keepFor, seconds(float64(f.Frames-keep)/float64(f.SampleRate)), seconds(float64(f.Frames)/float64(f.SampleRate))))
			}
		}
	}
	frames := convert.OutputFrames(dec.Format())
	format := encode.Choose(j.opts.Format, frames, limit)
	if format == encode.WAV && limit > 0 && frames >= 0 && encode.WAVSize(frames) > limit {
		j.Why = fmt.Sprintf("as 16 kHz mono WAV it would be %s, over the sync limit of %s: leave --format out (FLAC is written then), or use --mode async",
			validate.SizeInWords(encode.WAVSize(frames), false), validate.SizeInWords(limit, true))
		return
	}
	j.Method, j.Format, j.Ext, j.dec = MethodDecode, format, format.Ext(), dec
	j.Steps = append([]string{"decode " + describe(info)}, convert.Steps(dec.Format(), format)...)
}

// external makes the job one for an external decoder, for why (what
// the tool does not do), after planWhy (why no lossless path does, when
// it says more than that there is none).
func (j *Job) external(why, planWhy string) {
	j.Method, j.Why = MethodExternal, why
	if planWhy != "" {
		j.Why = planWhy + "; " + why
	}
	frames := int64(-1)
	if secs := j.Checked.Seconds(); secs >= 0 {
		if j.opts.MaxDuration > 0 {
			secs = min(secs, j.opts.MaxDuration.Seconds())
		}
		frames = int64(math.Ceil(secs * convert.TargetRate))
	}
	j.Format = encode.Choose(j.opts.Format, frames, j.opts.SizeLimit())
	j.Ext = j.Format.Ext()
	j.Cut = j.opts.MaxDuration
}

// neverOpened are the containers the API's reader knows none of
// (probe/detect): the tool does not decode them either.
var neverOpened = []string{probe.ContainerM4A, probe.ContainerWebM, probe.ContainerAMR, probe.ContainerWMA}

// notOpened says why audio the API's reader does not open is left to an
// external decoder.
func notOpened(info *probe.Info, head []byte, size int64) string {
	switch {
	case info == nil || info.Container == probe.ContainerUnknown:
		return "the tool does not recognise this format (" + validate.LooksLike(head, size).What + ")"
	case slices.Contains(neverOpened, info.Container):
		what := info.Container
		if info.Codec != "" {
			what += " " + info.Codec
		}
		return "the tool does not decode " + what
	}
	why := "the API's reader does not open it"
	if info.OpenError != "" {
		why += " (" + info.OpenError + ")"
	}
	return why + ", so the tool has no length to decode it to"
}

// notDecoded says what the tool does not decode: "the tool does not
// decode wav adpcm_ima_wav".
func notDecoded(info *probe.Info, u *pcm.UnsupportedError) string {
	what := info.Container
	switch codec := u.Codec; {
	case codec != "" && codec != "this coding" && codec != info.Container:
		what += " " + codec
	case info.Codec != "" && info.Codec != info.Container:
		what += " " + info.Codec
	}
	why := "the tool does not decode " + what
	if u.Msg != "" {
		why += " (" + u.Msg + ")"
	}
	return why
}

// describe names what is decoded: "mp3 (44100 Hz, 2 channels)".
func describe(info *probe.Info) string {
	name := info.Container
	switch {
	case info.Codec != "" && info.Codec != info.Container:
		name += " " + info.Codec
	case info.Variant != "" && info.Variant != info.Container:
		name += " " + info.Variant
	}
	ch := "channels"
	if info.Channels == 1 {
		ch = "channel"
	}
	return fmt.Sprintf("%s (%d Hz, %d %s)", name, info.SampleRate, info.Channels, ch)
}

// seconds writes a duration in seconds as "12.345 s".
func seconds(s float64) string { return fmt.Sprintf("%.3f s", s) }

// limited delivers at most keep frames of a decoder's stream.
type limited struct {
	pcm.Reader
	keep, left int64
}

func (l *limited) Format() pcm.Format {
	f := l.Reader.Format()
	if f.Frames < 0 || f.Frames > l.keep {
		f.Frames = l.keep
	}
	return f
}

func (l *limited) Read(p []float32) (int, error) {
	if l.left <= 0 {
		return 0, io.EOF
	}
	ch := l.Reader.Format().Channels
	if int64(len(p)/ch) > l.left {
		p = p[:l.left*int64(ch)]
	}
	n, err := l.Reader.Read(p)
	l.left -= int64(n)
	if l.left <= 0 && err == nil {
		err = io.EOF
	}
	return n, err
}

// Outcome is what writing an output did.
type Outcome struct {
	// Steps are what was done, in words.
	Steps []string
	// Written is the output's size in bytes.
	Written int64
	// Frames is the number of 16 kHz samples a re-encoding wrote; 0 for
	// a lossless path.
	Frames int64
}

// Errors of Write.
var (
	// ErrNothingToWrite: the job writes nothing here (the input is
	// accepted, cannot be fixed, or needs an external decoder).
	ErrNothingToWrite = errors.New("fix: nothing to write")
	// ErrWritten: Write was called twice (a decoder is read once).
	ErrWritten = errors.New("fix: the output was written already")
	// ErrNoAudio: the input decodes to no audio; there is nothing to write.
	ErrNoAudio error = convert.NoAudioError{} // equal to convert.ErrNoAudio
)

// Write writes the output to w. A re-encoding whose length is not known in
// advance needs w to be an io.WriteSeeker (a file). In sync mode, an
// output over the sync limit gives a *TooBigError after it is written.
func (j *Job) Write(w io.Writer) (*Outcome, error) {
	if j.written {
		return nil, ErrWritten
	}
	j.written = true
	cw := countWrites(w)
	var o *Outcome
	var seconds float64
	switch {
	case j.Method.Lossless():
		po, err := j.plan.Apply(cw)
		if err != nil {
			return nil, err
		}
		o = &Outcome{Steps: po.Steps, Written: po.Written}
		seconds = po.Seconds
		if seconds == 0 {
			seconds = j.Checked.Seconds()
		}
	case j.Method == MethodDecode:
		res, err := convert.Run(j.dec, cw, convert.Options{Format: j.Format})
		if err != nil {
			return nil, err
		}
		o = &Outcome{Steps: append(j.Steps[:1:1], res.Steps...), Written: cw.size(), Frames: res.OutputFrames}
		seconds = float64(res.OutputFrames) / convert.TargetRate
	default:
		return nil, ErrNothingToWrite
	}
	if limit := j.opts.SizeLimit(); limit > 0 && o.Written > limit {
		return o, &TooBigError{What: j.outputWords(), Size: o.Written, Limit: limit, Seconds: seconds}
	}
	return o, nil
}

// outputWords names the output for a TooBigError.
func (j *Job) outputWords() string {
	if j.Method.Lossless() && j.Ext == ".opus" {
		return "Ogg-Opus (its packets copied as they are: Opus is already the smallest form the API takes)"
	}
	return "16 kHz mono " + strings.ToUpper(strings.TrimPrefix(j.Ext, "."))
}

// TooBigError says that the output is over the sync limit even in its
// smallest form: by how much, and what to do.
type TooBigError struct {
	// What names the output's form ("16 kHz mono FLAC").
	What        string
	Size, Limit int64
	// Seconds is the output's duration, for the cut that would fit.
	Seconds float64
}

func (e *TooBigError) Error() string {
	msg := fmt.Sprintf("too big for sync mode even as %s: it is %s, %s over the sync limit of %s; send it in async mode (--mode async)",
		e.What, validate.SizeInWords(e.Size, false), validate.SizeInWords(e.Size-e.Limit, false), validate.SizeInWords(e.Limit, true))
	if fit := e.FittingDuration(); fit > 0 {
		msg += fmt.Sprintf(", or keep the first %s (--max-duration %s)", fit, fit)
	}
	return msg
}

// FittingDuration is how much of the output would fit under the limit at
// its average bytes a second, with 2 % to spare: whole seconds from a
// minute up, tenths of a second below; 0 when unknown.
func (e *TooBigError) FittingDuration() time.Duration {
	if e.Seconds <= 0 || e.Size <= 0 {
		return 0
	}
	fit := time.Duration(e.Seconds * float64(e.Limit) / float64(e.Size) * 0.98 * float64(time.Second))
	if fit >= time.Minute {
		return fit.Truncate(time.Second)
	}
	return fit.Truncate(100 * time.Millisecond)
}

// writeCounter counts what is written, as the furthest offset reached
// (encoders seek back to patch sizes).
type writeCounter interface {
	io.Writer
	size() int64
}

func countWrites(w io.Writer) writeCounter {
	if ws, ok := w.(io.WriteSeeker); ok {
		return &seekCounter{w: ws}
	}
	return &plainCounter{w: w}
}

type plainCounter struct {
	w io.Writer
	n int64
}

func (c *plainCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (c *plainCounter) size() int64 { return c.n }

type seekCounter struct {
	w        io.WriteSeeker
	pos, end int64
}

func (c *seekCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.pos += int64(n)
	c.end = max(c.end, c.pos)
	return n, err
}

func (c *seekCounter) Seek(off int64, whence int) (int64, error) {
	pos, err := c.w.Seek(off, whence)
	if err == nil {
		c.pos = pos
	}
	return pos, err
}

func (c *seekCounter) size() int64 { return c.end }
