package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/safetext"
)

// jsonRenderer writes one JSON object for the whole run: the run's
// settings, "results" and "summary". It keeps the results until flush.
type jsonRenderer struct {
	w       io.Writer
	opts    Options
	results []json.RawMessage
}

func (j *jsonRenderer) begin() error { return nil }

func (j *jsonRenderer) write(r *Result) error {
	line, err := r.MarshalJSON()
	if err != nil {
		return err
	}
	// The run's head carries the schema version; its results do not.
	j.results = append(j.results, withoutSchemaVersion(line))
	return nil
}

// withoutSchemaVersion is a result's JSON object inside another one, which
// carries the schema version.
func withoutSchemaVersion(line []byte) json.RawMessage {
	return append([]byte{'{'}, bytes.TrimPrefix(line, []byte(schemaVersionKey))...)
}

// schemaVersionKey opens a result's JSONL line (Result.MarshalJSON).
var schemaVersionKey = fmt.Sprintf(`{"schema_version":%d,`, SchemaVersion)

func (j *jsonRenderer) flush(s Summary, _ time.Duration) error {
	results := j.results
	if results == nil {
		results = []json.RawMessage{}
	}
	return encodeJSON(j.w, "  ", struct {
		Run
		Results []json.RawMessage `json:"results"`
		Summary Summary           `json:"summary"`
	}{j.opts.Run, results, s})
}

// jsonlRenderer writes one result object per line, as each completes;
// every line carries the schema version.
type jsonlRenderer struct {
	w    io.Writer
	opts Options
}

func (j *jsonlRenderer) begin() error { return nil }

func (j *jsonlRenderer) write(r *Result) error {
	return encodeJSON(j.w, "", r)
}

func (j *jsonlRenderer) flush(Summary, time.Duration) error { return nil }

// encodeJSON writes v as JSON and a newline. encoding/json escapes control
// characters; the characters it leaves raw that could still act on a
// terminal (DEL, C1 controls, bidi overrides) are escaped as \uXXXX too,
// which changes no value.
func encodeJSON(w io.Writer, indent string, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", indent)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(safetext.EscapeEncoded(b.Bytes(), jsonEscape))
	return err
}

func jsonEscape(r rune) string { return fmt.Sprintf(`\u%04x`, r) }
