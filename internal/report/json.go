package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/safetext"
)

// jsonRenderer writes one JSON object for the whole run: the run's
// settings, "results" and "summary". It is written as it goes — the
// settings and the opening of "results" first, each result as it comes,
// the summary at the end — so it holds no result: the document is the one
// encoding/json would make of the whole, byte for byte.
type jsonRenderer struct {
	w     io.Writer
	opts  Options
	wrote bool   // a result was written
	buf   []byte // reused from one result to the next
}

func (j *jsonRenderer) begin() error {
	run, err := encodedJSON("", "  ", j.opts.Run)
	if err != nil {
		return err
	}
	// The run's object without its closing brace, then the array.
	run = bytes.TrimSuffix(run, []byte("\n}\n"))
	run = append(run, ",\n  \"results\": ["...)
	_, err = j.w.Write(run)
	return err
}

func (j *jsonRenderer) write(r *Result) error {
	line, err := r.MarshalJSON()
	if err != nil {
		return err
	}
	// The run's head carries the schema version; its results do not.
	// The line is compact and escaped already (MarshalJSON): indenting it
	// is all that is left of what an Encoder would do to it again.
	sep := ",\n    "
	if !j.wrote {
		sep, j.wrote = "\n    ", true
	}
	b := bytes.NewBuffer(j.buf[:0])
	b.WriteString(sep)
	if err := json.Indent(b, withoutSchemaVersion(line), "    ", "  "); err != nil {
		return err
	}
	j.buf = b.Bytes()
	_, err = j.w.Write(j.buf)
	return err
}

// withoutSchemaVersion is a result's JSON object inside another one, which
// carries the schema version.
func withoutSchemaVersion(line []byte) json.RawMessage {
	// The key that opens a result's JSONL line (Result.MarshalJSON), made
	// here on the stack: a package-level string would be made by the
	// package's initialiser at every start.
	var buf [32]byte
	key := append(strconv.AppendInt(append(buf[:0], `{"schema_version":`...), SchemaVersion, 10), ',')
	return append([]byte{'{'}, bytes.TrimPrefix(line, key)...)
}

func (j *jsonRenderer) flush(s Summary, _ time.Duration) error {
	b, err := encodedJSON("  ", "  ", s)
	if err != nil {
		return err
	}
	end := "\n  ],\n  \"summary\": "
	if !j.wrote {
		end = "],\n  \"summary\": "
	}
	b = append(append([]byte(end), bytes.TrimSuffix(b, []byte("\n"))...), "\n}\n"...)
	_, err = j.w.Write(b)
	return err
}

// jsonlRenderer writes one result object per line, as each completes;
// every line carries the schema version.
type jsonlRenderer struct {
	w    io.Writer
	opts Options
}

func (j *jsonlRenderer) begin() error { return nil }

func (j *jsonlRenderer) write(r *Result) error {
	// MarshalJSON's line is compact and escaped: it is the line.
	line, err := r.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = j.w.Write(append(line, '\n'))
	return err
}

func (j *jsonlRenderer) flush(Summary, time.Duration) error { return nil }

// encodeJSON writes v as JSON and a newline. encoding/json escapes control
// characters; the characters it leaves raw that could still act on a
// terminal (DEL, C1 controls, bidi overrides) are escaped as \uXXXX too,
// which changes no value.
func encodeJSON(w io.Writer, indent string, v any) error {
	b, err := encodedJSON("", indent, v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// encodedJSON is v as encodeJSON writes it, lines after the first
// starting with prefix.
func encodedJSON(prefix, indent string, v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent(prefix, indent)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return safetext.EscapeEncoded(b.Bytes(), jsonEscape), nil
}

func jsonEscape(r rune) string { return fmt.Sprintf(`\u%04x`, r) }
