package opus

import (
	"errors"
	"fmt"
)

// Opus packet framing (RFC 6716 §3): the TOC byte, the frame count code
// and the frame lengths. Nothing here decodes audio; it says how long a
// packet plays and whether its framing is one a decoder accepts (the
// requirements R1 to R7 of RFC 6716 §3.4).

// SampleRate is the rate of Ogg-Opus granule positions and pre-skip.
const SampleRate = 48000

// MaxPacketSamples is the longest packet RFC 6716 allows: 120 ms at 48 kHz.
const MaxPacketSamples = 5760

// frameSamples is the duration of one frame of the TOC's configuration,
// in samples at 48 kHz (RFC 6716 §3.1, Table 2).
func frameSamples(toc byte) int {
	config := toc >> 3
	switch {
	case config < 12: // SILK-only: 10, 20, 40, 60 ms
		return [4]int{480, 960, 1920, 2880}[config&3]
	case config < 16: // Hybrid: 10, 20 ms
		return [2]int{480, 960}[config&1]
	default: // CELT-only: 2.5, 5, 10, 20 ms
		return [4]int{120, 240, 480, 960}[config&3]
	}
}

// ErrEmptyPacket is the error for a packet of no bytes, which a decoder
// treats as lost rather than as audio.
var ErrEmptyPacket = errors.New("empty Opus packet")

// PacketSamples is how long p plays, in samples at 48 kHz, from its TOC
// byte and frame count (RFC 6716 §3.1 and §3.2). It checks only what the
// duration depends on; Validate checks the rest of the framing.
func PacketSamples(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, ErrEmptyPacket
	}
	var frames int
	switch p[0] & 3 {
	case 0:
		frames = 1
	case 1, 2:
		frames = 2
	case 3:
		if len(p) < 2 {
			return 0, errors.New("code 3 Opus packet without its frame count byte")
		}
		frames = int(p[1] & 0x3f)
		if frames == 0 {
			return 0, errors.New("code 3 Opus packet with 0 frames")
		}
	}
	n := frames * frameSamples(p[0])
	if n > MaxPacketSamples {
		return 0, fmt.Errorf("an Opus packet of %d frames plays %.1f ms, more than 120 ms", frames, float64(n)/48)
	}
	return n, nil
}

// frameLength reads a frame length coded in one or two bytes (RFC 6716
// §3.2.1); n is the number of bytes used, 0 when p is too short.
func frameLength(p []byte) (length, n int) {
	switch {
	case len(p) < 1:
		return 0, 0
	case p[0] < 252:
		return int(p[0]), 1
	case len(p) < 2:
		return 0, 0
	}
	return 4*int(p[1]) + int(p[0]), 2
}

// maxFrameBytes is the largest compressed frame RFC 6716 allows (R2).
const maxFrameBytes = 1275

// Validate checks the framing of a whole packet as a decoder does before
// decoding it (RFC 6716 §3.4, R1 to R7), and returns its duration.
func Validate(p []byte) (int, error) {
	samples, err := PacketSamples(p)
	if err != nil {
		return 0, err
	}
	body := p[1:]
	bad := func(msg string) (int, error) { return 0, errors.New("Opus packet: " + msg) }
	switch p[0] & 3 {
	case 0:
		if len(body) > maxFrameBytes {
			return bad(fmt.Sprintf("a frame of %d bytes (at most 1275)", len(body)))
		}
	case 1:
		if len(body)%2 != 0 {
			return bad("code 1 with an odd number of frame bytes")
		}
		if len(body)/2 > maxFrameBytes {
			return bad(fmt.Sprintf("frames of %d bytes (at most 1275)", len(body)/2))
		}
	case 2:
		n1, used := frameLength(body)
		if used == 0 || n1 > len(body)-used {
			return bad("code 2 first frame length runs past the packet")
		}
		if n1 > maxFrameBytes || len(body)-used-n1 > maxFrameBytes {
			return bad("a frame longer than 1275 bytes")
		}
	case 3:
		return validateCode3(p)
	}
	return samples, nil
}

// validateCode3 checks a code 3 packet: padding, and CBR or VBR frame
// lengths (RFC 6716 §3.2.5).
func validateCode3(p []byte) (int, error) {
	samples, _ := PacketSamples(p)
	frames := int(p[1] & 0x3f)
	vbr := p[1]&0x80 != 0
	rest := p[2:]
	bad := func(msg string) (int, error) { return 0, errors.New("Opus code 3 packet: " + msg) }
	if p[1]&0x40 != 0 { // padding: lengths of 255 continue
		pad := 0
		for {
			if len(rest) == 0 {
				return bad("padding length runs past the packet")
			}
			b := rest[0]
			rest = rest[1:]
			if b == 255 {
				pad += 254
				continue
			}
			pad += int(b)
			break
		}
		if pad > len(rest) {
			return bad("padding longer than the packet")
		}
		rest = rest[:len(rest)-pad]
	}
	if !vbr {
		if len(rest)%frames != 0 {
			return bad(fmt.Sprintf("%d bytes do not split into %d equal frames", len(rest), frames))
		}
		if len(rest)/frames > maxFrameBytes {
			return bad("frames longer than 1275 bytes")
		}
		return samples, nil
	}
	total := 0
	for i := 0; i < frames-1; i++ {
		n, used := frameLength(rest)
		if used == 0 {
			return bad("frame lengths run past the packet")
		}
		rest = rest[used:]
		if n > maxFrameBytes {
			return bad("a frame longer than 1275 bytes")
		}
		total += n
	}
	if total > len(rest) {
		return bad("frames longer than the packet")
	}
	if len(rest)-total > maxFrameBytes {
		return bad("a last frame longer than 1275 bytes")
	}
	return samples, nil
}
