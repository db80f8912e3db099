package inputs

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// thousandFiles makes 1000 files, 900 of them audio, in dir/d and returns
// dir/d.
func thousandFiles(b *testing.B) string {
	dir := filepath.Join(b.TempDir(), "d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		ext := ".wav"
		if i%10 == 9 {
			ext = ".txt"
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("take-%04d%s", i, ext)), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

func BenchmarkExpandDirectory1000(b *testing.B) {
	dir := thousandFiles(b)
	for b.Loop() {
		in, err := Expand([]string{dir}, Options{})
		if err != nil || len(in) != 900 {
			b.Fatalf("%d inputs, %v", len(in), err)
		}
	}
}

func BenchmarkExpandPattern1000(b *testing.B) {
	dir := thousandFiles(b)
	for b.Loop() {
		in, err := Expand([]string{filepath.Dir(dir) + "/**/*.wav"}, Options{})
		if err != nil || len(in) != 900 {
			b.Fatalf("%d inputs, %v", len(in), err)
		}
	}
}

// BenchmarkExpandTree1000 walks 1000 audio files in 10 directories: below
// the root, each file has a path relative to it.
func BenchmarkExpandTree1000(b *testing.B) {
	dir := b.TempDir()
	for d := range 10 {
		sub := filepath.Join(dir, fmt.Sprintf("speaker-%02d", d))
		if err := os.Mkdir(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		for i := range 100 {
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("take-%04d.wav", i)), nil, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	for b.Loop() {
		in, err := Expand([]string{dir}, Options{})
		if err != nil || len(in) != 1000 {
			b.Fatalf("%d inputs, %v", len(in), err)
		}
	}
}
