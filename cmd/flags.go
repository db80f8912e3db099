package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

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
