package flac

// Audio frames (FLAC format, "FRAME"): a sync code, a header protected by
// a CRC-8, one subframe per channel, zero padding to a byte and a CRC-16 of
// the whole frame. The functions here follow libFLAC 1.4.2's frame_sync_,
// read_frame_ and read_frame_header_ (subframes are in subframe.go): which
// errors they report, where they resume after one, and when they stop
// quietly because the input ended.

// frameSync is frame_sync_: it looks for the next sync code. While reading
// (not seeking) a byte that does not start one is "lost sync", an error
// that decides the outcome, so nothing past it needs scanning.
func (d *decoder) frameSync() bool {
	if !d.br.aligned() {
		if _, ok := d.br.readBits(uint(d.br.nbits & 7)); !ok {
			d.state = stEndOfStream
			return false
		}
	}
	if d.seeking {
		if d.unparseable > 20 {
			// libFLAC's read callback aborts a seek that keeps landing
			// on unparseable frames (checked when it next fetches input).
			d.state = stAborted
			return false
		}
		x, ok := d.br.scanSync()
		if !ok {
			d.state = stEndOfStream
			return false
		}
		d.warm = [2]byte{0xFF, x}
		d.afterSync = d.br.bytePos()
		d.state = stReadFrame
		return true
	}
	first := true
	for {
		x, ok := d.br.readByte()
		if !ok {
			d.state = stEndOfStream
			return false
		}
		if x == 0xFF {
			y, ok := d.br.readByte()
			if !ok {
				d.state = stEndOfStream
				return false
			}
			if y == 0xFF {
				d.br.unreadByte(y)
			} else if y>>1 == 0x7C {
				d.warm = [2]byte{x, y}
				d.afterSync = d.br.bytePos()
				d.state = stReadFrame
				return true
			}
		}
		if first {
			d.errorSeen(errLostSync, "no frame sync code", d.br.bytePos()-1)
			first = false
			if d.halted() {
				d.state = stAborted
				return false
			}
		}
	}
}

// readFrame is read_frame_ with full decoding. ok is false where libFLAC's
// returns false (the input ended inside the header, or a subframe claims
// more wasted bits than it has); got tells that a frame was delivered.
func (d *decoder) readFrame() (ok, got bool) {
	if e := d.cachedFrame(); e != nil {
		// Decoded before with the same header context: the outcome is
		// the same, only what follows a good frame needs doing.
		d.frame, d.nextFixedBlockSize = e.header, e.nextFixed
		d.br.seek(e.end)
		return d.frameDecoded()
	}
	d.br.startCRC(d.warm[0], d.warm[1])
	if !d.readFrameHeader() {
		return false, false
	}
	if d.state == stSearchSync {
		return true, false
	}
	h := &d.frame
	h.off = d.frameStart()
	d.allocate(h.blocksize, h.channels)
	d.sideInUse = false
	for ch := uint32(0); ch < h.channels; ch++ {
		bps := h.bps
		switch h.assignment {
		case leftSide, midSide:
			if ch == 1 {
				bps++
			}
		case rightSide:
			if ch == 0 {
				bps++
			}
		}
		// An error leaves the state at "search for sync" but libFLAC
		// still reads the remaining subframes, which can end the input
		// or fail outright.
		if !d.readSubframe(ch, bps) {
			if d.state == stEndOfStream {
				break
			}
			return false, false
		}
	}
	if d.state != stEndOfStream && !d.br.aligned() {
		pad, ok := d.br.readBits(uint(d.br.nbits & 7))
		if !ok {
			d.state = stEndOfStream
			return false, false
		}
		if pad != 0 {
			d.errorSeen(errLostSync, "non-zero padding after the subframes of the frame", d.frameStart())
			d.state = stSearchSync
		}
	}
	if d.state == stReadFrame {
		crc := d.br.frameCRC()
		x, ok := d.br.readBits(16)
		if !ok {
			d.state = stEndOfStream
		} else if uint16(x) == crc {
			d.undoChannelCoding()
			d.checkFit()
		} else {
			d.errorSeen(errFrameCRCMismatch, "frame CRC-16 mismatch in the frame", d.frameStart())
			d.state = stSearchSync
		}
	}
	if d.state == stSearchSync || d.state == stEndOfStream {
		// Resume the search right after this frame's sync code.
		d.br.seek(d.afterSync)
		d.state = stSearchSync
		return true, false
	}
	d.storeFrame()
	return d.frameDecoded()
}

// frameDecoded finishes a good frame: the repair of missing frames before
// it, then its delivery.
func (d *decoder) frameDecoded() (ok, got bool) {
	h := &d.frame
	if d.lastFrameSet && !d.seeking {
		d.fillMissingFrames()
	}
	if d.nextFixedBlockSize != 0 {
		d.fixedBlockSize = d.nextFixedBlockSize
	}
	d.lastChannels, d.lastBps = h.channels, h.bps
	d.samplesDecoded = h.sample + uint64(h.blocksize)
	d.deliver(*h)
	d.state = stSearchSync
	return true, true
}

// readFrameHeader is read_frame_header_. It returns false when the input
// ends; a bad header reports its error and leaves the state at "search for
// sync".
func (d *decoder) readFrameHeader() bool {
	raw := d.raw[:0]
	raw = append(raw, d.warm[0], d.warm[1])
	for range 2 {
		x, ok := d.br.readByte()
		if !ok {
			d.state = stEndOfStream
			return false
		}
		if x == 0xFF {
			// A sync code cannot occur inside a header: the sync was
			// false. The byte is looked at again by the next search.
			d.br.unreadByte(x)
			return d.badHeader()
		}
		raw = append(raw, x)
	}
	h := &d.frame
	unparseable := false
	var blockHint, rateHint uint32
	switch x := uint32(raw[2] >> 4); {
	case x == 0:
		unparseable = true
	case x == 1:
		h.blocksize = 192
	case x <= 5:
		h.blocksize = 576 << (x - 2)
	case x <= 7:
		blockHint = x
	default:
		h.blocksize = 256 << (x - 8)
	}
	switch x := raw[2] & 0x0F; x {
	case 0:
		if d.hasStreamInfo {
			h.rate = d.si.rate
		} else {
			unparseable = true
		}
	case 12, 13, 14:
		rateHint = uint32(x)
	case 15:
		return d.badHeader()
	default:
		h.rate = [...]uint32{0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000}[x]
	}
	if x := uint32(raw[3] >> 4); x&8 != 0 {
		h.channels = 2
		switch x & 7 {
		case 0:
			h.assignment = leftSide
		case 1:
			h.assignment = rightSide
		case 2:
			h.assignment = midSide
		default:
			unparseable = true
		}
	} else {
		h.channels = x + 1
		h.assignment = independent
	}
	switch x := (raw[3] & 0x0E) >> 1; x {
	case 0:
		if d.hasStreamInfo {
			h.bps = d.si.bps
		} else {
			unparseable = true
		}
	case 3:
		unparseable = true
	default:
		h.bps = [...]uint32{0, 8, 12, 0, 16, 20, 24, 32}[x]
	}
	if raw[3]&1 != 0 {
		unparseable = true
	}

	// The frame or sample number, UTF-8 coded. Old variable-blocksize
	// streams (min ≠ max blocksize) use sample numbers without the flag.
	variable := raw[1]&1 != 0 || d.hasStreamInfo && d.si.minBlock != d.si.maxBlock
	num, valid, ok := d.readUTF8(&raw, variable)
	if !ok {
		d.state = stEndOfStream
		return false
	}
	if !valid {
		d.br.unreadByte(raw[len(raw)-1])
		return d.badHeader()
	}
	var frameNumber uint32
	if variable {
		h.sample = num
	} else {
		frameNumber = uint32(num)
	}

	if blockHint != 0 {
		x, ok := d.br.readByte()
		if !ok {
			d.state = stEndOfStream
			return false
		}
		raw = append(raw, x)
		v := uint32(x)
		if blockHint == 7 {
			y, ok := d.br.readByte()
			if !ok {
				d.state = stEndOfStream
				return false
			}
			raw = append(raw, y)
			v = v<<8 | uint32(y)
		}
		h.blocksize = v + 1
	}
	if rateHint != 0 {
		x, ok := d.br.readByte()
		if !ok {
			d.state = stEndOfStream
			return false
		}
		raw = append(raw, x)
		v := uint32(x)
		if rateHint != 12 {
			y, ok := d.br.readByte()
			if !ok {
				d.state = stEndOfStream
				return false
			}
			raw = append(raw, y)
			v = v<<8 | uint32(y)
		}
		switch rateHint {
		case 12:
			h.rate = v * 1000
		case 13:
			h.rate = v
		default:
			h.rate = v * 10
		}
	}
	crc, ok := d.br.readByte()
	if !ok {
		d.state = stEndOfStream
		return false
	}
	if crc8(raw) != crc {
		return d.badHeader()
	}

	d.nextFixedBlockSize = 0
	if !variable {
		switch {
		case d.fixedBlockSize != 0:
			h.sample = uint64(d.fixedBlockSize) * uint64(frameNumber)
		case d.hasStreamInfo:
			if d.si.minBlock == d.si.maxBlock {
				h.sample = uint64(d.si.minBlock) * uint64(frameNumber)
				d.nextFixedBlockSize = d.si.maxBlock
			} else {
				unparseable = true
			}
		case frameNumber == 0:
			h.sample = 0
			d.nextFixedBlockSize = h.blocksize
		default:
			h.sample = uint64(h.blocksize) * uint64(frameNumber)
		}
	}
	if unparseable {
		d.errorSeen(errUnparseable, "frame header with reserved values", d.frameStart())
		d.state = stSearchSync
	}
	return true
}

func (d *decoder) badHeader() bool {
	d.errorSeen(errBadHeader, "bad frame header", d.frameStart())
	d.state = stSearchSync
	return true
}

// readUTF8 is FLAC__bitreader_read_utf8_uint32/64, raw bytes appended to
// *raw. Like libFLAC it takes 0x80–0xBF for lead bytes of longer codes.
// valid is false for a code it rejects; ok is false when the input ended.
func (d *decoder) readUTF8(raw *[]byte, wide bool) (v uint64, valid, ok bool) {
	x, ok := d.br.readByte()
	if !ok {
		return 0, false, false
	}
	*raw = append(*raw, x)
	var n int
	switch {
	case x&0x80 == 0:
		return uint64(x), true, true
	case x&0xC0 != 0 && x&0x20 == 0:
		v, n = uint64(x&0x1F), 1
	case x&0xE0 != 0 && x&0x10 == 0:
		v, n = uint64(x&0x0F), 2
	case x&0xF0 != 0 && x&0x08 == 0:
		v, n = uint64(x&0x07), 3
	case x&0xF8 != 0 && x&0x04 == 0:
		v, n = uint64(x&0x03), 4
	case x&0xFC != 0 && x&0x02 == 0:
		v, n = uint64(x&0x01), 5
	case wide && x&0xFE != 0 && x&0x01 == 0:
		v, n = 0, 6
	default:
		return 0, false, true
	}
	for range n {
		y, ok := d.br.readByte()
		if !ok {
			return 0, false, false
		}
		*raw = append(*raw, y)
		if y&0x80 == 0 || y&0x40 != 0 {
			return 0, false, true
		}
		v = v<<6 | uint64(y&0x3F)
	}
	if !wide && v == 0xFFFFFFFF {
		return 0, false, true
	}
	return v, true, true
}

// fillMissingFrames is libFLAC's repair of a gap in the sample numbers
// before a good frame: up to 5 seconds or 50 frames of silence, delivered
// as frames like the previous one, when the two frames agree on rate,
// channels and depth.
func (d *decoder) fillMissingFrames() {
	last, h := d.lastFrame, &d.frame
	end := last.sample + uint64(last.blocksize)
	if end >= h.sample {
		return
	}
	need := uint32(h.sample - end)
	if last.rate != h.rate || last.channels != h.channels || last.bps != h.bps || last.blocksize < 16 {
		return
	}
	empty := last
	need = min(need, 5*empty.rate, 50*empty.blocksize)
	d.filling = true
	defer func() { d.filling = false }()
	for need > 0 {
		empty.sample += uint64(empty.blocksize)
		empty.blocksize = min(empty.blocksize, need)
		need -= empty.blocksize
		d.samplesDecoded = empty.sample + uint64(empty.blocksize)
		d.deliver(empty)
		if d.halted() {
			return
		}
	}
}

// deliver is write_audio_frame_to_client_: while seeking it hands over only
// the frame holding the target sample, from that sample on.
func (d *decoder) deliver(h frameHeader) {
	d.lastFrame, d.lastFrameSet = h, true
	if !d.seeking {
		d.snd.written(h)
		if d.sink != nil && d.snd.err == nil {
			d.sink(h, d.filling) // a frame libsndfile refuses is not copied out
		}
		return
	}
	next := h.sample + uint64(h.blocksize)
	if h.sample <= d.targetSample && d.targetSample < next {
		delta := uint32(d.targetSample - h.sample)
		d.seeking = false
		d.lastFrame.blocksize -= delta
		d.lastFrame.sample += uint64(delta)
		d.snd.written(d.lastFrame)
	}
}
