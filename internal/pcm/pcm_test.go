package pcm

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
)

// open probes a file and opens its decoder.
func open(t testing.TB, path string) (Reader, *probe.Info) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	info, err := probe.Probe(f, st.Size(), path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(f, st.Size(), info)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return d, info
}

// readAll decodes everything, with a buffer of an odd size so that blocks
// end in the middle of the decoders' own.
func readAll(t testing.TB, d Reader) []float32 {
	t.Helper()
	ch := d.Format().Channels
	buf := make([]float32, 997*ch)
	var out []float32
	for guard := 0; ; guard++ {
		n, err := d.Read(buf)
		out = append(out, buf[:n*ch]...)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if guard > 1<<20 {
			t.Fatal("the decoder does not end")
		}
	}
}

func loadF32(t testing.TB, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// snr is the ratio of want's power to the power of got−want, in dB.
func snr(got, want []float32) float64 {
	var s, e float64
	for i := range want {
		s += float64(want[i]) * float64(want[i])
		d := float64(got[i]) - float64(want[i])
		e += d * d
	}
	if e == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(s/e)
}

// TestDecodersMatchLibsndfile decodes every fixture and compares the
// frames with what libsndfile decodes from it (NAME.f32, made by
// scripts/make-pcm-fixtures.sh): the same number of frames, and the same
// values — exactly for uncompressed codings and FLAC, within the
// difference between two correct decoders for MP3 and Vorbis.
func TestDecodersMatchLibsndfile(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.f32")
	if len(paths) < 25 {
		t.Fatalf("%d fixtures: run scripts/make-pcm-fixtures.sh", len(paths))
	}
	for _, ref := range paths {
		name := strings.TrimSuffix(filepath.Base(ref), ".f32")
		t.Run(name, func(t *testing.T) {
			d, info := open(t, "testdata/"+name)
			want := loadF32(t, ref)
			f := d.Format()
			if f.SampleRate != info.SampleRate || f.Channels != info.Channels {
				t.Fatalf("format %+v, probe says %d Hz × %d", f, info.SampleRate, info.Channels)
			}
			got := readAll(t, d)
			if len(got) != len(want) {
				t.Fatalf("%d frames, libsndfile decodes %d", len(got)/f.Channels, len(want)/f.Channels)
			}
			if f.Frames >= 0 && f.Frames*int64(f.Channels) != int64(len(want)) {
				t.Errorf("Format().Frames = %d, decoded %d", f.Frames, len(want)/f.Channels)
			}
			minSNR := math.Inf(1) // exact
			switch {
			case strings.HasPrefix(name, "mp3-"):
				minSNR = 75
			case strings.HasPrefix(name, "vorbis-"):
				minSNR = 90
			}
			if r := snr(got, want); r < minSNR {
				t.Errorf("SNR against libsndfile %.1f dB, want ≥ %.0f", r, minSNR)
			} else {
				t.Logf("%s: %d frames, SNR %.1f dB", info.Codec, len(got)/f.Channels, r)
			}
		})
	}
}

// TestUnsupported: codings left to ffmpeg give an UnsupportedError that
// names them.
func TestUnsupported(t *testing.T) {
	for _, name := range []string{"no-wav-ima.wav", "no-wav-gsm.wav", "no-mp2.mp2"} {
		f, err := os.Open("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		info, err := probe.Probe(f, st.Size(), name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Open(f, st.Size(), info)
		var u *UnsupportedError
		if !errors.As(err, &u) {
			t.Errorf("%s: %v, want an UnsupportedError", name, err)
		} else {
			t.Logf("%s: %v", name, err)
		}
		f.Close()
	}
}

// TestEndsAtDeclaredLength: a FLAC stream whose STREAMINFO count ends in
// the middle of a frame stops there, with io.EOF (not an endless run of
// empty reads).
func TestEndsAtDeclaredLength(t *testing.T) {
	d, info := open(t, "testdata/flac-s16.flac")
	f := d.(*flacReader)
	f.left = 1000 // inside the first frame
	got := readAll(t, d)
	if len(got) != 1000*info.Channels {
		t.Errorf("%d frames, want 1000", len(got)/info.Channels)
	}
}

// TestFLACGapIsSilence: a frame missing from a FLAC stream is filled with
// silence, as libFLAC does for the server's reader, so that the decoded
// length is the reader's (72000 frames here, one 1152-frame block lost).
func TestFLACGapIsSilence(t *testing.T) {
	for _, name := range []string{"before", "after"} {
		d, info := open(t, "../../testdata/corpus/flac/long/long-stereo-8bit-frame-"+name+"-65536-removed.flac")
		got := readAll(t, d)
		if n := len(got) / info.Channels; n != 72000 {
			t.Errorf("frame %s 65536 removed: %d frames, want 72000", name, n)
		}
	}
}

// TestFLACStopsWhereTheReaderStops: FLAC is decoded by the prober's own
// decoder, so damaged audio ends the stream with the error the server's
// reader reports (check's read error), after the frames libFLAC delivered
// before it.
func TestFLACStopsWhereTheReaderStops(t *testing.T) {
	const path = "../../testdata/samples/cut-short.flac"
	d, info := open(t, path)
	f, _ := os.Open(path)
	defer f.Close()
	st, _ := f.Stat()
	rr, err := probe.ReadAll(f, st.Size(), info)
	if err != nil || rr.ReadError == "" {
		t.Fatalf("the reader finds no error: %+v %v", rr, err)
	}
	buf := make([]float32, 4096*info.Channels)
	frames := 0
	for {
		n, err := d.Read(buf)
		frames += n
		if err == nil {
			continue
		}
		if err == io.EOF || err.Error() != rr.ReadError {
			t.Errorf("the decoder ends with %v; the reader with %q", err, rr.ReadError)
		}
		break
	}
	if frames != 8192 {
		t.Errorf("%d frames before the error, libFLAC delivers 8192", frames)
	}
}
