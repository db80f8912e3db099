package pcm

import (
	"fmt"
	"io"
	"math/bits"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/caf"
)

// Apple Lossless in CAF: the packets come from probe/caf (the pakt chunk
// as libsndfile's reader walks it), and each is decoded here as Apple's
// open-source ALAC decoder, which libsndfile ships, decodes it
// (ALACDecoder.cpp, ag_dec.c, dp_dec.c, matrix_dec.c): audio elements of
// one channel or a channel pair, adaptive Golomb residuals, the adaptive
// FIR predictor, the stereo unmixing and the low bytes that were shifted
// off. The stream ends at the frame count the server's reader reports.

type alacReader struct {
	r       io.ReaderAt
	size    int64
	packets *caf.ALACPackets
	format  Format
	left    int64
	scale   float32

	packet  []byte
	out     []int32 // decoded frames of the current packet, interleaved
	pos     int     // next frame in out
	frames  int     // frames in out
	pred    []int32 // residuals, then predicted samples, per channel
	mixU    []int32
	mixV    []int32
	shift   []uint16
	coefU   [32]int16
	coefV   [32]int16
	stopped bool
}

func newALAC(r io.ReaderAt, size int64, info *probe.Info) (Reader, error) {
	a, ok := caf.ALAC(r, size, info)
	if !ok {
		return nil, &UnsupportedError{Container: info.Container, Codec: info.Codec, Msg: "no ALAC packet table"}
	}
	if err := checkFormat(info.Container, info.SampleRate, info.Channels); err != nil {
		return nil, err
	}
	fpp := int(a.FramesPerPacket)
	if a.BitDepth < 8 || a.BitDepth > 32 || int(a.Channels) != info.Channels || fpp < 1 || fpp > 4096 || a.Channels > 8 {
		return nil, &UnsupportedError{Container: info.Container, Codec: "alac",
			Msg: fmt.Sprintf("%d-bit, %d channels, %d frames a packet", a.BitDepth, a.Channels, fpp)}
	}
	d := &alacReader{r: r, size: size, packets: a, left: info.Frames,
		format: Format{SampleRate: info.SampleRate, Channels: info.Channels, Frames: info.Frames, Bits: int(a.BitDepth)},
		scale:  1 / float32(int64(1)<<(a.BitDepth-1)),
		out:    make([]int32, fpp*info.Channels),
		pred:   make([]int32, fpp), mixU: make([]int32, fpp), mixV: make([]int32, fpp),
		shift: make([]uint16, 2*fpp),
	}
	return d, nil
}

func (d *alacReader) Format() Format { return d.format }

func (d *alacReader) Read(p []float32) (int, error) {
	ch := d.format.Channels
	for d.pos >= d.frames {
		if d.left <= 0 || d.stopped {
			return 0, io.EOF
		}
		if err := d.nextPacket(); err != nil {
			return 0, err
		}
	}
	k := int(min(int64(len(p)/ch), int64(d.frames-d.pos), d.left))
	for i, v := range d.out[d.pos*ch : (d.pos+k)*ch] {
		p[i] = float32(v) * d.scale
	}
	d.pos += k
	d.left -= int64(k)
	return k, nil
}

// nextPacket reads and decodes the next packet.
func (d *alacReader) nextPacket() error {
	off, n, ok := d.packets.Next()
	if !ok || n > caf.MaxPacket || off < 0 || off+int64(n) > d.size {
		d.stopped = true
		return nil
	}
	if cap(d.packet) < int(n) {
		d.packet = make([]byte, n)
	}
	d.packet = d.packet[:n]
	if _, err := d.r.ReadAt(d.packet, off); err != nil {
		return &probe.FormatError{Format: probe.ContainerCAF, Off: off, Msg: "ALAC packet past the end of the input"}
	}
	frames, err := d.decode()
	if err != nil {
		return &probe.FormatError{Format: probe.ContainerCAF, Off: off, Msg: "ALAC packet: " + err.Error()}
	}
	d.frames, d.pos = frames, 0
	return nil
}

// alacBitReader reads a packet most significant bit first; bits past the
// end read as 0, and over tells that they were asked for.
type alacBitReader struct {
	b   []byte
	pos uint32 // in bits
}

func (r *alacBitReader) byteAt(i uint32) uint32 {
	if int(i) < len(r.b) {
		return uint32(r.b[i])
	}
	return 0
}

// peek32 is the 32 bits from bit position pos on.
func (r *alacBitReader) peek32(pos uint32) uint32 {
	i := pos >> 3
	v := uint64(r.byteAt(i))<<32 | uint64(r.byteAt(i+1))<<24 | uint64(r.byteAt(i+2))<<16 | uint64(r.byteAt(i+3))<<8 | uint64(r.byteAt(i+4))
	return uint32(v >> (8 - pos&7))
}

func (r *alacBitReader) read(n uint32) uint32 {
	if n == 0 {
		return 0
	}
	v := r.peek32(r.pos) >> (32 - n)
	r.pos += n
	return v
}

func (r *alacBitReader) over() bool { return int(r.pos) > 8*len(r.b) }

func (r *alacBitReader) align() { r.pos = (r.pos + 7) &^ 7 }

// errALAC is a packet the decoder refuses.
type errALAC string

func (e errALAC) Error() string { return string(e) }

// decode decodes d.packet into d.out and returns its frame count.
func (d *alacReader) decode() (int, error) {
	a := d.packets
	br := &alacBitReader{b: d.packet}
	channels := int(a.Channels)
	numSamples := int(a.FramesPerPacket)
	ch := 0
	for {
		if br.over() {
			return 0, errALAC("runs past its end")
		}
		tag := br.read(3)
		switch tag {
		case 0, 3, 1: // one channel, low-frequency channel, channel pair
			pair := tag == 1
			if (pair && ch+2 > channels) || (!pair && ch+1 > channels) {
				return 0, errALAC("more channels than configured")
			}
			br.read(4) // element instance
			if br.read(12) != 0 {
				return 0, errALAC("bad element header")
			}
			hb := br.read(4)
			partial, shifted, escape := hb>>3, (hb>>1)&3, hb&1
			if shifted == 3 {
				return 0, errALAC("bad shift")
			}
			if partial != 0 {
				v := br.read(16)<<16 | br.read(16)
				if v > a.FramesPerPacket {
					return 0, errALAC("partial frame longer than a packet")
				}
				numSamples = int(v)
			}
			var err error
			if pair {
				err = d.decodePair(br, ch, numSamples, shifted, escape)
			} else {
				err = d.decodeSingle(br, ch, numSamples, shifted, escape)
			}
			if err != nil {
				return 0, err
			}
			if pair {
				ch += 2
			} else {
				ch++
			}
		case 5: // data stream element: skipped
			br.read(4)
			align := br.read(1)
			count := br.read(8)
			if count == 255 {
				count += br.read(8)
			}
			if align != 0 {
				br.align()
			}
			br.pos += count * 8
		case 6: // fill element: skipped
			count := br.read(4)
			if count == 15 {
				count += br.read(8) - 1
			}
			br.pos += count * 8
		case 7: // end
			if ch < channels {
				return 0, errALAC("fewer channels than configured")
			}
			return numSamples, nil
		default:
			return 0, errALAC(fmt.Sprintf("unsupported element %d", tag))
		}
		if ch >= channels {
			return numSamples, nil
		}
	}
}

// predictorHeader is one channel's predictor set-up.
type predictorHeader struct {
	mode, denShift, pbFactor, num uint32
}

func readPredictor(br *alacBitReader, coef *[32]int16) predictorHeader {
	var h predictorHeader
	b := br.read(8)
	h.mode, h.denShift = b>>4, b&15
	b = br.read(8)
	h.pbFactor, h.num = b>>5, b&31
	for i := range h.num {
		coef[i] = int16(br.read(16))
	}
	return h
}

func (d *alacReader) decodeSingle(br *alacBitReader, ch, n int, shifted, escape uint32) error {
	a := d.packets
	chanBits := a.BitDepth - shifted*8
	u := d.mixU[:n]
	if escape == 0 {
		br.read(8) // mixBits
		br.read(8) // mixRes
		h := readPredictor(br, &d.coefU)
		shiftAt := br.pos
		br.pos += shifted * 8 * uint32(n)
		if err := d.residuals(br, h.pbFactor, n, chanBits); err != nil {
			return err
		}
		predict(d.pred[:n], u, &d.coefU, h, chanBits)
		if shifted != 0 {
			sr := &alacBitReader{b: br.b, pos: shiftAt}
			for i := range n {
				d.shift[i] = uint16(sr.read(shifted * 8))
			}
		}
	} else {
		shifted = 0
		for i := range n {
			u[i] = signExtend(readWide(br, a.BitDepth), a.BitDepth)
		}
	}
	channels := int(a.Channels)
	for i, v := range u {
		if shifted != 0 {
			v = v<<(shifted*8) | int32(d.shift[i])
		}
		d.out[i*channels+ch] = v
	}
	return nil
}

func (d *alacReader) decodePair(br *alacBitReader, ch, n int, shifted, escape uint32) error {
	a := d.packets
	chanBits := a.BitDepth - shifted*8 + 1
	u, v := d.mixU[:n], d.mixV[:n]
	var mixBits uint32
	var mixRes int32
	if escape == 0 {
		mixBits = br.read(8)
		mixRes = int32(int8(br.read(8)))
		hu := readPredictor(br, &d.coefU)
		hv := readPredictor(br, &d.coefV)
		shiftAt := br.pos
		br.pos += shifted * 8 * 2 * uint32(n)
		if err := d.residuals(br, hu.pbFactor, n, chanBits); err != nil {
			return err
		}
		predict(d.pred[:n], u, &d.coefU, hu, chanBits)
		if err := d.residuals(br, hv.pbFactor, n, chanBits); err != nil {
			return err
		}
		predict(d.pred[:n], v, &d.coefV, hv, chanBits)
		if shifted != 0 {
			sr := &alacBitReader{b: br.b, pos: shiftAt}
			for i := range 2 * n {
				d.shift[i] = uint16(sr.read(shifted * 8))
			}
		}
	} else {
		shifted = 0
		for i := range n {
			u[i] = signExtend(readWide(br, a.BitDepth), a.BitDepth)
			v[i] = signExtend(readWide(br, a.BitDepth), a.BitDepth)
		}
	}
	channels := int(a.Channels)
	for i := range n {
		l, r := u[i], v[i]
		if mixRes != 0 {
			l = u[i] + v[i] - int32((int64(mixRes)*int64(v[i]))>>mixBits)
			r = l - v[i]
		}
		if shifted != 0 {
			l = l<<(shifted*8) | int32(d.shift[2*i])
			r = r<<(shifted*8) | int32(d.shift[2*i+1])
		}
		d.out[i*channels+ch] = l
		d.out[i*channels+ch+1] = r
	}
	return nil
}

// readWide reads an uncompressed sample of up to 32 bits.
func readWide(br *alacBitReader, n uint32) uint32 {
	if n <= 16 {
		return br.read(n)
	}
	hi := br.read(16)
	return hi<<(n-16) | br.read(n-16)
}

func signExtend(v, bits uint32) int32 {
	s := 32 - bits
	return int32(v<<s) >> s
}

// Adaptive Golomb decoding (ag_dec.c).
const (
	agQBShift   = 9
	agQB        = 1 << agQBShift
	agMMulShift = 2
	agMDenShift = agQBShift - agMMulShift - 1
	agMOff      = 1 << (agMDenShift - 2)
	agBitOff    = 24
	agMaxPrefix = 9
)

// residuals decodes n residuals into d.pred (dyn_decomp).
func (d *alacReader) residuals(br *alacBitReader, pbFactor uint32, n int, maxSize uint32) error {
	a := d.packets
	pb := uint32(uint16(a.PB)) * pbFactor / 4
	kb := a.KB
	wb := uint32(1)<<kb - 1
	mb := a.MB
	var zmode uint32
	out := d.pred[:n]
	end := uint32(8 * len(br.b))
	for c := 0; c < n; {
		if br.pos >= end {
			return errALAC("residuals run past the packet")
		}
		m := mb >> agQBShift
		k := min(uint32(31-bits.LeadingZeros32(m+3)), kb)
		m = uint32(1)<<k - 1
		v := getResidual(br, m, k, maxSize)
		nd := v + zmode
		del := int32((nd + 1) >> 1)
		if nd&1 != 0 {
			del = -del
		}
		out[c] = del
		c++
		mb = pb*(v+zmode) + mb - (pb*mb)>>agQBShift
		if v > 0xffff {
			mb = 0xffff
		}
		zmode = 0
		if mb<<agMMulShift < agQB && c < n {
			zmode = 1
			k := uint32(bits.LeadingZeros32(mb)) - agBitOff + (mb+agMOff)>>agMDenShift
			mz := (uint32(1)<<(k&31) - 1) & wb
			run := getRun(br, mz, k)
			if c+int(run) > n {
				return errALAC("a run of zeros past the frame")
			}
			for range run {
				out[c] = 0
				c++
			}
			if run >= 65535 {
				zmode = 0
			}
			mb = 0
		}
	}
	return nil
}

// getResidual is dyn_get_32bit.
func getResidual(br *alacBitReader, m, k, maxBits uint32) uint32 {
	stream := br.peek32(br.pos)
	prefix := uint32(bits.LeadingZeros32(^stream))
	if prefix >= agMaxPrefix {
		br.pos += agMaxPrefix
		v := readWide(br, maxBits)
		return v
	}
	br.pos += prefix + 1
	if k == 1 {
		return prefix
	}
	v := (stream << (prefix + 1)) >> (32 - k)
	br.pos += k - 1
	result := prefix * m
	if v >= 2 {
		result += v - 1
		br.pos++
	}
	return result
}

// getRun is dyn_get (the length of a run of zeros).
func getRun(br *alacBitReader, m, k uint32) uint32 {
	stream := br.peek32(br.pos)
	prefix := uint32(bits.LeadingZeros32(^stream))
	if prefix >= agMaxPrefix {
		br.pos += agMaxPrefix
		return br.read(16)
	}
	br.pos += prefix + 1
	v := (stream << (prefix + 1)) >> ((32 - k) & 31)
	if k == 0 {
		v = 0
	}
	br.pos += k
	result := prefix*m + v - 1
	if v < 2 {
		result -= v - 1
		br.pos--
	}
	return result
}

// predict runs the adaptive predictor (unpc_block) over the residuals
// res into out; mode 0 uses the coefficients once, any other mode first
// integrates with the fixed first-order predictor ("31 coefficients").
func predict(res, out []int32, coef *[32]int16, h predictorHeader, chanBits uint32) {
	if h.mode != 0 {
		unpc(res, res, nil, 31, chanBits, 0)
	}
	unpc(res, out, coef[:h.num], int(h.num), chanBits, h.denShift)
}

func signOf(v int32) int32 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// unpc is unpc_block.
func unpc(pc, out []int32, coefs []int16, numActive int, chanBits, denShift uint32) {
	n := len(pc)
	if n == 0 {
		return
	}
	chanShift := 32 - chanBits
	wrap := func(v int32) int32 { return (v << chanShift) >> chanShift }
	out[0] = pc[0]
	if numActive == 0 {
		copy(out[1:], pc[1:])
		return
	}
	if numActive == 31 {
		for j := 1; j < n; j++ {
			out[j] = wrap(pc[j] + out[j-1])
		}
		return
	}
	for j := 1; j <= numActive && j < n; j++ {
		out[j] = wrap(pc[j] + out[j-1])
	}
	var denHalf int32
	if denShift > 0 {
		denHalf = 1 << (denShift - 1)
	}
	lim := numActive + 1
	for j := lim; j < n; j++ {
		top := out[j-lim]
		var sum int32
		for k := range numActive {
			sum += int32(coefs[k]) * (out[j-1-k] - top)
		}
		del := pc[j]
		del0 := del
		sg := signOf(del)
		del += top + (sum+denHalf)>>denShift
		out[j] = wrap(del)
		if sg > 0 {
			for k := numActive - 1; k >= 0; k-- {
				dd := top - out[j-1-k]
				sgn := signOf(dd)
				coefs[k] -= int16(sgn)
				del0 -= int32(numActive-k) * ((sgn * dd) >> denShift)
				if del0 <= 0 {
					break
				}
			}
		} else if sg < 0 {
			for k := numActive - 1; k >= 0; k-- {
				dd := top - out[j-1-k]
				sgn := signOf(dd)
				coefs[k] += int16(sgn)
				del0 -= int32(numActive-k) * ((-sgn * dd) >> denShift)
				if del0 >= 0 {
					break
				}
			}
		}
	}
}
