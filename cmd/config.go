package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/audiopreflight/audiopreflight/internal/config"
	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/schema"
)

// The config file sets the check flags that neither the command line nor
// the environment set: flag > environment > config file > default.

// ConfigFileOptions are the flags that choose the config file.
type ConfigFileOptions struct {
	File     string
	NoConfig bool
}

func configFileFlags(c *cobra.Command, opts *ConfigFileOptions) {
	c.Flags().StringVar(&opts.File, "config", "", "the config file (default: .audiopreflight.yaml or .yml, looked for from the working directory up to the repository's root)")
	boolFlag(c.Flags(), &opts.NoConfig, "no-config", "", "read no config file")
}

// load finds and reads the config file these options choose: nil when
// there is none (or --no-config).
func (opts *ConfigFileOptions) load(c *cobra.Command) (*config.Config, error) {
	if opts.NoConfig {
		if opts.File != "" {
			return nil, usageErrorf(c, "%s: --config and --no-config contradict each other", c.Name())
		}
		return nil, nil
	}
	path := opts.File
	if path == "" {
		found, err := config.Find(".")
		if err != nil || found == "" {
			return nil, err
		}
		path = shortPath(found)
	}
	cfg, err := config.Load(path)
	if errors.Is(err, os.ErrNotExist) && opts.File != "" {
		return nil, fmt.Errorf("config file %s: not found", path)
	}
	return cfg, err
}

// shortPath is path relative to the working directory when that is
// shorter (../../.audiopreflight.yaml), as messages show it.
func shortPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && len(rel) < len(path) {
		return rel
	}
	return path
}

// notInConfig are the check flags the config file has no key for, and why.
// (A slice, not a map: the linker lays it out, where a map gives the
// package an initialiser, run at every start.)
var notInConfig = []struct{ flag, why string }{
	{"authorization", "a credential: it would be committed with the repository (use AUDIOPREFLIGHT_AUTHORIZATION)"},
	{"token", "a credential: it would be committed with the repository (use AUDIOPREFLIGHT_TOKEN)"},
	{"show-secrets", "printing credentials in full is decided for one run, not for everyone's"},
	{"files-from", "names what to check for one run (the file has paths)"},
	{"null", "goes with --files-from"},
	{"config", "chooses the file"},
	{"no-config", "chooses the file"},
	{"write-baseline", "writes a file for one run"},
	{"shard", "picks one batch job's part of the inputs"},
	{"shard-count", "goes with --shard"},
	{"resume", "continues one interrupted run"},
	{"exit-zero", "a batch engine's choice for one run"},
	{"help", ""},
}

// applyConfig gives every flag of c that the command line and the
// environment left unset the value the config file sets, and records where
// each came from. A value is checked by its flag, as on the command line;
// a mistake is an error at the value's file:line:column.
func applyConfig(c *cobra.Command, cfg *config.Config, sources map[string]string) error {
	var errs config.Errors
	for _, s := range cfg.Settings {
		f := c.Flags().Lookup(s.Key)
		if f == nil {
			// Keys() and the check flags are kept equal by a test.
			return fmt.Errorf("%s:%d:%d: %s: no such flag", cfg.Path, s.Pos.Line, s.Pos.Column, s.Key)
		}
		if f.Changed {
			continue
		}
		at := &config.Error{Path: cfg.Path, Pos: s.Pos}
		if s.List && !isRepeatable(f) {
			at.Msg = fmt.Sprintf("%s: takes one value, not a list", s.Key)
			errs = append(errs, at)
			continue
		}
		for _, v := range s.Values {
			if err := c.Flags().Set(s.Key, resolveConfigPath(cfg, s.Key, v)); err != nil {
				at.Msg = fmt.Sprintf("%s: invalid value %q: %v", s.Key, v, errorCause(err))
				errs = append(errs, at)
				break
			}
		}
		if sources != nil {
			sources[s.Key] = fmt.Sprintf("%s:%d:%d", cfg.Path, s.Pos.Line, s.Pos.Column)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func isRepeatable(f *pflag.Flag) bool {
	_, ok := f.Value.(pflag.SliceValue)
	return ok
}

func errorCause(err error) error {
	if cause := errors.Unwrap(err); cause != nil {
		return cause
	}
	return err
}

// resolveConfigPath makes a file named by the config file relative to the
// file's directory, as it is written, readable from the working directory.
func resolveConfigPath(cfg *config.Config, key, v string) string {
	switch key {
	case "baseline":
		return configRelative(cfg, v)
	case "output":
		if format, path, ok := strings.Cut(v, "="); ok && path != "" && path != "-" {
			return format + "=" + configRelative(cfg, path)
		}
	}
	return v
}

// configRelative is a path of the config file (relative to its directory)
// as seen from the working directory; absolute paths, URLs and - stay as
// they are.
func configRelative(cfg *config.Config, p string) string {
	if p == "-" || filepath.IsAbs(p) || remote.IsURL(p) {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return filepath.Join(cfg.Dir, p)
	}
	rel, err := filepath.Rel(wd, cfg.Dir)
	if err != nil {
		return filepath.Join(cfg.Dir, p)
	}
	return filepath.Join(rel, filepath.FromSlash(p))
}

// configPaths are the config file's paths, as seen from the working
// directory.
func configPaths(cfg *config.Config) []string {
	out := make([]string, len(cfg.Paths))
	for i, p := range cfg.Paths {
		out[i] = configRelative(cfg, p)
	}
	return out
}

// recordSources notes, before the environment is bound, the flags the
// command line set.
func (a *app) recordCommandLine(c *cobra.Command) {
	a.sources = map[string]string{}
	c.Flags().Visit(func(f *pflag.Flag) { a.sources[f.Name] = "flag --" + f.Name })
}

// recordEnvironment notes, after the environment is bound, the flags it set.
func (a *app) recordEnvironment(c *cobra.Command) {
	c.Flags().Visit(func(f *pflag.Flag) {
		if _, ok := a.sources[f.Name]; !ok {
			a.sources[f.Name] = "environment " + envName(f.Name)
		}
	})
}

func newConfigCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "config",
		Short: "Write, show and verify the config file (.audiopreflight.yaml)",
		Long: `The config file, .audiopreflight.yaml (or .yml), holds check's settings for a
repository: each key is the check flag of the same name. It also names the
paths check looks at when given none, and the rejections the team accepts
(ignore). check looks for it in the working directory and each one above, up to
the repository's root (the first directory holding .git); --config FILE (or
AUDIOPREFLIGHT_CONFIG) names it, --no-config reads none.

A flag wins over its environment variable, which wins over the config file,
which wins over the default. Paths in the file are relative to its directory.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf(c, "config: unknown command %q%s", args[0], didYouMean(args[0], []string{"init", "show", "verify", "schema"}, ""))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error { return c.Help() },
	}
	c.AddCommand(newConfigInitCmd(a), newConfigShowCmd(a), newConfigVerifyCmd(a), newConfigSchemaCmd(a))
	return c
}

// ConfigInitOptions are the flags of `audiopreflight config init`.
type ConfigInitOptions struct {
	Force bool
	Path  string
}

func newConfigInitCmd(a *app) *cobra.Command {
	opts := &ConfigInitOptions{}
	c := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented starter config file",
		Long: `Write a starter config file, every setting in it commented out with what it
does: by default .audiopreflight.yaml at the repository's root (the working
directory outside a repository). An existing file is left alone unless --force.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf(c, "config init takes one FILE, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Path = args[0]
			}
			return runConfigInit(a, opts)
		},
	}
	boolFlag(c.Flags(), &opts.Force, "force", "f", "overwrite an existing file")
	withoutEnvironment(c.Flags(), "force") // never overwrite because of a CI job's variable
	return c
}

func runConfigInit(a *app, opts *ConfigInitOptions) error {
	path := opts.Path
	if path == "" {
		root, err := repositoryRoot(".")
		if err != nil {
			return err
		}
		path = shortPath(filepath.Join(root, config.Names[0]))
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if opts.Force {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists: config init leaves it alone (--force overwrites it)", path)
	}
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, config.Starter); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.out, "wrote %s: uncomment what your repository needs; audiopreflight config verify checks it\n", path)
	return err
}

// repositoryRoot is the first directory from dir up holding .git, or dir
// outside a repository.
func repositoryRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs, nil
		}
		d = parent
	}
}

// ConfigShowOptions are the flags of `audiopreflight config show`: check's
// flags, and how to print.
type ConfigShowOptions struct {
	JSON  bool
	check *CheckOptions
}

func newConfigShowCmd(a *app) *cobra.Command {
	opts := &ConfigShowOptions{}
	check, checkOpts := checkCommand(a)
	opts.check = checkOpts
	c := &cobra.Command{
		Use:   "show [check flags]",
		Short: "Print the settings check would run with, and where each comes from",
		Long: `Print each setting check would run with — given the flags here, the
AUDIOPREFLIGHT_ variables and the config file — and where it comes from: a
flag, a variable, the config file (file:line:column) or the default. It takes
check's flags.`,
		Example: `  audiopreflight config show
  AUDIOPREFLIGHT_REQUEST=scripted audiopreflight config show --strict
  audiopreflight config show --json | jq .settings.request`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return runConfigShow(a, c, opts)
		},
	}
	check.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" {
			c.Flags().AddFlag(f)
		}
	})
	boolFlag(c.Flags(), &opts.JSON, "json", "", "print JSON")
	withoutEnvironment(c.Flags(), "json")
	return c
}

// configShown is `config show --json`.
type configShown struct {
	ConfigFile string                  `json:"config_file"`
	Settings   map[string]settingShown `json:"settings"`
	Paths      []string                `json:"paths"`
	Ignore     []ignoreShown           `json:"ignore"`
}

type settingShown struct {
	Value  any    `json:"value"`
	Source string `json:"source"`
}

type ignoreShown struct {
	Path       string   `json:"path"`
	Exceptions []string `json:"exceptions"`
	Reason     string   `json:"reason"`
	At         string   `json:"at"`
}

func runConfigShow(a *app, c *cobra.Command, opts *ConfigShowOptions) error {
	cfg, err := opts.check.ConfigFile.load(c)
	if err != nil {
		return err
	}
	shown := configShown{Settings: map[string]settingShown{}, Paths: []string{}, Ignore: []ignoreShown{}}
	if cfg != nil {
		shown.ConfigFile = cfg.Path
		if err := applyConfig(c, cfg, a.sources); err != nil {
			return err
		}
		shown.Paths = cfg.Paths
		for _, e := range cfg.Ignore {
			shown.Ignore = append(shown.Ignore, ignoreShown{e.Path, orEmpty(e.Exceptions), e.Reason,
				fmt.Sprintf("%s:%d:%d", cfg.Path, e.Pos.Line, e.Pos.Column)})
		}
	}
	keys := config.Keys()
	for _, k := range keys {
		f := c.Flags().Lookup(k)
		source, ok := a.sources[k]
		if !ok {
			source = "default"
		}
		var value any = f.Value.String()
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			value = orEmpty(sv.GetSlice())
		} else if f.Value.Type() == "bool" {
			value = f.Value.String() == "true"
		}
		shown.Settings[k] = settingShown{value, source}
	}
	if opts.JSON {
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		return enc.Encode(shown)
	}
	w := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	file := shown.ConfigFile
	if file == "" {
		file = "none"
		if opts.check.ConfigFile.NoConfig {
			file += " (--no-config)"
		}
	}
	fmt.Fprintf(w, "config file\t%s\n\n", file)
	fmt.Fprintf(w, "SETTING\tVALUE\tFROM\n")
	for _, k := range keys {
		s := shown.Settings[k]
		value := fmt.Sprint(s.Value)
		if list, ok := s.Value.([]string); ok {
			value = "[" + strings.Join(list, ", ") + "]"
		}
		if value == "" {
			value = `""`
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", k, value, s.Source)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if len(shown.Paths) > 0 {
		fmt.Fprintf(a.out, "\npaths (when check is given none, relative to %s):\n", filepath.Dir(shown.ConfigFile))
		for _, p := range shown.Paths {
			fmt.Fprintf(a.out, "  %s\n", p)
		}
	}
	if len(shown.Ignore) > 0 {
		fmt.Fprintf(a.out, "\nignore:\n")
		for _, e := range shown.Ignore {
			which := "any exception"
			if len(e.Exceptions) > 0 {
				which = strings.Join(e.Exceptions, ", ")
			}
			fmt.Fprintf(a.out, "  %s  %s — %s  (%s)\n", e.Path, which, e.Reason, e.At)
		}
	}
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func newConfigVerifyCmd(a *app) *cobra.Command {
	opts := &ConfigFileOptions{}
	c := &cobra.Command{
		Use:   "verify [FILE]",
		Short: "Check a config file: every key known, every value one its flag takes",
		Long: `Check a config file — by default the one check would read — and print each
mistake at its file:line:column: an unknown key, a value of the wrong kind or
one its flag refuses, an ignore entry without a path or a reason, an exception
the API does not have. Exit status 0 when the file is valid, 2 when not.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf(c, "config verify takes one FILE, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.File = args[0]
			}
			return runConfigVerify(a, opts)
		},
	}
	return c
}

func runConfigVerify(a *app, opts *ConfigFileOptions) error {
	check := newCheckCmd(a)
	cfg, err := opts.load(check)
	if err != nil {
		return err
	}
	if cfg == nil {
		return errors.New("config verify: no config file found (from the working directory up to the repository's root); name one")
	}
	if err := applyConfig(check, cfg, nil); err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.out, "%s: valid (%d settings, %d paths, %d ignore entries)\n",
		cfg.Path, len(cfg.Settings), len(cfg.Paths), len(cfg.Ignore))
	return err
}

func newConfigSchemaCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON schema of the config file",
		Long: `Print the JSON schema of the config file (the one published as
schema/audiopreflight.schema.json), for editors and validators.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			_, err := io.WriteString(a.out, schema.Config)
			return err
		},
	}
}

// configKeysAreCheckFlags is what the tests hold the two lists to: every
// key a flag of check, every flag of check a key or in notInConfig.
func configKeysAreCheckFlags(check *cobra.Command) (missingFlags, missingKeys []string) {
	keys := config.Keys()
	for _, k := range keys {
		if check.Flags().Lookup(k) == nil {
			missingFlags = append(missingFlags, k)
		}
	}
	check.Flags().VisitAll(func(f *pflag.Flag) {
		skip := slices.ContainsFunc(notInConfig, func(n struct{ flag, why string }) bool { return n.flag == f.Name })
		if !skip && !slices.Contains(keys, f.Name) {
			missingKeys = append(missingKeys, f.Name)
		}
	})
	return missingFlags, missingKeys
}
