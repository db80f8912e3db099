// Package opus reads and writes the parts of Opus that remuxing needs
// without decoding: the identification header (OpusHead, RFC 7845 §5.1)
// and the duration and framing of a packet from its TOC byte (RFC 6716 §3).
package opus

import (
	"encoding/binary"
	"fmt"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Head is an OpusHead identification header (RFC 7845 §5.1).
type Head struct {
	Version   uint8
	Channels  uint8
	PreSkip   uint16 // samples at 48 kHz to drop from the decoder's output
	InputRate uint32 // the input's rate, for information; 0 when unknown
	Gain      int16  // output gain, Q7.8 dB
	Family    uint8  // channel mapping family
	// Streams, Coupled and Mapping are the channel mapping table (families
	// other than 0). For family 0 they are implied: one stream, coupled
	// when there are two channels.
	Streams uint8
	Coupled uint8
	Mapping []byte
}

const (
	headMagic   = "OpusHead"
	headMinSize = 19
	// The largest OpusHead: the fixed fields, the stream counts and one
	// mapping byte per channel.
	headMaxSize = 21 + 255
)

// ParseHead parses an OpusHead packet. It accepts what RFC 7845 §5.1
// allows: versions 0 to 15, a mapping table that matches the channel count,
// trailing bytes after the table (reserved for later versions).
func ParseHead(p []byte) (Head, error) {
	var h Head
	if len(p) < headMinSize || string(p[:8]) != headMagic {
		return h, &probe.FormatError{Format: "opus", Msg: "not an OpusHead packet"}
	}
	h.Version = p[8]
	if h.Version>>4 != 0 {
		return h, &probe.UnsupportedError{Format: "opus", Msg: fmt.Sprintf("OpusHead version %d", h.Version)}
	}
	h.Channels = p[9]
	h.PreSkip = binary.LittleEndian.Uint16(p[10:])
	h.InputRate = binary.LittleEndian.Uint32(p[12:])
	h.Gain = int16(binary.LittleEndian.Uint16(p[16:]))
	h.Family = p[18]
	if h.Channels == 0 {
		return h, &probe.FormatError{Format: "opus", Off: 9, Msg: "OpusHead with 0 channels"}
	}
	if h.Family == 0 {
		if h.Channels > 2 {
			return h, &probe.FormatError{Format: "opus", Off: 9, Msg: fmt.Sprintf("OpusHead mapping family 0 with %d channels", h.Channels)}
		}
		h.Streams, h.Coupled = 1, h.Channels-1
		return h, nil
	}
	if len(p) < 21+int(h.Channels) {
		return h, &probe.FormatError{Format: "opus", Off: 19, Msg: "OpusHead channel mapping table cut short"}
	}
	h.Streams, h.Coupled = p[19], p[20]
	if h.Streams == 0 || h.Coupled > h.Streams || int(h.Streams)+int(h.Coupled) > 255 {
		return h, &probe.FormatError{Format: "opus", Off: 19, Msg: fmt.Sprintf("OpusHead with %d streams, %d coupled", h.Streams, h.Coupled)}
	}
	h.Mapping = append([]byte(nil), p[21:21+int(h.Channels)]...)
	for i, m := range h.Mapping {
		if int(m) >= int(h.Streams)+int(h.Coupled) && m != 255 {
			return h, &probe.FormatError{Format: "opus", Off: int64(21 + i), Msg: fmt.Sprintf("OpusHead maps channel %d to stream %d of %d", i, m, int(h.Streams)+int(h.Coupled))}
		}
	}
	return h, nil
}

// Marshal writes the header as an OpusHead packet of the smallest size its
// mapping family allows.
func (h Head) Marshal() []byte {
	b := make([]byte, 0, headMaxSize)
	b = append(b, headMagic...)
	b = append(b, h.Version, h.Channels)
	b = binary.LittleEndian.AppendUint16(b, h.PreSkip)
	b = binary.LittleEndian.AppendUint32(b, h.InputRate)
	b = binary.LittleEndian.AppendUint16(b, uint16(h.Gain))
	b = append(b, h.Family)
	if h.Family != 0 {
		b = append(b, h.Streams, h.Coupled)
		b = append(b, h.Mapping...)
	}
	return b
}
