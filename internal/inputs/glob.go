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

// globber expands one pattern argument: a depth-first search below the
// pattern's literal prefix that reads each directory once, its entries
// in name order, and yields each match as it finds it, so that matches
// come in the order of a directory walk (compareNames) without being
// collected. It keeps one directory listing a level.
type globber struct {
	e    *expander
	pat  []string   // the elements after the literal prefix
	kind []elemKind // of each element
	// tail is where the trailing "**" elements start (len(pat) if none):
	// a path that reaches one of them is matched whole.
	tail int
}

type elemKind uint8

const (
	elemLiteral elemKind = iota // matches only itself: looked up, not listed
	elemWild                    // '*', '?' or '[...]' within one name
	elemStars                   // "**": any number of names
)

// place is a directory the search is in.
type place struct {
	dir, name, rel string // as opened, as printed, below the literal prefix
	// states are the positions in the pattern the path so far can be
	// at, each with at least one element left to match.
	states []int
	anc    []ancestor // the directories the search is inside, dir included
	covers []cover    // the walks made already that entered dir
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
	g := &globber{e: e}
	for _, el := range elems[k:] {
		if el == "" {
			continue
		}
		kind := elemWild
		switch {
		case el == "**":
			kind = elemStars
		case isLiteral(el):
			kind = elemLiteral
		}
		g.pat, g.kind = append(g.pat, el), append(g.kind, kind)
	}
	g.tail = len(g.pat)
	for g.tail > 0 && g.kind[g.tail-1] == elemStars {
		g.tail--
	}
	dir := base
	if dir == "" {
		dir = "."
	}
	before := e.n
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		g.search(&place{dir: dir, name: base, states: g.closure(nil, 0),
			anc: append(rootAncestors(dir), ancestor{name: dir, fi: fi, inside: true})}, false)
	}
	if e.n == before {
		e.fail(arg, ErrNoMatch)
	}
}

// closure adds position i to the states, and the positions a "**" there
// may stand for no name at all to reach.
func (g *globber) closure(states []int, i int) []int {
	for ; i < len(g.pat); i++ {
		if !slices.Contains(states, i) {
			states = append(states, i)
		}
		if g.kind[i] != elemStars {
			break
		}
	}
	return states
}

// search yields what the pattern matches below p. reported says that
// something named p.name was yielded already: a directory it cannot list
// is not reported twice.
func (g *globber) search(p *place, reported bool) {
	e := g.e
	var entries []fs.DirEntry
	var literals []string
	for _, i := range p.states {
		if g.kind[i] != elemLiteral {
			if entries == nil {
				var err error
				entries, err = os.ReadDir(p.dir)
				// A cover that entered the directory failed to list it too.
				if err != nil && !reported && p.covers == nil {
					name := nameOrDot(p.name)
					if !matchAny(e.exclude, "", name, path.Base(name)) {
						e.fail(name, statError(p.dir, err))
					}
				}
				if entries == nil {
					entries = []fs.DirEntry{}
				}
			}
		} else if !slices.Contains(literals, g.pat[i]) {
			literals = append(literals, g.pat[i])
		}
	}
	// A literal element is looked up, not searched for in the listing
	// (the directory may not be listable), and a name both lists is
	// visited once.
	slices.Sort(literals)
	for i, j := 0, 0; i < len(entries) || j < len(literals); {
		if e.stop {
			return
		}
		switch {
		case j == len(literals) || i < len(entries) && entries[i].Name() < literals[j]:
			g.child(p, entries[i].Name(), entries[i])
			i++
		case i == len(entries) || literals[j] < entries[i].Name():
			g.child(p, literals[j], nil)
			j++
		default:
			g.child(p, literals[j], entries[i])
			i++
			j++
		}
	}
}

// child yields what the pattern matches at the entry base of p's
// directory and below it; d is its listing's entry, nil for a name only
// looked up.
//
// The rules are those of the pattern's elements. A literal element
// matches its name, hidden or not, whatever it is, with no loop check (a
// literal path cannot go round). '*', '?' and "[...]" match a name
// (hidden only when the element starts with '.') and "**" any name not
// hidden; for these a name that cannot be stat'ed is an error when the
// element is the last to match, and a directory leading back to one the
// search is inside is not entered (an error when it is above the literal
// prefix). A matched directory is walked; a "**" at the end matches the
// files below and is never a match for a directory itself.
func (g *globber) child(p *place, base string, d fs.DirEntry) {
	e := g.e
	last := len(g.pat) - 1
	hidden := strings.HasPrefix(base, ".")
	var wild, lit, wildLast, litLast, starsLast bool
	for _, i := range p.states {
		switch g.kind[i] {
		case elemStars:
			if d != nil && !hidden {
				wild = true
				starsLast = starsLast || i >= g.tail
			}
		case elemLiteral:
			if g.pat[i] == base {
				lit = true
				litLast = litLast || i == last
			}
		default:
			if d != nil && (!hidden || g.pat[i][0] == '.') {
				if ok, _ := path.Match(g.pat[i], base); ok {
					wild = true
					wildLast = wildLast || i == last
				}
			}
		}
	}
	if !wild && !lit {
		return
	}
	child, name, rel := joinName(p.dir, base), joinName(p.name, base), joinName(p.rel, base)
	var (
		typ      fs.FileMode
		fi       fs.FileInfo
		statErr  error
		stated   bool
		matched  bool  // a match, of mode typ
		failure  error // or an error, not a match
		wildDeep bool  // the wildcards go on below it
	)
	if wild {
		typ = d.Type()
		if typ&fs.ModeSymlink != 0 || typ.IsDir() {
			fi, statErr = os.Stat(child)
			stated = true
			if statErr == nil {
				typ = fi.Mode().Type()
			} else if wildLast || starsLast {
				failure = statError(child, statErr)
			}
		}
		switch {
		case statErr != nil:
		case typ.IsDir():
			if loop, err := loopCheck(p.anc, fi); loop {
				failure = err
			} else {
				matched, wildDeep = wildLast, true
			}
		default:
			matched = wildLast || starsLast
		}
	}
	litDeep := false
	if lit {
		if !stated {
			fi, statErr = os.Stat(child)
		}
		if statErr == nil {
			if litLast {
				matched, typ = true, fi.Mode().Type()
			}
			litDeep = fi.IsDir()
		}
	}
	var states []int
	if wildDeep || litDeep {
		for _, i := range p.states {
			switch g.kind[i] {
			case elemStars:
				if wildDeep && !hidden {
					states = g.closure(states, i)
				}
			case elemLiteral:
				if litDeep && i < last && g.pat[i] == base {
					states = g.closure(states, i+1)
				}
			default:
				if wildDeep && i < last && (!hidden || g.pat[i][0] == '.') {
					if ok, _ := path.Match(g.pat[i], base); ok {
						states = g.closure(states, i+1)
					}
				}
			}
		}
	}
	if !matched && failure == nil && states == nil {
		return
	}

	// What is yielded here may have been yielded already by a walk made
	// of a directory above (a cover), which saw this entry unless it is
	// hidden, and judged it with the same filters (asking them again
	// marks no other pattern used).
	excludedMemo := 0
	excluded := func() bool {
		if excludedMemo == 0 {
			excludedMemo = 1
			if matchAny(e.exclude, rel, name, base) {
				excludedMemo = 2
			}
		}
		return excludedMemo == 2
	}
	inCovers := p.covers != nil && !hidden
	var reach []cover // the covers that went on into it, a directory
	if inCovers && statErr == nil && fi != nil && fi.IsDir() && !excluded() {
		reach = p.covers
	}
	readable := func() bool {
		f, err := os.Open(child)
		if err == nil {
			f.Close()
		}
		return err == nil
	}
	var walked cover
	reported := matched || failure != nil
	switch {
	case (matched || failure != nil) && excluded():
		// Excluded: never an error, whatever it is.
	case matched && typ.IsDir():
		walked = e.walk(name, rel, reach)
	case matched:
		if !inCovers || !e.takes(rel, name, base) {
			e.addFound(name, typ)
		}
	case failure != nil:
		switch {
		case !inCovers:
		case statErr != nil:
			// A cover reported a link it could not follow if it took
			// it (and a directory it could not open).
			if d.Type()&fs.ModeSymlink == 0 || e.takes(rel, name, base) {
				failure = nil
			}
		default:
			// A loop: a cover reported it if it leads above the
			// cover's root, or it could not open it.
			if _, coverErr := enterCovers(reach, name, fi, readable); coverErr {
				failure = nil
			}
		}
		if failure != nil {
			e.fail(name, failure)
		}
	}
	if states == nil || e.stop {
		return
	}
	covers, coverErr := enterCovers(reach, name, fi, readable)
	if walked != nil {
		covers = append(covers, walked)
	}
	g.search(&place{dir: child, name: name, rel: rel, states: states,
		anc: append(p.anc, ancestor{name: name, fi: fi, inside: true}), covers: covers}, reported || coverErr)
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
