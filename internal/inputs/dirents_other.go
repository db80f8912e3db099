//go:build !linux

package inputs

import "os"

// readDirSorted lists the directory f in name order, its entries' paths
// joined to f.Name(); on an error part way it returns what it read with
// the error, as (*os.File).ReadDir does. size is the directory's size (a
// hint, unused here).
func (e *expander) readDirSorted(f *os.File, size int64) ([]dirEntry, error) {
	list, err := f.ReadDir(-1)
	at := uint32(len(joinName(f.Name(), "")))
	entries := make([]dirEntry, len(list))
	for i, d := range list {
		entries[i] = dirEntry{path: joinName(f.Name(), d.Name()), at: at, typ: d.Type()}
	}
	sortEntries(entries)
	return entries, err
}

// openDir is os.Open.
func openDir(name string) (*os.File, error) { return os.Open(name) }
