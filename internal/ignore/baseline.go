package ignore

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
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
//
// It holds a bounded number of them, whatever the run's size: beyond
// that, they go to an unlinked temporary file as they come, and WriteFile
// sorts them in runs of that many and merges the runs into the baseline
// (an external merge sort). The file is the one sorting them all in
// memory would write, byte for byte.
type Writer struct {
	// Redact is applied to what the file shows of an input (its URL's
	// credentials); input_id still names the input as given.
	Redact redact.Policy

	pending []baselineEntry // not spooled yet, at most runSize
	spool   *os.File        // the others, in the order they came
	name    string          // spool's name, where it could not be unlinked
	buf     *bufio.Writer   // into spool
	spooled int64           // bytes in spool
	err     error           // why spooling failed: WriteFile says it
	// runSize is how many entries are sorted in memory at once
	// (defaultRunSize when 0).
	runSize int
}

// defaultRunSize keeps a few MB of entries, their JSON included, in
// memory at once: a million rejections make 245 runs to merge.
const defaultRunSize = 4096

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
	if w.err != nil {
		return // WriteFile says why
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
	w.pending = append(w.pending, newEntry(abs, strings.ToValidUTF8(shown, "\uFFFD"), report.InputID(res.Input), res.Source,
		e.Name, w.Redact.Text(e.Message), e.Category, e.Step, e.Description))
	if len(w.pending) == w.size() {
		w.err = w.spill()
	}
}

// newEntry is a baseline's entry, from the fields an entry keeps (in
// spoolFields' order).
func newEntry(abs, input, inputID, source, name, message, category, step, description string) baselineEntry {
	return baselineEntry{abs: abs, Input: input, InputID: inputID, Source: source, Status: report.StatusRejected,
		Exception: &report.Exception{Name: name, Message: message, Parameters: map[string]string{},
			Category: category, Step: step, Description: description}}
}

// spoolFields are the fields an entry keeps, as spooled.
func spoolFields(e *baselineEntry) [9]string {
	x := e.Exception
	return [9]string{e.abs, e.Input, e.InputID, e.Source, x.Name, x.Message, x.Category, x.Step, x.Description}
}

func (w *Writer) size() int {
	if w.runSize > 0 {
		return w.runSize
	}
	return defaultRunSize
}

// spill appends the pending entries to the spool: each field as its
// length (a uvarint) and its bytes, so that every byte of a name comes
// back as it was.
func (w *Writer) spill() error {
	if w.spool == nil {
		f, err := os.CreateTemp("", "audiopreflight-baseline-*")
		if err != nil {
			return err
		}
		w.spool = f
		if os.Remove(f.Name()) != nil {
			w.name = f.Name()
		}
		w.buf = bufio.NewWriterSize(f, 64<<10)
	}
	var b []byte
	for i := range w.pending {
		b = b[:0]
		for _, s := range spoolFields(&w.pending[i]) {
			b = append(binary.AppendUvarint(b, uint64(len(s))), s...)
		}
		n, err := w.buf.Write(b)
		w.spooled += int64(n)
		if err != nil {
			return err
		}
	}
	w.pending = w.pending[:0]
	return w.buf.Flush()
}

// readSpooled reads the next spooled entry.
func readSpooled(r *bufio.Reader) (baselineEntry, error) {
	var f [9]string
	for i := range f {
		s, err := readString(r)
		if err != nil {
			if i > 0 && errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return baselineEntry{}, err
		}
		f[i] = s
	}
	return newEntry(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]), nil
}

// readString reads a uvarint length and that many bytes.
func readString(r *bufio.Reader) (string, error) {
	b, err := readBytes(r)
	return string(b), err
}

func readBytes(r *bufio.Reader) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return b, nil
}

// record is an entry as the baseline shows it: what it is sorted by and
// its JSON, indented as an element of the results.
type record struct {
	key, json []byte
}

// compareRecords orders entries by input, then exception; entries equal
// in both by their JSON, so that the order never depends on the order
// they came in.
func compareRecords(a, b record) int {
	if c := bytes.Compare(a.key, b.key); c != 0 {
		return c
	}
	return bytes.Compare(a.json, b.json)
}

// records names the entries' files relative to dir and encodes them,
// sorted.
func records(entries []baselineEntry, dir string) ([]record, error) {
	out := make([]record, 0, len(entries))
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("    ", "  ")
	enc.SetEscapeHTML(false)
	for i := range entries {
		e := &entries[i]
		if rel, err := filepath.Rel(dir, e.abs); e.abs != "" && err == nil && utf8.ValidString(rel) {
			e.Input = filepath.ToSlash(rel)
		}
		b.Reset()
		if err := enc.Encode(e); err != nil {
			return nil, err
		}
		key := append(append([]byte(e.Input), 0), e.Exception.Name...)
		out = append(out, record{key: key, json: bytes.Clone(bytes.TrimSuffix(b.Bytes(), []byte("\n")))})
	}
	slices.SortFunc(out, compareRecords)
	return out, nil
}

// run is a sorted run of records in the spool.
type run struct{ off, n int64 }

// WriteFile writes the baseline to path, replacing it whole (a temporary
// file renamed over it, so a reader never sees half of one). Files are
// named relative to the baseline's directory, as ReadBaseline reads them.
func (w *Writer) WriteFile(path string) error {
	if err := w.writeFile(path); err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	return nil
}

func (w *Writer) writeFile(path string) (err error) {
	defer w.close()
	if w.err != nil {
		return fmt.Errorf("spooling the rejections: %w", w.err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".audiopreflight-baseline-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	out := bufio.NewWriterSize(tmp, 64<<10)
	if w.spool == nil {
		recs, err := records(w.pending, dir)
		if err == nil {
			err = writeDocument(out, func(yield func(record) error) error {
				for _, r := range recs {
					if err := yield(r); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err != nil {
			tmp.Close()
			return err
		}
	} else if err := w.merge(out, dir); err != nil {
		tmp.Close()
		return err
	}
	if err := out.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// merge sorts the spool's entries, and the pending ones, in runs written
// after them in the spool, then merges the runs into out.
func (w *Writer) merge(out io.Writer, dir string) error {
	if len(w.pending) > 0 {
		if err := w.spill(); err != nil {
			return fmt.Errorf("spooling the rejections: %w", err)
		}
	}
	in := bufio.NewReaderSize(io.NewSectionReader(w.spool, 0, w.spooled), 64<<10)
	var runs []run
	chunk := make([]baselineEntry, 0, w.size())
	for done := false; !done; {
		chunk = chunk[:0]
		for len(chunk) < w.size() {
			e, err := readSpooled(in)
			if errors.Is(err, io.EOF) {
				done = true
				break
			}
			if err != nil {
				return fmt.Errorf("reading the spooled rejections: %w", err)
			}
			chunk = append(chunk, e)
		}
		if len(chunk) == 0 {
			break
		}
		recs, err := records(chunk, dir)
		if err != nil {
			return err
		}
		r := run{off: w.spooled}
		var b []byte
		for _, rec := range recs {
			b = binary.AppendUvarint(b[:0], uint64(len(rec.key)))
			b = binary.AppendUvarint(append(b, rec.key...), uint64(len(rec.json)))
			b = append(b, rec.json...)
			n, err := w.buf.Write(b)
			w.spooled += int64(n)
			if err != nil {
				return fmt.Errorf("spooling the rejections: %w", err)
			}
		}
		if err := w.buf.Flush(); err != nil {
			return fmt.Errorf("spooling the rejections: %w", err)
		}
		r.n = w.spooled - r.off
		runs = append(runs, r)
	}
	chunk = nil

	// A k-way merge: a heap of each run's next record.
	h := make(runHeap, 0, len(runs))
	for _, r := range runs {
		c := &cursor{r: bufio.NewReaderSize(io.NewSectionReader(w.spool, r.off, r.n), 4096)}
		if ok, err := c.next(); err != nil {
			return err
		} else if ok {
			h = append(h, c)
		}
	}
	heap.Init(&h)
	return writeDocument(out, func(yield func(record) error) error {
		for len(h) > 0 {
			c := h[0]
			if err := yield(c.rec); err != nil {
				return err
			}
			switch ok, err := c.next(); {
			case err != nil:
				return err
			case ok:
				heap.Fix(&h, 0)
			default:
				heap.Pop(&h)
			}
		}
		return nil
	})
}

// cursor reads a run's records.
type cursor struct {
	r   *bufio.Reader
	rec record
}

// next reads the run's next record; false at its end.
func (c *cursor) next() (bool, error) {
	key, err := readBytes(c.r)
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	if err == nil {
		c.rec.json, err = readBytes(c.r)
	}
	if err != nil {
		return false, fmt.Errorf("reading the spooled rejections: %w", err)
	}
	c.rec.key = key
	return true, nil
}

type runHeap []*cursor

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return compareRecords(h[i].rec, h[j].rec) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*cursor)) }
func (h *runHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

// writeDocument writes the baseline's document, its results the records
// each yields in order: the document encoding/json makes of the whole.
func writeDocument(w io.Writer, each func(yield func(record) error) error) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		SchemaVersion int             `json:"schema_version"`
		Baseline      bool            `json:"baseline"`
		Results       []baselineEntry `json:"results"`
	}{report.SchemaVersion, true, []baselineEntry{}}); err != nil {
		return err
	}
	// The document with no results ends in "[]\n}\n": open the array
	// there, and close it after the records.
	head, ok := bytes.CutSuffix(b.Bytes(), []byte("[]\n}\n"))
	if !ok {
		return errors.New("unexpected encoding of the baseline's head")
	}
	if _, err := w.Write(append(head, '[')); err != nil {
		return err
	}
	sep := "\n    "
	if err := each(func(r record) error {
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		sep = ",\n    "
		_, err := w.Write(r.json)
		return err
	}); err != nil {
		return err
	}
	end := "\n  ]\n}\n"
	if sep == "\n    " {
		end = "]\n}\n"
	}
	_, err := io.WriteString(w, end)
	return err
}

// close lets the spool go.
func (w *Writer) close() {
	if w.spool != nil {
		w.spool.Close()
		if w.name != "" {
			os.Remove(w.name)
		}
	}
	w.spool, w.buf, w.pending, w.name = nil, nil, nil, ""
}
