package report

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
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
//
// The counts are attributes of <testsuites> and <testsuite>, before the
// test cases: that is where the consumers read them (GitLab, the Jenkins
// junit plugin and the GitHub test-report actions take the attributes; a
// trailing element with the counts would be one none of them knows). So
// that a run of any size holds no test case in memory, each is encoded as
// it comes into a temporary file (unlinked at once where the system
// allows), and flush writes the head with the counts, then copies the
// file: a second pass over the run's own output, not over its inputs.
type junitRenderer struct {
	w    io.Writer
	opts Options
	// cases holds the encoded test cases: a temporary file, or memory
	// when none can be made.
	cases                          junitSpool
	tests, failures, errs, skipped int
}

// junitSpool is where the encoded test cases wait for the counts.
type junitSpool struct {
	file *os.File // nil: mem
	name string   // to remove at the end, where it could not be at once
	mem  bytes.Buffer
	buf  *bufio.Writer
	esc  *safetext.EncodedWriter
	enc  *xml.Encoder
}

func (s *junitSpool) open() {
	var w io.Writer = &s.mem
	if f, err := os.CreateTemp("", "audiopreflight-junit-*.xml"); err == nil {
		s.file = f
		if os.Remove(f.Name()) != nil {
			s.name = f.Name()
		}
		w = f
	}
	s.buf = bufio.NewWriterSize(w, 64<<10)
	// encoding/xml escapes or replaces C0 controls; DEL, the C1 controls
	// and bidi overrides become character references too.
	s.esc = safetext.NewEncodedWriter(s.buf, func(r rune) string { return fmt.Sprintf("&#x%X;", r) })
	s.enc = xml.NewEncoder(s.esc)
	s.enc.Indent("    ", "  ")
}

func (s *junitSpool) add(c *junitCase) error {
	if s.enc == nil {
		s.open()
	}
	return s.enc.EncodeElement(c, xml.StartElement{Name: xml.Name{Local: "testcase"}})
}

// copyTo writes the test cases out, and lets the spool go.
func (s *junitSpool) copyTo(w io.Writer) error {
	if s.enc == nil {
		return nil
	}
	defer s.close()
	if err := s.enc.Flush(); err != nil {
		return err
	}
	if err := s.esc.Flush(); err != nil {
		return err
	}
	if err := s.buf.Flush(); err != nil {
		return err
	}
	if s.file == nil {
		_, err := s.mem.WriteTo(w)
		return err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.file)
	return err
}

func (s *junitSpool) close() {
	if s.file != nil {
		s.file.Close()
		if s.name != "" {
			os.Remove(s.name)
		}
		s.file = nil
	}
	s.enc = nil
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
	return j.add(&c)
}

// add counts a test case and spools it.
func (j *junitRenderer) add(c *junitCase) error {
	j.tests++
	switch {
	case c.Failure != nil:
		j.failures++
	case c.Error != nil:
		j.errs++
	case c.Skipped != nil:
		j.skipped++
	}
	return j.cases.add(c)
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
	return j.add(&c)
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
	defer j.cases.close()
	secs := seconds(elapsed)
	doc := junitSuites{Name: "audiopreflight", Tests: j.tests, Failures: j.failures, Errors: j.errs, Skipped: j.skipped, Time: secs,
		Suites: junitSuite{Name: fmt.Sprintf("audiopreflight check (%s, %s)", j.opts.Run.Request, j.opts.Run.Mode),
			Tests: j.tests, Failures: j.failures, Errors: j.errs, Skipped: j.skipped, Time: secs}}
	var head bytes.Buffer
	head.WriteString(xml.Header)
	enc := xml.NewEncoder(&head)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	head.WriteString("\n")
	// The document without test cases, "…<testsuite …></testsuite>\n
	// </testsuites>": the test cases go where the suite's empty content
	// is.
	const empty = "></testsuite>"
	text := safetext.EscapeEncoded(head.Bytes(), func(r rune) string { return fmt.Sprintf("&#x%X;", r) })
	cut := bytes.LastIndex(text, []byte(empty)) + 1
	if j.tests == 0 || cut == 0 {
		_, err := j.w.Write(text)
		return err
	}
	if _, err := j.w.Write(append(text[:cut:cut], '\n')); err != nil {
		return err
	}
	if err := j.cases.copyTo(j.w); err != nil {
		return err
	}
	_, err := io.WriteString(j.w, "\n  </testsuite>\n</testsuites>\n")
	return err
}
