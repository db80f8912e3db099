package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/safetext"
	"github.com/audiopreflight/audiopreflight/internal/term"
)

// Formats lists the output formats of `check`.
var Formats = []string{"text", "json", "jsonl", "github", "junit", "markdown"}

// Options shape the output.
type Options struct {
	Run Run
	// Quiet leaves out the results that do not fail the run (-q).
	Quiet   bool
	Palette term.Palette
	// Redact is applied to every string before it is encoded.
	Redact redact.Policy
}

// renderer writes results in one output format. begin is called once,
// before the first result; write once per shown input, in input order, as
// results complete; flush once at the end. A renderer is only ever handed
// the copy of a result that Output made for it (see display), and that
// copy's memory holds the next result's once write returns: a renderer
// keeps what it needs of it (strings, counts), never the copy.
type renderer interface {
	begin() error
	write(r *Result) error
	flush(s Summary, elapsed time.Duration) error
}

// Output is the one path results take to the output: it counts them,
// leaves out what -q hides, and hands its renderer a copy of each result in
// which every string is redacted — and, for the formats people read (text,
// github, junit), escaped by safetext — so no renderer can print an
// outside string raw.
type Output struct {
	r       renderer
	opts    Options
	show    shower
	begun   bool
	summary Summary
	// copies holds the copy of the result being written (see resultCopy).
	copies copyArena
}

// shower is what happens to an outside string on its way out: redaction,
// then, for the formats people read, escaping.
type shower struct {
	policy redact.Policy
	escape bool
}

// New returns the output for format, writing to w.
func New(format string, w io.Writer, opts Options) (*Output, error) {
	o := &Output{show: shower{policy: opts.Redact, escape: format != "json" && format != "jsonl"}}
	opts.Run.SchemaVersion = SchemaVersion
	opts.Run.Quiet = opts.Quiet
	opts.Run = *display(&opts.Run, o.show.text)
	switch format {
	case "text":
		o.r = &textRenderer{w: w, opts: opts}
	case "json":
		o.r = &jsonRenderer{w: w, opts: opts}
	case "jsonl":
		o.r = &jsonlRenderer{w: w, opts: opts}
	case "github":
		o.r = &githubRenderer{w: w, opts: opts}
	case "junit":
		o.r = &junitRenderer{w: w, opts: opts}
	case "markdown":
		o.r = &markdownRenderer{w: w, opts: opts}
	default:
		return nil, fmt.Errorf("unknown output format %q", format)
	}
	o.opts = opts
	return o, nil
}

// Write counts a result and, unless -q hides it, renders it.
func (o *Output) Write(r *Result) error {
	o.summary.Add(r)
	if !o.begun {
		o.begun = true
		if err := o.r.begin(); err != nil {
			return err
		}
	}
	if o.opts.Quiet && !r.Failed(o.opts.Run.Strict) && r.Status != StatusError {
		return nil
	}
	o.summary.Shown++
	return o.r.write(o.display(r))
}

// Flush ends the output with the summary.
func (o *Output) Flush(elapsed time.Duration) error {
	if !o.begun {
		o.begun = true
		if err := o.r.begin(); err != nil {
			return err
		}
	}
	return o.r.flush(o.summary, elapsed)
}

// Summary is the count of the results written so far.
func (o *Output) Summary() Summary { return o.summary }

// display is the copy of r its renderer gets.
func (o *Output) display(r *Result) *Result {
	c := resultCopy(r, o.show.text, &o.copies)
	c.Input, c.InputID, c.InputBytes = o.show.input(r.Input, r.Source)
	return c
}

// text applies the policy to a message.
func (s shower) text(msg string) string {
	msg = s.policy.Text(msg)
	if s.escape {
		msg = safetext.Escape(msg)
	}
	return msg
}

// input is how an input is shown — a URL redacted, a name escaped for the
// formats people read and kept valid UTF-8 for JSON — and, for JSON, its identity:
// InputID of the input as given, and for JSON the shown name's exact bytes
// (base64) when they are not valid UTF-8.
func (s shower) input(input, source string) (shown, id, raw string) {
	shown = s.policy.Secret(input)
	if source == SourceURL {
		shown = s.policy.URL(input)
	}
	switch {
	case s.escape:
		// The formats people read show no input_id: no hash for them.
		shown = safetext.Escape(shown)
		return shown, "", ""
	case !utf8.ValidString(shown):
		raw = base64.StdEncoding.EncodeToString([]byte(shown))
		shown = strings.ToValidUTF8(shown, "\uFFFD")
	}
	return shown, InputID(input), raw
}

// display returns a deep copy of *v in which every string has been passed
// through f: exported fields, slices, maps (keys too), pointers and
// interfaces alike, whatever types are added to results later. Unexported
// fields are left zero (no renderer can read them). Fields the
// JSON shape leaves out (`json:"-"`) are printed by no renderer: they are
// kept only when they cannot hold a string (a duration), else zeroed.
func display[T any](v *T, f func(string) string) *T {
	switch r := any(v).(type) {
	case *Result:
		return any(resultCopy(r, f, new(copyArena))).(*T)
	case *Run:
		return any(runCopy(r, f)).(*T)
	}
	out := mapStrings(reflect.ValueOf(v), f)
	return out.Interface().(*T)
}

func mapStrings(v reflect.Value, f func(string) string) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		return reflect.ValueOf(f(v.String())).Convert(v.Type())
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(mapStrings(v.Elem(), f))
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(mapStrings(v.Elem(), f))
		return n
	case reflect.Struct:
		// Only exported fields are copied: a renderer cannot reach the
		// others anyway.
		n := reflect.New(v.Type()).Elem()
		for _, fp := range planFor(v.Type()) {
			if fp.raw {
				n.Field(fp.index).Set(v.Field(fp.index))
			} else {
				n.Field(fp.index).Set(mapStrings(v.Field(fp.index), f))
			}
		}
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(mapStrings(v.Index(i), f))
		}
		return n
	case reflect.Array:
		n := reflect.New(v.Type()).Elem()
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(mapStrings(v.Index(i), f))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			n.SetMapIndex(mapStrings(it.Key(), f), mapStrings(it.Value(), f))
		}
		return n
	}
	return v
}

// fieldPlan says what the copy does with one struct field: copy it as it
// is (raw: it holds no string) or map its strings.
type fieldPlan struct {
	index int
	raw   bool
}

// plans caches each struct type's fields to copy, worked out once.
var plans sync.Map // reflect.Type → []fieldPlan

func planFor(t reflect.Type) []fieldPlan {
	if p, ok := plans.Load(t); ok {
		return p.([]fieldPlan)
	}
	var plan []fieldPlan
	for i := 0; i < t.NumField(); i++ {
		field := t.Field(i)
		switch {
		case !field.IsExported():
		case field.Tag.Get("json") == "-":
			if !holdsStrings(field.Type, map[reflect.Type]bool{}) {
				plan = append(plan, fieldPlan{i, true})
			}
		default:
			plan = append(plan, fieldPlan{i, !holdsStrings(field.Type, map[reflect.Type]bool{})})
		}
	}
	plans.Store(t, plan)
	return plan
}

// holdsStrings reports whether a value of type t can hold a string.
func holdsStrings(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.String, reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsStrings(t.Elem(), seen)
	case reflect.Map:
		return holdsStrings(t.Key(), seen) || holdsStrings(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if holdsStrings(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// JSONLine is r as `check -o jsonl` prints it, without the newline: the
// same redaction and encoding, and none of the other formats (the browser
// build prints only this one).
func JSONLine(r *Result, policy redact.Policy) ([]byte, error) {
	o := Output{show: shower{policy: policy}}
	var b bytes.Buffer
	if err := encodeJSON(&b, "", o.display(r)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
