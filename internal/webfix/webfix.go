// Package webfix is what the browser's fix module (web/wasmfix) does for
// the JavaScript module's fix(bytes, options): it reads the options as the
// module hands them over (JSON), fixes the bytes as `audiopreflight fix`
// fixes a file of that name, and returns the fixed file with the line
// `fix -o jsonl` prints for it. It is a package of its own so that the
// check module (internal/webcheck) does not carry the decoders and
// encoders: a page that only checks loads the smaller module.
package webfix

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/internal/fix"
	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/internal/webcheck"
	"github.com/audiopreflight/audiopreflight/validate"
)

// FixOptions are fix's options as the module passes them (JSON), named as
// in JavaScript: check's request, mode, syncLimit and name, and fix's
// --format and --force. What is left out is the flag's default.
type FixOptions struct {
	Request   string   `json:"request"`
	Mode      string   `json:"mode"`
	SyncLimit *float64 `json:"syncLimit"`
	Name      *string  `json:"name"`
	// Format is the container of a re-encoded output: "auto" (the
	// default), "wav" or "flac" (--format).
	Format string `json:"format"`
	// Force re-encodes audio the API accepts as it is (--force).
	Force bool `json:"force"`
}

// ParseFixOptions reads fix's options' JSON: an object with the keys of
// FixOptions, each of its type, or null (no options).
func ParseFixOptions(text []byte) (FixOptions, error) {
	var o FixOptions
	err := webcheck.DecodeOptions(text, &o, "request, mode, syncLimit, name, format, force")
	return o, asFixOptionError(err)
}

// FixOptionError is options the module cannot fix with; the module throws
// it as a TypeError.
type FixOptionError struct{ Msg string }

func (e *FixOptionError) Error() string { return "audiopreflight fix: " + e.Msg }

// asFixOptionError is err with the check module's option errors, which the
// options the two modules share give, as the fix module's.
func asFixOptionError(err error) error {
	var oe *webcheck.OptionError
	if errors.As(err, &oe) {
		return &FixOptionError{Msg: oe.Msg}
	}
	return err
}

func fixOptionErrorf(format string, args ...any) error {
	return &FixOptionError{Msg: fmt.Sprintf(format, args...)}
}

// engine is the fix engine's options the module's options ask for: those
// of `audiopreflight fix` with the same flags.
func (o FixOptions) engine() (fix.Options, error) {
	req, err := webcheck.Options{Request: o.Request, Mode: o.Mode, SyncLimit: o.SyncLimit}.ValidateRequest()
	if err != nil {
		return fix.Options{}, asFixOptionError(err)
	}
	format := encode.Auto
	if o.Format != "" {
		if format, err = encode.ParseFormat(o.Format); err != nil {
			return fix.Options{}, fixOptionErrorf("format must be \"auto\", \"wav\" or \"flac\", not %q", o.Format)
		}
	}
	return fix.Options{Request: req, Format: format, Force: o.Force}, nil
}

// Audio is the bytes to fix, read where they are.
type Audio interface {
	io.ReaderAt
	Size() int64
}

// Fixed is what Fix made of an input.
type Fixed struct {
	// Bytes are the fixed file; nil when none was made (the report says
	// why, or that the input is accepted as it is).
	Bytes []byte
	// Name is the fixed file's name, as `audiopreflight fix` names the
	// file it writes next to an input of the options' name ("" when
	// none was made).
	Name string
	// Report is the result's `fix -o jsonl` line, without its newline.
	Report []byte
}

// Fix makes, of audio, the file the API accepts, as `audiopreflight fix
// --ffmpeg none` does for a file of the options' name, and returns it with
// the line `fix -o jsonl` prints for it: the same plan (internal/fix), the
// same writing, the same closed loop (the fixed bytes checked again under
// their new name). Audio the tool does not decode is not fixed: a browser
// has no ffmpeg, and the report says so.
func Fix(audio Audio, options []byte) (*Fixed, error) {
	o, err := ParseFixOptions(options)
	if err != nil {
		return nil, err
	}
	opts, err := o.engine()
	if err != nil {
		return nil, err
	}
	name := webcheck.DefaultName
	if o.Name != nil {
		name = *o.Name
	}
	res, out := fixBytes(fix.Input{Name: name, R: audio, Size: audio.Size()}, opts)
	var line bytes.Buffer
	run := report.FixRun{Request: opts.Request.Type, Mode: "sync", SyncLimitBytes: opts.Request.SyncLimit, Format: opts.Format.String(), Force: opts.Force}
	if opts.Request.Async {
		run.Mode = "async"
	}
	w, err := report.NewFix("jsonl", &line, run, report.Options{Redact: redact.Policy{}})
	if err != nil {
		return nil, err
	}
	if err := w.Write(res); err != nil {
		return nil, err
	}
	f := &Fixed{Report: bytes.TrimSuffix(line.Bytes(), []byte("\n"))}
	if res.Status == report.FixFixed {
		f.Bytes, f.Name = out, res.Output
	}
	return f, nil
}

// fixBytes is the fix command's fixOne for bytes in memory and no ffmpeg:
// the result, and the fixed file when it is kept.
func fixBytes(in fix.Input, opts fix.Options) (*report.FixResult, []byte) {
	res := &report.FixResult{Input: in.Name, Source: report.SourceFile}
	job, err := fix.Prepare(in, opts)
	if err != nil {
		res.Status, res.Error = report.FixError, err.Error()
		return res, nil
	}
	res.Before = result(opts, in.Name, job.Checked)
	switch {
	case job.Accepted():
		res.Status = report.FixAccepted
		return res, nil
	case !job.Fixable():
		res.Status, res.Reason = report.FixNotFixed, job.Why
		return res, nil
	}
	res.Notes = job.Notes
	if job.Method == fix.MethodExternal {
		res.Status, res.Method = report.FixNotFixed, report.FixMethodFFmpeg
		res.Reason = job.Why + "; ffmpeg would convert it, and a browser has none"
		res.Command = fix.FFmpegLine(in.Name, outputName(in.Name, job.Ext), job.Format, job.Cut)
		return res, nil
	}
	res.Method, res.Lossless, res.Steps = string(job.Method), job.Method.Lossless(), job.Steps
	notFixed := func(reason string) (*report.FixResult, []byte) {
		res.Status, res.Output, res.Reason = report.FixNotFixed, "", reason
		return res, nil
	}
	outName := outputName(in.Name, job.Ext)
	res.Output = outName
	buf := &memFile{}
	after, reason := write(job, buf, outName, opts, res)
	if reason == "" && !after.Decision.Accepted() && opts.Format == encode.Auto && strings.HasSuffix(outName, ".wav") &&
		after.Decision.Verdict().Step == validate.StepOpen {
		// As the command does: the same audio as FLAC when the API's
		// reader refuses it as WAV for what its first samples look like.
		why := after.Decision.Verdict().Detail
		again := opts
		again.Format = encode.FLAC
		if job, err = fix.Prepare(in, again); err != nil {
			return notFixed(err.Error())
		}
		outName = outputName(in.Name, job.Ext)
		res.Output = outName
		res.Notes = append(res.Notes, "written as FLAC: the API's reader refuses this audio as WAV ("+why+")")
		buf = &memFile{}
		after, reason = write(job, buf, outName, opts, res)
	}
	if reason != "" {
		return notFixed(reason)
	}
	if !after.Decision.Accepted() {
		v := after.Decision.Verdict()
		return notFixed(fmt.Sprintf("check would still reject the fixed file (%s: %s), so it was not kept", v.Exception.Name, v.Detail))
	}
	res.Status = report.FixFixed
	return res, buf.b
}

// write writes the job's output into buf and checks it under name, as the
// command does with its temporary file; reason says why nothing usable
// was written.
func write(job *fix.Job, buf *memFile, name string, opts fix.Options, res *report.FixResult) (after *fix.Checked, reason string) {
	o, err := job.Write(buf)
	var tooBig *fix.TooBigError
	switch {
	case err == nil:
		res.Steps = o.Steps
	case errors.As(err, &tooBig):
		return nil, tooBig.Error()
	case errors.Is(err, fix.ErrNoAudio) && !job.Damaged:
		return nil, "the input holds no audio: it decodes to no samples"
	case job.Method != fix.MethodDecode:
		return nil, "writing the fixed file failed: " + err.Error()
	default:
		// Damage the tool's decoder stops at, which ffmpeg may decode
		// past.
		res.Command = fix.FFmpegLine(res.Input, name, job.Format, job.Cut)
		if errors.Is(err, fix.ErrNoAudio) {
			return nil, "the tool's decoder finds no audio in the damaged input; ffmpeg may find some"
		}
		return nil, "the tool's decoder stops: " + err.Error() + "; ffmpeg may decode past it"
	}
	after, err = fix.Check(opts.Request, name, bytes.NewReader(buf.b), int64(len(buf.b)))
	if err != nil {
		return nil, "the fixed file could not be checked: " + err.Error()
	}
	res.After = result(opts, name, after)
	return after, ""
}

// result is check's result for audio the engine checked, with its hint.
func result(opts fix.Options, name string, c *fix.Checked) *report.Result {
	return report.NewResult(name, report.SourceFile, c.Decision, c.Info(), validate.Hint(opts.Request, c.Evidence, c.Decision))
}

// outputName is the fixed file's name for an input of that name, as the
// command writes it next to the input.
func outputName(name, ext string) string {
	return filepath.Join(filepath.Dir(name), fix.OutputBase(filepath.Base(name), ext, fix.DefaultSuffix))
}

// memFile is a file in memory: the encoders seek back to patch sizes.
type memFile struct {
	b   []byte
	pos int
}

func (m *memFile) Write(p []byte) (int, error) {
	if end := m.pos + len(p); end > len(m.b) {
		m.b = append(m.b, make([]byte, end-len(m.b))...)
	}
	n := copy(m.b[m.pos:], p)
	m.pos += n
	return n, nil
}

func (m *memFile) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += int64(m.pos)
	case io.SeekEnd:
		off += int64(len(m.b))
	}
	if off < 0 {
		return 0, errors.New("seek before the start")
	}
	m.pos = int(off)
	return off, nil
}
