package mpeg

// The frame parser: how libmpg123 1.31 (src/libmpg123/parse.c, read_frame
// and its helpers) walks an MPEG audio stream as libsndfile 1.2.0 sets it up
// (src/mpeg_decode.c: a seekable stream read from its very first byte, with
// MPG123_GAPLESS and MPG123_NO_FRANKENSTEIN, default resync limit). Only the
// parsing is modelled — which bytes become frames, where the stream ends and
// whether it ends in an error; the decoding itself always yields a full
// frame of samples, broken or not, and needs no modelling.

// Outcomes of the parsing steps, as libmpg123 codes them internally.
type step int

const (
	stepFail   step = -1 // an error: reader failure or resync given up
	stepBad    step = 0  // not a usable header (or: the end, for readFrame)
	stepGood   step = 1
	stepResync step = 2 // a candidate header was found by resyncing
	stepAgain  step = 3 // start over with a fresh header read
	stepEnd    step = 10
)

const (
	junkLimit   = 65536 // bytes of junk searched before the first frame
	resyncLimit = 1024  // libmpg123's default MPG123_RESYNC_LIMIT
	gaplessLag  = 529   // decoder delay libmpg123 adds to the encoder delay
)

// StopReason says why the walk over a stream ended.
type StopReason int

const (
	StopNone         StopReason = iota // still walking
	StopEnd                            // no more data: the normal end
	StopTrackLength                    // the frame count of the Xing/Info header was reached
	StopFormatChange                   // a frame of another version, layer, rate or mono-ness
	StopTruncated                      // the last frame is cut off by the end of the input
	StopResyncFailed                   // no frame header within the resync limit: a read error
	StopReadFailed                     // a frame or tag cut off before libmpg123's idea of the end: a read error
)

func (r StopReason) String() string {
	switch r {
	case StopEnd:
		return "end of data"
	case StopTrackLength:
		return "frame count of the Xing/Info header reached"
	case StopFormatChange:
		return "stream properties change"
	case StopTruncated:
		return "last frame cut off"
	case StopResyncFailed:
		return "no frame header within 1024 bytes"
	case StopReadFailed:
		return "frame or tag cut off"
	}
	return "not stopped"
}

// isError reports whether libsndfile turns the stop into a read error.
func (r StopReason) isError() bool { return r == StopResyncFailed || r == StopReadFailed }

// parser is libmpg123's parsing state for one stream.
type parser struct {
	src *source
	// fileLen is libmpg123's idea of the stream length: the size, less 128
	// when the last 128 bytes are an ID3v1 tag.
	fileLen int64
	id3v1   bool

	hdr       frameHeader // the header decoded last
	firstHead uint32      // header of the first frame (the Xing frame counts)
	oldHead   uint32
	num       int64 // index of the last frame read; -1 before the first

	freeFormatBody int // body size learnt from the first free-format frame, -1 before
	audioStart     int64
	firstFrameAt   int64

	// track length and gapless trimming from a Xing/Info/LAME header
	xing          *Xing
	trackFrames   int64
	gaplessFrames int64
	beginSkip     int64 // samples cut at the start (encoder delay + 529)
	endAt         int64 // sample position where the trimmed track ends

	// the running mean frame size (libmpg123's mean_framesize)
	meanFrames int64
	meanSize   float64

	// output accounting, fixed by startGapless at the first audio frame
	spf        int64
	fullEnd    int64 // gapless frames times spf
	firstFrame int64 // first frame that delivers samples
	firstOff   int64 // samples cut from it
	lastFrame  int64 // last frame that delivers samples, -1 for none
	lastOff    int64 // samples it keeps
	samples    int64 // delivered so far

	stop    StopReason
	stopAt  int64 // where the stop was found; -1 for the position
	id3Tags int   // ID3v2 tags libmpg123 stepped over
	resyncs int   // times it had to search for a header in the stream

	body []byte // scratch for the first frame's body (Xing check)
}

func newParser(src *source) *parser {
	p := &parser{src: src, num: -1, freeFormatBody: -1, fileLen: src.size, stopAt: -1, lastFrame: -1}
	// libmpg123 looks at the last 128 bytes for an ID3v1 tag when it opens
	// a seekable stream; the tag is then left out of its length.
	if src.size >= 128 {
		var tag [3]byte
		if n, _ := src.r.ReadAt(tag[:], src.base+src.size-128); n == 3 && string(tag[:]) == "TAG" {
			p.fileLen -= 128
			p.id3v1 = true
		}
	}
	return p
}

// readFrame reads the next frame (libmpg123's read_frame): stepGood when
// one was read, stepBad at a clean end (with p.stop saying which), stepFail
// on an error.
func (p *parser) readFrame() step {
	if (p.trackFrames > 0 && p.num >= p.trackFrames-1) || (p.gaplessFrames > 0 && p.num >= p.gaplessFrames-1) {
		p.stop = StopTrackLength
		return stepBad
	}
	var head uint32
	junkCount := 0
	freeFormatTries := 0
	oldBody := p.hdr.bodySize
	bad := func(s step) step {
		p.hdr.bodySize = oldBody
		if s == stepEnd {
			s = stepBad
		}
		if s == stepBad && p.stop == StopNone {
			p.stop = StopEnd
		}
		return s
	}

again:
	for {
		h, ok := p.src.readHead()
		if !ok {
			return bad(stepBad)
		}
		head = h
	resync:
		for {
			if p.firstHead == 0 && !plausible(head) {
				s := p.skipJunk(&head, &junkCount)
				switch {
				case s < 0:
					return bad(s)
				case s == stepAgain:
					continue again
				case s == stepEnd:
					return bad(stepBad)
				}
			}
			s := stepBad
			if plausible(head) {
				s = p.decodeHeader(head, &freeFormatTries)
			}
			switch {
			case s < 0:
				return bad(s)
			case s == stepAgain:
				continue again
			case s == stepEnd:
				return bad(stepBad)
			}
			if s == stepBad {
				s = p.wetwork(&head)
				switch {
				case s < 0:
					return bad(s)
				case s == stepAgain:
					continue again
				case s == stepResync:
					continue resync
				case s == stepEnd:
					return bad(stepBad)
				}
				if s != stepGood {
					return bad(s)
				}
			}
			break
		}

		if p.firstHead == 0 {
			s := p.readAhead(head)
			switch {
			case s < 0:
				return bad(s)
			case s == stepAgain:
				continue again
			case s == stepEnd:
				return bad(stepBad)
			}
		}

		if p.firstHead != 0 && !compatible(p.firstHead, head) {
			p.stop = StopFormatChange
			p.stopAt = p.src.pos - 4
			return stepBad
		}

		framePos := p.src.pos - 4
		first := p.firstHead == 0 && p.num < 0
		if first && p.hdr.layer == 3 {
			// keep the body: it may be a Xing/Info header
			if cap(p.body) < maxFrameSize {
				p.body = make([]byte, maxFrameSize)
			}
			p.body = p.body[:p.hdr.bodySize]
			if p.src.read(p.body) < p.hdr.bodySize {
				p.stopAt = framePos
				return bad(stepFail)
			}
		} else if p.src.consume(int64(p.hdr.bodySize)) < int64(p.hdr.bodySize) {
			p.stopAt = framePos
			return bad(stepFail)
		}

		if p.firstHead == 0 {
			p.firstHead = head
			if p.num < 0 {
				p.audioStart = framePos
				if p.hdr.layer == 3 && p.checkXing(framePos) {
					p.oldHead = 0
					continue again
				}
			}
		}
		if p.num < 0 {
			p.firstFrameAt = framePos
		}
		p.meanFrames++
		p.meanSize = (float64(p.meanFrames-1)*p.meanSize + float64(p.hdr.bodySize+4)) / float64(p.meanFrames)
		p.num++
		p.oldHead = head
		return stepGood
	}
}

// skipJunk searches for the first frame (libmpg123's skip_junk): ID3v2 tags
// and a RIFF header are stepped over; other junk is searched through byte by
// byte, up to 64 KiB, for a header that decodes.
func (p *parser) skipJunk(head *uint32, junkCount *int) step {
	h := *head
	if h&0xffffff00 == 0x49443300 { // "ID3"
		return p.id3v2(h)
	}
	if h == 0x52494646 { // "RIFF": skip to just after "data" and its size
		var ok bool
		if h, ok = p.src.readHead(); !ok {
			return stepBad
		}
		for h != 0x64617461 { // "data"
			if !p.src.shiftHead(&h) {
				return stepBad
			}
		}
		if h, ok = p.src.readHead(); !ok {
			return stepBad
		}
		p.oldHead = 0
		*head = h
		return stepAgain
	}
	*head = 0
	s := stepBad
	tries := 0
	for {
		*junkCount++
		if *junkCount >= junkLimit {
			break
		}
		if !p.src.shiftHead(&h) {
			return stepBad
		}
		if plausible(h) {
			if s = p.decodeHeader(h, &tries); s != stepBad {
				break
			}
		}
	}
	if s < 0 {
		return s
	}
	if *junkCount >= junkLimit {
		p.stop = StopResyncFailed
		p.stopAt = p.src.pos
		return stepFail
	}
	*head = h
	return stepGood
}

// wetwork handles a header that does not decode inside the stream
// (libmpg123's wetwork): an ID3v1, ID3v2 or APE tag is stepped over;
// anything else is resynced over, byte by byte, giving up after 1024 bytes.
func (p *parser) wetwork(head *uint32) step {
	h := *head
	*head = 0
	switch {
	case h&0xffffff00 == 0x54414700: // "TAG": an ID3v1 tag, 124 more bytes
		p.src.consume(124)
		return stepAgain
	case h&0xffffff00 == 0x49443300: // "ID3"
		return p.id3v2(h)
	case h == 0x41504554: // "APET"
		return p.apeTag()
	}
	p.resyncs++
	at := p.src.pos - 4
	try := 0
	for {
		try++
		if try >= resyncLimit {
			break
		}
		if !p.src.shiftHead(&h) {
			*head = h
			return stepEnd
		}
		if plausible(h) {
			break
		}
	}
	*head = h
	if try >= resyncLimit {
		p.stop = StopResyncFailed
		p.stopAt = at
		return stepFail
	}
	p.oldHead = 0
	return stepResync
}

// id3v2 steps over an ID3v2 tag as libmpg123 does (parse_new_id3): the
// size must be synchsafe, a footer adds 10 bytes; a tag it parses is read
// in full, one it refuses to parse is seeked over.
func (p *parser) id3v2(h uint32) step {
	p.oldHead = 0
	major := h & 0xff
	if major == 0xff {
		return stepAgain
	}
	var b [6]byte
	if p.src.read(b[:]) < 6 {
		return stepFail
	}
	if b[0] == 0xff {
		return stepAgain
	}
	flags := b[1]
	length, ok := synchsafe(b[2:6])
	if !ok {
		return stepAgain
	}
	size := length
	if flags&0x10 != 0 { // footer
		size += 10
	}
	p.id3Tags++
	refused := flags&0x0f != 0 || major > 4 || major < 2 || (major == 2 && flags&0x40 != 0) || length < 10
	if refused {
		p.src.seek(int64(size))
		return stepAgain
	}
	if p.src.consume(int64(size)) < int64(size) {
		return stepFail
	}
	return stepAgain
}

// apeTag steps over an APEv2 tag (libmpg123's handle_apetag), or, when the
// 32 bytes do not make one, goes back to just after the "A".
func (p *parser) apeTag() step {
	var b [28]byte
	n := p.src.read(b[:])
	back := int64(3 + n)
	if n == 28 && string(b[:4]) == "AGEX" &&
		uint32(b[4])|uint32(b[5])<<8|uint32(b[6])<<16|uint32(b[7])<<24 == 2000 &&
		allZero(b[20:28]) {
		size := uint32(b[8]) | uint32(b[9])<<8 | uint32(b[10])<<16 | uint32(b[11])<<24
		p.src.seek(int64(size))
		return stepAgain
	}
	p.src.seek(-back)
	return stepAgain
}

// readAhead checks, before the first frame is taken, that a compatible
// header follows it (libmpg123's do_readahead). When none does, parsing
// starts again one byte after the candidate.
func (p *parser) readAhead(head uint32) step {
	start := p.src.pos
	p.src.seek(int64(p.hdr.bodySize))
	next, ok := p.src.readHead()
	p.src.seek(start - p.src.pos)
	if !ok {
		return stepEnd
	}
	if !plausible(next) || !compatible(head, next) {
		p.oldHead = 0
		if !p.src.seek(-3) {
			return stepFail
		}
		return stepAgain
	}
	return stepGood
}

// decodeHeader decodes a plausible header into p.hdr (libmpg123's
// decode_header), finding the size of a free-format frame by searching for
// the next header.
func (p *parser) decodeHeader(h uint32, freeFormatTries *int) step {
	p.hdr.parseFields(h)
	if p.hdr.freeFormat {
		if p.freeFormatBody < 0 {
			*freeFormatTries++
			if *freeFormatTries > 5 {
				return stepBad
			}
			s := p.guessFreeFormat(h)
			if s != stepGood {
				return s
			}
			p.freeFormatBody = p.hdr.bodySize - p.hdr.padding
		} else {
			p.hdr.bodySize = p.freeFormatBody + p.hdr.padding
		}
	}
	p.hdr.setLayerConstants()
	if !p.hdr.freeFormat {
		p.hdr.sizeFromBitrate()
	}
	if p.hdr.layer == 3 && p.hdr.bodySize < p.hdr.sideInfo {
		return stepBad
	}
	if p.hdr.bodySize > maxFrameSize {
		return stepBad
	}
	return stepGood
}

// guessFreeFormat finds the body size of a free-format frame: the distance
// to the next header with the same version, layer, bitrate, rate and
// channel mode (libmpg123's guess_freeformat_framesize).
func (p *parser) guessFreeFormat(old uint32) step {
	h, ok := p.src.readHead()
	if !ok {
		return stepBad
	}
	i := 4
	for ; i < maxFrameSize+4; i++ {
		if !p.src.shiftHead(&h) {
			return stepBad
		}
		if h&sameMask == old&sameMask {
			p.src.seek(-int64(i + 1))
			p.hdr.bodySize = i - 3
			return stepGood
		}
	}
	p.src.seek(-int64(i))
	return stepBad
}

func synchsafe(b []byte) (int, bool) {
	if (b[0]|b[1]|b[2]|b[3])&0x80 != 0 {
		return 0, false
	}
	return int(b[0])<<21 | int(b[1])<<14 | int(b[2])<<7 | int(b[3]), true
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
