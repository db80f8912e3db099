package inputs

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// pattern is an Include or Exclude pattern split into path elements.
type pattern struct {
	option string // "include" or "exclude"
	text   string // as given
	elems  []string
	used   bool // it has matched something
}

// compilePatterns checks and splits the patterns of one option.
func compilePatterns(option string, list []string) ([]*pattern, error) {
	var out []*pattern
	for _, p := range list {
		elems := splitPattern(p)
		if len(elems) == 0 {
			return nil, fmt.Errorf("invalid --%s pattern %q: it matches no file name", option, p)
		}
		for _, el := range elems {
			if _, err := path.Match(el, ""); err != nil {
				return nil, fmt.Errorf("invalid --%s pattern %q: %v", option, p, err)
			}
		}
		out = append(out, &pattern{option: option, text: p, elems: elems})
	}
	return out, nil
}

// splitPattern splits a pattern (or a path) on '/', dropping empty and "."
// elements so that "./sub/*.wav" and "sub//*.wav" mean "sub/*.wav".
func splitPattern(p string) []string {
	var elems []string
	for _, el := range strings.Split(p, "/") {
		if el != "" && el != "." {
			elems = append(elems, el)
		}
	}
	return elems
}

// matchAny reports whether one of the patterns matches an entry: its path
// relative to the walk's root, its path as printed, or its base name.
// Every pattern that matches is marked used.
func matchAny(pats []*pattern, rel, printed, base string) bool {
	if len(pats) == 0 {
		return false
	}
	relElems, printedElems := splitPattern(rel), splitPattern(printed)
	any := false
	for _, p := range pats {
		if matchElems(p.elems, []string{base}) || matchElems(p.elems, relElems) || matchElems(p.elems, printedElems) {
			p.used = true
			any = true
		}
	}
	return any
}

// unmatched words a warning for each pattern that matched nothing.
func (e *expander) unmatched() []string {
	var out []string
	for _, p := range append(append([]*pattern(nil), e.include...), e.exclude...) {
		if !p.used {
			out = append(out, fmt.Sprintf("--%s %q matched nothing: patterns apply to what directory walks and globs find (by the path below the directory walked, the path as printed, or the base name), never to files named explicitly", p.option, p.text))
		}
	}
	return out
}

// matchElems matches pattern elements against path elements, "**" standing
// for any number of path elements.
func matchElems(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for len(pat) > 0 && pat[0] == "**" {
				pat = pat[1:]
			}
			for i := 0; i <= len(name); i++ {
				if matchElems(pat, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// hasMeta reports whether an argument looks like a pattern.
func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[") }

// isLiteral reports whether a pattern element matches only itself.
func isLiteral(el string) bool { return !strings.ContainsAny(el, `*?[\`) }

// globMatch is a path a pattern matched, or a directory it could not read.
type globMatch struct {
	name string      // as found: the pattern's literal prefix and the elements matched
	rel  string      // relative to the literal prefix
	mode fs.FileMode // type bits, symbolic links followed
	err  error
}

// globber expands one pattern argument.
type globber struct {
	matches []globMatch
	seen    map[string]bool
	dirs    map[string][]fs.DirEntry // directories read, by name
}

// glob yields what the pattern arg matches, in lexical order.
func (e *expander) glob(arg string) {
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
	g := &globber{seen: map[string]bool{}, dirs: map[string][]fs.DirEntry{}}
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		g.match(dir, base, "", rest, append(rootAncestors(dir), ancestor{name: dir, fi: fi, inside: true}))
	}
	slices.SortFunc(g.matches, func(a, b globMatch) int { return compareNames(a.name, b.name) })
	before := e.n
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
			e.walk(m.name, m.rel)
		default:
			e.addFound(m.name, m.mode)
		}
	}
	if e.n == before {
		e.fail(arg, ErrNoMatch)
	}
}

// match finds what the pattern elements match below the directory dir
// (named name as the user sees it, rel below the pattern's literal prefix);
// anc are the directories the search is inside, dir included.
func (g *globber) match(dir, name, rel string, elems []string, anc []ancestor) {
	el := elems[0]
	last := len(elems) == 1
	if isLiteral(el) {
		child, childName, childRel := joinName(dir, el), joinName(name, el), joinName(rel, el)
		fi, err := os.Stat(child)
		switch {
		case err != nil:
		case last:
			g.add(globMatch{name: childName, rel: childRel, mode: fi.Mode().Type()})
		case fi.IsDir():
			g.match(child, childName, childRel, elems[1:], append(anc, ancestor{name: childName, fi: fi, inside: true}))
		}
		return
	}
	entries, err := g.readDir(dir)
	if err != nil {
		g.add(globMatch{name: nameOrDot(name), err: statError(dir, err)})
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
						g.add(globMatch{name: childName, rel: childRel, err: statError(child, err)})
					}
					continue
				}
				typ = fi.Mode().Type()
			}
			switch {
			case typ.IsDir():
				if loop, err := loopCheck(anc, fi); loop {
					if err != nil {
						g.add(globMatch{name: childName, rel: childRel, err: err})
					}
					continue
				}
				g.match(child, childName, childRel, elems, append(anc, ancestor{name: childName, fi: fi, inside: true}))
			case last:
				g.add(globMatch{name: childName, rel: childRel, mode: typ})
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
					g.add(globMatch{name: childName, rel: childRel, err: statError(child, err)})
				}
				continue
			}
			typ = fi.Mode().Type()
		}
		if typ.IsDir() {
			if loop, err := loopCheck(anc, fi); loop {
				if err != nil {
					g.add(globMatch{name: childName, rel: childRel, err: err})
				}
				continue
			}
		}
		switch {
		case last:
			g.add(globMatch{name: childName, rel: childRel, mode: typ})
		case typ.IsDir():
			g.match(child, childName, childRel, elems[1:], append(anc, ancestor{name: childName, fi: fi, inside: true}))
		}
	}
}

func (g *globber) add(m globMatch) {
	if !g.seen[m.name] {
		g.seen[m.name] = true
		g.matches = append(g.matches, m)
	}
}

// readDir lists a directory once per pattern, sorted by name.
func (g *globber) readDir(dir string) ([]fs.DirEntry, error) {
	if entries, ok := g.dirs[dir]; ok {
		return entries, nil
	}
	entries, err := os.ReadDir(dir)
	g.dirs[dir] = entries
	return entries, err
}

func nameOrDot(name string) string {
	if name == "" {
		return "."
	}
	return name
}

// compareNames orders paths element by element, the order of a directory
// walk: "a/b" before "a-b", as "a" sorts before "a-b".
func compareNames(a, b string) int {
	for {
		ia, ib := strings.IndexByte(a, '/'), strings.IndexByte(b, '/')
		ea, eb := a, b
		if ia >= 0 {
			ea = a[:ia]
		}
		if ib >= 0 {
			eb = b[:ib]
		}
		if c := strings.Compare(ea, eb); c != 0 {
			return c
		}
		switch {
		case ia < 0 && ib < 0:
			return 0
		case ia < 0:
			return -1
		case ib < 0:
			return 1
		}
		a, b = a[ia+1:], b[ib+1:]
	}
}
