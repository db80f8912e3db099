package report

import (
	"fmt"
	"html"
	"io"
	"slices"
	"strings"
	"time"
)

// markdownRenderer writes a GitHub-flavoured Markdown summary of the run,
// made for a CI job's summary page ($GITHUB_STEP_SUMMARY): a headline, the
// counts, the exceptions found most with how many inputs each, then the
// rejected inputs with their fix, the ignored ones with their reason and
// those that could not be checked. It keeps only what its tables show,
// at most markdownRows rows each, so a run of any size makes a summary of
// bounded size (GitHub takes 1 MiB per step).
type markdownRenderer struct {
	w          io.Writer
	opts       Options
	exceptions map[string]int
	rejected   []string
	ignored    []string
	errors     []string
	more       [3]int // rows left out of rejected, ignored, errors
}

// markdownRows is the most rows a table of the summary lists.
const markdownRows = 200

func (m *markdownRenderer) begin() error { return nil }

func (m *markdownRenderer) write(r *Result) error {
	if m.exceptions == nil {
		m.exceptions = map[string]int{}
	}
	add := func(rows *[]string, more *int, row string) {
		if len(*rows) < markdownRows {
			*rows = append(*rows, row)
		} else {
			*more++
		}
	}
	switch r.Status {
	case StatusRejected:
		m.exceptions[r.Exception.Name]++
		why := r.Exception.Message
		if r.Exception.Detail != "" {
			why = r.Exception.Detail
		}
		add(&m.rejected, &m.more[0], fmt.Sprintf("| %s | `%s` | %s | %s |", mdCell(r.Input), r.Exception.Name, mdCell(why), mdCode(r.Hint)))
	case StatusIgnored:
		add(&m.ignored, &m.more[1], fmt.Sprintf("| %s | `%s` | %s | %s |", mdCell(r.Input), r.Exception.Name, mdCell(r.Ignored.Reason), mdCell(r.Ignored.By)))
	case StatusError:
		add(&m.errors, &m.more[2], fmt.Sprintf("| %s | %s |", mdCell(r.Input), mdCell(r.Error)))
	}
	return nil
}

func (m *markdownRenderer) flush(s Summary, elapsed time.Duration) error {
	var b strings.Builder
	switch {
	case s.Errors > 0:
		fmt.Fprintf(&b, "## ❌ audiopreflight: %s could not be checked\n\n", count(s.Errors, "input", "inputs"))
	case s.Fails(m.opts.Run.Strict):
		n := s.Rejected
		if n == 0 {
			n = s.Undecided + s.Warned
		}
		fmt.Fprintf(&b, "## ❌ audiopreflight: the API would reject %d of %s\n\n", s.Rejected, count(s.Total, "input", "inputs"))
		if s.Rejected == 0 {
			b.Reset()
			fmt.Fprintf(&b, "## ❌ audiopreflight: %d of %s fail --strict\n\n", n, count(s.Total, "input", "inputs"))
		}
	default:
		fmt.Fprintf(&b, "## ✅ audiopreflight: the API would reject none of %s\n\n", count(s.Total, "input", "inputs"))
	}
	run := m.opts.Run
	req := run.Request + " request"
	if run.Request == "unscripted" {
		req += ", " + run.Mode + " mode"
	}
	if run.HeaderOnly {
		req += ", headers only"
	}
	if run.Strict {
		req += ", --strict"
	}
	fmt.Fprintf(&b, "| inputs | accepted | rejected | ignored | undecided | could not be checked | with warnings |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d |\n\n", s.Total, s.Accepted, s.Rejected, s.Ignored, s.Undecided, s.Errors, s.Warned)
	fmt.Fprintf(&b, "Checked for the %s in %.2f s.\n", req, elapsed.Seconds())
	if a := run.Auth; a != nil && len(a.Findings) > 0 {
		fmt.Fprintf(&b, "\n**The Authorization header:** `%s` — %s", a.Findings[0].Name, mdCell(a.Findings[0].Message))
		if a.Hint != "" {
			fmt.Fprintf(&b, " (%s)", mdCell(a.Hint))
		}
		b.WriteString(". The API answers this for every input, before it reads the audio.\n")
	}
	if len(m.exceptions) > 0 {
		names := make([]string, 0, len(m.exceptions))
		for n := range m.exceptions {
			names = append(names, n)
		}
		slices.SortFunc(names, func(a, b string) int {
			if d := m.exceptions[b] - m.exceptions[a]; d != 0 {
				return d
			}
			return strings.Compare(a, b)
		})
		b.WriteString("\n### Exceptions\n\n| exception | inputs |\n|---|---:|\n")
		for _, n := range names {
			fmt.Fprintf(&b, "| `%s` | %d |\n", n, m.exceptions[n])
		}
	}
	table := func(title, head string, rows []string, more int) {
		if len(rows) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s\n", title, head)
		for _, r := range rows {
			b.WriteString(r + "\n")
		}
		if more > 0 {
			fmt.Fprintf(&b, "\n… and %d more (the run's other outputs list them all).\n", more)
		}
	}
	table("Rejected", "| input | exception | why | fix |\n|---|---|---|---|", m.rejected, m.more[0])
	table("Ignored (accepted by the team)", "| input | exception | reason | by |\n|---|---|---|---|", m.ignored, m.more[1])
	table("Could not be checked", "| input | error |\n|---|---|", m.errors, m.more[2])
	_, err := io.WriteString(m.w, b.String())
	return err
}

// mdCell makes text safe in a table cell: no HTML, no Markdown markup,
// no line break or | to end the cell.
func mdCell(s string) string {
	s = strings.NewReplacer("\\", "\\\\", "|", "\\|", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]",
		"~", "\\~", "\r", " ", "\n", " ").Replace(s)
	return html.EscapeString(s)
}

// mdCode is text as inline code in a table cell (a command to run).
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("|", "\\|", "\r", " ", "\n", " ", "`", "'").Replace(s)
	return "<code>" + html.EscapeString(s) + "</code>"
}
