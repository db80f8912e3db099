package ogg

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/probe"
)

// checkWith opens data and replays the read loop with libogg's buffers
// described by at most spans spans each (0: written, as libogg does), and
// says what came of it.
func checkWith(data []byte, spans int) string {
	r := bytes.NewReader(data)
	info, st, err := open(r, int64(len(data)), spans)
	info.Detail = nil
	out := fmt.Sprintf("%+v\nopen: %v", *info, err)
	if st != nil {
		out += "\n" + bufferContents(st.file)
		res, err := readFrom(st, r, new(probe.ReadResult))
		out += fmt.Sprintf("\nread: %+v %v\n%s", res, err, bufferContents(st.file))
		st.file.home.free()
	}
	return out
}

// bufferContents is what libogg's buffers hold (all they hold, stale
// parts too), and where the sync buffer stands.
func bufferContents(f *oggFile) string {
	s, os := f.sync, &f.os
	mem := s.mem
	if s.inPlace {
		mem = bytes.Clone(s.bytesAt(0, s.memLen))
	}
	body := os.body
	if !os.written {
		body = bytes.Clone(os.assemble(0, os.bodyLen))
	}
	return fmt.Sprintf("sync at %d, %d of %d returned: %x\nstream body %d of %d returned: %x",
		s.pos, s.returned, s.fill, mem, os.bodyReturned, os.bodyFill, body)
}

// spanLimits are the ways of keeping the buffers compared with writing
// them: the default, and limits so small that the buffers are written
// out part way through most files.
var spanLimits = []int{maxSpans, 1, 3}

// sameInPlace fails when reading data with described buffers tells
// anything else than reading it with written ones.
func sameInPlace(t *testing.T, name string, data []byte) {
	t.Helper()
	want := checkWith(data, 0)
	for _, n := range spanLimits {
		if got := checkWith(data, n); got != want {
			t.Errorf("%s: with buffers of up to %d spans:\n%s\nwritten:\n%s", name, n, got, want)
		}
	}
}

// oggFiles are the Ogg files under root: those whose first bytes are a
// page capture.
func oggFiles(t *testing.T, root string) (names []string) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return nil
		}
		defer f.Close()
		var magic [4]byte
		if n, _ := f.Read(magic[:]); n == 4 && string(magic[:]) == "OggS" {
			names = append(names, p)
		}
		return nil
	})
	return names
}

// TestBuffersInPlace: describing libogg's buffers instead of writing them
// changes nothing the check says, on every Ogg file of the committed
// corpus (and of AUDIOPREFLIGHT_CORPORA and the generated mutation corpus
// AUDIOPREFLIGHT_BIG_CORPUS when they are set), whole and cut short at a
// few places.
func TestBuffersInPlace(t *testing.T) {
	roots := []string{filepath.Join("..", "..", "testdata", "corpus")}
	for _, env := range []string{"AUDIOPREFLIGHT_CORPORA", "AUDIOPREFLIGHT_BIG_CORPUS"} {
		if dir := os.Getenv(env); dir != "" {
			roots = append(roots, dir)
		}
	}
	n := 0
	for _, root := range roots {
		for _, name := range oggFiles(t, root) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			sameInPlace(t, name, data)
			for _, cut := range []int{len(data) / 3, len(data) - 100, len(data) - 1} {
				if cut > 12 {
					sameInPlace(t, fmt.Sprintf("%s cut to %d bytes", name, cut), data[:cut])
				}
			}
			n++
		}
	}
	if n < 150 {
		t.Fatalf("only %d Ogg files found", n)
	}
}

// TestInPlaceWritesNothing: a clean file is checked without a byte of it
// written into libogg's buffers, the file being in memory whole.
func TestInPlaceWritesNothing(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "ogg", "opus-16k-5s-24k.opus"))
	if err != nil {
		t.Fatal(err)
	}
	r := bytes.NewReader(data)
	_, st, err := open(r, int64(len(data)), maxSpans)
	if err != nil {
		t.Fatal(err)
	}
	f := st.file
	readLoop(f, st.opus, st.opus.frames, st.opus.channels)
	if !f.sync.inPlace || len(f.sync.mem) != 0 || f.os.written || len(f.os.body) != 0 {
		t.Errorf("buffers written: sync in place %v, %d bytes; stream written %v, %d bytes",
			f.sync.inPlace, len(f.sync.mem), f.os.written, len(f.os.body))
	}
	f.home.free()
}

// FuzzBuffersInPlace: on any input, described and written buffers give
// the same Info and ReadResult.
func FuzzBuffersInPlace(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "corpus", "ogg", "*.o*"))
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 64<<10)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		if len(data) < 12 || len(data) > 64<<10 {
			return
		}
		sameInPlace(t, "input", data)
	})
}
