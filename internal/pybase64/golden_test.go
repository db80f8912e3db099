package pybase64

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"testing"
	"testing/iotest"
)

//go:generate /usr/bin/python3 testdata/make-golden.py

// pyAnswer is what Python answered for one text: the decoded bytes (hex) or
// the exception it raised.
type pyAnswer struct {
	Out *string `json:"out"`
	Exc string  `json:"exc"`
	Msg string  `json:"msg"`
}

type goldenCase struct {
	In    string    `json:"in"`
	Bytes pyAnswer  `json:"bytes"`
	Text  *pyAnswer `json:"text"`
}

// latin1 turns the golden file's text (code points 0-255) into its bytes.
func latin1(t *testing.T, s string) []byte {
	t.Helper()
	var b []byte
	for _, r := range s {
		if r > 0xff {
			t.Fatalf("golden text %q has code point %U above 0xff", s, r)
		}
		b = append(b, byte(r))
	}
	return b
}

// compare checks a decoding result against Python's answer, exactly.
func compare(got []byte, err error, want pyAnswer) string {
	if want.Out != nil {
		if err != nil {
			return "error " + err.Error() + ", Python decodes to " + *want.Out
		}
		if hex.EncodeToString(got) != *want.Out {
			return "decodes to " + hex.EncodeToString(got) + ", Python to " + *want.Out
		}
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		return "no *Error (" + hex.EncodeToString(got) + ", " + errString(err) + "), Python raises " + want.Exc + ": " + want.Msg
	}
	if e.Exception != want.Exc || e.Msg != want.Msg {
		return "raises " + e.Exception + ": " + e.Msg + ", Python " + want.Exc + ": " + want.Msg
	}
	return ""
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

// TestGolden holds Decode, DecodeText, DecodedLen and both Readers to the
// answers Python gave (testdata/golden.jsonl, written by make-golden.py).
func TestGolden(t *testing.T) {
	f, err := os.Open("testdata/golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n, pyErrors, failed := 0, 0, 0
	for sc.Scan() {
		var c goldenCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		in := latin1(t, c.In)
		textWant := c.Bytes
		if c.Text != nil {
			textWant = *c.Text
		}
		if c.Bytes.Out == nil {
			pyErrors++
		}
		check := func(what string, got []byte, err error, want pyAnswer) {
			t.Helper()
			if msg := compare(got, err, want); msg != "" {
				failed++
				if failed <= 20 {
					t.Errorf("%s(%q): %s", what, in, msg)
				}
			}
		}
		got, err := Decode(in)
		check("Decode", got, err, c.Bytes)
		got, err = DecodeText(in)
		check("DecodeText", got, err, textWant)
		got, err = readAll(NewReader(iotest.OneByteReader(bytes.NewReader(in))))
		check("NewReader", got, err, c.Bytes)
		got, err = readAll(NewTextReader(iotest.HalfReader(bytes.NewReader(in))))
		check("NewTextReader", got, err, textWant)
		size, err := DecodedLen(in)
		if c.Bytes.Out != nil {
			if err != nil || size != int64(len(*c.Bytes.Out)/2) {
				failed++
				t.Errorf("DecodedLen(%q) = %d, %v; Python decodes %d bytes", in, size, err, len(*c.Bytes.Out)/2)
			}
		} else if msg := compare(nil, err, c.Bytes); msg != "" {
			failed++
			t.Errorf("DecodedLen(%q): %s", in, msg)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 1000 || pyErrors == 0 || pyErrors == n {
		t.Fatalf("golden file has %d cases, %d Python errors: too few, or no mix of errors and successes", n, pyErrors)
	}
	t.Logf("%d cases (%d Python errors), %d disagreements", n, pyErrors, failed)
}

// readAll drains a Reader, keeping its bytes only when it ends cleanly.
func readAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return b, nil
}
