package inputs

import (
	"io/fs"
	"slices"
	"strings"
)

// dirEntry is one entry of a directory: its path, the directory's name
// joined with the entry's as joinName joins them (the walk's name for it,
// made with the listing so that each entry's name is stored once), and its
// type (the type bits of fs.FileMode, as the directory lists it; a
// symbolic link is not followed).
type dirEntry struct {
	path string
	at   uint32 // where the entry's name starts in path
	typ  fs.FileMode
}

// name is the entry's name in its directory.
func (d *dirEntry) name() string { return d.path[d.at:] }

// sortEntries puts a directory's entries in the order the walk yields them:
// by name, byte by byte.
func sortEntries(entries []dirEntry) {
	slices.SortFunc(entries, func(a, b dirEntry) int { return strings.Compare(a.name(), b.name()) })
}
