// Package wav reads the WAV family (RIFF/WAVE, big-endian RIFX, RF64, and
// BW64, which it only recognises) and Sony Wave64 exactly as the server's
// reader, libsndfile 1.2.0, does (docs/server.md#wav).
//
// Specifications: Microsoft/IBM "Multimedia Programming Interface and Data
// Specifications 1.0" (RIFF, WAVE, 'fmt ', 'fact', LIST/INFO),
// WAVE_FORMAT_EXTENSIBLE (Microsoft, "Multiple channel audio data and WAVE
// files"), EBU Tech 3306 (RF64), ITU-R BS.2088 (BW64), and Sony's Wave64
// description. What matters here, though, is not the specification but
// what libsndfile 1.2.0 does with a file, damaged ones included: its
// src/wav.c, src/wavlike.c, src/rf64.c and src/w64.c and the codec set-up
// they call. This package reproduces that behaviour (the chunk walk, the
// fmt checks and the frame counts) in its own code, reading through
// probe/internal/sndfile's model of libsndfile's header cache, and is
// checked against the reference model on a differential corpus.
//
// The package has its own bounded chunk walker. github.com/go-audio/wav's
// reader is not used for parsing: measured, it allocates from untrusted
// chunk sizes (a 36-byte file whose 'fmt ' chunk declares 1 GiB makes it
// allocate 2 GiB, and so does a 24-byte file with a 1 GiB LIST chunk), it
// calls a WAV without a 'data' chunk valid, and it takes the duration from
// the RIFF size. libsndfile refuses the first and takes the frame count from
// the data that is present.
//
// For every codec but MPEG the header decides what a full read finds (no
// libsndfile codec used for WAV fails part way through the data), so Probe
// answers the full read without reading the audio. MPEG-in-WAV is decoded
// by mpg123 from the start of the file; its rate, channel count and length
// come from the MPEG frames (probe/mpeg). Behind ID3v2 tags a WAV is read on
// with the positions of the whole input, as libsndfile does through the
// server's in-memory file.
package wav

import (
	"fmt"
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

func init() {
	probe.RegisterFormat(probe.Format{Name: probe.ContainerWAV, Magic: "RIFF????WAVE", Order: probe.OrderWAV,
		ReadHeaderIn: readWAVHeaderIn, ReadAll: readAll})
	probe.RegisterFormat(probe.Format{Name: probe.ContainerWAV, Magic: "RIFX????WAVE", Order: probe.OrderWAV,
		ReadHeaderIn: readWAVHeaderIn, ReadAll: readAll})
	probe.RegisterFormat(probe.Format{Name: probe.ContainerWAV, Magic: "RF64????WAVE", Order: probe.OrderRF64,
		ReadHeaderIn: readWAVHeaderIn, ReadAll: readAll})
	// libsndfile 1.2.0 does not recognise BW64: it never opens.
	probe.RegisterFormat(probe.Format{Name: probe.ContainerWAV, Magic: "BW64????WAVE", Order: probe.OrderDetectOnly,
		ReadHeader: readBW64Header})
	probe.RegisterFormat(probe.Format{Name: probe.ContainerW64, Magic: "riff????????", Order: probe.OrderW64,
		ReadHeaderIn: readW64HeaderIn, ReadAll: readAll})
}

// readWAVHeaderIn reads a RIFF, RIFX or RF64 file, into room.
func readWAVHeaderIn(r io.ReaderAt, size int64, room *probe.Room) (*probe.Info, error) {
	st := newState(r, size, probe.ContainerWAV)
	// Read into the pooled state: a local array would escape to the heap
	// through the reader.
	if n, _ := r.ReadAt(st.pooled.magic[:], 0); n < 4 {
		st.release()
		return nil, io.ErrUnexpectedEOF
	}
	// The constants, not a new string.
	var variant string
	switch string(st.pooled.magic[:]) {
	case "RIFF":
		variant = "RIFF"
	case "RIFX":
		variant = "RIFX"
	case "RF64":
		variant = "RF64"
	default:
		variant = string(st.pooled.magic[:])
	}
	var err error
	major := sfWAV
	if variant == "RF64" {
		major = sfRF64
		err = st.readRF64Header()
	} else {
		err = st.readRIFFHeader()
	}
	info, err := st.finish(variant, major, err, room)
	st.release()
	return info, err
}

// readW64HeaderIn reads a Sony Wave64 file, into room.
func readW64HeaderIn(r io.ReaderAt, size int64, room *probe.Room) (*probe.Info, error) {
	st := newState(r, size, probe.ContainerW64)
	info, err := st.finish("W64", sfW64, st.readW64Header(), room)
	st.release()
	return info, err
}

func readBW64Header(r io.ReaderAt, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: probe.ContainerWAV, Variant: "BW64"}
	return info, &probe.UnsupportedError{Format: probe.ContainerWAV, Msg: "BW64: libsndfile 1.2.0 does not recognise this container"}
}

// finish runs the codec set-up and sf_open's checks after a header walk and
// fills the Info, in room.
func (st *sfState) finish(variant string, major int, err error, room *probe.Room) (*probe.Info, error) {
	info := room.Info()
	info.Container, info.Variant = st.Name, variant
	if st.fmt.tag != 0 || st.fmt.channels != 0 {
		info.Codec = codecName(st.fmt, variant == "RIFX" && st.Endian == sndfile.Big)
		info.BitsPerSample = int(st.fmt.bits)
		info.SampleRate = int(st.fmt.sampleRate)
		info.Channels = int(st.fmt.channels)
	}
	if err == nil && st.major != major && !(major == sfWAV && st.major == sfWAVEX) {
		err = errUnsupported("%s audio in %s", containerName(st.major), containerName(major))
	}
	if err == nil {
		err = st.initCodec(major)
	}
	if err == nil {
		err = st.Validate()
	}
	if len(st.parts) > 0 {
		info.Parts = append(room.Parts(), st.parts...)
	}
	info.Warnings = st.headerWarnings()
	if err != nil {
		return info, toProbeError(st.Name, st.dataChunkAt, err)
	}

	info.Opens = true
	info.SndfileFormat = containerName(st.major)
	info.SndfileSubtype = st.Codec.String()
	info.SampleRate = int(st.Samplerate)
	info.Channels = int(st.Channels)
	info.Frames = st.Frames
	if st.mpeg != nil {
		info.Codec = st.mpeg.codec
		info.LengthUnknown = st.mpeg.lengthUnknown
		info.LengthEstimated = st.mpeg.estimated
		info.Detail = st.mpeg
		return info, nil
	}
	info.FramesHeld = st.FramesHeld()
	info.Settled = room.Settled(probe.ReadResult{FramesRead: st.Frames})
	if samples := room.Samples(); st.FillSampleLayout(samples) {
		info.Samples = samples
	}
	return info, nil
}

// streaming tells whether the data chunk's size is the 0xFFFFFFFF a
// streaming writer leaves: the audio runs to the end of the file.
func (st *sfState) streaming() bool {
	return st.Name == probe.ContainerWAV && st.dataDeclared == 0xFFFFFFFF
}

// headerWarnings are the warnings the header shows (docs/server.md#warnings).
func (st *sfState) headerWarnings() []string {
	if st.DataOffset <= 0 || st.dataDeclared < 0 {
		return nil
	}
	present := max(st.FileLength-st.DataOffset, 0)
	switch {
	case st.streaming():
		return []string{"data chunk size is 0xFFFFFFFF (written by a streaming writer): the audio runs to the end of the file"}
	case st.dataDeclared == 0 && present > 0 && st.DataLength == 0:
		return []string{fmt.Sprintf("data chunk size is 0 but %d bytes follow it: the server reads zero frames", present)}
	}
	return st.CutShort("data chunk", st.dataDeclared, present)
}

// codecName names the coding ffmpeg style.
func codecName(w waveFormat, bigEndian bool) string {
	tag := w.tag
	if tag == tagExtensible {
		if tag = w.sub.tag(); tag == 0 {
			return "unknown"
		}
	}
	switch tag {
	case tagPCM:
		switch bytesFor(w.bits) {
		case 1:
			return "pcm_u8"
		case 2:
			return pick(bigEndian, "pcm_s16be", "pcm_s16le")
		case 3:
			return pick(bigEndian, "pcm_s24be", "pcm_s24le")
		case 4:
			return pick(bigEndian, "pcm_s32be", "pcm_s32le")
		}
		return "pcm"
	case tagIEEEFloat:
		if bytesFor(w.bits) == 8 {
			return pick(bigEndian, "pcm_f64be", "pcm_f64le")
		}
		return pick(bigEndian, "pcm_f32be", "pcm_f32le")
	case tagMuLaw:
		return "pcm_mulaw"
	case tagALaw:
		return "pcm_alaw"
	case tagIMAADPCM:
		return "adpcm_ima_wav"
	case tagMSADPCM:
		return "adpcm_ms"
	case tagGSM610:
		return "gsm_ms"
	case tagG721ADPCM:
		return "g721"
	case tagNMSVBX:
		return "nms_adpcm"
	case tagMPEGLayer3:
		return "mp3"
	case tagMPEG:
		return "mp2"
	}
	return fmt.Sprintf("0x%04x", tag)
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// readAll is the full read for inputs whose header does not settle it
// (MPEG audio inside WAV).
func readAll(r io.ReaderAt, size int64, info *probe.Info) (*probe.ReadResult, error) {
	m, ok := info.Detail.(*mpegStream)
	if !ok {
		return &probe.ReadResult{FramesRead: info.Frames}, nil
	}
	if outer, _, total, ok := sndfile.Embedded(r); ok {
		// Behind ID3v2 tags libmpg123 too reads the whole input.
		r, size = outer, total
	}
	return m.readAll(r, size)
}
