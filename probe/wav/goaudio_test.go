package wav_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-audio/audio"
	goaudiowav "github.com/go-audio/wav"

	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/wav"
)

// TestWAVsFromAnotherWriter probes WAV files written by an independent
// writer, github.com/go-audio/wav's encoder (its reader is not used: wav.go
// says why), and requires what was written: rate, channels, bits, frames.
func TestWAVsFromAnotherWriter(t *testing.T) {
	subtypes := map[int]string{8: "PCM_U8", 16: "PCM_16", 24: "PCM_24", 32: "PCM_32"}
	dir := t.TempDir()
	for _, rate := range []int{8000, 16000, 44100, 48000} {
		for _, bits := range []int{8, 16, 24, 32} {
			for _, channels := range []int{1, 2} {
				frames := rate/10 + bits + channels // odd sizes, not round numbers
				path := filepath.Join(dir, fmt.Sprintf("%d-%d-%d.wav", rate, bits, channels))
				writeWAV(t, path, rate, bits, channels, frames)
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
				got := fmt.Sprintf("opens=%v %s/%s %d Hz %d ch %d bits %d frames", info.Opens, info.SndfileFormat, info.SndfileSubtype, info.SampleRate, info.Channels, info.BitsPerSample, info.Frames)
				want := fmt.Sprintf("opens=true WAV/%s %d Hz %d ch %d bits %d frames", subtypes[bits], rate, channels, bits, frames)
				if got != want {
					t.Errorf("%s: got %s, want %s", filepath.Base(path), got, want)
				}
			}
		}
	}
}

func writeWAV(t *testing.T, path string, rate, bits, channels, frames int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := goaudiowav.NewEncoder(f, rate, bits, channels, 1)
	data := make([]int, frames*channels)
	for i := range data {
		data[i] = (i * 37) % (1 << (bits - 2))
	}
	buf := &audio.IntBuffer{Format: &audio.Format{NumChannels: channels, SampleRate: rate}, Data: data, SourceBitDepth: bits}
	if err := enc.Write(buf); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
}
