// Package mp3dec is the MP3 decoder of github.com/hajimehoshi/go-mp3
// v0.3.4 (Apache License 2.0, LICENSE and AUTHORS beside this file),
// copied into the repository for internal/pcm, which decodes MP3 for the
// fix command with it.
//
// It was copied to change one thing: go-mp3 made its tables at package
// init (8207 math.Pow calls into a 73 KB table in internal/frame, the
// synthesis and IMDCT cosine tables, MPEG-2's slen table, the Huffman
// table index), and every run of every command paid for them, though only
// fix on MP3 decodes. GODEBUG=inittrace=1 audiopreflight --version showed
// the four packages' inits at 0.3 ms (0.85 ms on a cold start), frame's
// with 73728 bytes; perf stat over 40 alternating pairs of 50 runs of --version on a
// 2-core machine measured 2.13 ms of CPU and 524 page faults a run before,
// 1.75 ms and 495 after. Here the tables are made under a sync.Once when
// the first frame is read (frame.Read), on the first transform (imdct.Win)
// and on the first MPEG-2 scale factors (maindata), and the Huffman index
// holds offsets into its table instead of slices of it; no package of the
// decoder has init work (TestNoInitWork).
//
// Changed besides: the import paths and this package's name; keyed
// consts.UnexpectedEOF literals (go vet); a main data size that
// sideinfo.Read computed and never used (staticcheck SA4006). The decoded
// bytes and the error texts are upstream's: testdata/decoded.txt, written
// by v0.3.4 itself, holds the copy to them (TestDecodeUnchanged).
// Upstream's examples, benchmarks and fuzzing harness are not copied.
package mp3dec
