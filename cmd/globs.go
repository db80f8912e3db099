package cmd

import (
	"bytes"
	"encoding/csv"
	"strings"

	"github.com/spf13/pflag"
)

// globsValue is a repeatable pattern flag (--include, --exclude): pflag's
// string array, but without its cost at every start. pflag computes each
// flag's default text when the flag is defined, and for a string array
// that means an encoding/csv writer with a 4 KiB buffer, even for an empty
// list: eight such flags were 32 KiB of every run's start-up, in any
// command. It behaves as pflag's (Type, Set, Append, Replace, GetSlice and
// String's text alike), so help and config show are unchanged.
type globsValue struct {
	list    *[]string
	changed bool
}

// globsVar defines a pattern flag with no default.
func globsVar(f *pflag.FlagSet, p *[]string, name, usage string) {
	*p = nil
	f.Var(&globsValue{list: p}, name, usage)
}

func (g *globsValue) Set(s string) error {
	if !g.changed {
		*g.list, g.changed = nil, true
	}
	*g.list = append(*g.list, s)
	return nil
}

func (g *globsValue) Type() string { return "stringArray" }

// String is pflag's text of a string array: its items as a CSV record, in
// brackets.
func (g *globsValue) String() string {
	if len(*g.list) == 0 {
		return "[]"
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(*g.list)
	w.Flush()
	return "[" + strings.TrimSuffix(b.String(), "\n") + "]"
}

// pflag.SliceValue: a list in the config file sets each.
func (g *globsValue) Append(s string) error {
	*g.list = append(*g.list, s)
	return nil
}

func (g *globsValue) Replace(list []string) error {
	*g.list = make([]string, len(list))
	copy(*g.list, list)
	return nil
}

func (g *globsValue) GetSlice() []string { return append([]string{}, *g.list...) }
