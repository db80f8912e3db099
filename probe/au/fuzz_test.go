package au

import (
	"testing"

	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile/sndfiletest"
)

func FuzzAU(f *testing.F) {
	sndfiletest.Seeds(f, "au-")
	f.Fuzz(func(t *testing.T, data []byte) {
		sndfiletest.Check(t, data, ReadHeader, nil)
	})
}
