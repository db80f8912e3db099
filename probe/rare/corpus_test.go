package rare_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/aiff"
	_ "github.com/audiopreflight/audiopreflight/probe/au"
	_ "github.com/audiopreflight/audiopreflight/probe/caf"
	_ "github.com/audiopreflight/audiopreflight/probe/detect"
	_ "github.com/audiopreflight/audiopreflight/probe/rare"
	_ "github.com/audiopreflight/audiopreflight/probe/voc"
)

// checkCorpus runs the prober over every file of a corpus directory and
// requires exact agreement with the reference model's verdicts.
func checkCorpus(t *testing.T, dir string) (agree, total int) {
	t.Helper()
	verdicts := oracle.MustLoad(t, filepath.Join(dir, "expected-unscripted.jsonl"))
	for _, v := range verdicts {
		total++
		data, err := os.ReadFile(filepath.Join(dir, v.Input))
		if err != nil {
			t.Fatal(err)
		}
		if v.Sndfile == nil {
			// No audio to read (empty input): nothing must open.
			if info, err := probe.Probe(bytes.NewReader(data), int64(len(data)), v.Input); err != nil || info.Opens {
				t.Errorf("%s: an empty input opens", v.Input)
				continue
			}
			agree++
			continue
		}
		if msg := compare(data, v.Input, v.Sndfile); msg != "" {
			t.Errorf("%s: %s", v.Input, msg)
			continue
		}
		agree++
	}
	return agree, total
}

func compare(data []byte, name string, want *oracle.Sndfile) string {
	r := bytes.NewReader(data)
	info, err := probe.Probe(r, int64(len(data)), name)
	if err != nil {
		return "probe: " + err.Error()
	}
	wantOpen := want.OpenError == nil
	if info.Opens != wantOpen {
		return sprintf("opens=%v want %v (ours: %q, model: %v)", info.Opens, wantOpen, info.OpenError, strp(want.OpenError))
	}
	if !wantOpen {
		return ""
	}
	if info.SndfileFormat != *want.Format || info.SndfileSubtype != *want.Subtype {
		return sprintf("format %s/%s want %s/%s", info.SndfileFormat, info.SndfileSubtype, *want.Format, *want.Subtype)
	}
	if info.SampleRate != *want.Samplerate || info.Channels != *want.Channels {
		return sprintf("rate/channels %d/%d want %d/%d", info.SampleRate, info.Channels, *want.Samplerate, *want.Channels)
	}
	if *want.Frames == oracle.SFCountMax {
		if !info.LengthUnknown {
			return sprintf("frames %d want unknown", info.Frames)
		}
		return ""
	}
	if info.LengthUnknown || info.Frames != *want.Frames {
		return sprintf("frames %d (unknown=%v) want %d", info.Frames, info.LengthUnknown, *want.Frames)
	}
	res, err := probe.ReadAll(r, int64(len(data)), info)
	if err != nil {
		return "read: " + err.Error()
	}
	if res == nil {
		return "no read result"
	}
	if (res.ReadError != "") != (want.ReadError != nil) {
		return sprintf("read error %q want %v", res.ReadError, strp(want.ReadError))
	}
	if want.FramesRead != nil && res.FramesRead != *want.FramesRead {
		return sprintf("frames read %d want %d", res.FramesRead, *want.FramesRead)
	}
	return ""
}

// TestCorpus requires exact agreement with the reference model on every
// file of the committed corpus (scripts/corpus/other.sh).
func TestCorpus(t *testing.T) {
	agree, total := checkCorpus(t, filepath.Join("..", "..", "testdata", "corpus", "other"))
	if total < 300 {
		t.Errorf("only %d files in the committed corpus", total)
	}
	t.Logf("committed corpus: %d/%d agree", agree, total)
}

// TestBigCorpus runs over a large generated corpus when
// AUDIOPREFLIGHT_BIG_CORPUS names one (scripts/make-corpus.sh --out DIR
// other with CORPUS_SCALE=50); it reports the agreement rate and fails
// below 99.5%.
func TestBigCorpus(t *testing.T) {
	root := os.Getenv("AUDIOPREFLIGHT_BIG_CORPUS")
	if root == "" {
		t.Skip("AUDIOPREFLIGHT_BIG_CORPUS not set")
	}
	dir := filepath.Join(root, "other")
	agree, total := countCorpus(t, dir)
	rate := float64(agree) / float64(max(total, 1))
	t.Logf("big corpus: %d/%d agree (%.3f%%)", agree, total, 100*rate)
	if rate < 0.995 {
		t.Errorf("agreement %.3f%% is below 99.5%%", 100*rate)
	}
}

// countCorpus is checkCorpus that reports the first disagreements only.
func countCorpus(t *testing.T, dir string) (agree, total int) {
	t.Helper()
	verdicts := oracle.MustLoad(t, filepath.Join(dir, "expected-unscripted.jsonl"))
	shown := 0
	for _, v := range verdicts {
		total++
		data, err := os.ReadFile(filepath.Join(dir, v.Input))
		if err != nil {
			t.Fatal(err)
		}
		msg := ""
		if v.Sndfile == nil {
			if info, err := probe.Probe(bytes.NewReader(data), int64(len(data)), v.Input); err != nil || info.Opens {
				msg = "an empty input opens"
			}
		} else {
			msg = compare(data, v.Input, v.Sndfile)
		}
		if msg == "" {
			agree++
		} else if shown < 40 {
			shown++
			t.Logf("%s: %s", v.Input, msg)
		}
	}
	return agree, total
}
