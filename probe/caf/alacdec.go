package caf

import "math/bits"

// The bit-consuming half of Apple's ALAC decoder as libsndfile 1.2.0 ships
// it (ALAC/alac_decoder.c, ag_dec.c, ALACBitUtilities.c): element headers,
// the adaptive Golomb entropy decoder and the element skips, enough to
// know where each element ends, whether decoding fails, and so how many
// frames a packet reports. Sample values (prediction, channel unmixing)
// are not computed. Shifts use x86 semantics (count modulo 32) where the C
// code shifts by 32 or more.

// alacConfigFields are the ALACSpecificConfig fields the decoder uses.
type alacConfigFields struct {
	bitDepth uint32
	pb, mb   uint32
	kb       uint32
	channels uint32
}

func shl32(x uint32, n uint32) uint32 { return x << (n & 31) }
func shr32(x uint32, n uint32) uint32 { return x >> (n & 31) }

// lead counts leading zero bits of a 32-bit value (32 for 0).
func lead(m uint32) uint32 { return uint32(bits.LeadingZeros32(m)) }

// alacBits is BitBuffer over a packet: bytes past what is held read as 0.
type alacBits struct {
	buf      []byte
	cur      int
	bitIndex uint32
	end      int
	byteSize uint32
}

func (b *alacBits) at(i int) uint32 {
	if i < 0 || i >= len(b.buf) {
		return 0
	}
	return uint32(b.buf[i])
}

func (b *alacBits) read(n uint32) uint32 {
	v := (b.at(b.cur)<<16 | b.at(b.cur+1)<<8 | b.at(b.cur+2))
	v = shl32(v, b.bitIndex) & 0x00FFFFFF
	b.bitIndex += n
	v = shr32(v, 24-n)
	b.cur += int(b.bitIndex >> 3)
	b.bitIndex &= 7
	return v
}

func (b *alacBits) readSmall(n uint32) uint32 {
	v := uint16(b.at(b.cur)<<8 | b.at(b.cur+1))
	v = uint16(uint32(v) << (b.bitIndex & 31))
	b.bitIndex += n
	r := uint32(v) >> ((16 - n) & 31)
	b.cur += int(b.bitIndex >> 3)
	b.bitIndex &= 7
	return uint32(uint8(r))
}

func (b *alacBits) readOne() uint32 {
	v := (b.at(b.cur) >> (7 - b.bitIndex)) & 1
	b.bitIndex++
	b.cur += int(b.bitIndex >> 3)
	b.bitIndex &= 7
	return v
}

func (b *alacBits) advance(n uint32) {
	if n != 0 {
		b.bitIndex += n
		b.cur += int(b.bitIndex >> 3)
		b.bitIndex &= 7
	}
}

func (b *alacBits) byteAlign() {
	if b.bitIndex != 0 {
		b.advance(8 - b.bitIndex)
	}
}

func (b *alacBits) read32(i int) uint32 {
	return b.at(i)<<24 | b.at(i+1)<<16 | b.at(i+2)<<8 | b.at(i+3)
}

// getStreamBits is getstreambits: numBits bits at bit offset off from in.
func (b *alacBits) getStreamBits(in int, off, numBits uint32) uint32 {
	byteOff := int(off / 8)
	load1 := b.read32(in + byteOff)
	var result uint32
	if numBits+(off&7) > 32 {
		result = shl32(load1, off&7)
		load2 := b.at(in + byteOff + 4)
		load2 = shr32(load2, 8-(numBits+(off&7)-32))
		result = shr32(result, 32-numBits)
		result |= load2
	} else {
		result = shr32(load1, 32-numBits-(off&7))
	}
	if numBits != 32 {
		result &= ^uint32(0xffffffff << numBits)
	}
	return result
}

// dynGet is dyn_get (the zero-run length).
func (b *alacBits) dynGet(in int, bitPos *uint32, m, k uint32) uint32 {
	temp := *bitPos
	stream := shl32(b.read32(in+int(temp>>3)), temp&7)
	pre := lead(^stream)
	var result uint32
	if pre >= 9 {
		pre = 9
		temp += pre
		stream = shl32(stream, pre)
		result = shr32(stream, 32-16)
		temp += 16
	} else {
		temp += pre + 1
		stream = shl32(stream, pre+1)
		v := shr32(stream, 32-k)
		temp += k
		result = pre*m + v - 1
		if v < 2 {
			result -= v - 1
			temp--
		}
	}
	*bitPos = temp
	return result
}

// dynGet32 is dyn_get_32bit (one residual).
func (b *alacBits) dynGet32(in int, bitPos *uint32, m, k, maxBits uint32) uint32 {
	temp := *bitPos
	stream := shl32(b.read32(in+int(temp>>3)), temp&7)
	result := lead(^stream)
	if result >= 9 {
		result = b.getStreamBits(in, temp+9, maxBits)
		temp += 9 + maxBits
	} else {
		temp += result + 1
		if k != 1 {
			stream = shl32(stream, result+1)
			v := shr32(stream, 32-k)
			temp += k - 1
			result *= m
			if v >= 2 {
				result += v - 1
				temp++
			}
		}
	}
	*bitPos = temp
	return result
}

// dynDecomp is dyn_decomp over numSamples residuals; it reports failure
// like libsndfile's: running past the packet or a run past the samples.
func (b *alacBits) dynDecomp(mb0, pb, kb, numSamples, maxSize uint32) bool {
	const (
		qbShift   = 9
		qb        = 1 << qbShift
		mmulShift = 2
		mdenShift = qbShift - mmulShift - 1
		moff      = 1 << (mdenShift - 2)
		bitOff    = 24
	)
	wb := shl32(1, kb) - 1
	in := b.cur
	start := b.bitIndex
	maxPos := b.byteSize * 8
	bitPos := start
	mb := mb0
	var zmode uint32
	ok := true
	for c := uint32(0); c < numSamples; {
		if bitPos >= maxPos {
			ok = false
			break
		}
		m := mb >> qbShift
		k := 31 - lead(m+3)
		k = min(k, kb)
		m = shl32(1, k) - 1
		n := b.dynGet32(in, &bitPos, m, k, maxSize)
		c++
		mb = pb*(n+zmode) + mb - ((pb * mb) >> qbShift)
		if n > 0xffff {
			mb = 0xffff
		}
		zmode = 0
		if mb<<mmulShift < qb && c < numSamples {
			zmode = 1
			k := lead(mb) - bitOff + ((mb + moff) >> mdenShift)
			mz := (shl32(1, k) - 1) & wb
			n := b.dynGet(in, &bitPos, mz, k)
			if c+n > numSamples || c+n < c {
				ok = false
				break
			}
			c += n
			if n >= 65535 {
				zmode = 0
			}
			mb = 0
		}
	}
	b.advance(bitPos - start)
	if b.cur > b.end {
		ok = false
	}
	return ok
}

// alacDecodeFrames follows alac_decode over one packet and returns the
// frame count it reports (*outNumSamples).
func alacDecodeFrames(b *alacBits, cfg *alacConfigFields, framesPer uint32) uint32 {
	numSamples := framesPer
	out := numSamples
	channels := cfg.channels
	if channels == 0 {
		return out
	}
	var chIndex uint32
	for {
		if b.cur >= b.end {
			return out
		}
		tag := b.readSmall(3)
		switch tag {
		case 0, 3, 1: // single channel, LFE, channel pair
			pair := tag == 1
			if pair && chIndex+2 > channels {
				return out
			}
			b.readSmall(4)
			if b.read(12) != 0 {
				return out
			}
			hb := b.read(4)
			partial := hb >> 3
			shifted := (hb >> 1) & 3
			if shifted == 3 {
				return out
			}
			escape := hb & 1
			chanBits := cfg.bitDepth - shifted*8
			if pair {
				chanBits++
			}
			if partial != 0 {
				v := b.read(16) << 16
				v |= b.read(16)
				if v >= alacFrameLength {
					return out
				}
				numSamples = v
			}
			if escape == 0 {
				b.read(8) // mixBits
				b.read(8) // mixRes
				b.read(8) // mode and shift of the U predictor
				pbFactorU := b.read(8)
				numU := pbFactorU & 0x1f
				pbFactorU >>= 5
				for i := uint32(0); i < numU; i++ {
					b.read(16)
				}
				var pbFactorV uint32
				if pair {
					b.read(8)
					pbFactorV = b.read(8)
					numV := pbFactorV & 0x1f
					pbFactorV >>= 5
					for i := uint32(0); i < numV; i++ {
						b.read(16)
					}
				}
				if shifted != 0 {
					width := shifted * 8 * numSamples
					if pair {
						width *= 2
					}
					b.advance(width)
				}
				if !b.dynDecomp(cfg.mb, uint32(uint16(cfg.pb))*pbFactorU/4, cfg.kb, numSamples, chanBits) {
					return out
				}
				if pair && !b.dynDecomp(cfg.mb, uint32(uint16(cfg.pb))*pbFactorV/4, cfg.kb, numSamples, chanBits) {
					return out
				}
			} else {
				bits := chanBits
				if pair {
					bits = cfg.bitDepth
				}
				per := uint32(1)
				if pair {
					per = 2
				}
				for i := uint32(0); i < numSamples; i++ {
					for j := uint32(0); j < per; j++ {
						if bits <= 16 {
							b.advance(uint32(uint8(bits)))
						} else {
							b.advance(16)
							b.advance(uint32(uint8(bits - 16)))
						}
					}
				}
			}
			if pair {
				chIndex += 2
			} else {
				chIndex++
			}
			out = numSamples
		case 2, 4: // coupling channel, program configuration: unsupported
			return out
		case 5: // data stream element
			b.readSmall(4)
			align := b.readOne()
			count := b.readSmall(8)
			if count == 255 {
				count += b.readSmall(8)
			}
			if align != 0 {
				b.byteAlign()
			}
			b.advance(uint32(uint16(count)) * 8)
			if b.cur > b.end {
				return out
			}
		case 6: // fill element
			count := int16(b.readSmall(4))
			if count == 15 {
				count += int16(b.readSmall(8)) - 1
			}
			b.advance(uint32(int32(count) * 8))
			if b.cur > b.end {
				return out
			}
		case 7: // end
			b.byteAlign()
			return out
		}
		if chIndex >= channels {
			return out
		}
	}
}
