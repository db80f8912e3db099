package inputs

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"iter"
	"os"
)

// openList opens the FilesFrom list and returns its names, read as the
// sequence is ranged over: one per line (a CR before the newline is
// dropped) or, with Null, NUL-terminated. Empty names are skipped; nothing
// else is trimmed, as a file name may begin or end with blanks. Only one
// buffer of the list is held at a time, whatever its length.
func openList(opts Options) (iter.Seq2[string, error], func(), error) {
	var r io.Reader
	src := opts.FilesFrom
	closeList := func() {}
	if src == "-" {
		r = opts.Stdin
		if r == nil {
			r = os.Stdin
		}
		src = "standard input"
	} else {
		f, err := os.Open(opts.FilesFrom)
		if err != nil {
			return nil, nil, fmt.Errorf("reading the list of inputs: %w", err)
		}
		r, closeList = f, func() { f.Close() }
	}
	return listNames(r, src, opts.Null), closeList, nil
}

// listNames yields the names of a list read from r (named src in errors).
func listNames(r io.Reader, src string, null bool) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		sep := byte('\n')
		if null {
			sep = 0
		}
		br := bufio.NewReaderSize(r, 64<<10)
		var long []byte // a line longer than the buffer, gathered
		for lineNo := 1; ; lineNo++ {
			line, err := br.ReadSlice(sep)
			for err == bufio.ErrBufferFull {
				long = append(long[:0], line...)
				line, err = br.ReadSlice(sep)
				line = append(long, line...)
			}
			if err != nil && err != io.EOF {
				yield("", fmt.Errorf("reading the list of inputs from %s: %w", src, err))
				return
			}
			end := err == io.EOF
			line = bytes.TrimSuffix(line, []byte{sep})
			if !null {
				line = bytes.TrimSuffix(line, []byte{'\r'})
				if bytes.IndexByte(line, 0) >= 0 {
					yield("", fmt.Errorf("the list of inputs in %s has a NUL byte on line %d: for a NUL-separated list, use -0/--null", src, lineNo))
					return
				}
			}
			if len(line) > 0 && !yield(string(line), nil) {
				return
			}
			if end {
				return
			}
		}
	}
}
