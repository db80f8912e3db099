package yaml_test

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	upstream "go.yaml.in/yaml/v3"

	"github.com/audiopreflight/audiopreflight/internal/config"
	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/internal/yaml"
)

// tricky are documents that reach the parts of the library the copy
// changed — the scalar resolution tables and patterns, the tag tables, the
// struct map — and the corners of its scanner, parser and emitter that the
// repository's own YAML files do not. Upstream decodes and unmarshals each
// without an error (TestDecodeUnchanged), so a document of them that stops
// early cannot hide a difference after its stop.
var tricky = []string{
	// Plain scalars resolved to each type (resolve.go's table, map and
	// float pattern), as a mapping's values and a sequence's items.
	`int: [0, -0, +1, 12, 0x1F, -0x1F, 0o17, 017, 0b1010, -0b1, 1_000, 0x_1F, 190:20:30, -190:20:30,
  9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809,
  18446744073709551615, 18446744073709551616]
float: [1.0e3, 1e3, .5, -.5, +.5, 1., 1.5e+3, 1.5E-3, 190:20:30.15, 6.8523015e+5, 685.230_15e+03,
  .inf, .Inf, .INF, +.inf, -.Inf, -.INF, .nan, .NaN, .NAN, .Nan, 1e400, 0.1e-400, 1_0.5, _1]
bool: [true, True, TRUE, false, False, FALSE, tRue, yes, no, on, off, Yes, No, On, Off, y, n, Y, N]
null: [~, null, Null, NULL, nULL, "", {a: }]
timestamp: [2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10 -5, 2001-12-15T02:59:43.1Z,
  2001-12-15 2:59:43.10, 2002-12-14, 2002-1-4, 2002-12-14x, 12:30, 2001-12-14T21:59:43]
str: [-, +, ., .., 0x, 0o, 0b, 1_, 1__0, 0xG, 1.2.3, 12e, e3, "123", '1.5', "yes", 'null', "~",
  "190:20:30", "2002-12-14", "0o17", "1_000", "1e3", ".inf", "<<", "true", "-1:20", "+1:2:3.5"]
`,
	"0x1F\n",
	"1.0e3\n",
	"190:20:30\n",
	"~\n",
	"yes\n",
	"- .5\n- 0o17\n- 1_000\n- off\n- 2001-12-14\n",
	// Tags on odd values: resolve's checks of a value against its tag, and
	// the tag tables' short and long forms.
	`- !!str 123
- !!str
- !!int "12"
- !!int 0x1F
- !!int 1_000
- !!float 1
- !!float .5
- !!float "1e3"
- !!bool "true"
- !!null ""
- !!null ~
- !!binary aGVsbG8gd29ybGQ=
- !!binary |
    R0lGODlhDAAMAIQAAP//9/X17unp5WZmZgAAAOfn515eXvPz7Y6OjuDg4J+fn5
    OTk6enp56enmlpaWNjY6Ojo4SEhP/++f/++f/++f/++f/++f/++f/++f/++f/+
- !!timestamp 2001-12-14
- !!map {a: 1}
- !!seq [1, 2]
- !<tag:yaml.org,2002:str> 5
- !<tag:yaml.org,2002:int> "7"
- !<tag:yaml.org,2002:custom> x
- !!custom y
- !local z
- ! 12
- !!merge <<
`,
	"a: !!int [1]\n",
	"%TAG ! tag:example.com,2000:app/\n---\n- !foo x\n- !!str y\n",
	"%TAG !e! tag:example.com,2000:\n---\n!e!thing {a: !e!other b}\n",
	"%YAML 1.1\n---\nx\n",
	// Anchors, aliases and merge keys.
	`a: &x 1
b: *x
c: &y [1, *x, {k: *x}]
d: *y
e: &empty
f: *empty
`,
	`base: &base {a: 1, b: 2}
more: &more {c: 3}
one:
  <<: *base
  b: 20
many:
  <<: [*base, *more]
  a: 10
tagged:
  !!merge <<: *base
quoted:
  "<<": *base
nested:
  <<: {<<: *more, d: 4}
`,
	"? &k key\n: *k\n",
	"&a a: &b b\n*b : *a\n",
	"&anchor\n",
	// Block and flow styles.
	`literal: |
  line one
    indented
  line three
kept: |+
  kept

stripped: |-
  stripped
folded: >
  folded
  text

  paragraph
indented: |2
    two more
flow: {a: [1, {b: c}], "d": 'e', f: , ? g}
compact:
- - a
  - b
- c: d
  e: f
-   - deep
? complex key
: value
plain: a plain
  scalar folded
  over lines
empty-seq: []
empty-map: {}
`,
	"[a, b, ]\n",
	"{a: 1, b: 2,}\n",
	"[a: 1, b: 2]\n",
	"a:\n- b\n- c\n",
	"a: |\n text\n  more\n less\n",
	// Comments at the head, end and foot of nodes and documents.
	`# head of the document

# head of a
a: 1 # line of a
# foot of a

b: # line of b
  # head of c
  - c # line of c
  # foot of c
  - d
# head of e
e: {x: 1} # line of e
f: |  # line of f
  text
# foot of the document
`,
	"# only a comment\n",
	"a: [1, # one\n  2] # two\n",
	"- a\n  # between\n- b\n\n\n# far foot\n",
	"key:   # after the key\n  value\n",
	"---  # marker comment\na: 1\n...  # end comment\n",
	// Several documents.
	"---\na: 1\n...\n---\nb: 2\n",
	"--- |\n  text\n--- >\n  folded\n---\n",
	"---\n---\n---\n",
	"%YAML 1.1\n---\na\n...\n%YAML 1.1\n---\nb\n",
	// Quoted strings and escapes.
	`- "tab\tnewline\nhex\x41 u\u263A U\U0001F600 slash\\ quote\" space\ nbsp\_ nel\N ls\L ps\P nul\0 bell\a bs\b esc\e ff\f cr\r vt\v"
- 'single ''quoted'' \n stays'
- "folded
  double
  
  quoted"
- 'folded

  single'
- "line \
  continued"
- "\u00e9\xe9"
`,
	// The fields of the struct the corpus is unmarshalled into too (record).
	`int: 0x1F
float: .5
bool: yes
str: 1
list: [1, a, {b: c}]
b: [x, y]
duration: 1m30s
time: 2001-12-14
nested: {int: 2, nested: {str: s, duration: 1h}}
map: {k: v}
a: any
base: &b {x: 1}
key: *b
other: rest
<<: {merged: 1}
`,
	// Encodings and line ends a reader must judge.
	"\ufeffa: 1\n",
	"\xff\xfea\x00:\x00 \x001\x00\n\x00",
	"\xfe\xff\x00a\x00:\x00 \x001\x00\n",
	"",
	"\n\n",
	"a: 1\r\nb: 2\r\n",
}

// trickyErrors are documents upstream fails on, in the Decoder or in
// Unmarshal into an any or a struct (TestDecodeUnchanged): each must fail in the copy with the same
// error.
var trickyErrors = []string{
	// A tag the value cannot have.
	"!!int abc\n",
	"!!int 190:20:30\n",
	"!!float yes\n",
	"!!bool 1\n",
	"!!timestamp soon\n",
	"!!binary 'not base64!'\n",
	"!!null x\n",
	"!!timestamp \"2001-12-14 21:59:43.10 -5\"\n",
	// Aliases, merges, keys.
	"a: *nope\n",
	"a: &x [*x]\n",
	"<<: 1\n",
	"<<: [1, 2]\n",
	"a: {<<: [*b]}\n",
	"a: 1\na: 2\n",
	"{a: 1, a: 2}\n",
	"? [a, b]\n: c\n",
	"? {a: b}\n: c\n",
	// Values the struct's fields cannot hold.
	"int: abc\nduration: 1\nbool: maybe\nmap: [1]\nb: {c: d}\nfloat: 1e400x\n",
	"time: noon\n",
	"nested: [1]\n",
	// Syntax errors of several kinds.
	"a: [1, 2\n",
	"a: {b: 1\n",
	"a: \"unterminated\n",
	"a: 'unterminated\n",
	"key: value: other\n",
	"- a\nb: c\n",
	"a:\n\tb: 1\n",
	"a: b\n  c: d\n",
	"a:\n  - b\n -c\n",
	"*\n",
	"!<\n",
	"a: @x\n",
	"a: `x\n",
	"\"\\q\"\n",
	"\"\\/\"\n",
	"\"\\xZZ\"\n",
	"\"\\uD800\"\n",
	"%YAML 2.0\n---\nx\n",
	"%YAML 1.1\n%YAML 1.1\n---\nx\n",
	"%TAG ! a\n%TAG ! b\n---\nx\n",
	"%FOO bar\n---\nx\n",
	"a: 1\n---\n[\n",
	"--- a\n--- b\n... c\n",
	"[a]]\n",
	"}\n",
	"a: |0\n  x\n",
	"? a\n? b\n: c\n: d\n",
	"\"a\": \"b\" \"c\"\n",
	strings.Repeat("k", 1100) + ": v\n",
	"a: \xff\n",
	"a: \x01\n",
	"a: \u0085b\n",
}

// deep are documents nested as deep as the parser allows, and one deeper.
// Each takes tens of milliseconds to parse (upstream's scanner is
// quadratic in the depth), so they are not seeds of FuzzDecodeUnchanged,
// whose minimizer would run the inputs it derives from them for a minute
// each.
var deep = []string{
	strings.Repeat("- ", 2000) + "x\n",
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n",
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "\n",
}

// corpus is every document TestDecodeUnchanged holds the copy to and
// FuzzDecodeUnchanged starts from: the repository's YAML files, the
// config file texts internal/config is tested with (every string literal
// of its tests, and the starter file, commented and not), tricky,
// trickyErrors and deep.
func corpus(t testing.TB) map[string][]byte {
	docs := map[string][]byte{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if ext := filepath.Ext(path); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			docs[path] = b
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 {
		t.Fatal("no .yaml or .yml file in the repository")
	}
	configTests, _ := filepath.Glob("../config/*_test.go")
	if len(configTests) == 0 {
		t.Fatal("no test file in ../config")
	}
	fset := token.NewFileSet()
	for _, path := range configTests {
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					docs[fset.Position(lit.Pos()).String()] = []byte(s)
				}
			}
			return true
		})
	}
	docs["config.Starter"] = []byte(config.Starter)
	docs["config.Starter uncommented"] = []byte(regexp.MustCompile(`(?m)^#(\S|  )`).ReplaceAllString(config.Starter, "$1"))
	for i, s := range tricky {
		docs[fmt.Sprintf("tricky[%d]", i)] = []byte(s)
	}
	for i, s := range trickyErrors {
		docs[fmt.Sprintf("trickyErrors[%d]", i)] = []byte(s)
	}
	for i, s := range deep {
		docs[fmt.Sprintf("deep[%d]", i)] = []byte(s)
	}
	return docs
}

// TestDecodeUnchanged: the copy decodes every document of the corpus as
// go.yaml.in/yaml/v3 v3.0.5 does (the nodes with their styles, tags,
// comments and positions; the values Unmarshal makes; what Marshal writes
// of both), and fails on it with the same error.
func TestDecodeUnchanged(t *testing.T) {
	docs := corpus(t)
	for name, doc := range docs {
		if diff := compare(doc); diff != "" {
			t.Errorf("%s: the copy differs from go.yaml.in/yaml/v3: %s\ninput: %q", name, diff, doc)
		}
	}
	for i, doc := range tricky {
		if o := run(upstreamLib, []byte(doc)); o.decodeErr != "" || o.unmarshalErr != "" {
			t.Errorf("tricky[%d]: upstream fails: %s%s", i, o.decodeErr, o.unmarshalErr)
		}
	}
	for i, doc := range trickyErrors {
		if o := run(upstreamLib, []byte(doc)); o.decodeErr == "" && o.unmarshalErr == "" && o.recordErr == "" {
			t.Errorf("trickyErrors[%d]: upstream does not fail", i)
		}
	}
	// The corpus must reach what the copy changed — every kind of resolved
	// scalar, the merge key — and fail in each part of the library:
	// scanner, parser, aliases, tag checks, merges, types.
	reached := map[string]bool{}
	for _, s := range []string{"!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary", "!!merge",
		"found character that cannot start any token", "did not find expected",
		"unknown anchor", "cannot decode !!str", "map merge requires", "already defined", "exceeded max depth",
		"invalid Unicode character", "cannot unmarshal !!str `abc` into int", "---\nkind 4, "} {
		reached[s] = false
	}
	for _, doc := range docs {
		out := run(upstreamLib, doc)
		all := out.nodes + out.decodeErr + out.nodesOut + out.unmarshalErr + out.valueOut + out.record + out.recordErr
		for s := range reached {
			reached[s] = reached[s] || strings.Contains(all, s)
		}
	}
	for s, ok := range reached {
		if !ok {
			t.Errorf("no document of the corpus reaches %q", s)
		}
	}
}

// FuzzDecodeUnchanged: whatever the input, the copy decodes it as
// go.yaml.in/yaml/v3 v3.0.5 does (TestDecodeUnchanged's comparison). The
// seeds are the corpus but for deep.
func FuzzDecodeUnchanged(f *testing.F) {
	for name, doc := range corpus(f) {
		if !strings.HasPrefix(name, "deep[") {
			f.Add(doc)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		if diff := compare(data); diff != "" {
			t.Errorf("the copy differs from go.yaml.in/yaml/v3: %s\ninput: %q", diff, data)
		}
	})
}

// lib is one of the two libraries, reached through functions of the same
// shape; its Decoder is called through reflect.
type lib struct {
	newDecoder any // func(io.Reader) *Decoder
	unmarshal  func([]byte, any) error
	marshal    func(any) ([]byte, error)
	newNode    func() any // a new *Node
	newRecord  func() any // a new *record of the library's inlined Unmarshaler
	// rename makes the names of the library's own types in messages the
	// same in both.
	rename *strings.Replacer
}

var (
	upstreamLib = lib{upstream.NewDecoder, upstream.Unmarshal, upstream.Marshal,
		func() any { return new(upstream.Node) }, func() any { return new(record[upstreamInline]) },
		strings.NewReplacer("upstreamInline", "inline")}
	copyLib = lib{yaml.NewDecoder, yaml.Unmarshal, yaml.Marshal,
		func() any { return new(yaml.Node) }, func() any { return new(record[copyInline]) },
		strings.NewReplacer("copyInline", "inline")}
)

// record is a struct the documents are unmarshalled into too: struct
// types are what getStructInfo describes (and keeps in structMap), and
// what reach the duration, time and inlining paths of the decoder. U is an
// inlined struct implementing the library's Unmarshaler, which is handed
// the whole mapping.
type record[U any] struct {
	Int      int               `yaml:"int"`
	Float    float64           `yaml:"float,omitempty"`
	Bool     bool              `yaml:"bool"`
	Str      string            `yaml:"str"`
	List     []any             `yaml:"list,flow"`
	Strings  []string          `yaml:"b"`
	Duration time.Duration     `yaml:"duration"`
	Time     time.Time         `yaml:"time"`
	Nested   *record[U]        `yaml:"nested,omitempty"`
	Map      map[string]string `yaml:"map"`
	Any      any               `yaml:"a"`
	Inlined  inlined           `yaml:",inline"`
	Custom   U                 `yaml:",inline"`
	Rest     map[string]any    `yaml:",inline"`
}

type inlined struct {
	Merge any `yaml:"base"`
	Key   any `yaml:"key"`
}

// upstreamInline and copyInline are the inlined Unmarshalers: each notes
// the node it was given.
type upstreamInline struct{ Seen string }

func (u *upstreamInline) UnmarshalYAML(n *upstream.Node) error {
	u.Seen = fmt.Sprintf("kind %d, %d nodes, at %d:%d", n.Kind, len(n.Content), n.Line, n.Column)
	return nil
}

type copyInline struct{ Seen string }

func (u *copyInline) UnmarshalYAML(n *yaml.Node) error {
	u.Seen = fmt.Sprintf("kind %d, %d nodes, at %d:%d", n.Kind, len(n.Content), n.Line, n.Column)
	return nil
}

// outcome is what a library makes of one input, as text.
type outcome struct {
	nodes        string // every document's tree (dump)
	decodeErr    string
	nodesOut     string // Marshal of each document's node
	value        any    // Unmarshal into an any
	unmarshalErr string
	valueOut     string // Marshal of value
	record       string // Marshal of the record Unmarshal made, and what its Unmarshaler saw
	recordErr    string
}

// maxDocs bounds the documents decoded of one input; a fuzzed input of a
// thousand "---" lines says no more than one of forty.
const maxDocs = 40

func run(l lib, doc []byte) (o outcome) {
	dec := reflect.ValueOf(l.newDecoder).Call([]reflect.Value{reflect.ValueOf(bytes.NewReader(doc))})[0]
	decode := dec.MethodByName("Decode")
	var nodes, nodesOut strings.Builder
	for i := 0; i < maxDocs; i++ {
		n := l.newNode()
		var err error
		if p := catch(func() {
			if e := decode.Call([]reflect.Value{reflect.ValueOf(n)})[0]; !e.IsNil() {
				err = e.Interface().(error)
			}
		}); p != "" {
			o.decodeErr = p
			break
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			o.decodeErr = errText(err)
			break
		}
		fmt.Fprintf(&nodes, "document %d\n", i)
		dump(&nodes, reflect.ValueOf(n), 1)
		fmt.Fprintf(&nodesOut, "document %d\n%s\n", i, marshal(l, n))
	}
	o.nodes, o.nodesOut = nodes.String(), nodesOut.String()
	var err error
	if p := catch(func() { err = l.unmarshal(doc, &o.value) }); p != "" {
		o.unmarshalErr = p
	} else if err != nil {
		o.unmarshalErr = errText(err)
	}
	o.valueOut = marshal(l, o.value)

	rec := l.newRecord()
	err = nil
	if p := catch(func() { err = l.unmarshal(doc, rec) }); p != "" {
		o.recordErr = p
	} else if err != nil {
		o.recordErr = errText(err)
	}
	o.record = fmt.Sprintf("%s\n---\n%s", marshal(l, rec), reflect.ValueOf(rec).Elem().FieldByName("Custom").FieldByName("Seen"))
	o.record, o.recordErr = l.rename.Replace(o.record), l.rename.Replace(o.recordErr)
	return o
}

func errText(err error) string { return fmt.Sprintf("%T %v", err, err) }

func marshal(l lib, v any) (out string) {
	if p := catch(func() {
		b, err := l.marshal(v)
		out = string(b)
		if err != nil {
			out += "\nerror: " + errText(err)
		}
	}); p != "" {
		return p
	}
	return out
}

// catch runs f and returns what it panicked with, if it did: upstream
// panics on some inputs, and so must the copy, with the same value.
func catch(f func()) (panicked string) {
	defer func() {
		if p := recover(); p != nil {
			panicked = fmt.Sprintf("panic: %v", p)
		}
	}()
	f()
	return ""
}

// dump writes the tree under the *Node n (of either library) one node a
// line, every field of Node by name, so a field upstream has and the copy
// lacks shows too. An alias is written as the position of the node it
// names, not followed: it may contain itself.
func dump(w *strings.Builder, n reflect.Value, depth int) {
	if n.IsNil() {
		fmt.Fprintf(w, "%d nil\n", depth)
		return
	}
	v := n.Elem()
	fmt.Fprintf(w, "%d", depth)
	var content reflect.Value
	for i := 0; i < v.NumField(); i++ {
		name, f := v.Type().Field(i).Name, v.Field(i)
		switch name {
		case "Content":
			content = f
		case "Alias":
			if !f.IsNil() {
				a := f.Elem()
				fmt.Fprintf(w, " Alias=&%s@%d:%d", a.FieldByName("Anchor"), a.FieldByName("Line").Int(), a.FieldByName("Column").Int())
			}
		default:
			fmt.Fprintf(w, " %s=%q", name, fmt.Sprint(f.Interface()))
		}
	}
	if n.MethodByName("ShortTag").IsValid() {
		fmt.Fprintf(w, " ShortTag()=%s", n.MethodByName("ShortTag").Call(nil)[0])
	}
	w.WriteByte('\n')
	for i := 0; i < content.Len(); i++ {
		dump(w, content.Index(i), depth+1)
	}
}

// compare runs both libraries on doc and says how they differ, or "".
func compare(doc []byte) string {
	want := run(upstreamLib, doc)
	got := run(copyLib, doc)
	for _, c := range []struct{ what, want, got string }{
		{"decoding into Nodes", want.nodes, got.nodes},
		{"the Decoder's error", want.decodeErr, got.decodeErr},
		{"Marshal of the Nodes", want.nodesOut, got.nodesOut},
		{"Unmarshal's error", want.unmarshalErr, got.unmarshalErr},
		{"Marshal of Unmarshal's value", want.valueOut, got.valueOut},
		{"Unmarshal's error for a struct", want.recordErr, got.recordErr},
		{"Unmarshal into a struct", want.record, got.record},
	} {
		if c.want != c.got {
			return fmt.Sprintf("%s: %s", c.what, firstDifference(c.want, c.got))
		}
	}
	if !sameValue(want.value, got.value) {
		return fmt.Sprintf("Unmarshal into an any: upstream %#v, the copy %#v", want.value, got.value)
	}
	return ""
}

// sameValue is reflect.DeepEqual but for NaN, which Unmarshal makes of
// .nan and which equals nothing: values holding one are compared as Go
// syntax (fmt writes a map's keys sorted, NaN first).
func sameValue(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	sa := fmt.Sprintf("%#v", a)
	return strings.Contains(sa, "NaN") && sa == fmt.Sprintf("%#v", b)
}

// firstDifference quotes the first line where want and got differ.
func firstDifference(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d: upstream %q, the copy %q", i+1, w, g)
		}
	}
	return "they differ"
}

// The values Unmarshal gives NaN must compare as sameValue says.
func TestSameValueNaN(t *testing.T) {
	if !sameValue(map[string]any{"a": math.NaN()}, map[string]any{"a": math.NaN()}) {
		t.Error("two maps holding NaN compare unequal")
	}
	if sameValue(map[string]any{"a": math.NaN()}, map[string]any{"a": 1.0}) {
		t.Error("NaN compares equal to 1")
	}
	if sameValue(map[string]any{"a": 1}, map[string]any{"a": int64(1)}) {
		t.Error("int 1 compares equal to int64 1")
	}
}
