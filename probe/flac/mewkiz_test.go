package flac_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"

	mewkiz "github.com/mewkiz/flac"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/flac"
)

// TestAgreesWithAnotherDecoder decodes every file that libsndfile reads
// whole (no error, every frame STREAMINFO promises) with a second,
// independent decoder (github.com/mewkiz/flac). The full read must count
// the same frames, and PCMReader must give every sample of every channel
// as it does: the restoring path (FIXED and LPC predictors of every order,
// wasted bits, stereo decorrelation, every bit depth the corpora hold)
// against an independent implementation. Damaged streams, whose frames do
// not add up to STREAMINFO's total or do not number their samples in
// order, are left out: there libsndfile's seeks and libFLAC's repairs, not
// the frames, decide what it reads. mewkiz/flac is not used for the
// verdicts themselves: it opens or refuses files differently from
// libsndfile (metaread.go says where), but on well-formed streams it is a
// decoder to compare with.
func TestAgreesWithAnotherDecoder(t *testing.T) {
	t.Run("committed", func(t *testing.T) {
		compareWithMewkiz(t, "../../testdata/corpus/flac", 50)
	})
	t.Run("flac-test-files", func(t *testing.T) {
		compareWithMewkiz(t, oracle.CorporaDir(t, "flac-test-files"), 40)
	})
}

// compareWithMewkiz runs the comparison over one corpus directory and
// fails when it compared fewer than least files either way.
func compareWithMewkiz(t *testing.T, dir string, least int) {
	t.Helper()
	framesCompared, samplesCompared, samples := 0, 0, 0
	for _, f := range wellFormed(t, dir) {
		theirs, inOrder, ok := mewkizSamples(f.data)
		if !ok || int64(len(theirs[0])) != f.frames {
			continue // damaged: frames added or removed behind STREAMINFO's back
		}
		info, err := probe.Probe(bytes.NewReader(f.data), int64(len(f.data)), f.name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := probe.ReadAll(bytes.NewReader(f.data), int64(len(f.data)), info)
		if err != nil || res == nil {
			t.Fatalf("%s: %v %v", f.name, res, err)
		}
		if res.FramesRead != f.frames {
			t.Errorf("%s: we read %d frames, mewkiz/flac decodes %d (STREAMINFO %d)", f.name, res.FramesRead, f.frames, info.Frames)
		}
		framesCompared++
		if !inOrder {
			continue
		}
		ours, err := pcmSamples(bytes.NewReader(f.data), int64(len(f.data)), info)
		if err != nil {
			t.Errorf("%s: %v", f.name, err)
			continue
		}
		if len(ours) != len(theirs) {
			t.Errorf("%s: %d channels, mewkiz/flac %d", f.name, len(ours), len(theirs))
			continue
		}
		for ch := range ours {
			if i := firstDifference(ours[ch], theirs[ch]); i >= 0 {
				t.Errorf("%s: channel %d differs from mewkiz/flac at sample %d of %d/%d", f.name, ch, i, len(ours[ch]), len(theirs[ch]))
				break
			}
			samples += len(ours[ch])
		}
		samplesCompared++
	}
	t.Logf("frame counts of %d files and %d samples of %d files compared with mewkiz/flac", framesCompared, samples, samplesCompared)
	if framesCompared < least || samplesCompared < least {
		t.Errorf("compared only %d and %d files with mewkiz/flac", framesCompared, samplesCompared)
	}
}

type corpusFile struct {
	name   string
	data   []byte
	frames int64
}

// wellFormed lists the files of a corpus directory that libsndfile reads
// whole: no error, every frame STREAMINFO promises.
func wellFormed(t *testing.T, dir string) []corpusFile {
	t.Helper()
	log.SetOutput(io.Discard) // mewkiz/flac logs some sample rates
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	var files []corpusFile
	for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-scripted.jsonl")) {
		s := v.Sndfile
		if s == nil || s.OpenError != nil || s.ReadError != nil || s.FramesRead == nil || *s.Format != "FLAC" || *s.FramesRead != *s.Frames {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, v.Input))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, corpusFile{v.Input, data, *s.Frames})
	}
	return files
}

// pcmSamples decodes a whole input with PCMReader, one slice per channel.
func pcmSamples(r io.ReaderAt, size int64, info *probe.Info) ([][]int32, error) {
	pr, err := flac.NewPCMReader(r, size, info)
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	var out [][]int32
	for {
		frame, _, err := pr.ReadFrame()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = make([][]int32, len(frame))
		}
		if len(frame) != len(out) {
			return nil, fmt.Errorf("a frame of %d channels after %d", len(frame), len(out))
		}
		for ch, s := range frame {
			out[ch] = append(out[ch], s...)
		}
	}
}

func firstDifference(a, b []int32) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// mewkizSamples decodes a stream, one slice per channel, and tells
// whether its frames number their samples in order, without gaps.
func mewkizSamples(data []byte) (out [][]int32, inOrder, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	s, err := mewkiz.New(bytes.NewReader(data))
	if err != nil {
		return nil, false, false
	}
	var first uint64
	inOrder = true
	for {
		f, err := s.ParseNext()
		if err == io.EOF {
			return out, inOrder, out != nil
		}
		if err != nil {
			return nil, false, false
		}
		if out == nil {
			out = make([][]int32, len(f.Subframes))
		}
		if len(f.Subframes) != len(out) {
			return nil, false, false
		}
		if first == 0 {
			first = uint64(f.BlockSize)
		}
		start := f.Num // a sample number, or a frame number of fixed-size blocks
		if f.HasFixedBlockSize {
			start *= first
		}
		inOrder = inOrder && start == uint64(len(out[0]))
		for ch, sub := range f.Subframes {
			out[ch] = append(out[ch], sub.Samples[:f.BlockSize]...)
		}
	}
}
