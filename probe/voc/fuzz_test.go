package voc

import (
	"testing"

	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile/sndfiletest"
)

func FuzzVOC(f *testing.F) {
	sndfiletest.Seeds(f, "voc-")
	f.Fuzz(func(t *testing.T, data []byte) {
		sndfiletest.Check(t, data, ReadHeader, nil)
	})
}
