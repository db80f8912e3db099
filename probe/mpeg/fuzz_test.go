package mpeg_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/mpeg"
)

const (
	maxFuzzInput = 64 << 10
	maxFuzzAlloc = 4 << 20 // bytes one Probe+ReadAll may allocate on a 64 KiB input
)

// addCorpusSeeds seeds f with the committed corpus files, cut to 64 KiB.
func addCorpusSeeds(f *testing.F) {
	dir := filepath.Join("..", "..", "testdata", "corpus", "mpeg")
	ents, err := os.ReadDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() || filepath.Ext(e.Name()) == ".jsonl" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), maxFuzzInput)])
	}
}

// probeAll runs Probe and ReadAll once and returns the bytes allocated.
func probeAll(t *testing.T, b []byte) (*probe.Info, *probe.ReadResult, uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := bytes.NewReader(b)
	info, err := probe.Probe(r, int64(len(b)), "fuzz.mp3")
	if err != nil {
		t.Fatalf("probe: %v", err) // a bytes.Reader never fails
	}
	res, err := probe.ReadAll(r, int64(len(b)), info)
	if err != nil {
		t.Fatalf("read all: %v", err)
	}
	runtime.ReadMemStats(&after)
	return info, res, after.TotalAlloc - before.TotalAlloc
}

// FuzzMPEG feeds arbitrary bytes to the frame walker and to Probe+ReadAll:
// no panic, termination, bounded allocation, and results that hold
// together.
func FuzzMPEG(f *testing.F) {
	addCorpusSeeds(f)
	f.Add([]byte{0xff, 0xfb, 0x90, 0x44, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		defer fuzzguard.Watch(len(b))()
		if len(b) > maxFuzzInput {
			return
		}
		s, err := mpeg.ScanFrames(bytes.NewReader(b), 0, int64(len(b)))
		if err == nil {
			if s.Channels != 1 && s.Channels != 2 || s.SampleRate < 8000 || s.SampleRate > 48000 || s.Layer < 1 || s.Layer > 3 {
				t.Fatalf("format %+v", s)
			}
			if s.FrameCount < 1 || s.Samples < 0 || s.Samples > s.FrameCount*1152 || (!s.LengthUnknown && s.Frames < 0) {
				t.Fatalf("counts %+v", s)
			}
			if r := s.ReadResult(); r.FramesRead < 0 || (!s.LengthUnknown && r.FramesRead > s.Frames) {
				t.Fatalf("read %+v of %+v", r, s)
			}
		}
		info, res, alloc := probeAll(t, b)
		if alloc > maxFuzzAlloc {
			t.Fatalf("allocated %d bytes for a %d-byte input", alloc, len(b))
		}
		if info.Opens && info.Container == probe.ContainerMP3 && !info.LengthUnknown && res == nil {
			t.Fatal("an MP3 that opens with a known length has no read result")
		}
	})
}

// FuzzSniff probes arbitrary bytes through the prober's sniffing (ID3v2
// skipping included) with the MPEG and ADTS formats registered.
func FuzzSniff(f *testing.F) {
	addCorpusSeeds(f)
	f.Add([]byte("ID3\x03\x00\x00\x00\x00\x00\x00ID3\x04\x00\x10\x00\x00\x00\x01\x00\xff\xfb\x90\x44"))
	f.Add([]byte("ID3\x04\x00\x00\x00\x00\x00\x02\x00\x00\xff\xf1\x60\x40\x01\x1f\xfc"))
	// tags of size 0 and 1 (sniffing resumes at byte 12), footers, three tags
	for _, name := range []string{"mp3-size0-junk2.mp3", "mp3-size0-then-tag-at-10.mp3", "mp3-size1-twice-junk.mp3",
		"mp3-footer.mp3", "mp3-footer-flag-only.mp3", "mp3-three-tags.mp3", "mp2-size1-junk1.mp2", "adts-size0-junk2.aac"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "id3", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), maxFuzzInput)])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		defer fuzzguard.Watch(len(b))()
		if len(b) > maxFuzzInput {
			return
		}
		info, _, alloc := probeAll(t, b)
		if alloc > maxFuzzAlloc {
			t.Fatalf("allocated %d bytes for a %d-byte input", alloc, len(b))
		}
		if info.Container == "" || (!info.Opens && info.OpenError == "") || (info.Opens && info.OpenError != "") {
			t.Fatalf("inconsistent info %+v", info)
		}
		if len(info.Parts) > 64 {
			t.Fatalf("%d parts", len(info.Parts))
		}
	})
}
