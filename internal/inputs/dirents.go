package inputs

import (
	"io/fs"
	"slices"
	"strings"
)

// dirEntry is one name in a directory and its type (the type bits of
// fs.FileMode, as the directory lists it; a symbolic link is not followed).
type dirEntry struct {
	name string
	typ  fs.FileMode
}

// sortEntries puts a directory's entries in the order the walk yields them:
// by name, byte by byte.
func sortEntries(entries []dirEntry) {
	slices.SortFunc(entries, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
}
