package remote

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseServerURL(t *testing.T) {
	tests := []struct {
		in       string
		wantURL  string // the URL requests go to
		reason   Reason // when it fails
		hintPart string
	}{
		{in: "https://example.com/a.wav", wantURL: "https://example.com/a.wav"},
		{in: "HTTPS://Example.COM/a.wav", wantURL: "https://example.com/a.wav"},
		{in: "  \thttp://example.com/a.wav", wantURL: "http://example.com/a.wav"},
		{in: "http://example.com/a.wav#t=10", wantURL: "http://example.com/a.wav"},
		{in: "http://example.com:8080/a.wav?x=1", wantURL: "http://example.com:8080/a.wav?x=1"},
		{in: "http://example.com:/a.wav", wantURL: "http://example.com:/a.wav"},
		{in: "http://example.com:08080/a.wav", wantURL: "http://example.com:08080/a.wav"},
		{in: "http://%31%32%37.0.0.1/a.wav", wantURL: "http://127.0.0.1/a.wav"},
		{in: "http://ex%61mple.com/a.wav", wantURL: "http://example.com/a.wav"},
		{in: `http://127.0.0.1\@evil.example/a.wav`, wantURL: `http://127.0.0.1/%5C@evil.example/a.wav`},
		{in: "http://user:pw@example.com/a.wav", wantURL: "http://user:pw@example.com/a.wav"},
		{in: "http://[::1]:8080/a.wav", wantURL: "http://[::1]:8080/a.wav"},
		{in: "http://bücher.example/a.wav", wantURL: "http://xn--bcher-kva.example/a.wav"},
		{in: "http://BÜCHER.example/a.wav", wantURL: "http://xn--bcher-kva.example/a.wav"},
		{in: "http://例え.テスト/a.wav", wantURL: "http://xn--r8jz45g.xn--zckzah/a.wav"},

		{in: "ftp://example.com/a.wav", reason: ReasonScheme, hintPart: "https URL or a pre-signed URL"},
		{in: "file:///tmp/a.wav", reason: ReasonScheme, hintPart: "audio_file"},
		{in: "s3://my-bucket/audio/a.wav", reason: ReasonScheme, hintPart: "https://my-bucket.s3.amazonaws.com/audio/a.wav"},
		{in: "gs://b/k.flac", reason: ReasonScheme, hintPart: "https://storage.googleapis.com/b/k.flac"},
		{in: "example.com/a.wav", reason: ReasonScheme, hintPart: "https:// in front"},
		{in: "example.com:8080/a.wav", reason: ReasonScheme, hintPart: "https:// in front"},
		{in: "/tmp/a.wav", reason: ReasonScheme},
		{in: "", reason: ReasonScheme},
		{in: "http:example.com/a.wav", reason: ReasonInvalidURL},
		{in: "http:/example.com/a.wav", reason: ReasonInvalidURL},
		{in: "http:///a.wav", reason: ReasonInvalidURL},
		{in: "http://:80/a.wav", reason: ReasonInvalidURL},
		{in: "http://example.com:123456/a.wav", reason: ReasonInvalidURL},
		{in: "http://example.com:70000/a.wav", reason: ReasonInvalidURL},
		{in: "http://example.com:8x/a.wav", reason: ReasonInvalidURL},
		{in: "http://exa mple.com/a.wav", reason: ReasonInvalidURL},
		{in: "http://１２７．０．０．１/a.wav", reason: ReasonInvalidURL},
		{in: "http://１２７.0.0.1/a.wav", reason: ReasonInvalidURL},
		{in: "http://127。0。0。1/a.wav", reason: ReasonInvalidURL},
		{in: "http://ｅｘａｍｐｌｅ.com/a.wav", reason: ReasonInvalidURL},
		{in: "http://*.example.com/a.wav", reason: ReasonInvalidURL},
		{in: "http://.example.com/a.wav", reason: ReasonInvalidURL},
	}
	for _, tt := range tests {
		u, f := parseServerURL(tt.in)
		if tt.reason != "" {
			if f == nil {
				t.Errorf("parseServerURL(%q) = %v, want failure %s", tt.in, u, tt.reason)
				continue
			}
			if f.Reason != tt.reason {
				t.Errorf("parseServerURL(%q): reason %s (%s), want %s", tt.in, f.Reason, f.Detail, tt.reason)
			}
			if f.Detail == "" {
				t.Errorf("parseServerURL(%q): empty detail", tt.in)
			}
			if !strings.Contains(f.Hint, tt.hintPart) {
				t.Errorf("parseServerURL(%q): hint %q, want it to contain %q", tt.in, f.Hint, tt.hintPart)
			}
			continue
		}
		if f != nil {
			t.Errorf("parseServerURL(%q): failure %s: %s", tt.in, f.Reason, f.Detail)
			continue
		}
		if got := u.String(); got != tt.wantURL {
			t.Errorf("parseServerURL(%q) = %s, want %s", tt.in, got, tt.wantURL)
		}
	}
}

func TestIsURL(t *testing.T) {
	for _, s := range []string{"http://a/b", "https://a", "HTTPS://a", "s3://b/k", "ftp://x", " http://a", "file:///tmp/x"} {
		if !IsURL(s) {
			t.Errorf("IsURL(%q) = false", s)
		}
	}
	for _, s := range []string{"a.wav", "dir/a.wav", "/tmp/a.wav", "-", `C:\x\a.wav`, "C://x", "http:x", "example.com/a.wav", ""} {
		if IsURL(s) {
			t.Errorf("IsURL(%q) = true", s)
		}
	}
}

func TestPunycode(t *testing.T) {
	// RFC 3492 §7.1 samples and well-known names.
	tests := map[string]string{
		"bücher":            "bcher-kva",
		"münchen":           "mnchen-3ya",
		"例え":                "r8jz45g",
		"テスト":               "zckzah",
		"ليهمابتكلموشعربي؟": "egbpdaj6bu4bxfgehfvwxn",
		"他们为什么不说中文":         "ihqwcrb4cv8a8dqg056pqjye",
	}
	for in, want := range tests {
		got, err := punycode(in)
		if err != nil || got != want {
			t.Errorf("punycode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestDisplayURL(t *testing.T) {
	tests := map[string]string{
		"https://u:p@example.com/a.wav?X-Amz-Signature=abc#f": "https://example.com/a.wav?…",
		"https://example.com/a.wav":                           "https://example.com/a.wav",
		"http://[::1]:8/x?":                                   "http://[::1]:8/x?…",
	}
	for in, want := range tests {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := displayURL(u); got != want {
			t.Errorf("displayURL(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestUnquoteUnreserved(t *testing.T) {
	tests := map[string]string{
		"%31%32%37.0.0.1": "127.0.0.1",
		"a%2Fb":           "a%2Fb",
		"%7e%2d%5f%2E":    "~-_.",
		"%4":              "%4",
		"%zz":             "%zz",
		"user%40x":        "user%40x",
	}
	for in, want := range tests {
		if got := unquoteUnreserved(in); got != want {
			t.Errorf("unquoteUnreserved(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSchemeLenIsSchemeRE holds IsURL's byte loop to the regexp the
// server's URL reading uses, over strings built from the characters that
// matter at the places that matter.
func TestSchemeLenIsSchemeRE(t *testing.T) {
	parts := []string{"", "h", "H", "http", "s3", "a+b", "x.y", "a-b", "1", "+", ".", "-", ":", "//", "/", " ", "é", "\x00", "C:"}
	for _, a := range parts {
		for _, b := range parts {
			for _, c := range parts {
				s := a + b + c
				want := 0
				if m := schemeRE.Get().FindStringSubmatch(s); m != nil {
					want = len(m[1])
				}
				if got := schemeLen(s); got != want {
					t.Fatalf("schemeLen(%q) = %d, the regexp says %d", s, got, want)
				}
			}
		}
	}
}
