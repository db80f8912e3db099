// Package report holds the results of a check run and writes them in every
// output format (text, json, jsonl, github, junit): one renderer per format,
// all over the same structs, in the manner of kubeconform's pkg/output.
package report

import (
	"encoding/json"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

// Sources of an input, as the "source" field names them.
const (
	SourceFile  = "file"
	SourceStdin = "stdin"
	SourceURL   = "url"
)

// Result is one input's result: the "results" element of SPEC.md §9.
type Result struct {
	Input     string       `json:"input"`
	Source    string       `json:"source"`
	Accepted  bool         `json:"accepted"`
	Exception *Exception   `json:"exception"`
	Findings  []*Exception `json:"findings"`
	Warnings  []string     `json:"warnings"`
	Undecided []string     `json:"undecided,omitempty"`
	Hint      string       `json:"hint,omitempty"`
	Audio     *probe.Info  `json:"audio"`

	// Error is set when the input could not be checked at all (it could
	// not be read); such a result has no verdict.
	Error string `json:"error,omitempty"`
}

// Exception is a finding as it appears in results: the catalog entry with
// its message filled in and its parameter values.
type Exception struct {
	Name        string            `json:"name"`
	Message     string            `json:"message"`
	Parameters  map[string]string `json:"parameters"`
	Description string            `json:"description"`
	Category    string            `json:"category"`
	// Step is the decision step that found it; Detail says what exactly
	// went wrong, for people (the message stays the catalog's).
	Step   string `json:"step"`
	Detail string `json:"detail,omitempty"`
}

// NewResult builds an input's result from its decision.
func NewResult(input, source string, d validate.Decision, audio *probe.Info, hint string) *Result {
	r := &Result{Input: input, Source: source, Accepted: d.Accepted(), Findings: []*Exception{}, Warnings: d.Warnings,
		Undecided: d.Undecided, Hint: hint, Audio: audio}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	for _, f := range d.Findings {
		r.Findings = append(r.Findings, &Exception{Name: f.Exception.Name, Message: f.Message(), Parameters: f.Params,
			Description: f.Exception.Description, Category: f.Exception.Category, Step: f.Step, Detail: f.Detail})
	}
	if len(r.Findings) > 0 {
		r.Exception = r.Findings[0]
	}
	return r
}

// ErrorResult is the result of an input that could not be checked.
func ErrorResult(input, source string, err error) *Result {
	return &Result{Input: input, Source: source, Error: err.Error()}
}

// MarshalJSON leaves the verdict fields out of an error result: it has none.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	if r.Error != "" {
		return json.Marshal(struct {
			Input  string `json:"input"`
			Source string `json:"source"`
			Error  string `json:"error"`
		}{r.Input, r.Source, r.Error})
	}
	return json.Marshal(plain(r))
}

// Failed reports whether the result fails the run: rejected, or (with
// strict) accepted with warnings. Errors are counted apart.
func (r *Result) Failed(strict bool) bool {
	if r.Error != "" {
		return false
	}
	return !r.Accepted || strict && len(r.Warnings) > 0
}

// Run describes the run the results belong to.
type Run struct {
	Request        string `json:"request"`
	Mode           string `json:"mode"`
	SyncLimitBytes int64  `json:"sync_limit_bytes"`
	HeaderOnly     bool   `json:"header_only"`
	Strict         bool   `json:"strict,omitempty"`
}

// Summary counts the results of a run.
type Summary struct {
	Total    int `json:"total"`
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	Errors   int `json:"errors"`
	// Warned counts accepted inputs with warnings (they fail with --strict).
	Warned int `json:"warned"`
}

// Add counts one result.
func (s *Summary) Add(r *Result) {
	s.Total++
	switch {
	case r.Error != "":
		s.Errors++
	case !r.Accepted:
		s.Rejected++
	default:
		s.Accepted++
		if len(r.Warnings) > 0 {
			s.Warned++
		}
	}
}
