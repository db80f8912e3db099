package wav

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
	"github.com/audiopreflight/audiopreflight/probe/mpeg"
)

// MPEG audio inside a WAV (format tag 0x0055, WAVE_FORMAT_MPEGLAYER3).
// libsndfile 1.2.0 hands such a file to libmpg123 from its first byte, not
// from the data chunk (src/mpeg_decode.c, mpeg_decoder_init): libmpg123
// steps over the RIFF header itself, and the sample rate, channel count,
// layer and length it reports replace those of the 'fmt ' and 'fact'
// chunks. The subtype is the WAV's MPEG_LAYER_III code OR-ed with the
// layer's, so layer II audio gets a code python-soundfile cannot name.
// probe/mpeg models libmpg123's parsing; this file only wires it in.

// mpegStream is what ReadAll needs to repeat libsndfile's full read.
type mpegStream struct {
	codec         string
	lengthUnknown bool
	estimated     bool // frames is mpg123's estimate from the file size
	frames        int64
}

var mpegCodecs = [4]string{"", "mp1", "mp2", "mp3"}

// mpegLayerCodecs are the subtypes of layers 1 to 3: MPEG_LAYER_III
// (0x82) OR-ed with MPEG_LAYER_I (0x80), MPEG_LAYER_II (0x81) and itself.
var mpegLayerCodecs = [4]sndfile.Codec{0, sndfile.MPEGLayerIII, sndfile.MPEGLayerIIInWAV, sndfile.MPEGLayerIII}

// initMPEG is mpeg_init for reading: libmpg123 opens the whole file.
func (st *sfState) initMPEG() error {
	s, err := mpeg.Open(st.H.Reader(), 0, st.H.Size())
	if err != nil || s == nil {
		return errFmt("no MPEG audio libmpg123 accepts")
	}
	if s.Layer < 1 || s.Layer > 3 {
		return errFmt("MPEG layer %d", s.Layer)
	}
	st.Samplerate = int32(s.SampleRate)
	st.Channels = int32(s.Channels)
	st.Frames = s.Frames
	st.Codec = mpegLayerCodecs[s.Layer]
	st.mpeg = &mpegStream{codec: mpegCodecs[s.Layer], lengthUnknown: s.LengthUnknown, estimated: s.Estimated, frames: s.Frames}
	if s.LengthUnknown {
		st.Frames = 0 // SF_COUNT_MAX: no count to validate
	}
	return nil
}

// readAll decodes the stream again over r as libsndfile's read loop would.
func (m *mpegStream) readAll(r io.ReaderAt, size int64) (*probe.ReadResult, error) {
	s, err := mpeg.ScanFrames(r, 0, size)
	if err != nil || s == nil {
		// The header opened: only a reader that changed under us gets here.
		return &probe.ReadResult{ReadError: "the MPEG stream no longer opens"}, nil
	}
	s.Frames = m.frames
	return s.ReadResult(), nil
}
