//go:build unix

package inputs

import (
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestReadDirSortedIsReadDir lists a directory of every kind of entry, with
// more names than one read of the directory returns, and compares the list
// with os.ReadDir's: the same names in the same order, the same types, and
// each entry's path the directory's name joined with its name.
func TestReadDirSortedIsReadDir(t *testing.T) {
	dir := t.TempDir()
	for i := range 3000 {
		name := fmt.Sprintf("%04d-%s.wav", (i*7919)%3000, strings.Repeat("n", i%50))
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"sub", ".hidden-dir", "é-ünïcode"} {
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("sub", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("missing", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Log("no FIFO:", err)
	}
	if l, err := net.Listen("unix", filepath.Join(dir, "sock")); err == nil {
		defer l.Close()
	}

	want, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	for _, name := range []string{"x", "yy", "zzz.wav"} {
		if err := os.WriteFile(filepath.Join(other, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// One walk lists them all: the first from a buffer that must grow,
	// the last from one sized from the directory; a listing is checked
	// after the next one reused the buffer.
	e := &expander{}
	list := func(name string, size int64) []dirEntry {
		t.Helper()
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, err := e.readDirSorted(f, size)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	first := list(dir, 0)
	list(other, 0)
	last := list(dir+"/", fi.Size())
	for _, got := range [][]dirEntry{first, last} {
		if len(got) != len(want) {
			t.Fatalf("%d entries, os.ReadDir has %d", len(got), len(want))
		}
		for i := range want {
			if got[i].name() != want[i].Name() || got[i].path != dir+"/"+want[i].Name() || got[i].typ != want[i].Type() {
				t.Fatalf("entry %d: %q %v, os.ReadDir has %q %v", i, got[i].path, got[i].typ, want[i].Name(), want[i].Type())
			}
		}
	}
}

// TestReadDirSortedOfAFile is the error of listing what is not a directory.
func TestReadDirSortedOfAFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "take.wav")
	if err := os.WriteFile(name, []byte("RIFF"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e := &expander{}
	if got, err := e.readDirSorted(f, 0); err == nil || len(got) != 0 {
		t.Fatalf("listing a file: %v, %v", got, err)
	}
}

// BenchmarkListDirectory lists a directory of 1000 files the walk's way
// and os.ReadDir's (entries sorted by name through the interface, then the
// path of each made as the walk makes it), the figures dirents_linux.go
// quotes.
func BenchmarkListDirectory(b *testing.B) {
	dir := b.TempDir()
	for i := range 1000 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.wav", (i*7919)%1000)), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("walk", func(b *testing.B) {
		b.ReportAllocs()
		e := &expander{}
		for b.Loop() {
			f, err := os.Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := e.readDirSorted(f, 0); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
	b.Run("os.ReadDir", func(b *testing.B) {
		b.ReportAllocs()
		paths := make([]string, 0, 1000)
		for b.Loop() {
			f, err := os.Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			list, err := f.ReadDir(-1)
			if err != nil {
				b.Fatal(err)
			}
			slices.SortFunc(list, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
			for _, d := range list {
				paths = append(paths, joinName(dir, d.Name()))
			}
			paths = paths[:0]
			f.Close()
		}
	})
}
