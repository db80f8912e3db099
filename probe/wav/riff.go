package wav

import "github.com/audiopreflight/audiopreflight/probe/internal/sndfile"

// The RIFF/RIFX chunk walk of libsndfile 1.2.0's wav_read_header
// (src/wav.c), which decides whether a WAV opens and where its audio is.
// It is reproduced step by step, quirks included, because the server's
// answer for a damaged file depends on them:
//
//   - a chunk's pad byte is skipped only when the next chunk header is
//     read, by the size left over from the previous chunk; chunk readers
//     that consume more or less than the declared size shift everything
//     after them;
//   - a second 'fmt ' chunk is ignored without skipping its body, whose
//     bytes are then read as chunk headers;
//   - 'cue ' and 'cart' switch all later header reads to little-endian,
//     even in a big-endian RIFX file;
//   - an unknown non-printable identifier at an unaligned position makes
//     the walk back up three bytes and resynchronise;
//   - the walk ends at a zero identifier, at a chunk that claims to be at
//     least as long as the file, or within four bytes of the end.

// Chunk identifiers, as the four bytes read big-endian.
const (
	idRIFF = 'R'<<24 | 'I'<<16 | 'F'<<8 | 'F'
	idRIFX = 'R'<<24 | 'I'<<16 | 'F'<<8 | 'X'
	idRF64 = 'R'<<24 | 'F'<<16 | '6'<<8 | '4'
	idWAVE = 'W'<<24 | 'A'<<16 | 'V'<<8 | 'E'
	idFmt  = 'f'<<24 | 'm'<<16 | 't'<<8 | ' '
	idData = 'd'<<24 | 'a'<<16 | 't'<<8 | 'a'
	idFact = 'f'<<24 | 'a'<<16 | 'c'<<8 | 't'
	idPEAK = 'P'<<24 | 'E'<<16 | 'A'<<8 | 'K'
	idCue  = 'c'<<24 | 'u'<<16 | 'e'<<8 | ' '
	idSmpl = 's'<<24 | 'm'<<16 | 'p'<<8 | 'l'
	idAcid = 'a'<<24 | 'c'<<16 | 'i'<<8 | 'd'
	idINFO = 'I'<<24 | 'N'<<16 | 'F'<<8 | 'O'
	idLIST = 'L'<<24 | 'I'<<16 | 'S'<<8 | 'T'
	idBext = 'b'<<24 | 'e'<<16 | 'x'<<8 | 't'
	idPAD  = 'P'<<24 | 'A'<<16 | 'D'<<8 | ' '
	idCart = 'c'<<24 | 'a'<<16 | 'r'<<8 | 't'
	idDs64 = 'd'<<24 | 's'<<16 | '6'<<8 | '4'
	idJUNK = 'J'<<24 | 'U'<<16 | 'N'<<8 | 'K'
	idDISP = 'D'<<24 | 'I'<<16 | 'S'<<8 | 'P'

	// The first bytes of audio libsndfile refuses to treat as WAV data,
	// as the little-endian value of their four bytes.
	leWvpk = 'w' | 'v'<<8 | 'p'<<16 | 'k'<<24
	leOggS = 'O' | 'g'<<8 | 'g'<<16 | 'S'<<24
)

// skippedChunk reports whether wav_read_header skips a chunk by its size.
// (A switch, not a map: a map would be filled at every start.)
func skippedChunk(id uint32) bool {
	b := idBytes(id)
	switch string(b[:]) {
	case "iXML", "strc", "afsp", "clm ", "elmo", "levl", "plst", "minf",
		"elm1", "regn", "ovwf", "inst", "AFAn", "umid", "SyLp", "Cr8r", "JUNK", "_PMX", "DISP",
		"MEXT", "FLLR":
		return true
	}
	return false
}

// Parse stages of wav_read_header.
const (
	haveRIFF  = 1 << 0
	haveWAVE  = 1 << 1
	haveFmt   = 1 << 2
	haveFact  = 1 << 3
	havePEAK  = 1 << 4
	haveData  = 1 << 5
	haveOther = 1 << 6
)

func isPrint(c byte) bool { return c >= ' ' && c <= '~' }

func printable(m uint32) bool {
	return isPrint(byte(m>>24)) && isPrint(byte(m>>16)) && isPrint(byte(m>>8)) && isPrint(byte(m))
}

// readRIFFHeader walks a RIFF or RIFX file's chunks.
func (st *sfState) readRIFFHeader() error {
	h := st.H

	// Back to the start, read the first identifier, step back.
	var first uint32
	h.Readf("pmj", 0, &first, -4)
	h.ResetIndex()
	h.SetBigEndian(first != idRIFF)

	var (
		chunkSize uint32
		riffSize  uint32
		stage     int
	)
	for done := false; !done; {
		pad := int32(chunkSize & 1)
		var marker uint32
		chunkSize = 0
		h.Readf("jm4", pad, &marker, &chunkSize)
		if marker == 0 {
			break
		}
		at := h.NextOffset() - 8

		switch {
		case marker == idRIFF || marker == idRIFX:
			if stage != 0 {
				return errFmt("second %s header inside the file", fourCC(marker))
			}
			stage |= haveRIFF
			riffSize = chunkSize
			st.addPart(fourCC(marker), at, int64(chunkSize), riffNote(riffSize, st.FileLength))
			if st.H.FileOffset() > 0 && st.FileLength > int64(riffSize+8) {
				// Behind ID3v2 tags the RIFF size, not the input, sets the
				// length, although positions stay those of the whole input.
				st.FileLength = int64(riffSize + 8)
			} else if st.FileLength < int64(riffSize+8) {
				riffSize = uint32(st.FileLength - 8)
			}
			var formType uint32
			h.Readf("m", &formType)
			if formType != idWAVE {
				return errFmt("RIFF form type is not WAVE")
			}
			stage |= haveWAVE
			chunkSize = 0

		case marker == idFmt:
			if stage&(haveRIFF|haveWAVE) != haveRIFF|haveWAVE {
				return errFmt("fmt chunk before the RIFF header")
			}
			st.addPart("fmt ", at, int64(chunkSize), "")
			if stage&haveFmt != 0 {
				// A second 'fmt ' is ignored, its body left to be read as chunks.
				break
			}
			stage |= haveFmt
			if err := st.readFmt(int32(chunkSize)); err != nil {
				return err
			}

		case marker == idData:
			if stage&(haveRIFF|haveWAVE|haveFmt) != haveRIFF|haveWAVE|haveFmt {
				return errFmt("data chunk before the fmt chunk")
			}
			stage |= haveData
			st.dataChunkAt = at
			st.dataDeclared = int64(chunkSize)
			st.addPart("data", at, int64(chunkSize), "")
			st.DataLength = int64(chunkSize)
			st.DataOffset = h.Tell()
			if st.DataOffset > 0 {
				if chunkSize == 0 && riffSize == 8 && st.FileLength > 44 {
					// A writer that never came back to fill in the sizes.
					st.DataLength = st.FileLength - st.DataOffset
				}
				if st.DataLength > st.FileLength-st.DataOffset {
					st.DataLength = st.FileLength - st.DataOffset
				}
				if st.DataLength+st.DataOffset < st.FileLength {
					st.DataEnd = st.DataLength + st.DataOffset
				}
				st.DataLength += int64(chunkSize & 1)
				chunkSize = 0
			}
			if st.DataOffset < 0 {
				break
			}
			h.FSeek(st.DataLength, sndfile.SeekCur)

		case marker == idFact:
			st.addPart("fact", at, int64(chunkSize), "")
			stage |= haveFact
			var samples uint32
			h.Readf("4", &samples)
			if chunkSize > 4 {
				h.Readf("j", int32(chunkSize-4))
			}

		case marker == idPEAK:
			if stage&(haveRIFF|haveWAVE|haveFmt) != haveRIFF|haveWAVE|haveFmt {
				return errFmt("PEAK chunk before the fmt chunk")
			}
			stage |= havePEAK
			st.addPart("PEAK", at, int64(chunkSize), "")
			if err := st.readPeak(chunkSize); err != nil {
				return err
			}

		case marker == idCue:
			stage |= haveOther
			st.addPart("cue ", at, int64(chunkSize), "")
			st.readCue(chunkSize)

		case marker == idSmpl:
			stage |= haveOther
			st.addPart("smpl", at, int64(chunkSize), "")
			st.readSmpl(chunkSize)

		case marker == idAcid:
			stage |= haveOther
			st.addPart("acid", at, int64(chunkSize), "")
			st.readAcid(chunkSize)

		case marker == idINFO || marker == idLIST:
			stage |= haveOther
			st.addPart(fourCC(marker), at, int64(chunkSize), "")
			st.readList(chunkSize)

		case marker == idBext:
			st.addPart("bext", at, int64(chunkSize), "")
			st.readBext(chunkSize)

		case marker == idPAD:
			st.addPart("PAD ", at, int64(chunkSize), "")
			h.Readf("j", int32(chunkSize))

		case marker == idCart:
			st.addPart("cart", at, int64(chunkSize), "")
			st.readCart(chunkSize)

		case skippedChunk(marker):
			st.addPart(fourCC(marker), at, int64(chunkSize), "")
			h.Readf("j", int32(chunkSize))

		default:
			if chunkSize >= 0xffff0000 {
				st.addPart(fourCC(marker), at, int64(chunkSize), "unknown chunk with an impossible size: the walk stops")
				done = true
				break
			}
			if marker&0xffffff00 == 'T'<<24|'A'<<16|'G'<<8 && h.Tell()-8+128 == st.FileLength {
				st.addPart("TAG", at, 128, "ID3v1 trailer")
				chunkSize = 128
				done = true
				stage |= haveOther
				break
			}
			if printable(marker) {
				st.addPart(fourCC(marker), at, int64(chunkSize), "unknown chunk")
				h.Readf("j", int32(chunkSize))
				break
			}
			if h.Tell()&3 != 0 {
				// Not a chunk: step back and try three bytes on.
				h.Readf("j", -3)
				stage |= haveOther
				break
			}
			st.addPart(fourCC(marker), at, int64(chunkSize), "unknown identifier: the walk stops")
			done = true
		}

		if int64(chunkSize) >= st.FileLength {
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

	switch st.fmt.tag {
	case tagExtensible:
		// The subtype was set from the sub-format GUID.
	case tagNMSVBX:
		switch st.fmt.bits {
		case 2:
			st.major, st.Codec = sfWAV, sndfile.NMSADPCM16
		case 3:
			st.major, st.Codec = sfWAV, sndfile.NMSADPCM24
		case 4:
			st.major, st.Codec = sfWAV, sndfile.NMSADPCM32
		default:
			return errUnsupported("NMS VBX ADPCM with %d bits", st.fmt.bits)
		}
	default:
		codec, ok := tagCodec(st.fmt.tag, st.Bytewidth)
		if !ok {
			return errUnsupported("format tag 0x%04x", st.fmt.tag)
		}
		st.major, st.Codec = sfWAV, codec
	}
	if st.fmtBroken {
		st.analyze()
	}
	return nil
}

// checkDataStart is the end of the header walks: libsndfile seeks to the
// audio and refuses WavPack or Ogg data inside a WAV container. The check
// reads through the header cache in the header's byte order.
func (st *sfState) checkDataStart() error {
	st.H.FSeek(st.DataOffset, sndfile.SeekSet)
	var v uint32
	st.H.Readf("4", &v)
	if st.H.BigEndian() {
		// The comparison is with the little-endian value of the bytes.
		v = v>>24 | v>>8&0xff00 | v<<8&0xff0000 | v<<24
	}
	if v == leWvpk || v == leOggS {
		return errUnsupported("the data chunk holds WavPack or Ogg data")
	}
	st.H.FSeek(st.DataOffset, sndfile.SeekSet)
	return nil
}

func riffNote(declared uint32, fileLength int64) string {
	if int64(declared)+8 != fileLength {
		return "RIFF size does not match the file size"
	}
	return ""
}

// readPeak is wavlike_read_peak_chunk: a PEAK chunk whose size does not fit
// the channel count makes the file fail to open.
func (st *sfState) readPeak(size uint32) error {
	h := st.H
	want := uint64(8) + uint64(int64(st.Channels))*8
	if uint64(size) != want {
		h.Readf("j", int32(size))
		return errFmt("PEAK chunk of %d bytes does not fit %d channels", size, st.Channels)
	}
	var version, timestamp, value, position uint32
	h.Readf("44", &version, &timestamp)
	for k := int32(0); k < st.Channels; k++ {
		if h.Readf("44", &value, &position) == 0 {
			// Every later read fails the same way; nothing else changes.
			break
		}
	}
	return nil
}

// readCue is the 'cue ' case of wav_read_header. Its reads switch the
// header byte order to little-endian for the rest of the walk.
func (st *sfState) readCue(size uint32) {
	h := st.H
	var count uint32
	bytesRead := uint32(h.Readf("4", &count))
	if count > 2500 {
		h.Readf("j", int32(size-bytesRead))
		return
	}
	for ; count > 0; count-- {
		var id, position, chunkID, chunkStart, blockStart, offset uint32
		n := uint32(h.Readf("e44m444", &id, &position, &chunkID, &chunkStart, &blockStart, &offset))
		if n == 0 {
			break
		}
		bytesRead += n
	}
	if bytesRead != size {
		h.Readf("j", int32(size-bytesRead))
	}
}

// readSmpl is wav_read_smpl_chunk. It works on the padded size and reads
// whatever follows the loop records one byte at a time, trusting nothing
// but its own count.
func (st *sfState) readSmpl(size uint32) {
	h := st.H
	chunkLen := size + size&1
	var bytesRead, v, loopCount, samplerData uint32
	for k := 0; k < 7; k++ {
		bytesRead += uint32(h.Readf("4", &v))
	}
	bytesRead += uint32(h.Readf("4", &loopCount))
	if loopCount == 0 && chunkLen == bytesRead {
		return
	}
	bytesRead += uint32(h.Readf("4", &samplerData))

	for loopCount > 0 && chunkLen-bytesRead >= 24 {
		n := uint32(h.Readf("4", &v))
		if n == 0 {
			break
		}
		bytesRead += n
		for k := 0; k < 5; k++ {
			bytesRead += uint32(h.Readf("4", &v))
		}
	}
	if chunkLen-bytesRead == 0 {
		return
	}
	if samplerData != chunkLen-bytesRead {
		samplerData = chunkLen - bytesRead
	}
	var b uint8
	for k := int32(0); k < int32(samplerData); k++ {
		n := uint32(h.Readf("1", &b))
		if n == 0 {
			break
		}
		bytesRead += n
	}
}

// readAcid is wav_read_acid_chunk.
func (st *sfState) readAcid(size uint32) {
	h := st.H
	chunkLen := size + size&1
	var flags, beats int32
	var rootNote, q1, meterDenom, meterNumer int16
	var q2, tempo float32
	bytesRead := uint32(h.Readf("422f", &flags, &rootNote, &q1, &q2))
	bytesRead += uint32(h.Readf("422f", &beats, &meterDenom, &meterNumer, &tempo))
	h.Readf("j", int32(chunkLen-bytesRead))
}

// readBext is wavlike_read_bext_chunk.
func (st *sfState) readBext(size uint32) {
	h := st.H
	const minSize, maxSize = 602, 10 * 1024
	if size < minSize || size > maxSize {
		h.Readf("j", int32(size))
		return
	}
	var bytesRead uint32
	for _, n := range []int{256, 32, 32, 10, 8} { // description ... origination time
		bytesRead += uint32(h.Readf("b", nil, n))
	}
	var timeLow, timeHigh uint32
	var version, loudness, loudnessRange, truePeak, momentary, shortTerm uint16
	bytesRead += uint32(h.Readf("442", &timeLow, &timeHigh, &version))
	bytesRead += uint32(h.Readf("b", nil, 64)) // UMID
	bytesRead += uint32(h.Readf("22", &loudness, &loudnessRange))
	bytesRead += uint32(h.Readf("222", &truePeak, &momentary, &shortTerm))
	bytesRead += uint32(h.Readf("j", 180))
	if size > minSize {
		bytesRead += uint32(h.Readf("b", nil, int(size-minSize))) // coding history
	}
	if bytesRead < size {
		h.Readf("j", int32(size-bytesRead))
	}
}

// readCart is wavlike_read_cart_chunk. It switches the header byte order to
// little-endian and does not skip bytes it leaves unread.
func (st *sfState) readCart(size uint32) {
	h := st.H
	const minSize = 2048
	const tooBig = 2048 + 16*1024 // sizeof (SF_CART_INFO_16K) - 4
	if size < minSize || size >= tooBig {
		h.Readf("j", int32(size))
		return
	}
	for _, n := range []int{4, 64, 64, 64, 64, 64, 64, 64, 10, 8, 10, 8, 64, 64, 64} { // version ... user_def
		h.Readf("b", nil, n)
	}
	var level, timer uint32
	h.Readf("e4", &level)
	for k := 0; k < 8; k++ {
		h.Readf("b4", nil, 4, &timer) // post timer usage and value
	}
	h.Readf("b", nil, 276)  // reserved
	h.Readf("b", nil, 1024) // URL
	if size > minSize {
		h.Readf("b", nil, int(size-minSize)) // tag text
	}
}
