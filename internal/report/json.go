package report

import (
	"encoding/json"
	"io"
	"time"
)

// jsonRenderer writes one JSON object for the whole run (SPEC.md §9), so
// it keeps the results until Flush.
type jsonRenderer struct {
	w       io.Writer
	opts    Options
	results []*Result
}

func (j *jsonRenderer) Write(r *Result) error {
	if j.opts.shown(r) {
		j.results = append(j.results, r)
	}
	return nil
}

func (j *jsonRenderer) Flush(s Summary, _ time.Duration) error {
	results := j.results
	if results == nil {
		results = []*Result{}
	}
	enc := json.NewEncoder(j.w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Run
		Results []*Result `json:"results"`
		Summary Summary   `json:"summary"`
	}{j.opts.Run, results, s})
}

// jsonlRenderer writes one result object per line, as each completes.
type jsonlRenderer struct {
	w    io.Writer
	opts Options
}

func (j *jsonlRenderer) Write(r *Result) error {
	if !j.opts.shown(r) {
		return nil
	}
	enc := json.NewEncoder(j.w)
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

func (j *jsonlRenderer) Flush(Summary, time.Duration) error { return nil }
