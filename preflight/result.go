package preflight

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/audiopreflight/audiopreflight/internal/safetext"
	"github.com/audiopreflight/audiopreflight/internal/shasum"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

// SchemaVersion is the version of the JSON shape of a Result (its
// "schema_version" field) and of the command's JSON output; it changes
// when a field changes meaning or is removed, not when one is added.
const SchemaVersion = 1

// Sources of an input, as the "source" field names them.
const (
	SourceFile  = "file"
	SourceStdin = "stdin"
	SourceURL   = "url"
	// SourceObject is an object of a store read with the user's
	// credentials (check --read-objects), named s3://bucket/key.
	SourceObject = "object"
)

// Status is where a result stands. Each status has one mark and one word
// in every format (statusStyles) and one counter in the summary; a new one
// (a team-accepted rejection, say) is a constant here, a row there, a
// case in Summary.Add and in Failed.
type Status string

const (
	// StatusAccepted: every decision step ran and none found a problem.
	StatusAccepted Status = "accepted"
	// StatusRejected: the API would answer an exception.
	StatusRejected Status = "rejected"
	// StatusUndecided: nothing was found, but steps that need the whole
	// audio were not run (--header-only).
	StatusUndecided Status = "undecided"
	// StatusError: the input could not be checked (it could not be read).
	StatusError Status = "error"
	// StatusIgnored: the API would answer an exception the team accepts
	// for this input (an ignore entry of the config file, or the
	// baseline): shown and counted, but it does not fail the run.
	StatusIgnored Status = "ignored"
)

// Result is one input's result: an element of the JSON "results" and one
// JSONL line.
type Result struct {
	Input  string `json:"input"`
	Source string `json:"source"`
	Status Status `json:"status"`
	// Accepted is Status == StatusAccepted (kept for scripts that test it).
	Accepted  bool         `json:"accepted"`
	Exception *Exception   `json:"exception"`
	Findings  []*Exception `json:"findings"`
	Warnings  []string     `json:"warnings"`
	Undecided []string     `json:"undecided,omitempty"`
	Hint      string       `json:"hint,omitempty"`
	Audio     *probe.Info  `json:"audio"`
	// Ignored says who accepted the rejection, and why (StatusIgnored).
	Ignored *Ignored `json:"ignored,omitempty"`

	// Error is set when the input could not be checked at all (it could
	// not be read); such a result has no verdict.
	Error string `json:"error,omitempty"`

	// Elapsed is how long checking the input took.
	Elapsed time.Duration `json:"-"`

	// InputID and InputBytes are filled in by the command's output for its
	// JSON formats, which may show the input redacted or escaped: the
	// input_id of the input as given, and the shown name's raw bytes when
	// they are not valid UTF-8. Left empty, MarshalJSON works both out
	// from Input.
	InputID    string `json:"-"`
	InputBytes string `json:"-"`
}

// Ignored is why a rejection does not fail the run.
type Ignored struct {
	// Reason is the team's reason, as written.
	Reason string `json:"reason"`
	// By is what accepted it: the config file's entry (file:line:column)
	// or "baseline FILE".
	By string `json:"by"`
}

// Ignorable reports whether the team may accept this result: a rejection
// of the audio. A failing Authorization header is the run's, whatever the
// input: no entry for an input can accept it.
func (r *Result) Ignorable() bool { return r.Status == StatusRejected && !r.AuthFailed() }

// Ignore turns a rejection into an ignored result.
func (r *Result) Ignore(reason, by string) {
	r.Status, r.Ignored = StatusIgnored, &Ignored{Reason: reason, By: by}
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

// NewException is a finding as results show it.
func NewException(f validate.Finding) *Exception {
	return &Exception{Name: f.Exception.Name, Message: f.Message(), Parameters: f.Params,
		Description: f.Exception.Description, Category: f.Exception.Category, Step: f.Step, Detail: f.Detail}
}

// NewResult builds an input's result from its decision.
func NewResult(input, source string, d validate.Decision, audio *probe.Info, hint string) *Result {
	return newResult(nil, input, source, d, audio, hint)
}

// ResultRoom is memory for one input's result and its Audio, which the
// command reuses from one input's result to the next once the first is
// written (Command.CheckIn): a header check of a small file allocated
// them afresh, and every fresh page of heap costs a page fault. The zero
// ResultRoom is ready to use.
//
// Findings are not kept in it: most results have none, and a room is held
// by every result waiting to be written behind a slower one (hundreds, in
// a run of small files on two workers).
type ResultRoom struct {
	result Result
	info   probe.Room
}

// newResult is NewResult, built in room when there is one.
func newResult(room *ResultRoom, input, source string, d validate.Decision, audio *probe.Info, hint string) *Result {
	var r *Result
	if room != nil {
		r = &room.result
	} else {
		r = new(Result)
	}
	*r = Result{Input: input, Source: source, Findings: []*Exception{}, Warnings: d.Warnings,
		Undecided: d.Undecided, Hint: hint, Audio: audio}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	for _, f := range d.Findings {
		r.Findings = append(r.Findings, NewException(f))
	}
	switch {
	case len(r.Findings) > 0:
		r.Status, r.Exception = StatusRejected, r.Findings[0]
	case len(r.Undecided) > 0:
		r.Status = StatusUndecided
	default:
		r.Status = StatusAccepted
	}
	r.Accepted = r.Status == StatusAccepted
	return r
}

// ErrorResult is the result of an input that could not be checked.
func ErrorResult(input, source string, err error) *Result {
	return &Result{Input: input, Source: source, Status: StatusError, Error: err.Error()}
}

// Failed reports whether the result fails the run (exit status 1):
// rejected, or — with strict — anything short of a fully decided,
// warning-free accept. Errors are counted apart (exit status 2).
func (r *Result) Failed(strict bool) bool {
	switch r.Status {
	case StatusRejected:
		return true
	case StatusIgnored:
		return false
	case StatusAccepted, StatusUndecided:
		return strict && (r.Status == StatusUndecided || len(r.Warnings) > 0)
	}
	return false
}

// AudioFindings are the findings about the audio itself: all but those of
// the Authorization header, which the run reports once (the run's Auth).
func (r *Result) AudioFindings() []*Exception {
	for i, f := range r.Findings {
		if f.Step != validate.StepAuth {
			return r.Findings[i:]
		}
	}
	return nil
}

// AuthFailed reports whether the request fails on its Authorization
// header, whatever the audio.
func (r *Result) AuthFailed() bool {
	return len(r.Findings) > 0 && r.Findings[0].Step == validate.StepAuth
}

// resultJSON is a result's JSON object, in field order; an error result
// leaves the verdict fields out (it has none).
type resultJSON struct {
	SchemaVersion int    `json:"schema_version,omitempty"`
	Input         string `json:"input"`
	InputBytes    string `json:"input_bytes,omitempty"`
	InputID       string `json:"input_id"`
	Source        string `json:"source"`
	Status        Status `json:"status"`
	Accepted      bool   `json:"accepted"`
	*verdictJSON
	Error string `json:"error,omitempty"`
}

type verdictJSON struct {
	Exception *Exception   `json:"exception"`
	Ignored   *Ignored     `json:"ignored,omitempty"`
	Findings  []*Exception `json:"findings"`
	Warnings  []string     `json:"warnings"`
	Undecided []string     `json:"undecided,omitempty"`
	Hint      string       `json:"hint,omitempty"`
	Audio     *probe.Info  `json:"audio"`
}

func (r *Result) jsonObject() resultJSON {
	out := resultJSON{SchemaVersion: SchemaVersion, Input: r.Input, InputBytes: r.InputBytes, InputID: r.InputID,
		Source: r.Source, Status: r.Status, Accepted: r.Accepted, Error: r.Error}
	// A result from Check carries neither: both are of the input as given.
	// (The command fills them in when it shows a redacted or escaped name.)
	if out.InputID == "" {
		out.InputID = InputID(r.Input)
	}
	if out.InputBytes == "" && !utf8.ValidString(r.Input) {
		out.InputBytes = base64.StdEncoding.EncodeToString([]byte(r.Input))
	}
	out.Input = strings.ToValidUTF8(out.Input, "\uFFFD")
	if r.Status != StatusError {
		out.verdictJSON = &verdictJSON{r.Exception, r.Ignored, r.Findings, r.Warnings, r.Undecided, r.Hint, r.Audio}
	}
	return out
}

// MarshalJSON writes the result as one line of `audiopreflight check -o
// jsonl` (without its newline): the same keys in the same order, the same
// values, schema_version first. It leaves <, > and & unescaped, as the
// command does; json.Marshal escapes them again (\u003c…), which changes
// no value — an Encoder with SetEscapeHTML(false) gives the command's
// bytes exactly. Characters that could act on a terminal (DEL, C1
// controls, bidi overrides) are escaped as \uXXXX.
func (r Result) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r.jsonObject()); err != nil {
		return nil, err
	}
	return safetext.EscapeEncoded(bytes.TrimSuffix(b.Bytes(), []byte("\n")), jsonEscape), nil
}

func jsonEscape(r rune) string { return fmt.Sprintf(`\u%04x`, r) }

// InputID is the stable identity of an input in the JSON output (the
// "input_id" field): the first 16 hex digits of the SHA-256 of the input
// exactly as given, so a script can join results to its inputs even when
// the output shows a redacted URL or an escaped name.
func InputID(input string) string {
	sum := shasum.Sum256([]byte(input))
	return hex.EncodeToString(sum[:8])
}
