// Package au reads Sun/NeXT audio files (".snd", big-endian, and the
// little-endian "dns." variant; Sun's audio_filehdr and NeXT's SNDSoundStruct)
// as libsndfile 1.2.0 does (src/au.c).
//
// The header is six 32-bit fields: data offset, data size, encoding,
// sample rate, channels. libsndfile trusts the data size only when it ends
// at or before the end of the file; a size of 0xFFFFFFFF (written by
// streaming writers) or one that runs past the end means "to the end of
// the file", so the frame count always follows from the bytes present and
// the length is never unknown. Encodings it decodes: 8-bit µ-law and
// A-law, 8/16/24/32-bit PCM, 32/64-bit float, and the G.721/G.723 ADPCM
// variants (mono only, not seekable). Any other encoding, a channel count
// outside 1–1024 or a sample rate below 1 does not open. AU opens but is
// not accepted by the API (docs/server.md#other-formats).
package au

import (
	"io"
	"strconv"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

func init() {
	probe.RegisterFormat(probe.Format{
		Name:       probe.ContainerAU,
		Magic:      ".snd",
		Order:      probe.OrderAU,
		ReadHeader: ReadHeader,
		ReadAll:    ReadAll,
	})
	probe.RegisterFormat(probe.Format{
		Name:       probe.ContainerAU,
		Magic:      "dns.",
		Order:      probe.OrderAU,
		ReadHeader: ReadHeader,
		ReadAll:    ReadAll,
	})
}

// AU encodings libsndfile knows.
const (
	encULaw    = 1
	encPCM8    = 2
	encPCM16   = 3
	encPCM24   = 4
	encPCM32   = 5
	encFloat   = 6
	encDouble  = 7
	encG721    = 23
	encG722    = 24
	encG723_24 = 25
	encG723_40 = 26
	encALaw    = 27
)

// G.72x ADPCM blocks: 120 samples in 60 (G.721, 4 bits), 45 (G.723 24 kbit/s,
// 3 bits) or 75 (G.723 40 kbit/s, 5 bits) bytes.
const g72xBlockSamples = 120

// ReadHeader reads an AU header as au_open does.
func ReadHeader(r io.ReaderAt, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: probe.ContainerAU}
	if size < 12 {
		return info, &probe.FormatError{Format: probe.ContainerAU, Msg: "shorter than an AU header"}
	}
	h := sndfile.Open(r, size)
	embedded := h.FileOffset() > 0 // behind ID3v2 tags
	f := sndfile.NewFile(h, probe.ContainerAU)

	var marker uint32
	h.Readf("pm", 0, &marker)
	var dataOffset, dataSize, encoding, rate, channels int32
	switch marker {
	case '.'<<24 | 's'<<16 | 'n'<<8 | 'd':
		f.Endian = sndfile.Big
		info.Variant = ".snd"
		h.Readf("E44444", &dataOffset, &dataSize, &encoding, &rate, &channels)
	case 'd'<<24 | 'n'<<16 | 's'<<8 | '.':
		f.Endian = sndfile.Little
		info.Variant = "dns."
		h.Readf("e44444", &dataOffset, &dataSize, &encoding, &rate, &channels)
	default:
		return info, f.Fail(0, "no .snd marker")
	}
	info.Parts = []probe.Part{{Kind: "header", ID: info.Variant, Offset: 0, Size: int64(dataOffset)},
		{Kind: "data", ID: "data", Offset: int64(dataOffset), Size: int64(uint32(dataSize))}}

	end := int64(dataOffset + dataSize) // 32-bit arithmetic, as in libsndfile
	switch {
	case embedded && dataSize == -1:
		return info, f.Unsupported("an AU file of unknown length behind ID3v2 tags")
	case embedded:
		// Behind tags the header's size is the length, whatever follows.
		f.FileLength = end
	case dataSize == -1 || end == f.FileLength:
	case end < f.FileLength:
		f.FileLength = end
	default:
		if dataSize != -1 {
			info.Warnings = append(info.Warnings, f.CutShort("AU header", int64(uint32(dataSize)), f.FileLength-int64(dataOffset))...)
		}
	}
	f.DataOffset = int64(dataOffset)
	f.DataLength = f.FileLength - f.DataOffset
	if h.Tell() < f.DataOffset {
		h.Readf("j", f.DataOffset-h.Tell())
	}
	f.Samplerate = rate
	f.Channels = channels
	info.SampleRate = int(rate)
	info.Channels = int(channels)

	g72xBlock := int64(0)
	switch encoding {
	case encULaw:
		f.Codec, f.Bytewidth = sndfile.ULaw, 1
	case encPCM8:
		f.Codec, f.Bytewidth = sndfile.PCMS8, 1
	case encPCM16:
		f.Codec, f.Bytewidth = sndfile.PCM16, 2
	case encPCM24:
		f.Codec, f.Bytewidth = sndfile.PCM24, 3
	case encPCM32:
		f.Codec, f.Bytewidth = sndfile.PCM32, 4
	case encFloat:
		f.Codec, f.Bytewidth = sndfile.Float, 4
	case encDouble:
		f.Codec, f.Bytewidth = sndfile.Double, 8
	case encALaw:
		f.Codec, f.Bytewidth = sndfile.ALaw, 1
	case encG721:
		f.Codec, g72xBlock = sndfile.G721_32, 60
	case encG723_24:
		f.Codec, g72xBlock = sndfile.G723_24, 45
	case encG723_40:
		f.Codec, g72xBlock = sndfile.G723_40, 75
	}
	if channels < 1 {
		return info, f.Fail(20, "no channels")
	}
	if channels > sndfile.MaxChannels {
		return info, f.Fail(20, "too many channels")
	}
	f.Blockwidth = f.Channels * f.Bytewidth
	if f.Frames == 0 && f.Blockwidth != 0 {
		f.Frames = (f.FileLength - f.DataOffset) / int64(f.Blockwidth)
	}

	// au_open: install the codec.
	var err error
	switch f.Codec {
	case sndfile.G721_32, sndfile.G723_24, sndfile.G723_40:
		err = g72xInit(f, g72xBlock)
	case sndfile.CodecNone:
		msg := "AU encoding " + strconv.Itoa(int(encoding))
		switch encoding {
		case encG722:
			msg = "G.722 ADPCM"
		case 19:
			msg = "NeXT compressed audio"
		}
		info.Codec = ""
		return info, f.Unsupported(msg)
	default:
		err = f.InitCodec()
	}
	if err != nil {
		return info, err
	}
	if err := f.Finish(info, "AU"); err != nil {
		return info, err
	}
	// Every AU codec reads all the frames it reports: PCM and the laws
	// count the bytes present; G.72x pads a short last block. Behind ID3v2
	// tags the frames come from the header's size while the data offset is
	// taken from the whole input's start: what is read depends on the bytes
	// there.
	if embedded && f.Seekable {
		info.Detail = &embeddedRead{start: h.Tell(), dataOffset: f.DataOffset, size: h.Size(),
			bytewidth: int64(f.Bytewidth), channels: int64(f.Channels)}
		return info, nil
	}
	info.Settled = f.Settle()
	return info, nil
}

// ReadAll reads an AU file found behind ID3v2 tags; every other AU file is
// settled by its header.
func ReadAll(r io.ReaderAt, size int64, info *probe.Info) (*probe.ReadResult, error) {
	e, ok := info.Detail.(*embeddedRead)
	if !ok {
		return &probe.ReadResult{FramesRead: info.Frames}, nil
	}
	s := *e
	s.pos = s.start
	return sndfile.ReadLoop(sndfile.Loop{Frames: info.Frames, Channels: s.channels, Seekable: true, CanRead: true}, &s), nil
}

// embeddedRead follows the PCM reader over the whole input: reading starts
// where the header ended, and every seek goes to data offset + frame ×
// block width counted from the input's first byte.
type embeddedRead struct {
	start, dataOffset, size int64
	bytewidth, channels     int64
	pos                     int64
}

func (e *embeddedRead) Read(items int64) (int64, error) {
	avail := max(e.size-e.pos, 0) / e.bytewidth
	got := min(items, avail)
	e.pos += got * e.bytewidth
	return got, nil
}

func (e *embeddedRead) SeekFrame(frame int64) (int64, error) {
	e.pos = e.dataOffset + frame*e.bytewidth*e.channels
	return frame, nil
}

// g72xInit is g72x_init for reading: mono only, not seekable, and a block
// count from the real file length (not the AU data size).
func g72xInit(f *sndfile.File, blockBytes int64) error {
	f.Seekable = false
	if f.Channels != 1 {
		return f.Unsupported("G.72x ADPCM with more than one channel")
	}
	f.FileLength = f.H.Size()
	if f.FileLength < f.DataOffset {
		f.FileLength = f.DataOffset
	}
	f.DataLength = f.FileLength - f.DataOffset
	blocks := f.DataLength / blockBytes
	if f.DataLength%blockBytes != 0 {
		blocks++
	}
	f.Frames = int64(int32(blocks)) * g72xBlockSamples
	f.CanRead = true
	return nil
}
