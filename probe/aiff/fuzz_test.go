package aiff

import (
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile/sndfiletest"
)

func FuzzAIFF(f *testing.F) {
	sndfiletest.Seeds(f, "aiff", "aifc", "svx", "form")
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzguard.Watch(len(data))()
		sndfiletest.Check(t, data, ReadHeader, ReadAll)
	})
}
