package wav

// LIST/INFO chunks as libsndfile 1.2.0's wavlike_subchunk_parse walks them
// (and the EXIF sub-chunks of exif_subchunk_parse). Their sizes are trusted
// only so far, and a 'data' identifier found inside a LIST makes the walk
// back out so that the outer loop reads it as the audio chunk.

// Identifiers of the LIST and EXIF sub-chunks, most significant byte first.
const (
	idAdtl = 'a'<<24 | 'd'<<16 | 't'<<8 | 'l'
	idExif = 'e'<<24 | 'x'<<16 | 'i'<<8 | 'f'
	idLabl = 'l'<<24 | 'a'<<16 | 'b'<<8 | 'l'
	idLtxt = 'l'<<24 | 't'<<16 | 'x'<<8 | 't'
	idNote = 'n'<<24 | 'o'<<16 | 't'<<8 | 'e'

	idEver = 'e'<<24 | 'v'<<16 | 'e'<<8 | 'r'
	idOlym = 'o'<<24 | 'l'<<16 | 'y'<<8 | 'm'
	idEmdl = 'e'<<24 | 'm'<<16 | 'd'<<8 | 'l'
)

// The identifier sets below are switches on the identifier's four
// characters, not maps: a map would be filled by the package's initialiser
// at every start.

// infoText reports whether an INFO sub-chunk is text, read into a 2 KiB
// buffer.
func infoText(id uint32) bool {
	b := idBytes(id)
	switch string(b[:]) {
	case "ISFT", "ICOP", "IARL", "IART", "ICMT", "ICRD", "IENG", "IGNR",
		"INAM", "IPRD", "ISBJ", "ISRC", "IAUT", "ITRK":
		return true
	}
	return false
}

// exifText reports whether an EXIF sub-chunk is a string, read into a
// 4 KiB buffer.
func exifText(id uint32) bool {
	b := idBytes(id)
	switch string(b[:]) {
	case "emnt", "emdl", "ecor", "etim", "erel", "eucm":
		return true
	}
	return false
}

// idBytes is an identifier's four characters, most significant first.
func idBytes(id uint32) [4]byte {
	return [4]byte{byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}
}

// readList walks a LIST (or bare INFO) chunk of the declared length.
func (st *sfState) readList(length uint32) {
	h := st.H
	currentPos := h.Tell()

	if length <= 8 {
		var marker uint32
		h.Readf("mj", &marker, int32(length-4))
		return
	}
	if currentPos+int64(length) > st.FileLength {
		length = uint32(st.FileLength - currentPos)
	}

	var bytesRead uint32
walk:
	for bytesRead < length {
		var chunk uint32
		n := uint32(h.Readf("m", &chunk))
		if n == 0 {
			break
		}
		bytesRead += n

		switch chunk {
		case idAdtl, idINFO:
			continue
		case idExif:
			if length > bytesRead {
				bytesRead += st.readExif(length - bytesRead)
			}
			continue
		case idData:
			// The audio chunk inside a LIST: back out and let the outer walk
			// read it.
			h.Readf("j", -4)
			return
		case 0:
			break walk
		}

		var size uint32
		bytesRead += uint32(h.Readf("4", &size))
		switch {
		case infoText(chunk):
			size += size & 1
			if size >= 2048 || bytesRead+size > length {
				break walk
			}
			bytesRead += uint32(h.Readf("b", nil, int(size)))
		case chunk == idLabl:
			// The size is read with the mark id in one call.
			var markID uint32
			bytesRead += uint32(h.Readf("4", &markID))
			size -= 4
			size += size & 1
			if size < 1 || size >= 2048 || bytesRead+size > length {
				break walk
			}
			bytesRead += uint32(h.Readf("b", nil, int(size)))
		case chunk == idDISP || chunk == idLtxt || chunk == idNote:
			break walk
		default:
			size += size & 1
			if bytesRead+size > length {
				break walk
			}
			bytesRead += uint32(h.Readf("j", int32(size)))
		}
	}

	if length > bytesRead {
		h.Readf("j", int32(length-bytesRead))
	}
}

// readExif is exif_subchunk_parse; it returns the byte count it reports.
func (st *sfState) readExif(length uint32) uint32 {
	h := st.H
	var bytesRead uint32
	for bytesRead < length {
		var marker uint32
		n := uint32(h.Readf("m", &marker))
		if n == 0 {
			break
		}
		bytesRead += n

		switch {
		case marker == idEver:
			var dword uint32
			bytesRead += uint32(h.Readf("j4", 4, &dword))
		case marker == idOlym:
			var dword uint32
			bytesRead += uint32(h.Readf("4", &dword))
			if dword > length || bytesRead+dword > length {
				break
			}
			dword += dword & 1
			bytesRead += uint32(h.Readf("j", int32(dword)))
		case exifText(marker):
			var dword uint32
			bytesRead += uint32(h.Readf("4", &dword))
			bytesRead += 4
			dword += dword & 1
			if dword >= 4096 {
				return bytesRead
			}
			if st.scratch == nil {
				st.scratch = make([]byte, 4096)
			}
			buf := st.scratch[:dword+1]
			bytesRead += uint32(h.Readf("b", buf, int(dword)))
			buf[dword] = 0
			if marker == idEmdl && dword == cstrlen(buf) {
				bytesRead += uint32(h.Readf("j", 2))
			}
			if dword > length {
				return bytesRead
			}
		}
	}
	return bytesRead
}

func cstrlen(b []byte) uint32 {
	for i, c := range b {
		if c == 0 {
			return uint32(i)
		}
	}
	return uint32(len(b))
}
