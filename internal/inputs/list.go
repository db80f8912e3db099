package inputs

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// readList reads the names of the FilesFrom list: one per line (a CR
// before the newline is dropped) or, with Null, NUL-terminated. Empty
// names are skipped; nothing else is trimmed, as a file name may begin or
// end with blanks.
func readList(opts Options) ([]string, error) {
	var r io.Reader
	src := opts.FilesFrom
	if src == "-" {
		r = opts.Stdin
		if r == nil {
			r = os.Stdin
		}
		src = "standard input"
	} else {
		f, err := os.Open(opts.FilesFrom)
		if err != nil {
			return nil, fmt.Errorf("reading the list of inputs: %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading the list of inputs from %s: %w", src, err)
	}
	sep := byte('\n')
	if opts.Null {
		sep = 0
	}
	var names []string
	for i, line := range bytes.Split(data, []byte{sep}) {
		if !opts.Null {
			line = bytes.TrimSuffix(line, []byte{'\r'})
			if bytes.IndexByte(line, 0) >= 0 {
				return nil, fmt.Errorf("the list of inputs in %s has a NUL byte on line %d: for a NUL-separated list, use -0/--null", src, i+1)
			}
		}
		if len(line) > 0 {
			names = append(names, string(line))
		}
	}
	return names, nil
}
