// Package voc reads Creative Voice files ("Creative Voice File\x1a", the
// Sound Blaster format; Creative's VOC file format specification 1.10 and
// 1.20) as libsndfile 1.2.0 does (src/voc.c).
//
// libsndfile accepts versions 1.10 and 1.20 only, skips text (type 5) and
// repeat (type 6) blocks, and then needs a single sound block: type 1
// (8-bit unsigned mono, rate from a time constant), type 8 followed by
// type 1 (8-bit, mono or stereo), or type 9 (any rate, channel count and
// one of unsigned 8-bit, signed 16-bit, A-law or µ-law). It refuses files
// whose sound data does not end at the end of the file (more than one
// segment) for types 1 and 8, but not for type 9. The frame count runs to
// the byte before the end of the file (the terminator). VOC opens but is
// not accepted by the API (docs/server.md#other-formats).
package voc

import (
	"io"
	"strconv"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

func init() {
	probe.RegisterFormat(probe.Format{
		Name:       probe.ContainerVOC,
		Magic:      "Creative",
		Order:      probe.OrderVOC,
		ReadHeader: ReadHeader,
	})
}

// Block types.
const (
	blockSound      = 1
	blockRepeat     = 6
	blockText       = 5
	blockExtended   = 8
	blockExtendedII = 9
)

// ReadHeader reads a VOC header as voc_open does.
func ReadHeader(r io.ReaderAt, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: probe.ContainerVOC}
	if size < 12 {
		return info, &probe.FormatError{Format: probe.ContainerVOC, Msg: "shorter than a VOC header"}
	}
	h := sndfile.Open(r, size)
	f := sndfile.NewFile(h, probe.ContainerVOC)

	var creative [20]byte
	offset := int32(h.Readf("pb", 0, creative[:], 20))
	if creative[19] != 0x1A || string(creative[:19]) != "Creative Voice File" {
		return info, f.Fail(0, "no \"Creative Voice File\" signature")
	}
	var dataOffset, version, checksum int16
	offset += int32(h.Readf("e222", &dataOffset, &version, &checksum))
	f.DataOffset = int64(dataOffset)
	info.Variant = "1." + strconv.Itoa(int(uint16(version)&0xff))
	if version != 0x010A && version != 0x0114 {
		return info, f.Unsupported("VOC version other than 1.10 and 1.20")
	}
	f.Endian = sndfile.Little

	var blockType uint8
	for {
		blockType = 0
		offset += int32(h.Readf("1", &blockType))
		if blockType == blockText {
			var n uint32
			offset += int32(h.Readf("e3", &n))
			if n < 255 {
				offset += int32(h.Readf("b", nil, int(n)))
			} else {
				offset += int32(h.Readf("j", int64(n)))
			}
			continue
		}
		if blockType == blockRepeat {
			var n uint32
			var count int16
			offset += int32(h.Readf("e32", &n, &count))
			continue
		}
		break
	}
	info.Parts = append(info.Parts, probe.Part{Kind: "block", ID: blockName(blockType), Offset: int64(offset) - 1})

	switch blockType {
	case blockSound:
		var n int32
		var rateByte, compression uint8
		offset += int32(h.Readf("e311", &n, &rateByte, &compression))
		f.Samplerate = 1000000 / (256 - int32(rateByte))
		info.SampleRate = int(f.Samplerate)
		if int64(offset+n-1) > f.FileLength {
			return info, f.Fail(int64(offset), "sound block runs past the end of the file")
		}
		if f.FileLength-int64(offset)-int64(n) > 4 {
			return info, f.Unsupported("VOC with more than one sound segment")
		}
		f.DataOffset = int64(offset)
		f.DataEnd = f.FileLength - 1
		f.Channels = 1
		f.Bytewidth = 1
		f.Codec = sndfile.PCMU8
	case blockExtended:
		var n int32
		var rateShort uint16
		var pack, stereo uint8
		offset += int32(h.Readf("e3211", &n, &rateShort, &pack, &stereo))
		if stereo != 0 {
			f.Channels = 2
			f.Samplerate = 128000000 / (65536 - int32(rateShort))
		} else {
			f.Channels = 1
			f.Samplerate = 256000000 / (65536 - int32(rateShort))
		}
		info.SampleRate, info.Channels = int(f.Samplerate), int(f.Channels)
		offset += int32(h.Readf("1", &blockType))
		if blockType != blockSound {
			return info, f.Fail(int64(offset), "extended block not followed by a sound block")
		}
		var rateByte, compression uint8
		offset += int32(h.Readf("e311", &n, &rateByte, &compression))
		if int64(offset+n-1) > f.FileLength {
			return info, f.Fail(int64(offset), "sound block runs past the end of the file")
		}
		if int64(offset+n-1) < f.FileLength {
			return info, f.Unsupported("VOC with more than one sound segment")
		}
		f.DataOffset = int64(offset)
		f.DataEnd = f.FileLength - 1
		f.Bytewidth = 1
		f.Codec = sndfile.PCMU8
	case blockExtendedII:
		var n, rate, fourBytes int32
		var bitWidth, channels uint8
		var encoding int16
		offset += int32(h.Readf("e341124", &n, &rate, &bitWidth, &channels, &encoding, &fourBytes))
		f.Samplerate = rate
		if int64(n*2) == f.FileLength-39 {
			// SoX wrote the sample count where the byte count belongs.
			n = int32(f.FileLength - 31)
		}
		if bitWidth == 16 && encoding == 0 {
			encoding = 4
		}
		f.Channels = int32(channels)
		info.SampleRate, info.Channels = int(rate), int(channels)
		f.DataOffset = int64(offset)
		f.DataEnd = f.FileLength - 1
		if int64(n+31) == f.FileLength+1 {
			f.DataEnd = 0
		} else if int64(n+31) > f.FileLength {
			present := f.DataEnd - f.DataOffset
			info.Warnings = append(info.Warnings, f.CutShort("VOC sound block", present+int64(n+31)-f.FileLength, present)...)
		}
		switch encoding {
		case 0:
			f.Codec, f.Bytewidth = sndfile.PCMU8, 1
		case 4:
			f.Codec, f.Bytewidth = sndfile.PCM16, 2
		case 6:
			f.Codec, f.Bytewidth = sndfile.ALaw, 1
		case 7:
			f.Codec, f.Bytewidth = sndfile.ULaw, 1
		default:
			return info, f.Unsupported("VOC encoding " + strconv.Itoa(int(encoding)))
		}
	}

	// voc_open: install the codec.
	f.Blockwidth = f.Bytewidth * f.Channels
	if f.Codec == sndfile.CodecNone {
		return info, f.Unsupported("VOC without a sound block libsndfile reads")
	}
	if err := f.InitCodec(); err != nil {
		return info, err
	}
	if err := f.Finish(info, "VOC"); err != nil {
		return info, err
	}
	info.Settled = f.Settle()
	return info, nil
}

func blockName(t uint8) string {
	switch t {
	case 0:
		return "terminator"
	case blockSound:
		return "sound data"
	case 2:
		return "sound continue"
	case 3:
		return "silence"
	case 4:
		return "marker"
	case 7:
		return "end repeat"
	case blockExtended:
		return "extended"
	case blockExtendedII:
		return "new sound data"
	}
	return "type " + strconv.Itoa(int(t))
}
