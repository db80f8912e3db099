package mpeg

// Xing/Info headers and the LAME extension: the first layer III frame of a
// stream may carry, instead of audio, the frame count of the stream and the
// encoder's delay and padding (the "gapless" information). libmpg123 takes
// the count as the track length and, with MPG123_GAPLESS, cuts the delay
// (plus its own decoder delay of 529 samples) from the start and the padding
// from the end; such a frame is not decoded.

// Xing is what a Xing or Info header says, as libmpg123 reads it.
type Xing struct {
	Offset int64  // of the frame that carries it
	Tag    string // "Xing" (VBR) or "Info" (CBR)
	// Frames is the stream's frame count, not counting this frame; 0 when
	// the header has none.
	Frames int64
	// Encoder is the LAME extension's encoder string ("LAME3.100",
	// "Lavf lame", ...); empty when there is no extension.
	Encoder string
	// Delay and Padding are the samples the encoder added at the start and
	// at the end (from the LAME extension).
	Delay, Padding int
}

// checkXing looks for a Xing/Info header in the body of the first frame
// (libmpg123's check_lame_tag) and, when there is one, takes the track
// length and gapless trimming from it. It reports whether the frame is an
// info frame rather than audio.
func (p *parser) checkXing(framePos int64) bool {
	body := p.body
	size := p.hdr.bodySize
	var off int // where the tag would start: after the side information
	switch {
	case p.hdr.channels == 2 && p.hdr.lsf == 0:
		off = 32
	case p.hdr.channels == 2:
		off = 17
	case p.hdr.lsf == 0:
		off = 17
	default:
		off = 9
	}
	if size < off+8 {
		return false
	}
	// only zeros between the (possible) CRC and the tag
	for i := 2; i < off; i++ {
		if body[i] != 0 {
			return false
		}
	}
	tag := string(body[off : off+4])
	if tag != "Info" && tag != "Xing" {
		return false
	}
	x := &Xing{Offset: framePos, Tag: tag}
	p.xing = x
	off += 4
	flags := be32(body[off:])
	off += 4
	// Each field is taken only when the frame is big enough for it; a
	// frame too small for a field ends the parse but still is an info frame.
	have := func(n int) bool { return size >= off+n }
	if flags&1 != 0 {
		if !have(4) {
			return true
		}
		x.Frames = int64(be32(body[off:]))
		off += 4
		p.trackFrames = x.Frames
		p.gaplessInit(p.trackFrames, 0, 0)
	}
	if flags&2 != 0 { // stream bytes
		if !have(4) {
			return true
		}
		off += 4
	}
	if flags&4 != 0 { // seek table
		if !have(100) {
			return true
		}
		off += 100
	}
	if flags&8 != 0 { // quality
		if !have(4) {
			return true
		}
		off += 4
	}
	if !have(24) || body[off] == 0 {
		return true
	}
	// The LAME extension: 9 bytes of encoder name, revision/VBR method,
	// lowpass, peak (4), two replay gains (2+2), flags, ABR rate, then
	// two 12-bit values: encoder delay and padding.
	x.Encoder = trimName(body[off : off+9])
	d := body[off+21:]
	x.Delay = int(d[0])<<4 | int(d[1])>>4
	x.Padding = (int(d[1])<<8 | int(d[2])) & 0xfff
	p.gaplessInit(p.trackFrames, int64(x.Delay), int64(x.Padding))
	return true
}

// gaplessInit sets the gapless trimming for a track of frames frames with
// the given encoder delay and padding (libmpg123's frame_gapless_init).
func (p *parser) gaplessInit(frames, delay, padding int64) {
	p.gaplessFrames = frames
	if frames > 0 && delay >= 0 && padding >= 0 {
		p.beginSkip = delay + gaplessLag
		p.endAt = frames*int64(p.hdr.spf) - padding + gaplessLag
	} else {
		p.beginSkip, p.endAt = 0, 0
	}
}

// trimName keeps the printable leading part of an encoder name.
func trimName(b []byte) string {
	n := 0
	for n < len(b) && b[n] >= 0x20 && b[n] < 0x7f {
		n++
	}
	return string(b[:n])
}
