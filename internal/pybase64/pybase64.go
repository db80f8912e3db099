// Package pybase64 decodes base64 text exactly the way the server does:
// with Python's base64.b64decode(s) and its default validate=False, which is
// binascii.a2b_base64 in non-strict mode (docs/server.md#base64).
//
// The rules, as CPython 3.11 and 3.12 implement them in Modules/binascii.c
// (the reference model runs /usr/bin/python3, a 3.11):
//
//   - Only 'A'-'Z', 'a'-'z', '0'-'9', '+' and '/' carry data. Every other
//     byte (whitespace, newlines, the URL-safe '-' and '_', '.', NUL, bytes
//     0x80 and above, ...) is dropped without a word.
//   - Data characters are taken four at a time (a quad, three bytes).
//     '=' before the third character of a quad is dropped like any other
//     stray byte. From the third character on, '=' counts as padding; the
//     count restarts at every data character, so "QQ=Q=" is "QQ" "Q" "=".
//     Once a quad's position plus its padding reaches four, the data ends:
//     everything after it is ignored ("aGk=aGk=" decodes to "hi"), and the
//     bits of the unfinished quad are not checked.
//   - At the end of the text, a quad holding one data character is the error
//     "Invalid base64-encoded string: number of data characters (N) cannot be
//     1 more than a multiple of 4", and a quad holding two or three is
//     "Incorrect padding".
//   - Empty text (or text of dropped bytes only) decodes to no bytes.
//
// CPython 3.13 changed the padding rule: it no longer stops at a complete
// padding but drops the '=' and goes on, deciding at the end. The two agree
// unless a data character follows the padding that closes a quad; this
// package follows 3.11/3.12, the model's interpreter.
//
// b64decode also accepts a str, which it first encodes to ASCII: any
// non-ASCII character is a ValueError, "string argument should contain only
// ASCII characters", before decoding starts. Decode models the bytes call
// (what the reference model does with a file's content: bytes 0x80 and above
// are dropped); DecodeText models the str call (what a server handler does
// with a form field's text: bytes 0x80 and above fail).
package pybase64

import "io"

// Python exception classes an Error can stand for.
const (
	ExcBinascii = "binascii.Error" // malformed base64
	ExcValue    = "ValueError"     // a str argument with non-ASCII characters
)

// Error is a text Python's base64.b64decode rejects. Msg is Python's message
// word for word; Exception is the class it raises.
type Error struct {
	Exception string
	Msg       string
}

func (e *Error) Error() string { return "base64: " + e.Msg }

const msgNonASCII = "string argument should contain only ASCII characters"

// pad is the padding character.
const pad = '='

// decodeTable maps a byte of the base64 alphabet to its six-bit value plus
// one, and every other byte to 0. (Written out, the table is laid out by
// the linker; filled in by a function, it would be filled at every start.)
var decodeTable = [256]byte{
	'A': 1, 'B': 2, 'C': 3, 'D': 4, 'E': 5, 'F': 6, 'G': 7, 'H': 8,
	'I': 9, 'J': 10, 'K': 11, 'L': 12, 'M': 13, 'N': 14, 'O': 15, 'P': 16,
	'Q': 17, 'R': 18, 'S': 19, 'T': 20, 'U': 21, 'V': 22, 'W': 23, 'X': 24,
	'Y': 25, 'Z': 26, 'a': 27, 'b': 28, 'c': 29, 'd': 30, 'e': 31, 'f': 32,
	'g': 33, 'h': 34, 'i': 35, 'j': 36, 'k': 37, 'l': 38, 'm': 39, 'n': 40,
	'o': 41, 'p': 42, 'q': 43, 'r': 44, 's': 45, 't': 46, 'u': 47, 'v': 48,
	'w': 49, 'x': 50, 'y': 51, 'z': 52, '0': 53, '1': 54, '2': 55, '3': 56,
	'4': 57, '5': 58, '6': 59, '7': 60, '8': 61, '9': 62, '+': 63, '/': 64,
}

// state is the decoder's position, carried across chunks of text so that
// Decode, DecodedLen and Reader share one implementation of the rules.
type state struct {
	quadPos int   // data characters seen in the current quad, 0 to 3
	left    byte  // bits of the current quad not yet emitted
	pads    int   // '=' counted since the last data character
	done    bool  // a complete padding ended the data: the rest is ignored
	n       int64 // bytes produced so far
}

// feed decodes text, appending the bytes it produces to dst when emit is
// set (and only counting them otherwise).
func (s *state) feed(dst, text []byte, emit bool) []byte {
	if s.done {
		return dst
	}
	for _, c := range text {
		if c == pad {
			// '=' only counts from the third character of a quad on; before
			// that it is dropped and does not count (CPython's short-circuit
			// `quad_pos >= 2 && quad_pos + ++pads >= 4`).
			if s.quadPos >= 2 {
				s.pads++
				if s.quadPos+s.pads >= 4 {
					s.done = true
					return dst
				}
			}
			continue
		}
		v := decodeTable[c]
		if v == 0 {
			continue
		}
		v--
		s.pads = 0
		var out byte
		switch s.quadPos {
		case 0:
			s.left = v
			s.quadPos = 1
			continue
		case 1:
			out = s.left<<2 | v>>4
			s.left = v & 0x0f
			s.quadPos = 2
		case 2:
			out = s.left<<4 | v>>2
			s.left = v & 0x03
			s.quadPos = 3
		default:
			out = s.left<<6 | v
			s.left = 0
			s.quadPos = 0
		}
		s.n++
		if emit {
			dst = append(dst, out)
		}
	}
	return dst
}

// finish reports whether the text as a whole decodes.
func (s *state) finish() error {
	if s.done || s.quadPos == 0 {
		return nil
	}
	if s.quadPos == 1 {
		// Every complete quad made three bytes, so the data characters
		// number n/3*4 + 1.
		return &Error{Exception: ExcBinascii, Msg: "Invalid base64-encoded string: number of data characters (" +
			itoa(s.n/3*4+1) + ") cannot be 1 more than a multiple of 4"}
	}
	return &Error{Exception: ExcBinascii, Msg: "Incorrect padding"}
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// Decode returns what Python's base64.b64decode(text) returns for the bytes
// object text, or the *Error it raises.
func Decode(text []byte) ([]byte, error) {
	var s state
	out := s.feed(make([]byte, 0, len(text)/4*3+2), text, true)
	if err := s.finish(); err != nil {
		return nil, err
	}
	return out, nil
}

// DecodeText is Decode for text received as a Python str (a form field):
// a byte 0x80 or above is a non-ASCII character, which b64decode refuses
// with a ValueError before it decodes anything.
func DecodeText(text []byte) ([]byte, error) {
	if err := checkASCII(text); err != nil {
		return nil, err
	}
	return Decode(text)
}

// DecodedLen returns len(Decode(text)) and Decode's error, without
// producing the bytes.
func DecodedLen(text []byte) (int64, error) {
	var s state
	s.feed(nil, text, false)
	if err := s.finish(); err != nil {
		return 0, err
	}
	return s.n, nil
}

func checkASCII(text []byte) error {
	for _, c := range text {
		if c >= 0x80 {
			return &Error{Exception: ExcValue, Msg: msgNonASCII}
		}
	}
	return nil
}

// Reader decodes a stream of base64 text with Decode's rules, in bounded
// memory. The decoded bytes come out as the text goes in; when the text as
// a whole does not decode, the bytes already read were not the answer and
// Read returns Decode's *Error instead of io.EOF.
type Reader struct {
	r    io.Reader
	s    state
	in   []byte
	buf  []byte // decoded bytes of the last chunk
	out  []byte // the part of buf not yet returned
	err  error  // returned once out is drained
	text bool   // DecodeText's rules
}

// NewReader returns a Reader decoding the base64 text read from r like
// Decode (text as a bytes object).
func NewReader(r io.Reader) *Reader {
	return &Reader{r: r, in: make([]byte, 32<<10)}
}

// NewTextReader returns a Reader decoding like DecodeText (text as a str).
// A non-ASCII byte anywhere in the text fails the whole stream.
func NewTextReader(r io.Reader) *Reader {
	return &Reader{r: r, in: make([]byte, 32<<10), text: true}
}

// Read implements io.Reader.
func (d *Reader) Read(p []byte) (int, error) {
	for len(d.out) == 0 && d.err == nil {
		n, err := d.r.Read(d.in)
		chunk := d.in[:n]
		if d.text {
			if e := checkASCII(chunk); e != nil {
				d.err = e
				break
			}
		}
		if d.s.done && !d.text {
			// The data has ended; what follows cannot change the result.
			d.err = io.EOF
			break
		}
		d.buf = d.s.feed(d.buf[:0], chunk, true)
		d.out = d.buf
		switch {
		case err == io.EOF:
			d.err = d.s.finish()
			if d.err == nil {
				d.err = io.EOF
			}
		case err != nil:
			d.err = err
		}
	}
	if len(d.out) > 0 {
		n := copy(p, d.out)
		d.out = d.out[n:]
		return n, nil
	}
	return 0, d.err
}
