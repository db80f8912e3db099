package rare

import (
	"io"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile/sndfiletest"
)

// FuzzRare feeds the rarer formats (and random bytes behind their
// signatures) through the registry, which picks the parser by signature.
func FuzzRare(f *testing.F) {
	sndfiletest.Seeds(f, "paf", "nist", "ircam", "mat4", "mat5", "pvf", "xi", "htk", "sds", "avr", "wve", "mpc2k",
		"dwd", "txw", "rex2", "random", "m4a", "webm", "amr", "wma")
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		sndfiletest.Check(t, data, probeOnly, readAllOnly)
	})
}

func probeOnly(r io.ReaderAt, size int64) (*probe.Info, error) {
	info, err := probe.Probe(r, size, "fuzz")
	if err != nil {
		return &probe.Info{}, err
	}
	return info, nil
}

func readAllOnly(r io.ReaderAt, size int64, info *probe.Info) (*probe.ReadResult, error) {
	if !info.Opens {
		return nil, nil
	}
	return probe.ReadAll(r, size, info)
}
