package wav

import (
	"fmt"
	"io"
	"sync"

	"github.com/audiopreflight/audiopreflight/internal/prefault"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

// sfState is libsndfile's per-file state (SF_PRIVATE) as the WAV-family
// readers use it: the fields every format shares, with the values sf_open
// gives them (Name is the container, "wav" or "w64"), and the WAV ones.
type sfState struct {
	sndfile.File

	major int // the major format of sf_info.format: WAV, WAVEX, RF64 or W64

	fmt       waveFormat
	fmtBroken bool // 24-bit PCM whose block align says 32: the samples decide

	// What the walk saw, for Info.Parts and warnings. The list's memory
	// stays with the pooled state; finish copies it out.
	parts        []probe.Part
	dataDeclared int64 // the data chunk's declared size, -1 when none
	dataChunkAt  int64

	scratch []byte // for the few header strings whose bytes matter

	mpeg *mpegStream // MPEG audio inside a WAV

	pooled *pooledState // where the state goes back to (release)
}

// newState starts reading r as sf_open hands it to the format's reader.
//
// The state and its header reader come from a pool and go back to it with
// release once the header is read: a header check of a small WAV faulted
// in fresh heap pages for them, and page faults were most of what a run
// over many small files spent outside its reads.
func newState(r io.ReaderAt, size int64, container string) *sfState {
	p := states.Get().(*pooledState)
	// The scratch buffer is kept, zeroed as a fresh one would be: a short
	// read leaves what was there before, and that must not be another
	// file's bytes. The list of parts is kept empty (release clears it).
	scratch := p.st.scratch
	clear(scratch)
	p.st = sfState{
		File:         *sndfile.NewFile(sndfile.OpenIn(&p.h, r, size), container),
		dataDeclared: -1,
		scratch:      scratch,
		parts:        p.st.parts[:0],
		pooled:       p,
	}
	return &p.st
}

type pooledState struct {
	st    sfState
	h     sndfile.HeaderReader
	magic [4]byte
}

var states = sync.Pool{New: func() any { return prefault.New[pooledState]() }}

// release gives the state back to the pool. The Info holds a copy of the
// parts; the state's list keeps its memory, emptied.
func (st *sfState) release() {
	p := st.pooled
	if p == nil {
		return
	}
	clear(st.parts)
	st.parts, st.mpeg, st.pooled = st.parts[:0], nil, nil
	p.h.Release()
	states.Put(p)
}

// endian is the byte order of a header read big-endian or not.
func endian(big bool) sndfile.Endian {
	if big {
		return sndfile.Big
	}
	return sndfile.Little
}

// addPart records a chunk for Info.Parts, keeping the list bounded.
func (st *sfState) addPart(id string, off, size int64, note string) {
	if len(st.parts) >= maxParts {
		return
	}
	st.parts = append(st.parts, probe.Part{Kind: "chunk", ID: id, Offset: off, Size: size, Note: note})
}

const maxParts = 64

// fourCC renders a chunk identifier for people: printable bytes as they
// are, others in hex. The ones in most files are named without making a
// string.
func fourCC(m uint32) string {
	switch m {
	case idRIFF:
		return "RIFF"
	case idLIST:
		return "LIST"
	case idJUNK:
		return "JUNK"
	}
	b := [4]byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}
	for _, c := range b {
		if c < ' ' || c > '~' {
			return fmt.Sprintf("0x%08x", m)
		}
	}
	return string(b[:])
}

// openError is why libsndfile refuses a file.
type openError struct {
	unsupported bool
	msg         string
}

func (e *openError) Error() string { return e.msg }

func errFmt(format string, args ...any) error {
	return &openError{msg: fmt.Sprintf(format, args...)}
}

func errUnsupported(format string, args ...any) error {
	return &openError{unsupported: true, msg: fmt.Sprintf(format, args...)}
}

// toProbeError turns a refusal into the probe package's error types.
func toProbeError(container string, off int64, err error) error {
	if e, ok := err.(*openError); ok {
		if e.unsupported {
			return &probe.UnsupportedError{Format: container, Msg: e.msg}
		}
		return &probe.FormatError{Format: container, Off: off, Msg: e.msg}
	}
	return err
}
