package cmd

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
)

var updateFixed = flag.Bool("update-fixed", false, "TestFixModelAcceptsOutputs: rewrite testdata/fixed's files (scripts/make-fix-golden.sh does, then runs the reference harness over them)")

// fixedDir holds the files fix writes for modelCases and the reference
// model's verdicts on them (scripts/make-fix-golden.sh).
const fixedDir = "../testdata/fixed"

// modelCases are inputs as users bring them — browser recordings, a phone
// or editor's MP3, 48 kHz Opus, stereo 44.1 kHz FLAC, telephone A-law,
// Apple Lossless, a streaming writer's WAV — one per way of fixing and
// per decoder family, with the extra flags of their run.
var modelCases = []struct {
	input  string
	flags  []string
	method string
}{
	{"../testdata/mediarecorder/chrome-stereo.webm", nil, "opus-remux"},
	{"../testdata/mediarecorder/chrome-video.webm", nil, "opus-remux"},
	{"../testdata/corpus/fix/in/opusenc-48k-stereo.opus", nil, "opus-header"},
	{"../testdata/corpus/fix/in/stream-sizes-0.wav", nil, "wav-header"},
	{"../testdata/samples/hello-44k-stereo.flac", nil, "decode"},
	{"../testdata/samples/hello-44k-stereo.flac", []string{"--format", "flac", "--suffix", "-16k-flac"}, "decode"},
	{"../testdata/samples/hello.mp3", nil, "decode"},
	{"../internal/pcm/testdata/mp3-44k-stereo.mp3", nil, "decode"},
	{"../internal/pcm/testdata/vorbis-44k-stereo.ogg", nil, "decode"},
	{"../testdata/corpus/wav/alaw-8k.wav", nil, "decode"},
	{"../testdata/corpus/other/aiff-sox-44k-stereo-s32.aiff", nil, "decode"},
	{"../testdata/corpus/other/caf-sf-alac16-16k.caf", nil, "decode"},
	{"../testdata/corpus/other/voc-sf-alaw-8k-stereo.voc", nil, "decode"},
}

// TestFixModelAcceptsOutputs: fix writes the committed files byte for
// byte (decoding is deterministic: the dither has a fixed seed), and the
// reference model of the server — the same reader, libsndfile through
// python-soundfile, and the API's decision order — accepts each of them,
// for both request types, reading the frames check counts.
func TestFixModelAcceptsOutputs(t *testing.T) {
	out := t.TempDir()
	verdicts := map[string]map[string]oracle.Verdict{}
	if !*updateFixed {
		for _, req := range []string{"unscripted", "scripted"} {
			verdicts[req] = map[string]oracle.Verdict{}
			for _, v := range oracle.MustLoad(t, filepath.Join(fixedDir, "expected-"+req+".jsonl")) {
				verdicts[req][v.Input] = v
			}
		}
	}
	for _, c := range modelCases {
		args := append(append([]string{"-O", out, "--ffmpeg", "none"}, c.flags...), c.input)
		code, lines, stderr := fixResults(t, nil, "", args...)
		if code != 0 || len(lines) != 1 || lines[0].Status != "fixed" || lines[0].Method != c.method {
			t.Fatalf("%s: exit %d %s %+v", c.input, code, stderr, lines)
		}
		r := lines[0]
		name := filepath.Base(r.Output)
		got, err := os.ReadFile(r.Output)
		if err != nil {
			t.Fatal(err)
		}
		committed := filepath.Join(fixedDir, name)
		if *updateFixed {
			if err := os.WriteFile(committed, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(committed)
		if err != nil {
			t.Fatalf("%v (scripts/make-fix-golden.sh writes it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: fix writes other bytes than the committed file the model judged (a deliberate change? scripts/make-fix-golden.sh)", name)
		}
		frames := r.After.Audio.Frames
		for req, vs := range verdicts {
			v, ok := vs[name]
			switch {
			case !ok:
				t.Errorf("%s: no verdict of the model (%s)", name, req)
			case v.Exception != nil:
				t.Errorf("%s (%s): the model answers %s", name, req, *v.Exception)
			case v.Sndfile == nil || v.Sndfile.Samplerate == nil || v.Sndfile.Channels == nil || v.Sndfile.FramesRead == nil:
				t.Errorf("%s (%s): the model reads nothing", name, req)
			case *v.Sndfile.Samplerate != 16000 || *v.Sndfile.Channels != 1 || *v.Sndfile.FramesRead != frames:
				t.Errorf("%s (%s): the model reads %d Hz, %d channels, %d frames; check counts %d frames", name, req, *v.Sndfile.Samplerate, *v.Sndfile.Channels, *v.Sndfile.FramesRead, frames)
			}
		}
	}
	if !*updateFixed {
		files, _ := filepath.Glob(filepath.Join(fixedDir, "*"))
		for _, f := range files {
			if b := filepath.Base(f); !strings.HasPrefix(b, "expected-") && verdicts["unscripted"][b].Input == "" {
				t.Errorf("%s is committed but no case writes it", b)
			}
		}
	}
}
