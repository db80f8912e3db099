package cmd

import (
	"slices"

	"github.com/spf13/cobra"
)

// CompletionOptions are the flags of `audiopreflight completion`.
type CompletionOptions struct {
	Shell          string
	NoDescriptions bool
}

// shells are the shells completion writes a script for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

func newCompletionCmd(a *app) *cobra.Command {
	opts := &CompletionOptions{}
	c := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script for bash, zsh, fish or PowerShell",
		Long: `Print the script that makes a shell complete audiopreflight's commands, flags
and flag values. Load it for the current session, or install it once:`,
		Example: `  source <(audiopreflight completion bash)
  audiopreflight completion zsh > "${fpath[1]}/_audiopreflight"
  audiopreflight completion fish > ~/.config/fish/completions/audiopreflight.fish
  audiopreflight completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: shells,
		Args: func(c *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return usageErrorf(c, "completion: name the shell: bash, zsh, fish or powershell")
			case len(args) > 1:
				return usageErrorf(c, "completion takes one shell, got %d arguments", len(args))
			case !slices.Contains(shells, args[0]):
				return usageErrorf(c, "completion: unknown shell %q%s; give bash, zsh, fish or powershell", args[0], didYouMean(args[0], shells, ""))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.Shell = args[0]
			return runCompletion(c.Root(), a, opts)
		},
	}
	boolFlag(c.Flags(), &opts.NoDescriptions, "no-descriptions", "", "leave the descriptions out of the completions")
	return c
}

func runCompletion(root *cobra.Command, a *app, opts *CompletionOptions) error {
	desc := !opts.NoDescriptions
	switch opts.Shell {
	case "bash":
		return root.GenBashCompletionV2(a.out, desc)
	case "zsh":
		if desc {
			return root.GenZshCompletion(a.out)
		}
		return root.GenZshCompletionNoDesc(a.out)
	case "fish":
		return root.GenFishCompletion(a.out, desc)
	default:
		if desc {
			return root.GenPowerShellCompletionWithDesc(a.out)
		}
		return root.GenPowerShellCompletion(a.out)
	}
}
