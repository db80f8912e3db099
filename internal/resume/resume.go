// Package resume lets a long run that was stopped (killed, preempted, out
// of time) start again where it stopped: the run's JSONL report is the
// record of what is done.
//
// Open reads the report's complete lines and remembers the input_id of
// each; the run skips the inputs whose input_id is there and appends the
// results of the others to the same file. A run killed at any moment
// leaves at worst one half-written last line (the JSONL renderer writes a
// line at a time, but a buffered writer may have flushed part of one):
// Open drops it, so that input is checked again and no line is lost or
// repeated. A line that does end but is not a result is an error, not
// something to guess about.
//
// Memory is 8 bytes per result in the report (the input_ids, sorted), so
// a report of a million results costs 8 MB to resume.
package resume

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
)

// maxLine bounds one line of a report: results are a few KiB; a longer
// "line" means the file is not a report.
const maxLine = 16 << 20

// Report is a JSONL report open for resuming: it knows which inputs it
// has results for, and appends.
type Report struct {
	path string
	f    *os.File
	done []uint64 // input_ids read as numbers, sorted, without repeats
	// Dropped is the length of the half-written last line Open removed
	// (0 when the report ended cleanly).
	Dropped int
	// Lines is how many results the report held when opened.
	Lines int
}

// Open opens the report at path for resuming, creating it when it does
// not exist. It takes an exclusive lock on the file (where the system has
// one), so that two runs cannot append to one report. Close it when the
// run ends.
func Open(path string) (*Report, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--resume %s: another run is appending to this report (%w)", path, err)
	}
	r := &Report{path: path, f: f}
	if err := r.load(); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, fmt.Errorf("--resume %s: %w", path, err)
	}
	return r, nil
}

// load reads the report's lines, and cuts a half-written last line off
// the file.
func (r *Report) load() error {
	br := bufio.NewReaderSize(r.f, 64<<10)
	var (
		off     int64 // where the line being read starts
		lineNo  int
		partial []byte
	)
	for {
		line, err := readLine(br, &partial)
		if len(line) == 0 && err == io.EOF {
			break
		}
		lineNo++
		complete := err == nil
		if err != nil && err != io.EOF {
			return fmt.Errorf("--resume %s: line %d: %w", r.path, lineNo, err)
		}
		body := bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(body)) == 0 {
			off += int64(len(line))
			if !complete {
				break
			}
			continue
		}
		id, ok := inputID(body, complete)
		switch {
		case !ok && complete:
			return fmt.Errorf("--resume %s: line %d is not a result of audiopreflight's JSONL output (-o jsonl); give a report that only it wrote", r.path, lineNo)
		case !ok:
			// A last line without its newline that is not a whole
			// result: a run was killed while writing it.
			r.Dropped = len(line)
			if err := r.f.Truncate(off); err != nil {
				return fmt.Errorf("--resume %s: dropping the half-written last line: %w", r.path, err)
			}
			return r.finish()
		}
		r.done = append(r.done, id)
		r.Lines++
		off += int64(len(line))
		if !complete {
			// A whole result whose newline was not written: complete
			// it, so the next result starts a line of its own.
			if _, err := r.f.WriteAt([]byte{'\n'}, off); err != nil {
				return fmt.Errorf("--resume %s: %w", r.path, err)
			}
			break
		}
	}
	return r.finish()
}

func (r *Report) finish() error {
	slices.Sort(r.done)
	r.done = slices.Compact(r.done)
	return nil
}

// readLine reads one line, its newline included, of at most maxLine
// bytes; at the end of the file it returns what is left with io.EOF.
func readLine(br *bufio.Reader, buf *[]byte) ([]byte, error) {
	*buf = (*buf)[:0]
	for {
		chunk, err := br.ReadSlice('\n')
		*buf = append(*buf, chunk...)
		if len(*buf) > maxLine {
			return nil, fmt.Errorf("longer than %d bytes: not a JSONL report", maxLine)
		}
		if err != bufio.ErrBufferFull {
			return *buf, err
		}
	}
}

// inputID finds a result line's input_id. Lines written by the JSONL
// renderer have it as "input_id":"<16 hex>" (a name holding that text is
// escaped, so it cannot be mistaken for the key), which is found without
// decoding the line; other spellings are decoded. A line without its
// newline must also be a whole JSON object, since a cut-off one may
// already hold its input_id.
func inputID(line []byte, complete bool) (uint64, bool) {
	const key = `"input_id":"`
	if complete {
		if i := bytes.Index(line, []byte(key)); i >= 0 && len(line) >= i+len(key)+17 && line[i+len(key)+16] == '"' {
			if id, ok := parseID(string(line[i+len(key) : i+len(key)+16])); ok {
				return id, true
			}
		}
	}
	var v struct {
		InputID *string `json:"input_id"`
	}
	if json.Unmarshal(line, &v) != nil || v.InputID == nil {
		return 0, false
	}
	return parseID(*v.InputID)
}

func parseID(s string) (uint64, bool) {
	if len(s) != 16 {
		return 0, false
	}
	if _, err := hex.DecodeString(s); err != nil {
		return 0, false
	}
	id, err := strconv.ParseUint(s, 16, 64)
	return id, err == nil
}

// Has reports whether the report holds a result for the input whose
// input_id is id.
func (r *Report) Has(id string) bool {
	n, ok := parseID(id)
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(r.done, n)
	return found
}

// Write appends to the report. Give it whole lines where possible; a line
// cut short by a kill is dropped by the next Open.
func (r *Report) Write(p []byte) (int, error) { return r.f.Write(p) }

// Close releases the report and its lock.
func (r *Report) Close() error {
	if r.f == nil {
		return errors.New("resume: report already closed")
	}
	err := r.f.Close()
	r.f = nil
	return err
}
