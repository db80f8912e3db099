// Package wavheader rewrites the header of a WAV-family file whose audio
// is fine but whose header the API's reader refuses or misreads
// (docs/server.md#known-traps): sizes a streaming writer never filled in,
// chunks in an order or alignment the reader does not follow, metadata
// chunks it chokes on, extensible headers it does not take, ID3 tags in
// front, BW64 and Wave64 containers. Locate finds the format and the audio
// leniently; the output is a canonical RIFF (or RF64 past 4 GiB, RIFX for
// big-endian audio) header followed by the audio bytes, unchanged.
//
// Formats: RIFF/RIFX WAVE (Microsoft/IBM multimedia spec), RF64 and BW64
// (EBU Tech 3306, ITU-R BS.2088), Sony Wave64, WAVEFORMATEXTENSIBLE.
package wavheader

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Format tags.
const (
	TagPCM        = 0x0001
	TagMSADPCM    = 0x0002
	TagFloat      = 0x0003
	TagALaw       = 0x0006
	TagMuLaw      = 0x0007
	TagIMAADPCM   = 0x0011
	TagGSM610     = 0x0031
	TagExtensible = 0xFFFE
)

// guidTail is the last 12 bytes of the sub-format GUIDs that carry a
// format tag (KSDATAFORMAT_SUBTYPE_*: tag-0000-0010-8000-00AA00389B71).
var guidTail = [12]byte{0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// ambisonicTail ends the Ambisonic B-format sub-format GUIDs libsndfile
// reads (tag-0721-11D3-8644-C1E5BD6BC3FF... as stored: their tail).
var ambisonicTail = [12]byte{0x21, 0x07, 0xD3, 0x11, 0x86, 0x44, 0xC8, 0xC1, 0xCA, 0x00, 0x00, 0x00}

// Format is a WAVEFORMATEX or WAVEFORMATEXTENSIBLE, the way the output
// header states it.
type Format struct {
	Tag        uint16
	Channels   uint16
	Rate       uint32
	ByteRate   uint32
	BlockAlign uint16
	Bits       uint16
	// Extra are the codec-specific bytes after cbSize (IMA and GSM: the
	// samples per block; MS ADPCM: its coefficients), for plain headers.
	Extra []byte
	// Extensible headers: the union field (valid bits), the channel mask
	// and the sub-format GUID.
	Extensible  bool
	ValidBits   uint16
	ChannelMask uint32
	SubFormat   [16]byte
}

// byteOrder is binary.LittleEndian (RIFF) or binary.BigEndian (RIFX).
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// maxFmt bounds the fmt chunk bytes read: the largest real ones (MS ADPCM
// with its coefficients) are about 50 bytes.
const maxFmt = 1024

// parseFormat reads a fmt chunk body. Headers the API's reader refuses
// but that still say unambiguously what the audio is are accepted and the
// correction is returned in words; anything ambiguous is an error.
func parseFormat(b []byte, order byteOrder, off int64) (Format, []string, error) {
	var f Format
	var repairs []string
	bad := func(format string, args ...any) (Format, []string, error) {
		return f, nil, &probe.FormatError{Format: "wav", Off: off, Msg: fmt.Sprintf(format, args...)}
	}
	if len(b) < 14 {
		return bad("fmt chunk of %d bytes, too short to say what the audio is", len(b))
	}
	f.Tag = order.Uint16(b[0:])
	f.Channels = order.Uint16(b[2:])
	f.Rate = order.Uint32(b[4:])
	f.ByteRate = order.Uint32(b[8:])
	f.BlockAlign = order.Uint16(b[12:])
	if len(b) >= 16 {
		f.Bits = order.Uint16(b[14:])
	}
	if f.Channels == 0 || f.Rate == 0 {
		return bad("fmt chunk with %d channels at %d Hz", f.Channels, f.Rate)
	}
	// The sample width a PCM block implies, when it is a whole number of
	// bytes per channel.
	implied := uint16(0)
	if f.BlockAlign%f.Channels == 0 && f.BlockAlign/f.Channels >= 1 && f.BlockAlign/f.Channels <= 4 {
		implied = 8 * (f.BlockAlign / f.Channels)
	}
	switch f.Tag {
	case TagPCM:
		if len(b) < 16 || f.Bits == 0 {
			if implied == 0 {
				return bad("PCM fmt chunk without its sample width")
			}
			repairs = append(repairs, fmt.Sprintf("PCM sample width %d bits, from the block size (the fmt chunk gives %s)", implied, widthWords(len(b), f.Bits)))
			f.Bits = implied
		}
		return f, repairs, nil
	case TagExtensible:
		return parseExtensible(f, b, order, implied, off)
	}
	if len(b) >= 18 {
		cb := int(order.Uint16(b[16:]))
		f.Extra = bytes.Clone(b[18:min(len(b), 18+cb)])
	}
	return f, repairs, nil
}

func widthWords(n int, bits uint16) string {
	if n < 16 {
		return fmt.Sprintf("none: it is %d bytes long", n)
	}
	return fmt.Sprintf("%d", bits)
}

// parseExtensible reads the WAVEFORMATEXTENSIBLE part. The API's
// reader refuses an extension that is missing or cut short, a sub-format
// GUID that is not byte for byte the standard one, and the ADPCM
// sub-formats, which it reads only from plain headers.
func parseExtensible(f Format, b []byte, order byteOrder, implied uint16, off int64) (Format, []string, error) {
	if len(b) < 40 {
		// No sub-format. Samples of 8, 16 or 24 bits are integer PCM
		// (WAV codes floats in 32 or 64 bits); a 32-bit one could be
		// either.
		bits := f.Bits
		if bits == 0 {
			bits = implied
		}
		if bits != 8 && bits != 16 && bits != 24 {
			return f, nil, &probe.UnsupportedError{Format: "wav", Msg: fmt.Sprintf("extensible fmt chunk of %d bytes without its sub-format, and %d-bit samples that could be integer or float", len(b), bits)}
		}
		f.Tag, f.Bits = TagPCM, bits
		return f, []string{fmt.Sprintf("extensible fmt chunk of %d bytes, cut before its sub-format: %d-bit samples are integer PCM, stated in a plain PCM header", len(b), bits)}, nil
	}
	f.Extensible = true
	f.ValidBits = order.Uint16(b[18:])
	f.ChannelMask = order.Uint32(b[20:])
	copy(f.SubFormat[:], b[24:40])
	g := f.SubFormat
	var repairs []string
	var tag uint16
	switch {
	case [12]byte(g[4:]) == guidTail && g[2] == 0 && g[3] == 0:
		tag = binary.LittleEndian.Uint16(g[:])
	case [12]byte(g[4:]) == ambisonicTail:
		return f, nil, nil
	case g[0] == 0 && g[1] == 0 && g[4] == 0 && g[5] == 0 && g[6] == 0 && g[7] == 0x10 && [8]byte(g[8:]) == [8]byte(guidTail[4:]) && g[2]|g[3] != 0:
		// The first three fields stored big-endian (00 00 00 01 00 00 00 10 ...).
		tag = binary.BigEndian.Uint16(g[2:])
		repairs = append(repairs, fmt.Sprintf("sub-format GUID with its first fields byte-swapped: format tag 0x%04X", tag))
	case g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0 && g[6] == 0x10 && g[7] == 0 && binary.LittleEndian.Uint16(g[:]) != 0:
		tag = binary.LittleEndian.Uint16(g[:])
		repairs = append(repairs, fmt.Sprintf("sub-format GUID with a non-standard tail: format tag 0x%04X", tag))
	default:
		return f, nil, &probe.UnsupportedError{Format: "wav", Msg: fmt.Sprintf("extensible fmt chunk with an unknown sub-format GUID % X", g[:])}
	}
	switch tag {
	case TagPCM, TagFloat, TagALaw, TagMuLaw:
		f.SubFormat = subFormat(tag)
		return f, repairs, nil
	case TagIMAADPCM:
		// The union field of an extensible header is the samples per
		// block for compressed formats.
		spb := f.ValidBits
		f = Format{Tag: tag, Channels: f.Channels, Rate: f.Rate, ByteRate: f.ByteRate, BlockAlign: f.BlockAlign, Bits: f.Bits,
			Extra: binary.LittleEndian.AppendUint16(nil, spb)}
	default:
		f = Format{Tag: tag, Channels: f.Channels, Rate: f.Rate, ByteRate: f.ByteRate, BlockAlign: f.BlockAlign, Bits: f.Bits}
	}
	return f, append(repairs, fmt.Sprintf("extensible header for format tag 0x%04X, which the API's reader takes only as a plain header", tag)), nil
}

// subFormat is the standard sub-format GUID of a format tag.
func subFormat(tag uint16) [16]byte {
	var g [16]byte
	binary.LittleEndian.PutUint16(g[:], tag)
	copy(g[4:], guidTail[:])
	return g
}

// marshal writes the format as a fmt chunk body.
func (f Format) marshal(order byteOrder) []byte {
	b := make([]byte, 16, 40+len(f.Extra))
	order.PutUint16(b[0:], f.Tag)
	if f.Extensible {
		order.PutUint16(b[0:], TagExtensible)
	}
	order.PutUint16(b[2:], f.Channels)
	order.PutUint32(b[4:], f.Rate)
	order.PutUint32(b[8:], f.ByteRate)
	order.PutUint16(b[12:], f.BlockAlign)
	order.PutUint16(b[14:], f.Bits)
	switch {
	case f.Extensible:
		b = order.AppendUint16(b, 22)
		b = order.AppendUint16(b, f.ValidBits)
		b = order.AppendUint32(b, f.ChannelMask)
		b = append(b, f.SubFormat[:]...)
	case f.Tag != TagPCM:
		b = order.AppendUint16(b, uint16(len(f.Extra)))
		b = append(b, f.Extra...)
	}
	return b
}
