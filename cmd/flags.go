package cmd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Every flag value checks itself in Set, so that a value is judged the same
// way whether it comes from the command line or from the environment (which
// is applied only where it is valid: see bindEnvironment).

// enumValue is a string flag that accepts one of a fixed set of values, so
// a typo is a usage error at parse time and shells can complete it.
type enumValue struct {
	value   *string
	allowed []string
}

func newEnum(p *string, def string, allowed ...string) *enumValue {
	*p = def
	return &enumValue{value: p, allowed: allowed}
}

func (e *enumValue) String() string { return *e.value }
func (e *enumValue) Type() string   { return "string" }

func (e *enumValue) Set(s string) error {
	for _, a := range e.allowed {
		if s == a {
			*e.value = s
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(e.allowed, ", "))
}

// enumFlag adds an enum flag to c and registers its values for completion.
func enumFlag(c *cobra.Command, p *string, name, short, def, usage string, allowed ...string) {
	c.Flags().VarP(newEnum(p, def, allowed...), name, short, fmt.Sprintf("%s: %s", usage, strings.Join(allowed, "|")))
	_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(allowed, cobra.ShellCompDirectiveNoFileComp))
}

// boolWord reads the spellings a boolean takes, on the command line
// (--strict=yes) and in the environment (AUDIOPREFLIGHT_STRICT=on) alike.
// (A switch, not a map: a map would be filled by the package's initialiser
// at every start.)
func boolWord(s string) (v, ok bool) {
	switch s {
	case "1", "true", "yes", "on":
		return true, true
	case "0", "false", "no", "off":
		return false, true
	}
	return false, false
}

// parseBool reads a boolean in any of boolWord's spellings, in any case.
func parseBool(s string) (bool, error) {
	v, ok := boolWord(strings.ToLower(strings.TrimSpace(s)))
	if !ok {
		return false, errors.New("must be one of 1, 0, true, false, yes, no, on, off")
	}
	return v, nil
}

// boolValue is a boolean flag that reads every spelling of parseBool.
type boolValue bool

func (b *boolValue) Set(s string) error {
	v, err := parseBool(s)
	if err != nil {
		return err
	}
	*b = boolValue(v)
	return nil
}

func (b *boolValue) String() string   { return strconv.FormatBool(bool(*b)) }
func (b *boolValue) Type() string     { return "bool" }
func (b *boolValue) IsBoolFlag() bool { return true }

// boolFlag adds a boolean flag to fs: --name alone sets it, --name=no clears it.
func boolFlag(fs *pflag.FlagSet, p *bool, name, short, usage string) {
	*p = false
	f := fs.VarPF((*boolValue)(p), name, short, usage)
	f.NoOptDefVal = "true"
}

// jobsValue is --jobs: how many inputs are checked at once, 0 meaning one
// per CPU.
type jobsValue int

func (j *jobsValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return errors.New("must be a whole number: 1 or more, or 0 for one per CPU")
	}
	if n < 0 {
		return errors.New("must be 1 or more, or 0 for one per CPU")
	}
	*j = jobsValue(n)
	return nil
}

func (j *jobsValue) String() string { return strconv.Itoa(int(*j)) }
func (j *jobsValue) Type() string   { return "int" }

// positiveDuration is a duration that must be more than zero (--timeout).
type positiveDuration time.Duration

func (d *positiveDuration) Set(s string) error {
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return errors.New("must be a duration such as 30s, 2m or 1m30s")
	}
	if v <= 0 {
		return errors.New("must be more than 0 (a duration such as 30s)")
	}
	*d = positiveDuration(v)
	return nil
}

func (d *positiveDuration) String() string { return time.Duration(*d).String() }
func (d *positiveDuration) Type() string   { return "duration" }
