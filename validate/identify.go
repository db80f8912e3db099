package validate

import (
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/editdistance"
	"github.com/audiopreflight/audiopreflight/internal/lazy"
)

// Identification is an exception recognised in a piece of text.
type Identification struct {
	Exception *Exception
	// Params are the parameter values read back from a filled message.
	Params map[string]string
	// MatchedBy says how it was recognised: "name", "message",
	// "name in text" or "message in text".
	MatchedBy string
}

// Identify recognises the exceptions in text, as a person would paste it:
// an exception name (any case), a message with its parameters filled in,
// or a JSON error body, whose string values are searched in order
// ({"detail": "..."}, {"message": "...", "status": 400},
// {"error": {"type": "AudioTooBigForSync"}}). Each exception appears once,
// with the parameters of the most exact match.
func Identify(text string) []Identification {
	text = strings.TrimSpace(text)
	if strings.HasPrefix(text, "{") || strings.HasPrefix(text, "[") {
		if strs, ok := jsonStrings(text); ok {
			var found []Identification
			for _, s := range strs {
				if id, ok := identifyString(s); ok {
					found = mergeIdentification(found, id)
				}
			}
			return found
		}
	}
	if id, ok := identifyString(text); ok {
		return []Identification{id}
	}
	return nil
}

// mergeIdentification adds id to found, or completes the entry for the same
// exception with the parameters id carries.
func mergeIdentification(found []Identification, id Identification) []Identification {
	for i := range found {
		if found[i].Exception == id.Exception {
			if len(found[i].Params) == 0 && len(id.Params) > 0 {
				found[i].Params = id.Params
				found[i].MatchedBy = id.MatchedBy
			}
			return found
		}
	}
	return append(found, id)
}

// jsonStrings returns the string values of a JSON document in document
// order (object keys excluded), or false when text is not JSON.
func jsonStrings(text string) ([]string, bool) {
	if !json.Valid([]byte(text)) {
		return nil, false
	}
	type container struct{ object, wantKey bool }
	var stack []container
	var out []string
	dec := json.NewDecoder(strings.NewReader(text))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, true
		}
		if err != nil {
			return nil, false
		}
		var top *container
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if top != nil && top.object {
					top.wantKey = true // after this value comes a key
				}
				stack = append(stack, container{object: v == '{', wantKey: v == '{'})
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if top != nil && top.object {
			if top.wantKey {
				top.wantKey = false
				continue
			}
			top.wantKey = true
		}
		if s, ok := tok.(string); ok {
			out = append(out, s)
		}
	}
}

// namePrefix matches "Name: message" and "Name(message)" as exceptions are
// often logged, capturing the name and the rest.
var namePrefix = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp {
	return regexp.MustCompile(`(?s)\A([A-Za-z]+)\s*(?:[:(]\s*['"]?)(.*?)['"]?\)?\z`)
}}

func identifyString(s string) (Identification, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"'`)
	if s == "" {
		return Identification{}, false
	}
	if e, ok := Lookup(s); ok {
		return Identification{Exception: e, Params: map[string]string{}, MatchedBy: "name"}, true
	}
	if e, p, ok := MatchMessage(s); ok {
		return Identification{Exception: e, Params: p, MatchedBy: "message"}, true
	}
	if m := namePrefix.Get().FindStringSubmatch(s); m != nil {
		if e, ok := Lookup(m[1]); ok {
			p, _ := e.Match(m[2])
			if p == nil {
				p = map[string]string{}
			}
			return Identification{Exception: e, Params: p, MatchedBy: "name"}, true
		}
	}
	// A log line often carries the name and the filled message: the
	// message gives the parameters.
	for _, e := range catalog() {
		if e.compiled().nameInText.MatchString(s) {
			if p, ok := e.matchInText(s); ok {
				return Identification{Exception: e, Params: p, MatchedBy: "message in text"}, true
			}
			return Identification{Exception: e, Params: map[string]string{}, MatchedBy: "name in text"}, true
		}
	}
	for _, e := range catalog() {
		if p, ok := e.matchInText(s); ok {
			return Identification{Exception: e, Params: p, MatchedBy: "message in text"}, true
		}
	}
	return Identification{}, false
}

// matchInText finds the exception's filled message inside a longer text
// and returns its parameters.
func (e *Exception) matchInText(s string) (map[string]string, bool) {
	m := e.compiled().looseMatcher.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	p := map[string]string{}
	for i, name := range e.compiled().matcher.SubexpNames() {
		if name != "" {
			p[name] = m[i]
		}
	}
	return p, true
}

// Suggest returns up to n exception names close to text, closest first,
// for a "did you mean" when nothing matched.
func Suggest(text string, n int) []string {
	q := strings.ToLower(strings.TrimSpace(text))
	if q == "" {
		return nil
	}
	type scored struct {
		name string
		d    int
	}
	var cands []scored
	for _, e := range catalog() {
		name := strings.ToLower(e.Name)
		d := editdistance.Levenshtein(q, name)
		if strings.Contains(name, q) || strings.Contains(q, name) {
			d = min(d, 1)
		}
		if d <= max(3, len(name)/3) {
			cands = append(cands, scored{e.Name, d})
		}
	}
	slices.SortStableFunc(cands, func(a, b scored) int { return a.d - b.d })
	var out []string
	for i := 0; i < len(cands) && i < n; i++ {
		out = append(out, cands[i].name)
	}
	return out
}
