package report

import (
	"github.com/audiopreflight/audiopreflight/probe"
)

// resultCopy is display for the one type every input's result has: the
// copy mapStrings makes, written out. The reflective walk cost a quarter of
// a header check's CPU (BenchmarkCheckSmallHeaderOnly: 1.3 of 5.7 s, most
// of it reflect.New and Value.Set); this costs a few allocations.
// TestResultCopyIsDisplay holds the two equal on a result with every field
// set, so a field added to Result, Exception, Ignored, probe.Info or
// probe.Part that this does not map fails that test rather than reaching a
// renderer raw.
func resultCopy(r *Result, f func(string) string) *Result {
	c := *r
	c.Input, c.Source, c.Status = mapString(r.Input, f), mapString(r.Source, f), Status(mapString(string(r.Status), f))
	c.Exception = exceptionCopy(r.Exception, f)
	if r.Findings != nil {
		c.Findings = make([]*Exception, len(r.Findings))
		for i, e := range r.Findings {
			c.Findings[i] = exceptionCopy(e, f)
		}
	}
	c.Warnings, c.Undecided = stringsCopy(r.Warnings, f), stringsCopy(r.Undecided, f)
	c.Hint, c.Error = mapString(r.Hint, f), mapString(r.Error, f)
	c.Audio = infoCopy(r.Audio, f)
	if r.Ignored != nil {
		c.Ignored = &Ignored{Reason: mapString(r.Ignored.Reason, f), By: mapString(r.Ignored.By, f)}
	}
	// Left out of the JSON shape and able to hold strings: no renderer
	// reads them from the copy.
	c.InputID, c.InputBytes = "", ""
	return &c
}

func exceptionCopy(e *Exception, f func(string) string) *Exception {
	if e == nil {
		return nil
	}
	c := *e
	c.Name, c.Message, c.Description = mapString(e.Name, f), mapString(e.Message, f), mapString(e.Description, f)
	c.Category, c.Step, c.Detail = mapString(e.Category, f), mapString(e.Step, f), mapString(e.Detail, f)
	if e.Parameters != nil {
		c.Parameters = make(map[string]string, len(e.Parameters))
		for k, v := range e.Parameters {
			c.Parameters[mapString(k, f)] = mapString(v, f)
		}
	}
	return &c
}

func infoCopy(i *probe.Info, f func(string) string) *probe.Info {
	if i == nil {
		return nil
	}
	c := *i
	c.Container, c.Variant, c.Codec = mapString(i.Container, f), mapString(i.Variant, f), mapString(i.Codec, f)
	c.OpenError = mapString(i.OpenError, f)
	c.SndfileFormat, c.SndfileSubtype = mapString(i.SndfileFormat, f), mapString(i.SndfileSubtype, f)
	if i.Parts != nil {
		c.Parts = make([]probe.Part, len(i.Parts))
		for n, p := range i.Parts {
			p.Kind, p.ID, p.Note = mapString(p.Kind, f), mapString(p.ID, f), mapString(p.Note, f)
			c.Parts[n] = p
		}
	}
	c.Warnings = stringsCopy(i.Warnings, f)
	// Left out of the JSON shape: the settled read and the format's own
	// state can hold strings; the sample layout cannot and is kept.
	c.Settled, c.Detail = nil, nil
	return &c
}

// stringsCopy maps a list, keeping nil apart from empty (JSON prints null
// for one and [] for the other).
func stringsCopy(list []string, f func(string) string) []string {
	if list == nil {
		return nil
	}
	c := make([]string, len(list))
	for i, s := range list {
		c[i] = mapString(s, f)
	}
	return c
}

// mapString passes s through f; the empty string stays empty without the
// call (redaction and escaping have nothing to do there).
func mapString(s string, f func(string) string) string {
	if s == "" {
		return ""
	}
	return f(s)
}
