// Package aiff reads IFF "FORM" files: AIFF and AIFF-C (Apple's Audio
// Interchange File Format 1.3 and its compressed extension, AIFF-C draft
// 1991), and the Amiga's 8SVX/16SV (EA IFF 85), as libsndfile 1.2.0 does
// (src/aiff.c, src/svx.c).
//
// The server takes "FORM" ... "AIFF"/"AIFC" for AIFF and "8SVX"/"16SV" for
// SVX; any other FORM type does not open. The AIFF parser walks the chunks
// in any order, tolerates a wrong FORM size and an SSND size past the end
// of the file, resynchronises on garbage, and counts frames from the bytes
// present (not from COMM's frame count), except for GSM 6.10 and DWVW,
// whose count COMM caps. AIFF-C codecs it decodes: PCM ("NONE", "twos",
// "sowt", "in24", "in32", "42n1", "23ni", "raw "), "fl32"/"fl64", "ulaw",
// "alaw", "ima4" (IMA ADPCM), "GSM " (GSM 6.10) and "DWVW"; any other
// compression type, MP3 included, does not open. All of it is opened but
// not accepted by the API (docs/server.md#other-formats).
package aiff

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

func init() {
	probe.RegisterFormat(probe.Format{
		Name:       probe.ContainerAIFF,
		Magic:      "FORM",
		Order:      probe.OrderAIFF,
		ReadHeader: ReadHeader,
		ReadAll:    ReadAll,
	})
}

// Chunk and form type markers, most significant byte first.
const (
	markFORM = 'F'<<24 | 'O'<<16 | 'R'<<8 | 'M'
	markAIFF = 'A'<<24 | 'I'<<16 | 'F'<<8 | 'F'
	markAIFC = 'A'<<24 | 'I'<<16 | 'F'<<8 | 'C'
	mark8SVX = '8'<<24 | 'S'<<16 | 'V'<<8 | 'X'
	mark16SV = '1'<<24 | '6'<<16 | 'S'<<8 | 'V'
)

// ReadHeader reads a FORM file's header as libsndfile's aiff_open or
// svx_open does.
func ReadHeader(r io.ReaderAt, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: probe.ContainerAIFF}
	if size < 12 {
		// guess_file_type needs 12 bytes to recognise anything.
		return info, &probe.FormatError{Format: probe.ContainerAIFF, Off: 0, Msg: "shorter than a FORM header"}
	}
	var head [12]byte
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return info, io.ErrUnexpectedEOF
	}
	formType := uint32(head[8])<<24 | uint32(head[9])<<16 | uint32(head[10])<<8 | uint32(head[11])
	switch formType {
	case markAIFF, markAIFC:
		return readAIFF(r, size, info)
	case mark8SVX, mark16SV:
		return readSVX(r, size, info)
	}
	info.Variant = printable(head[8:12])
	return info, &probe.UnsupportedError{Format: probe.ContainerAIFF, Msg: "FORM type " + quote(head[8:12]) + " is neither AIFF nor 8SVX"}
}

// ReadAll reads the audio of an AIFF file whose header did not settle it
// (DWVW); every other codec's result follows from the header.
func ReadAll(r io.ReaderAt, size int64, info *probe.Info) (*probe.ReadResult, error) {
	d, ok := info.Detail.(*detail)
	if !ok {
		return &probe.ReadResult{}, nil
	}
	if outer, _, total, ok := sndfile.Embedded(r); ok {
		// Behind ID3v2 tags the data offset is the whole input's.
		r, size = outer, total
	}
	return d.readAll(r, size), nil
}

// detail is the parsed state ReadAll needs.
type detail struct {
	codec      sndfile.Codec
	frames     int64
	channels   int64
	dataOffset int64
	bitWidth   int
}

func (d *detail) readAll(r io.ReaderAt, size int64) *probe.ReadResult {
	switch d.codec {
	case sndfile.DWVW16, sndfile.DWVW24, sndfile.DWVWN:
		// dwvw_seek can only go back to the start, and the server seeks to
		// the new position after every block: any block read fails.
		return sndfile.ReadLoop(sndfile.Loop{Frames: d.frames, Channels: d.channels, Seekable: true, CanRead: true},
			newDWVWStream(r, size, d.dataOffset, d.bitWidth))
	case sndfile.DWVW12:
		// No DWVW-12 decoder is installed, and the default seek needs a
		// block width that was never set.
		return sndfile.ReadLoop(sndfile.Loop{Frames: d.frames, Channels: d.channels, Seekable: true, CanRead: false},
			noSeek{})
	}
	return &probe.ReadResult{FramesRead: d.frames}
}

// noSeek is a stream whose every seek fails (psf_default_seek with no
// block width).
type noSeek struct{}

func (noSeek) Read(int64) (int64, error) { return 0, nil }
func (noSeek) SeekFrame(int64) (int64, error) {
	return 0, &probe.FormatError{Format: probe.ContainerAIFF, Msg: "cannot seek: no block width"}
}

func printable(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if sndfile.IsPrint(c) {
			out[i] = c
		} else {
			out[i] = '?'
		}
	}
	return string(out)
}

func quote(b []byte) string { return "\"" + printable(b) + "\"" }

func markerString(m uint32) string {
	return printable([]byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)})
}
