// Package cmd is audiopreflight's command line: one file per command, each
// with an Options struct that its flags fill and a run function that does
// the work. Exit codes are decided in one place, Execute.
package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/term"
	"github.com/audiopreflight/audiopreflight/internal/version"
)

// Exit statuses (documented in the README and in `check --help`).
const (
	ExitOK       = 0 // every input accepted / every text identified
	ExitRejected = 1 // an input would be rejected / a text was not identified
	ExitError    = 2 // usage error, or an input could not be checked
)

// envPrefix starts the environment variable that stands in for each flag:
// --sync-limit is also AUDIOPREFLIGHT_SYNC_LIMIT.
const envPrefix = "AUDIOPREFLIGHT_"

// app is what every command shares: the streams and the environment,
// injected so that commands run in-process in tests.
type app struct {
	in     io.Reader
	out    io.Writer
	errOut io.Writer
	getenv func(string) string
}

func (a *app) palette(w io.Writer, noColor bool) term.Palette {
	return term.NewPalette(w, noColor, a.getenv)
}

// Execute runs the command line args (without the program name) and
// returns the exit status.
func Execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return execute(args, &app{in: stdin, out: stdout, errOut: stderr, getenv: os.Getenv})
}

func execute(args []string, a *app) (code int) {
	secrets := secretsIn(args, a.getenv)
	defer func() {
		if v := recover(); v != nil {
			// The panic's value may quote an input or a token: it is an
			// error line like any other; the stack holds neither.
			fmt.Fprintf(a.errOut, "audiopreflight: internal error (please report it): %s\n%s",
				errorText(redact.Pairs(fmt.Sprint(v)), secrets), secrets.Scrub(string(debug.Stack())))
			code = ExitError
		}
	}()
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.Execute()
	return exitStatus(err, a.errOut, func(msg string) string { return errorText(msg, secrets) })
}

// exitError ends a command with a status after it has printed its result.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// usageError is a mistake in the command line: it prints a one-line hint
// at the command's help, not the whole help text.
type usageError struct {
	err     error
	cmdPath string
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(c *cobra.Command, format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...), cmdPath: c.CommandPath()}
}

// exitStatus maps err to the exit status and prints it; show is applied to
// every message (errors quote inputs).
func exitStatus(err error, stderr io.Writer, show func(string) string) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "audiopreflight: %s\nRun '%s --help' for usage.\n", show(ue.err.Error()), ue.cmdPath)
		return ExitError
	}
	fmt.Fprintf(stderr, "audiopreflight: %s\n", show(err.Error()))
	return ExitError
}

func newRootCmd(a *app) *cobra.Command {
	v := version.Get()
	root := &cobra.Command{
		Use:   "audiopreflight",
		Short: "Say which exception the speech-assessment API would answer for your audio, before you send it",
		Long: `audiopreflight looks at audio before it is sent to the speech-assessment API and
says exactly which exception the API would answer with — or that it would accept it.`,
		Version:       v.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf(c, "unknown command %q", args[0])
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			return c.Help()
		},
		PersistentPreRunE: func(c *cobra.Command, args []string) error {
			return bindEnvironment(c, a.getenv)
		},
	}
	root.SetIn(a.in)
	root.SetOut(a.out)
	root.SetErr(a.errOut)
	root.SetVersionTemplate(fmt.Sprintf("audiopreflight %s (commit %s, built %s, %s)\n", v.Version, orUnknown(v.Commit), orUnknown(v.Date), v.GoVersion))
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{err: err, cmdPath: c.CommandPath()}
	})
	root.AddCommand(
		newCheckCmd(a),
		newProbeCmd(a),
		newErrorsCmd(a),
		newExplainCmd(a),
		newVersionCmd(a),
	)
	return root
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// envName is the environment variable that stands in for a flag.
func envName(flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// bindEnvironment gives every flag the command line did not set the value
// of its AUDIOPREFLIGHT_<FLAG> variable, so the flag always wins.
func bindEnvironment(c *cobra.Command, getenv func(string) string) error {
	var err error
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || f.Name == "help" || f.Name == "version" {
			return
		}
		val := getenv(envName(f.Name))
		if val == "" {
			return
		}
		if setErr := c.Flags().Set(f.Name, val); setErr != nil {
			err = usageErrorf(c, "invalid %s=%q: %v", envName(f.Name), val, setErr)
		}
	})
	return err
}

// exactArgs and minArgs are cobra's argument checks, reported as usage errors.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErrorf(c, "%s: give at least %d %s", c.Name(), n, what)
		}
		return nil
	}
}

func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf(c, "%s takes no arguments, got %q", c.Name(), args[0])
	}
	return nil
}
