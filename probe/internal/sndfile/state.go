package sndfile

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Codec is libsndfile's subtype (the SF_FORMAT_SUBMASK part of a format).
type Codec int

// The subtypes the formats read here can report.
const (
	CodecNone Codec = iota
	PCMS8
	PCM16
	PCM24
	PCM32
	PCMU8
	Float
	Double
	ULaw
	ALaw
	IMAADPCM
	MSADPCM
	GSM610
	G721_32
	G723_24
	G723_40
	DWVW12
	DWVW16
	DWVW24
	DWVWN
	DPCM8
	DPCM16
	ALAC16
	ALAC20
	ALAC24
	ALAC32
	NMSADPCM16
	NMSADPCM24
	NMSADPCM32
	MPEGLayerIII
	// MPEGLayerIIInWAV is the subtype libsndfile gives layer II audio in a
	// WAV: MPEG_LAYER_III OR-ed with MPEG_LAYER_II, a code python-soundfile
	// has no name for.
	MPEGLayerIIInWAV
)

var codecNames = [...]string{
	CodecNone: "",
	PCMS8:     "PCM_S8",
	PCM16:     "PCM_16",
	PCM24:     "PCM_24",
	PCM32:     "PCM_32",
	PCMU8:     "PCM_U8",
	Float:     "FLOAT",
	Double:    "DOUBLE",
	ULaw:      "ULAW",
	ALaw:      "ALAW",
	IMAADPCM:  "IMA_ADPCM",
	MSADPCM:   "MS_ADPCM",
	GSM610:    "GSM610",
	G721_32:   "G721_32",
	G723_24:   "G723_24",
	G723_40:   "G723_40",
	DWVW12:    "DWVW_12",
	DWVW16:    "DWVW_16",
	DWVW24:    "DWVW_24",
	DWVWN:     "DWVW_N",
	DPCM8:     "DPCM_8",
	DPCM16:    "DPCM_16",
	ALAC16:    "ALAC_16",
	ALAC20:    "ALAC_20",
	ALAC24:    "ALAC_24",
	ALAC32:    "ALAC_32",

	NMSADPCM16:       "NMS_ADPCM_16",
	NMSADPCM24:       "NMS_ADPCM_24",
	NMSADPCM32:       "NMS_ADPCM_32",
	MPEGLayerIII:     "MPEG_LAYER_III",
	MPEGLayerIIInWAV: "n/a",
}

// String is the subtype's name as python-soundfile reports it.
func (c Codec) String() string {
	if c < 0 || int(c) >= len(codecNames) {
		return ""
	}
	return codecNames[c]
}

// SignedPCM is the signed PCM codec of samples of the given byte width,
// CodecNone for a width other than 1 to 4.
func SignedPCM(bytewidth int) Codec {
	if bytewidth < 1 || bytewidth > 4 {
		return CodecNone
	}
	return [...]Codec{PCMS8, PCM16, PCM24, PCM32}[bytewidth-1]
}

// Endian is psf->endian.
type Endian int

// Byte orders. EndianUnset is libsndfile's 0, which some set-up functions
// do not accept.
const (
	EndianUnset Endian = iota
	Little
	Big
)

// MaxChannels is SF_MAX_CHANNELS.
const MaxChannels = 1024

// File holds the SF_PRIVATE fields a header parser fills in and the codec
// set-up functions recompute. Field names follow libsndfile's.
type File struct {
	H *HeaderReader

	// Name is the container's short name, used in error messages.
	Name string

	FileLength int64 // psf->filelength; some parsers shorten it
	DataOffset int64 // psf->dataoffset, -1 until set
	DataLength int64 // psf->datalength, -1 until set
	DataEnd    int64 // psf->dataend, 0 when unset

	Bytewidth  int32
	Blockwidth int32
	Endian     Endian

	// sf_info as the parser sets it.
	Channels   int32
	Samplerate int32
	Frames     int64
	Codec      Codec
	Seekable   bool

	// CanRead is false when no read function was installed (sf_read then
	// fails with "unimplemented").
	CanRead bool

	// DataCutShort is how many bytes of audio data the header declares
	// beyond the end of the file (see CutShort): libsndfile reads what is
	// there, and the rest is audio the server never sees.
	DataCutShort int64
}

// NewFile starts the state of psf_open_file for an input of the given size.
func NewFile(r *HeaderReader, name string) *File {
	return &File{
		H:          r,
		Name:       name,
		FileLength: r.Size(),
		DataOffset: -1,
		DataLength: -1,
		Seekable:   true,
	}
}

// Settle is what the server's read loop finds in a stream whose every
// reported frame is present (PCM and the like): all of them, unless no
// decoder was installed, in which case the first read of a non-empty file
// fails.
func (f *File) Settle() *probe.ReadResult {
	if !f.CanRead && f.Frames > 0 {
		return &probe.ReadResult{ReadError: errUnimplemented.Error()}
	}
	return &probe.ReadResult{FramesRead: f.Frames}
}

// CutShort records that the header declares `declared` bytes of audio
// data where `present` are left in the file, and returns the warning that
// says why audio is missing (what names the declaring field: "data chunk",
// "AU header", ...); nothing when the data fits.
func (f *File) CutShort(what string, declared, present int64) []string {
	if declared <= present {
		return nil
	}
	f.DataCutShort = declared - present
	if f.H != nil && f.H.FileOffset() > 0 {
		// Not cut short: libsndfile measures the file from the start of
		// the audio's header but places the data from the start of the
		// input, so that the tags' length is lost at the end.
		return []string{fmt.Sprintf("the %s declares %d bytes of audio, but libsndfile counts the %d bytes of ID3v2 tags before the audio against them: the last %d bytes are not read",
			what, declared, f.H.FileOffset(), declared-present)}
	}
	return []string{fmt.Sprintf("the %s declares %d bytes of audio but the file ends %d bytes early: it was cut short", what, declared, declared-present)}
}

// FramesHeld is the frame count the data the header declares stands for:
// the frames counted in the bytes present (DataLength), scaled up by the
// bytes cut off — exact for PCM, close for block codecs; 0 when nothing
// was cut off.
func (f *File) FramesHeld() int64 {
	if f.DataCutShort <= 0 || f.DataLength <= 0 || f.Frames <= 0 {
		return 0
	}
	declared := uint64(f.DataLength) + uint64(f.DataCutShort)
	hi, lo := bits.Mul64(uint64(f.Frames), declared)
	if hi >= uint64(f.DataLength) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(f.DataLength))
	return int64(min(q, math.MaxInt64))
}

// Fail is a malformed-input error at offset off.
func (f *File) Fail(off int64, msg string) error {
	return &probe.FormatError{Format: f.Name, Off: off, Msg: msg}
}

// Unsupported is an error for well-formed content libsndfile refuses.
func (f *File) Unsupported(msg string) error {
	return &probe.UnsupportedError{Format: f.Name, Msg: msg}
}

// countFrames is how pcm_init and its siblings end: the data length up to
// dataend when it is set (endSet), else to the end of the file, and the
// whole frames in it.
func (f *File) countFrames(endSet bool) {
	f.DataLength = 0
	if f.FileLength > f.DataOffset {
		if endSet {
			f.DataLength = f.DataEnd - f.DataOffset
		} else {
			f.DataLength = f.FileLength - f.DataOffset
		}
	}
	f.Frames = 0
	if f.Blockwidth > 0 {
		f.Frames = f.DataLength / int64(f.Blockwidth)
	}
}

// PCMInit is pcm_init: block width from the sample width and channels,
// read functions for 1 to 4 bytes per sample, and the frame count from the
// bytes present.
func (f *File) PCMInit() error {
	if f.Bytewidth == 0 || f.Channels == 0 {
		return f.Fail(f.DataOffset, "no sample width or no channels")
	}
	f.Blockwidth = f.Bytewidth * f.Channels
	switch f.Bytewidth {
	case 1:
		if f.Codec != PCMS8 && f.Codec != PCMU8 {
			return f.Unsupported("8-bit samples that are neither signed nor unsigned")
		}
	case 2, 3, 4:
		if f.Endian != Little && f.Endian != Big {
			return f.Unsupported("PCM of unknown byte order")
		}
	default:
		return f.Unsupported("PCM samples of this width")
	}
	f.CanRead = true
	f.countFrames(f.DataEnd > 0)
	return nil
}

// LawInit is ulaw_init and alaw_init: one byte per sample.
func (f *File) LawInit() error {
	f.CanRead = true
	f.Bytewidth = 1
	f.Blockwidth = f.Channels
	f.countFrames(f.DataEnd != 0)
	return nil
}

// FloatInit is float32_init.
func (f *File) FloatInit() error {
	if f.Channels < 1 {
		return f.Fail(f.DataOffset, "no channels")
	}
	f.Blockwidth = 4 * f.Channels
	f.CanRead = f.Endian == Little || f.Endian == Big
	f.countFrames(f.DataEnd > 0)
	return nil
}

// DoubleInit is double64_init.
func (f *File) DoubleInit() error {
	if f.Channels < 1 || f.Channels > MaxChannels {
		return f.Fail(f.DataOffset, "bad channel count")
	}
	f.Blockwidth = 8 * f.Channels
	f.CanRead = f.Endian == Little || f.Endian == Big
	f.countFrames(f.DataEnd > 0)
	return nil
}

// InitCodec installs the decoder of the sample codecs libsndfile's
// formats share (pcm_init, ulaw_init and alaw_init, float32_init,
// double64_init), which recompute the frame count. Any other codec is
// refused: a format installs its own codecs itself.
func (f *File) InitCodec() error {
	switch f.Codec {
	case PCMS8, PCMU8, PCM16, PCM24, PCM32:
		return f.PCMInit()
	case ULaw, ALaw:
		return f.LawInit()
	case Float:
		return f.FloatInit()
	case Double:
		return f.DoubleInit()
	}
	return f.Unsupported("no decoder for this encoding")
}

// Finish is how psf_open_file ends once a format's header and codec
// set-up succeeded: its checks (Validate), then, when they pass, info for an
// input that opens: libsndfile's name of its format, and f's subtype, sample
// rate, channels and frames, with the codec and sample width as ffmpeg would
// report them.
func (f *File) Finish(info *probe.Info, format string) error {
	if err := f.Validate(); err != nil {
		return err
	}
	info.Opens = true
	info.SndfileFormat = format
	info.SndfileSubtype = f.Codec.String()
	info.SampleRate = int(f.Samplerate)
	info.Channels = int(f.Channels)
	info.Frames = f.Frames
	info.FramesHeld = f.FramesHeld()
	info.Codec = FFmpegCodec(f.Codec, f.Endian == Little)
	if b := BitsPerSample(f.Codec); b > 0 {
		info.BitsPerSample = b
	}
	info.Samples = f.SampleLayout()
	return nil
}

// SampleLayout says where the samples of an uncompressed codec are; nil
// for any other codec.
func (f *File) SampleLayout() *probe.SampleLayout {
	l := new(probe.SampleLayout)
	if !f.FillSampleLayout(l) {
		return nil
	}
	return l
}

// FillSampleLayout is SampleLayout into l, which a caller may have
// allocated with the Info; it reports false, with l unset, for a codec
// that is not uncompressed.
func (f *File) FillSampleLayout(l *probe.SampleLayout) bool {
	*l = probe.SampleLayout{Offset: f.DataOffset, Frames: f.Frames, Bytes: int(f.Bytewidth), BigEndian: f.Endian == Big}
	switch f.Codec {
	case PCMS8, PCM16, PCM24, PCM32:
		l.Encoding = probe.SignedPCM
	case PCMU8:
		l.Encoding = probe.UnsignedPCM
	case Float, Double:
		l.Encoding = probe.IEEEFloat
	case ULaw:
		l.Encoding = probe.MuLaw
	case ALaw:
		l.Encoding = probe.ALaw
	default:
		return false
	}
	return l.Bytes >= 1 && l.Bytes <= 8
}

// Validate is the check psf_open_file makes after a parser and its codec
// set-up succeeded (validate_sfinfo and validate_psf).
func (f *File) Validate() error {
	switch {
	case f.Samplerate < 1:
		return f.Fail(0, "sample rate below 1")
	case f.Frames < 0:
		return f.Fail(0, "negative frame count")
	case f.Channels < 1 || f.Channels > MaxChannels:
		return f.Fail(0, "channel count out of range")
	case f.Codec == CodecNone:
		return f.Unsupported("no codec")
	case f.DataLength < 0:
		return f.Fail(0, "negative data length")
	case f.DataOffset < 0:
		return f.Fail(0, "negative data offset")
	case f.Blockwidth != 0 && f.Blockwidth != f.Channels*f.Bytewidth:
		return f.Fail(0, "block width disagrees with channels and sample width")
	}
	return nil
}

// KnownChannelLayout tells whether libsndfile's channel-map table
// (chanmap.c) knows a Core Audio channel layout tag. AIFF's CHAN chunk
// reader stops short when it does not.
func KnownChannelLayout(tag int32) bool {
	return slices.Contains(channelLayouts[:], tag)
}

// channelLayouts are the layout tags (kAudioChannelLayoutTag_*: the layout
// number in the upper 16 bits, the channel count in the lower) that
// libsndfile 1.2.0 lists: data, not a map built at every start for the few
// inputs that have a layout.
var channelLayouts = [...]int32{
	0, 1 << 16, 100<<16 | 1, 101<<16 | 2, 102<<16 | 2, 107<<16 | 4, 108<<16 | 4,
	109<<16 | 5, 110<<16 | 6, 111<<16 | 8, 112<<16 | 8, 113<<16 | 3, 114<<16 | 3, 115<<16 | 4,
	116<<16 | 4, 117<<16 | 5, 118<<16 | 5, 119<<16 | 5, 120<<16 | 5, 121<<16 | 6, 122<<16 | 6,
	123<<16 | 6, 124<<16 | 6, 125<<16 | 7, 126<<16 | 8, 127<<16 | 8, 128<<16 | 8, 129<<16 | 8,
	130<<16 | 8, 131<<16 | 3, 132<<16 | 4, 133<<16 | 3, 134<<16 | 4, 135<<16 | 5, 136<<16 | 4,
	137<<16 | 5, 138<<16 | 5, 139<<16 | 6, 140<<16 | 7, 141<<16 | 6, 142<<16 | 7, 143<<16 | 7,
	144<<16 | 8,
}
