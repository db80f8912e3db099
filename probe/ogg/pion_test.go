package ogg_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pion/webrtc/v4/pkg/media/oggreader"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/ogg"
)

// TestOpusHeadersAgreeWithAnotherReader reads every Ogg-Opus file that
// libsndfile reads whole without an error with a second, independent Ogg
// reader (pion's oggreader) and requires the same OpusHead (input rate,
// channels) and the same length from the last page's granule position.
// oggreader is not used for the verdicts (sync.go says why); on well-formed
// streams it is a reader to compare with.
func TestOpusHeadersAgreeWithAnotherReader(t *testing.T) {
	dir := "../../testdata/corpus/ogg"
	compared, lengths := 0, 0
	for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-scripted.jsonl")) {
		s := v.Sndfile
		if s == nil || s.OpenError != nil || s.ReadError != nil || s.FramesRead == nil || *s.Subtype != "OPUS" || *s.FramesRead != *s.Frames {
			continue
		}
		path := filepath.Join(dir, v.Input)
		head, lastGranule, pages, ok := pionRead(t, path)
		if !ok {
			continue // a stream oggreader refuses (it is stricter about page flags than libsndfile)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		info, err := probe.Probe(f, st.Size(), path)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if uint32(info.InputSampleRate) != head.SampleRate || info.Channels != int(head.Channels) {
			t.Errorf("%s: OpusHead rate %d, %d channels; oggreader says %d, %d", v.Input, info.InputSampleRate, info.Channels, head.SampleRate, head.Channels)
		}
		// RFC 7845 §4: the length is the last granule position less the
		// pre-skip, at 48 kHz; libsndfile reports it at its own rate. Only
		// for well-formed single streams: the generator names the files
		// with damaged granules "broken-" and those with several logical
		// streams "multi-" (scripts/corpus/ogg.sh); libsndfile's answer on
		// those is the model's, which corpus_test.go compares.
		wellFormed := !strings.HasPrefix(v.Input, "broken-") && !strings.HasPrefix(v.Input, "multi-")
		if wellFormed && pages > 2 {
			want := int64(lastGranule-uint64(head.PreSkip)) / int64(48000/info.SampleRate)
			lengths++
			if info.Frames != want {
				t.Errorf("%s: %d frames, the last granule (%d) less pre-skip (%d) gives %d", v.Input, info.Frames, lastGranule, head.PreSkip, want)
			}
		}
		compared++
	}
	if compared < 20 || lengths < 10 {
		t.Errorf("compared only %d files (%d lengths) with oggreader", compared, lengths)
	}
}

func pionRead(t *testing.T, path string) (head *oggreader.OggHeader, lastGranule uint64, pages int, ok bool) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, head, err := oggreader.NewWith(f)
	if err != nil {
		return nil, 0, 0, false
	}
	// Only the first logical stream counts, as for libsndfile: the pages
	// after the OpusHead page with the serial of the OpusTags page.
	pages = 1
	var serial uint32
	for {
		_, h, err := r.ParseNextPage()
		if errors.Is(err, io.EOF) {
			return head, lastGranule, pages, true
		}
		if err != nil {
			return nil, 0, 0, false
		}
		if pages == 1 {
			serial = h.Serial
		}
		if h.Serial == serial {
			lastGranule = h.GranulePosition
			pages++
		}
	}
}
