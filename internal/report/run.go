// Package report holds the results of a check run and writes them in every
// output format (text, json, jsonl, github, junit): one renderer per format,
// all over the same structs, in the manner of kubeconform's pkg/output.
// Every result reaches a renderer through Output, the one path that
// redacts secrets and, for the formats people read, escapes what came from
// outside (see output.go).
//
// A result and its JSON shape are the library's (package preflight): the
// names below are the same types, so the JSON formats and a program that
// calls preflight.Check encode a result the same way.
package report

import (
	"github.com/audiopreflight/audiopreflight/preflight"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

// SchemaVersion is the version of the JSON and JSONL shape.
const SchemaVersion = preflight.SchemaVersion

// Sources of an input, as the "source" field names them.
const (
	SourceFile   = preflight.SourceFile
	SourceStdin  = preflight.SourceStdin
	SourceURL    = preflight.SourceURL
	SourceObject = preflight.SourceObject
)

type (
	Result    = preflight.Result
	Status    = preflight.Status
	Exception = preflight.Exception
	Ignored   = preflight.Ignored
)

const (
	StatusAccepted  = preflight.StatusAccepted
	StatusRejected  = preflight.StatusRejected
	StatusUndecided = preflight.StatusUndecided
	StatusError     = preflight.StatusError
	StatusIgnored   = preflight.StatusIgnored
)

// NewException is a finding as results show it.
func NewException(f validate.Finding) *Exception { return preflight.NewException(f) }

// NewResult builds an input's result from its decision.
func NewResult(input, source string, d validate.Decision, audio *probe.Info, hint string) *Result {
	return preflight.NewResult(input, source, d, audio, hint)
}

// ErrorResult is the result of an input that could not be checked.
func ErrorResult(input, source string, err error) *Result {
	return preflight.ErrorResult(input, source, err)
}

// InputID is the stable identity of an input in the JSON output.
func InputID(input string) string { return preflight.InputID(input) }

// Run describes the run the results belong to: the head of the JSON
// output.
type Run struct {
	SchemaVersion  int    `json:"schema_version"`
	Request        string `json:"request"`
	Mode           string `json:"mode"`
	SyncLimitBytes int64  `json:"sync_limit_bytes"`
	HeaderOnly     bool   `json:"header_only"`
	Base64         bool   `json:"base64"`
	Strict         bool   `json:"strict"`
	Quiet          bool   `json:"quiet"`
	CheckAuth      bool   `json:"check_auth"`
	// Auth is the check of the Authorization header (--check-auth): the
	// same for every input, so the text, github and junit formats report
	// it once for the run; JSON has it here and among each result's
	// findings.
	Auth *AuthCheck `json:"auth,omitempty"`
}

// AuthCheck is the outcome of the Authorization header's check.
type AuthCheck struct {
	Findings []*Exception `json:"findings"`
	Hint     string       `json:"hint,omitempty"`
}

// NewAuthCheck builds the run's AuthCheck from the findings of
// validate.CheckAuth and the hint for them.
func NewAuthCheck(findings []validate.Finding, hint string) *AuthCheck {
	a := &AuthCheck{Findings: []*Exception{}, Hint: hint}
	for _, f := range findings {
		a.Findings = append(a.Findings, NewException(f))
	}
	return a
}

// Summary counts the results of a run.
type Summary struct {
	Total     int `json:"total"`
	Accepted  int `json:"accepted"`
	Rejected  int `json:"rejected"`
	Undecided int `json:"undecided"`
	Errors    int `json:"errors"`
	// Ignored counts the rejections the team accepts (they do not fail).
	Ignored int `json:"ignored"`
	// Warned counts the accepted and undecided inputs with warnings (they
	// fail with --strict).
	Warned int `json:"warned"`
	// Shown counts the results the output lists (-q leaves out those that
	// do not fail the run).
	Shown int `json:"shown"`
}

// Add counts one result.
func (s *Summary) Add(r *Result) {
	s.Total++
	switch r.Status {
	case StatusError:
		s.Errors++
	case StatusRejected:
		s.Rejected++
	case StatusUndecided:
		s.Undecided++
	case StatusAccepted:
		s.Accepted++
	case StatusIgnored:
		s.Ignored++
	}
	if (r.Status == StatusAccepted || r.Status == StatusUndecided) && len(r.Warnings) > 0 {
		s.Warned++
	}
}

// Fails reports whether the run fails (exit status 1) on these results.
func (s Summary) Fails(strict bool) bool {
	return s.Rejected > 0 || strict && (s.Undecided > 0 || s.Warned > 0)
}
