package inputs

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
// pattern matched). covers are the walks made already that reach root
// (see cover): what they yielded is not yielded again. It returns the
// directories root's walk was inside at root, root last, for a walk that
// entered root, to follow it as a cover.
func (e *expander) walk(root, rel string, covers []cover) []ancestor {
	return e.walkDir(root, rel, rootAncestors(root), covers)
}

// walkDir yields the files taken from the directory name, whose path
// relative to the walk's root is rel; anc are the directories above it,
// covers the walks made already that reach it. It returns anc with name
// added when it entered name.
func (e *expander) walkDir(name, rel string, anc []ancestor, covers []cover) []ancestor {
	// A cover reaching name opened it too, and failed the same way.
	f, err := openDir(name)
	if err != nil {
		if covers == nil {
			e.fail(name, statError(name, err))
		}
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		if covers == nil {
			e.fail(name, statError(name, err))
		}
		return nil
	}
	covers, coverErr := enterCovers(covers, name, fi, func() bool { return true })
	if loop, err := loopCheck(anc, fi); loop {
		if err != nil && !coverErr {
			e.fail(name, err)
		}
		return nil
	}
	anc = append(anc, ancestor{name: name, fi: fi, inside: true})
	entries, err := e.readDirSorted(f, fi.Size())
	if err != nil && !coverErr && covers == nil {
		e.fail(name, statError(name, err))
	}
	// What a cover that entered name yields of its entries, it found the
	// same way: the same hidden names skipped, the same filters.
	covered := covers != nil
	for i := range entries {
		if e.stop {
			break
		}
		d := &entries[i]
		base := d.name()
		if strings.HasPrefix(base, ".") {
			continue
		}
		child := d.path
		childRel := joinNameIn(child, rel, base)
		typ := d.typ
		if typ&fs.ModeSymlink != 0 {
			target, err := os.Stat(child)
			if err != nil {
				if e.takes(childRel, child, base) && !covered {
					e.fail(child, statError(child, err))
				}
				continue
			}
			typ = target.Mode().Type()
		}
		if typ.IsDir() {
			if !matchAny(e.exclude, childRel, child, base) {
				e.walkDir(child, childRel, anc, covers)
			}
			continue
		}
		if e.takes(childRel, child, base) && !covered {
			e.addFound(child, typ)
		}
	}
	return anc
}

// A cover is a directory walk made already, followed alongside a later
// walk or a pattern's search of the same directories so that what it
// yielded is not yielded twice, without keeping what it yielded: a
// pattern's matches include the directories it walks and what is below
// them ("rec/**/*" matches rec/sub, walked, and rec/sub/deeper and
// rec/sub/deeper/f.ogg). It is the directories the walk was inside at
// the directory the search is in, for the walk's loop checks; a walk
// entering a directory also yielded each entry that passes its filters,
// and reached each directory entry, which it entered unless it loops.
type cover []ancestor

// enterCovers steps the covers that reach the directory name (fi) into
// it: the ones that enter it, and whether one of them reported an error
// for it (a loop above its root, or a directory it could not read).
// readable says whether the directory can be opened; it is asked only
// when a cover would enter it.
func enterCovers(covers []cover, name string, fi fs.FileInfo, readable func() bool) (in []cover, reported bool) {
	for _, c := range covers {
		loop, err := loopCheck(c, fi)
		if err != nil {
			reported = true
		}
		if !loop {
			// Clipped: each cover's directories are its own.
			in = append(in, append(c[:len(c):len(c)], ancestor{name: name, fi: fi, inside: true}))
		}
	}
	if in != nil && !readable() {
		return nil, true
	}
	return in, reported
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

// joinNameIn is joinName(dir, elem), cut from the end of path when path
// ends with it: the path of a file below a walk's root ends with its path
// relative to the root, which then costs no string of its own.
func joinNameIn(path, dir, elem string) string {
	if dir == "" {
		return elem
	}
	sep := "/"
	if strings.HasSuffix(dir, "/") {
		sep = ""
	}
	if n := len(dir) + len(sep) + len(elem); len(path) >= n {
		s := path[len(path)-n:]
		if s[:len(dir)] == dir && s[len(dir):len(dir)+len(sep)] == sep && s[len(dir)+len(sep):] == elem {
			return s
		}
	}
	return joinName(dir, elem)
}
