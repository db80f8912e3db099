package ignore

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/report"
)

// Baseline is the rejections of an earlier run: the (input, exception)
// pairs of the rejected and ignored results of a JSON or JSONL report of
// check. An input is known by its input_id, the hash of the input as
// given, so a name the report shows escaped or redacted still matches;
// and a file also by where it is, so that a run from another directory
// (a subdirectory's ../../takes/a.wav) matches it too: a relative name in
// a report is taken as relative to the report's directory and to its
// repository's root (the first directory above holding .git), where the
// runs that write reports usually run; --write-baseline writes names
// relative to the baseline's directory.
type Baseline struct {
	Path  string
	dirs  []string
	pairs map[pair]bool
}

// pair is an input, by its id or by "file:" and its absolute path, and
// an exception's name.
type pair struct{ input, exception string }

// Holds reports whether the baseline holds the input, from source, with
// exception as its verdict.
func (b *Baseline) Holds(input, source, exception string) bool {
	if b == nil {
		return false
	}
	if b.pairs[pair{report.InputID(input), exception}] {
		return true
	}
	if source == report.SourceFile {
		if abs, err := filepath.Abs(input); err == nil && b.pairs[pair{"file:" + abs, exception}] {
			return true
		}
	}
	return false
}

// Len is how many pairs the baseline holds.
func (b *Baseline) Len() int { return len(b.pairs) }

// baselineResult is what a baseline reads of a result.
type baselineResult struct {
	SchemaVersion int           `json:"schema_version"`
	Input         *string       `json:"input"`
	InputID       string        `json:"input_id"`
	Source        string        `json:"source"`
	Status        report.Status `json:"status"`
	Exception     *struct {
		Name string `json:"name"`
	} `json:"exception"`
}

// ReadBaseline reads a report of check — a JSON document (-o json) or JSON
// lines (-o jsonl), as --write-baseline writes too — result by result, so
// a large report is not held whole.
func ReadBaseline(path string) (*Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	defer f.Close()
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	b := &Baseline{Path: path, dirs: []string{dir}, pairs: map[pair]bool{}}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			if d != dir {
				b.dirs = append(b.dirs, d)
			}
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := b.read(bufio.NewReader(f)); err != nil {
		return nil, fmt.Errorf("baseline %s: not a JSON or JSONL report of audiopreflight check: %w", path, err)
	}
	return b, nil
}

func (b *Baseline) read(r io.Reader) error {
	dec := json.NewDecoder(r)
	// The first value is the document, or the first line's result.
	first, err := b.readFirst(dec)
	if err != nil {
		return err
	}
	if !first {
		return nil // a document: its results are read
	}
	for n := 2; ; n++ {
		var res baselineResult
		switch err := dec.Decode(&res); {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("line %d: %w", n, err)
		}
		if err := b.add(res); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
}

// readFirst reads the first JSON value: a report document, whose results
// it adds (false), or a result, the first of JSON lines (true).
func (b *Baseline) readFirst(dec *json.Decoder) (lines bool, err error) {
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return false, errors.New("it is empty")
	}
	if err != nil {
		return false, err
	}
	if tok != json.Delim('{') {
		return false, fmt.Errorf("it starts with %v, not an object", tok)
	}
	// Keep the first object's small fields, in case it is a result; a
	// document's results are read one by one.
	fields := map[string]json.RawMessage{}
	sawResults := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false, err
		}
		key, _ := tok.(string)
		if key != "results" {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return false, err
			}
			fields[key] = v
			continue
		}
		sawResults = true
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return false, errors.New(`"results" is not a list`)
		}
		for i := 0; dec.More(); i++ {
			var res baselineResult
			if err := dec.Decode(&res); err != nil {
				return false, fmt.Errorf("results[%d]: %w", i, err)
			}
			if err := b.add(res); err != nil {
				return false, fmt.Errorf("results[%d]: %w", i, err)
			}
		}
		if _, err := dec.Token(); err != nil {
			return false, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return false, err
	}
	if err := checkVersion(fields["schema_version"]); err != nil {
		return false, err
	}
	if sawResults {
		return false, nil
	}
	if _, ok := fields["input_id"]; !ok {
		return false, errors.New(`its first object has neither "results" (a JSON report) nor "input_id" (a JSONL result)`)
	}
	raw, _ := json.Marshal(fields)
	var res baselineResult
	if err := json.Unmarshal(raw, &res); err != nil {
		return false, fmt.Errorf("line 1: %w", err)
	}
	if err := b.add(res); err != nil {
		return false, fmt.Errorf("line 1: %w", err)
	}
	return true, nil
}

func checkVersion(raw json.RawMessage) error {
	if raw == nil {
		return nil
	}
	var v int
	if err := json.Unmarshal(raw, &v); err != nil || v > report.SchemaVersion {
		return fmt.Errorf("schema_version %s: written by a newer audiopreflight (this one reads %d)", raw, report.SchemaVersion)
	}
	return nil
}

// add keeps a result's pair when it was rejected or ignored.
func (b *Baseline) add(res baselineResult) error {
	if res.SchemaVersion > report.SchemaVersion {
		return checkVersion(json.RawMessage(fmt.Sprint(res.SchemaVersion)))
	}
	if res.InputID == "" {
		if res.Input == nil {
			return errors.New(`a result has no "input_id"`)
		}
		res.InputID = report.InputID(*res.Input)
	}
	if (res.Status != report.StatusRejected && res.Status != report.StatusIgnored) || res.Exception == nil || res.Exception.Name == "" {
		return nil
	}
	b.pairs[pair{res.InputID, res.Exception.Name}] = true
	if res.Source == report.SourceFile && res.Input != nil && *res.Input != "" {
		p := filepath.FromSlash(*res.Input)
		if filepath.IsAbs(p) {
			b.pairs[pair{"file:" + filepath.Clean(p), res.Exception.Name}] = true
		}
		for _, dir := range b.dirs {
			if !filepath.IsAbs(p) {
				b.pairs[pair{"file:" + filepath.Join(dir, p), res.Exception.Name}] = true
			}
		}
	}
	return nil
}

// Writer collects a run's rejections (rejected and ignored results) and
// writes them as a baseline: a JSON report of check that holds only them,
// sorted by input so that a baseline's diff shows what changed.
type Writer struct {
	// Redact is applied to what the file shows of an input (its URL's
	// credentials); input_id still names the input as given.
	Redact  redact.Policy
	results []baselineEntry
}

type baselineEntry struct {
	// abs is a file's absolute path: the file shows it relative to its
	// own directory.
	abs       string
	Input     string            `json:"input"`
	InputID   string            `json:"input_id"`
	Source    string            `json:"source"`
	Status    report.Status     `json:"status"`
	Accepted  bool              `json:"accepted"`
	Exception *report.Exception `json:"exception"`
}

// Add keeps res if it is a rejection of its audio.
func (w *Writer) Add(res *report.Result) {
	if res.Status != report.StatusRejected && res.Status != report.StatusIgnored || res.Exception == nil || res.AuthFailed() {
		return
	}
	e := res.Exception
	shown := w.Redact.Secret(res.Input)
	if res.Source == report.SourceURL {
		shown = w.Redact.URL(res.Input)
	}
	abs := ""
	if res.Source == report.SourceFile {
		abs, _ = filepath.Abs(res.Input)
	}
	w.results = append(w.results, baselineEntry{abs: abs, Input: strings.ToValidUTF8(shown, "\uFFFD"), InputID: report.InputID(res.Input), Source: res.Source,
		Status: report.StatusRejected, Exception: &report.Exception{Name: e.Name, Message: w.Redact.Text(e.Message), Parameters: map[string]string{},
			Category: e.Category, Step: e.Step, Description: e.Description}})
}

// WriteFile writes the baseline to path, replacing it whole (a temporary
// file renamed over it, so a reader never sees half of one). Files are
// named relative to the baseline's directory, as ReadBaseline reads them.
func (w *Writer) WriteFile(path string) error {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	for i, e := range w.results {
		if rel, err := filepath.Rel(dir, e.abs); e.abs != "" && err == nil && utf8.ValidString(rel) {
			w.results[i].Input = filepath.ToSlash(rel)
		}
	}
	slices.SortFunc(w.results, func(a, b baselineEntry) int {
		return strings.Compare(a.Input+"\x00"+a.Exception.Name, b.Input+"\x00"+b.Exception.Name)
	})
	results := w.results
	if results == nil {
		results = []baselineEntry{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		SchemaVersion int             `json:"schema_version"`
		Baseline      bool            `json:"baseline"`
		Results       []baselineEntry `json:"results"`
	}{report.SchemaVersion, true, results}); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".audiopreflight-baseline-*")
	if err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the baseline: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	return nil
}
