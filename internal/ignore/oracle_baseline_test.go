package ignore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/report"
)

// The baseline writer before it spooled, kept as the oracle the external
// sort is compared with (baseline_test.go).

// oracleWriter is how a baseline was written before it was spooled:
// every rejection held, sorted in memory at the end.
type oracleWriter struct {
	// Redact is applied to what the file shows of an input (its URL's
	// credentials); input_id still names the input as given.
	Redact  redact.Policy
	results []oracleEntry
}

type oracleEntry struct {
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
func (w *oracleWriter) Add(res *report.Result) {
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
	w.results = append(w.results, oracleEntry{abs: abs, Input: strings.ToValidUTF8(shown, "\uFFFD"), InputID: report.InputID(res.Input), Source: res.Source,
		Status: report.StatusRejected, Exception: &report.Exception{Name: e.Name, Message: w.Redact.Text(e.Message), Parameters: map[string]string{},
			Category: e.Category, Step: e.Step, Description: e.Description}})
}

// WriteFile writes the baseline to path, replacing it whole (a temporary
// file renamed over it, so a reader never sees half of one). Files are
// named relative to the baseline's directory, as ReadBaseline reads them.
func (w *oracleWriter) WriteFile(path string) error {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	for i, e := range w.results {
		if rel, err := filepath.Rel(dir, e.abs); e.abs != "" && err == nil && utf8.ValidString(rel) {
			w.results[i].Input = filepath.ToSlash(rel)
		}
	}
	slices.SortFunc(w.results, func(a, b oracleEntry) int {
		return strings.Compare(a.Input+"\x00"+a.Exception.Name, b.Input+"\x00"+b.Exception.Name)
	})
	results := w.results
	if results == nil {
		results = []oracleEntry{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		SchemaVersion int           `json:"schema_version"`
		Baseline      bool          `json:"baseline"`
		Results       []oracleEntry `json:"results"`
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
