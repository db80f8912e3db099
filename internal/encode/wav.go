package encode

import (
	"encoding/binary"
	"fmt"
	"io"
)

// WAV: RIFF/WAVE with a 16-byte PCM 'fmt ' chunk (format tag 1, one
// channel, 16 bits) and the 'data' chunk, the plainest file the API's
// reader takes (docs/server.md#decision-order).

const wavHeaderSize = 44

// maxWAVData is the largest data chunk a RIFF size field can describe.
const maxWAVData = 0xFFFFFFFF - (wavHeaderSize - 8)

// WAVSize is the size of a 16-bit mono WAV of frames samples.
func WAVSize(frames int64) int64 { return wavHeaderSize + 2*frames }

type wavWriter struct {
	s        *sink
	declared int64 // -1: unknown until Close
	written  int64
	scratch  []byte
}

func newWAV(w io.Writer, rate int, frames int64) (*wavWriter, error) {
	if frames > maxWAVData/2 {
		return nil, fmt.Errorf("encode: %d samples do not fit a WAV file", frames)
	}
	ww := &wavWriter{s: newSink(w), declared: frames, scratch: make([]byte, 0, 8192)}
	h := wavHeader(rate, max(frames, 0))
	if _, err := ww.s.Write(h[:]); err != nil {
		return nil, err
	}
	return ww, nil
}

func wavHeader(rate int, frames int64) [wavHeaderSize]byte {
	var h [wavHeaderSize]byte
	le := binary.LittleEndian
	data := uint32(2 * frames)
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], data+wavHeaderSize-8)
	copy(h[8:], "WAVEfmt ")
	le.PutUint32(h[16:], 16)
	le.PutUint16(h[20:], 1) // PCM
	le.PutUint16(h[22:], 1) // channels
	le.PutUint32(h[24:], uint32(rate))
	le.PutUint32(h[28:], uint32(rate)*2) // bytes per second
	le.PutUint16(h[32:], 2)              // block align
	le.PutUint16(h[34:], 16)             // bits per sample
	copy(h[36:], "data")
	le.PutUint32(h[40:], data)
	return h
}

func (w *wavWriter) Write(samples []int16) error {
	if w.written+int64(len(samples)) > maxWAVData/2 {
		return fmt.Errorf("encode: more than %d samples do not fit a WAV file", maxWAVData/2)
	}
	for len(samples) > 0 {
		n := min(len(samples), cap(w.scratch)/2)
		b := w.scratch[:2*n]
		for i, v := range samples[:n] {
			binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
		}
		if _, err := w.s.Write(b); err != nil {
			return err
		}
		w.written += int64(n)
		samples = samples[n:]
	}
	return nil
}

func (w *wavWriter) Frames() int64 { return w.written }

func (w *wavWriter) Close() error {
	if w.written != w.declared {
		if !w.s.seekable() {
			return &CountError{Declared: w.declared, Written: w.written}
		}
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(2*w.written+wavHeaderSize-8))
		if err := w.s.patch(4, b[:]); err != nil {
			return err
		}
		binary.LittleEndian.PutUint32(b[:], uint32(2*w.written))
		if err := w.s.patch(40, b[:]); err != nil {
			return err
		}
	}
	return w.s.buf.Flush()
}
