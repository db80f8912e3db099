package wav

import "github.com/audiopreflight/audiopreflight/probe/internal/sndfile"

// The 'fmt ' chunk (WAVEFORMATEX and its extensions: Microsoft's "Multimedia
// Programming Interface and Data Specifications 1.0", the ADPCM and
// WAVE_FORMAT_EXTENSIBLE additions), read the way libsndfile 1.2.0's
// wavlike_read_fmt_chunk reads it for WAV, RF64 and W64. Which format tags
// it accepts, what it checks and how many bytes it consumes are what decide
// whether a file opens.

// Format tags libsndfile's fmt reader knows.
const (
	tagPCM        = 0x0001
	tagMSADPCM    = 0x0002
	tagIEEEFloat  = 0x0003
	tagALaw       = 0x0006
	tagMuLaw      = 0x0007
	tagIMAADPCM   = 0x0011
	tagGSM610     = 0x0031
	tagNMSVBX     = 0x0038
	tagG721ADPCM  = 0x0040
	tagMPEG       = 0x0050 // MPEG-1 layer I/II: not read by libsndfile
	tagMPEGLayer3 = 0x0055
	tagExtensible = 0xFFFE
)

// libsndfile's major formats (sndfile.h).
const (
	sfWAV   = 0x010000
	sfW64   = 0x0B0000
	sfWAVEX = 0x130000
	sfRF64  = 0x220000
)

// guid is a WAVE_FORMAT_EXTENSIBLE sub-format, as its fields are read (in
// the file's byte order).
type guid struct {
	d1     uint32
	d2, d3 uint16
	d4     [8]byte
}

var (
	guidTail          = [8]byte{0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}
	ambisonicTail     = [8]byte{0x86, 0x44, 0xc8, 0xc1, 0xca, 0x00, 0x00, 0x00}
	guidPCM           = guid{0x00000001, 0x0000, 0x0010, guidTail}
	guidMSADPCM       = guid{0x00000002, 0x0000, 0x0010, guidTail}
	guidIEEEFloat     = guid{0x00000003, 0x0000, 0x0010, guidTail}
	guidALaw          = guid{0x00000006, 0x0000, 0x0010, guidTail}
	guidMuLaw         = guid{0x00000007, 0x0000, 0x0010, guidTail}
	guidAmbisonicPCM  = guid{0x00000001, 0x0721, 0x11d3, ambisonicTail}
	guidAmbisonicIEEE = guid{0x00000003, 0x0721, 0x11d3, ambisonicTail}
)

// waveFormat is the parsed 'fmt ' chunk. libsndfile keeps it in a union, so
// the 16-bit word after cbSize is at once the ADPCM/GSM samples per block
// and the extensible valid-bits field: word18 holds it.
type waveFormat struct {
	tag        uint16
	channels   uint16
	sampleRate uint32
	byteRate   uint32
	blockAlign uint16
	bits       uint16

	extraSize   uint16
	word18      uint16 // samples per block / valid bits / aux block size
	numCoeffs   uint16
	channelMask uint32
	sub         guid
}

// readFmt reads a 'fmt ' chunk body of the declared size into st.fmt and
// the stream state, leaving the reader after the chunk as libsndfile does.
func (st *sfState) readFmt(size int32) error {
	h := st.H
	w := &st.fmt
	*w = waveFormat{}
	if size < 16 {
		return errFmt("fmt chunk shorter than 16 bytes")
	}

	read := int64(h.Readf("224422", &w.tag, &w.channels, &w.sampleRate, &w.byteRate, &w.blockAlign, &w.bits))

	if w.tag == tagPCM && w.blockAlign == 0 && w.bits > 0 && w.channels > 0 {
		ba := w.bits / 8
		if w.bits%8 > 0 {
			ba++
		}
		w.blockAlign = ba * w.channels
	}
	if w.tag == tagPCM && w.bits == 24 && uint32(w.blockAlign) == 4*uint32(w.channels) {
		// Ambiguous: libsndfile will look at the samples to decide.
		st.fmtBroken = true
	}

	st.Samplerate = int32(w.sampleRate)
	st.Frames = 0
	st.Channels = int32(w.channels)

	switch w.tag {
	case tagPCM, tagIEEEFloat:
		st.Bytewidth = bytesFor(w.bits)

	case tagALaw, tagMuLaw:
		st.Bytewidth = 1
		if size >= 18 {
			read += int64(h.Readf("2", &w.extraSize))
		}

	case tagIMAADPCM:
		if w.bits != 4 {
			return errUnsupported("IMA ADPCM with %d bits per sample", w.bits)
		}
		if w.channels < 1 || w.channels > 2 {
			return errUnsupported("IMA ADPCM with %d channels", w.channels)
		}
		read += int64(h.Readf("22", &w.extraSize, &w.word18))
		if w.word18 < 1 {
			return errFmt("IMA ADPCM with 0 samples per block")
		}

	case tagMSADPCM:
		if w.bits != 4 {
			return errUnsupported("MS ADPCM with %d bits per sample", w.bits)
		}
		if w.channels < 1 || w.channels > 2 {
			return errUnsupported("MS ADPCM with %d channels", w.channels)
		}
		read += int64(h.Readf("222", &w.extraSize, &w.word18, &w.numCoeffs))
		if w.word18 < 1 {
			return errFmt("MS ADPCM with 0 samples per block")
		}
		n := w.numCoeffs
		if n > 7 {
			n = 7
		}
		var coef1, coef2 int16
		for k := uint16(0); k < n; k++ {
			read += int64(h.Readf("22", &coef1, &coef2))
		}

	case tagGSM610:
		if w.channels != 1 || w.blockAlign != 65 {
			return errUnsupported("GSM 6.10 must be mono with 65-byte blocks (channels %d, block align %d)", w.channels, w.blockAlign)
		}
		read += int64(h.Readf("22", &w.extraSize, &w.word18))
		if w.word18 != 320 {
			return errUnsupported("GSM 6.10 with %d samples per block (320 expected)", w.word18)
		}

	case tagMPEGLayer3:
		// libsndfile reads wID as 4 bytes and fdwFlags as 2, and leaves
		// nCodecDelay out: 12 bytes, not 14, so a 28-byte chunk will do.
		var id uint32
		var flags, blockSize, framesPerBlock uint16
		read += int64(h.Readf("24222", &w.extraSize, &id, &flags, &blockSize, &framesPerBlock))

	case tagExtensible:
		read += int64(h.Readf("224", &w.extraSize, &w.word18, &w.channelMask))
		read += int64(h.Readf("422", &w.sub.d1, &w.sub.d2, &w.sub.d3))
		for k := range w.sub.d4 {
			read += int64(h.Readf("1", &w.sub.d4[k]))
		}
		st.Bytewidth = bytesFor(w.bits)

		tag := w.sub.tag()
		if tag == 0 {
			return errUnsupported("WAVE_FORMAT_EXTENSIBLE sub-format %08x-%04x-%04x-% x", w.sub.d1, w.sub.d2, w.sub.d3, w.sub.d4[:])
		}
		st.major = sfWAVEX
		st.Codec, _ = tagCodec(tag, st.Bytewidth)

	case tagG721ADPCM:
		if size >= 20 {
			read += int64(h.Readf("22", &w.extraSize, &w.word18))
		} else if size == 18 {
			read += int64(h.Readf("2", &w.extraSize))
		}

	case tagNMSVBX:
		if w.channels != 1 || w.bits < 2 || uint32(w.bits)*20+2 != uint32(w.blockAlign) {
			return errUnsupported("NMS VBX ADPCM with %d channels, %d bits, block align %d", w.channels, w.bits, w.blockAlign)
		}
		if size >= 18 {
			read += int64(h.Readf("2", &w.extraSize))
		}

	default:
		return errUnsupported("format tag 0x%04x", w.tag)
	}

	if read > int64(size) {
		return errFmt("fmt chunk of %d bytes is too short for format 0x%04x", size, w.tag)
	}
	h.Readf("j", int32(int64(size)-read))

	st.Blockwidth = int32(w.channels) * st.Bytewidth
	return nil
}

// tag is the format tag a WAVE_FORMAT_EXTENSIBLE sub-format stands for,
// 0 for one libsndfile does not read.
func (g guid) tag() uint16 {
	switch g {
	case guidPCM, guidAmbisonicPCM:
		return tagPCM
	case guidIEEEFloat, guidAmbisonicIEEE:
		return tagIEEEFloat
	case guidALaw:
		return tagALaw
	case guidMuLaw:
		return tagMuLaw
	case guidMSADPCM:
		return tagMSADPCM
	}
	return 0
}

// tagCodec is the subtype the WAV, RF64 and W64 readers give a format tag,
// of samples byteWidth bytes wide (PCM's from its width, none when no PCM
// subtype fits), and false for a tag they do not know by itself. Which
// subtypes each container opens is the codec set-up's business
// (initCodec).
func tagCodec(tag uint16, byteWidth int32) (sndfile.Codec, bool) {
	switch tag {
	case tagPCM:
		return pcmCodec(byteWidth * 8), true
	case tagMuLaw:
		return sndfile.ULaw, true
	case tagALaw:
		return sndfile.ALaw, true
	case tagMSADPCM:
		return sndfile.MSADPCM, true
	case tagIMAADPCM:
		return sndfile.IMAADPCM, true
	case tagGSM610:
		return sndfile.GSM610, true
	case tagIEEEFloat:
		if byteWidth == 8 {
			return sndfile.Double, true
		}
		return sndfile.Float, true
	case tagG721ADPCM:
		return sndfile.G721_32, true
	case tagMPEGLayer3:
		return sndfile.MPEGLayerIII, true
	}
	return sndfile.CodecNone, false
}

// checkWalk is what the readers require once their chunk walk ends: a
// data chunk, and a channel count libsndfile takes.
func (st *sfState) checkWalk() error {
	if st.DataOffset <= 0 {
		return errFmt("no data chunk")
	}
	if st.Channels < 1 {
		return errFmt("zero channels")
	}
	if st.Channels > sndfile.MaxChannels {
		return errUnsupported("%d channels (at most %d)", st.Channels, sndfile.MaxChannels)
	}
	return nil
}

// bytesFor is libsndfile's BITWIDTH2BYTES.
func bytesFor(bits uint16) int32 { return (int32(bits) + 7) / 8 }

// pcmCodec is u_bitwidth_to_subformat: the PCM subtype for a sample width
// (8 bits is unsigned in WAV), none when there is none.
func pcmCodec(bits int32) sndfile.Codec {
	if bits < 8 || bits > 32 {
		return sndfile.CodecNone
	}
	return [...]sndfile.Codec{sndfile.PCMU8, sndfile.PCM16, sndfile.PCM24, sndfile.PCM32}[(bits+7)/8-1]
}
