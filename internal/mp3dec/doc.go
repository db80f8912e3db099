// Package mp3dec is the MP3 decoder of github.com/hajimehoshi/go-mp3
// v0.3.4 (Apache License 2.0, LICENSE and AUTHORS beside this file),
// copied into the repository for internal/pcm, which decodes MP3 for the
// fix command with it.
//
// Changed from upstream: the import paths and this package's name; the
// keyed field of consts.UnexpectedEOF's literals (go vet); a main data size
// that sideinfo.Read computed and never used (staticcheck SA4006). The
// decoded bytes and the error texts are upstream's: testdata/decoded.txt,
// written by v0.3.4 itself, holds the copy to them (TestDecodeUnchanged).
// Upstream's examples, benchmarks and fuzzing harness are not copied.
package mp3dec
