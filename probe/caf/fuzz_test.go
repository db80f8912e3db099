package caf

import (
	"testing"

	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile/sndfiletest"
)

func FuzzCAF(f *testing.F) {
	sndfiletest.Seeds(f, "caf-")
	f.Fuzz(func(t *testing.T, data []byte) {
		sndfiletest.Check(t, data, ReadHeader, ReadAll)
	})
}
