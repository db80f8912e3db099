// Package config reads audiopreflight's config file, .audiopreflight.yaml
// (or .yml): the settings of `check` — each key is the check flag of the
// same name, and takes the values that flag takes —, the paths to check
// when the command line names none, and the rejections a team has
// accepted (ignore).
//
// The file's shape is the File type: the JSON schema published in the
// repository (schema/audiopreflight.schema.json, embedded in the binary by
// package schema) is generated from it by this package's tests, and the
// decoder here reads the same shape, reporting each mistake at its
// file:line:column. What a value means is left to the flag it sets, so a
// value is judged the same way in the file, in the environment and on the
// command line.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/yaml"
)

// Names are the file names looked for in each directory, in this order.
var Names = []string{".audiopreflight.yaml", ".audiopreflight.yml"}

// MaxSize is the largest config file read: a config is a few hundred
// bytes; a file this large is not one.
const MaxSize = 1 << 20

// Config is a decoded config file.
type Config struct {
	// Path is the file as found or given; Dir the directory holding it,
	// which relative paths in the file (paths, ignore, baseline, output
	// files) are relative to.
	Path string
	Dir  string
	// Settings are the flag settings, in file order.
	Settings []Setting
	// Paths are what to check when the command line names nothing, as
	// written (relative to Dir).
	Paths []string
	// PathsPos is where paths is set.
	PathsPos Pos
	// Ignore are the accepted rejections, in file order.
	Ignore []IgnoreEntry
}

// Setting is one key of the file that sets a check flag.
type Setting struct {
	// Key is the key, which is the flag's name.
	Key string
	// Values are the flag's values: one for a scalar, one per element of
	// a list (a repeatable flag takes each).
	Values []string
	// List says the value was written as a list.
	List bool
	Pos  Pos
}

// IgnoreEntry is an entry of ignore: the rejections of the inputs matching
// Path (a glob, ** spanning directories, relative to the file's
// directory), with one of Exceptions as their verdict (any when empty),
// pass the run, shown as ignored with Reason.
type IgnoreEntry struct {
	Path       string
	Exceptions []string
	Reason     string
	Pos        Pos
}

// Pos is a position in the file, 1-based.
type Pos struct{ Line, Column int }

// Error is a mistake in a config file, at a position when it has one.
type Error struct {
	Path string
	Pos  Pos
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return e.Path + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Pos.Line, e.Pos.Column, e.Msg)
}

// Errors are all the mistakes found in one file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// maxErrors is how many mistakes a file's decoding lists before it stops.
const maxErrors = 20

// Find looks for a config file in dir and each directory above it, up to
// the repository's root — the first directory holding .git — or, outside
// a repository, the file system's root. It returns "" when there is none;
// a directory holding both names is an error (which one is meant?).
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		var found []string
		for _, name := range Names {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				found = append(found, p)
			}
		}
		switch len(found) {
		case 1:
			return found[0], nil
		case 2:
			return "", fmt.Errorf("%s and %s are both config files: keep one", found[0], found[1])
		}
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return "", nil // the repository's root
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load reads and decodes the config file at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, &Error{Path: path, Msg: "is a directory, not a config file"}
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxSize {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("larger than %d KiB: not a config file", MaxSize>>10)}
	}
	return Decode(path, b)
}

// Decode decodes the config file at path whose content is b.
func Decode(path string, b []byte) (*Config, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	d := &decoder{cfg: &Config{Path: path, Dir: filepath.Dir(abs)}}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	switch err := dec.Decode(&doc); {
	case errors.Is(err, io.EOF):
		return d.cfg, nil // an empty file sets nothing
	case err != nil:
		return nil, &Error{Path: path, Pos: yamlErrorPos(err), Msg: yamlErrorMsg(err)}
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, &Error{Path: path, Pos: Pos{more.Line, more.Column}, Msg: "a second YAML document: a config file holds one"}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	d.file(root)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return d.cfg, nil
}

type decoder struct {
	cfg  *Config
	errs Errors
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	if len(d.errs) < maxErrors {
		d.errs = append(d.errs, &Error{Path: d.cfg.Path, Pos: Pos{n.Line, n.Column}, Msg: fmt.Sprintf(format, args...)})
	}
}

func (d *decoder) file(root *yaml.Node) {
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return // only comments
	}
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "want a mapping of settings (request: scripted, …), got %s", describe(root))
		return
	}
	d.mapping(root, fileKeys.Get(), func(key string, k, v *yaml.Node) {
		field := fileKeys.Get()[key]
		switch key {
		case "paths":
			d.cfg.Paths = d.stringList(key, v)
			d.cfg.PathsPos = Pos{k.Line, k.Column}
		case "ignore":
			d.ignoreList(v)
		default:
			if s, ok := d.setting(key, field, v); ok {
				s.Pos = Pos{k.Line, k.Column}
				d.cfg.Settings = append(d.cfg.Settings, s)
			}
		}
	})
}

// mapping calls f for each key of m, in order, after checking that the key
// is one of keys and is not repeated.
func (d *decoder) mapping(m *yaml.Node, keys map[string]reflect.Type, f func(key string, k, v *yaml.Node)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "a key must be a name, got %s", describe(k))
			continue
		}
		key := k.Value
		if _, ok := keys[key]; !ok {
			d.errorf(k, "unknown key %q%s", key, suggest(key, keys))
			continue
		}
		if seen[key] {
			d.errorf(k, "%s is set twice", key)
			continue
		}
		seen[key] = true
		f(key, k, v)
	}
}

// setting reads the value of a key that sets a flag, checking that it has
// the shape of field's type; what the value means is for the flag to say.
func (d *decoder) setting(key string, t reflect.Type, v *yaml.Node) (Setting, bool) {
	s := Setting{Key: key}
	switch {
	case t.Kind() == reflect.Bool:
		if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
			d.errorf(v, "%s: want true or false, got %s", key, describe(v))
			return s, false
		}
		s.Values = []string{v.Value}
	case t.Kind() == reflect.Int:
		if v.Kind != yaml.ScalarNode || v.Tag != "!!int" {
			d.errorf(v, "%s: want a whole number, got %s", key, describe(v))
			return s, false
		}
		s.Values = []string{v.Value}
	case t == reflect.TypeFor[ByteSize]():
		if v.Kind != yaml.ScalarNode || v.Tag != "!!int" && v.Tag != "!!str" {
			d.errorf(v, "%s: want a size such as 10MiB, 5MB or 4800000, got %s", key, describe(v))
			return s, false
		}
		s.Values = []string{v.Value}
	case t == reflect.TypeFor[Outputs]():
		if v.Kind == yaml.ScalarNode && v.Tag == "!!str" {
			s.Values = []string{v.Value}
			break
		}
		s.Values, s.List = d.stringList(key, v), true
		if s.Values == nil {
			return s, false
		}
	case t.Kind() == reflect.Slice:
		s.Values, s.List = d.stringList(key, v), true
		if s.Values == nil {
			return s, false
		}
	default: // strings, durations
		if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
			d.errorf(v, "%s: want a string, got %s", key, describe(v))
			return s, false
		}
		s.Values = []string{v.Value}
	}
	return s, true
}

// stringList reads a list of strings; nil after an error.
func (d *decoder) stringList(key string, v *yaml.Node) []string {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "%s: want a list, like [%s], got %s", key, exampleItem(key), describe(v))
		return nil
	}
	list := []string{}
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode || item.Tag != "!!str" || item.Value == "" {
			d.errorf(item, "%s: each item must be a non-empty string, got %s", key, describe(item))
			return nil
		}
		list = append(list, item.Value)
	}
	return list
}

func exampleItem(key string) string {
	switch key {
	case "paths":
		return "recordings/"
	case "output":
		return "github, junit=preflight.xml"
	}
	return `"**/*.wav"`
}

func (d *decoder) ignoreList(v *yaml.Node) {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "ignore: want a list of entries (- path: …, reason: …), got %s", describe(v))
		return
	}
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			d.errorf(item, "ignore: each entry is a mapping with path, reason and optionally exceptions, got %s", describe(item))
			continue
		}
		e := IgnoreEntry{Pos: Pos{item.Line, item.Column}}
		ok := true
		d.mapping(item, ignoreKeys.Get(), func(key string, k, v *yaml.Node) {
			switch key {
			case "path":
				if v.Kind != yaml.ScalarNode || v.Tag != "!!str" || v.Value == "" {
					d.errorf(v, "ignore: path: want a glob such as legacy/**/*.wav, got %s", describe(v))
					ok = false
					return
				}
				if err := checkGlob(v.Value); err != nil {
					d.errorf(v, "ignore: path: %v", err)
					ok = false
				}
				e.Path = v.Value
			case "reason":
				if v.Kind != yaml.ScalarNode || v.Tag != "!!str" || strings.TrimSpace(v.Value) == "" {
					d.errorf(v, "ignore: reason: say why the team accepts these rejections, got %s", describe(v))
					ok = false
					return
				}
				e.Reason = v.Value
			case "exceptions":
				names := d.stringList("ignore: exceptions", v)
				if names == nil {
					ok = false
					return
				}
				for i, name := range names {
					if !isException(name) {
						d.errorf(v.Content[i], "ignore: exceptions: %q is not an exception of the API%s", name, suggestException(name))
						ok = false
					}
				}
				e.Exceptions = names
			}
		})
		for _, required := range []struct{ key, val string }{{"path", e.Path}, {"reason", e.Reason}} {
			if required.val == "" && !hasKey(item, required.key) {
				d.errorf(item, "ignore: this entry has no %s (each entry needs a path and the reason the team accepts it)", required.key)
				ok = false
			}
		}
		if ok {
			d.cfg.Ignore = append(d.cfg.Ignore, e)
		}
	}
}

func hasKey(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

// describe names what a node holds, for messages: `the string "x"`, `a
// list`, `nothing`.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "nothing"
	case "!!bool":
		return "the boolean " + n.Value
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!str":
		return fmt.Sprintf("the string %q", n.Value)
	}
	return fmt.Sprintf("%q (%s)", n.Value, strings.TrimPrefix(n.Tag, "!!"))
}

// suggest is " (did you mean X?)" when key is one of keys spelt another
// way (sync_limit, syncLimit, Sync-Limit), or a key starts with it.
func suggest(key string, keys map[string]reflect.Type) string {
	norm := func(s string) string { return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(s)) }
	var close []string
	for k := range keys {
		if norm(k) == norm(key) || len(key) >= 3 && strings.HasPrefix(k, strings.ToLower(key)) || oneEditApart(norm(k), norm(key)) {
			close = append(close, k)
		}
	}
	if len(close) == 0 {
		return ""
	}
	slices.Sort(close)
	return " (did you mean " + strings.Join(close, " or ") + "?)"
}

// oneEditApart reports whether a and b differ by one letter added,
// removed or changed (strictt, stict, strikt).
func oneEditApart(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > 1 || len(b) < 3 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i+1:] == b[i:]
}

// yaml.v3 reports syntax errors as "yaml: line N: message".
func yamlErrorPos(err error) Pos {
	var line int
	if _, scanErr := fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line); scanErr == nil {
		return Pos{Line: line, Column: 1}
	}
	return Pos{}
}

func yamlErrorMsg(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
		msg = rest
	}
	return "not valid YAML: " + msg
}
