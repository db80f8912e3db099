package voc

import (
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile/sndfiletest"
)

func FuzzVOC(f *testing.F) {
	sndfiletest.Seeds(f, "voc-")
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		sndfiletest.Check(t, data, ReadHeader, nil)
	})
}
