package flac

import "fmt"

// Subframes (FLAC format, "SUBFRAME"): one per channel, CONSTANT, VERBATIM,
// FIXED or LPC, with wasted bits and Rice-coded residuals; then the undoing
// of stereo decorrelation and libFLAC 1.4's check that every decoded sample
// fits the frame's bit depth (read_subframe_*, read_residual_partitioned_rice_,
// undo_channel_coding in src/libFLAC/stream_decoder.c).

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
	d.fit[ch] = fitScan
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
			var acc int32
			for i, v := range out {
				v = int32(uint32(v) << wasted)
				out[i] = v
				acc |= fitBits(v)
			}
			d.fit[ch], d.fitAcc[ch] = fitKnown, acc
		default:
			d.fit[ch] = fitScan
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
		var acc int32
		for i := range out {
			v, ok := d.br.readSigned(uint(bps))
			if !ok {
				d.state = stEndOfStream
				return false
			}
			out[i] = int32(v)
			acc |= fitBits(int32(v))
		}
		d.fit[ch], d.fitAcc[ch] = fitKnown, acc
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
	pred := &d.pred
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
		precision := p + 1
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
		pred.order, pred.shift = int(order), uint(s)
		pred.coef = [32]int32{}
		for i := range order {
			c, ok := d.br.readSigned(uint(precision))
			if !ok {
				d.state = stEndOfStream
				return false
			}
			pred.coef[i] = int32(c)
		}
	} else {
		pred.setFixed(order)
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
	coef := pred.coef[:order]
	if bps <= 32 && (!lpc || lpcFits32(bps, coef, int32(pred.shift))) &&
		(order <= 8 || pairsFor(&d.pairs, pred, bps) != nil) {
		// The common case: residuals read and samples restored in one
		// pass, in 32-bit arithmetic as libFLAC restores them (FIXED
		// always, whatever the depth: its 64-bit restoring wraps to the
		// same 32 bits).
		out := d.out[ch]
		for i, v := range warm {
			out[i] = int32(v)
		}
		return d.readResidualRestoring(ch, bps, out, partitionOrder, method == 1)
	}
	res := d.residualBuffer(ch, bps, order)
	if !d.readResidual(res, order, partitionOrder, method == 1) {
		return false
	}
	if d.state != stReadFrame {
		return true // the frame is lost anyway; its samples do not matter
	}
	if bps <= 32 {
		// LPC whose sums need 64 bits, or of an order the one-pass
		// kernels do not take.
		out := d.out[ch]
		for i, v := range warm {
			out[i] = int32(v)
		}
		restoreLPC(out, coef, int32(pred.shift), bps)
		d.fit[ch] = fitScan
		return true
	}
	d.sideInUse = true
	side := d.sideBuffer()
	copy(side, warm)
	for i, r := range res {
		side[int(order)+i] = int64(r)
	}
	if lpc {
		restoreLPC33(side, coef, int32(pred.shift))
	} else {
		restoreFixed(side, order)
	}
	return true
}

// readResidualRestoring is read_residual_partitioned_rice_ with the
// restoring of each sample as its residual is read (residual.go), into out,
// whose warm-up samples are in place. It records the fit bits of the
// channel's samples.
func (d *decoder) readResidualRestoring(ch, bps uint32, out []int32, partitionOrder uint32, rice2 bool) bool {
	paramBits, escape := uint(4), uint32(15)
	if rice2 {
		paramBits, escape = 5, 31
	}
	pred := &d.pred
	var acc int32
	for _, v := range out[:pred.order] {
		acc |= fitBits(v)
	}
	pp := pairsFor(&d.pairs, pred, bps)
	perPartition := int(d.frame.blocksize >> partitionOrder)
	from := pred.order
	for p := range 1 << partitionOrder {
		to := (p + 1) * perPartition
		param, ok := d.br.readBits(paramBits)
		if !ok {
			d.state = stEndOfStream
			return false
		}
		if param < escape {
			a, status := d.readRestoring(out, from, to, uint(param), pred, pp, acc)
			acc = a
			switch status {
			case restoredEOF:
				d.state = stEndOfStream
				return false
			case restoredInvalid:
				if d.state != stReadFrame {
					return false
				}
				d.errorSeen(errLostSync, "invalid Rice code in the frame", d.frameStart())
				d.state = stSearchSync
				return true
			}
			from = to
			continue
		}
		width, ok := d.br.readBits(5)
		if !ok {
			d.state = stEndOfStream
			return false
		}
		part := out[from:to]
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
		acc |= pred.restoreRange(out, from, to)
		from = to
	}
	d.fit[ch], d.fitAcc[ch] = fitKnown, acc
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
// into left and right (undo_channel_coding), noting the fit bits of both.
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
		accL, accR := undoPair(h.assignment, l, r)
		d.fit[0], d.fitAcc[0] = fitKnown, accL
		d.fit[1], d.fitAcc[1] = fitKnown, accR
		return
	}
	// A 33-bit side channel (32-bit stereo) is in d.side.
	d.fit[0], d.fit[1] = fitScan, fitScan
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

// undoPair undoes the channel coding of 32-bit subframes and returns the
// fit bits of the left and right samples.
func undoPair(assignment int, l, r []int32) (accL, accR int32) {
	r = r[:len(l)]
	switch assignment {
	case leftSide:
		for i, v := range l {
			x := v - r[i]
			r[i] = x
			accL |= fitBits(v)
			accR |= fitBits(x)
		}
	case rightSide:
		for i, v := range r {
			x := l[i] + v
			l[i] = x
			accL |= fitBits(x)
			accR |= fitBits(v)
		}
	case midSide:
		for i, side := range r {
			mid := int32(uint32(l[i])<<1) | side&1
			x, y := (mid+side)>>1, (mid-side)>>1
			l[i], r[i] = x, y
			accL |= fitBits(x)
			accR |= fitBits(y)
		}
	}
	return accL, accR
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

// fitState tells how checkFit learns whether a channel's samples fit the
// frame's bit depth.
type fitState uint8

const (
	fitScan  fitState = iota // by looking at every sample
	fitKnown                 // from fitAcc, the OR of the samples' fitBits
)

// checkFit rejects a frame whose samples do not fit its bit depth, as
// libFLAC 1.4 does after the CRC (read_frame_, stream_decoder.c lines
// 2108–2125): a frame crafted with a right CRC but overflowing predictions
// is a "CRC mismatch" too. The samples were looked at as they were made;
// only the rare kinds of channel (a 33-bit side channel) are scanned here.
func (d *decoder) checkFit() {
	h := &d.frame
	shift := 32 - h.bps
	lo, hi := int32(-1<<31)>>shift, int32(1<<31-1)>>shift
	for ch := range h.channels {
		var fits bool
		switch {
		case d.constant[ch]:
			v := d.constValue[ch]
			fits = lo <= v && v <= hi
		case d.fit[ch] == fitKnown:
			fits = d.fitAcc[ch]>>(h.bps-1) == 0
		default:
			fits = true
			for _, v := range d.out[ch][:h.blocksize] {
				if v < lo || v > hi {
					fits = false
					break
				}
			}
		}
		if !fits {
			d.errorSeen(errFrameCRCMismatch, fmt.Sprintf("decoded samples exceeding %d bits in the frame", h.bps), d.frameStart())
			d.state = stSearchSync
		}
	}
}
