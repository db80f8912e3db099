package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/audiopreflight/audiopreflight/internal/bytesize"
	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/config"
	"github.com/audiopreflight/audiopreflight/internal/ignore"
	"github.com/audiopreflight/audiopreflight/internal/inputs"
	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/internal/resume"
	runloop "github.com/audiopreflight/audiopreflight/internal/run"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
	"github.com/audiopreflight/audiopreflight/validate"
)

// CheckOptions are the flags of `audiopreflight check`.
type CheckOptions struct {
	Request    string
	Mode       string
	SyncLimit  int64
	Base64     bool
	HeaderOnly bool
	Output     []string
	Jobs       int
	FilesFrom  string
	Null       bool
	Quiet      bool
	NoColor    bool
	Strict     bool
	Include    []string
	Exclude    []string

	AllowPrivateURLs bool
	Timeout          time.Duration
	MaxConnsPerHost  int
	MaxInputSize     int64

	CheckAuth     bool
	Authorization string
	Token         string
	ShowSecrets   bool

	ScaleOptions
	ConfigFile    ConfigFileOptions
	Baseline      string
	WriteBaseline string

	Inputs []string
	// config is the config file read, if any.
	config *config.Config
}

func newCheckCmd(a *app) *cobra.Command {
	c, _ := checkCommand(a)
	return c
}

// checkCommand is the check command and the options its flags fill.
func checkCommand(a *app) (*cobra.Command, *CheckOptions) {
	opts := &CheckOptions{}
	c := &cobra.Command{
		Use:   "check [flags] INPUT...",
		Short: "Say which exception the API would answer for each input, or that it would accept it",
		Long: `Check audio the way the speech-assessment API reads it, and say for each input
which exception the API would answer with — or that it would accept it.

INPUT is a file, a directory (walked recursively, in lexical order), a glob
(quoted: 'recordings/**/*.wav' — expanded by audiopreflight itself), an
http(s) URL as you would send it in audio_path (downloaded the way the API
downloads it, reading only what the verdict needs), or - for standard input. Directories yield the files with an audio extension:
` + strings.Join(probe.AudioExtensions(), " ") + `
(change that with --include and --exclude); files named explicitly are always
checked, whatever their extension.

By default every step of the API's decision order is decided, reading the
whole audio where a step needs it (decoding errors, zero frames).
--header-only reads the headers only and says which steps it left undecided.

Each result has a status: accepted, rejected, undecided (--header-only found
nothing, but left steps that need the whole audio), ignored (a rejection the
team accepts) or error (unreadable).

Exit status:
  0  no input would be rejected (accepted, undecided, or ignored: a rejection
     the config file or the baseline accepts)
  1  at least one input would be rejected (with --strict: or is undecided,
     or has a warning)
  2  usage error, or an input could not be checked (unreadable)

Every flag can also be set with the environment variable AUDIOPREFLIGHT_<FLAG>
(for example AUDIOPREFLIGHT_SYNC_LIMIT=5MB); the flag wins. A variable applies
to a command only where that command's flag takes its value, so one set for a
whole CI job never breaks another command; a value no command takes is an
error that names the variable.

The config file, .audiopreflight.yaml, looked for from the working directory up
to the repository's root, sets what neither a flag nor a variable sets, names
the paths to check when none is given and the rejections the team accepts
(ignore); --baseline lets the rejections of an earlier report pass. See
audiopreflight config --help.`,
		Example: `  audiopreflight check recording.wav
  audiopreflight check --request scripted take1.mp3 take2.m4a
  audiopreflight check -o github 'uploads/**/*.wav'
  audiopreflight check -o github -o junit=preflight.xml -o json=report.json uploads/
  audiopreflight check --header-only -j 8 corpus/
  find . -name '*.flac' -print0 | audiopreflight check --files-from - -0
  audiopreflight check --base64 audio_data.txt`,
		RunE: func(c *cobra.Command, args []string) error {
			cfg, err := opts.ConfigFile.load(c)
			if err != nil {
				return err
			}
			if cfg != nil {
				if err := applyConfig(c, cfg, a.sources); err != nil {
					return err
				}
			}
			opts.config = cfg
			opts.Inputs = args
			if len(args) == 0 && opts.FilesFrom == "" && cfg != nil && len(cfg.Paths) > 0 {
				opts.Inputs = configPaths(cfg)
			}
			if len(opts.Inputs) == 0 && opts.FilesFrom == "" {
				return usageErrorf(c, "check: give at least one INPUT (a file, a directory, a glob, or - for standard input), or --files-from, or paths in the config file")
			}
			if err := opts.ScaleOptions.Validate(); err != nil {
				return usageErrorf(c, "check: %v", err)
			}
			opts.NoColor = a.global.NoColor
			return runCheck(a, opts)
		},
	}
	f := c.Flags()
	enumFlag(c, &opts.Request, "request", "", "unscripted", "the request type", "unscripted", "scripted")
	enumFlag(c, &opts.Mode, "mode", "", "sync", "unscripted request mode (sync has a size limit)", "sync", "async")
	opts.SyncLimit = validate.DefaultSyncLimit
	f.Var((*bytesize.Size)(&opts.SyncLimit), "sync-limit", "largest audio sync mode takes (10MiB, 5MB, 4800000)")
	boolFlag(f, &opts.Base64, "base64", "", "each input holds the base64 text of an audio_data field")
	boolFlag(f, &opts.HeaderOnly, "header-only", "", "read headers only; leave the steps that need the whole audio undecided")
	f.VarP(newOutputs(&opts.Output), "output", "o", "output FORMAT, or FORMAT=PATH to write a file; repeatable, at most one to standard output: "+strings.Join(report.Formats, "|"))
	_ = c.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(report.Formats, cobra.ShellCompDirectiveNoFileComp))
	f.VarP((*jobsValue)(&opts.Jobs), "jobs", "j", "inputs checked at once, 0 for one per CPU (results are printed in input order)")
	f.StringVar(&opts.FilesFrom, "files-from", "", "read input names from FILE, or - for standard input, one a line")
	boolFlag(f, &opts.Null, "null", "0", "names in --files-from are separated by NUL, not newline (find -print0)")
	boolFlag(f, &opts.Quiet, "quiet", "q", "print only the inputs that fail the run (rejected, unreadable; with --strict also undecided and warned), and the summary")
	boolFlag(f, &opts.Strict, "strict", "", "anything short of a fully decided, warning-free accept fails the input (exit 1)")
	globsVar(f, &opts.Include, "include", "in directories, check the files matching this glob (repeatable; ** matches directories)")
	globsVar(f, &opts.Exclude, "exclude", "in directories, skip the files matching this glob (repeatable)")
	boolFlag(f, &opts.AllowPrivateURLs, "allow-private-urls", "", "download URLs on loopback, private and link-local hosts too (the API never does)")
	opts.Timeout = 30 * time.Second
	f.Var((*positiveDuration)(&opts.Timeout), "timeout", "how long one URL's download may take, as the API allows")
	opts.MaxConnsPerHost = remote.DefaultMaxConnsPerHost
	f.Var((*positiveInt)(&opts.MaxConnsPerHost), "max-conns-per-host", "connections open to one audio host at once, whatever --jobs")
	opts.MaxInputSize = check.DefaultMaxInputSize
	f.Var((*positiveSize)(&opts.MaxInputSize), "max-input-size", "most bytes copied or downloaded of one input: standard input, pipes, decoded base64, URL bodies (local files are read in place)")
	boolFlag(f, &opts.CheckAuth, "check-auth", "", "also check the Authorization header the request would send (--authorization or --token)")
	f.StringVar(&opts.Authorization, "authorization", "", "the Authorization header value, \"<scheme> <token>\" (prefer AUDIOPREFLIGHT_AUTHORIZATION: flags show in ps)")
	f.StringVar(&opts.Token, "token", "", "the token, sent as \"Bearer <token>\" (prefer AUDIOPREFLIGHT_TOKEN)")
	boolFlag(f, &opts.ShowSecrets, "show-secrets", "", "show tokens and URLs' passwords and signatures in full (they are redacted to their first 4 characters otherwise)")
	addScaleFlags(f, &opts.ScaleOptions)
	configFileFlags(c, &opts.ConfigFile)
	f.StringVar(&opts.Baseline, "baseline", "", "an earlier JSON or JSONL report of check: the rejections it holds (input and exception) pass, new ones fail")
	f.StringVar(&opts.WriteBaseline, "write-baseline", "", "write this run's rejections to FILE, a baseline for --baseline")
	return c, opts
}

// authHeader is the Authorization header the run would send: --authorization
// as given, else --token as "Bearer <token>" (flags before their
// AUDIOPREFLIGHT_ variables, which fill the flags left unset).
func (opts *CheckOptions) authHeader() validate.AuthHeader {
	h := validate.AuthHeader{Value: opts.Authorization, ShowSecrets: opts.ShowSecrets}
	if h.Value == "" && opts.Token != "" {
		h.Value = "Bearer " + opts.Token
	}
	return h
}

// redaction is what every output of the run does to secrets: redact the
// tokens given and the credentials URLs carry, unless --show-secrets.
func (opts *CheckOptions) redaction() redact.Policy {
	return redact.Policy{Show: opts.ShowSecrets, Secrets: redact.NewSecrets(opts.Authorization, opts.Token)}
}

func runCheck(a *app, opts *CheckOptions) error {
	defer relaxGC(a.getenv)()
	palette := a.palette(a.out, opts.NoColor)
	policy := opts.redaction()
	var secrets *redact.Secrets
	if !opts.ShowSecrets {
		secrets = policy.Secrets
	}
	// Results go out through a buffer that the run flushes now and then
	// (package run): one write per burst, not per input, and still live on
	// a terminal or in a pipe.
	out := newResultStream(a.out, secrets)
	defer out.Flush()
	errOut := scrubbingErrors(a.errOut, secrets)
	ctx := context.Background()
	spec, err := opts.shardSpec(a.getenv)
	if err != nil {
		return &usageError{err: err, cmdPath: "audiopreflight check"}
	}
	inOpts := inputs.Options{Include: opts.Include, Exclude: opts.Exclude, FilesFrom: opts.FilesFrom, Null: opts.Null, Stdin: a.in,
		Warn: warnTo(errOut)}
	var objects *objectSource
	if opts.ReadObjects {
		objects = newObjectSource(ctx, &opts.ScaleOptions)
		if needsStore(opts.Inputs, opts.FilesFrom) {
			if _, err := objects.Store(); err != nil {
				return &usageError{err: err, cmdPath: "audiopreflight check"}
			}
		}
		inOpts.Objects = objects
	}
	// The inputs are found as the run takes them: a walk or a list of
	// any length costs the run's window of memory, not one entry per
	// input.
	expanded, err := inputs.Seq(opts.Inputs, inOpts)
	if err != nil {
		return &usageError{err: err, cmdPath: "audiopreflight check"}
	}
	targets := targetSeq(expanded)
	if spec.Enabled() {
		targets = keepTargets(targets, func(t check.Target) bool { return spec.Keeps(t.Name) })
	}
	var resumed *resume.Report
	if opts.Resume != "" {
		if resumed, targets, err = openResume(opts.Resume, spec, targets); err != nil {
			return &usageError{err: err, cmdPath: "audiopreflight check"}
		}
		defer resumed.Close()
	}

	req := validate.Request{Type: opts.Request, Async: opts.Mode == "async", SyncLimit: opts.SyncLimit, HeaderOnly: opts.HeaderOnly}
	run := report.Run{Request: opts.Request, Mode: opts.Mode, SyncLimitBytes: opts.SyncLimit, HeaderOnly: opts.HeaderOnly,
		Base64: opts.Base64, Strict: opts.Strict, CheckAuth: opts.CheckAuth}
	if opts.CheckAuth {
		req.Auth = validate.CheckAuth(opts.Request, opts.authHeader())
		run.Auth = report.NewAuthCheck(req.Auth, validate.Hint(req, validate.Evidence{}, validate.Decision{Findings: req.Auth}))
	}
	client := lazyRemoteClient(opts.remoteOptions(req))
	defer client.CloseIdleConnections()
	checker := &check.Checker{Request: req, Base64: opts.Base64, Stdin: a.in, Remote: client, MaxInputSize: opts.MaxInputSize}
	if objects != nil {
		checker.Objects = objects
	}
	output, closeOutputs, err := a.openOutputs(opts, out, report.Options{Run: run, Quiet: opts.Quiet, Palette: palette, Redact: policy}, secrets)
	if err != nil {
		return err
	}
	defer closeOutputs()
	emit := output.Write
	if resumed != nil {
		// The report file gets every new result as a JSONL line, one
		// write each, whatever -o prints.
		appended, err := report.New("jsonl", scrubbingErrors(resumed, secrets), report.Options{Run: run, Redact: policy})
		if err != nil {
			return err
		}
		emit = func(r *report.Result) error {
			if err := appended.Write(r); err != nil {
				return fmt.Errorf("appending to %s: %w", opts.Resume, err)
			}
			return output.Write(r)
		}
	}

	rules, written, err := opts.acceptance(policy)
	if err != nil {
		return err
	}
	write := emit
	if !rules.Empty() || written != nil {
		write = func(r *report.Result) error {
			rules.Apply(r)
			if written != nil {
				written.Add(r)
			}
			return emit(r)
		}
	}

	start := time.Now()
	progress := &check.Progress{}
	line := startProgress(errOut, progress)
	err = checker.Run(ctx, targets, check.RunOptions{Jobs: opts.Jobs, RemoteJobs: max(opts.Jobs, opts.RemoteJobs), Progress: progress, Flush: out.Flush}, write)
	line.Stop()
	var emitErr *runloop.EmitError
	if errors.As(err, &emitErr) {
		return fmt.Errorf("writing results: %w", emitErr.Err)
	}
	// A problem with the list of inputs found part way through it ends
	// the inputs there: the outputs still end, as valid documents
	// holding the results before it, and the problem is the run's error.
	listErr := err
	if err := output.Flush(time.Since(start)); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	if err := closeOutputs(); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	if listErr != nil {
		return &usageError{err: listErr, cmdPath: "audiopreflight check"}
	}
	for _, w := range rules.Unused() {
		fmt.Fprintf(errOut, "audiopreflight: warning: %s\n", w)
	}
	if written != nil {
		if err := written.WriteFile(opts.WriteBaseline); err != nil {
			return err
		}
	}
	switch summary := output.Summary(); {
	case opts.ExitZero:
		// Every input has its result in the output: for a batch engine,
		// the work is done (a non-zero status would have it retried).
	case summary.Errors > 0:
		return &exitError{code: ExitError}
	case summary.Fails(opts.Strict):
		return &exitError{code: ExitRejected}
	}
	return nil
}

// acceptance is what the run lets pass — the config file's ignore entries
// and the --baseline — and, with --write-baseline, the writer of this
// run's rejections.
func (opts *CheckOptions) acceptance(policy redact.Policy) (*ignore.Rules, *ignore.Writer, error) {
	var baseline *ignore.Baseline
	if opts.Baseline != "" {
		b, err := ignore.ReadBaseline(opts.Baseline)
		if err != nil {
			return nil, nil, err
		}
		baseline = b
	}
	var written *ignore.Writer
	if opts.WriteBaseline != "" {
		written = &ignore.Writer{Redact: policy}
	}
	return ignore.New(opts.config, baseline), written, nil
}

// remoteOptions are the URL client's options for a run of req: a header
// check reads no more than its verdict needs (base64 text is read whole),
// counting a lengthless body to the sync limit + 1 where that decides
// AudioTooBigForSync; a full check inflates no more than --max-input-size.
func (opts *CheckOptions) remoteOptions(req validate.Request) remote.Options {
	o := remote.Options{AllowPrivate: opts.AllowPrivateURLs, Timeout: opts.Timeout, MaxConnsPerHost: opts.MaxConnsPerHost, MaxSize: opts.MaxInputSize}
	if req.HeaderOnly && !opts.Base64 {
		o.HeaderOnly, o.MaxSize = true, 0
		if req.Type == validate.Unscripted && !req.Async {
			o.CountTo = req.SyncLimit + 1
		}
	}
	return o
}

// positiveInt is a count that must be 1 or more (--max-conns-per-host).
type positiveInt int

func (n *positiveInt) Set(s string) error {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v < 1 {
		return errors.New("must be a whole number, 1 or more")
	}
	*n = positiveInt(v)
	return nil
}

func (n *positiveInt) String() string { return strconv.Itoa(int(*n)) }
func (n *positiveInt) Type() string   { return "int" }

// positiveSize is a byte size that must be more than zero
// (--max-input-size).
type positiveSize int64

func (z *positiveSize) Set(s string) error {
	v, err := bytesize.Parse(s)
	if err != nil {
		return err
	}
	if v < 1 {
		return errors.New("must be more than 0 (a size such as 4GiB or 500MB)")
	}
	*z = positiveSize(v)
	return nil
}

func (z *positiveSize) String() string { return bytesize.Exact(int64(*z)) }
func (z *positiveSize) Type() string   { return "size" }

// warnTo prints the warnings of the input expansion (a pattern that
// matched nothing) to w.
func warnTo(w io.Writer) func(string) {
	return func(msg string) { fmt.Fprintf(w, "audiopreflight: warning: %s\n", msg) }
}

func toTargets(in []inputs.Input) []check.Target {
	out := make([]check.Target, len(in))
	for i, x := range in {
		out[i] = toTarget(x)
	}
	return out
}

// targetSeq turns the inputs into the checker's targets, as they come.
func targetSeq(in iter.Seq2[inputs.Input, error]) iter.Seq2[check.Target, error] {
	return func(yield func(check.Target, error) bool) {
		for x, err := range in {
			if err != nil {
				yield(check.Target{}, err)
				return
			}
			if !yield(toTarget(x), nil) {
				return
			}
		}
	}
}

func toTarget(x inputs.Input) check.Target {
	source := report.SourceFile
	switch x.Kind {
	case inputs.Stdin:
		source = report.SourceStdin
	case inputs.URL:
		source = report.SourceURL
	case inputs.Object:
		source = report.SourceObject
	}
	return check.Target{Name: x.Name, Source: source, Stream: x.Kind == inputs.Stream, Err: x.Err}
}
