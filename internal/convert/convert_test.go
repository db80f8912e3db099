package convert

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/internal/pcm"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
	"github.com/audiopreflight/audiopreflight/validate"
)

// source is an input as the API's reader sees it.
type source struct {
	info *probe.Info
	// seconds is the input's duration as the reader counts it: the frames
	// a full read gets, at the header's rate.
	seconds float64
	// exact is set when that count is all the audio there is: the read
	// finds audio, ends without an error, and the header's length is not
	// an estimate.
	exact bool
}

// probeFile probes path and reads it as the server would.
func probeFile(t testing.TB, path string) (*os.File, int64, source) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, _ := f.Stat()
	info, err := probe.Probe(f, st.Size(), path)
	if err != nil {
		t.Fatal(err)
	}
	s := source{info: info}
	if rr, err := probe.ReadAll(f, st.Size(), info); err == nil && rr != nil && info.SampleRate > 0 {
		s.seconds = float64(rr.FramesRead) / float64(info.SampleRate)
		// "all there is": probe.Unscored finds no audio the reader leaves out
		s.exact = rr.ReadError == "" && rr.FramesRead > 0 && !estimated(info) && len(probe.Unscored(info, rr)) == 0
	}
	return f, st.Size(), s
}

// estimated tells whether the header's length is a guess (MPEG audio
// without a Xing/Info frame count): libsndfile stops reading there, before
// or after the real end.
func estimated(info *probe.Info) bool {
	for _, w := range info.Warnings {
		if strings.Contains(w, "estimate") {
			return true
		}
	}
	return false
}

// convertFile converts path into dir and returns the output's path and
// the result; ok is false when the input is not something pcm decodes.
func convertFile(t testing.TB, path, dir string, format encode.Format) (string, *Result, source, bool) {
	t.Helper()
	f, size, src := probeFile(t, path)
	dec, err := pcm.Open(f, size, src.info)
	var u *pcm.UnsupportedError
	if errors.As(err, &u) {
		return "", nil, src, false
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := filepath.Join(dir, strings.ReplaceAll(filepath.Base(path), ".", "_")+format.Ext())
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	res, err := Run(dec, w, Options{Format: format})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out, res, src, true
}

// accepted checks out with the project's own check engine, as `check`
// would in its default mode (unscripted, sync, full read).
func accepted(t testing.TB, out string) *report.Result {
	t.Helper()
	c := &check.Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}}
	r := c.Check(context.Background(), check.Target{Name: out, Source: report.SourceFile})
	if !r.Accepted {
		name := r.Error
		if r.Exception != nil {
			name = r.Exception.Name + ": " + r.Exception.Message
		}
		t.Errorf("%s: not accepted: %s", out, name)
	}
	return r
}

// TestEveryDecoderToAccepted converts each decodable fixture to WAV and
// to FLAC: the check engine accepts every output, the output is 16 kHz
// mono, and it lasts what the input lasts for the API's reader, to 20 ms.
func TestEveryDecoderToAccepted(t *testing.T) {
	paths, _ := filepath.Glob("../pcm/testdata/*")
	dir := t.TempDir()
	n := 0
	for _, p := range paths {
		if strings.HasSuffix(p, ".f32") || strings.HasPrefix(filepath.Base(p), "no-") {
			continue
		}
		for _, format := range []encode.Format{encode.WAV, encode.FLAC} {
			out, res, src, ok := convertFile(t, p, dir, format)
			if !ok {
				t.Errorf("%s: not decoded", p)
				continue
			}
			n++
			r := accepted(t, out)
			if r.Audio == nil || r.Audio.SampleRate != TargetRate || r.Audio.Channels != 1 {
				t.Fatalf("%s: output %+v", out, r.Audio)
			}
			got := float64(r.Audio.Frames) / TargetRate
			if math.Abs(got-src.seconds) > 0.020 || r.Audio.Frames != res.OutputFrames {
				t.Errorf("%s: %.4f s in, %.4f s out (%d samples, %d written)", p, src.seconds, got, r.Audio.Frames, res.OutputFrames)
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d conversions", n)
	}
}

// TestFLACOutputPassesFlacTool: the reference FLAC tool verifies every
// frame's CRC and the MD5 of the whole.
func TestFLACOutputPassesFlacTool(t *testing.T) {
	tool, err := exec.LookPath("flac")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("flac not on PATH: CI must have it")
		}
		t.Skip("flac not on PATH")
	}
	dir := t.TempDir()
	for _, p := range []string{"../pcm/testdata/wav-s16.wav", "../pcm/testdata/mp3-44k-stereo.mp3", "../pcm/testdata/flac-s24-48k.flac"} {
		out, _, _, _ := convertFile(t, p, dir, encode.FLAC)
		if b, err := exec.Command(tool, "-t", "-s", "-w", out).CombinedOutput(); err != nil {
			t.Errorf("flac -t %s: %v\n%s", out, err, b)
		}
	}
}

// TestCorpusRejectionsFixed converts every file of the committed corpus
// that the API rejects and that pcm decodes: each output is accepted and
// keeps the duration. The counts by reason are logged.
func TestCorpusRejectionsFixed(t *testing.T) {
	dir := t.TempDir()
	fixed, skipped, empty := map[string]int{}, map[string]int{}, map[string]int{}
	golden, _ := filepath.Glob("../../testdata/corpus/*/expected-unscripted.jsonl")
	for _, g := range golden {
		for _, v := range oracle.MustLoad(t, g) {
			exc := v.ExceptionName()
			if exc == "" || strings.HasSuffix(v.Input, ".b64") {
				continue
			}
			p := filepath.Join(filepath.Dir(g), v.Input)
			if _, err := os.Stat(p); err != nil {
				continue
			}
			out, res, src, err := convertOrSkip(t, p, dir)
			switch {
			case errors.Is(err, ErrNoAudio):
				empty[exc]++
				continue
			case err != nil:
				skipped[exc]++
				continue
			}
			r := accepted(t, out)
			if r.Audio == nil {
				continue
			}
			// all the audio decoded is kept, to the nearest sample
			in := float64(res.InputFrames) / float64(res.InputRate)
			got := float64(r.Audio.Frames) / TargetRate
			if math.Abs(got-in) > 0.5/TargetRate+1e-9 {
				t.Errorf("%s: %.5f s decoded, %.5f s out", p, in, got)
			}
			// which is what the reader reads, when it reads all there is
			if src.exact && math.Abs(got-src.seconds) > 0.020 {
				t.Errorf("%s: %.4f s for the reader, %.4f s out", p, src.seconds, got)
			}
			if !src.exact && math.Abs(got-src.seconds) > 0.020 {
				t.Logf("%s: the reader stops at %.3f s (%s), the output keeps all %.3f s", p, src.seconds, exc, got)
			}
			fixed[exc]++
		}
	}
	t.Logf("decoded and accepted, by reason: %v; no audio: %v; not decoded here: %v", fixed, empty, skipped)
	if len(fixed) == 0 {
		t.Fatal("nothing converted")
	}
}

// convertOrSkip is convertFile for corpus files, many of which are
// damaged on purpose: the error says why one does not convert.
func convertOrSkip(t testing.TB, path, dir string) (string, *Result, source, error) {
	f, size, src := probeFile(t, path)
	if !src.info.Opens {
		return "", nil, src, errors.New("does not open")
	}
	dec, err := pcm.Open(f, size, src.info)
	if err != nil {
		return "", nil, src, err
	}
	frames := OutputFrames(dec.Format())
	format := encode.Choose(encode.Auto, frames, validate.DefaultSyncLimit)
	out := filepath.Join(dir, strings.ReplaceAll(strings.TrimPrefix(path, "../../testdata/corpus/"), "/", "_")+format.Ext())
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	res, err := Run(dec, w, Options{Format: format})
	return out, res, src, err
}

// TestSixteenKMonoKept: audio that is already 16 kHz mono 16-bit comes out
// with the same samples (no dither), whatever the container.
func TestSixteenKMonoKept(t *testing.T) {
	dir := t.TempDir()
	out, res, _, _ := convertFile(t, "../../testdata/samples/hello-16k-mono.flac", dir, encode.WAV)
	if !slices.Contains(res.Steps, "keep the 16-bit samples") {
		t.Errorf("steps %v", res.Steps)
	}
	f, size, src := probeFile(t, "../../testdata/samples/hello-16k-mono.flac")
	dec, err := pcm.Open(f, size, src.info)
	if err != nil {
		t.Fatal(err)
	}
	g, gsize, gsrc := probeFile(t, out)
	got, err := pcm.Open(g, gsize, gsrc.info)
	if err != nil {
		t.Fatal(err)
	}
	a, b := make([]float32, 4096), make([]float32, 4096)
	for {
		n, err1 := dec.Read(a)
		m, err2 := got.Read(b[:n])
		if n != m || !slices.Equal(a[:n], b[:m]) {
			t.Fatal("the samples changed")
		}
		if err1 != nil || err2 != nil {
			break
		}
	}
}
