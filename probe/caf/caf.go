// Package caf reads Apple Core Audio Format files ("caff", Apple's Core
// Audio Format Specification 1.0) as libsndfile 1.2.0 does (src/caf.c,
// src/alac.c).
//
// libsndfile requires the "desc" chunk first, then walks the chunks until
// "data" and the end of the file. It decodes linear PCM (8/16/24/32-bit
// integer, 32/64-bit float, either byte order), µ-law, A-law and Apple
// Lossless (ALAC, which also needs "kuki" and "pakt" chunks); any other
// format (AAC, IMA4, MP3, ...) does not open. A "data" chunk of size -1
// (written by streaming encoders) leaves libsndfile's data length at -1,
// which its sanity check rejects, so such files do not open. CAF opens but
// is not accepted by the API (docs/server.md#other-formats).
package caf

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

func init() {
	probe.RegisterFormat(probe.Format{
		Name:       probe.ContainerCAF,
		Magic:      "caff????desc",
		Order:      probe.OrderCAF,
		ReadHeader: ReadHeader,
		ReadAll:    ReadAll,
	})
}

// Chunk and format markers, most significant byte first.
const (
	markCaff = 'c'<<24 | 'a'<<16 | 'f'<<8 | 'f'
	markDesc = 'd'<<24 | 'e'<<16 | 's'<<8 | 'c'
	markData = 'd'<<24 | 'a'<<16 | 't'<<8 | 'a'
	markPeak = 'p'<<24 | 'e'<<16 | 'a'<<8 | 'k'
	markChan = 'c'<<24 | 'h'<<16 | 'a'<<8 | 'n'
	markFree = 'f'<<24 | 'r'<<16 | 'e'<<8 | 'e'
	markKuki = 'k'<<24 | 'u'<<16 | 'k'<<8 | 'i'
	markPakt = 'p'<<24 | 'a'<<16 | 'k'<<8 | 't'
	markInfo = 'i'<<24 | 'n'<<16 | 'f'<<8 | 'o'
	fmtLPCM  = 'l'<<24 | 'p'<<16 | 'c'<<8 | 'm'
	fmtALAC  = 'a'<<24 | 'l'<<16 | 'a'<<8 | 'c'
	fmtALaw  = 'a'<<24 | 'l'<<16 | 'a'<<8 | 'w'
	fmtULaw  = 'u'<<24 | 'l'<<16 | 'a'<<8 | 'w'
)

// descSize is sizeof (DESC_CHUNK): the rate and six 32-bit fields.
const descSize = 32

// maxParts bounds the chunk summary; maxChunks the chunk walk.
const (
	maxParts  = 64
	maxChunks = 1 << 20
)

// desc is the "desc" chunk.
type desc struct {
	rate                 float64
	formatID, flags      uint32
	bytesPerPacket       uint32
	framesPerPacket      uint32
	channels, bitsPerChn uint32
}

// alacInfo is what the ALAC reader needs from the chunks.
type alacInfo struct {
	kukiOffset int64
	bits       int
	present    bool // a pakt chunk was stored
	paktOffset int64
	paktLen    uint32
}

// ReadHeader reads a CAF header as caf_open does.
func ReadHeader(r io.ReaderAt, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: probe.ContainerCAF}
	if size < 12 {
		return info, &probe.FormatError{Format: probe.ContainerCAF, Msg: "shorter than a CAF header"}
	}
	h := sndfile.Open(r, size)
	f := sndfile.NewFile(h, probe.ContainerCAF)

	var marker uint32
	var version, flags int16
	h.Readf("pmE2E2", 0, &marker, &version, &flags)
	if marker != markCaff {
		return info, f.Fail(0, "no caff marker")
	}
	var chunkSize int64
	var rate [8]byte
	h.Readf("mE8b", &marker, &chunkSize, rate[:], 8)
	var d desc
	d.rate = sndfile.Double64Read(rate[:], true)
	if marker != markDesc {
		return info, f.Fail(8, "no desc chunk")
	}
	if chunkSize < descSize {
		return info, f.Fail(8, "desc chunk too small")
	}
	f.Samplerate = sndfile.Lrint(d.rate)
	info.SampleRate = int(f.Samplerate)
	h.Readf("mE44444", &d.formatID, &d.flags, &d.bytesPerPacket, &d.framesPerPacket, &d.channels, &d.bitsPerChn)
	info.Channels = int(int32(d.channels))
	info.BitsPerSample = int(d.bitsPerChn)
	info.Parts = append(info.Parts, probe.Part{Kind: "chunk", ID: "desc", Offset: 8, Size: chunkSize})
	if d.channels > sndfile.MaxChannels {
		return info, f.Fail(8, "too many channels")
	}
	if chunkSize > descSize {
		h.Readf("j", int64(int32(chunkSize-descSize)))
	}
	f.Channels = int32(d.channels)

	var alac alacInfo
	haveData := false
	for iter := 0; ; iter++ {
		if iter >= maxChunks {
			// Only an input of 2 GiB or more gets here: a chunk size of
			// 2^32-12 sends libsndfile back to the same chunk forever.
			return info, f.Fail(h.Tell(), "chunk sizes that loop back on themselves")
		}
		marker, chunkSize = 0, 0
		h.Readf("mE8", &marker, &chunkSize)
		if marker == 0 || chunkSize < 0 || chunkSize > f.FileLength {
			break
		}
		start := h.Tell() - 12
		if len(info.Parts) < maxParts {
			info.Parts = append(info.Parts, probe.Part{Kind: "chunk", ID: markerString(marker), Offset: start, Size: chunkSize})
		}
		stored := h.Tell() // where libsndfile records the chunk's data
		switch marker {
		case markPeak:
			if chunkSize != int64(int32(4+f.Channels*12)) {
				h.Readf("j", chunkSize)
				return info, f.Fail(start, "peak chunk size does not match the channel count")
			}
			var edit uint32
			h.Readf("E4", &edit)
			for k := int32(0); k < f.Channels; k++ {
				var value float32
				var pos int64
				h.Readf("Ef8", &value, &pos)
			}
		case markChan:
			if chunkSize < 12 {
				h.Readf("j", chunkSize)
				break
			}
			var tag int32
			var bitmap, descs uint32
			n := uint32(h.Readf("E444", &tag, &bitmap, &descs))
			if int64(n) < chunkSize {
				h.Readf("j", chunkSize-int64(n))
			}
		case markFree:
			h.Readf("j", chunkSize)
		case markData:
			var edit uint32
			h.Readf("E4", &edit)
			switch {
			case chunkSize == -1:
				// The length stays whatever it was (-1 unless an earlier
				// data chunk set it).
				chunkSize = f.FileLength - h.Index()
			case f.FileLength > 0 && chunkSize > f.FileLength-h.Index()+10:
				f.DataLength = f.FileLength - h.Index() - 8
				info.Warnings = append(info.Warnings, f.CutShort("CAF data chunk", chunkSize-4, f.DataLength)...)
			default:
				f.DataLength = chunkSize - 4
			}
			f.DataOffset = h.Index()
			if f.DataLength+f.DataOffset < f.FileLength {
				f.DataEnd = f.DataLength + f.DataOffset
			}
			h.Readf("j", f.DataLength)
			haveData = true
		case markKuki:
			alac.kukiOffset = h.Tell() - 12
			h.Readf("j", chunkSize)
		case markPakt:
			if chunkSize < 24 || chunkSize > f.FileLength-h.Index() {
				return info, f.Fail(start, "bad pakt chunk size")
			}
			var packets, valid int64
			var priming, remainder int32
			h.Readf("E8844", &packets, &valid, &priming, &remainder)
			h.Readf("j", chunkSize-24)
		case markInfo:
			if chunkSize < 4 || chunkSize > f.FileLength-h.Index() {
				return info, f.Fail(start, "bad info chunk size")
			}
			if chunkSize > 4 {
				var count uint32
				h.Readf("E4b", &count, nil, int(chunkSize-4))
			}
		default:
			h.Readf("j", chunkSize)
		}
		if marker == markPakt && !alac.present {
			alac.present = true
			alac.paktOffset = stored
			alac.paktLen = uint32(chunkSize)
		}
		if marker != markData && chunkSize >= 0xffffff00 {
			break
		}
		if h.Tell() >= f.FileLength-8 {
			break
		}
	}
	if !haveData {
		return info, f.Fail(0, "no data chunk")
	}
	if d.flags&2 != 0 {
		f.Endian = sndfile.Little
	} else {
		f.Endian = sndfile.Big
	}
	h.FSeek(f.DataOffset, sndfile.SeekSet)
	if err := decodeDesc(f, &d, &alac, info); err != nil {
		return info, err
	}
	if f.Bytewidth > 0 {
		f.Frames = f.DataLength / int64(f.Bytewidth)
	}

	// caf_open: install the codec.
	var err error
	var detail *alacStream
	switch f.Codec {
	case sndfile.ALAC16, sndfile.ALAC20, sndfile.ALAC24, sndfile.ALAC32:
		detail, err = alacInit(f, &d, &alac)
	case sndfile.CodecNone:
		return info, f.Unsupported("CAF encoding")
	default:
		err = f.InitCodec()
	}
	if err != nil {
		return info, err
	}
	if err := f.Finish(info, "CAF"); err != nil {
		return info, err
	}
	if detail != nil {
		info.Detail = detail
	} else {
		info.Settled = f.Settle()
	}
	return info, nil
}

// ReadAll reads an ALAC stream packet by packet as the server would.
func ReadAll(r io.ReaderAt, size int64, info *probe.Info) (*probe.ReadResult, error) {
	s, ok := info.Detail.(*alacStream)
	if !ok {
		return &probe.ReadResult{}, nil
	}
	s.restart(r, size)
	return sndfile.ReadLoop(sndfile.Loop{Frames: info.Frames, Channels: int64(info.Channels), Seekable: true, CanRead: true}, s), nil
}

// decodeDesc is decode_desc_chunk: the codec from the format ID, flags
// and sizes.
func decodeDesc(f *sndfile.File, d *desc, alac *alacInfo, info *probe.Info) error {
	f.Channels = int32(d.channels)
	info.Variant = markerString(d.formatID)
	if d.formatID == fmtALAC {
		switch d.flags {
		case 1:
			f.Codec, alac.bits = sndfile.ALAC16, 16
		case 2:
			f.Codec, alac.bits = sndfile.ALAC20, 20
		case 3:
			f.Codec, alac.bits = sndfile.ALAC24, 24
		case 4:
			f.Codec, alac.bits = sndfile.ALAC32, 32
		}
		return nil
	}
	if d.formatID == fmtLPCM && d.flags&1 != 0 {
		switch {
		case d.bitsPerChn == 32 && d.bytesPerPacket == 4*d.channels:
			f.Bytewidth, f.Codec = 4, sndfile.Float
			return nil
		case d.bitsPerChn == 64 && d.bytesPerPacket == 8*d.channels:
			f.Bytewidth, f.Codec = 8, sndfile.Double
			return nil
		}
	}
	if d.formatID == fmtLPCM && d.flags&1 == 0 {
		for _, c := range []struct {
			bits  uint32
			codec sndfile.Codec
		}{{32, sndfile.PCM32}, {24, sndfile.PCM24}, {16, sndfile.PCM16}, {8, sndfile.PCMS8}} {
			if d.bitsPerChn == c.bits && d.bytesPerPacket == c.bits/8*d.channels {
				f.Bytewidth, f.Codec = int32(c.bits/8), c.codec
				return nil
			}
		}
	}
	if d.formatID == fmtALaw && d.bitsPerChn == 8 {
		f.Bytewidth, f.Codec = 1, sndfile.ALaw
		return nil
	}
	if d.formatID == fmtULaw && d.bitsPerChn == 8 {
		f.Bytewidth, f.Codec = 1, sndfile.ULaw
		return nil
	}
	return f.Unsupported("CAF format \"" + markerString(d.formatID) + "\"")
}

func markerString(m uint32) string {
	b := []byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}
	for i, c := range b {
		if !sndfile.IsPrint(c) {
			b[i] = '?'
		}
	}
	return string(b)
}
