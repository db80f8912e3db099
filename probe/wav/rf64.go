package wav

import "github.com/audiopreflight/audiopreflight/probe/internal/sndfile"

// RF64 (EBU Tech 3306): a RIFF/WAVE whose sizes above 4 GiB live in a 'ds64'
// chunk, read the way libsndfile 1.2.0's rf64_read_header does. It differs
// from the WAV walk: no pad bytes are skipped, every 'fmt ' chunk is read,
// header values are always little-endian, the data size comes from 'ds64'
// and is not clamped to the file, and only PCM, float, µ-law and A-law
// audio opens. BW64 (ITU-R BS.2088), the same layout under another name, is
// not recognised by libsndfile 1.2.0 at all.

// Parse stages of rf64_read_header.
const (
	rf64HaveDs64  = 0x01
	rf64HaveFmt   = 0x02
	rf64HaveBext  = 0x04
	rf64HaveCart  = 0x08
	rf64HavePEAK  = 0x10
	rf64HaveData  = 0x20
	rf64HaveOther = 0x80
)

func (st *sfState) readRF64Header() error {
	h := st.H

	var marker, size, formType uint32
	h.Readf("pmmm", 0, &marker, &size, &formType)
	if marker != idRF64 {
		return errFmt("not an RF64 file")
	}
	if formType != idWAVE {
		return errFmt("RF64 form type is not WAVE")
	}

	var (
		riffSize, ds64DataLength int64
		stage                    int
	)
	for done := false; !done; {
		var marker, chunkSize uint32
		h.Readf("em4", &marker, &chunkSize)
		if marker == 0 {
			break
		}
		at := h.NextOffset() - 8

		switch {
		case marker == idDs64:
			st.addPart("ds64", at, int64(chunkSize), "")
			if stage&rf64HaveDs64 != 0 {
				// A second 'ds64' is ignored, its body read as chunks.
				break
			}
			var sampleCount int64
			var tableLen uint32
			bytesRead := uint32(h.Readf("888", &riffSize, &ds64DataLength, &sampleCount))
			bytesRead += uint32(h.Readf("4", &tableLen))
			bytesRead += uint32(h.Readf("j", int32(tableLen)))
			if chunkSize != bytesRead && chunkSize >= bytesRead+4 {
				var next uint32
				h.Readf("m", &next)
				if next == idFmt {
					h.Readf("j", -4)
				} else {
					h.Readf("j", int32(chunkSize-bytesRead-4))
				}
			}
			stage |= rf64HaveDs64

		case marker == idFmt:
			st.addPart("fmt ", at, int64(chunkSize), "")
			if err := st.readFmt(int32(chunkSize)); err != nil {
				return err
			}
			stage |= rf64HaveFmt

		case marker == idBext:
			st.addPart("bext", at, int64(chunkSize), "")
			st.readBext(chunkSize)
			stage |= rf64HaveBext

		case marker == idCart:
			st.addPart("cart", at, int64(chunkSize), "")
			st.readCart(chunkSize)
			stage |= rf64HaveCart

		case marker == idINFO || marker == idLIST:
			st.addPart(fourCC(marker), at, int64(chunkSize), "")
			st.readList(chunkSize)
			stage |= rf64HaveOther

		case marker == idPEAK:
			if stage&(rf64HaveDs64|rf64HaveFmt) != rf64HaveDs64|rf64HaveFmt {
				return errFmt("PEAK chunk before the ds64 and fmt chunks")
			}
			stage |= rf64HavePEAK
			st.addPart("PEAK", at, int64(chunkSize), "")
			if err := st.readPeak(chunkSize); err != nil {
				return err
			}

		case marker == idData:
			st.dataChunkAt = at
			if stage&rf64HaveDs64 != 0 {
				st.DataLength = ds64DataLength
				st.dataDeclared = ds64DataLength
				st.addPart("data", at, ds64DataLength, "size from ds64")
			} else {
				st.addPart("data", at, int64(chunkSize), "no ds64 chunk")
				if chunkSize != 0xffffffff {
					st.DataLength = int64(chunkSize)
					st.dataDeclared = int64(chunkSize)
				}
			}
			st.DataOffset = h.Tell()
			if st.DataOffset > 0 {
				if chunkSize == 0 && riffSize == 8 && st.FileLength > 44 {
					st.DataLength = st.FileLength - st.DataOffset
				}
				if st.DataLength+st.DataOffset < st.FileLength {
					st.DataEnd = st.DataLength + st.DataOffset
				}
				h.FSeek(st.DataLength, sndfile.SeekCur)
			}

		case marker == idJUNK || marker == idPAD:
			st.addPart(fourCC(marker), at, int64(chunkSize), "")
			h.Readf("j", int32(chunkSize))

		default:
			if chunkSize >= 0xffff0000 {
				st.addPart(fourCC(marker), at, int64(chunkSize), "unknown chunk with an impossible size: the walk stops")
				done = true
				break
			}
			if printable(marker) {
				st.addPart(fourCC(marker), at, int64(chunkSize), "unknown chunk")
				h.Readf("j", int32(chunkSize))
				break
			}
			if h.Tell()&3 != 0 {
				h.Readf("j", -3)
				break
			}
			st.addPart(fourCC(marker), at, int64(chunkSize), "unknown identifier: the walk stops")
			done = true
		}

		if marker != idData && int64(chunkSize) >= st.FileLength {
			break
		}
		if h.Tell() >= st.FileLength-4 {
			break
		}
	}

	if err := st.checkWalk(); err != nil {
		return err
	}
	st.Endian = endian(h.BigEndian())
	if err := st.checkDataStart(); err != nil {
		return err
	}

	if st.fmt.tag != tagExtensible { // else the subtype was set from the sub-format GUID
		codec, ok := tagCodec(st.fmt.tag, st.Bytewidth)
		if !ok {
			return errUnsupported("format tag 0x%04x in RF64", st.fmt.tag)
		}
		st.Codec = codec
	}
	st.major = sfRF64
	if st.fmtBroken {
		st.analyze()
	}
	return nil
}
