// Package mpeg recognises MPEG audio (MP3, MP2, MP1; ISO/IEC 11172-3 and
// 13818-3) the way the server's reader does, and ADTS AAC, which it does
// not open.
//
// libsndfile 1.2.0 takes an input for MPEG when its first four bytes — or
// the four after the ID3v2 tags it skips — look like a frame header
// (src/sndfile.c, identify_mpeg), after every other signature failed. It
// then hands the whole input to libmpg123 1.31 (src/mpeg_decode.c), which
// finds the first frame itself, needs a second, compatible one right after
// it, and reports rate, channels and length: the frame count of a Xing/Info
// header with the LAME encoder delay and padding cut off, or else an
// estimate from the input size and the first frame's size. A full read
// decodes every frame, resyncs over junk but gives up after 1024 bytes
// without a frame header (a read error), and stops without an error at a
// frame of another rate, layer, version or channel count
// (docs/server.md#mpeg-audio).
package mpeg

import (
	"fmt"
	"io"
	"strings"

	"github.com/audiopreflight/audiopreflight/probe"
)

func init() {
	probe.RegisterFormat(probe.Format{
		Name:         probe.ContainerMP3,
		Match:        sniffMPEG,
		Order:        probe.OrderMPEG,
		ReadHeaderIn: readHeaderIn,
		ReadAll:      readAll,
	})
	probe.RegisterFormat(probe.Format{
		Name:  probe.ContainerAAC,
		Match: sniffADTS,
		Order: probe.OrderADTS,
	})
}

// sniffMPEG is libsndfile's test; it reads 12 bytes before any test, so a
// shorter input is nothing.
func sniffMPEG(head []byte, size int64) bool {
	return size >= 12 && sniffable(head)
}

// whole widens r to the whole input: libsndfile lets libmpg123 read from the
// first byte even when it found the MPEG header after ID3v2 tags, and the
// prober hands such a format the part after the tags as an io.SectionReader.
func whole(r io.ReaderAt, size int64) (io.ReaderAt, int64) {
	if sr, ok := r.(*io.SectionReader); ok {
		outer, off, n := sr.Outer()
		return outer, off + n
	}
	return r, size
}

var subtypes = [4]string{"", "MPEG_LAYER_I", "MPEG_LAYER_II", "MPEG_LAYER_III"}
var codecs = [4]string{"", "mp1", "mp2", "mp3"}

// readHeaderIn says what libsndfile sees when it opens MPEG audio,
// building the Info in room. The stream's parser is done with once the
// header is read (a full read walks the stream again): its buffers serve
// the next input.
func readHeaderIn(r io.ReaderAt, size int64, room *probe.Room) (*probe.Info, error) {
	r, size = whole(r, size)
	info := room.Info()
	info.Container = probe.ContainerMP3
	s, err := Open(r, 0, size)
	if err != nil {
		return info, err
	}
	s.release()
	info.Parts = room.Parts()
	info.Opens = true
	info.Variant = s.Version.String()
	info.Codec = codecs[s.Layer]
	info.SndfileFormat = "MP3"
	info.SndfileSubtype = subtypes[s.Layer]
	info.SampleRate = s.SampleRate
	info.Channels = s.Channels
	info.Frames = s.Frames
	info.LengthUnknown = s.LengthUnknown

	streamEnd := size
	if s.ID3v1 {
		streamEnd -= 128
	}
	if x := s.Xing; x != nil {
		info.Parts = append(info.Parts, probe.Part{Kind: "metadata", ID: x.Tag, Offset: x.Offset, Size: s.FirstFrame - x.Offset, Note: xingNote(x)})
	}
	info.Parts = append(info.Parts, probe.Part{Kind: "stream", ID: s.Version.String() + " " + layerName[s.Layer], Offset: s.FirstFrame, Size: streamEnd - s.FirstFrame})
	if s.ID3v1 {
		info.Parts = append(info.Parts, probe.Part{Kind: "tag", ID: "ID3v1", Offset: size - 128, Size: 128})
	}
	info.LengthEstimated = s.Estimated
	if s.Estimated {
		info.Warnings = append(info.Warnings, "no Xing/Info header: the length is an estimate from the file size")
	}
	if s.LengthUnknown {
		info.Warnings = append(info.Warnings, "the Xing/Info header's frame count is smaller than its encoder delay and padding: the length is unknown")
	}
	info.Detail = s
	return info, nil
}

var layerName = [4]string{"", "Layer I", "Layer II", "Layer III"}

func xingNote(x *Xing) string {
	var parts []string
	if x.Frames > 0 {
		parts = append(parts, fmt.Sprintf("%d frames", x.Frames))
	}
	if x.Encoder != "" {
		parts = append(parts, fmt.Sprintf("%s, delay %d, padding %d", x.Encoder, x.Delay, x.Padding))
	}
	return strings.Join(parts, "; ")
}

// readAll walks the whole stream again from the start over r (the header
// state is cheap to rebuild and keeps ReadAll independent of the reader
// ReadHeader was given).
func readAll(r io.ReaderAt, size int64, info *probe.Info) (*probe.ReadResult, error) {
	r, size = whole(r, size)
	s, err := ScanFrames(r, 0, size)
	if err != nil {
		// the header opened, so only an input that changed since gets here
		return nil, err
	}
	return s.ReadResult(), nil
}
