package mpeg

// ADTS AAC (ISO/IEC 13818-7 and 14496-3, Audio Data Transport Stream): a
// 12-bit sync 0xFFF like MPEG audio's, but with the layer bits 00, which
// libsndfile's MPEG test refuses — the server never opens it
// (docs/server.md#formats-that-do-not-open).
// It is recognised only so that a rejection can name it.

// sniffADTS checks the fixed header of the first ADTS frame: sync, layer
// 00, a sampling frequency index below 13 and a frame length that covers
// the header; when the head holds the next frame's start, its sync too.
func sniffADTS(head []byte, size int64) bool {
	if len(head) < 7 || head[0] != 0xff || head[1]&0xf6 != 0xf0 {
		return false
	}
	if (head[2]>>2)&0x0f >= 13 {
		return false
	}
	headerLen := 7
	if head[1]&1 == 0 { // CRC present
		headerLen = 9
	}
	frameLen := int(head[3]&3)<<11 | int(head[4])<<3 | int(head[5])>>5
	if frameLen < headerLen || int64(frameLen) > size {
		return false
	}
	if frameLen+2 <= len(head) {
		next := head[frameLen:]
		return next[0] == 0xff && next[1]&0xf6 == 0xf0
	}
	return true
}
