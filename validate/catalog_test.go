package validate

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// parseListing reads the API's published exception listing (the text of
// seed/api-error-listing.txt, copied to testdata/listing) into catalog
// entries, independently of catalog.json: sections name the request type,
// sub-sections the category, and each exception is four lines — name,
// message, parameters ("None" or "name (type): description"), description.
func parseListing(t *testing.T, text string) []*Exception {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	section := regexp.MustCompile(`^(Unscripted|Scripted) Requests$`)
	category := regexp.MustCompile(`^(ASR|Audio|Authentication) Exceptions$`)
	param := regexp.MustCompile(`^(\w+) \((\w+)\): (.+)$`)
	name := regexp.MustCompile(`^[A-Z][A-Za-z]+$`)
	var out []*Exception
	byName := map[string]*Exception{}
	var req, cat string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if m := section.FindStringSubmatch(l); m != nil {
			req, cat = strings.ToLower(m[1]), ""
			continue
		}
		if m := category.FindStringSubmatch(l); m != nil {
			cat = strings.ToLower(m[1])
			want := []string{"Exception", "Message", "Parameters", "Description"}
			if i+4 >= len(lines) || strings.Join(lines[i+1:i+5], "|") != strings.Join(want, "|") {
				t.Fatalf("listing: table header after %q is not %v", l, want)
			}
			i += 4
			continue
		}
		if req == "" || cat == "" || !name.MatchString(l) || i+3 >= len(lines) {
			continue
		}
		e := &Exception{Name: l, Message: lines[i+1], Description: lines[i+3], Category: cat, Parameters: []Parameter{}}
		if p := lines[i+2]; p != "None" {
			m := param.FindStringSubmatch(p)
			if m == nil {
				t.Fatalf("listing: parameters of %s: cannot parse %q", l, p)
			}
			e.Parameters = append(e.Parameters, Parameter{Name: m[1], Type: m[2], Description: m[3]})
		}
		i += 3
		if prev, ok := byName[e.Name]; ok {
			if d := diffException(prev, e, false); d != "" {
				t.Fatalf("listing: %s differs between request types: %s", e.Name, d)
			}
			prev.RequestTypes = append(prev.RequestTypes, req)
			continue
		}
		e.RequestTypes = []string{req}
		byName[e.Name] = e
		out = append(out, e)
	}
	return out
}

func diffException(got, want *Exception, withRequests bool) string {
	switch {
	case got.Name != want.Name:
		return fmt.Sprintf("name %q, listing %q", got.Name, want.Name)
	case got.Message != want.Message:
		return fmt.Sprintf("%s: message %q, listing %q", got.Name, got.Message, want.Message)
	case got.Description != want.Description:
		return fmt.Sprintf("%s: description %q, listing %q", got.Name, got.Description, want.Description)
	case got.Category != want.Category:
		return fmt.Sprintf("%s: category %q, listing %q", got.Name, got.Category, want.Category)
	case fmt.Sprint(got.Parameters) != fmt.Sprint(want.Parameters):
		return fmt.Sprintf("%s: parameters %v, listing %v", got.Name, got.Parameters, want.Parameters)
	case withRequests && fmt.Sprint(got.RequestTypes) != fmt.Sprint(want.RequestTypes):
		return fmt.Sprintf("%s: request types %v, listing %v", got.Name, got.RequestTypes, want.RequestTypes)
	}
	return ""
}

func diffCatalog(got, want []*Exception) []string {
	var diffs []string
	if len(got) != len(want) {
		diffs = append(diffs, fmt.Sprintf("%d exceptions, listing has %d", len(got), len(want)))
	}
	for i := 0; i < len(got) && i < len(want); i++ {
		if d := diffException(got[i], want[i], true); d != "" {
			diffs = append(diffs, fmt.Sprintf("#%d %s", i, d))
		}
	}
	return diffs
}

func readListing(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../testdata/listing/api-error-listing.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCatalogMatchesListing(t *testing.T) {
	listing := parseListing(t, readListing(t))
	if len(listing) != 18 {
		t.Fatalf("the listing parsed into %d exceptions, want 18", len(listing))
	}
	for _, d := range diffCatalog(Catalog(), listing) {
		t.Error(d)
	}
}

// TestCatalogComparisonCatchesOneCharacter proves the comparison above is
// not vacuous: one changed character anywhere in the data is caught.
func TestCatalogComparisonCatchesOneCharacter(t *testing.T) {
	listing := parseListing(t, readListing(t))
	for _, field := range []string{"Missing audio param!", "stream_dir", "Raised when the ASR system times out while processing.", `"authentication"`, `"scripted"`} {
		i := bytes.Index(catalogJSON, []byte(field))
		if i < 0 {
			t.Fatalf("catalog.json has no %q", field)
		}
		mutated := append([]byte(nil), catalogJSON...)
		mutated[i+1] ^= 0x20 // flip case of the second character
		if diffs := diffCatalog(mustLoadCatalog(mutated), listing); len(diffs) == 0 {
			t.Errorf("changing %q in catalog.json went unnoticed", field)
		}
	}
}

func TestCatalogNamesAreConstants(t *testing.T) {
	names := []string{ASRInterProcessException, ASRSocketTimeout, ASRConnectionFailed, FailedToReadAudioFromURL,
		FailedToParseAudioHeader, InvalidAudioFormat, FailedToConvertAudio, FailedToDecodeAudioFromBytes,
		MissingAudioParam, AudioTooBigForSync, FailedToUseAudio, NoTokenProvided, InvalidSessionToken,
		UserDoesNotExist, ClientIsNotActive, ClientDoesNotHaveAccess, ClientHasNoMoreMinutes, InvalidHeaderParameter}
	for i, e := range Catalog() {
		if e.Name != names[i] {
			t.Errorf("catalog #%d is %s, constant list has %s", i, e.Name, names[i])
		}
	}
}

func TestLookupIgnoresCase(t *testing.T) {
	for _, in := range []string{"audiotoobigforsync", "AUDIOTOOBIGFORSYNC", "AudioTooBigForSync"} {
		if e, ok := Lookup(in); !ok || e.Name != AudioTooBigForSync {
			t.Errorf("Lookup(%q) = %v, %v", in, e, ok)
		}
	}
	if _, ok := Lookup("AudioTooBig"); ok {
		t.Error("Lookup matched a prefix")
	}
}

func TestFormatAndMatch(t *testing.T) {
	tests := []struct {
		name, message string
		params        map[string]string
	}{
		{ClientIsNotActive, "Client with 42 is not active", map[string]string{"user_id": "42"}},
		{FailedToConvertAudio, "The server failed to parse your flac audio", map[string]string{"audio_format": "flac"}},
		{AudioTooBigForSync, "Audio is too big for sync mode, please change to async mode", map[string]string{}},
		{InvalidSessionToken, "Invalid session token: {token}", map[string]string{"token": "{token}"}},
		{ASRInterProcessException, "exception in ASR: ", map[string]string{"error": ""}},
	}
	for _, tt := range tests {
		e := MustLookup(tt.name)
		if got := e.Format(tt.params); got != tt.message {
			t.Errorf("%s.Format(%v) = %q, want %q", tt.name, tt.params, got, tt.message)
		}
		got, ok := e.Match(tt.message)
		if !ok || fmt.Sprint(got) != fmt.Sprint(tt.params) {
			t.Errorf("%s.Match(%q) = %v, %v; want %v", tt.name, tt.message, got, ok, tt.params)
		}
	}
	for _, tt := range []struct{ name, message string }{
		{ClientIsNotActive, "xClient with 42 is not active"},
		{ClientIsNotActive, "Client with 42 is not active."},
		{MissingAudioParam, "Missing audio param"},
		{FailedToConvertAudio, "The server failed to parse your flac audio\n"},
	} {
		if p, ok := MustLookup(tt.name).Match(tt.message); ok {
			t.Errorf("%s matched %q (%v); the match must be anchored", tt.name, tt.message, p)
		}
	}
}

// TestFormatMatchRoundTrip: every message, filled with arbitrary values
// (spaces, braces, newlines, unicode), is recognised as its own exception
// with the same values.
func TestFormatMatchRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []rune("ab Z09 {}{x}{token}$^.*+?()[]|\\\n\té—𝄞\u200b\"'")
	randomValue := func() string {
		n := rng.Intn(24)
		r := make([]rune, n)
		for i := range r {
			r[i] = alphabet[rng.Intn(len(alphabet))]
		}
		return string(r)
	}
	for _, e := range Catalog() {
		for i := 0; i < 300; i++ {
			params := map[string]string{}
			for _, p := range e.Parameters {
				// Only parameters with a slot in the message can come back
				// out of it (AudioTooBigForSync's stream_dir has none).
				if strings.Contains(e.Message, "{"+p.Name+"}") {
					params[p.Name] = randomValue()
				}
			}
			msg := e.Format(params)
			if !utf8.ValidString(msg) {
				t.Fatalf("invalid UTF-8 from Format: %q", msg)
			}
			got, gotParams, ok := MatchMessage(msg)
			if !ok || got.Name != e.Name || fmt.Sprint(gotParams) != fmt.Sprint(params) {
				name := "<none>"
				if got != nil {
					name = got.Name
				}
				t.Fatalf("MatchMessage(%q) = %s %v %v; want %s %v", msg, name, gotParams, ok, e.Name, params)
			}
		}
	}
}

func TestEveryExceptionHasAdvice(t *testing.T) {
	for _, e := range Catalog() {
		if a := AdviceFor(e.Name); a.Cause == "" || a.Fix == "" {
			t.Errorf("%s has no cause or fix", e.Name)
		}
	}
}
