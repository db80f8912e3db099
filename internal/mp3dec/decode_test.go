package mp3dec_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/mp3dec"
)

var update = flag.Bool("update", false, "rewrite testdata/decoded.txt from this decoder's output")

// goldenPath lists, for MP3 files of the repository, what the decoder
// makes of each: the number of bytes it delivers and their SHA-256, and
// the error it stops with. It was written by github.com/hajimehoshi/go-mp3
// v0.3.4 itself, before the copy, so that the copy is held to the upstream
// decoder's output byte for byte, damaged inputs and their errors included.
const goldenPath = "testdata/decoded.txt"

// goldenGlobs are the inputs -update records: the decoder fixtures, the
// MPEG and ID3 corpora (damaged streams among them) and the samples.
var goldenGlobs = []string{
	"../pcm/testdata/*.mp3",
	"../../testdata/samples/*.mp3",
	"../../testdata/corpus/mpeg/*.mp3",
	"../../testdata/corpus/id3/*.mp3",
}

// decodeSummary decodes data from its start the way internal/pcm does
// (through a reader without Seek, so no frame index is built) and
// describes the outcome in one line.
func decodeSummary(data []byte) (line string) {
	h := sha256.New()
	n := 0
	defer func() {
		if p := recover(); p != nil {
			line = fmt.Sprintf("%d %x panic: %v", n, h.Sum(nil), p)
		}
	}()
	d, err := mp3dec.NewDecoder(struct{ io.Reader }{bytes.NewReader(data)})
	if err != nil {
		return "open: " + err.Error()
	}
	buf := make([]byte, 4096)
	for {
		m, err := d.Read(buf)
		h.Write(buf[:m])
		n += m
		if errors.Is(err, io.EOF) {
			return fmt.Sprintf("%d %x rate %d", n, h.Sum(nil), d.SampleRate())
		}
		if err != nil {
			return fmt.Sprintf("%d %x error: %v", n, h.Sum(nil), err)
		}
	}
}

// TestDecodeUnchanged: every input of the golden list decodes to the same
// bytes (or stops with the same error) as go-mp3 v0.3.4 decoded it.
func TestDecodeUnchanged(t *testing.T) {
	if *update {
		var out strings.Builder
		out.WriteString("# path\tbytes sha256 rate|error (go test ./internal/mp3dec -update)\n")
		for _, g := range goldenGlobs {
			paths, _ := filepath.Glob(g)
			for _, p := range paths {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&out, "%s\t%s\n", p, decodeSummary(data))
			}
		}
		if err := os.WriteFile(goldenPath, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	cases, decoded := 0, 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		path, want, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("%s: bad line %q", goldenPath, sc.Text())
		}
		cases++
		if strings.Contains(want, " rate ") && !strings.HasPrefix(want, "0 ") {
			decoded++
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			continue
		}
		if got := decodeSummary(data); got != want {
			t.Errorf("%s:\n got %s\nwant %s", path, got, want)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	// Enough inputs, and most of them decoded to the end: a golden list
	// of errors alone would hold no decoder to anything.
	if cases < 50 || decoded < cases/2 {
		t.Errorf("%s: %d inputs, %d decoded to the end", goldenPath, cases, decoded)
	}
}

// BenchmarkDecode: five seconds of speech, MPEG-1 stereo at 44.1 kHz and
// MPEG-2 mono at 16 kHz, decoded from the first byte to the last.
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"bench-5s-44k-stereo-id3.mp3", "bench-5s-16k-mono.mp3"} {
		data, err := os.ReadFile("../../testdata/corpus/mpeg/" + name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(name, ".mp3"), func(b *testing.B) {
			buf := make([]byte, 4096)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				d, err := mp3dec.NewDecoder(struct{ io.Reader }{bytes.NewReader(data)})
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := d.Read(buf)
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
