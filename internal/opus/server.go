package opus

import "fmt"

// What the API's reader makes of an OpusHead (docs/server.md#ogg-opus-rate):
// it decodes at the lowest Opus rate at or above the header's input rate
// (8, 12, 16, 24 or 48 kHz) and into as many channels as the header names,
// and it opens only headers of version 0 or 1. The API takes 16 kHz mono,
// so a header that names a 16 kHz input and one channel makes the same
// packets acceptable: the decoder then decodes at 16 kHz and, for a stereo
// stream, downmixes to one channel itself.

// TargetRate is the input rate ServerHead writes.
const TargetRate = 16000

// NeedsReencodeError says why no header makes the packets acceptable.
type NeedsReencodeError struct {
	Msg string
}

func (e *NeedsReencodeError) Error() string { return "opus: " + e.Msg }

// DecodeRate is the rate the API's reader decodes a stream at, for the
// header's input rate (compared as a signed number, as the reader does).
func DecodeRate(inputRate uint32) int {
	r := int32(inputRate)
	switch {
	case r > 24000:
		return 48000
	case r > 16000:
		return 24000
	case r > 12000:
		return 16000
	case r > 8000:
		return 12000
	}
	return 8000
}

// ServerHead returns the header under which the API's reader decodes
// h's packets at 16 kHz into one channel, and what it changed, in words
// (nothing when h already does). The packets stay as they are: only a
// stream the decoder can downmix itself qualifies, that is one Opus stream
// (mono or coupled stereo). Several streams (surround, ambisonics, mapping
// families 1, 2, 3, 255 with more than one stream) can only be mixed after
// decoding, and get a *NeedsReencodeError.
func ServerHead(h Head) (Head, []string, error) {
	out := h
	out.Mapping = append([]byte(nil), h.Mapping...)
	var changes []string
	if h.Channels > 1 && h.Streams > 1 {
		return h, nil, &NeedsReencodeError{Msg: fmt.Sprintf("%d channels coded as %d Opus streams (mapping family %d): only decoding can mix separate streams into one channel", h.Channels, h.Streams, h.Family)}
	}
	if h.Version > 1 {
		out.Version = 1
		changes = append(changes, fmt.Sprintf("OpusHead version %d → 1 (the same packets; the API's reader opens only versions 0 and 1)", h.Version))
	}
	if rate := DecodeRate(h.InputRate); rate != TargetRate {
		out.InputRate = TargetRate
		changes = append(changes, fmt.Sprintf("input rate %d Hz → %d Hz (decoded at %d Hz instead of %d Hz)", h.InputRate, TargetRate, TargetRate, rate))
	}
	if h.Channels > 1 {
		// One stream: mono, or stereo coupled in one stream. Family 0
		// with one channel asks the decoder for its own downmix.
		out.Channels, out.Family, out.Streams, out.Coupled, out.Mapping = 1, 0, 1, 0, nil
		if h.Family == 0 {
			changes = append(changes, fmt.Sprintf("channels %d → 1 (the decoder downmixes)", h.Channels))
		} else {
			changes = append(changes, fmt.Sprintf("channels %d → 1 and mapping family %d → 0 (one Opus stream; the decoder downmixes)", h.Channels, h.Family))
		}
	}
	return out, changes, nil
}
