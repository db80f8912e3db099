package wav

import "github.com/audiopreflight/audiopreflight/probe/internal/sndfile"

// Sony Wave64 (W64): RIFF with 16-byte GUID chunk identifiers, 8-byte
// sizes that count the 24-byte chunk header, and chunks aligned to 8
// bytes, read the way libsndfile 1.2.0's w64_read_header does. libsndfile
// compares identifiers by a 16-bit fold of the GUID, aligns on its header
// cache index rather than the file position, skips the audio by the whole
// chunk size (24 bytes too far), and reads PCM, float, µ-law, A-law, IMA
// and MS ADPCM and GSM 6.10. The server opens W64 but does not accept it
// (docs/server.md#accepted-formats).

// GUIDs of the W64 chunks libsndfile knows.
var (
	w64RIFF = [16]byte{'r', 'i', 'f', 'f', 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00}
	w64WAVE = [16]byte{'w', 'a', 'v', 'e', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A}
	w64Fmt  = [16]byte{'f', 'm', 't', ' ', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A}
	w64Fact = [16]byte{'f', 'a', 'c', 't', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A}
	w64Data = [16]byte{'d', 'a', 't', 'a', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A}
	w64ACID = [16]byte{0x6D, 0x07, 0x1C, 0xEA, 0xA3, 0xEF, 0x78, 0x4C, 0x90, 0x57, 0x7F, 0x79, 0xEE, 0x25, 0x2A, 0xAE}
	w64List = [16]byte{0x6C, 0x69, 0x73, 0x74, 0x2F, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00}
	w64Junk = [16]byte{0x6A, 0x75, 0x6E, 0x6b, 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4f, 0x8E, 0xDB, 0x8A}
)

// The GUIDs' folds (foldGUID), as constants: computed from the GUIDs, they
// would be computed at every start (TestW64Folds checks them).
const (
	foldRIFF int32 = 0x1f3888
	foldWAVE int32 = 0x61fab5
	foldFmt  int32 = 0x61f89c
	foldFact int32 = 0x61fa78
	foldData int32 = 0x61fa8e
	foldACID int32 = 0x55e293
	foldList int32 = 0x1f3842
	foldJunk int32 = 0x61fa90
)

// w64PartID names a chunk by its GUID's fold; ok is false for a GUID
// libsndfile does not know.
func w64PartID(fold int32) (id string, ok bool) {
	switch fold {
	case foldRIFF:
		return "riff", true
	case foldWAVE:
		return "wave", true
	case foldFmt:
		return "fmt ", true
	case foldFact:
		return "fact", true
	case foldData:
		return "data", true
	case foldACID:
		return "acid", true
	case foldList:
		return "list", true
	case foldJunk:
		return "junk", true
	}
	return "", false
}

// foldGUID is how w64_read_header compares identifiers: the 16 bytes
// folded into 32 bits (psf_binheader_readf's "h").
func foldGUID(b []byte) int32 {
	var v uint32
	for k, c := range b {
		v ^= uint32(c) << k
	}
	return int32(v)
}

// Parse stages of w64_read_header.
const (
	w64HaveRIFF = 0x01
	w64HaveWAVE = 0x02
	w64HaveFmt  = 0x04
	w64HaveData = 0x20
)

func (st *sfState) readW64Header() error {
	h := st.H

	h.Readf("p", 0)
	stage := 0
	for {
		if h.Index()&7 != 0 {
			h.Readf("j", 8-h.Index()&7)
		}
		var marker int32
		var chunkSize int64
		if h.Readf("eh8", &marker, &chunkSize) == 0 {
			break
		}
		at := h.NextOffset() - 24
		if id, ok := w64PartID(marker); ok {
			st.addPart(id, at, chunkSize, "")
		} else {
			st.addPart("unknown", at, chunkSize, "unknown GUID, skipped by its size")
		}

		switch marker {
		case foldRIFF:
			if stage != 0 {
				return errFmt("second riff header inside the file")
			}
			stage |= w64HaveRIFF
			var formType int32
			h.Readf("h", &formType)
			if formType == foldWAVE {
				stage |= w64HaveWAVE
			}
			chunkSize = 0

		case foldACID:
			return errUnsupported("ACID W64 file")

		case foldFmt:
			if stage&(w64HaveRIFF|w64HaveWAVE) != w64HaveRIFF|w64HaveWAVE {
				return errFmt("fmt chunk before the riff/wave header")
			}
			chunkSize -= 24
			if err := st.readFmt(int32(chunkSize)); err != nil {
				return err
			}
			if chunkSize%8 != 0 {
				h.Readf("j", int32(8-chunkSize%8))
			}
			stage |= w64HaveFmt
			chunkSize = 0

		case foldFact:
			var frames int64
			h.Readf("e8", &frames)
			chunkSize = 0

		case foldData:
			if stage&(w64HaveRIFF|w64HaveWAVE|w64HaveFmt) != w64HaveRIFF|w64HaveWAVE|w64HaveFmt {
				return errFmt("data chunk before the fmt chunk")
			}
			st.dataChunkAt = at
			st.dataDeclared = chunkSize - 24
			st.DataOffset = h.Tell()
			st.DataLength = min(chunkSize-24, st.FileLength-st.DataOffset)
			if chunkSize%8 != 0 {
				chunkSize += 8 - chunkSize%8
			}
			stage |= w64HaveData
			h.FSeek(chunkSize, sndfile.SeekCur)
			chunkSize = 0
		}

		if chunkSize >= st.FileLength {
			break
		}
		if h.Tell() >= st.FileLength-8 {
			break
		}
		if chunkSize > 0 && chunkSize < 0xffff0000 {
			h.Readf("j", int32(chunkSize)-24)
		}
	}

	if err := st.checkWalk(); err != nil {
		return err
	}
	st.Endian = sndfile.Little
	if h.Tell() != st.DataOffset {
		h.FSeek(st.DataOffset, sndfile.SeekSet)
	}

	tag := st.fmt.tag
	if tag == tagExtensible {
		// An extensible sub-format is taken for PCM of its sample width.
		tag = tagPCM
	}
	codec, ok := tagCodec(tag, st.Bytewidth)
	if !ok {
		return errUnsupported("format tag 0x%04x in W64", st.fmt.tag)
	}
	st.major, st.Codec = sfW64, codec
	return nil
}
