package encode

import (
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"hash"
	"io"

	mewflac "github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"
)

// FLAC through github.com/mewkiz/flac's encoder: 4096-sample frames, each
// subframe constant, verbatim or a fixed predictor of order 0 to 4 with
// partitioned Rice coding, whichever is smallest (flacfixed.go chooses).
// The encoder writes through a buffer that is not seekable to it: this
// writer patches STREAMINFO itself at Close (total samples, frame sizes,
// MD5 of the samples), so the last, shorter block never lowers its
// minimum block size (which the format wants at least 16) and nothing is
// rewritten when the output cannot seek.

const flacBlockSize = 4096

// STREAMINFO's place in the file: after "fLaC" and the block header.
const (
	streamInfoAt   = 8
	frameSizesAt   = streamInfoAt + 4  // 24-bit min, 24-bit max frame size
	totalSamplesAt = streamInfoAt + 10 // the low 36 bits of a 64-bit word
	md5At          = streamInfoAt + 18
)

type flacWriter struct {
	s        *sink
	enc      *mewflac.Encoder
	info     *meta.StreamInfo
	declared int64
	written  int64
	block    []int32
	md5      hash.Hash
	md5buf   []byte
	minFrame int64
	maxFrame int64
	analysis fixedAnalysis
}

// noSeek hides the sink's seeking from the encoder.
type noSeek struct{ w io.Writer }

func (n noSeek) Write(p []byte) (int, error) { return n.w.Write(p) }

func newFLAC(w io.Writer, rate int, frames int64) (*flacWriter, error) {
	if frames >= 1<<36 {
		return nil, fmt.Errorf("encode: %d samples do not fit a FLAC stream's count", frames)
	}
	info := &meta.StreamInfo{
		BlockSizeMin:  flacBlockSize,
		BlockSizeMax:  flacBlockSize,
		SampleRate:    uint32(rate),
		NChannels:     1,
		BitsPerSample: 16,
		NSamples:      uint64(max(frames, 0)),
	}
	fw := &flacWriter{s: newSink(w), info: info, declared: frames,
		block: make([]int32, 0, flacBlockSize), md5: md5.New(), md5buf: make([]byte, 2*flacBlockSize)}
	enc, err := mewflac.NewEncoder(noSeek{fw.s}, info)
	if err != nil {
		return nil, fmt.Errorf("encode: flac: %v", err)
	}
	fw.enc = enc
	return fw, nil
}

func (w *flacWriter) Write(samples []int16) error {
	for _, v := range samples {
		w.block = append(w.block, int32(v))
		if len(w.block) == flacBlockSize {
			if err := w.flushBlock(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *flacWriter) flushBlock() error {
	n := len(w.block)
	if n == 0 {
		return nil
	}
	b := w.md5buf[:2*n]
	for i, v := range w.block {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	}
	w.md5.Write(b)
	f := &frame.Frame{
		Header: frame.Header{
			HasFixedBlockSize: true,
			BlockSize:         uint16(n),
			SampleRate:        w.info.SampleRate,
			Channels:          frame.ChannelsMono,
			BitsPerSample:     16,
		},
		Subframes: []*frame.Subframe{{
			Samples:  w.block,
			NSamples: n,
		}},
	}
	w.analysis.choose(f.Subframes[0], 16)
	start := w.s.n
	if err := w.enc.WriteFrame(f); err != nil {
		return fmt.Errorf("encode: flac: %v", err)
	}
	size := w.s.n - start
	if w.minFrame == 0 || size < w.minFrame {
		w.minFrame = size
	}
	w.maxFrame = max(w.maxFrame, size)
	w.written += int64(n)
	w.block = w.block[:0]
	return nil
}

func (w *flacWriter) Frames() int64 { return w.written + int64(len(w.block)) }

func (w *flacWriter) Close() error {
	if err := w.flushBlock(); err != nil {
		return err
	}
	if !w.s.seekable() {
		if w.declared != w.written {
			return &CountError{Declared: w.declared, Written: w.written}
		}
		return w.s.buf.Flush()
	}
	// STREAMINFO: frame sizes, the total and the MD5 of what was written.
	var sizes [6]byte
	put24 := func(b []byte, v int64) { b[0], b[1], b[2] = byte(v>>16), byte(v>>8), byte(v) }
	put24(sizes[0:], w.minFrame)
	put24(sizes[3:], w.maxFrame)
	if err := w.s.patch(frameSizesAt, sizes[:]); err != nil {
		return err
	}
	// The 64-bit word at totalSamplesAt holds rate (20 bits), channels−1
	// (3), bits−1 (5) and the total (36).
	word := uint64(w.info.SampleRate)<<44 | uint64(w.info.NChannels-1)<<41 |
		uint64(w.info.BitsPerSample-1)<<36 | uint64(w.written)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], word)
	if err := w.s.patch(totalSamplesAt, b[:]); err != nil {
		return err
	}
	if err := w.s.patch(md5At, w.md5.Sum(nil)); err != nil {
		return err
	}
	return w.s.buf.Flush()
}
