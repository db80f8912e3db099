package inputs

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/audiopreflight/audiopreflight/probe"
)

// ancestor is a directory a walk is inside, kept to detect loops.
type ancestor struct {
	name string
	fi   fs.FileInfo
	// inside says the directory is the walk's root or below it: what is
	// below it is walked already.
	inside bool
}

// loopCheck reports whether the directory fi is one the walk is inside
// (a loop), and, when walking it again would reach files the walk does
// not reach otherwise (it is above the walk's root), the ErrLoop error to
// report: a loop back into the walk only repeats it and is skipped.
func loopCheck(anc []ancestor, fi fs.FileInfo) (loop bool, err error) {
	for _, a := range anc {
		if os.SameFile(a.fi, fi) {
			if a.inside {
				return true, nil
			}
			return true, fmt.Errorf("%w: leads back to %s, above the directory walked", ErrLoop, a.name)
		}
	}
	return false, nil
}

// rootAncestors returns the directories above dir, so that a link back to
// any of them is a loop from the start: first those its path names (as
// written, so that messages use the user's names), then those above where
// it really is (symbolic links followed).
func rootAncestors(dir string) []ancestor {
	var anc []ancestor
	add := func(p string) {
		if fi, err := os.Stat(p); err == nil {
			anc = append(anc, ancestor{name: p, fi: fi})
		}
	}
	// As written, a path's parent is its last element dropped — but not
	// past a "..": the parent of ../.. is not .. (which is below it).
	for p := filepath.Clean(dir); filepath.Dir(p) != p && filepath.Dir(p) != "." && filepath.Base(p) != ".."; {
		p = filepath.Dir(p)
		add(p)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return anc
	}
	abs, err := filepath.Abs(real)
	if err != nil {
		return anc
	}
	for p := abs; filepath.Dir(p) != p; {
		p = filepath.Dir(p)
		add(p)
	}
	return anc
}

// walk yields the files taken from the directory root and below it; rel
// is root's path relative to where patterns are matched from ("" for a
// directory argument, the path below the literal prefix for a directory a
// pattern matched).
func (e *expander) walk(root, rel string) {
	e.walkDir(root, rel, rootAncestors(root))
}

// walkDir yields the files taken from the directory name, whose path
// relative to the walk's root is rel; anc are the directories above it.
func (e *expander) walkDir(name, rel string, anc []ancestor) {
	f, err := os.Open(name)
	if err != nil {
		e.fail(name, statError(name, err))
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		e.fail(name, statError(name, err))
		return
	}
	if loop, err := loopCheck(anc, fi); loop {
		if err != nil {
			e.fail(name, err)
		}
		return
	}
	anc = append(anc, ancestor{name: name, fi: fi, inside: true})
	entries, err := f.ReadDir(-1)
	if err != nil {
		e.fail(name, statError(name, err))
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	for _, d := range entries {
		if e.stop {
			return
		}
		base := d.Name()
		if strings.HasPrefix(base, ".") {
			continue
		}
		child, childRel := joinName(name, base), joinName(rel, base)
		typ := d.Type()
		if typ&fs.ModeSymlink != 0 {
			target, err := os.Stat(child)
			if err != nil {
				if e.takes(childRel, child, base) {
					e.fail(child, statError(child, err))
				}
				continue
			}
			typ = target.Mode().Type()
		}
		if typ.IsDir() {
			if !matchAny(e.exclude, childRel, child, base) {
				e.walkDir(child, childRel, anc)
			}
			continue
		}
		if e.takes(childRel, child, base) {
			e.addFound(child, typ)
		}
	}
}

// takes reports whether a file found in a directory is to be checked, by
// its path relative to the walk's root, as printed, and its base name.
func (e *expander) takes(rel, printed, base string) bool {
	if len(e.include) == 0 {
		if !probe.IsAudioExtension(base) {
			return false
		}
	} else if !matchAny(e.include, rel, printed, base) {
		return false
	}
	return !matchAny(e.exclude, rel, printed, base)
}

// joinName appends an element to a path as the user wrote it, without
// cleaning it ("./a" stays "./a").
func joinName(dir, elem string) string {
	switch {
	case dir == "":
		return elem
	case strings.HasSuffix(dir, "/"):
		return dir + elem
	}
	return dir + "/" + elem
}
