package report

import (
	"unsafe"

	"github.com/audiopreflight/audiopreflight/probe"
)

// resultCopy is display for the one type every input's result has: the
// copy mapStrings makes, written out. The reflective walk cost a quarter of
// a header check's CPU (BenchmarkCheckSmallHeaderOnly: 1.3 of 5.7 s, most
// of it reflect.New and Value.Set). TestResultCopyIsDisplay holds the two
// equal on a result with every field set, so a field added to Result,
// Exception, Ignored, probe.Info or probe.Part that this does not map fails
// that test rather than reaching a renderer raw.
//
// The copy is built in a: an Output passes its own, reused from one result
// to the next (a renderer is done with its copy when write returns), so
// that a result costs no allocation but for the strings f changes — every
// fresh page of heap costs a run a page fault.
func resultCopy(r *Result, f func(string) string, a *copyArena) *Result {
	a.reset()
	c := &a.result
	*c = *r
	c.Input, c.Source, c.Status = mapString(r.Input, f), a.known(r.Source, f), Status(a.known(string(r.Status), f))
	c.Exception = a.exception(r.Exception, f)
	if r.Findings != nil {
		start := len(a.findings)
		for _, e := range r.Findings {
			a.findings = append(a.findings, a.exception(e, f))
		}
		c.Findings = nonNil(a.findings[start:len(a.findings):len(a.findings)])
	}
	c.Warnings, c.Undecided = a.strings(r.Warnings, f), a.strings(r.Undecided, f)
	c.Hint, c.Error = mapString(r.Hint, f), mapString(r.Error, f)
	c.Audio = a.infoCopy(r.Audio, f)
	if r.Ignored != nil {
		a.ignored = Ignored{Reason: mapString(r.Ignored.Reason, f), By: mapString(r.Ignored.By, f)}
		c.Ignored = &a.ignored
	}
	// Left out of the JSON shape and able to hold strings: no renderer
	// reads them from the copy.
	c.InputID, c.InputBytes = "", ""
	return c
}

// runCopy is display for the run's settings, written out as resultCopy
// is: the reflective walk planned the struct's fields on first use, 50 µs
// of every run's start. TestRunCopyIsDisplay holds the two equal on a Run
// with every field set.
func runCopy(r *Run, f func(string) string) *Run {
	c := *r
	c.Request, c.Mode = mapString(r.Request, f), mapString(r.Mode, f)
	if r.Auth != nil {
		var a copyArena
		auth := AuthCheck{Hint: mapString(r.Auth.Hint, f)}
		if r.Auth.Findings != nil {
			auth.Findings = make([]*Exception, len(r.Auth.Findings))
			for i, e := range r.Auth.Findings {
				auth.Findings[i] = a.exception(e, f)
			}
		}
		c.Auth = &auth
	}
	return &c
}

// copyArena holds the copy of one result; reset makes it ready for the
// next, keeping its memory.
type copyArena struct {
	result     Result
	info       probe.Info
	ignored    Ignored
	exceptions []Exception
	findings   []*Exception
	strs       []string
	parts      []probe.Part
	params     []map[string]string
	paramsUsed int
	// seen holds strings already mapped, with what f made of them, by
	// where their bytes are (see known).
	seen [64]mapped
}

// mapped is a string and what f made of it.
type mapped struct{ in, out string }

// known is mapString for the strings a result shares with the ones before
// it — the catalog's names, messages and descriptions, the formats' names,
// the warnings' and steps' wording — which are the same bytes in memory
// from result to result: f is called once for each and its answer reused.
// Escaping and redacting them again for every result was most of the
// copy's time (BenchmarkOutput/text: 1.30 µs a result before). A string
// with other bytes, or the same text at another address, is mapped
// afresh, so the answer is always f's: strings do not change, and an entry
// keeps its string, and so its address, from being reused. f must answer
// the same for the same string for as long as the arena lives (an
// Output's policy is fixed).
func (a *copyArena) known(s string, f func(string) string) string {
	if s == "" {
		return ""
	}
	at := unsafe.StringData(s)
	e := &a.seen[(uintptr(unsafe.Pointer(at))>>4^uintptr(len(s)))%uintptr(len(a.seen))]
	if unsafe.StringData(e.in) == at && len(e.in) == len(s) {
		return e.out
	}
	*e = mapped{s, f(s)}
	return e.out
}

func (a *copyArena) reset() {
	a.exceptions, a.findings, a.strs, a.parts = a.exceptions[:0], a.findings[:0], a.strs[:0], a.parts[:0]
	a.paramsUsed = 0
}

func (a *copyArena) exception(e *Exception, f func(string) string) *Exception {
	if e == nil {
		return nil
	}
	c := *e
	c.Name, c.Message, c.Description = a.known(e.Name, f), a.known(e.Message, f), a.known(e.Description, f)
	c.Category, c.Step, c.Detail = a.known(e.Category, f), a.known(e.Step, f), mapString(e.Detail, f)
	if e.Parameters != nil {
		if a.paramsUsed == len(a.params) {
			a.params = append(a.params, make(map[string]string, len(e.Parameters)))
		}
		m := a.params[a.paramsUsed]
		a.paramsUsed++
		clear(m)
		for k, v := range e.Parameters {
			m[mapString(k, f)] = mapString(v, f)
		}
		c.Parameters = m
	}
	// Appending may move the backing array: the pointers handed out
	// before keep the old one, which holds what they point at.
	a.exceptions = append(a.exceptions, c)
	return &a.exceptions[len(a.exceptions)-1]
}

func (a *copyArena) infoCopy(i *probe.Info, f func(string) string) *probe.Info {
	if i == nil {
		return nil
	}
	c := &a.info
	*c = *i
	c.Container, c.Variant, c.Codec = a.known(i.Container, f), a.known(i.Variant, f), a.known(i.Codec, f)
	c.OpenError = a.known(i.OpenError, f)
	c.SndfileFormat, c.SndfileSubtype = a.known(i.SndfileFormat, f), a.known(i.SndfileSubtype, f)
	if i.Parts != nil {
		start := len(a.parts)
		for _, p := range i.Parts {
			p.Kind, p.ID, p.Note = a.known(p.Kind, f), a.known(p.ID, f), a.known(p.Note, f)
			a.parts = append(a.parts, p)
		}
		c.Parts = nonNil(a.parts[start:len(a.parts):len(a.parts)])
	}
	c.Warnings = a.strings(i.Warnings, f)
	// Left out of the JSON shape: the settled read and the format's own
	// state can hold strings; the sample layout cannot and is kept.
	c.Settled, c.Detail, c.Held = nil, nil, nil
	return c
}

// strings maps a list, keeping nil apart from empty (JSON prints null for
// one and [] for the other).
func (a *copyArena) strings(list []string, f func(string) string) []string {
	if list == nil {
		return nil
	}
	start := len(a.strs)
	for _, s := range list {
		a.strs = append(a.strs, a.known(s, f))
	}
	return nonNil(a.strs[start:len(a.strs):len(a.strs)])
}

// nonNil is s, or an empty list where s is nil: a slice of an arena that
// has never held anything is nil even when the list copied was not.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// mapString passes s through f; the empty string stays empty without the
// call (redaction and escaping have nothing to do there).
func mapString(s string, f func(string) string) string {
	if s == "" {
		return ""
	}
	return f(s)
}
