package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// junitRenderer writes a JUnit XML report — one test suite, one test case
// per input — the shape GitLab, Jenkins, Azure DevOps and the common GitHub
// test-report actions load: a rejection is a <failure>, an input that could
// not be checked an <error>.
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
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (j *junitRenderer) Write(r *Result) error {
	c := junitCase{Name: r.Input, Classname: "audiopreflight." + j.opts.Run.Request}
	var out []string
	switch {
	case r.Error != "":
		c.Error = &junitProblem{Message: "could not check: " + r.Error, Type: "error", Text: r.Error}
	case r.Failed(j.opts.Run.Strict):
		if r.Accepted {
			c.Failure = &junitProblem{Message: "warnings (--strict)", Type: "warning", Text: strings.Join(r.Warnings, "\n")}
			break
		}
		var text []string
		for _, f := range r.Findings {
			line := f.Name + ": " + f.Message
			if f.Detail != "" {
				line += " (" + f.Detail + ")"
			}
			text = append(text, line)
		}
		if r.Hint != "" {
			text = append(text, "hint: "+r.Hint)
		}
		c.Failure = &junitProblem{Message: r.Exception.Name + ": " + r.Exception.Message, Type: r.Exception.Name, Text: strings.Join(text, "\n")}
	}
	for _, w := range r.Warnings {
		out = append(out, "warning: "+w)
	}
	if r.Audio != nil {
		if s := strings.TrimPrefix(audioSummary(r.Audio), "  · "); s != "" {
			out = append(out, "audio: "+s)
		}
	}
	c.SystemOut = strings.Join(out, "\n")
	j.cases = append(j.cases, c)
	return nil
}

func (j *junitRenderer) Flush(s Summary, elapsed time.Duration) error {
	failures := 0
	for _, c := range j.cases {
		if c.Failure != nil {
			failures++
		}
	}
	secs := fmt.Sprintf("%.3f", elapsed.Seconds())
	doc := junitSuites{Name: "audiopreflight", Tests: s.Total, Failures: failures, Errors: s.Errors, Time: secs,
		Suites: junitSuite{Name: fmt.Sprintf("audiopreflight check (%s, %s)", j.opts.Run.Request, j.opts.Run.Mode),
			Tests: s.Total, Failures: failures, Errors: s.Errors, Time: secs, Cases: j.cases}}
	if _, err := io.WriteString(j.w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(j.w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(j.w, "\n")
	return err
}
