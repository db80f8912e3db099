package safetext

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"samples/ok.wav", "samples/ok.wav"},
		{`C:\rec\a.wav`, `C:\rec\a.wav`},
		{"héllo wörld ✓ 日本", "héllo wörld ✓ 日本"},
		{"a\nb", `a\x0ab`},
		{"a\tb\rc", `a\x09b\x0dc`},
		{"\x1b[3F\x1b[Jfake ✓ accepted\n", `\x1b[3F\x1b[Jfake ✓ accepted\x0a`},
		{"\x1b]0;title\x07", `\x1b]0;title\x07`},
		{"del\x7f", `del\x7f`},
		{"nul\x00", `nul\x00`},
		{"bad\xffutf8\xc3", `bad\xffutf8\xc3`},
		{"c1 \u009b2J \u0085", `c1 \u009b2J \u0085`},
		{"rlo \u202egnp.exe", `rlo \u202egnp.exe`},
		{"isolates \u2066\u2067\u2068\u2069", `isolates \u2066\u2067\u2068\u2069`},
		{"marks \u200e\u200f\u061c sep \u2028\u2029", `marks \u200e\u200f\u061c sep \u2028\u2029`},
		{"replacement char \ufffd stays", "replacement char \ufffd stays"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if Safe(tt.in) != (tt.in == tt.want) {
			t.Errorf("Safe(%q) = %v", tt.in, Safe(tt.in))
		}
	}
}

// TestEscapeLeavesNothingRaw feeds every byte and every dangerous rune, and
// checks the result is valid UTF-8 with no control or bidi character left.
func TestEscapeLeavesNothingRaw(t *testing.T) {
	var in strings.Builder
	for b := 0; b < 256; b++ {
		in.WriteByte(byte(b))
	}
	for _, r := range dangerous() {
		in.WriteRune(r)
	}
	out := Escape(in.String())
	if !utf8.ValidString(out) {
		t.Fatalf("output is not valid UTF-8: %q", out)
	}
	for _, r := range out {
		if Unsafe(r) {
			t.Errorf("%U left raw in %q", r, out)
		}
	}
}

func TestEscapeEncoded(t *testing.T) {
	in := []byte("{\"input\": \"a\x7fb\u009bc\u202ed\u2028e ✓\"}\n")
	got := EscapeEncoded(in, func(r rune) string { return fmt.Sprintf(`\u%04x`, r) })
	if want := "{\"input\": \"a\\u007fb\\u009bc\\u202ed\\u2028e ✓\"}\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	plain := []byte("nothing to do ✓\n")
	if got := EscapeEncoded(plain, nil); &got[0] != &plain[0] {
		t.Errorf("a clean buffer was copied")
	}
}

// dangerous lists the runes no text output may carry raw.
func dangerous() []rune {
	var rs []rune
	for r := rune(0); r < 0x20; r++ {
		rs = append(rs, r)
	}
	rs = append(rs, 0x7f)
	for r := rune(0x80); r <= 0x9f; r++ {
		rs = append(rs, r)
	}
	for r := rune(0x202a); r <= 0x202e; r++ {
		rs = append(rs, r)
	}
	for r := rune(0x2066); r <= 0x2069; r++ {
		rs = append(rs, r)
	}
	return append(rs, 0x200e, 0x200f, 0x061c, 0x2028, 0x2029)
}

// TestEncodedWriterSplitsCharacters: a character split across writes is
// still escaped, at every split point.
func TestEncodedWriterSplitsCharacters(t *testing.T) {
	in := "a\u202eb\u009bc✓d\x7f"
	want := string(EscapeEncoded([]byte(in), func(r rune) string { return fmt.Sprintf("<%x>", r) }))
	for i := 0; i <= len(in); i++ {
		for j := i; j <= len(in); j++ {
			var out strings.Builder
			w := NewEncodedWriter(&out, func(r rune) string { return fmt.Sprintf("<%x>", r) })
			w.Write([]byte(in[:i]))
			w.Write([]byte(in[i:j]))
			w.Write([]byte(in[j:]))
			w.Flush()
			if out.String() != want {
				t.Fatalf("split at %d, %d: %q, want %q", i, j, out.String(), want)
			}
		}
	}
}

// TestPlainPrefixStopsBeforeEveryUnsafeByte puts each byte value at each
// place of a run of plain ASCII: the word-at-a-time scan must never step
// over a byte that is not printable ASCII.
func TestPlainPrefixStopsBeforeEveryUnsafeByte(t *testing.T) {
	for c := 0; c < 256; c++ {
		for at := 0; at < 24; at++ {
			b := []byte(strings.Repeat("abcdefgh", 4))
			b[at] = byte(c)
			s := string(b)
			n := plainPrefix(s)
			plain := c >= 0x20 && c < 0x7f
			if n%8 != 0 || n > len(s) {
				t.Fatalf("byte %#x at %d: prefix %d is not a whole number of words of %q", c, at, n, s)
			}
			if !plain && n > at {
				t.Fatalf("byte %#x at %d: prefix %d steps over it", c, at, n)
			}
			if plain && n != len(s) {
				t.Fatalf("byte %#x at %d: prefix %d of an all-plain %d-byte string", c, at, n, len(s))
			}
		}
	}
}

func FuzzUnsafeIndexMatchesByteLoop(f *testing.F) {
	f.Add("plain ascii name.wav")
	f.Add("tab\there and a long tail of plain text")
	f.Add("\u202eevil\u202c and more text after it")
	f.Fuzz(func(t *testing.T, s string) {
		defer fuzzguard.Watch(len(s))()
		want := -1
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r < 0x20 || r == 0x7f || unsafeRune(r) {
				want = i
				break
			}
			i += size
		}
		if got := unsafeIndex(s); got != want {
			t.Fatalf("unsafeIndex(%q) = %d, want %d", s, got, want)
		}
	})
}

func BenchmarkSafeCatalogMessage(b *testing.B) {
	s := "The audio is in a format the API does not read: convert it to 16 kHz mono WAV (PCM) before sending it."
	b.ReportAllocs()
	for b.Loop() {
		if !Safe(s) {
			b.Fatal("plain text taken for unsafe")
		}
	}
}
