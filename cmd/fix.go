package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/audiopreflight/audiopreflight/internal/bytesize"
	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/internal/fix"
	"github.com/audiopreflight/audiopreflight/internal/inputs"
	"github.com/audiopreflight/audiopreflight/internal/lazy"
	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/validate"
)

// FixOptions are the flags of `audiopreflight fix`.
type FixOptions struct {
	Request   string
	Mode      string
	SyncLimit int64
	Format    string
	Output    string
	OutDir    string
	Suffix    string
	InPlace   bool
	NoBackup  bool
	Force     bool
	DryRun    bool
	// MaxDuration cuts the audio after that long (0: never cut).
	MaxDuration time.Duration
	// FFmpeg is the ffmpeg to hand undecodable audio to: "" looks it up
	// on PATH, "none" never runs it.
	FFmpeg    string
	FilesFrom string
	Null      bool
	NoColor   bool
	Include   []string
	Exclude   []string

	AllowPrivateURLs bool
	Timeout          time.Duration
	MaxInputSize     int64
	ShowSecrets      bool

	Inputs []string
}

// defaultSuffix goes between a fixed file's name and its extension.
const defaultSuffix = fix.DefaultSuffix

func newFixCmd(a *app) *cobra.Command {
	opts := &FixOptions{}
	c := &cobra.Command{
		Use:   "fix [flags] INPUT...",
		Short: "Write, for each input the API would reject, a file it accepts (16 kHz mono), and check it",
		Long: `Make, for each input the API would reject for its format, a file it accepts,
and prove it by checking the new file as check does.

The new file is written next to the input as NAME` + defaultSuffix + `.EXT (-O DIR writes it
there instead; --suffix changes "` + defaultSuffix + `"). Nothing is ever overwritten: with
--in-place the fixed file replaces the input (atomically, through a temporary
file and a rename), and the original is kept as NAME.orig unless --no-backup.
Inputs the API accepts as they are are left alone (--force re-encodes them).

The way is chosen per input, lossless first:
  - Ogg-Opus the API would decode at 48 kHz or in stereo: the OpusHead is
    rewritten (16000 Hz, one channel); every packet is copied as it is.
  - WebM/Matroska with Opus (browser recordings): remuxed into Ogg-Opus with
    that header; every packet is copied as it is.
  - WAV whose header alone is refused (a streaming writer's sizes, chunks
    the reader dislikes): a new header before the same audio bytes.
  - Anything else the tool decodes (WAV/AIFF/AU/CAF/W64/RF64 PCM, float and
    laws, FLAC, ALAC, MP3, Ogg-Vorbis): decoded, downmixed to mono (the
    average), resampled to 16 kHz, dithered to 16 bit and written as WAV, or
    as FLAC with --format flac or when a WAV would be over the sync limit.
  - What the tool does not decode (AAC/M4A, WMA, AMR, ADPCM, Opus that must
    be re-encoded, ...): converted by ffmpeg when it is on PATH (--ffmpeg);
    otherwise the result gives the ffmpeg command that would do it.
Audio is never cut, unless --max-duration asks for it. In sync mode, a
recording too big even as 16 kHz mono FLAC is not fixed: the result says by
how much, and suggests async mode.

INPUT is what check takes: files, directories, quoted globs, --files-from.
Standard input (-) and URLs are read as check reads them; their fixed file
goes to -O DIR (stdin-16k.EXT, or the URL's file name).

Exit status:
  0  every input is fixed, or accepted as it is (--dry-run: would be)
  1  some input could not be fixed, or read (its result says why)
  2  usage error

Every flag can also be set with the environment variable AUDIOPREFLIGHT_<FLAG>,
as for check.`,
		Example: `  audiopreflight fix recording.mp3
  audiopreflight fix --dry-run uploads/
  audiopreflight fix -O fixed/ --format flac 'takes/**/*.wav'
  audiopreflight fix --in-place --no-backup chrome-capture.webm
  audiopreflight fix --mode async -o json long-interview.m4a`,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Inputs = args
			if len(args) == 0 && opts.FilesFrom == "" {
				return usageErrorf(c, "fix: give at least one INPUT (a file, a directory, a glob, or - for standard input), or --files-from")
			}
			if err := opts.validate(c, a.fromEnvironment); err != nil {
				return err
			}
			opts.NoColor = a.global.NoColor
			return runFix(a, opts)
		},
	}
	f := c.Flags()
	enumFlag(c, &opts.Request, "request", "", "unscripted", "the request the fixed file is for", "unscripted", "scripted")
	enumFlag(c, &opts.Mode, "mode", "", "sync", "unscripted request mode (sync has a size limit)", "sync", "async")
	opts.SyncLimit = validate.DefaultSyncLimit
	f.Var((*bytesize.Size)(&opts.SyncLimit), "sync-limit", "largest audio sync mode takes (10MiB, 5MB, 4800000)")
	enumFlag(c, &opts.Format, "format", "", "auto", "container of a re-encoded file (auto: WAV, or FLAC when a WAV would be over the sync limit)", "auto", "wav", "flac")
	enumFlag(c, &opts.Output, "output", "o", "text", "output format", report.FixFormats...)
	f.StringVarP(&opts.OutDir, "output-dir", "O", "", "write the fixed files into DIR (made if missing) instead of next to each input")
	_ = c.MarkFlagDirname("output-dir")
	f.StringVar(&opts.Suffix, "suffix", defaultSuffix, "what goes between a fixed file's name and its extension")
	boolFlag(f, &opts.InPlace, "in-place", "", "replace each input by its fixed file (atomically), keeping the original as NAME.orig")
	boolFlag(f, &opts.NoBackup, "no-backup", "", "with --in-place, keep no NAME.orig")
	boolFlag(f, &opts.Force, "force", "", "also re-encode the inputs the API accepts as they are")
	boolFlag(f, &opts.DryRun, "dry-run", "n", "say what would be done, and write nothing")
	f.Var((*positiveDuration)(&opts.MaxDuration), "max-duration", "cut the audio after this long (90s, 10m); audio is never cut otherwise")
	f.StringVar(&opts.FFmpeg, "ffmpeg", "", "the ffmpeg for audio the tool does not decode (default: ffmpeg on PATH; none: never run it)")
	f.StringVar(&opts.FilesFrom, "files-from", "", "read input names from FILE, or - for standard input, one a line")
	boolFlag(f, &opts.Null, "null", "0", "names in --files-from are separated by NUL, not newline (find -print0)")
	globsVar(f, &opts.Include, "include", "in directories, fix the files matching this glob (repeatable; ** matches directories)")
	globsVar(f, &opts.Exclude, "exclude", "in directories, skip the files matching this glob (repeatable)")
	boolFlag(f, &opts.AllowPrivateURLs, "allow-private-urls", "", "download URLs on loopback, private and link-local hosts too (the API never does)")
	opts.Timeout = 30 * time.Second
	f.Var((*positiveDuration)(&opts.Timeout), "timeout", "how long one URL's download may take, as the API allows")
	opts.MaxInputSize = check.DefaultMaxInputSize
	f.Var((*positiveSize)(&opts.MaxInputSize), "max-input-size", "most bytes copied or downloaded of one input: standard input, pipes, URL bodies (local files are read in place)")
	boolFlag(f, &opts.ShowSecrets, "show-secrets", "", "show URLs' passwords and signatures in full in the output")
	return c
}

// validate refuses the flag combinations that cannot mean anything. A
// flag set by its variable yields to one set on the command line (the
// flag wins), so that variables set for a whole CI job never make a
// command line wrong: AUDIOPREFLIGHT_IN_PLACE=1 and -O DIR writes to DIR.
func (opts *FixOptions) validate(c *cobra.Command, fromEnv map[string]bool) error {
	set := c.Flags().Changed
	// conflict resolves two flags that exclude each other: the one from
	// the environment is dropped when the other was typed; both typed
	// (or both from variables) is a usage error.
	conflict := func(a, b string, clearA, clearB func()) error {
		if !set(a) || !set(b) {
			return nil
		}
		switch {
		case fromEnv[a] && !fromEnv[b]:
			clearA()
		case fromEnv[b] && !fromEnv[a]:
			clearB()
		default:
			return usageErrorf(c, "fix: --%s and --%s exclude each other: --in-place replaces each input where it is, under its own name", a, b)
		}
		return nil
	}
	noInPlace := func() { opts.InPlace = false }
	if err := conflict("in-place", "output-dir", noInPlace, func() { opts.OutDir = "" }); err != nil {
		return err
	}
	if err := conflict("in-place", "suffix", noInPlace, func() { opts.Suffix = defaultSuffix }); err != nil {
		return err
	}
	switch {
	case opts.NoBackup && !opts.InPlace && !fromEnv["no-backup"]:
		return usageErrorf(c, "fix: --no-backup is for --in-place (nothing else replaces a file)")
	case strings.ContainsAny(opts.Suffix, `/\`):
		return usageErrorf(c, "fix: --suffix %q holds a path separator: -O DIR chooses the directory", opts.Suffix)
	}
	return nil
}

// fixOptions are the engine's options for this run.
func (opts *FixOptions) fixOptions() fix.Options {
	format, _ := encode.ParseFormat(opts.Format)
	return fix.Options{
		Request:     validate.Request{Type: opts.Request, Async: opts.Mode == "async", SyncLimit: opts.SyncLimit},
		Format:      format,
		Force:       opts.Force,
		MaxDuration: opts.MaxDuration,
	}
}

// ffmpegPath is the ffmpeg the run uses: --ffmpeg's, or the one on PATH;
// "" when none.
func (opts *FixOptions) ffmpegPath() (string, error) {
	switch opts.FFmpeg {
	case "none":
		return "", nil
	case "":
		p, err := exec.LookPath("ffmpeg")
		if err != nil {
			return "", nil
		}
		return p, nil
	}
	p, err := exec.LookPath(opts.FFmpeg)
	if err != nil {
		return "", fmt.Errorf("--ffmpeg %s: %v", opts.FFmpeg, err)
	}
	return p, nil
}

func runFix(a *app, opts *FixOptions) error {
	ffmpeg, err := opts.ffmpegPath()
	if err != nil {
		return &usageError{err: err, cmdPath: "audiopreflight fix"}
	}
	policy := redact.Policy{Show: opts.ShowSecrets}
	out := newResultStream(a.out, nil)
	defer out.Flush()
	expanded, err := inputs.Expand(opts.Inputs, inputs.Options{
		Include: opts.Include, Exclude: opts.Exclude, FilesFrom: opts.FilesFrom, Null: opts.Null, Stdin: a.in,
		Warn: warnTo(a.errOut),
	})
	if err != nil {
		return &usageError{err: err, cmdPath: "audiopreflight fix"}
	}
	targets := toTargets(expanded)
	for _, t := range targets {
		if t.Err == nil && (t.Source != report.SourceFile || t.Stream) && opts.OutDir == "" {
			what := "standard input"
			if t.Source == report.SourceURL {
				what = "a URL"
			} else if t.Stream {
				what = "a pipe"
			}
			return &usageError{err: fmt.Errorf("fix: %s has no directory to write the fixed file in: give -O DIR", what), cmdPath: "audiopreflight fix"}
		}
	}
	if opts.OutDir != "" && !opts.DryRun {
		if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
			return fmt.Errorf("-O: %w", err)
		}
	}

	run := report.FixRun{Request: opts.Request, Mode: opts.Mode, SyncLimitBytes: opts.SyncLimit, Format: opts.Format,
		DryRun: opts.DryRun, InPlace: opts.InPlace, Force: opts.Force, MaxDurationSeconds: opts.MaxDuration.Seconds(), FFmpeg: ffmpeg}
	output, err := report.NewFix(opts.Output, out, run, report.Options{Palette: a.palette(a.out, opts.NoColor), Redact: policy})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	client := newRemoteClient(remote.Options{AllowPrivate: opts.AllowPrivateURLs, Timeout: opts.Timeout, MaxSize: opts.MaxInputSize})
	defer client.CloseIdleConnections()
	fx := &fixer{opts: opts, engine: opts.fixOptions(), ffmpeg: ffmpeg, claimed: map[string]string{},
		checker: &check.Checker{Stdin: a.in, Remote: client, MaxInputSize: opts.MaxInputSize}}

	start := time.Now()
	for _, t := range targets {
		if ctx.Err() != nil {
			break
		}
		began := time.Now()
		r := fx.fixOne(ctx, t)
		r.Elapsed = time.Since(began)
		if err := output.Write(r); err != nil {
			return fmt.Errorf("writing results: %w", err)
		}
		if err := out.Flush(); err != nil {
			return fmt.Errorf("writing results: %w", err)
		}
	}
	if err := output.Flush(time.Since(start)); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	if ctx.Err() != nil {
		return errors.New("fix: interrupted (the input being fixed was left as it was, and no partial file kept)")
	}
	if output.Summary().Failed() {
		return &exitError{code: ExitRejected}
	}
	return nil
}

// fixer fixes the inputs of one run.
type fixer struct {
	opts    *FixOptions
	engine  fix.Options
	ffmpeg  string
	checker *check.Checker
	// claimed maps the files this run wrote (or, dry, would write) to
	// their inputs.
	claimed map[string]string
}

// fixOne fixes one input; its result says how, or why not.
func (fx *fixer) fixOne(ctx context.Context, t check.Target) *report.FixResult {
	res := &report.FixResult{Input: t.Name, Source: t.Source}
	fail := func(err error) *report.FixResult {
		res.Status, res.Error = report.FixError, err.Error()
		return res
	}
	audio, err := fx.checker.OpenWhole(ctx, t)
	if err != nil {
		return fail(err)
	}
	defer audio.Close()
	in := fix.Input{Name: t.Name, R: audio, Size: audio.Size()}
	job, err := fix.Prepare(in, fx.engine)
	if err != nil {
		return fail(err)
	}
	res.Before = fx.result(t.Name, t.Source, job.Checked)
	switch {
	case job.Accepted():
		res.Status = report.FixAccepted
		return res
	case !job.Fixable():
		res.Status, res.Reason = report.FixNotFixed, job.Why
		return res
	}
	res.Notes = job.Notes
	dest, err := fx.destination(t, job.Ext)
	if err != nil {
		res.Status, res.Reason = report.FixNotFixed, err.Error()
		return res
	}
	res.Output = dest.path
	if job.Method == fix.MethodExternal {
		res.Method = report.FixMethodFFmpeg
		res.Steps = ffmpegSteps(job.Why, fx.ffmpeg, job.Format, job.Cut)
		if fx.ffmpeg == "" {
			res.Status, res.Output, res.Steps = report.FixNotFixed, "", nil
			res.Reason = job.Why + "; ffmpeg would convert it, and it is not on PATH"
			if fx.opts.FFmpeg == "none" {
				res.Reason = job.Why + "; ffmpeg would convert it (--ffmpeg none)"
			}
			res.Command = ffmpegCommand(t, dest.path, job.Format, job.Cut)
			return res
		}
	} else {
		res.Method, res.Lossless, res.Steps = string(job.Method), job.Method.Lossless(), job.Steps
	}
	if fx.opts.DryRun {
		fx.claimed[dest.path] = t.Name
		res.Status, res.Backup = report.FixPlanned, dest.backup
		return res
	}

	temp, err := os.CreateTemp(dest.dir, "."+filepath.Base(dest.path)+".*.tmp")
	if err != nil {
		res.Status, res.Output, res.Reason = report.FixNotFixed, "", "cannot write the fixed file: "+plainPathErr(err)
		return res
	}
	keep := false
	defer func() {
		if !keep {
			temp.Close()
			os.Remove(temp.Name())
		}
	}()
	notFixed := func(reason string) *report.FixResult {
		res.Status, res.Output, res.Reason = report.FixNotFixed, "", reason
		return res
	}
	after, reason := fx.write(ctx, t, audio, job, temp, &dest, res)
	if reason == "" && !after.Decision.Accepted() && fx.engine.Format == encode.Auto && strings.HasSuffix(dest.path, ".wav") &&
		after.Decision.Verdict().Step == validate.StepOpen {
		// The API's reader refuses this WAV for what its first samples
		// look like (the bytes of another format's signature): the same
		// audio as FLAC.
		why := after.Decision.Verdict().Detail
		again := fx.engine
		again.Format = encode.FLAC
		if job.Method == fix.MethodExternal {
			job.Format = encode.FLAC
		} else if job, err = fix.Prepare(in, again); err != nil {
			return notFixed(err.Error())
		}
		if dest, err = fx.destination(t, job.Ext); err != nil {
			return notFixed(err.Error())
		}
		res.Output = dest.path
		res.Notes = append(res.Notes, "written as FLAC: the API's reader refuses this audio as WAV ("+why+")")
		if err := truncate(temp); err != nil {
			return notFixed("writing the fixed file failed: " + plainPathErr(err))
		}
		after, reason = fx.write(ctx, t, audio, job, temp, &dest, res)
	}
	if reason != "" {
		return notFixed(reason)
	}
	if !after.Decision.Accepted() {
		v := after.Decision.Verdict()
		return notFixed(fmt.Sprintf("check would still reject the fixed file (%s: %s), so it was not kept", v.Exception.Name, v.Detail))
	}
	if err := temp.Close(); err != nil {
		return notFixed("writing the fixed file failed: " + plainPathErr(err))
	}
	if err := dest.place(temp.Name()); err != nil {
		return notFixed(err.Error())
	}
	keep = true
	fx.claimed[dest.path] = t.Name
	res.Status, res.Backup = report.FixFixed, dest.backup
	return res
}

// write writes the job's output into temp — here, or with ffmpeg when the
// tool does not decode the input or its decoder stops in damaged audio —
// and checks it, as check would, under its final name: the closed loop.
// It records the steps in res; reason says why nothing usable was written.
func (fx *fixer) write(ctx context.Context, t check.Target, audio check.Audio, job *fix.Job, temp *os.File, dest *destination, res *report.FixResult) (after *fix.Checked, reason string) {
	if job.Method == fix.MethodExternal {
		if err := fx.external(ctx, t, audio, job, job.Why, temp, dest, res); err != nil {
			return nil, err.Error()
		}
	} else {
		o, err := job.Write(ctxWriter{ctx: ctx, f: temp})
		var tooBig *fix.TooBigError
		switch {
		case err == nil:
			res.Steps = o.Steps
		case errors.As(err, &tooBig):
			return nil, tooBig.Error()
		case errors.Is(err, fix.ErrNoAudio) && !job.Damaged:
			return nil, "the input holds no audio: it decodes to no samples"
		case ctx.Err() != nil:
			return nil, "interrupted"
		case job.Method != fix.MethodDecode:
			return nil, "writing the fixed file failed: " + err.Error()
		case fx.ffmpeg == "":
			// Damage the tool's decoder stops at, which ffmpeg may
			// decode past.
			res.Command = ffmpegCommand(t, dest.path, job.Format, job.Cut)
			if errors.Is(err, fix.ErrNoAudio) {
				return nil, "the tool's decoder finds no audio in the damaged input; ffmpeg may find some"
			}
			return nil, "the tool's decoder stops: " + err.Error() + "; ffmpeg may decode past it"
		default:
			if err := truncate(temp); err != nil {
				return nil, "writing the fixed file failed: " + plainPathErr(err)
			}
			why := "the tool's decoder stops: " + err.Error()
			if errors.Is(err, fix.ErrNoAudio) {
				why = "the tool's decoder finds no audio in the damaged input"
			}
			if err := fx.external(ctx, t, audio, job, why, temp, dest, res); err != nil {
				return nil, err.Error()
			}
		}
	}
	if dest.replaces != "" {
		// It is about to take an existing file's place: on disk first.
		if err := temp.Sync(); err != nil {
			return nil, "writing the fixed file failed: " + plainPathErr(err)
		}
	}
	after, err := fix.Check(fx.engine.Request, dest.path, temp, fileSize(temp))
	if err != nil {
		return nil, "the fixed file could not be checked: " + err.Error()
	}
	res.After = fx.result(dest.path, report.SourceFile, after)
	if res.Method == report.FixMethodFFmpeg && after.Evidence.Info != nil && after.Evidence.Info.Opens &&
		after.Evidence.Read != nil && after.Evidence.Read.FramesRead == 0 {
		res.After = nil
		return nil, "ffmpeg finds no audio in it either"
	}
	return after, ""
}

// external has ffmpeg write the output into temp, for why (what the tool
// does not decode), and records it in res; a FLAC written where a WAV was
// over the sync limit renames dest.
func (fx *fixer) external(ctx context.Context, t check.Target, audio check.Audio, job *fix.Job, why string, temp *os.File, dest *destination, res *report.FixResult) error {
	res.Method, res.Lossless = report.FixMethodFFmpeg, false
	format, err := fx.convertWithFFmpeg(ctx, t, audio, job, temp)
	if err != nil {
		return err
	}
	res.Steps = ffmpegSteps(why, fx.ffmpeg, format, job.Cut)
	if format != job.Format {
		d, err := fx.destination(t, format.Ext())
		if err != nil {
			return err
		}
		*dest = d
		res.Output = d.path
	}
	return nil
}

// truncate empties a file for a second attempt.
func truncate(f *os.File) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return f.Truncate(0)
}

// result is check's result for audio checked by the engine.
func (fx *fixer) result(name, source string, c *fix.Checked) *report.Result {
	return report.NewResult(name, source, c.Decision, c.Info(), validate.Hint(fx.engine.Request, c.Evidence, c.Decision))
}

// destination is where one fixed file goes.
type destination struct {
	dir  string // where the temporary file is made: the new file's directory
	path string // the new file
	// in place: the input the new file replaces, and where the original
	// is kept ("" with --no-backup)
	replaces string
	backup   string
}

// destination works out where the fixed file of t goes, with the
// extension ext, and refuses a place that is taken.
func (fx *fixer) destination(t check.Target, ext string) (destination, error) {
	name := inputBaseName(t)
	inExt := filepath.Ext(name)
	outExt := fix.OutputExt(name, ext)
	if !fx.opts.InPlace {
		dir := fx.opts.OutDir
		if dir == "" {
			dir = filepath.Dir(t.Name)
		}
		d := destination{dir: dir, path: filepath.Join(dir, fix.OutputBase(name, ext, fx.opts.Suffix))}
		if other, ok := fx.claimed[d.path]; ok {
			return d, fmt.Errorf("%s is the fixed file of %s, an earlier input of this run: fix never overwrites a file (-O or --suffix tells them apart)", d.path, other)
		}
		if exists(d.path) {
			return d, fmt.Errorf("%s exists, and fix never overwrites a file: remove it, or choose another -O or --suffix", d.path)
		}
		return d, nil
	}
	real, err := filepath.EvalSymlinks(t.Name)
	if err != nil {
		return destination{}, errors.New("cannot resolve the input's path: " + plainPathErr(err))
	}
	d := destination{dir: filepath.Dir(real), replaces: real, path: real}
	if outExt != inExt {
		d.path = strings.TrimSuffix(real, filepath.Ext(real)) + outExt
		if exists(d.path) {
			return d, fmt.Errorf("the fixed file is %s, not %s, and %s exists: fix never overwrites a file", outExt, inExt, d.path)
		}
	}
	if !fx.opts.NoBackup {
		d.backup = real + ".orig"
		if exists(d.backup) {
			return d, fmt.Errorf("%s exists: fix keeps one backup and never overwrites it (remove it, or use --no-backup)", d.backup)
		}
	}
	return d, nil
}

// place puts the finished temporary file where it belongs, overwriting
// nothing but, in place, the input: a new file is linked to its name
// (which fails if the name was taken since it was checked); in place, the
// original is first linked to its backup name, then the new file renamed
// over it (one atomic step: the input's name never lacks a complete file).
func (d destination) place(temp string) error {
	mode := os.FileMode(0o644)
	if d.replaces != "" {
		if st, err := os.Stat(d.replaces); err == nil {
			mode = st.Mode().Perm()
		}
	}
	if err := os.Chmod(temp, mode); err != nil {
		return errors.New("cannot set the fixed file's permissions: " + plainPathErr(err))
	}
	if d.replaces == "" {
		return moveNew(temp, d.path)
	}
	if d.backup != "" {
		if err := linkNew(d.replaces, d.backup); err != nil {
			return fmt.Errorf("cannot keep the original: %w", err)
		}
	}
	if d.path == d.replaces {
		if err := os.Rename(temp, d.path); err != nil {
			return errors.New("cannot replace the input: " + plainPathErr(err))
		}
		return nil
	}
	if err := moveNew(temp, d.path); err != nil {
		return err
	}
	if err := os.Remove(d.replaces); err != nil && !errors.Is(err, os.ErrNotExist) {
		return errors.New("the fixed file is written, but the input could not be removed: " + plainPathErr(err))
	}
	return nil
}

// moveNew gives the file at from the name to, which must not exist.
func moveNew(from, to string) error {
	if err := linkNew(from, to); err != nil {
		return err
	}
	os.Remove(from) // gone already when linkNew had to rename
	return nil
}

// linkNew gives the file at from the further name to, failing if to
// exists: a hard link where the file system has them (atomic, never
// overwriting); where it does not, a rename after a check (from is gone
// then).
func linkNew(from, to string) error {
	err := os.Link(from, to)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, os.ErrExist):
		return fmt.Errorf("%s exists (it appeared during the run), and fix never overwrites a file", to)
	}
	if exists(to) {
		return fmt.Errorf("%s exists, and fix never overwrites a file", to)
	}
	if err := os.Rename(from, to); err != nil {
		return errors.New("cannot write the fixed file: " + plainPathErr(err))
	}
	return nil
}

func exists(name string) bool {
	_, err := os.Lstat(name)
	return err == nil
}

func fileSize(f *os.File) int64 {
	st, err := f.Stat()
	if err != nil {
		return 0
	}
	return st.Size()
}

// plainPathErr is a file system error without the operation's words when
// it names the path already.
func plainPathErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.New + ": " + le.Err.Error()
	}
	return err.Error()
}

// inputBaseName is the file name a fixed file is named after: a file's
// own, "stdin" for standard input, a URL's last path segment ("audio"
// when it has none).
func inputBaseName(t check.Target) string {
	switch t.Source {
	case report.SourceStdin:
		return "stdin"
	case report.SourceURL:
		name := "audio"
		if u, err := url.Parse(t.Name); err == nil {
			if b := path.Base(u.Path); b != "." && b != "/" && b != "" {
				name = unsafeNameChars.Get().ReplaceAllString(b, "_")
			}
		}
		return name
	}
	return filepath.Base(t.Name)
}

var unsafeNameChars = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9._-]`) }}

// ctxWriter writes to a file until the run is interrupted: an interrupt
// ends a conversion at its next write.
type ctxWriter struct {
	ctx context.Context
	f   *os.File
}

func (w ctxWriter) Write(p []byte) (int, error) {
	if err := w.ctx.Err(); err != nil {
		return 0, err
	}
	return w.f.Write(p)
}

func (w ctxWriter) Seek(off int64, whence int) (int64, error) { return w.f.Seek(off, whence) }
