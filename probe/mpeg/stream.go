package mpeg

import (
	"fmt"
	"io"
	"sync"

	"github.com/audiopreflight/audiopreflight/internal/prefault"
	"github.com/audiopreflight/audiopreflight/probe"
)

// Stream is what libsndfile 1.2.0's MPEG decoder — libmpg123 1.31 driven
// by src/mpeg_decode.c — finds in a byte range: the format it reports when
// it opens, and, after Walk, where the frames end and why.
//
// libsndfile hands libmpg123 the whole input from its first byte, also for
// an MP3 behind ID3v2 tags and for MPEG audio inside a WAV file (libmpg123
// steps over the tags itself, and over a RIFF header up to the "data" chunk
// id). Open and ScanFrames take that range.
type Stream struct {
	Version    Version
	Layer      int // 1, 2 or 3
	SampleRate int
	Channels   int
	Bitrate    int // kbit/s of the first frame; 0 for free format

	// Frames is sf_info.frames: libmpg123's length at open. With a Xing or
	// Info frame count it is exact (less the gapless trimming); without, it
	// is an estimate from the input size and the first frame's size.
	// LengthUnknown stands for SF_COUNT_MAX (a negative length).
	Frames        int64
	LengthUnknown bool
	Estimated     bool // Frames is the size-based estimate

	FirstFrame int64 // offset of the first audio frame
	Xing       *Xing // the Xing/Info frame, if any
	ID3v1      bool  // the last 128 bytes are an ID3v1 tag
	ID3v2Tags  int   // ID3v2 tags libmpg123 stepped over while opening

	// Filled by Walk (and ScanFrames):
	FrameCount int64      // MPEG audio frames decoded
	Samples    int64      // samples per channel the decoder delivers, after gapless trimming
	End        int64      // offset where parsing stopped
	Stop       StopReason // why it stopped
	Resyncs    int        // times the parser lost sync inside the stream

	p    *parser
	bufs *openBuffers // where p's buffers go back to (release)
}

// Open opens an MPEG audio stream the way libsndfile does: libmpg123 parses
// up to the first audio frame (and past the frames gapless decoding skips)
// and reports the format and length. It reads only what that takes. A nil
// Stream and a *probe.FormatError mean libsndfile does not open the input.
func Open(r io.ReaderAt, off, n int64) (*Stream, error) {
	src := newSource(r, off, n)
	p := newParser(src)
	s := &Stream{p: p}
	// The windows and the frame body come from buffers: a header probe of
	// a small MP3 allocated 11 KB for them, every byte a page faulted in.
	// A probe that is done with the parser gives them back (release);
	// others leave them to the collector.
	s.bufs = buffers.Get().(*openBuffers)
	src.old, src.win, p.body = s.bufs.old[:0], s.bufs.win[:0], s.bufs.body[:0]

	// The first frame gives the format.
	if st := p.getNextFrame(); st != frameRead {
		return nil, s.failed()
	}
	s.Version = p.hdr.version()
	s.Layer = p.hdr.layer
	s.SampleRate = p.hdr.rate()
	s.Channels = p.hdr.channels
	if !p.hdr.freeFormat {
		s.Bitrate = kbps[p.hdr.lsf][p.hdr.layer-1][p.hdr.bitrate]
	}
	p.spf = int64(p.hdr.spf)
	p.startGapless()
	p.samples += p.frameSamples(p.num)
	// Gapless decoding skips whole frames of encoder delay: libmpg123 reads
	// them before it reports anything.
	for p.num < p.firstFrame {
		if st := p.getNextFrame(); st != frameRead {
			return nil, s.failed()
		}
		p.samples += p.frameSamples(p.num)
	}

	s.Frames, s.LengthUnknown, s.Estimated = p.length()
	s.FirstFrame = p.firstFrameAt
	s.Xing = p.xing
	s.ID3v1 = p.id3v1
	s.ID3v2Tags = p.id3Tags
	s.sync()
	return s, nil
}

// failed is why the stream does not open; its buffers go back.
func (s *Stream) failed() error {
	err := s.p.openError()
	s.release()
	return err
}

// openBuffers are the buffers of a parser that opened a stream.
type openBuffers struct{ old, win, body []byte }

var buffers = sync.Pool{New: func() any { return prefault.New[openBuffers]() }}

// release gives the parser's buffers back for the next Open; Walk does
// nothing after it.
func (s *Stream) release() {
	p, b := s.p, s.bufs
	if p == nil || b == nil {
		return
	}
	s.p, s.bufs = nil, nil
	if p.src.chunk != openChunk {
		return // a walk's big windows are not kept
	}
	b.old, b.win, b.body = p.src.old[:0], p.src.win[:0], p.body[:0]
	buffers.Put(b)
}

// Walk parses the rest of the stream, as a full read does, and fills
// FrameCount, Samples, End and Stop. It reads the input through a fixed
// buffer and never decodes.
func (s *Stream) Walk() {
	p := s.p
	if p == nil || p.stop != StopNone {
		return
	}
	p.src.streaming()
	for p.getNextFrame() == frameRead {
		p.samples += p.frameSamples(p.num)
	}
	s.sync()
}

// ScanFrames opens the stream at r[off:off+n] and walks all of it.
func ScanFrames(r io.ReaderAt, off, n int64) (*Stream, error) {
	s, err := Open(r, off, n)
	if err != nil {
		return nil, err
	}
	s.Walk()
	return s, nil
}

func (s *Stream) sync() {
	p := s.p
	s.FrameCount = p.num + 1
	s.Samples = p.samples
	s.Stop = p.stop
	s.End = p.src.pos
	if p.stopAt >= 0 {
		s.End = p.stopAt
	}
	s.Resyncs = p.resyncs
}

// ReadResult is what the server's read loop finds when it reads the opened
// stream to the end: python-soundfile reads blocks of 65536 frames, never
// past sf_info.frames, and a block in which the decoder fails raises, so
// the frames of that block are not counted.
func (s *Stream) ReadResult() *probe.ReadResult {
	const block = 65536
	res := &probe.ReadResult{}
	avail := s.Samples
	if !s.Stop.isError() || avail >= s.Frames {
		res.FramesRead = min(avail, s.Frames)
		switch {
		case avail > s.Frames:
			// The read stops at the length libsndfile reports.
			res.FramesHeld = avail
			res.Warnings = append(res.Warnings, fmt.Sprintf(
				"the MPEG frames decode to %d samples per channel, more than the %d of the length libsndfile reports: the API stops there", avail, s.Frames))
		case avail < s.Frames && s.Stop == StopFormatChange:
			// What follows the change is audio the decoder never reaches;
			// the length libsndfile reports (even an estimate) counts it.
			res.FramesHeld = s.Frames
			res.Warnings = append(res.Warnings, fmt.Sprintf(
				"the MPEG stream changes its rate, channels or layer at 0x%x: the decoder stops there", s.End))
		case avail < s.Frames && !s.Estimated:
			res.Warnings = append(res.Warnings, fmt.Sprintf(
				"the MPEG frames end after %d samples per channel, before the %d the Xing/Info header counts: the file is cut short, or the header is wrong", avail, s.Frames))
		}
		if s.Resyncs > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("the decoder lost sync %d times and skipped data", s.Resyncs))
		}
		return res
	}
	res.FramesRead = avail / block * block
	res.ReadError = fmt.Sprintf("mpeg: %s at 0x%x", s.Stop, s.End)
	return res
}

// Results of one step of the decoder's frame loop.
type frameStep int

const (
	frameRead  frameStep = iota
	frameDone            // the end (libmpg123's MPG123_DONE)
	frameError           // a read error (MPG123_ERR)
)

// getNextFrame is one turn of libmpg123's get_next_frame: a parse error at
// libmpg123's idea of the end of the input is just the end.
func (p *parser) getNextFrame() frameStep {
	switch p.readFrame() {
	case stepGood:
		return frameRead
	case stepBad:
		return frameDone
	}
	if p.fileLen >= 0 && p.src.pos == p.fileLen {
		if p.stop == StopNone {
			p.stop = StopTruncated
		} else if p.stop == StopResyncFailed {
			p.stop = StopEnd
		}
		return frameDone
	}
	if p.stop == StopNone {
		p.stop = StopReadFailed
	}
	return frameError
}

func (p *parser) openError() error {
	msg := "no MPEG audio frame libmpg123 accepts"
	switch {
	case p.num >= 0:
		msg = "the stream ends within the frames gapless decoding skips"
	case p.stop == StopResyncFailed:
		msg = "no MPEG audio frame within 64 KiB"
	case p.firstHead != 0 && p.stop == StopEnd:
		msg = "only an info frame, no audio frame"
	}
	return &probe.FormatError{Format: probe.ContainerMP3, Off: p.src.pos, Msg: msg}
}

// startGapless fixes the trimming once the first audio frame is known
// (libmpg123's frame_gapless_realinit and frame_set_frameseek at frame 0).
func (p *parser) startGapless() {
	p.firstFrame, p.firstOff, p.lastFrame, p.lastOff = 0, 0, -1, 0
	if p.gaplessFrames > 0 {
		p.fullEnd = p.gaplessFrames * p.spf
		p.firstFrame = p.beginSkip / p.spf
		p.firstOff = p.beginSkip - p.firstFrame*p.spf
		if p.endAt > 0 {
			p.lastFrame = p.endAt / p.spf
			p.lastOff = p.endAt - p.lastFrame*p.spf
		}
	} else {
		p.beginSkip, p.endAt, p.fullEnd = 0, 0, 0
	}
}

// frameSamples is how many samples frame k delivers after gapless trimming
// (libmpg123's frame_buffercheck).
func (p *parser) frameSamples(k int64) int64 {
	if k < p.firstFrame {
		return 0 // decoded only to prime the decoder, or skipped
	}
	n := p.spf
	if p.lastFrame > -1 && k >= p.lastFrame {
		if k == p.lastFrame {
			n = min(n, p.lastOff)
		} else {
			n = 0
		}
	}
	if k == p.firstFrame && p.firstOff > 0 {
		if n > p.firstOff {
			n -= p.firstOff
		} else {
			n = 0
		}
	}
	return n
}

// length is libmpg123's mpg123_length as libsndfile takes it: the Xing
// frame count times the frame length, else the input size divided by the
// mean frame size so far, with the gapless trimming taken off; a negative
// result is an unknown length.
func (p *parser) length() (frames int64, unknown, estimated bool) {
	var n int64
	switch {
	case p.trackFrames > 0:
		n = p.trackFrames * p.spf
	case p.fileLen > 0:
		bpf := p.meanSize
		if bpf == 0 {
			bpf = float64(p.hdr.bodySize + 4)
		}
		n = int64(float64(p.fileLen) / bpf * float64(p.spf))
		estimated = true
	default:
		n = 0
	}
	// sample_adjust: from decoder samples to samples after trimming
	switch {
	case n > p.endAt && n < p.fullEnd:
		n = p.endAt - p.beginSkip
	case n > p.endAt:
		n -= p.fullEnd - p.endAt + p.beginSkip
	default:
		n -= p.beginSkip
	}
	if n < 0 {
		return 0, true, estimated
	}
	return n, false, estimated
}
