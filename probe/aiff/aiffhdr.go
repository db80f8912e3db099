package aiff

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

// AIFF chunk markers.
const (
	markCOMM = 'C'<<24 | 'O'<<16 | 'M'<<8 | 'M'
	markSSND = 'S'<<24 | 'S'<<16 | 'N'<<8 | 'D'
	markMARK = 'M'<<24 | 'A'<<16 | 'R'<<8 | 'K'
	markINST = 'I'<<24 | 'N'<<16 | 'S'<<8 | 'T'
	markAPPL = 'A'<<24 | 'P'<<16 | 'P'<<8 | 'L'
	markCHAN = 'C'<<24 | 'H'<<16 | 'A'<<8 | 'N'
	markCopy = '('<<24 | 'c'<<16 | ')'<<8 | ' '
	markNAME = 'N'<<24 | 'A'<<16 | 'M'<<8 | 'E'
	markAUTH = 'A'<<24 | 'U'<<16 | 'T'<<8 | 'H'
	markANNO = 'A'<<24 | 'N'<<16 | 'N'<<8 | 'O'
	markCOMT = 'C'<<24 | 'O'<<16 | 'M'<<8 | 'T'
	markFVER = 'F'<<24 | 'V'<<16 | 'E'<<8 | 'R'
	markSFX  = 'S'<<24 | 'F'<<16 | 'X'<<8 | '!'
	markPEAK = 'P'<<24 | 'E'<<16 | 'A'<<8 | 'K'
	markBASC = 'b'<<24 | 'a'<<16 | 's'<<8 | 'c'
	markNONE = 'N'<<24 | 'O'<<16 | 'N'<<8 | 'E'
)

// AIFF-C compression types.
const (
	encTwos = 't'<<24 | 'w'<<16 | 'o'<<8 | 's'
	encSowt = 's'<<24 | 'o'<<16 | 'w'<<8 | 't'
	encRaw  = 'r'<<24 | 'a'<<16 | 'w'<<8 | ' '
	encIn24 = 'i'<<24 | 'n'<<16 | '2'<<8 | '4'
	encNi24 = '4'<<24 | '2'<<16 | 'n'<<8 | '1'
	encIn32 = 'i'<<24 | 'n'<<16 | '3'<<8 | '2'
	encNi32 = '2'<<24 | '3'<<16 | 'n'<<8 | 'i'
	encfl32 = 'f'<<24 | 'l'<<16 | '3'<<8 | '2'
	encFL32 = 'F'<<24 | 'L'<<16 | '3'<<8 | '2'
	encfl64 = 'f'<<24 | 'l'<<16 | '6'<<8 | '4'
	encFL64 = 'F'<<24 | 'L'<<16 | '6'<<8 | '4'
	enculaw = 'u'<<24 | 'l'<<16 | 'a'<<8 | 'w'
	encULAW = 'U'<<24 | 'L'<<16 | 'A'<<8 | 'W'
	encalaw = 'a'<<24 | 'l'<<16 | 'a'<<8 | 'w'
	encALAW = 'A'<<24 | 'L'<<16 | 'A'<<8 | 'W'
	encDWVW = 'D'<<24 | 'W'<<16 | 'V'<<8 | 'W'
	encGSM  = 'G'<<24 | 'S'<<16 | 'M'<<8 | ' '
	encIMA4 = 'i'<<24 | 'm'<<16 | 'a'<<8 | '4'
	// MP3 in AIFF-C: libsndfile 1.2.0 has no AIFF-C MPEG decoder.
	encMP3dot = '.'<<24 | 'm'<<16 | 'p'<<8 | '3'
	encMPEG   = 'M'<<24 | 'P'<<16 | 'E'<<8 | 'G'
	encMPG3   = 'M'<<24 | 'P'<<16 | 'G'<<8 | '3'
	encmp3    = 'm'<<24 | 'p'<<16 | '3'<<8 | ' '
)

// Which mandatory parts were found.
const (
	haveFORM = 1 << iota
	haveAIFF
	haveAIFC
	haveFVER
	haveCOMM
	haveSSND
)

// stringBuf is the size of libsndfile's scratch buffer (SF_BUFFER_LEN):
// text chunks this long or longer are refused.
const stringBuf = 8192

// maxParts bounds the chunk summary; maxChunks the chunk walk.
const (
	maxParts  = 64
	maxChunks = 1 << 20
)

// comm is the COMM chunk as read.
type comm struct {
	size       uint32
	channels   int16
	frames     uint32
	sampleSize int16
	rate       [10]byte
	encoding   uint32
}

// readAIFF follows aiff_read_header, aiff_read_comm_chunk and aiff_open.
//
// Behind ID3v2 tags (libsndfile's "embedded" files) the header offsets
// count from the end of the tags but the positions libsndfile records are
// the whole input's, and the file length becomes FORM's size + 8: such a
// file opens with fewer frames than without the tags.
func readAIFF(r io.ReaderAt, size int64, info *probe.Info) (*probe.Info, error) {
	h := sndfile.Open(r, size)
	embedded := h.FileOffset() > 0 // behind ID3v2 tags
	f := sndfile.NewFile(h, probe.ContainerAIFF)
	var cm comm
	found := 0

	h.Readf("p", 0)
	f.Endian = sndfile.Big

	var chunkSize uint32
	done := false
	for iter := 0; !done; iter++ {
		if iter >= maxChunks {
			// Unreachable below 4 GiB: the walk stops on a chunk larger
			// than the file, and the header cache bounds the rest.
			return info, f.Fail(h.Tell(), "too many chunks")
		}
		jump := int64(chunkSize & 1)
		var marker uint32
		chunkSize = 0
		h.Readf("Ejm4", jump, &marker, &chunkSize)
		if marker == 0 {
			break
		}
		chunkStart := h.Tell() - 8
		if len(info.Parts) < maxParts {
			info.Parts = append(info.Parts, probe.Part{Kind: "chunk", ID: markerString(marker), Offset: chunkStart, Size: int64(chunkSize)})
		}

		switch marker {
		case markFORM:
			if found != 0 {
				return info, f.Fail(chunkStart, "a second FORM header")
			}
			found |= haveFORM
			formSize := chunkSize
			var formType uint32
			h.Readf("m", &formType)
			switch formType {
			case markAIFC:
				found |= haveAIFC | haveAIFF
				info.Variant = "AIFC"
			case markAIFF:
				found |= haveAIFF
				info.Variant = "AIFF"
			}
			if embedded && f.FileLength > int64(formSize)+8 {
				f.FileLength = int64(formSize) + 8
			}
			chunkSize = 0

		case markCOMM:
			chunkSize += chunkSize & 1
			cm.size = chunkSize
			if err := readComm(f, &cm, info); err != nil {
				return info, err
			}
			found |= haveCOMM

		case markPEAK:
			if found&(haveFORM|haveAIFF|haveCOMM) != haveFORM|haveAIFF|haveCOMM {
				return info, f.Fail(chunkStart, "PEAK chunk before COMM")
			}
			if int64(chunkSize) != 8+8*int64(f.Channels) {
				h.Readf("j", int64(chunkSize))
				return info, f.Fail(chunkStart, "PEAK chunk size does not match the channel count")
			}
			var version, stamp uint32
			h.Readf("E44", &version, &stamp)
			for k := int32(0); k < f.Channels; k++ {
				var value float32
				var pos uint32
				h.Readf("Ef4", &value, &pos)
			}

		case markSSND:
			ssndSize := chunkSize
			var offset, blockSize uint32
			h.Readf("E44", &offset, &blockSize)
			f.DataLength = int64(ssndSize) - 8
			f.DataOffset = h.Tell()
			if f.DataLength > f.FileLength-f.DataOffset || f.DataLength < 0 {
				info.Warnings = append(info.Warnings, f.CutShort("SSND chunk", f.DataLength, f.FileLength-f.DataOffset)...)
				f.DataLength = f.FileLength - f.DataOffset
			}
			f.DataOffset += int64(offset)
			f.DataLength -= int64(offset)
			if f.DataLength+f.DataOffset < f.FileLength {
				f.DataEnd = f.DataLength + f.DataOffset
			}
			found |= haveSSND
			h.FSeek(f.DataOffset+f.DataLength, sndfile.SeekSet)

		case markCopy:
			if chunkSize == 0 {
				break
			}
			if chunkSize >= stringBuf {
				return info, f.Fail(chunkStart, "copyright chunk too long")
			}
			h.Readf("b", nil, int(chunkSize+chunkSize&1))
			chunkSize += chunkSize & 1

		case markAUTH:
			if chunkSize == 0 {
				break
			}
			if chunkSize >= stringBuf-1 {
				return info, f.Fail(chunkStart, "author chunk too long")
			}
			h.Readf("b", nil, int(chunkSize+chunkSize&1))
			chunkSize += chunkSize & 1

		case markCOMT:
			if chunkSize == 0 {
				break
			}
			if err := readComments(f, chunkSize, chunkStart); err != nil {
				return info, err
			}

		case markAPPL:
			if chunkSize == 0 {
				break
			}
			if chunkSize >= stringBuf-1 || chunkSize < 4 {
				h.Readf("j", int64(chunkSize+chunkSize&1))
				break
			}
			var sig uint32
			h.Readf("mb", &sig, nil, int(chunkSize+chunkSize&1-4))
			chunkSize += chunkSize & 1

		case markNAME, markANNO:
			if chunkSize == 0 {
				break
			}
			if chunkSize >= stringBuf-2 {
				return info, f.Fail(chunkStart, "text chunk too long")
			}
			h.Readf("b", nil, int(chunkSize+chunkSize&1))
			chunkSize += chunkSize & 1

		case markINST:
			if chunkSize != 20 {
				h.Readf("j", int64(chunkSize))
				break
			}
			var gain, mode, begin, end int16
			h.Readf("b", nil, 6)
			h.Readf("E2", &gain)
			h.Readf("E222", &mode, &begin, &end)
			h.Readf("E222", &mode, &begin, &end)

		case markBASC:
			readBasc(h, int32(chunkSize))

		case markMARK:
			var n uint16
			bytesRead := uint32(h.Readf("E2", &n))
			count := uint32(n)
			if count > 2500 {
				h.Readf("j", int64(chunkSize-bytesRead))
				break
			}
			for k := uint32(0); k < count && bytesRead < chunkSize; k++ {
				var id uint16
				var pos uint32
				var plen uint8
				bytesRead += uint32(h.Readf("E241", &id, &pos, &plen))
				strLen := uint32(plen)
				if plen&1 == 0 {
					strLen++
				}
				bytesRead += uint32(h.Readf("b", nil, int(strLen)))
			}
			h.Readf("j", int64(chunkSize-bytesRead))

		case markFVER, markSFX:
			if marker == markFVER {
				found |= haveFVER
			}
			h.Readf("j", int64(chunkSize))

		case markNONE:
			// Broken AIFF-C writers put the compression type where the
			// next chunk's header should be.
			chunkSize = chunkSize>>24 - 3
			h.Readf("j", int64(chunkSize))

		case markCHAN:
			if chunkSize < 12 {
				h.Readf("j", int64(chunkSize))
				break
			}
			var tag int32
			var bitmap, descs uint32
			bytesRead := uint32(h.Readf("444", &tag, &bitmap, &descs))
			if !sndfile.KnownChannelLayout(tag) {
				// An unknown layout leaves the rest of the chunk unread:
				// the parser looks for the next chunk inside it.
				break
			}
			if bytesRead < chunkSize {
				h.Readf("j", int64(chunkSize-bytesRead))
			}

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
			if h.Tell()&3 != 0 {
				// Resynchronise three bytes back.
				h.Readf("j", -3)
				break
			}
			done = true
		}

		if int64(chunkSize) >= f.FileLength {
			break
		}
		if h.Tell() >= f.FileLength-8 {
			break
		}
	}

	if f.Channels < 1 {
		return info, f.Fail(0, "no channels")
	}
	if f.Channels > sndfile.MaxChannels {
		return info, f.Fail(0, "too many channels")
	}
	if found&haveFORM == 0 {
		return info, f.Fail(0, "no FORM header")
	}
	if found&haveAIFF == 0 {
		return info, f.Fail(0, "FORM is not AIFF")
	}
	if found&haveCOMM == 0 {
		return info, f.Fail(0, "no COMM chunk")
	}
	if f.DataOffset == 0 {
		return info, f.Fail(0, "no sound data")
	}
	return openCodec(f, &cm, info)
}

// readComm follows aiff_read_comm_chunk.
func readComm(f *sndfile.File, cm *comm, info *probe.Info) error {
	h := f.H
	start := h.Tell() - 8
	h.Readf("E242b", &cm.channels, &cm.frames, &cm.sampleSize, cm.rate[:], 10)
	if cm.size > 0x10000 && cm.size&0xffff == 0 {
		// A little-endian size from a broken writer.
		cm.size = cm.size>>24 | cm.size>>8&0xff00 | cm.size<<8&0xff0000 | cm.size<<24
	}
	switch {
	case cm.size == 18:
		cm.encoding = markNONE
	case cm.size == 22:
		h.Readf("Em", &cm.encoding)
	case cm.size >= 24:
		var nameLen uint8
		h.Readf("Em1", &cm.encoding, &nameLen)
		n := min(int64(stringBuf), int64(cm.size))
		h.Readf("b", nil, int(n-24+1))
	}

	rate := tenByteFloatToInt(cm.rate[:])
	info.SampleRate = int(rate)
	info.Channels = int(cm.channels)
	info.BitsPerSample = int(cm.sampleSize)
	if cm.channels < 1 || int32(cm.channels) > sndfile.MaxChannels {
		return f.Fail(start, "bad channel count in COMM")
	}
	if (cm.encoding == encfl32 || cm.encoding == encFL32) && cm.sampleSize != 32 {
		cm.sampleSize = 32
	} else if (cm.encoding == encfl64 || cm.encoding == encFL64) && cm.sampleSize != 64 {
		cm.sampleSize = 64
	}
	pcm := pcmCodecForBits(int32(cm.sampleSize))

	f.Samplerate = rate
	f.Frames = int64(cm.frames)
	f.Channels = int32(cm.channels)
	f.Bytewidth = (int32(cm.sampleSize) + 7) / 8
	f.Endian = sndfile.Big

	switch cm.encoding {
	case markNONE, encTwos, encIn24, encIn32:
		f.Codec = pcm
	case encSowt, encNi24, encNi32:
		f.Endian = sndfile.Little
		f.Codec = pcm
	case encfl32, encFL32:
		f.Codec = sndfile.Float
	case enculaw, encULAW:
		f.Codec = sndfile.ULaw
	case encalaw, encALAW:
		f.Codec = sndfile.ALaw
	case encfl64, encFL64:
		f.Codec = sndfile.Double
	case encRaw:
		f.Codec = sndfile.PCMU8
	case encDWVW:
		switch cm.sampleSize {
		case 12:
			f.Codec = sndfile.DWVW12
		case 16:
			f.Codec = sndfile.DWVW16
		case 24:
			f.Codec = sndfile.DWVW24
		default:
			f.Codec = sndfile.DWVWN
		}
	case encGSM:
		f.Codec = sndfile.GSM610
	case encIMA4:
		f.Codec = sndfile.IMAADPCM
	case encMP3dot, encMPEG, encMPG3, encmp3:
		info.Codec = "mp3"
		return f.Unsupported("AIFF-C with MP3 audio (compression type \"" + markerString(cm.encoding) + "\") is not decoded")
	default:
		return f.Unsupported("AIFF-C compression type \"" + markerString(cm.encoding) + "\"")
	}
	return nil
}

// pcmCodecForBits is s_bitwidth_to_subformat.
func pcmCodecForBits(bits int32) sndfile.Codec {
	if bits < 8 || bits > 32 {
		return sndfile.CodecNone
	}
	return sndfile.SignedPCM(int(bits+7) / 8)
}

// tenByteFloatToInt converts COMM's 80-bit extended sample rate the way
// libsndfile does: negative is 0, below 1 is 1, exponents that are too
// large give fixed values, and the mantissa is otherwise truncated.
func tenByteFloatToInt(b []byte) int32 {
	switch {
	case b[0]&0x80 != 0:
		return 0
	case b[0] <= 0x3F:
		return 1
	case b[0] > 0x40:
		return 0x4000000
	case b[1] > 0x1C:
		return 800000000
	}
	v := int32(b[2])<<23 | int32(b[3])<<15 | int32(b[4])<<7 | int32(b[5])>>1
	return v >> (29 - int32(b[1]))
}

// readComments skips a COMT chunk the way libsndfile reads it, comment by
// comment, so that a damaged count moves the parser where it moves
// libsndfile's.
func readComments(f *sndfile.File, chunkSize uint32, start int64) error {
	h := f.H
	bytes := chunkSize
	var count uint16
	bytes -= uint32(h.Readf("E2", &count))
	for k := 0; k < int(count); k++ {
		var stamp uint32
		var id, n uint16
		bytes -= uint32(h.Readf("E422", &stamp, &id, &n))
		if int(n)+1 > stringBuf {
			return f.Fail(start, "comment too long")
		}
		bytes -= uint32(h.Readf("b", nil, int(n)))
	}
	if bytes > 0 {
		h.Readf("j", int64(bytes))
	}
	return nil
}

// readBasc follows aiff_read_basc_chunk: 18 bytes of fields, then a skip
// computed from the declared size.
func readBasc(h *sndfile.HeaderReader, dataSize int32) {
	var version, beats uint32
	var root, scale, num, den, loop uint16
	count := h.Readf("E442", &version, &beats, &root)
	count += h.Readf("E222", &scale, &num, &den)
	count += h.Readf("E2j", &loop, int64(dataSize)-20)
	if int32(count) < dataSize {
		h.Readf("j", int64(dataSize)-int64(int32(count)))
	}
}
