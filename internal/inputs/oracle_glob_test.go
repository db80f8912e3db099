//go:build unix

package inputs

import (
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// The expansion of patterns before it streamed, kept as the oracle the
// streaming search is compared with on random trees (glob_test.go).

// oracleMatch is a path a pattern matched, or a directory it could not read.
type oracleMatch struct {
	name string      // as found: the pattern's literal prefix and the elements matched
	rel  string      // relative to the literal prefix
	mode fs.FileMode // type bits, symbolic links followed
	err  error
}

// oracleGlobber expands one pattern argument, the way it was.
type oracleGlobber struct {
	matches []oracleMatch
	seen    map[string]bool
	dirs    map[string][]fs.DirEntry // directories read, by name
}

// oracleGlob is how a pattern was expanded before the search streamed:
// every match collected, sorted, then yielded, with the names already
// yielded kept to yield each once: e.yield drops those itself, and
// distinct says how many it kept.
func oracleGlob(e *expander, arg string, distinct func() int) {
	elems := strings.Split(arg, "/")
	k := 0
	for k < len(elems)-1 && isLiteral(elems[k]) {
		k++
	}
	base := strings.Join(elems[:k], "/")
	if k > 0 && base == "" {
		base = "/"
	}
	var rest []string
	for _, el := range elems[k:] {
		if el != "" {
			rest = append(rest, el)
		}
	}
	dir := base
	if dir == "" {
		dir = "."
	}
	g := &oracleGlobber{seen: map[string]bool{}, dirs: map[string][]fs.DirEntry{}}
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		g.match(dir, base, "", rest, append(rootAncestors(dir), ancestor{name: dir, fi: fi, inside: true}))
	}
	slices.SortFunc(g.matches, func(a, b oracleMatch) int { return compareNames(a.name, b.name) })
	before := distinct()
	for _, m := range g.matches {
		if e.stop {
			return
		}
		switch {
		case matchAny(e.exclude, m.rel, m.name, path.Base(m.name)):
			// Excluded: never an error, whatever it is.
		case m.err != nil:
			e.fail(m.name, m.err)
		case m.mode.IsDir():
			e.walk(m.name, m.rel, nil)
		default:
			e.addFound(m.name, m.mode)
		}
	}
	if distinct() == before {
		e.fail(arg, ErrNoMatch)
	}
}

// match finds what the pattern elements match below the directory dir
// (named name as the user sees it, rel below the pattern's literal prefix);
// anc are the directories the search is inside, dir included.
func (g *oracleGlobber) match(dir, name, rel string, elems []string, anc []ancestor) {
	el := elems[0]
	last := len(elems) == 1
	if isLiteral(el) {
		child, childName, childRel := joinName(dir, el), joinName(name, el), joinName(rel, el)
		fi, err := os.Stat(child)
		switch {
		case err != nil:
		case last:
			g.add(oracleMatch{name: childName, rel: childRel, mode: fi.Mode().Type()})
		case fi.IsDir():
			g.match(child, childName, childRel, elems[1:], append(anc, ancestor{name: childName, fi: fi, inside: true}))
		}
		return
	}
	entries, err := g.readDir(dir)
	if err != nil {
		g.add(oracleMatch{name: nameOrDot(name), err: statError(dir, err)})
	}
	if el == "**" {
		if !last {
			g.match(dir, name, rel, elems[1:], anc) // "**" as no directory at all
		}
		for _, d := range entries {
			typ := d.Type()
			if strings.HasPrefix(d.Name(), ".") || (!last && typ.IsRegular()) {
				continue // only directories matter to a "**" that is not last
			}
			child, childName, childRel := joinName(dir, d.Name()), joinName(name, d.Name()), joinName(rel, d.Name())
			var fi fs.FileInfo
			if typ&fs.ModeSymlink != 0 || typ.IsDir() {
				if fi, err = os.Stat(child); err != nil {
					if last {
						g.add(oracleMatch{name: childName, rel: childRel, err: statError(child, err)})
					}
					continue
				}
				typ = fi.Mode().Type()
			}
			switch {
			case typ.IsDir():
				if loop, err := loopCheck(anc, fi); loop {
					if err != nil {
						g.add(oracleMatch{name: childName, rel: childRel, err: err})
					}
					continue
				}
				g.match(child, childName, childRel, elems, append(anc, ancestor{name: childName, fi: fi, inside: true}))
			case last:
				g.add(oracleMatch{name: childName, rel: childRel, mode: typ})
			}
		}
		return
	}
	for _, d := range entries {
		if strings.HasPrefix(d.Name(), ".") && !strings.HasPrefix(el, ".") {
			continue
		}
		if ok, _ := path.Match(el, d.Name()); !ok {
			continue
		}
		child, childName, childRel := joinName(dir, d.Name()), joinName(name, d.Name()), joinName(rel, d.Name())
		typ := d.Type()
		var fi fs.FileInfo
		if typ&fs.ModeSymlink != 0 || typ.IsDir() {
			if fi, err = os.Stat(child); err != nil {
				if last {
					g.add(oracleMatch{name: childName, rel: childRel, err: statError(child, err)})
				}
				continue
			}
			typ = fi.Mode().Type()
		}
		if typ.IsDir() {
			if loop, err := loopCheck(anc, fi); loop {
				if err != nil {
					g.add(oracleMatch{name: childName, rel: childRel, err: err})
				}
				continue
			}
		}
		switch {
		case last:
			g.add(oracleMatch{name: childName, rel: childRel, mode: typ})
		case typ.IsDir():
			g.match(child, childName, childRel, elems[1:], append(anc, ancestor{name: childName, fi: fi, inside: true}))
		}
	}
}

func (g *oracleGlobber) add(m oracleMatch) {
	if !g.seen[m.name] {
		g.seen[m.name] = true
		g.matches = append(g.matches, m)
	}
}

// readDir lists a directory once per pattern, sorted by name.
func (g *oracleGlobber) readDir(dir string) ([]fs.DirEntry, error) {
	if entries, ok := g.dirs[dir]; ok {
		return entries, nil
	}
	entries, err := os.ReadDir(dir)
	g.dirs[dir] = entries
	return entries, err
}
