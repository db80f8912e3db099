package redact

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
)

func TestToken(t *testing.T) {
	for in, want := range map[string]string{"": "…", "abc": "…", "abcdefg": "…", "abcdefgh": "abcd…", "ñandú-secreto": "ñand…"} {
		if got := Token(in); got != want {
			t.Errorf("Token(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a.wav", "https://example.com/a.wav"},
		{"http://alice:S3cr3tPass@host/f.flac", "http://alice:…@host/f.flac"},
		{"http://alice@host/f.flac", "http://alice@host/f.flac"},
		{"https://u:p@ss@host:8443/x", "https://u:…@host:8443/x"},
		{"https://b.s3.amazonaws.com/k.wav?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20200101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20200101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FwoGZXIvYXdzEJr&X-Amz-Signature=0123456789abcdef",
			"https://b.s3.amazonaws.com/k.wav?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA…&X-Amz-Date=20200101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FwoG…&X-Amz-Signature=0123…"},
		{"https://b.s3.amazonaws.com/k.wav?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1577836800&Signature=abc%2Bdef%3D",
			"https://b.s3.amazonaws.com/k.wav?AWSAccessKeyId=AKIA…&Expires=1577836800&Signature=abc%…"},
		{"https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=svc%40p.iam&X-Goog-Signature=deadbeefdeadbeef",
			"https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=svc%…&X-Goog-Signature=dead…"},
		{"https://acct.blob.core.windows.net/c/a.wav?sv=2020-08-04&se=2030-01-01&sr=b&sp=r&sig=abcdEFGH%2Bijkl%3D",
			"https://acct.blob.core.windows.net/c/a.wav?sv=2020-08-04&se=2030-01-01&sr=b&sp=r&sig=abcd…"},
		{"https://d111.cloudfront.net/a.wav?Expires=1577836800&Signature=longsignaturevalue&Key-Pair-Id=APKAEIBAERJR2EXAMPLE",
			"https://d111.cloudfront.net/a.wav?Expires=1577836800&Signature=long…&Key-Pair-Id=APKA…"},
		{"https://d111.cloudfront.net/a.wav?Policy=eyJTdGF0ZW1lbnQiOlt7&Signature=x&Key-Pair-Id=K",
			"https://d111.cloudfront.net/a.wav?Policy=eyJT…&Signature=…&Key-Pair-Id=…"},
		{"https://h/a.wav?access_token=ya29.a0Af&api_key=12345678&client_secret=s&password=hunter22&auth=xyz&name=keep",
			"https://h/a.wav?access_token=ya29…&api_key=1234…&client_secret=…&password=hunt…&auth=…&name=keep"},
		{"https://h/a.wav?X%2DAmz%2DSignature=0123456789", "https://h/a.wav?X%2DAmz%2DSignature=0123…"},
		{"https://h/a.wav#access_token=abcdefghij&state=1", "https://h/a.wav#access_token=abcd…&state=1"},
		{"https://h/a.wav?token=", "https://h/a.wav?token="},
		{"samples/token=abcdefgh.wav", "samples/token=abcdefgh.wav"},
		{"s3://bucket/k.wav", "s3://bucket/k.wav"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTP 403 Forbidden", "HTTP 403 Forbidden"},
		{`Get "https://bob:pw123456@h/a.wav?sig=abcdefghijk": dial tcp: refused`, `Get "https://bob:…@h/a.wav?sig=abcd…": dial tcp: refused`},
		{"redirected (https://h/x?X-Amz-Signature=0123456789).", "redirected (https://h/x?X-Amz-Signature=0123…)."},
		{"samples/key=Cmajor.wav", "samples/key=Cmajor.wav"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestPairs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"internal error: token=tok_live_abcdef123456 in handler", "internal error: token=tok_… in handler"},
		{"apikey=ABCDEFGHIJ, other=visible", "apikey=ABCD…, other=visible"},
		{"size=1234 offset=0x24", "size=1234 offset=0x24"},
		{"GET https://h/a?sig=abcdefghij token=abcdefghij", "GET https://h/a?sig=abcd… token=abcd…"},
	}
	for _, tt := range tests {
		if got := Pairs(tt.in); got != tt.want {
			t.Errorf("Pairs(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestSecretsScrub(t *testing.T) {
	s := NewSecrets("Bearer Bearer sk_live_9f8e7d6c5bQZXW", "tok\nline2345")
	for _, text := range []string{
		"header Bearer Bearer sk_live_9f8e7d6c5bQZXW sent",
		"token sk_live_9f8e7d6c5bQZXW",
		`quoted "tok\nline2345"`,
		"raw tok\nline2345",
		"escaped tok\\x0aline2345",
		"in a URL ?t=sk_live_9f8e7d6c5bQZXW",
	} {
		got := s.Scrub(text)
		if strings.Contains(got, "QZXW") || strings.Contains(got, "2345") {
			t.Errorf("Scrub(%q) = %q", text, got)
		}
	}
	if got := s.Scrub("Bearer and ELSA stay"); got != "Bearer and ELSA stay" {
		t.Errorf("scheme words scrubbed: %q", got)
	}
	if !NewSecrets("", "abc").Empty() {
		t.Errorf("secrets shorter than 4 characters are scrubbed")
	}
}

// TestWriterAcrossWrites: a secret split over two writes, at every split
// point, and its encoded forms, never reach the stream underneath.
func TestWriterAcrossWrites(t *testing.T) {
	const token = "sk_live_9f8e7d6c5b&<QZXW>\"%:,"
	s := NewSecrets("Bearer " + token)
	var encoded []string
	for _, enc := range encodings {
		encoded = append(encoded, enc(token))
	}
	for _, e := range encoded {
		doc := strings.Repeat("x", 4090) + e + strings.Repeat("y", 100)
		for split := 4080; split < 4090+len(e)+2; split++ {
			var out bytes.Buffer
			w := s.NewWriter(&out)
			if _, err := w.Write([]byte(doc[:split])); err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write([]byte(doc[split:])); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out.String(), "QZXW") || !strings.HasPrefix(out.String(), strings.Repeat("x", 4090)) || !strings.HasSuffix(out.String(), strings.Repeat("y", 100)) {
				t.Fatalf("form %q split at %d: %q", e, split, out.String()[4000:])
			}
		}
	}
}

// TestWriterKeepsDocumentsValid: the replacement of an encoded secret is
// encoded the same way, so JSON and XML stay well-formed.
func TestWriterKeepsDocumentsValid(t *testing.T) {
	const token = `<&"tok>en_12345678`
	s := NewSecrets(token)
	var jsonOut, xmlOut bytes.Buffer
	jw, xw := s.NewWriter(&jsonOut), s.NewWriter(&xmlOut)
	json.NewEncoder(jw).Encode(map[string]string{"detail": "the token " + token})
	xml.NewEncoder(xw).Encode(struct {
		XMLName xml.Name `xml:"case"`
		Name    string   `xml:"name,attr"`
		Text    string   `xml:",chardata"`
	}{Name: token, Text: token})
	jw.Flush()
	xw.Flush()
	var v map[string]string
	if err := json.Unmarshal(jsonOut.Bytes(), &v); err != nil || strings.Contains(jsonOut.String(), "5678") {
		t.Errorf("JSON %q: %v", jsonOut.String(), err)
	}
	var c struct {
		Name string `xml:"name,attr"`
	}
	if err := xml.Unmarshal(xmlOut.Bytes(), &c); err != nil || strings.Contains(xmlOut.String(), "5678") {
		t.Errorf("XML %q: %v", xmlOut.String(), err)
	}
}
