package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/safetext"
)

// junitRenderer writes a JUnit XML report — one test suite, one test case
// per input — the shape GitLab, Jenkins, Azure DevOps and the common GitHub
// test-report actions load: a rejection is a <failure>, an undecided input
// <skipped> (a <failure> with --strict), an ignored rejection <skipped>
// with the team's reason, an input that could not be checked an <error>. With --check-auth the Authorization header is one
// more test case, first. The counts describe the test cases written (-q
// leaves out those that do not fail).
type junitRenderer struct {
	w     io.Writer
	opts  Options
	cases []junitCase
}

type junitSuites struct {
	XMLName  xml.Name   `xml:"testsuites"`
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Errors   int        `xml:"errors,attr"`
	Skipped  int        `xml:"skipped,attr"`
	Time     string     `xml:"time,attr"`
	Suites   junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func (j *junitRenderer) classname() string { return "audiopreflight." + j.opts.Run.Request }

func (j *junitRenderer) begin() error {
	a := j.opts.Run.Auth
	if a == nil || len(a.Findings) == 0 && j.opts.Quiet {
		return nil
	}
	c := junitCase{Name: authLabel, Classname: j.classname(), Time: "0.000"}
	if len(a.Findings) > 0 {
		c.Failure = findingsFailure(a.Findings, a.Hint)
		c.SystemOut = "the API answers this for every input, before it reads the audio"
	}
	j.cases = append(j.cases, c)
	return nil
}

func (j *junitRenderer) write(r *Result) error {
	c := junitCase{Name: r.Input, Classname: j.classname(), Time: seconds(r.Elapsed)}
	if r.Source == SourceFile {
		c.File = r.Input
	}
	strict := j.opts.Run.Strict
	findings := r.Findings
	if j.opts.Run.Auth != nil {
		findings = r.AudioFindings()
	}
	undecided := strings.Join(r.Undecided, ", ") + " " + undecidedNote
	switch {
	case r.Status == StatusError:
		c.Error = &junitProblem{Message: "could not check: " + r.Error, Type: "error", Text: r.Error}
	case r.Status == StatusIgnored:
		c.Skipped = &junitSkipped{Message: "ignored: " + findingLine(r.Exception) + " — " + r.Ignored.Reason + " (" + r.Ignored.By + ")"}
	case len(findings) > 0:
		c.Failure = findingsFailure(findings, r.Hint)
	case len(r.Undecided) > 0 && strict:
		c.Failure = &junitProblem{Message: "undecided (--strict): " + undecided, Type: "undecided", Text: undecided}
	case len(r.Warnings) > 0 && strict:
		c.Failure = &junitProblem{Message: "warnings (--strict)", Type: "warning", Text: strings.Join(r.Warnings, "\n")}
	case len(r.Undecided) > 0:
		c.Skipped = &junitSkipped{Message: "undecided: " + undecided}
	}
	var out []string
	for _, w := range r.Warnings {
		out = append(out, "warning: "+w)
	}
	if s := strings.TrimPrefix(audioSummary(r.Audio), "  · "); s != "" {
		out = append(out, "audio: "+s)
	}
	c.SystemOut = strings.Join(out, "\n")
	j.cases = append(j.cases, c)
	return nil
}

// findingsFailure is the <failure> of a verdict: the first finding's name
// and message, every finding and the hint in the text.
func findingsFailure(fs []*Exception, hint string) *junitProblem {
	var text []string
	for _, f := range fs {
		text = append(text, findingLine(f))
	}
	if hint != "" {
		text = append(text, "hint: "+hint)
	}
	return &junitProblem{Message: fs[0].Name + ": " + fs[0].Message, Type: fs[0].Name, Text: strings.Join(text, "\n")}
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func (j *junitRenderer) flush(_ Summary, elapsed time.Duration) error {
	var failures, errs, skipped int
	for _, c := range j.cases {
		switch {
		case c.Failure != nil:
			failures++
		case c.Error != nil:
			errs++
		case c.Skipped != nil:
			skipped++
		}
	}
	secs := seconds(elapsed)
	tests := len(j.cases)
	doc := junitSuites{Name: "audiopreflight", Tests: tests, Failures: failures, Errors: errs, Skipped: skipped, Time: secs,
		Suites: junitSuite{Name: fmt.Sprintf("audiopreflight check (%s, %s)", j.opts.Run.Request, j.opts.Run.Mode),
			Tests: tests, Failures: failures, Errors: errs, Skipped: skipped, Time: secs, Cases: j.cases}}
	// encoding/xml escapes or replaces C0 controls; DEL, the C1 controls
	// and bidi overrides become character references too.
	w := safetext.NewEncodedWriter(j.w, func(r rune) string { return fmt.Sprintf("&#x%X;", r) })
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	return w.Flush()
}
