package encode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	mewflac "github.com/mewkiz/flac"

	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
)

func ramp(n int) []int16 {
	s := make([]int16, n)
	for i := range s {
		s[i] = int16(i*37%65536 - 32768)
	}
	return s
}

// onlyWriter hides Seek.
type onlyWriter struct{ w *bytes.Buffer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }

// probeBytes says what the server's reader sees in b.
func probeBytes(t *testing.T, b []byte) (*probe.Info, *probe.ReadResult) {
	t.Helper()
	r := bytes.NewReader(b)
	info, err := probe.Probe(r, int64(len(b)), "out")
	if err != nil {
		t.Fatal(err)
	}
	rr, err := probe.ReadAll(r, int64(len(b)), info)
	if err != nil {
		t.Fatal(err)
	}
	return info, rr
}

// TestWAVStreaming: with the count known, a WAV streams to a writer that
// cannot seek, and its header is the canonical one; the reader sees 16 kHz
// mono PCM_16 with every sample.
func TestWAVStreaming(t *testing.T) {
	var buf bytes.Buffer
	w, err := New(onlyWriter{&buf}, WAV, 16000, 5000)
	if err != nil {
		t.Fatal(err)
	}
	s := ramp(5000)
	for i := 0; i < len(s); i += 999 {
		if err := w.Write(s[i:min(i+999, len(s))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if len(b) != int(WAVSize(5000)) || string(b[:4]) != "RIFF" || binary.LittleEndian.Uint32(b[40:]) != 10000 {
		t.Fatalf("%d bytes, header % x", len(b), b[:44])
	}
	for i, v := range s {
		if got := int16(binary.LittleEndian.Uint16(b[44+2*i:])); got != v {
			t.Fatalf("sample %d: %d, want %d", i, got, v)
		}
	}
	info, rr := probeBytes(t, b)
	if !info.Opens || info.SampleRate != 16000 || info.Channels != 1 || info.SndfileSubtype != "PCM_16" || rr.FramesRead != 5000 {
		t.Errorf("the reader sees %+v, read %+v", info, rr)
	}
}

// TestSizesPatched: with the count unknown, or wrong, a seekable output
// gets the sizes of what was written; one that cannot seek is an error.
func TestSizesPatched(t *testing.T) {
	for _, format := range []Format{WAV, FLAC} {
		for _, declared := range []int64{-1, 7000, 1} {
			path := filepath.Join(t.TempDir(), "out"+format.Ext())
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			w, err := New(f, format, 16000, declared)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(ramp(5000)); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			b, _ := os.ReadFile(path)
			info, rr := probeBytes(t, b)
			if !info.Opens || info.Frames != 5000 || rr == nil || rr.FramesRead != 5000 || rr.ReadError != "" {
				t.Errorf("%s declared %d: the reader sees %d frames, reads %+v", format, declared, info.Frames, rr)
			}
		}
		var buf bytes.Buffer
		w, _ := New(onlyWriter{&buf}, format, 16000, 7000)
		w.Write(ramp(5000))
		var ce *CountError
		if err := w.Close(); !errors.As(err, &ce) || ce.Declared != 7000 || ce.Written != 5000 {
			t.Errorf("%s: wrong count on a stream: %v", format, err)
		}
		if _, err := New(onlyWriter{&buf}, format, 16000, -1); !errors.Is(err, ErrLengthNeeded) {
			t.Errorf("%s: unknown length on a stream: %v", format, err)
		}
	}
}

// TestFLACRoundTrip: the FLAC holds the samples exactly (decoded by
// mewkiz/flac, an independent reader here), in 4096-sample frames, with
// the MD5 of the samples in STREAMINFO.
func TestFLACRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.flac")
	f, _ := os.Create(path)
	s := ramp(10000)
	w, err := New(f, FLAC, 16000, int64(len(s)))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(s); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, err := mewflac.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.Info.NSamples != 10000 || st.Info.SampleRate != 16000 || st.Info.NChannels != 1 || st.Info.BitsPerSample != 16 || st.Info.MD5sum == [16]byte{} {
		t.Fatalf("STREAMINFO %+v", st.Info)
	}
	var got []int16
	for {
		fr, err := st.ParseNext()
		if err != nil {
			break
		}
		if fr.BlockSize != 4096 && len(got)+int(fr.BlockSize) != len(s) {
			t.Errorf("a frame of %d samples inside the stream", fr.BlockSize)
		}
		for _, v := range fr.Subframes[0].Samples {
			got = append(got, int16(v))
		}
	}
	if len(got) != len(s) {
		t.Fatalf("%d samples, want %d", len(got), len(s))
	}
	for i := range s {
		if got[i] != s[i] {
			t.Fatalf("sample %d: %d, want %d", i, got[i], s[i])
		}
	}
}

func TestChoose(t *testing.T) {
	limit := int64(10 << 20)
	fits := (limit - 44) / 2
	for _, c := range []struct {
		asked  Format
		frames int64
		want   Format
	}{
		{Auto, fits, WAV},
		{Auto, fits + 1, FLAC},
		{Auto, -1, WAV},
		{WAV, fits + 1, WAV},
		{FLAC, 10, FLAC},
	} {
		if got := Choose(c.asked, c.frames, limit); got != c.want {
			t.Errorf("Choose(%s, %d) = %s, want %s", c.asked, c.frames, got, c.want)
		}
	}
	if got := Choose(Auto, fits+1, 0); got != WAV {
		t.Errorf("no limit: %s", got)
	}
}
