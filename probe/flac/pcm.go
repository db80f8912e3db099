package flac

import (
	"errors"
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
)

// PCMReader decodes the samples of a FLAC stream as libFLAC hands them to
// libsndfile when the stream is read straight through: frames in order,
// every sample restored, stereo decorrelation undone, the gaps libFLAC
// fills with silence filled, and the samples after STREAMINFO's total (when
// it is known) left out, as sf_read leaves them out. The first error
// libsndfile would report ends the stream; the frames before it are
// delivered first. It holds one frame at a time: its memory does not grow
// with the length of the stream.
type PCMReader struct {
	d    decoder
	bufs *frameBuffers
	// left is how many samples STREAMINFO still promises; -1 when the
	// length is unknown.
	left int64
	// queue holds the frames the last decoder step delivered; at most one
	// of them (the decoded frame, last) is not silence.
	queue  []pcmFrame
	silent [8][]int32
	out    [8][]int32
	err    error
	// zeroHead is how many samples of the decoded frame the silence before
	// it overwrote (see ReadFrame).
	zeroHead uint32
}

type pcmFrame struct {
	h      frameHeader
	silent bool
}

// NewPCMReader starts decoding the audio of an input that ReadHeader
// opened (info.Opens).
func NewPCMReader(r io.ReaderAt, size int64, info *probe.Info) (*PCMReader, error) {
	x, ok := info.Detail.(*detail)
	if !ok || !info.Opens {
		return nil, errors.New("flac: the input did not open")
	}
	hdr, err := x.header(r, size)
	if err != nil {
		return nil, err
	}
	p := &PCMReader{d: hdr, left: -1}
	if !info.LengthUnknown {
		p.left = info.Frames
	}
	r, size = wholeInput(r, size)
	p.bufs = bufferPool.Get().(*frameBuffers)
	d := &p.d
	d.br.buf, d.out, d.side, d.points = p.bufs.window, p.bufs.out, p.bufs.side, p.bufs.points[:0]
	d.frames = nil // every frame is decoded, none remembered
	d.sink = p.delivered
	d.startFrames(r, size)
	return p, nil
}

// delivered is the decoder's write callback.
func (p *PCMReader) delivered(h frameHeader, silent bool) {
	p.queue = append(p.queue, pcmFrame{h, silent})
	if silent {
		p.zeroHead = max(p.zeroHead, h.blocksize)
	}
}

// ReadFrame returns the next frame's samples, one slice per channel (valid
// until the next call), and the frame's bits per sample; io.EOF after the
// last frame.
func (p *PCMReader) ReadFrame() (samples [][]int32, bitsPerSample int, err error) {
	for len(p.queue) == 0 {
		if p.err != nil {
			return nil, 0, p.err
		}
		if p.left == 0 {
			p.err = io.EOF
			continue
		}
		// flac_read_loop's step: one FLAC__stream_decoder_process_single;
		// a false return or a state past the frames ends the read
		// without an error of its own.
		d := &p.d
		p.zeroHead = 0
		ok := d.processSingle()
		switch {
		case d.snd.err != nil:
			p.err = d.snd.err
		case !ok || d.state >= stEndOfStream:
			p.err = io.EOF
		}
	}
	f := p.queue[0]
	p.queue = p.queue[1:]
	n := int64(f.h.blocksize)
	if p.left >= 0 {
		n = min(n, p.left)
		p.left -= n
	}
	out := p.out[:f.h.channels]
	for ch := range out {
		if f.silent {
			if int64(cap(p.silent[ch])) < n {
				p.silent[ch] = make([]int32, n)
			}
			out[ch] = p.silent[ch][:n]
			clear(out[ch])
			continue
		}
		p.d.materialize(uint32(ch))
		out[ch] = p.d.out[ch][:n]
		// libFLAC 1.4.2 makes the silence in the decoder's output
		// buffers, which already hold the frame decoded after the gap,
		// and then delivers that frame (read_frame_, stream_decoder.c
		// lines 2170–2178, then line 2239).
		clear(out[ch][:min(int64(p.zeroHead), n)])
	}
	return out, int(f.h.bps), nil
}

// Close gives the reader's buffers back; the reader is not used after.
func (p *PCMReader) Close() {
	if p.bufs == nil {
		return
	}
	d := &p.d
	p.bufs.window, p.bufs.out, p.bufs.side, p.bufs.points = d.br.buf, d.out, d.side, d.points
	bufferPool.Put(p.bufs)
	p.bufs = nil
	p.err = errors.New("flac: the PCM reader is closed")
}
