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
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/audiopreflight/audiopreflight/internal/config"
	"github.com/audiopreflight/audiopreflight/internal/editdistance"
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

// app is what every command shares: the streams and the environment,
// injected so that commands run in-process in tests.
type app struct {
	in     io.Reader
	out    io.Writer
	errOut io.Writer
	getenv func(string) string
	// args is the command line, for the secrets it carries (see secrets).
	args   []string
	global globalOptions
	// fromEnvironment names the flags that took their value from an
	// AUDIOPREFLIGHT_ variable (see bindEnvironment).
	fromEnvironment map[string]bool
	// sources says where each flag of the running command got its value
	// other than by default: "flag --x", "environment AUDIOPREFLIGHT_X",
	// or the config file's file:line:column (config show prints them).
	sources map[string]string
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
	a.args = args
	secrets := a.secrets()
	defer func() {
		if v := recover(); v != nil {
			// The panic's value may quote an input or a token: it is an
			// error line like any other; the stack holds neither.
			fmt.Fprintf(a.errOut, "audiopreflight: internal error (please report it): %s\n%s",
				errorText(redact.Pairs(fmt.Sprint(v)), secrets), secrets.Scrub(string(debug.Stack())))
			code = ExitError
		}
	}()
	root := commandTree(a, args)
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
	// A config file's mistakes are listed each on its line.
	var cfgErrs config.Errors
	if errors.As(err, &cfgErrs) {
		for _, e := range cfgErrs {
			fmt.Fprintf(stderr, "audiopreflight: %s\n", show(e.Error()))
		}
		return ExitError
	}
	fmt.Fprintf(stderr, "audiopreflight: %s\n", show(err.Error()))
	return ExitError
}

// commands are the commands under the root, in the order they are added.
var commands = []struct {
	name string
	new  func(*app) *cobra.Command
}{
	{"check", newCheckCmd},
	{"fix", newFixCmd},
	{"probe", newProbeCmd},
	{"errors", newErrorsCmd},
	{"explain", newExplainCmd},
	{"version", newVersionCmd},
	{"completion", newCompletionCmd},
	{"config", newConfigCmd},
}

// newRootCmd is the whole command tree.
func newRootCmd(a *app) *cobra.Command { return wholeTree(newRoot(a), a) }

// wholeTree adds every command to root, and the version --version prints.
func wholeTree(root *cobra.Command, a *app) *cobra.Command {
	v := version.Get()
	root.Version = v.Version
	root.SetVersionTemplate(versionText(v))
	for _, c := range commands {
		root.AddCommand(c.new(a))
	}
	return root
}

// commandTree is the command tree a run of args needs. A run of a command
// gets the root and that command alone: every command's flags are made
// for each run, and a check, run once per batch of files, need not pay for
// the others' (config show alone copies every flag of check). The root
// itself (its help, --version, an unknown command), help and completion
// read the whole tree, and get it. The command is the one cobra finds
// for args among stand-ins of the same names under the same root flags,
// so it is the one cobra then runs.
func commandTree(a *app, args []string) *cobra.Command {
	root := newRoot(a)
	stand := make([]*cobra.Command, len(commands))
	for i, c := range commands {
		stand[i] = &cobra.Command{Use: c.name}
	}
	root.AddCommand(stand...)
	found, _, err := root.Find(args)
	root.RemoveCommand(stand...)
	if i := slices.Index(stand, found); err == nil && i >= 0 && commands[i].name != "completion" {
		root.AddCommand(commands[i].new(a))
		return root
	}
	return wholeTree(root, a)
}

// newRoot is the root command without the commands under it.
func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "audiopreflight",
		Short: "Say which exception the speech-assessment API would answer for your audio, before you send it",
		Long: `audiopreflight looks at audio before it is sent to the speech-assessment API and
says exactly which exception the API would answer with — or that it would accept it.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf(c, "unknown command %q%s", args[0], didYouMean(args[0], commandNames(c), ""))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			return c.Help()
		},
		PersistentPreRunE: func(c *cobra.Command, args []string) error {
			a.recordCommandLine(c)
			if err := bindEnvironment(c, a); err != nil {
				return err
			}
			a.recordEnvironment(c)
			return refuseStandInOutput(c)
		},
	}
	root.SetIn(a.in)
	root.SetOut(a.out)
	root.SetErr(a.errOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{err: flagError(c, err, a.secrets()), cmdPath: c.CommandPath()}
	})
	globalFlags(root, a)
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetHelpCommand(newHelpCmd())
	return root
}

// globalOptions are the flags every command takes, before or after its name.
type globalOptions struct {
	NoColor bool
	// Output stands in for -o on the command line before a command name is
	// known; each command that has output formats has its own -o, which
	// takes the value.
	Output string
}

// globalFlags adds the flags that work before and after the command name
// alike (audiopreflight --no-color check …, audiopreflight check --no-color …).
// Cobra finds the command name only past flags it knows, so -o is known to
// the root too, hidden; the command's own -o parses the value.
func globalFlags(root *cobra.Command, a *app) {
	pf := root.PersistentFlags()
	boolFlag(pf, &a.global.NoColor, "no-color", "", "do not colour the output (also NO_COLOR)")
	pf.StringVarP(&a.global.Output, "output", "o", "", "output format (each command lists its own)")
	_ = pf.MarkHidden("output")
	withoutEnvironment(pf, "output")
}

// refuseStandInOutput refuses -o for a command without output formats
// (completion, help): the root's stand-in took the value because the
// command has no -o of its own.
func refuseStandInOutput(c *cobra.Command) error {
	f := c.Flags().Lookup("output")
	if f == nil || !f.Changed || f != c.Root().PersistentFlags().Lookup("output") {
		return nil
	}
	return usageErrorf(c, "%s has no output formats: -o is for check, fix, probe, errors, explain and version", c.Name())
}

// commandNames are the names a user can type after audiopreflight.
func commandNames(root *cobra.Command) []string {
	var names []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() || c.Name() == "help" {
			names = append(names, c.Name())
			names = append(names, c.Aliases...)
		}
	}
	return names
}

// didYouMean is " (did you mean X?)" for the candidates closest to a
// mistyped word — the fewest edits away, at most one edit for every three
// letters (and at least one), or starting with it — each written after
// prefix ("--" for flags); "" when none is close.
func didYouMean(word string, candidates []string, prefix string) string {
	w := strings.ToLower(word)
	best := max(1, len([]rune(w))/3) + 1
	var close []string
	for _, c := range candidates {
		d := editdistance.Levenshtein(w, c)
		if len(w) >= 2 && strings.HasPrefix(c, w) {
			d = 0
		}
		switch {
		case d < best:
			best, close = d, []string{prefix + c}
		case d == best:
			close = append(close, prefix+c)
		}
	}
	if len(close) == 0 || best > max(1, len([]rune(w))/3) {
		return ""
	}
	return " (did you mean " + strings.Join(close, " or ") + "?)"
}

// flagError rewrites pflag's parse errors: an invalid value is quoted the
// way shownValue quotes it (a token typed into the wrong flag is not
// echoed), and an unknown flag gets the closest flags the command has.
func flagError(c *cobra.Command, err error, secrets *redact.Secrets) error {
	var invalid *pflag.InvalidValueError
	if errors.As(err, &invalid) {
		f := invalid.GetFlag()
		return fmt.Errorf("invalid --%s %s: %v", f.Name, shownValue(f.Name, invalid.GetValue(), secrets), errors.Unwrap(invalid))
	}
	var unknown *pflag.NotExistError
	if errors.As(err, &unknown) && len(unknown.GetSpecifiedName()) > 1 {
		var names []string
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				names = append(names, f.Name)
			}
		})
		name := unknown.GetSpecifiedName()
		if hint := didYouMean(name, names, "--"); hint != "" {
			return fmt.Errorf("unknown flag --%s%s", name, hint)
		}
	}
	return err
}

// minArgs and noArgs are cobra's argument checks, reported as usage errors.
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
