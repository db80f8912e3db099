package cmd

import (
	"strings"

	"github.com/spf13/cobra"
)

// newHelpCmd is `audiopreflight help [COMMAND]`: cobra's own prints the
// root's help and exits 0 for a topic it does not know; this one refuses it.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "Help about any command",
		Long:  "Help prints the help of a command: audiopreflight help check.",
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 || target == nil {
				topic := strings.Join(args, " ")
				last := args[len(args)-1]
				return usageErrorf(c, "no help topic %q%s", topic, didYouMean(last, commandNames(c.Root()), ""))
			}
			return target.Help()
		},
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return commandNames(c.Root()), cobra.ShellCompDirectiveNoFileComp
		},
	}
}
