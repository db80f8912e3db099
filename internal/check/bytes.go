package check

import (
	"bytes"
	"errors"

	"github.com/audiopreflight/audiopreflight/internal/check/download"
	"github.com/audiopreflight/audiopreflight/internal/report"
)

// CheckAudio checks audio already at hand as the input t (t.Name names it
// in the result, t.Source says what it is), and closes it: a program that
// holds the bytes checks them so (see Bytes). What opens files, streams,
// spools and URLs is not reached from here, so a build that only calls
// CheckAudio (the WebAssembly build) leaves it out. The audio is the
// audio: base64 text goes through Check, which decodes it as the server
// does.
func (c *Checker) CheckAudio(t Target, audio Audio) *report.Result {
	if c.Base64 {
		audio.Close()
		return report.ErrorResult(t.Name, t.Source, errors.New("CheckAudio takes audio, not base64 text"))
	}
	return c.checkFrom(t, func(bool) (Audio, download.Download, error) { return audio, nil, nil }, nil)
}

// Bytes is audio held in memory, for CheckAudio.
func Bytes(b []byte) Audio { return memoryAudio{bytes.NewReader(b)} }

// memoryAudio is audio held in memory.
type memoryAudio struct{ *bytes.Reader }

func (memoryAudio) Close() error { return nil }
