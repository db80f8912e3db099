package flac

import "fmt"

// Audio frames (FLAC format, "FRAME"): a sync code, a header protected by
// a CRC-8, one subframe per channel, zero padding to a byte and a CRC-16 of
// the whole frame. The functions here follow libFLAC 1.4.2's frame_sync_,
// read_frame_, read_frame_header_ and read_subframe_*: which errors they
// report, where they resume after one, and when they stop quietly because
// the input ended.

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

// allocate makes room for a frame's channels.
func (d *decoder) allocate(blocksize, channels uint32) {
	for ch := range min(channels, 8) {
		if uint32(cap(d.out[ch])) < blocksize {
			d.out[ch] = make([]int32, max(blocksize, 4096))
		}
		d.out[ch] = d.out[ch][:blocksize]
	}
}

// readSubframe is read_subframe_. It returns false when the input ends
// (state end of stream) or, leaving the state alone, when the subframe
// claims at least as many wasted bits as it has.
func (d *decoder) readSubframe(ch, bps uint32) bool {
	d.constant[ch] = false
	x, ok := d.br.readBits(8)
	if !ok {
		d.state = stEndOfStream
		return false
	}
	var wasted uint32
	if x&1 != 0 {
		u, ok := d.br.readUnary()
		if !ok {
			d.state = stEndOfStream
			return false
		}
		wasted = u + 1
		if wasted >= bps {
			return false
		}
		bps -= wasted
	}
	x &= 0xFE
	switch {
	case x&0x80 != 0:
		d.errorSeen(errLostSync, "bad subframe header in the frame", d.frameStart())
		d.state = stSearchSync
		return true
	case x == 0:
		if !d.readConstant(ch, bps) {
			return false
		}
	case x == 2:
		if !d.readVerbatim(ch, bps) {
			return false
		}
	case x < 16:
		d.errorSeen(errUnparseable, "reserved subframe type in the frame", d.frameStart())
		d.state = stSearchSync
		return true
	case x <= 24:
		order := (x >> 1) & 7
		if d.frame.blocksize <= order {
			d.errorSeen(errLostSync, "predictor order above the block size in the frame", d.frameStart())
			d.state = stSearchSync
			return true
		}
		if !d.readPredicted(ch, bps, order, false) {
			return false
		}
		if d.state == stSearchSync {
			return true
		}
	case x < 64:
		d.errorSeen(errUnparseable, "reserved subframe type in the frame", d.frameStart())
		d.state = stSearchSync
		return true
	default:
		order := (x>>1)&31 + 1
		if d.frame.blocksize <= order {
			d.errorSeen(errLostSync, "predictor order above the block size in the frame", d.frameStart())
			d.state = stSearchSync
			return true
		}
		if !d.readPredicted(ch, bps, order, true) {
			return false
		}
		if d.state == stSearchSync {
			return true
		}
	}
	if wasted != 0 && d.state == stReadFrame {
		switch {
		case bps+wasted < 33 && d.constant[ch]:
			d.constValue[ch] = int32(uint32(d.constValue[ch]) << wasted)
		case bps+wasted < 33:
			out := d.out[ch]
			for i, v := range out {
				out[i] = int32(uint32(v) << wasted)
			}
		default:
			d.materialize(ch)
			d.sideInUse = true
			d.sideBuffer()
			for i, v := range d.out[ch] {
				d.side[i] = int64(uint64(int64(v)) << wasted)
			}
		}
	}
	return true
}

func (d *decoder) sideBuffer() []int64 {
	n := int(d.frame.blocksize)
	if cap(d.side) < n {
		d.side = make([]int64, max(n, 4096))
	}
	d.side = d.side[:n]
	return d.side
}

func (d *decoder) readConstant(ch, bps uint32) bool {
	v, ok := d.br.readSigned(uint(bps))
	if !ok {
		d.state = stEndOfStream
		return false
	}
	if bps <= 32 {
		// Kept as one value: a constant subframe is three bytes that can
		// stand for 65535 samples.
		d.constant[ch], d.constValue[ch] = true, int32(v)
	} else {
		d.sideInUse = true
		side := d.sideBuffer()
		for i := range side {
			side[i] = v
		}
	}
	return true
}

func (d *decoder) readVerbatim(ch, bps uint32) bool {
	if bps < 33 {
		out := d.out[ch]
		for i := range out {
			v, ok := d.br.readSigned(uint(bps))
			if !ok {
				d.state = stEndOfStream
				return false
			}
			out[i] = int32(v)
		}
		return true
	}
	d.sideInUse = true
	side := d.sideBuffer()
	for i := range side {
		v, ok := d.br.readSigned(uint(bps))
		if !ok {
			d.state = stEndOfStream
			return false
		}
		side[i] = v
	}
	return true
}

// readPredicted reads a FIXED (lpc false) or LPC subframe of the given
// order and restores its samples.
func (d *decoder) readPredicted(ch, bps, order uint32, lpc bool) bool {
	warm := d.warmup[:order]
	for i := range warm {
		v, ok := d.br.readSigned(uint(bps))
		if !ok {
			d.state = stEndOfStream
			return false
		}
		warm[i] = v
	}
	var precision uint32
	var shift int32
	if lpc {
		p, ok := d.br.readBits(4)
		if !ok {
			d.state = stEndOfStream
			return false
		}
		if p == 15 {
			d.errorSeen(errLostSync, "invalid LPC precision in the frame", d.frameStart())
			d.state = stSearchSync
			return true
		}
		precision = p + 1
		s, ok := d.br.readSigned(5)
		if !ok {
			d.state = stEndOfStream
			return false
		}
		if s < 0 {
			d.errorSeen(errLostSync, "negative LPC shift in the frame", d.frameStart())
			d.state = stSearchSync
			return true
		}
		shift = int32(s)
		for i := range order {
			c, ok := d.br.readSigned(uint(precision))
			if !ok {
				d.state = stEndOfStream
				return false
			}
			d.coef[i] = int32(c)
		}
	}
	method, ok := d.br.readBits(2)
	if !ok {
		d.state = stEndOfStream
		return false
	}
	if method > 1 {
		d.errorSeen(errUnparseable, "reserved residual coding in the frame", d.frameStart())
		d.state = stSearchSync
		return true
	}
	partitionOrder, ok := d.br.readBits(4)
	if !ok {
		d.state = stEndOfStream
		return false
	}
	n := d.frame.blocksize
	if n>>partitionOrder < order || n%(1<<partitionOrder) != 0 {
		d.errorSeen(errLostSync, "partition order that does not fit the block in the frame", d.frameStart())
		d.state = stSearchSync
		return true
	}
	res := d.residualBuffer(ch, bps, order)
	if !d.readResidual(res, order, partitionOrder, method == 1) {
		return false
	}
	if d.state != stReadFrame {
		return true // the frame is lost anyway; its samples do not matter
	}
	if bps <= 32 {
		out := d.out[ch]
		for i, v := range warm {
			out[i] = int32(v)
		}
		if lpc {
			restoreLPC(out, d.coef[:order], shift, bps)
		} else {
			restoreFixed(out, order)
		}
		return true
	}
	d.sideInUse = true
	side := d.sideBuffer()
	copy(side, warm)
	for i, r := range res {
		side[int(order)+i] = int64(r)
	}
	if lpc {
		restoreLPC33(side, d.coef[:order], shift)
	} else {
		restoreFixed33(side, order)
	}
	return true
}

// residualBuffer is where a subframe's residuals go: in place in the
// channel's output after the warm-up samples (restored there), or in a
// scratch channel for a 33-bit side channel.
func (d *decoder) residualBuffer(ch, bps, order uint32) []int32 {
	if bps <= 32 {
		return d.out[ch][order:]
	}
	// out has 8 channels of room; a 33-bit subframe only occurs in a
	// stereo frame, so channel 7 is free scratch space.
	d.allocateScratch()
	return d.out[7][order:d.frame.blocksize]
}

func (d *decoder) allocateScratch() {
	n := d.frame.blocksize
	if uint32(cap(d.out[7])) < n {
		d.out[7] = make([]int32, max(n, 4096))
	}
	d.out[7] = d.out[7][:n]
}

// readResidual is read_residual_partitioned_rice_.
func (d *decoder) readResidual(res []int32, order, partitionOrder uint32, rice2 bool) bool {
	paramBits, escape := uint(4), uint32(15)
	if rice2 {
		paramBits, escape = 5, 31
	}
	partitions := uint32(1) << partitionOrder
	perPartition := d.frame.blocksize >> partitionOrder
	sample := uint32(0)
	for p := range partitions {
		param, ok := d.br.readBits(paramBits)
		if !ok {
			d.state = stEndOfStream
			return false
		}
		n := perPartition
		if p == 0 {
			n -= order
		}
		if param < escape {
			switch d.br.readRice(res[sample:sample+n], uint(param)) {
			case riceEOF:
				d.state = stEndOfStream
				return false
			case riceInvalid:
				if d.state != stReadFrame {
					return false
				}
				d.errorSeen(errLostSync, "invalid Rice code in the frame", d.frameStart())
				d.state = stSearchSync
				return true
			}
			sample += n
			continue
		}
		width, ok := d.br.readBits(5)
		if !ok {
			d.state = stEndOfStream
			return false
		}
		part := res[sample : sample+n]
		if width == 0 {
			clear(part)
		} else {
			for i := range part {
				v, ok := d.br.readSigned(uint(width))
				if !ok {
					d.state = stEndOfStream
					return false
				}
				part[i] = int32(v)
			}
		}
		sample += n
	}
	return true
}

// undoChannelCoding turns left/side, right/side and mid/side pairs back
// into left and right (undo_channel_coding).
func (d *decoder) undoChannelCoding() {
	h := &d.frame
	if h.assignment == independent {
		return
	}
	if d.constant[0] && d.constant[1] && !d.sideInUse {
		l, r := d.out[0][:1], d.out[1][:1]
		l[0], r[0] = d.constValue[0], d.constValue[1]
		undoPair(h.assignment, l, r)
		d.constValue[0], d.constValue[1] = l[0], r[0]
		return
	}
	d.materialize(0)
	d.materialize(1)
	l, r := d.out[0], d.out[1]
	if !d.sideInUse {
		undoPair(h.assignment, l, r)
		return
	}
	// A 33-bit side channel (32-bit stereo) is in d.side.
	switch h.assignment {
	case leftSide:
		for i := range l {
			r[i] = int32(int64(l[i]) - d.side[i])
		}
	case rightSide:
		for i := range l {
			l[i] = int32(int64(r[i]) + d.side[i])
		}
	case midSide:
		for i := range l {
			mid := int64(uint64(int64(l[i])) << 1)
			mid |= d.side[i] & 1
			l[i] = int32((mid + d.side[i]) >> 1)
			r[i] = int32((mid - d.side[i]) >> 1)
		}
	}
}

// undoPair undoes the channel coding of 32-bit subframes.
func undoPair(assignment int, l, r []int32) {
	switch assignment {
	case leftSide:
		for i := range l {
			r[i] = l[i] - r[i]
		}
	case rightSide:
		for i := range l {
			l[i] += r[i]
		}
	case midSide:
		for i := range l {
			mid, side := int32(uint32(l[i])<<1), r[i]
			mid |= side & 1
			l[i] = (mid + side) >> 1
			r[i] = (mid - side) >> 1
		}
	}
}

// materialize writes out a channel kept as a constant.
func (d *decoder) materialize(ch uint32) {
	if !d.constant[ch] {
		return
	}
	out, v := d.out[ch], d.constValue[ch]
	for i := range out {
		out[i] = v
	}
	d.constant[ch] = false
}

// checkFit rejects a frame whose samples do not fit its bit depth, as
// libFLAC 1.4 does after the CRC: a frame crafted with a right CRC but
// overflowing predictions is a "CRC mismatch" too.
func (d *decoder) checkFit() {
	h := &d.frame
	shift := 32 - h.bps
	lo, hi := int32(-1<<31)>>shift, int32(1<<31-1)>>shift
	for ch := range h.channels {
		samples := d.out[ch][:h.blocksize]
		if d.constant[ch] {
			samples = d.constValue[ch : ch+1]
		}
		for _, v := range samples {
			if v < lo || v > hi {
				d.errorSeen(errFrameCRCMismatch, fmt.Sprintf("decoded samples exceeding %d bits in the frame", h.bps), d.frameStart())
				d.state = stSearchSync
				break
			}
		}
	}
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

// frameCacheSize is how many good frames are remembered. The seek after
// every block of the read lands a frame or two before the position just
// read, on frames decoded a moment ago.
const frameCacheSize = 256

// decodedFrame is the outcome of decoding a good frame: what its header
// said, where it ended.
type decodedFrame struct {
	start     int64 // offset of the sync code; 0 for an empty entry
	context   frameContext
	header    frameHeader
	nextFixed uint32
	end       int64
}

// frameContext is the decoder state a frame header is read against.
type frameContext struct {
	streamInfo     uint32 // generation of the STREAMINFO values
	fixedBlockSize uint32
	hasStreamInfo  bool
}

func (d *decoder) context() frameContext {
	return frameContext{d.streamInfoGen, d.fixedBlockSize, d.hasStreamInfo}
}

// cachedFrame returns the remembered outcome for the frame whose sync code
// was just read, if any.
func (d *decoder) cachedFrame() *decodedFrame {
	if d.frames == nil || d.br.bitPos() != d.afterSync*8 {
		return nil
	}
	start := d.afterSync - 2
	e := &d.frames[uint64(start)%frameCacheSize]
	if e.start != start || start == 0 || e.context != d.context() {
		return nil
	}
	return e
}

// storeFrame remembers a good frame; the context is the one its header was
// read against.
func (d *decoder) storeFrame() {
	if d.frames == nil {
		return
	}
	start := d.afterSync - 2
	d.frames[uint64(start)%frameCacheSize] = decodedFrame{
		start: start, context: d.context(), header: d.frame, nextFixed: d.nextFixedBlockSize, end: d.br.bytePos(),
	}
}
