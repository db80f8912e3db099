package flac

import (
	"encoding/binary"
	"math/bits"
)

// Residuals read and samples restored in one pass (FLAC format,
// "RESIDUAL_CODING_METHOD_PARTITIONED_RICE"; libFLAC 1.4.2's
// read_residual_partitioned_rice_ followed by FLAC__fixed_restore_signal or
// FLAC__lpc_restore_signal).
//
// Why samples are restored at all: libFLAC rejects a frame whose CRC-16 is
// right when a decoded sample does not fit the frame's bit depth
// (src/libFLAC/stream_decoder.c, read_frame_, lines 2108–2125 in 1.4.2:
// after undo_channel_coding, every output sample is compared with
// INT32_MIN>>(32-bps) and INT32_MAX>>(32-bps), and a sample outside sends
// FRAME_CRC_MISMATCH). That is the only place where libFLAC's verdict on a
// frame depends on sample values: the MD5 signature is compared only by
// FLAC__stream_decoder_finish (line 642), whose answer libsndfile's
// flac_close does not look at, and libFLAC stops computing it at the first seek (line 1138),
// which python-soundfile makes after the first block. So the samples of
// every FIXED and LPC subframe of a frame whose CRC matches must be known —
// which, in a stream the server accepts, is every frame. CONSTANT and
// VERBATIM subframes need no restoring: their samples are read whole, and
// they fit the depth they are read with.
//
// The decoding of a residual and the restoring of its sample form two
// chains of dependent instructions (the bit position; the predictor's
// history) that run side by side when they share one loop, which is why
// they are not two passes. A frame whose CRC then fails was restored for
// nothing, but such a frame ends the read anyway.

// predictor is a subframe's prediction in 32-bit two's complement
// arithmetic. A FIXED predictor of order k is the LPC predictor with the
// coefficients (1), (2, −1), (3, −3, 1) or (4, −6, 4, −1) and shift 0:
// libFLAC's 32-bit and 64-bit FIXED restorations wrap to the same 32 bits,
// so one kernel does both kinds.
type predictor struct {
	order int
	shift uint
	coef  [32]int32 // coef[k] weighs the sample k+1 places back
}

var fixedCoefs = [5][4]int32{{}, {1}, {2, -1}, {3, -3, 1}, {4, -6, 4, -1}}

func (p *predictor) setFixed(order uint32) {
	p.order, p.shift = int(order), 0
	p.coef = [32]int32{}
	copy(p.coef[:], fixedCoefs[order][:order])
}

// restoreRange restores data[from:to] in place, data[:from] holding the
// samples before, and returns the fit bits of the restored samples (see
// fitBits).
func (p *predictor) restoreRange(data []int32, from, to int) int32 {
	var acc int32
	c := p.coef[:p.order]
	for i := from; i < to; i++ {
		h := data[i-len(c) : i]
		var sum int32
		for k, v := range c {
			sum += v * h[len(h)-1-k]
		}
		x := data[i] + sum>>(p.shift&31)
		data[i] = x
		acc |= fitBits(x)
	}
	return acc
}

// fitBits folds a sample into an OR of magnitudes: a set of samples fits
// b-bit two's complement exactly when the OR of their fitBits, shifted
// right by b−1, is zero.
func fitBits(x int32) int32 { return x ^ x>>31 }

// riceRestoreStatus is how decoding a partition ended.
type riceRestoreStatus int

const (
	restoredOK      riceRestoreStatus = iota
	restoredEOF                       // the input ended
	restoredInvalid                   // a quotient too large for a 32-bit residual
)

// readRestoring reads the Rice codes with parameter param of data[from:to]
// and restores the samples with p, for a predictor whose sums fit 32 bits,
// of order ≤ 8, or ≤ 12 when pp serves it. acc holds the fit bits of the
// subframe's samples so far; it returns them with those of the restored
// samples.
//
// Codes of at most 32 bits, away from the end of the window, go through
// the kernels; the rest, one at a time, through the general bit reader.
func (d *decoder) readRestoring(data []int32, from, to int, param uint, p *predictor, pp *pairPredictor, acc int32) (int32, riceRestoreStatus) {
	b := &d.br
	limit := uint32(0xFFFFFFFF) >> param
	var c8 [8]int32
	copy(c8[:], p.coef[:8])
	i := from
	for i < to {
		if pp != nil && i >= pp.taps && acc <= pp.maxMag && to-i >= 2 {
			cur := riceCursor{b.cache, b.nbits, b.next}
			var a int32
			var pending bool
			i, a, pending = riceLPCPairs(data[:to], i, b.buf[:b.end], &cur, param, pp)
			b.cache, b.nbits, b.next = cur.cache, cur.nbits, cur.next
			acc |= a
			if pending {
				acc |= p.restoreRange(data, i, i+1)
				i++
			}
		}
		if i >= 8 && i < to && p.order <= 8 {
			cur := riceCursor{b.cache, b.nbits, b.next}
			var a int32
			i, a = riceLPC8(data[:to], i, b.buf[:b.end], &cur, param, &c8, p.shift)
			b.cache, b.nbits, b.next = cur.cache, cur.nbits, cur.next
			acc |= a
		}
		if i == to {
			break
		}
		// The general path, for one code.
		q, ok := b.readUnary()
		if !ok {
			return acc, restoredEOF
		}
		if q > limit {
			return acc, restoredInvalid
		}
		lsb, ok := b.readBits(param)
		if !ok {
			return acc, restoredEOF
		}
		v := q<<param | lsb
		data[i] = int32(v>>1) ^ -int32(v&1)
		acc |= p.restoreRange(data, i, i+1)
		i++
	}
	return acc, restoredOK
}

// pairPredictor is an order-8 predictor laid out for the kernel that
// restores two samples a turn (riceLPCPairs). For the samples i and i+1,
// the sums are P_i = Σ c_j·x_(i−1−j) and P_(i+1) = c_0·x_i + Q with
// Q = Σ c_(j+1)·x_(i−1−j) (j from 0 to 11, c_12 = 0). With
// d_j = c_j + 2^32·c_(j+1), W = Σ d_j·x_(i−1−j) = P_i + 2^32·Q: eight 64-bit
// multiplies (twelve for orders above 8) give both sums. When every sample
// of the history fits the
// subframe's depth b and b + silog2(Σ|c_j|) ≤ 32 (libFLAC's own condition
// for 32-bit sums), |P_i| and |Q| stay below 2^30, so that W's low half is
// P_i and (W + 2^31) >> 32 is Q, exactly; the kernel stops after a sample
// outside the depth, and the subframe goes on one sample a turn.
type pairPredictor struct {
	d      [12]int64
	c0     int32
	shift  uint32
	maxMag int32 // the largest fitBits of a sample of the subframe's depth
	taps   int   // 8 or 12: the history the kernel reads
}

// pairsFor prepares pp for p and a subframe of depth bps, or returns nil
// when the pair kernel cannot serve it.
func pairsFor(pp *pairPredictor, p *predictor, bps uint32) *pairPredictor {
	if !hasPairKernel() || p.order > 12 || bps > 30 {
		return nil
	}
	var sum int64
	for _, c := range p.coef[:12] {
		sum += max(int64(c), -int64(c))
	}
	if bps+silog2(max(sum, 1)) > 32 {
		return nil
	}
	for j := range 12 {
		next := int64(0)
		if j < 11 {
			next = int64(p.coef[j+1])
		}
		pp.d[j] = int64(p.coef[j]) + next<<32
	}
	pp.c0, pp.shift, pp.maxMag = p.coef[0], uint32(p.shift&31), int32(1)<<(bps-1)-1
	pp.taps = 8
	if p.order > 8 {
		pp.taps = 12
	}
	return pp
}

// riceCursor is the bit reader's state as the kernels take it: the cache,
// its count of bits and the index in the window of the next byte.
type riceCursor struct {
	cache uint64
	nbits uint
	next  int
}

// riceLPC8Go decodes Rice codes with parameter p into data[i:], restoring
// each sample with the order-8 predictor c and shift (a lower order has
// zero coefficients after its own), from 8 ≤ i on. It stops before a code
// longer than 32 bits or within eight bytes of the end of buf, and returns
// where it stopped and the fit bits of the samples it restored; cur
// follows the bits read. riceLPC8 is this function, or an assembly
// translation of it.
//
// The cache is refilled by one unaligned 64-bit load when fewer than 32
// bits remain; the quotient of a code of at most 32 bits is the count of
// leading zeros of the cache's upper half (bits.Len32 needs no test for
// zero on amd64 before v3); the stop bit and the p bits after it come out
// together, the stop bit's weight cancelling against the quotient's. Such
// a quotient (≤ 31−p) is always within libFLAC's limit of 0xFFFFFFFF>>p.
func riceLPC8Go(data []int32, i int, buf []byte, cur *riceCursor, p uint, c *[8]int32, shift uint) (end int, acc int32) {
	cache, nbits, next := cur.cache, cur.nbits, cur.next
	prev := data[i-1]
	for ; i < len(data); i++ {
		if nbits < 32 {
			if next > len(buf)-8 {
				break
			}
			cache |= binary.BigEndian.Uint64(buf[next:]) >> (nbits & 63)
			next += int((63 - nbits) >> 3)
			nbits |= 56
		}
		l := uint(bits.Len32(uint32(cache >> 32)))
		if l <= p {
			break
		}
		n := 33 + p - l // the code's length: quotient 32−l, stop bit, p bits
		u := uint32(cache>>((64-n)&63)) + uint32(31-l)<<(p&31)
		cache <<= n & 63
		nbits -= n
		r := int32(u>>1) ^ -int32(u&1)
		// The most recent sample is added last: the chain from one
		// sample to the next is one multiply, two adds and a shift.
		h := (*[7]int32)(data[i-8 : i-1])
		sum := (c[7]*h[0] + c[6]*h[1]) + (c[5]*h[2] + c[4]*h[3]) + (c[3]*h[4] + c[2]*h[5]) + c[1]*h[6]
		x := r + (sum+c[0]*prev)>>(shift&31)
		data[i] = x
		prev = x
		acc |= fitBits(x)
	}
	cur.cache, cur.nbits, cur.next = cache, nbits, next
	return i, acc
}
