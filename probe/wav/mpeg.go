package wav

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
)

// mpegStream is the state of MPEG audio inside a WAV.
type mpegStream struct {
	codec         string
	lengthUnknown bool
}

func (st *sfState) initMPEG() error {
	return errUnsupported("MPEG audio in WAV is not modelled yet")
}

func (m *mpegStream) readAll(r io.ReaderAt, size int64) (*probe.ReadResult, error) {
	return nil, nil
}
