package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/audiopreflight/audiopreflight/validate"
)

// ErrorsOptions are the flags of `audiopreflight errors`.
type ErrorsOptions struct {
	Output   string
	Request  string
	Category string
	NoColor  bool
}

func newErrorsCmd(a *app) *cobra.Command {
	opts := &ErrorsOptions{}
	c := &cobra.Command{
		Use:   "errors",
		Short: "List the API's exceptions: names, messages, parameters, descriptions",
		Long: `List every exception of the API's published listing, with its message
template, parameters, description, category and request types.`,
		Example: `  audiopreflight errors
  audiopreflight errors --request scripted --category audio
  audiopreflight errors -o json | jq '.exceptions[].name'`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.NoColor = a.global.NoColor
			return runErrors(a, opts)
		},
	}
	enumFlag(c, &opts.Output, "output", "o", "text", "output format", "text", "json", "markdown")
	enumFlag(c, &opts.Request, "request", "", "", "only the exceptions of this request type", "unscripted", "scripted")
	enumFlag(c, &opts.Category, "category", "", "", "only the exceptions of this category", "asr", "audio", "authentication")
	// The listing is the same whatever request a CI job's environment
	// configures: AUDIOPREFLIGHT_REQUEST is check's request, not a filter.
	withoutEnvironment(c.Flags(), "request", "category")
	return c
}

func runErrors(a *app, opts *ErrorsOptions) error {
	var list []*validate.Exception
	for _, e := range validate.Catalog() {
		if opts.Request != "" && !e.HasRequestType(opts.Request) {
			continue
		}
		if opts.Category != "" && e.Category != opts.Category {
			continue
		}
		list = append(list, e)
	}
	switch opts.Output {
	case "json":
		return writeErrorsJSON(a.out, list)
	case "markdown":
		return writeErrorsMarkdown(a.out, list)
	default:
		return writeErrorsText(a.out, list, a.palette(a.out, opts.NoColor).Bold)
	}
}

func writeErrorsJSON(w io.Writer, list []*validate.Exception) error {
	if list == nil {
		list = []*validate.Exception{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Exceptions []*validate.Exception `json:"exceptions"`
	}{list})
}

func parameterList(e *validate.Exception) string {
	var ps []string
	for _, p := range e.Parameters {
		ps = append(ps, fmt.Sprintf("%s (%s)", p.Name, p.Type))
	}
	if len(ps) == 0 {
		return "–"
	}
	return strings.Join(ps, ", ")
}

func writeErrorsText(w io.Writer, list []*validate.Exception, bold func(string) string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCATEGORY\tREQUESTS\tPARAMETERS\tMESSAGE")
	for _, e := range list {
		// Names stay uncoloured: escape codes would skew the tabwriter's column widths.
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Name, e.Category, strings.Join(e.RequestTypes, ","), parameterList(e), e.Message)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	noun := "exceptions"
	if len(list) == 1 {
		noun = "exception"
	}
	_, err := fmt.Fprintf(w, "\n%d %s. %s\n", len(list), noun, bold("audiopreflight explain NAME")+" tells what causes one and how to fix it.")
	return err
}

func writeErrorsMarkdown(w io.Writer, list []*validate.Exception) error {
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	fmt.Fprintln(w, "| Name | Category | Request types | Message | Parameters | Description |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, e := range list {
		var ps []string
		for _, p := range e.Parameters {
			ps = append(ps, fmt.Sprintf("`%s` (%s): %s", p.Name, p.Type, cell(p.Description)))
		}
		params := strings.Join(ps, "<br>")
		if params == "" {
			params = "–"
		}
		_, err := fmt.Fprintf(w, "| `%s` | %s | %s | `%s` | %s | %s |\n", e.Name, e.Category, strings.Join(e.RequestTypes, ", "), cell(e.Message), params, cell(e.Description))
		if err != nil {
			return err
		}
	}
	return nil
}
