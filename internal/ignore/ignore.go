// Package ignore decides which rejections a run lets pass because the team
// has accepted them: the ignore entries of the config file (a path glob,
// optionally the exceptions, and the reason) and a baseline (the
// input-and-exception pairs of an earlier report of check). A rejection it
// lets pass becomes an ignored result — shown, counted, not failing — and
// says which entry or baseline accepted it.
//
// Only a verdict about the audio can be accepted: a failing Authorization
// header is the run's, whatever the input (report.Result.Ignorable).
package ignore

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/config"
	"github.com/audiopreflight/audiopreflight/internal/report"
)

// Rules are what a run lets pass. The zero value lets nothing pass.
type Rules struct {
	entries  []*entry
	dir      string // the config file's directory, entries' paths are relative to
	baseline *Baseline
}

type entry struct {
	config.IgnoreEntry
	by string // the entry's file:line:column
	// covered counts the inputs its path matched; matched, the rejections
	// it let pass.
	covered, matched int
}

// New returns the rules of a config file (nil: none) and a baseline (nil:
// none).
func New(cfg *config.Config, baseline *Baseline) *Rules {
	r := &Rules{baseline: baseline}
	if cfg != nil {
		r.dir = cfg.Dir
		for _, e := range cfg.Ignore {
			r.entries = append(r.entries, &entry{IgnoreEntry: e, by: fmt.Sprintf("%s:%d:%d", cfg.Path, e.Pos.Line, e.Pos.Column)})
		}
	}
	return r
}

// Empty reports whether the rules can let nothing pass.
func (r *Rules) Empty() bool { return r == nil || len(r.entries) == 0 && r.baseline == nil }

// Apply lets res pass when the team accepts it: the first ignore entry
// whose path covers the input and whose exceptions hold its verdict, else
// the baseline when it holds the input with that verdict.
func (r *Rules) Apply(res *report.Result) {
	if r.Empty() {
		return
	}
	name := ""
	if len(r.entries) > 0 {
		name = r.nameOf(res)
	}
	ignorable := res.Ignorable()
	for _, e := range r.entries {
		if !e.Match(name) {
			continue
		}
		e.covered++
		if ignorable && e.Covers(res.Exception.Name) {
			e.matched++
			res.Ignore(e.Reason, e.by)
			return
		}
	}
	if ignorable && r.baseline.Holds(res.Input, res.Source, res.Exception.Name) {
		res.Ignore("in the baseline", "baseline "+r.baseline.Path)
	}
}

// nameOf is the name an entry's glob matches: a file's path relative to
// the config file's directory, with / separators; any other input (a URL,
// -) as given.
func (r *Rules) nameOf(res *report.Result) string {
	if res.Source != report.SourceFile {
		return res.Input
	}
	abs, err := filepath.Abs(res.Input)
	if err != nil {
		return filepath.ToSlash(res.Input)
	}
	rel, err := filepath.Rel(r.dir, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// Unused are the warnings about the ignore entries that let nothing pass
// in the run: stale entries (the recordings were fixed, or moved) that
// would accept a new rejection later without anyone noticing.
func (r *Rules) Unused() []string {
	if r == nil {
		return nil
	}
	var warnings []string
	for _, e := range r.entries {
		if e.matched > 0 {
			continue
		}
		what := "any rejection"
		if len(e.Exceptions) > 0 {
			what = strings.Join(e.Exceptions, " or ")
		}
		why := "no input of this run matched its path"
		if e.covered > 0 {
			why = fmt.Sprintf("the %d %s its path matched had no %s", e.covered, plural(e.covered, "input", "inputs"), what)
		}
		warnings = append(warnings, fmt.Sprintf("%s: the ignore entry for %s (%s) let nothing pass: %s; remove it once the recordings are fixed",
			e.by, e.Path, what, why))
	}
	return warnings
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
