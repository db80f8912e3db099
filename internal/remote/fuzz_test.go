package remote

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
)

func FuzzParseHostAddr(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "2130706433", "0x7f.1", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "1.2.3.4.5", "0x", "08", "4294967296", "::1", "[fe80::1%eth0]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		defer fuzzguard.Watch(len(s))()
		a, ok := ParseHostAddr(s)
		if !ok {
			return
		}
		if !a.IsValid() {
			t.Fatalf("%q: ok with an invalid address", s)
		}
		// A plain dotted quad of decimal numbers without leading zeros
		// means what netip says it means.
		if b, err := netip.ParseAddr(s); err == nil && b.Is4() && a != b {
			t.Fatalf("%q: %v, netip says %v", s, a, b)
		}
		_ = Classify(a)
	})
}

func FuzzParseServerURL(f *testing.F) {
	for _, s := range []string{"https://example.com/a.wav", `http://a\@b/c`, "http://%31%32%37.0.0.1/", "s3://b/k", "http://bücher.example/", "http://[::1]:80/", "http://h:99999/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		defer fuzzguard.Watch(len(s))()
		u, fail := parseServerURL(s)
		if (u == nil) == (fail == nil) {
			t.Fatalf("%q: url %v, failure %v", s, u, fail)
		}
		if fail != nil {
			if fail.Detail == "" {
				t.Fatalf("%q: failure without detail", s)
			}
			return
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" || !isASCII(u.Host) {
			t.Fatalf("%q: accepted as %q", s, u)
		}
		// What is requested parses back to the same host.
		v, err := url.Parse(u.String())
		if err != nil || v.Host != u.Host {
			t.Fatalf("%q: %q does not parse back (%v)", s, u, err)
		}
	})
}

func FuzzParseExpiry(f *testing.F) {
	for _, s := range []string{
		"X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400",
		"X-Goog-Date=20181026T181309Z&X-Goog-Expires=900",
		"se=2019-04-30T02%3A23%3A26Z&sig=x&ske=2019-04-30T01:00:00Z",
		"Expires=1357034400&Signature=x&Key-Pair-Id=K",
		"Policy=eyJTdGF0ZW1lbnQiOltdfQ__&Signature=x&Key-Pair-Id=K",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		defer fuzzguard.Watch(len(q))()
		exp, ok := ParseExpiry(&url.URL{Scheme: "https", Host: "h", RawQuery: q})
		if ok && (exp.At.IsZero() || exp.Scheme == "") {
			t.Fatalf("%q: %+v", q, exp)
		}
	})
}

func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-65535/1000000", "bytes */0", "bytes 0-9/*", "bytes 5-4/10", "items 0-1/2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		defer fuzzguard.Watch(len(s))()
		cr, ok := parseContentRange(s)
		if !ok {
			return
		}
		if cr.first >= 0 && (cr.last < cr.first || cr.total >= 0 && cr.last >= cr.total) || cr.first < 0 && cr.total < 0 {
			t.Fatalf("%q: %+v", s, cr)
		}
		if !strings.Contains(strings.ToLower(s), "bytes") {
			t.Fatalf("%q accepted", s)
		}
	})
}
