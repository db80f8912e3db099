package wavheader

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Layout is where a WAV-family file's format and audio are.
type Layout struct {
	// Container is the input's container: "RIFF", "RIFX", "RF64", "BW64"
	// or "W64".
	Container string
	// Start is where the container starts: after any ID3 tags.
	Start int64
	// Format is the audio's format, as the output header states it.
	Format Format
	// DataOffset and DataSize are the audio bytes: the output's data
	// chunk, copied as they are.
	DataOffset int64
	DataSize   int64
	// Repairs say what the input's header gets wrong, in words: what the
	// rewrite corrects.
	Repairs []string
	// Dropped names the other chunks (metadata), which the output leaves
	// out.
	Dropped []string
}

// BigEndian tells whether the audio's samples are big-endian (RIFX); the
// output is then RIFX too, so that they need not change.
func (l *Layout) BigEndian() bool { return l.Container == "RIFX" }

func (l *Layout) order() byteOrder {
	if l.BigEndian() {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// Limits of the lenient walk.
const (
	maxChunks  = 100000  // chunks walked
	maxResync  = 1 << 20 // bytes searched for the next chunk after a chunk that claims too much
	maxID3Tags = 16
)

// walker reads the input at offsets with one small buffer.
type walker struct {
	r    io.ReaderAt
	size int64
	buf  [64]byte
	l    *Layout
}

// at returns n (≤ 64) bytes at off, or nil when the input ends first.
func (w *walker) at(off int64, n int) []byte {
	if off < 0 || off+int64(n) > w.size {
		return nil
	}
	if _, err := w.r.ReadAt(w.buf[:n], off); err != nil && !errors.Is(err, io.EOF) {
		return nil
	}
	return w.buf[:n]
}

func (w *walker) repair(format string, args ...any) {
	w.l.Repairs = append(w.l.Repairs, fmt.Sprintf(format, args...))
}

// Locate finds the format and the audio of a RIFF, RIFX, RF64, BW64 or
// Wave64 file, after any ID3v2 tags, without trusting what the API's
// reader trusts: sizes of 0 or 0xFFFFFFFF, sizes past the end of the
// file, chunks in any order, odd chunks with or without their pad byte. It
// reads headers only. What cannot be told for sure (two data chunks, two
// fmt chunks that differ, no audio) is an error that says why.
func Locate(r io.ReaderAt, size int64) (*Layout, error) {
	w := &walker{r: r, size: size, l: &Layout{}}
	if err := w.skipID3(); err != nil {
		return nil, err
	}
	head := w.at(w.l.Start, 40)
	if head == nil {
		head = w.at(w.l.Start, 12)
	}
	var err error
	switch {
	case len(head) >= 40 && [16]byte(head[:16]) == w64RIFF && [16]byte(head[24:40]) == w64WAVE:
		w.l.Container = "W64"
		err = w.walkW64()
	case head != nil && string(head[8:12]) == "WAVE" && (string(head[:4]) == "RIFF" || string(head[:4]) == "RIFX" || string(head[:4]) == "RF64" || string(head[:4]) == "BW64"):
		w.l.Container = string(head[:4])
		err = w.walkRIFF()
	default:
		return nil, &probe.FormatError{Format: "wav", Off: w.l.Start, Msg: "no RIFF, RIFX, RF64, BW64 or Wave64 header"}
	}
	if err != nil {
		return nil, err
	}
	return w.l, w.check()
}

// skipID3 skips ID3v2 tags in front of the container (id3v2.4 §3.1).
func (w *walker) skipID3() error {
	for range maxID3Tags {
		h := w.at(w.l.Start, 10)
		if h == nil || string(h[:3]) != "ID3" || h[3] < 2 || h[3] > 4 {
			return nil
		}
		n := int64(h[6]&0x7f)<<21 | int64(h[7]&0x7f)<<14 | int64(h[8]&0x7f)<<7 | int64(h[9]&0x7f)
		n += 10
		if h[5]&0x10 != 0 {
			n += 10 // footer
		}
		w.repair("ID3v2 tag of %d bytes before the header dropped (the API's reader does not skip it)", n)
		w.l.Start += n
	}
	return nil
}

// printable tells a plausible chunk ID: four printable ASCII characters.
func printable(id []byte) bool {
	for _, c := range id {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// metadataID reports whether id names a chunk writers put between or after
// fmt and data; a zero-size data chunk followed by one of them is an empty
// chunk, not the start of streamed audio. (A switch, not a map: a map
// would be filled by the package's initialiser at every start.)
func metadataID(id []byte) bool {
	switch string(id) {
	case "LIST", "JUNK", "junk", "PAD ", "FLLR", "fact", "PEAK",
		"bext", "iXML", "axml", "cue ", "smpl", "inst", "acid",
		"cart", "id3 ", "ID3 ", "DISP", "umid", "_PMX", "strc":
		return true
	}
	return false
}

func (w *walker) walkRIFF() error {
	l := w.l
	order := l.order()
	if l.Container == "BW64" {
		w.repair("BW64 container (the API's reader does not know it) written as RIFF WAVE")
	}
	pos := l.Start + 12
	ds64Data := int64(-1)
	if l.Container == "RF64" || l.Container == "BW64" {
		if h := w.at(pos, 8+24); h != nil && string(h[:4]) == "ds64" {
			ds64Data = int64(binary.LittleEndian.Uint64(h[16:]))
			pos += 8 + int64(binary.LittleEndian.Uint32(h[4:]))
		} else {
			w.repair("%s without its ds64 chunk", l.Container)
		}
	}
	var (
		fmtAt, dataAt = int64(-1), int64(-1)
		fmtBody       []byte
		pendingData   = false  // a zero-size data chunk followed by metadata
		dropped       []string // chunks the output leaves out
	)
walk:
	for range maxChunks {
		h := w.at(pos, 8)
		if h == nil {
			break
		}
		id := string(h[:4])
		sz := int64(order.Uint32(h[4:]))
		body := pos + 8
		if pendingData && !printable(h[:4]) {
			// The metadata after a zero-size data chunk is over: the rest
			// is the audio a streaming writer appended.
			l.DataOffset, l.DataSize = pos, w.size-pos
			w.repair("data chunk of size 0 followed by metadata, then %d bytes of audio up to the end of the file", l.DataSize)
			pendingData = false
			break
		}
		fits := sz <= w.size-body
		// Where the next chunk is looked for when this one claims more than
		// the file holds: from the next byte, as a chunk may have lost bytes.
		from := pos + 1
		switch id {
		case "fmt ":
			// The fmt body is read up to the next chunk, which cannot start
			// inside the fmt chunk's own header.
			from = body
			n := min(sz, w.size-body, maxFmt)
			if !fits {
				if next := w.resync(from, riffIDs); next > 0 {
					n = min(next-body, maxFmt)
				}
			}
			b := make([]byte, n)
			if _, err := w.r.ReadAt(b, body); err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			if fmtAt >= 0 && !bytes.Equal(b, fmtBody) {
				return &probe.FormatError{Format: "wav", Off: pos, Msg: fmt.Sprintf("a second fmt chunk that differs from the one at 0x%x: which format the audio is in is unclear", fmtAt)}
			}
			fmtAt, fmtBody = pos, b
			if fmtAt > dataAt && dataAt >= 0 {
				w.repair("fmt chunk after the data chunk")
			}
		case "data":
			if dataAt >= 0 || pendingData {
				return &probe.FormatError{Format: "wav", Off: pos, Msg: fmt.Sprintf("a second data chunk (the first is at 0x%x): which one holds the audio is unclear", max(dataAt, 0))}
			}
			dataAt = pos
			switch {
			case sz == 0xFFFFFFFF && ds64Data > 0:
				sz = ds64Data
			case sz == 0xFFFFFFFF && ds64Data == 0:
				w.repair("ds64 data size 0: the audio runs to the end of the file (%d bytes)", w.size-body)
				sz = w.size - body
			case sz == 0 || sz == 0xFFFFFFFF:
				if nh := w.at(body, 8); nh != nil && metadataID(nh[:4]) && int64(order.Uint32(nh[4:])) <= w.size-body-8 {
					pendingData = true
					pos = body
					continue
				}
				w.repair("data size 0x%X in the header, as a streaming writer leaves it: the audio runs to the end of the file (%d bytes)", sz, w.size-body)
				sz = w.size - body
			}
			l.DataOffset, l.DataSize = body, min(sz, w.size-body)
			if body+sz >= w.size {
				break walk // the audio runs to the end: nothing follows
			}
			pos = w.nextChunk(pos, body, sz)
			continue
		default:
			switch {
			case !printable(h[:4]) && fits:
				w.repair("chunk with the unreadable ID % X at 0x%x skipped", h[:4], pos)
			case printable(h[:4]):
				dropped = append(dropped, id)
			}
		}
		if !fits {
			next := w.resync(from, riffIDs)
			if next < 0 {
				break
			}
			if printable(h[:4]) {
				w.repair("%q chunk at 0x%x claims %d bytes, more than the file holds; the next chunk is at 0x%x", id, pos, sz, next)
			} else {
				w.repair("%d bytes at 0x%x that are not a chunk skipped; the next chunk is at 0x%x", next-pos, pos, next)
			}
			pos = next
			continue
		}
		pos = w.nextChunk(pos, body, sz)
	}
	if pendingData {
		return &probe.FormatError{Format: "wav", Off: dataAt, Msg: "the data chunk is empty"}
	}
	l.Dropped = dropped
	if fmtAt < 0 {
		return &probe.FormatError{Format: "wav", Off: l.Start, Msg: "no fmt chunk: what the audio is cannot be told"}
	}
	if dataAt < 0 {
		return &probe.FormatError{Format: "wav", Off: l.Start, Msg: "no data chunk"}
	}
	f, repairs, err := parseFormat(fmtBody, order, fmtAt)
	if err != nil {
		return err
	}
	l.Format = f
	l.Repairs = append(l.Repairs, repairs...)
	return nil
}

// nextChunk is where the chunk after the one at pos (body at body, sz
// bytes) starts: after its pad byte when its size is odd (RIFF aligns
// chunks to 2 bytes), unless the writer left the pad byte out, which shows
// as a chunk that starts right after the body instead.
func (w *walker) nextChunk(pos, body, sz int64) int64 {
	next := body + sz
	if sz%2 == 0 {
		return next
	}
	padded := w.at(next+1, 4)
	if padded != nil && printable(padded) || next+1 >= w.size {
		return next + 1
	}
	if bare := w.at(next, 4); bare != nil && printable(bare) {
		w.repair("odd-sized chunk at 0x%x without its pad byte", pos)
		return next
	}
	return next + 1
}

// riffIDs are what resync looks for in a RIFF file.
var riffIDs = [][]byte{[]byte("data"), []byte("fmt ")}

// resync looks for the next chunk that matters (one of ids) after a chunk
// header that cannot be right (a size past the end of the file, an
// unreadable ID), as far as maxResync: where it starts, or -1.
func (w *walker) resync(from int64, ids [][]byte) int64 {
	const step = 4096
	var buf [step + 16]byte
	for off := from; off < min(w.size, from+maxResync); off += step {
		n, _ := w.r.ReadAt(buf[:min(int64(len(buf)), w.size-off)], off)
		b := buf[:n]
		for i := 0; i < min(len(b), step); i++ {
			for _, id := range ids {
				if bytes.HasPrefix(b[i:], id) {
					return off + int64(i)
				}
			}
		}
	}
	return -1
}

// Wave64 chunk GUIDs.
var (
	w64RIFF = [16]byte{'r', 'i', 'f', 'f', 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00}
	w64WAVE = [16]byte{'w', 'a', 'v', 'e', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A}
	w64Fmt  = [16]byte{'f', 'm', 't', ' ', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A}
	w64Data = [16]byte{'d', 'a', 't', 'a', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A}
)

// knownW64 are the chunk GUIDs a Wave64 file holds in practice. (An
// array, not a map: a map would be filled at every start.)
var knownW64 = [...][16]byte{
	w64Fmt, w64Data,
	{'f', 'a', 'c', 't', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A},
	{'l', 'i', 's', 't', 0x2F, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00},
	{'j', 'u', 'n', 'k', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A},
	{0x6D, 0x07, 0x1C, 0xEA, 0xA3, 0xEF, 0x78, 0x4C, 0x90, 0x57, 0x7F, 0x79, 0xEE, 0x25, 0x2A, 0xAE}, // acid
	{'l', 'e', 'v', 'l', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A},
	{'b', 'e', 'x', 't', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A},
	{'m', 'a', 'r', 'k', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A},
	{'s', 'u', 'm', 'm', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A},
}

// walkW64 walks Wave64 chunks: a GUID, a 64-bit size that counts the
// 24-byte header, bodies aligned to 8 bytes.
func (w *walker) walkW64() error {
	l := w.l
	w.repair("Wave64 container (the API does not take it) written as RIFF WAVE")
	pos := l.Start + 40
	var fmtBody []byte
	fmtAt, dataAt := int64(-1), int64(-1)
	for range maxChunks {
		h := w.at(pos, 24)
		if h == nil {
			break
		}
		guid := [16]byte(h[:16])
		sz := int64(binary.LittleEndian.Uint64(h[16:]))
		body := pos + 24
		fits := sz >= 24 && sz-24 <= w.size-body
		switch guid {
		case w64Fmt:
			if !fits {
				return &probe.FormatError{Format: "w64", Off: pos, Msg: fmt.Sprintf("fmt chunk of %d bytes", sz)}
			}
			b := make([]byte, min(sz-24, maxFmt))
			if _, err := w.r.ReadAt(b, body); err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			fmtAt, fmtBody = pos, b
		case w64Data:
			if dataAt >= 0 {
				return &probe.FormatError{Format: "w64", Off: pos, Msg: "a second data chunk"}
			}
			dataAt = pos
			l.DataOffset, l.DataSize = body, sz-24
			if !fits || sz <= 24 {
				w.repair("Wave64 data size %d, not what the file holds: the audio runs to the end of the file (%d bytes)", sz, w.size-body)
				l.DataSize = w.size - body
			}
		}
		if !fits {
			break
		}
		// Chunks are aligned to 8 bytes from the start of the file.
		at := pos
		pos = l.Start + (pos-l.Start+sz+7)&^7
		if g := w.at(pos, 16); g != nil && !slices.Contains(knownW64[:], [16]byte(g)) {
			next := w.resync(at+1, [][]byte{w64Data[:], w64Fmt[:]})
			if next < 0 {
				break
			}
			w.repair("Wave64 chunk at 0x%x with a size (%d) that does not lead to the next chunk; the next chunk is at 0x%x", at, sz, next)
			pos = next
		}
	}
	if fmtAt < 0 {
		return &probe.FormatError{Format: "w64", Off: l.Start, Msg: "no fmt chunk"}
	}
	if dataAt < 0 {
		return &probe.FormatError{Format: "w64", Off: l.Start, Msg: "no data chunk"}
	}
	f, repairs, err := parseFormat(fmtBody, binary.LittleEndian, fmtAt)
	if err != nil {
		return err
	}
	l.Format = f
	l.Repairs = append(l.Repairs, repairs...)
	return nil
}

// check refuses a layout with no whole block of audio.
func (w *walker) check() error {
	l := w.l
	if l.DataSize <= 0 || (l.Format.BlockAlign > 0 && l.DataSize < int64(l.Format.BlockAlign)) {
		return &probe.FormatError{Format: "wav", Off: l.DataOffset, Msg: fmt.Sprintf("the data chunk holds %d bytes, not one whole block of audio", l.DataSize)}
	}
	return nil
}
