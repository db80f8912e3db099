// Package validate holds the API's exception catalog
// (docs/server.md#exceptions) and the decision order
// (docs/server.md#decision-order) that turns what probe found into findings
// and a verdict. The rules are pure functions over data: no I/O, no printing.
package validate

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/audiopreflight/audiopreflight/internal/lazy"
)

// Exception names, as the API spells them (docs/server.md#exceptions).
const (
	ASRInterProcessException     = "ASRInterProcessException"
	ASRSocketTimeout             = "ASRSocketTimeout"
	ASRConnectionFailed          = "ASRConnectionFailed"
	FailedToReadAudioFromURL     = "FailedToReadAudioFromURL"
	FailedToParseAudioHeader     = "FailedToParseAudioHeader"
	InvalidAudioFormat           = "InvalidAudioFormat"
	FailedToConvertAudio         = "FailedToConvertAudio"
	FailedToDecodeAudioFromBytes = "FailedToDecodeAudioFromBytes"
	MissingAudioParam            = "MissingAudioParam"
	AudioTooBigForSync           = "AudioTooBigForSync"
	FailedToUseAudio             = "FailedToUseAudio"
	NoTokenProvided              = "NoTokenProvided"
	InvalidSessionToken          = "InvalidSessionToken"
	UserDoesNotExist             = "UserDoesNotExist"
	ClientIsNotActive            = "ClientIsNotActive"
	ClientDoesNotHaveAccess      = "ClientDoesNotHaveAccess"
	ClientHasNoMoreMinutes       = "ClientHasNoMoreMinutes"
	InvalidHeaderParameter       = "InvalidHeaderParameter"
)

// Categories and request types, as the API's listing names them
// (docs/server.md#exceptions).
const (
	CategoryASR            = "asr"
	CategoryAudio          = "audio"
	CategoryAuthentication = "authentication"

	Unscripted = "unscripted"
	Scripted   = "scripted"
)

// Exception is one entry of the API's exception listing.
type Exception struct {
	Name         string      `json:"name"`
	Message      string      `json:"message"` // template: {x} stands for parameter x
	Parameters   []Parameter `json:"parameters"`
	Description  string      `json:"description"`
	Category     string      `json:"category"`
	RequestTypes []string    `json:"request_types"`

	patterns *patterns
}

// patterns recognise an exception in text. They are compiled on first use:
// checking audio never needs them, and compiling them all costs more than
// a header check of a thousand files.
type patterns struct {
	once         sync.Once
	matcher      *regexp.Regexp // the filled message, anchored
	looseMatcher *regexp.Regexp // the filled message inside a longer text
	nameInText   *regexp.Regexp // the name as a word inside a longer text
}

func (e *Exception) compiled() *patterns {
	p := e.patterns
	p.once.Do(func() {
		p.matcher = compileTemplate(e.Message, true)
		p.looseMatcher = compileTemplate(e.Message, false)
		p.nameInText = regexp.MustCompile(`\b` + regexp.QuoteMeta(e.Name) + `\b`)
	})
	return p
}

// Parameter is one parameter of an exception's message.
type Parameter struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
}

// catalog is the listing (seed/api-error-listing.txt) as data, in the
// listing's order: catalog.json is its data form, TestCatalogMatchesListing
// proves that byte for byte, and catalog_table.go is the same data as Go
// (TestCatalogTableIsCatalogJSON). As Go it is laid out by the linker;
// decoded from the JSON at first use it cost 50 µs (215 allocations),
// paid in the middle of a run by the first input the API would reject.
func catalog() []*Exception { return catalogTable }

// placeholder matches a {name} slot in a message template.
var placeholder = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp { return regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\}`) }}

// compileTemplate turns a message template into a pattern whose named
// groups capture the parameters. A value may hold any text, spaces and
// braces included, so a slot matches anything; the literal text around it,
// anchored at both ends, is what tells the messages apart. Unanchored (a
// message quoted in a log line), a value is the shortest text on its line.
func compileTemplate(tmpl string, anchored bool) *regexp.Regexp {
	slot, start, end := `(?P<%s>[^\n]*?)`, ``, ``
	if strings.HasSuffix(tmpl, "}") {
		end = `(?m:$)` // a value at the end runs to the end of its line
	}
	if anchored {
		slot, start, end = `(?P<%s>.*)`, `(?s)\A`, `\z`
	}
	var b strings.Builder
	b.WriteString(start)
	last := 0
	for _, m := range placeholder.Get().FindAllStringSubmatchIndex(tmpl, -1) {
		b.WriteString(regexp.QuoteMeta(tmpl[last:m[0]]))
		fmt.Fprintf(&b, slot, tmpl[m[2]:m[3]])
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(tmpl[last:]))
	b.WriteString(end)
	return regexp.MustCompile(b.String())
}

// Catalog returns every exception in the listing's order.
func Catalog() []*Exception { return append([]*Exception(nil), catalog()...) }

// Lookup finds an exception by name, ignoring case.
func Lookup(name string) (*Exception, bool) {
	for _, e := range catalog() {
		if strings.EqualFold(e.Name, name) {
			return e, true
		}
	}
	return nil, false
}

// MustLookup is Lookup for names the program itself uses.
func MustLookup(name string) *Exception {
	e, ok := Lookup(name)
	if !ok {
		panic("validate: no exception named " + name)
	}
	return e
}

// Format fills the message template with params; a parameter that is not
// given stays as its {name} slot.
func (e *Exception) Format(params map[string]string) string {
	// Most findings have nothing to fill in: their message is the
	// template, without the regexp's copy of it.
	if len(params) == 0 || !strings.Contains(e.Message, "{") {
		return e.Message
	}
	return placeholder.Get().ReplaceAllStringFunc(e.Message, func(slot string) string {
		if v, ok := params[slot[1:len(slot)-1]]; ok {
			return v
		}
		return slot
	})
}

// Match reports whether message is this exception's message with its
// parameters filled in, and returns those parameters.
func (e *Exception) Match(message string) (map[string]string, bool) {
	matcher := e.compiled().matcher
	m := matcher.FindStringSubmatch(message)
	if m == nil {
		return nil, false
	}
	params := map[string]string{}
	for i, name := range matcher.SubexpNames() {
		if name != "" {
			params[name] = m[i]
		}
	}
	return params, true
}

// HasRequestType reports whether the exception is listed for the request type.
func (e *Exception) HasRequestType(request string) bool {
	for _, r := range e.RequestTypes {
		if r == request {
			return true
		}
	}
	return false
}

// MatchMessage finds the exception whose filled message is exactly message.
// Messages without parameters are preferred over templates, so that a
// literal message never loses to a template that happens to match it too.
func MatchMessage(message string) (*Exception, map[string]string, bool) {
	var found *Exception
	var foundParams map[string]string
	for _, e := range catalog() {
		p, ok := e.Match(message)
		if !ok {
			continue
		}
		if len(e.Parameters) == 0 {
			return e, p, true
		}
		if found == nil {
			found, foundParams = e, p
		}
	}
	return found, foundParams, found != nil
}
