package mpeg

// MPEG audio frame headers (ISO/IEC 11172-3 and 13818-3, plus the
// unofficial MPEG-2.5), decoded the way libmpg123 1.31 decodes them: which
// headers it accepts, which frame size it derives, and which headers it takes
// for the same stream.

// Version is the MPEG audio version of a frame.
type Version int

const (
	MPEG1  Version = 1
	MPEG2  Version = 2
	MPEG25 Version = 25 // the unofficial low-rate extension
)

func (v Version) String() string {
	switch v {
	case MPEG1:
		return "MPEG-1"
	case MPEG2:
		return "MPEG-2"
	case MPEG25:
		return "MPEG-2.5"
	}
	return "MPEG-?"
}

// Bit fields of the 32-bit header, most significant byte first:
// AAAAAAAA AAABBCCD EEEEFFGH IIJJKLMM (sync, version, layer, no-CRC,
// bitrate, rate, padding, private, channel mode, ...).
const (
	hdrSync       = 0xffe00000
	hdrVersion    = 0x00180000
	hdrLayer      = 0x00060000
	hdrNoCRC      = 0x00010000
	hdrBitrate    = 0x0000f000
	hdrSampleRate = 0x00000c00
	hdrPadding    = 0x00000200
	hdrChannel    = 0x000000c0

	// Headers that agree under compatMask (plus mono-ness) belong to one
	// stream for libmpg123; anything else is a new stream.
	compatMask = hdrSync | hdrVersion | hdrLayer | hdrSampleRate
	// A free-format frame ends where a header agreeing under sameMask starts.
	sameMask = hdrSync | hdrVersion | hdrLayer | hdrBitrate | hdrSampleRate | hdrChannel

	channelMono = 3

	// maxFrameSize is libmpg123's bound on a frame body.
	maxFrameSize = 3456
)

// kbps[lsf][layer-1][index]: bitrates of MPEG-1 (lsf 0) and of MPEG-2/2.5
// (lsf 1, "low sampling frequencies").
var kbps = [2][3][16]int{
	{
		{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	},
	{
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
	},
}

// rates by libmpg123's sampling-frequency index: MPEG-1, MPEG-2, MPEG-2.5.
var rates = [9]int{44100, 48000, 32000, 22050, 24000, 16000, 11025, 12000, 8000}

// sniffable reports whether the four bytes b look like a frame header to
// libsndfile's identify_mpeg, which decides whether an input is MPEG at all:
// frame sync, a version that is not the reserved one, a layer, a bitrate
// index that is not 15 and a rate index that is not 3.
func sniffable(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	return b[0] == 0xff && b[1]&0xe0 == 0xe0 &&
		b[1]&0x18 != 0x08 &&
		b[1]&0x06 != 0 &&
		b[2]&0xf0 != 0xf0 &&
		b[2]&0x0c != 0x0c
}

// plausible is libmpg123's first test of a header (head_check): frame sync,
// a layer, a bitrate index that is not 15, a rate index that is not 3. The
// reserved version 01 passes and is decoded as MPEG-2.5.
func plausible(h uint32) bool {
	return h&hdrSync == hdrSync &&
		h&hdrLayer != 0 &&
		h&hdrBitrate != hdrBitrate &&
		h&hdrSampleRate != hdrSampleRate
}

// compatible reports whether libmpg123 decodes frames with headers a and b
// as one stream: same version, layer and rate, and both mono or both not.
func compatible(a, b uint32) bool {
	return a&compatMask == b&compatMask && isMono(a) == isMono(b)
}

func isMono(h uint32) bool { return (h&hdrChannel)>>6 == channelMono }

// frameHeader is a decoded header.
type frameHeader struct {
	raw        uint32
	layer      int // 1, 2 or 3
	lsf        int // 1 for MPEG-2 and MPEG-2.5
	mpeg25     bool
	rateIndex  int // into rates
	crc        bool
	bitrate    int // index
	padding    int
	channels   int // 1 or 2
	freeFormat bool
	// bodySize is the frame size minus the 4 header bytes, as libmpg123
	// computes it (its "framesize").
	bodySize int
	// spf is samples per frame per channel.
	spf int
	// sideInfo is the layer III side information size (libmpg123's ssize).
	sideInfo int
}

func (h *frameHeader) version() Version {
	switch {
	case h.mpeg25:
		return MPEG25
	case h.lsf == 1:
		return MPEG2
	}
	return MPEG1
}

func (h *frameHeader) rate() int { return rates[h.rateIndex] }

// parseFields fills the fields that follow from the header bits alone (what
// libmpg123's decode_header sets before it looks at the frame size).
func (h *frameHeader) parseFields(raw uint32) {
	h.raw = raw
	h.layer = 4 - int((raw&hdrLayer)>>17)
	v := (raw & hdrVersion) >> 19
	if v&2 != 0 {
		h.lsf = 1 - int(v&1)
		h.mpeg25 = false
		h.rateIndex = int((raw&hdrSampleRate)>>10) + h.lsf*3
	} else {
		h.lsf = 1
		h.mpeg25 = true
		h.rateIndex = 6 + int((raw&hdrSampleRate)>>10)
	}
	h.crc = raw&hdrNoCRC == 0
	h.bitrate = int((raw & hdrBitrate) >> 12)
	h.padding = int((raw & hdrPadding) >> 9)
	h.channels = 2
	if isMono(raw) {
		h.channels = 1
	}
	h.freeFormat = h.bitrate == 0
}

// sizeFromBitrate computes the body size of a frame whose bitrate is in the
// header (integer arithmetic as libmpg123 does it).
func (h *frameHeader) sizeFromBitrate() {
	br := kbps[h.lsf][h.layer-1][h.bitrate]
	switch h.layer {
	case 1:
		h.bodySize = ((br*12000/h.rate() + h.padding) << 2) - 4
	case 2:
		h.bodySize = br*144000/h.rate() + h.padding - 4
	case 3:
		h.bodySize = br*144000/(h.rate()<<h.lsf) + h.padding - 4
	}
}

// setLayerConstants sets samples per frame and the layer III side info size.
func (h *frameHeader) setLayerConstants() {
	switch h.layer {
	case 1:
		h.spf = 384
	case 2:
		h.spf = 1152
	case 3:
		h.spf = 1152
		if h.lsf == 1 {
			h.spf = 576
		}
		switch {
		case h.lsf == 1 && h.channels == 1:
			h.sideInfo = 9
		case h.lsf == 1:
			h.sideInfo = 17
		case h.channels == 1:
			h.sideInfo = 17
		default:
			h.sideInfo = 32
		}
		if h.crc {
			h.sideInfo += 2
		}
	}
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
