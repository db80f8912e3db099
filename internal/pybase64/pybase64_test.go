package pybase64

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

const (
	padMsg = "Incorrect padding"
	valMsg = "string argument should contain only ASCII characters"
)

func oneMore(n int) string {
	return "Invalid base64-encoded string: number of data characters (" + itoa(int64(n)) + ") cannot be 1 more than a multiple of 4"
}

// Each rule of a2b_base64's non-strict mode, one row at least.
var decodeTests = []struct {
	name, in string
	out      string // decoded bytes when errMsg is ""
	errMsg   string
}{
	{"empty", "", "", ""},
	{"one quad", "QUJD", "ABC", ""},
	{"padding two", "QQ==", "A", ""},
	{"padding one", "QUI=", "AB", ""},
	{"whitespace dropped", " Q U\r\nJ D\t", "ABC", ""},
	{"url-safe characters dropped", "-QU_JD-", "ABC", ""},
	{"non-ASCII bytes dropped", "\xffQUJD\x80", "ABC", ""},
	{"only junk", "!@#$ \n", "", ""},
	{"lone pads", "====", "", ""},
	{"pad before second character dropped", "Q=Q==", "A", ""},
	{"pad at start dropped", "=QUJD", "ABC", ""},
	{"data after padding ignored", "aGk=aGk=", "hi", ""},
	{"junk after padding ignored", "QQ==!!!A", "A", ""},
	{"unchecked bits of padded quad", "QR==", "A", ""},
	{"pad count restarts at a data character", "QQ=Q=", "A" + "\x04", ""},
	{"excess padding", "QUJD====", "ABC", ""},
	{"one character", "Q", "", oneMore(1)},
	{"one more than a quad", "QUJDQ", "", oneMore(5)},
	{"one more after two quads, pads ignored", "QUJDQUJDQ===", "", oneMore(9)},
	{"two characters unpadded", "QQ", "", padMsg},
	{"two characters short padding", "QQ=", "", padMsg},
	{"three characters unpadded", "QUI", "", padMsg},
	{"pads split by junk still count", "QQ=\n=", "A", ""},
}

func TestDecode(t *testing.T) {
	for _, tt := range decodeTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in))
			if tt.errMsg != "" {
				var e *Error
				if !errors.As(err, &e) || e.Msg != tt.errMsg || e.Exception != ExcBinascii {
					t.Fatalf("Decode(%q) = %q, %v; want binascii.Error %q", tt.in, got, err, tt.errMsg)
				}
				if got != nil {
					t.Errorf("Decode(%q) returned bytes %q with its error", tt.in, got)
				}
				n, err := DecodedLen([]byte(tt.in))
				if !errors.As(err, &e) || e.Msg != tt.errMsg || n != 0 {
					t.Errorf("DecodedLen(%q) = %d, %v; want error %q", tt.in, n, err, tt.errMsg)
				}
				return
			}
			if err != nil || string(got) != tt.out {
				t.Fatalf("Decode(%q) = %q, %v; want %q", tt.in, got, err, tt.out)
			}
			if n, err := DecodedLen([]byte(tt.in)); err != nil || n != int64(len(tt.out)) {
				t.Errorf("DecodedLen(%q) = %d, %v; want %d", tt.in, n, err, len(tt.out))
			}
		})
	}
}

func TestDecodeTextRefusesNonASCII(t *testing.T) {
	for _, in := range []string{"\x80", "QUJD\xff", "QQ==\xc3\xa9", "\xc3\xa9QQ"} {
		got, err := DecodeText([]byte(in))
		var e *Error
		if !errors.As(err, &e) || e.Exception != ExcValue || e.Msg != valMsg || got != nil {
			t.Errorf("DecodeText(%q) = %q, %v; want ValueError %q", in, got, err, valMsg)
		}
		// The bytes call drops the same bytes instead.
		if _, err := Decode([]byte(in)); err != nil && strings.Contains(err.Error(), valMsg) {
			t.Errorf("Decode(%q) refused non-ASCII: %v", in, err)
		}
	}
	got, err := DecodeText([]byte("QUJD\n"))
	if err != nil || string(got) != "ABC" {
		t.Errorf("DecodeText(ASCII) = %q, %v", got, err)
	}
}

func TestErrorText(t *testing.T) {
	_, err := Decode([]byte("QQ"))
	if err == nil || err.Error() != "base64: Incorrect padding" {
		t.Errorf("error text %v", err)
	}
}

func TestOneMoreCountsLargeTexts(t *testing.T) {
	in := strings.Repeat("A", 4*100000+1)
	_, err := Decode([]byte(in))
	if err == nil || !strings.Contains(err.Error(), "(400001)") {
		t.Fatalf("Decode of 400001 characters: %v", err)
	}
}

// A Reader gives what Decode gives, for any chunking of its text, and its
// error (in place of io.EOF) once the text is known to be bad.
func TestReader(t *testing.T) {
	raw := make([]byte, 100000)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	enc := base64.StdEncoding.EncodeToString(raw)
	wrapped := ""
	for i := 0; i < len(enc); i += 76 {
		wrapped += enc[i:min(i+76, len(enc))] + "\r\n"
	}
	for _, r := range []io.Reader{
		strings.NewReader(wrapped),
		iotest.OneByteReader(strings.NewReader(wrapped)),
		iotest.DataErrReader(strings.NewReader(wrapped)),
	} {
		got, err := io.ReadAll(NewReader(r))
		if err != nil || !bytes.Equal(got, raw) {
			t.Fatalf("Reader: %d bytes, %v; want %d bytes", len(got), err, len(raw))
		}
	}
	// Bad padding at the very end: the data came out, then the error.
	got, err := io.ReadAll(NewReader(strings.NewReader(base64.StdEncoding.EncodeToString(raw[:99999]) + "QQ")))
	var e *Error
	if !errors.As(err, &e) || e.Msg != padMsg {
		t.Fatalf("Reader over bad padding: %v", err)
	}
	if len(got) == 0 {
		t.Error("Reader returned no data before its error")
	}
	// A failing source is reported as itself.
	boom := errors.New("boom")
	_, err = io.ReadAll(NewReader(iotest.ErrReader(boom)))
	if !errors.Is(err, boom) {
		t.Errorf("Reader over failing source: %v", err)
	}
	// The str rules look at the text after the padding too.
	_, err = io.ReadAll(NewTextReader(strings.NewReader("QQ==\xff")))
	if !errors.As(err, &e) || e.Exception != ExcValue {
		t.Errorf("TextReader after padding: %v", err)
	}
	got, err = io.ReadAll(NewReader(strings.NewReader("QQ==\xff")))
	if err != nil || string(got) != "A" {
		t.Errorf("Reader after padding: %q, %v", got, err)
	}
}

func BenchmarkDecode(b *testing.B) {
	raw := make([]byte, 1<<20)
	for i := range raw {
		raw[i] = byte(i * 13)
	}
	enc := []byte(base64.StdEncoding.EncodeToString(raw))
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		if _, err := Decode(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDecodeTable(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for c := range 256 {
		want := byte(0)
		if i := strings.IndexByte(alphabet, byte(c)); i >= 0 {
			want = byte(i + 1)
		}
		if got := decodeTable[c]; got != want {
			t.Errorf("decodeTable[%q] = %d, want %d", byte(c), got, want)
		}
	}
}
