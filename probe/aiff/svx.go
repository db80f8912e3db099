package aiff

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

// 8SVX/16SV chunk markers (EA IFF 85, Amiga "8-bit sampled voice").
const (
	markVHDR = 'V'<<24 | 'H'<<16 | 'D'<<8 | 'R'
	markBODY = 'B'<<24 | 'O'<<16 | 'D'<<8 | 'Y'
)

// maxSVXChunks bounds the chunk walk; libsndfile's own walk is bounded by
// the header cache's 100 KiB unless a chunk jumps backwards.
const maxSVXChunks = 1 << 16

// svxNameSize is the size of libsndfile's file-name field, which an SVX
// NAME chunk is read into.
const svxNameSize = 256

// readSVX follows svx_read_header and svx_open: uncompressed 8-bit (8SVX)
// or 16-bit (16SV) PCM, big-endian, mono unless a CHAN chunk says 6.
func readSVX(r io.ReaderAt, size int64, info *probe.Info) (*probe.Info, error) {
	h := sndfile.Open(r, size)
	f := sndfile.NewFile(h, probe.ContainerAIFF)
	f.Channels = 1
	const (
		stageFORM = 1 << iota
		stageSVX
		stageVHDR
		stageBODY
	)
	var (
		fileType    uint32
		stage       int
		byteCount   int32
		compression uint8
		nameLen     int
		name        [svxNameSize]byte
		marker      uint32
		chunkSize   uint32
	)
	h.Readf("p", 0)
	for iter, done := 0, false; !done; iter++ {
		if iter >= maxSVXChunks {
			// libsndfile never leaves this loop: a chunk size of -8 sends
			// it back to the same chunk header forever.
			return info, f.Fail(h.Tell(), "chunk sizes that loop back on themselves")
		}
		h.Readf("Em4", &marker, &chunkSize)
		chunkStart := h.Tell() - 8
		if len(info.Parts) < maxParts && marker != 0 {
			info.Parts = append(info.Parts, probe.Part{Kind: "chunk", ID: markerString(marker), Offset: chunkStart, Size: int64(chunkSize)})
		}
		switch marker {
		case markFORM:
			if stage != 0 {
				return info, f.Fail(chunkStart, "a second FORM header")
			}
			stage |= stageFORM
			h.Readf("m", &marker)
			fileType = marker
			info.Variant = markerString(fileType)
			stage |= stageSVX
		case markVHDR:
			if stage&(stageFORM|stageSVX) == 0 {
				return info, f.Fail(chunkStart, "VHDR before FORM")
			}
			var oneShot, repeat, perCycle, volume uint32
			var rate uint16
			var octave uint8
			h.Readf("E4442114", &oneShot, &repeat, &perCycle, &rate, &octave, &compression, &volume)
			f.Samplerate = int32(rate)
			switch fileType {
			case mark8SVX:
				f.Codec = sndfile.PCMS8
				f.Bytewidth = 1
			case mark16SV:
				f.Codec = sndfile.PCM16
				f.Bytewidth = 2
			}
			stage |= stageVHDR
		case markBODY:
			if stage&stageVHDR == 0 {
				return info, f.Fail(chunkStart, "BODY before VHDR")
			}
			f.DataLength = int64(chunkSize)
			f.DataOffset = h.Tell()
			if f.DataLength > f.FileLength-f.DataOffset {
				info.Warnings = append(info.Warnings, f.CutShort("BODY chunk", f.DataLength, f.FileLength-f.DataOffset)...)
				f.DataLength = f.FileLength - f.DataOffset
			}
			stage |= stageBODY
			h.FSeek(f.DataLength, sndfile.SeekCur)
		case markNAME:
			if stage&stageSVX == 0 {
				return info, f.Fail(chunkStart, "NAME before FORM")
			}
			if nameLen != int(chunkSize) {
				if chunkSize > svxNameSize-1 {
					return info, f.Fail(chunkStart, "NAME chunk too long")
				}
				h.Readf("b", name[:], int(chunkSize))
				name[chunkSize] = 0
				nameLen = cStringLen(name[:])
			} else {
				h.Readf("j", int64(chunkSize))
			}
		case markANNO, markAUTH, markCopy:
			if stage&stageSVX == 0 {
				return info, f.Fail(chunkStart, "text chunk before FORM")
			}
			h.Readf("j", int64(chunkSize))
		case markCHAN:
			if stage&stageSVX == 0 {
				return info, f.Fail(chunkStart, "CHAN before FORM")
			}
			var channels int32
			byteCount += int32(h.Readf("E4", &channels))
			if channels == 6 {
				f.Channels = 2
			}
			h.Readf("j", int64(chunkSize)-int64(byteCount))
		default:
			if chunkSize >= 0xffff0000 {
				done = true
				break
			}
			if sndfile.IsPrint(byte(marker>>24)) && sndfile.IsPrint(byte(marker>>16)) &&
				sndfile.IsPrint(byte(marker>>8)) && sndfile.IsPrint(byte(marker)) {
				h.Readf("j", int64(chunkSize))
				break
			}
			if chunkSize = uint32(h.Tell()); chunkSize&3 != 0 {
				chunkSize &= 3
				h.Readf("j", int64(4-chunkSize))
				break
			}
			done = true
		}
		if h.Tell() >= f.FileLength-4 {
			break
		}
	}
	if compression != 0 {
		return info, f.Unsupported("compressed (Fibonacci or exponential delta) SVX")
	}
	if f.DataOffset <= 0 {
		return info, f.Fail(0, "no BODY chunk")
	}
	f.Endian = sndfile.Big
	h.FSeek(f.DataOffset, sndfile.SeekSet)
	if err := f.PCMInit(); err != nil {
		return info, err
	}
	if err := f.Finish(info, "SVX"); err != nil {
		return info, err
	}
	info.Settled = f.Settle()
	return info, nil
}

// cStringLen is strlen.
func cStringLen(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return len(b)
}
