package ogg

import "fmt"

// Opus packet structure (RFC 6716 §3), as libopus 1.3.1 checks it before
// decoding (opus_packet_parse_impl, opus_multistream_packet_validate). The
// server cannot be told anything about decoding beyond this: a packet that
// parses decodes, and how many samples it yields follows from its TOC byte.

// libopus error codes.
const (
	opusBadArg         = -1
	opusBufferTooSmall = -2
	opusInvalidPacket  = -4
)

func opusErrorName(code int) string {
	switch code {
	case opusBadArg:
		return "OPUS_BAD_ARG"
	case opusBufferTooSmall:
		return "OPUS_BUFFER_TOO_SMALL"
	case opusInvalidPacket:
		return "OPUS_INVALID_PACKET"
	}
	return fmt.Sprintf("libopus error %d", code)
}

// opusSamplesPerFrame is opus_packet_get_samples_per_frame.
func opusSamplesPerFrame(toc byte, fs int) int {
	switch {
	case toc&0x80 != 0:
		return (fs << ((toc >> 3) & 3)) / 400
	case toc&0x60 == 0x60:
		if toc&0x08 != 0 {
			return fs / 50
		}
		return fs / 100
	default:
		n := (toc >> 3) & 3
		if n == 3 {
			return fs * 60 / 1000
		}
		return (fs << n) / 100
	}
}

// frameUnits is the duration of a frame by the configuration in its TOC
// byte (toc>>3, RFC 6716 §3.1, Table 2), in units of 2.5 ms
// (opus_packet_get_samples_per_frame at 400 Hz): at a rate that is a
// multiple of 400 Hz, as every rate the server decodes at is, a frame
// holds frameUnits[toc>>3] * (fs/400) samples.
var frameUnits = [32]uint8{
	4, 8, 16, 24, 4, 8, 16, 24, 4, 8, 16, 24, // SILK: 10, 20, 40, 60 ms
	4, 8, 4, 8, // hybrid: 10, 20 ms
	1, 2, 4, 8, 1, 2, 4, 8, 1, 2, 4, 8, 1, 2, 4, 8, // CELT: 2.5, 5, 10, 20 ms
}

// opusPacketSamples is opus_packet_get_nb_samples: samples per channel in
// a packet at rate fs, from its TOC byte and frame count only.
func opusPacketSamples(p []byte, fs int) int {
	if len(p) < 1 {
		return opusBadArg
	}
	var count int
	switch p[0] & 3 {
	case 0:
		count = 1
	case 1, 2:
		count = 2
	default:
		if len(p) < 2 {
			return opusInvalidPacket
		}
		count = int(p[1] & 0x3f)
	}
	var samples int
	if fs%400 == 0 {
		samples = count * int(frameUnits[p[0]>>3]) * (fs / 400)
	} else {
		samples = count * opusSamplesPerFrame(p[0], fs)
	}
	if samples*25 > fs*3 {
		return opusInvalidPacket
	}
	return samples
}

// opusParseSize is parse_size: a frame length in one or two bytes.
func opusParseSize(p []byte) (size, n int) {
	switch {
	case len(p) < 1:
		return -1, -1
	case p[0] < 252:
		return int(p[0]), 1
	case len(p) < 2:
		return -1, -1
	default:
		return 4*int(p[1]) + int(p[0]), 2
	}
}

// opusParse is opus_packet_parse_impl: the frame count, or a negative
// error, and with selfDelimited (every stream but the last of a
// multistream packet) how many bytes this stream's packet takes. libopus
// records each frame's size; only their sum is needed here: sum is the
// frames but the last, last the last one.
func opusParse(data []byte, selfDelimited bool) (count, packetOffset int) {
	length := len(data)
	if length == 0 {
		return opusInvalidPacket, 0
	}
	framesize := opusSamplesPerFrame(data[0], 48000)
	cbr := false
	toc := data[0]
	pos := 1
	length--
	lastSize := length
	pad := 0
	sum := 0
	switch toc & 3 {
	case 0:
		count = 1
	case 1:
		count = 2
		cbr = true
		if !selfDelimited {
			if length&1 != 0 {
				return opusInvalidPacket, 0
			}
			lastSize = length / 2
			sum = lastSize
		}
	case 2:
		count = 2
		sz, n := opusParseSize(data[pos : pos+length])
		length -= n
		if sz < 0 || sz > length {
			return opusInvalidPacket, 0
		}
		sum = sz
		pos += n
		lastSize = length - sz
	default:
		if length < 1 {
			return opusInvalidPacket, 0
		}
		ch := data[pos]
		pos++
		count = int(ch & 0x3f)
		if count <= 0 || framesize*count > 5760 {
			return opusInvalidPacket, 0
		}
		length--
		if ch&0x40 != 0 {
			for {
				if length <= 0 {
					return opusInvalidPacket, 0
				}
				p := int(data[pos])
				pos++
				length--
				tmp := p
				if p == 255 {
					tmp = 254
				}
				length -= tmp
				pad += tmp
				if p != 255 {
					break
				}
			}
		}
		if length < 0 {
			return opusInvalidPacket, 0
		}
		cbr = ch&0x80 == 0
		if !cbr {
			lastSize = length
			for i := 0; i < count-1; i++ {
				sz, n := opusParseSize(data[pos : pos+length])
				length -= n
				if sz < 0 || sz > length {
					return opusInvalidPacket, 0
				}
				sum += sz
				pos += n
				lastSize -= n + sz
			}
			if lastSize < 0 {
				return opusInvalidPacket, 0
			}
		} else if !selfDelimited {
			lastSize = length / count
			if lastSize*count != length {
				return opusInvalidPacket, 0
			}
			sum = lastSize * (count - 1)
		}
	}
	last := lastSize
	if selfDelimited {
		sz, n := opusParseSize(data[pos : pos+length])
		length -= n
		if sz < 0 || sz > length {
			return opusInvalidPacket, 0
		}
		last = sz
		pos += n
		if cbr {
			if sz*count > length {
				return opusInvalidPacket, 0
			}
			sum = sz * (count - 1)
		} else if n+sz > lastSize {
			return opusInvalidPacket, 0
		}
	} else if lastSize > 1275 {
		return opusInvalidPacket, 0
	}
	return count, pad + pos + sum + last
}

// opusValidate is opus_multistream_packet_validate: the samples per
// channel every stream's packet holds (they must agree), or an error.
func opusValidate(data []byte, streams, fs int) int {
	samples := 0
	for s := 0; s < streams; s++ {
		if len(data) <= 0 {
			return opusInvalidPacket
		}
		count, off := opusParse(data, s != streams-1)
		if count < 0 {
			return count
		}
		n := opusPacketSamples(data[:min(off, len(data))], fs)
		if s != 0 && samples != n {
			return opusInvalidPacket
		}
		samples = n
		if off > len(data) {
			// libopus would step past the packet; the next stream then
			// sees a non-positive length.
			return opusInvalidPacket
		}
		data = data[off:]
	}
	return samples
}

// opusDecodeSamples is what opus_multistream_decode_float returns for one
// packet with a buffer of frameSize samples per channel: the samples
// decoded, or a libopus error. An empty packet is concealment of a whole
// buffer.
func opusDecodeSamples(p []byte, streams, fs, frameSize int) int {
	frameSize = min(frameSize, fs/25*3)
	if len(p) == 0 {
		return frameSize
	}
	var n int
	if streams == 1 && p[0]&3 == 0 && len(p) <= 1276 && fs%400 == 0 {
		// One stream, one frame (code 0, nearly every packet): what
		// opusValidate comes to, without its parse.
		n = int(frameUnits[p[0]>>3]) * (fs / 400)
		if n*25 > fs*3 {
			return opusInvalidPacket
		}
	} else {
		if len(p) < 2*streams-1 {
			return opusInvalidPacket
		}
		if n = opusValidate(p, streams, fs); n < 0 {
			return n
		}
	}
	if n > frameSize {
		return opusBufferTooSmall
	}
	return n
}
