package pcm

import (
	"errors"
	"os"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// TestMP3PaddedLSFRefused: an MPEG-2 stream at 22.05 kHz and 32 kbit/s,
// whose padded frames go-mp3 reads a byte short, is refused (left to
// ffmpeg) instead of decoded to noise; the same audio at 24 kHz decodes.
func TestMP3PaddedLSFRefused(t *testing.T) {
	for _, c := range []struct {
		name    string
		refused bool
	}{
		{"testdata/no-mp3-22k-32k.mp3", true},
		{"testdata/mp3-24k-stereo.mp3", false},
		{"testdata/mp3-16k-mono.mp3", false},
	} {
		f, err := os.Open(c.name)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		info, err := probe.Probe(f, st.Size(), c.name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Open(f, st.Size(), info)
		var u *UnsupportedError
		if got := errors.As(err, &u); got != c.refused {
			t.Errorf("%s: %v", c.name, err)
		}
		f.Close()
	}
}
