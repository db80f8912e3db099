package sections

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestConcat(t *testing.T) {
	src := []byte("0123456789")
	c := New(Bytes([]byte("ab")), Of(bytes.NewReader(src), 3, 4), Bytes(nil), Bytes([]byte("Z")))
	want := "ab3456Z"
	if c.Size() != int64(len(want)) {
		t.Fatalf("size %d", c.Size())
	}
	for off := range len(want) {
		for n := 0; off+n <= len(want)+2; n++ {
			b := make([]byte, n)
			m, err := c.ReadAt(b, int64(off))
			end := min(off+n, len(want))
			if string(b[:m]) != want[off:end] {
				t.Fatalf("ReadAt(%d, %d) = %q, want %q", n, off, b[:m], want[off:end])
			}
			if (off+n > len(want)) != (err == io.EOF) {
				t.Fatalf("ReadAt(%d, %d): err %v", n, off, err)
			}
		}
	}
	// A section longer than its reader.
	short := New(Of(bytes.NewReader(src), 8, 5))
	if _, err := short.ReadAt(make([]byte, 5), 0); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short section: %v", err)
	}
	if _, err := c.ReadAt(make([]byte, 1), -1); err == nil {
		t.Error("negative offset accepted")
	}
	var buf bytes.Buffer
	if n, err := c.WriteTo(&buf); err != nil || n != int64(len(want)) || buf.String() != want {
		t.Errorf("WriteTo = %d, %v: %q", n, err, buf.String())
	}
	if _, err := short.WriteTo(io.Discard); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("WriteTo of a short section: %v", err)
	}
}
