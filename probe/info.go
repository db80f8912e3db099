package probe

import (
	"encoding/json"
	"math"
)

// Info is what one input is, as libsndfile 1.2 sees it when it opens it
// (docs/server.md#the-reader). The JSON shape is the "audio" object of the
// check and probe output (README.md#output-formats), plus
// details that help a person see why a verdict was reached.
type Info struct {
	// Container is the short name of the container family: one of the
	// Container* constants. It comes from the content, never the extension.
	Container string `json:"container"`
	// Variant refines Container: "RIFF", "RIFX", "RF64", "BW64" for WAV,
	// "AIFC" for AIFF-C, "opus"/"vorbis"/"flac"/"speex" for Ogg streams, ...
	Variant string `json:"variant,omitempty"`
	// Codec names the audio coding, ffmpeg style where one exists:
	// "pcm_s16le", "pcm_f32le", "pcm_mulaw", "adpcm_ima_wav", "flac",
	// "opus", "vorbis", "mp3", ...
	Codec string `json:"codec,omitempty"`

	// Opens tells whether libsndfile opens the input (sf_open succeeds).
	// When it does not, OpenError says why, in words.
	Opens     bool   `json:"opens"`
	OpenError string `json:"open_error,omitempty"`

	// SndfileFormat and SndfileSubtype are libsndfile's major format and
	// subtype as python-soundfile names them ("WAV", "WAVEX", "RF64",
	// "FLAC", "OGG", "MP3", "AIFF", ...; "PCM_16", "OPUS", "VORBIS", ...).
	// Empty when the input does not open.
	SndfileFormat  string `json:"sndfile_format,omitempty"`
	SndfileSubtype string `json:"sndfile_subtype,omitempty"`

	// SampleRate is the rate the server sees. For Ogg-Opus that is the
	// OpusHead input rate rounded up to an Opus rate
	// (docs/server.md#ogg-opus-rate);
	// InputSampleRate keeps the OpusHead value.
	SampleRate      int `json:"sample_rate,omitempty"`
	InputSampleRate int `json:"input_sample_rate,omitempty"`
	Channels        int `json:"channels,omitempty"`
	BitsPerSample   int `json:"bits_per_sample,omitempty"`

	// Frames is the frame count the header declares, as libsndfile reports
	// it (sf_info.frames). LengthUnknown is set when libsndfile reports
	// SF_COUNT_MAX (FLAC total-samples 0, an Ogg stream whose last page is
	// cut, ...); Frames is then meaningless.
	Frames        int64 `json:"frames"`
	LengthUnknown bool  `json:"length_unknown,omitempty"`
	// FramesHeld is how many frames the input holds by its own account,
	// when a format can tell from the header and that is more than
	// Frames: a data chunk that declares more than the file has left
	// (libsndfile counts only what is there), an Ogg stream whose first
	// audio pages are lost (libsndfile starts counting after them). 0 when
	// the header shows nothing beyond Frames. See Unscored.
	FramesHeld int64 `json:"frames_held,omitempty"`
	// LengthEstimated is set when Frames is an estimate rather than a
	// count (MPEG audio without a Xing/Info header: libsndfile estimates
	// the length from the file size), so that reading fewer frames loses
	// nothing.
	LengthEstimated bool `json:"length_estimated,omitempty"`

	// Size is the input's byte size.
	Size int64 `json:"size_bytes"`

	// Parts summarises the structure that was read: WAV chunks, FLAC
	// metadata blocks, Ogg logical streams.
	Parts []Part `json:"parts,omitempty"`

	// Warnings are things the server tolerates but a person should know
	// (docs/server.md#warnings) that the header alone shows.
	Warnings []string `json:"warnings,omitempty"`

	// Settled is set when the header alone decides what a full read would
	// find (for example PCM WAV, where the frames present follow from the
	// data chunk size and the file size). ReadAll returns it without reading.
	Settled *ReadResult `json:"-"`

	// Detail carries a format's parsed header state from Probe to ReadAll.
	Detail any `json:"-"`

	// Held is Detail when its format keeps memory in it to reuse for the
	// next input (a decoder, buffers): Release gives it back. The format
	// sets both, so that Release calls it without asking Detail at run
	// time; asking made an itab for each format's Detail type at its
	// first input, written into fresh runtime memory in the middle of a
	// run (a copy of the zero page and a TLB flush of the other worker's
	// CPU).
	Held Releaser `json:"-"`

	// Samples locates the audio of an input that opens with uncompressed
	// samples (PCM, float, µ-law, A-law), for decoders; nil otherwise.
	Samples *SampleLayout `json:"-"`
}

// SampleLayout is where and how uncompressed samples are stored: Frames
// frames of Info.Channels interleaved samples from Offset on, Offset
// counted from the start of the part of the input the format was probed
// on (see Section).
type SampleLayout struct {
	Offset   int64
	Frames   int64
	Encoding SampleEncoding
	// Bytes is the size of one sample (1 for the laws).
	Bytes     int
	BigEndian bool
}

// SampleEncoding is how one stored sample encodes its value.
type SampleEncoding int

// Sample encodings.
const (
	SignedPCM SampleEncoding = iota + 1
	UnsignedPCM
	IEEEFloat
	MuLaw
	ALaw
)

// Part is one structural element of a container.
type Part struct {
	Kind   string `json:"kind"`             // "chunk", "metadata", "stream", "tag", ...
	ID     string `json:"id"`               // chunk id, metadata block type, stream codec
	Offset int64  `json:"offset"`           // where it starts in the input
	Size   int64  `json:"size"`             // its size in bytes, as declared
	Note   string `json:"note,omitempty"`   // anything odd about it
	Serial uint32 `json:"serial,omitempty"` // Ogg stream serial number
}

// ReadResult is what reading the whole audio finds, as libsndfile's sf_read
// loop in the server would (docs/server.md#read-loop, and the length,
// decode and zero-frames steps of docs/server.md#decision-order).
type ReadResult struct {
	// FramesRead is the number of frames read before the end or an error.
	FramesRead int64 `json:"frames_read"`
	// ReadError is non-empty when reading fails part way (the server answers
	// FailedToConvertAudio); it says what failed, in words.
	ReadError string `json:"read_error,omitempty"`
	// FramesHeld is how many frames the audio holds as the full read found
	// it, when that is more than the header's count (Info.Frames): MPEG
	// frames that decode past the length libsndfile reports (its read stops
	// there), Ogg pages after the last one libsndfile measured the length
	// to. 0 when the read found nothing beyond it. See Unscored.
	FramesHeld int64 `json:"frames_held,omitempty"`
	// FramesSkipped is how many frames the parts the read passed over held
	// (Ogg pages missing or failing their checksum, by the granule
	// positions around them), as far as the format can count them: the
	// server may still deliver as many frames as the header says, when a
	// seek makes it read other audio twice. See Unscored.
	FramesSkipped int64 `json:"frames_skipped,omitempty"`
	// Warnings found by the full read (docs/server.md#warnings) that say
	// why audio is lost or odd: bad Ogg pages, gaps, decoder resyncs. How much audio the
	// server leaves out is Unscored's one warning, not repeated here.
	Warnings []string `json:"warnings,omitempty"`
}

// Container short names. These are also the audio_format names the server
// uses in FailedToConvertAudio (docs/server.md#audio-format-names).
const (
	ContainerWAV     = "wav"
	ContainerW64     = "w64"
	ContainerFLAC    = "flac"
	ContainerOgg     = "ogg"
	ContainerMP3     = "mp3"
	ContainerAIFF    = "aiff"
	ContainerAU      = "au"
	ContainerCAF     = "caf"
	ContainerVOC     = "voc"
	ContainerM4A     = "m4a"
	ContainerAAC     = "aac"
	ContainerWebM    = "webm"
	ContainerAMR     = "amr"
	ContainerWMA     = "wma"
	ContainerUnknown = "unknown"
)

// Duration is the audio's length in seconds as the header gives it, 0 when
// the length or the rate is unknown.
func (i *Info) Duration() float64 {
	if i.LengthUnknown || i.SampleRate <= 0 {
		return 0
	}
	return float64(i.Frames) / float64(i.SampleRate)
}

// MarshalJSON writes the "audio" object (README.md#output-formats): frames and
// duration_seconds are null when the length is unknown or the input does
// not open.
func (i Info) MarshalJSON() ([]byte, error) {
	type plain Info
	out := struct {
		plain
		Frames   *int64   `json:"frames"`
		Duration *float64 `json:"duration_seconds"`
	}{plain: plain(i)}
	if i.Opens && !i.LengthUnknown {
		out.Frames = &i.Frames
		if i.SampleRate > 0 {
			d := math.Round(i.Duration()*1000) / 1000
			out.Duration = &d
		}
	}
	return json.Marshal(out)
}
