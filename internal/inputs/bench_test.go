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
