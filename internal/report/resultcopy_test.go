package report

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// fill sets every settable part of v that can be set: strings to distinct
// words, numbers to distinct values, booleans true, pointers to filled
// values, slices and maps to two filled elements, interfaces to a string.
// heldState fills the interfaces a string cannot (probe.Releaser).
type heldState struct{ name string }

func (*heldState) Release() {}

func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) / 4)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), n)
		v.Set(p)
	case reflect.Interface:
		if s := reflect.ValueOf(fmt.Sprintf("any%d", *n)); s.Type().AssignableTo(v.Type()) {
			v.Set(s)
		} else {
			v.Set(reflect.ValueOf(&heldState{fmt.Sprintf("held%d", *n)}))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), n)
		}
		v.Set(s)
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fill(v.Index(i), n)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, n)
			fill(e, n)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	}
}

// The written-out copy of a result is the reflective one: every field of
// Result and of everything it points to is set, so a string field added to
// any of them and left out of resultCopy shows here unmapped.
func TestResultCopyIsDisplay(t *testing.T) {
	mark := func(s string) string { return "<" + s + ">" }
	var r Result
	n := 0
	fill(reflect.ValueOf(&r).Elem(), &n)
	if r.Audio == nil || len(r.Audio.Parts) != 2 || r.Audio.Settled == nil || r.Exception == nil || len(r.Findings[1].Parameters) != 2 {
		t.Fatalf("the filled result is not full: %+v", r)
	}
	want := mapStrings(reflect.ValueOf(&r), mark).Interface().(*Result)
	got := resultCopy(&r, mark, new(copyArena))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("resultCopy differs from the reflective copy:\n got %+v\n     audio %+v\nwant %+v\n     audio %+v", got, got.Audio, want, want.Audio)
	}
	if got.Audio == r.Audio || got.Findings[0] == r.Findings[0] || &got.Warnings[0] == &r.Warnings[0] {
		t.Error("resultCopy shares memory with the result it copies")
	}
	// nil and empty lists stay apart: JSON prints null for one, [] for the other
	empty := Result{Findings: []*Exception{}, Warnings: []string{}}
	c := resultCopy(&empty, mark, new(copyArena))
	if c.Findings == nil || c.Warnings == nil || c.Undecided != nil || c.Audio != nil {
		t.Errorf("resultCopy of empty lists: %+v", c)
	}
	// and display takes the written-out path for results
	if d := display(&r, mark); !reflect.DeepEqual(d, want) {
		t.Error("display of a result is not the reflective copy")
	}
}

// A reused arena gives the copy a fresh one gives, whatever it held: a
// bigger result before a smaller one leaves nothing of itself behind.
func TestResultCopyReusesItsArena(t *testing.T) {
	mark := func(s string) string { return "<" + s + ">" }
	var full Result
	n := 0
	fill(reflect.ValueOf(&full).Elem(), &n)
	small := Result{Input: "b.wav", Status: StatusRejected, Findings: []*Exception{{Name: "E", Message: "m"}}, Warnings: []string{}}
	small.Exception = small.Findings[0]
	var a copyArena
	for range 3 {
		resultCopy(&full, mark, &a)
		got := resultCopy(&small, mark, &a)
		if want := resultCopy(&small, mark, new(copyArena)); !reflect.DeepEqual(got, want) {
			t.Fatalf("copy in a reused arena:\n got %+v\nwant %+v", got, want)
		}
		if got.Exception.Parameters != nil || got.Audio != nil || got.Ignored != nil {
			t.Fatalf("copy in a reused arena kept parts of the result before: %+v", got)
		}
	}
}

func TestRunCopyIsDisplay(t *testing.T) {
	mark := func(s string) string { return "<" + s + ">" }
	var r Run
	n := 0
	fill(reflect.ValueOf(&r).Elem(), &n)
	if r.Auth == nil || len(r.Auth.Findings) != 2 || r.Request == "" {
		t.Fatalf("the filled run is not full: %+v", r)
	}
	want := mapStrings(reflect.ValueOf(&r), mark).Interface().(*Run)
	got := runCopy(&r, mark)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("runCopy differs from the reflective copy:\n got %+v %+v\nwant %+v %+v", got, got.Auth, want, want.Auth)
	}
	if got.Auth == r.Auth || got.Auth.Findings[0] == r.Auth.Findings[0] {
		t.Error("runCopy shares memory with the run it copies")
	}
	// Empty strings and lists, through a policy that, like the real
	// ones, leaves the empty string empty (runCopy does not call it).
	policy := func(s string) string {
		if s == "" {
			return ""
		}
		return mark(s)
	}
	for _, empty := range []Run{{}, {Auth: &AuthCheck{}}, {Auth: &AuthCheck{Findings: []*Exception{}}}} {
		want := mapStrings(reflect.ValueOf(&empty), policy).Interface().(*Run)
		if got := display(&empty, policy); !reflect.DeepEqual(got, want) {
			t.Errorf("display of %+v: %+v, the reflective copy %+v", empty, got, want)
		}
	}
}

// TestKnownIsF holds the arena's memory of mapped strings to f itself: a
// string at the same place is answered from memory, the same text at
// another place is mapped again, and strings that meet in one slot of the
// memory each get their own answer.
func TestKnownIsF(t *testing.T) {
	calls := 0
	f := func(s string) string { calls++; return "<" + s + ">" }
	var a copyArena
	desc := strings.Repeat("a description ", 8)
	if got := a.known(desc, f); got != "<"+desc+">" || calls != 1 {
		t.Fatalf("first: %q, %d calls", got, calls)
	}
	if got := a.known(desc, f); got != "<"+desc+">" || calls != 1 {
		t.Fatalf("again at the same place: %q, %d calls", got, calls)
	}
	other := strings.Clone(desc)
	if got := a.known(other, f); got != "<"+desc+">" || calls != 2 {
		t.Fatalf("the same text elsewhere: %q, %d calls", got, calls)
	}
	if got := a.known(desc[:5], f); got != "<"+desc[:5]+">" {
		t.Fatalf("a prefix at the same place: %q", got)
	}
	for i := range 1000 {
		s := fmt.Sprint(i)
		if got := a.known(s, f); got != "<"+s+">" {
			t.Fatalf("%q mapped to %q", s, got)
		}
	}
	if a.known("", f) != "" {
		t.Fatal("the empty string is not empty")
	}
}
