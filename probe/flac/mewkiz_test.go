package flac_test

import (
	"bytes"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"

	mewkiz "github.com/mewkiz/flac"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/flac"
)

// TestFramesAgreeWithAnotherDecoder decodes every file that libsndfile
// reads whole (no error, every frame STREAMINFO promises) with a second,
// independent decoder (github.com/mewkiz/flac) and requires the same number
// of frames from ours. (Damaged streams, whose frames do not add up to
// STREAMINFO's total, are left out: there libsndfile's seeks, not the
// frames, decide what it reads.) mewkiz/flac is not used for the verdicts themselves: it opens or
// refuses files differently from libsndfile (metaread.go says where), but
// on well-formed streams it is a decoder to compare with.
func TestFramesAgreeWithAnotherDecoder(t *testing.T) {
	log.SetOutput(io.Discard) // mewkiz/flac logs some sample rates
	defer log.SetOutput(os.Stderr)
	t.Run("committed", func(t *testing.T) {
		if n := compareFramesWithMewkiz(t, "../../testdata/corpus/flac"); n < 50 {
			t.Errorf("compared only %d files with mewkiz/flac", n)
		}
	})
	t.Run("flac-test-files", func(t *testing.T) {
		if n := compareFramesWithMewkiz(t, oracle.CorporaDir(t, "flac-test-files")); n < 40 {
			t.Errorf("compared only %d files with mewkiz/flac", n)
		}
	})
}

// compareFramesWithMewkiz runs the comparison over one corpus directory and
// returns how many files it compared.
func compareFramesWithMewkiz(t *testing.T, dir string) (compared int) {
	t.Helper()
	for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-scripted.jsonl")) {
		s := v.Sndfile
		if s == nil || s.OpenError != nil || s.ReadError != nil || s.FramesRead == nil || *s.Format != "FLAC" || *s.FramesRead != *s.Frames {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, v.Input))
		if err != nil {
			t.Fatal(err)
		}
		theirs, ok := mewkizFrames(data)
		if !ok || theirs != *s.Frames {
			continue // damaged: frames added or removed behind STREAMINFO's back
		}
		info, err := probe.Probe(bytes.NewReader(data), int64(len(data)), v.Input)
		if err != nil {
			t.Fatal(err)
		}
		res, err := probe.ReadAll(bytes.NewReader(data), int64(len(data)), info)
		if err != nil || res == nil {
			t.Fatalf("%s: %v %v", v.Input, res, err)
		}
		if res.FramesRead != theirs {
			t.Errorf("%s: we read %d frames, mewkiz/flac decodes %d (STREAMINFO %d)", v.Input, res.FramesRead, theirs, info.Frames)
		}
		compared++
	}
	return compared
}

func mewkizFrames(data []byte) (n int64, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	s, err := mewkiz.New(bytes.NewReader(data))
	if err != nil {
		return 0, false
	}
	for {
		f, err := s.ParseNext()
		if err == io.EOF {
			return n, true
		}
		if err != nil {
			return 0, false
		}
		n += int64(f.BlockSize)
	}
}
