package convert

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/internal/oracle"
)

var update = flag.Bool("update", false, "rewrite testdata/model's outputs (then run scripts/make-convert-golden.sh's model step)")

// modelCases are the conversions whose outputs the reference model has
// judged (testdata/model/expected-unscripted.jsonl, written by
// scripts/make-convert-golden.sh): one per decoder family, both encoders.
var modelCases = []struct {
	source string
	format encode.Format
}{
	{"wav-s24.wav", encode.WAV},
	{"w64-s24.w64", encode.WAV},
	{"aifc-ulaw.aifc", encode.WAV},
	{"au-f64.au", encode.WAV},
	{"caf-s16.caf", encode.WAV},
	{"alac-s24-48k-mono.caf", encode.WAV},
	{"flac-s24-48k.flac", encode.FLAC},
	{"mp3-44k-stereo.mp3", encode.WAV},
	{"mp3-16k-mono.mp3", encode.FLAC},
	{"vorbis-44k-stereo.ogg", encode.FLAC},
}

// TestModelAcceptsOutputs: the conversions are reproducible byte for byte
// (the dither has a fixed seed), and the reference model of the server
// accepts each committed output with the frame count the tool wrote.
func TestModelAcceptsOutputs(t *testing.T) {
	dir := t.TempDir()
	verdicts := map[string]oracle.Verdict{}
	if !*update {
		for _, v := range oracle.MustLoad(t, "testdata/model/expected-unscripted.jsonl") {
			verdicts[v.Input] = v
		}
	}
	for _, c := range modelCases {
		out, res, _, ok := convertFile(t, filepath.Join("../pcm/testdata", c.source), dir, c.format)
		if !ok {
			t.Fatalf("%s: not decoded", c.source)
		}
		name := filepath.Base(out)
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		committed := filepath.Join("testdata/model", name)
		if *update {
			if err := os.MkdirAll("testdata/model", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(committed, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(committed)
		if err != nil {
			t.Fatalf("%v (run scripts/make-convert-golden.sh)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the conversion differs from the committed output (a deliberate change? run scripts/make-convert-golden.sh)", name)
		}
		v, ok := verdicts[name]
		switch {
		case !ok:
			t.Errorf("%s: no verdict of the model", name)
		case v.Exception != nil:
			t.Errorf("%s: the model answers %s", name, v.ExceptionName())
		case v.Sndfile == nil || v.Sndfile.Frames == nil || *v.Sndfile.Frames != res.OutputFrames ||
			v.Sndfile.FramesRead == nil || *v.Sndfile.FramesRead != res.OutputFrames:
			t.Errorf("%s: the model reads %+v, the tool wrote %d frames", name, v.Sndfile, res.OutputFrames)
		case *v.Sndfile.Samplerate != TargetRate || *v.Sndfile.Channels != 1 || !strings.EqualFold(*v.Sndfile.Format, strings.TrimPrefix(c.format.Ext(), ".")):
			t.Errorf("%s: the model sees %+v", name, v.Sndfile)
		}
	}
}
