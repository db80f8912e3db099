//go:build !linux

package inputs

import "os"

// readDirSorted lists the directory f in name order; on an error part way
// it returns what it read with the error, as (*os.File).ReadDir does.
func (e *expander) readDirSorted(f *os.File) ([]dirEntry, error) {
	list, err := f.ReadDir(-1)
	entries := make([]dirEntry, len(list))
	for i, d := range list {
		entries[i] = dirEntry{name: d.Name(), typ: d.Type()}
	}
	sortEntries(entries)
	return entries, err
}
