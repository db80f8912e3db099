package cmd

import (
	"io"
	"testing"
)

// BenchmarkCheckNothing is what a check costs before and after its inputs:
// the command tree, flags, environment, config file search, the run's
// window and writer, on an empty directory (one input that could not be
// checked, exit status 2). Every run of check pays it once; its B/op are
// fresh pages in a short-lived process.
func BenchmarkCheckNothing(b *testing.B) {
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if code := Execute([]string{"check", "--header-only", dir}, nil, io.Discard, io.Discard); code != ExitError {
			b.Fatalf("exit status %d", code)
		}
	}
}
