package aiff

import (
	"testing"

	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile/sndfiletest"
)

func FuzzAIFF(f *testing.F) {
	sndfiletest.Seeds(f, "aiff", "aifc", "svx", "form")
	f.Fuzz(func(t *testing.T, data []byte) {
		sndfiletest.Check(t, data, ReadHeader, ReadAll)
	})
}
