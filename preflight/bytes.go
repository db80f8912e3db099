package preflight

import (
	"bytes"
	"errors"
	"io"
)

// memoryAudio is audio held in memory.
type memoryAudio struct{ *bytes.Reader }

func (memoryAudio) Close() error { return nil }

// readerAtAudio is a program's io.ReaderAt of a known size; closing it
// leaves it open (it is the program's).
type readerAtAudio struct {
	r    io.ReaderAt
	size int64
}

func (a readerAtAudio) ReadAt(p []byte, off int64) (int, error) { return a.r.ReadAt(p, off) }
func (a readerAtAudio) Size() int64                             { return a.size }
func (readerAtAudio) Close() error                              { return nil }

// errBase64AtHand is CheckAudio given base64 text.
var errBase64AtHand = errors.New("CheckAudio takes audio, not base64 text")
