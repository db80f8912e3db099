// Package safetext makes strings from outside the program — input names,
// URLs, what an audio host answers, what is read from the audio — safe to
// print on a terminal or into a CI log: nothing in them can move the
// cursor, rewrite a line, set a window title, start a log command or turn
// the text right to left.
//
// Escape is the one sanitiser. The renderers of text-like output never see
// an outside string that has not been through it (internal/report hands
// them an escaped copy of every result).
package safetext

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every character that could act on a terminal or a
// log shown escaped instead of emitted:
//
//   - C0 controls (including tab, CR and LF), DEL and invalid UTF-8 bytes
//     as \xHH;
//   - C1 controls (U+0080–U+009F) as \u0080…\u009f;
//   - the bidirectional formatting characters — embeddings and overrides
//     U+202A–U+202E, isolates U+2066–U+2069, the marks U+200E, U+200F,
//     U+061C — and the line and paragraph separators U+2028, U+2029, as
//     \uHHHH.
//
// Everything else, backslashes included, is left as it is: a name that
// needs no escaping prints unchanged (JSON output keeps the exact bytes).
func Escape(s string) string {
	i := unsafeIndex(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Safe reports whether Escape would leave s as it is.
func Safe(s string) bool { return unsafeIndex(s) < 0 }

// unsafeIndex is the offset of the first byte Escape changes, or -1.
func unsafeIndex(s string) int {
	i := plainPrefix(s)
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// plainPrefix is how many of s's leading bytes, a multiple of eight, are
// printable ASCII, found eight bytes a turn: every result's names, messages
// and hints pass through Escape on their way out, and nearly all of them are
// plain ASCII, which a byte loop with a branch per byte scans at a quarter
// of the speed.
func plainPrefix(s string) int {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
		// A byte is below 0x20 when subtracting 0x20 borrows into its
		// high bit, DEL when w^0x7f… has a zero byte, and not ASCII when
		// its own high bit is set. Borrows only ever flag a byte after a
		// flagged one, so a clean word is exact.
		control := (w - 0x20*ones) &^ w
		del := ((w ^ 0x7f*ones) - ones) &^ (w ^ 0x7f*ones)
		if (control|del|w)&high != 0 {
			break
		}
	}
	return i
}

// unsafeRune reports whether a non-ASCII rune is one Escape shows escaped.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls (CSI, OSC, NEL, …)
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c: // bidi marks
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}

// EscapeEncoded rewrites, in the output of an encoder that escapes
// controls its own way (encoding/json, encoding/xml), the characters it
// leaves raw that Escape would not: DEL, the C1 controls, the bidi
// formatting characters and the separators. esc gives the encoder's own
// spelling of one (\u202e in JSON, &#x202E; in XML), so what the output
// means is unchanged. C0 controls and invalid bytes are left alone: the
// encoders have dealt with those, and the newlines left are their own.
func EscapeEncoded(b []byte, esc func(r rune) string) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf && c != 0x7f {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(b[i:])
		}
		if r == 0x7f || size > 1 && unsafeRune(r) {
			out = append(append(out, b[last:i]...), esc(r)...)
			last = i + size
		}
		i += size
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// Unsafe reports whether r is a character Escape never lets through raw.
func Unsafe(r rune) bool {
	return r < 0x20 || r == 0x7f || r >= utf8.RuneSelf && unsafeRune(r)
}

// EncodedWriter applies EscapeEncoded to a stream: an encoder writes
// through it in pieces that may end inside a character, so it holds back
// an incomplete character until the next write (or Flush).
type EncodedWriter struct {
	w       io.Writer
	esc     func(r rune) string
	pending []byte
}

// NewEncodedWriter returns an EncodedWriter over w.
func NewEncodedWriter(w io.Writer, esc func(r rune) string) *EncodedWriter {
	return &EncodedWriter{w: w, esc: esc}
}

func (e *EncodedWriter) Write(p []byte) (int, error) {
	buf := p
	if len(e.pending) > 0 {
		buf = append(e.pending, p...)
	}
	// Hold back a trailing incomplete character (at most 3 bytes).
	cut := len(buf)
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-3; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	if _, err := e.w.Write(EscapeEncoded(buf[:cut], e.esc)); err != nil {
		return 0, err
	}
	e.pending = append([]byte(nil), buf[cut:]...)
	return len(p), nil
}

// Flush writes out a held-back incomplete character as it is.
func (e *EncodedWriter) Flush() error {
	if len(e.pending) == 0 {
		return nil
	}
	_, err := e.w.Write(e.pending)
	e.pending = nil
	return err
}
