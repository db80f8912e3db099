package probe

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/audiopreflight/audiopreflight/internal/prefault"
)

// ID3v2 tags in front of audio (id3.org, ID3v2.3.0 and ID3v2.4.0 structure).
//
// What libsndfile 1.2.0 does with them (src/sndfile.c guess_file_type,
// src/id3.c id3_skip), each point checked with the reference model on
// crafted files:
//
//   - Only "ID3" followed by the major version byte 2, 3 or 4 is a tag;
//     "ID3\x01", "ID3\x05", ... are not recognised at all. The test comes
//     after every signature up to RF64 (OrderID3) has failed on the same 12
//     bytes.
//   - The size is the four size bytes taken 7 bits each (their top bits are
//     masked off, not checked) plus the 10 header bytes. The footer flag is
//     ignored: a tag with a footer is skipped 10 bytes short, detection then
//     sees "3DI" and the input does not open. The unsynchronisation,
//     extended-header and other flags change nothing.
//   - The tag is skipped only when the input goes on after it (where
//     libsndfile believes the tag starts + its size < the input's size);
//     then detection starts over on the next 12 bytes, so any number of
//     tags is skipped, and any format can be found behind them. An input
//     that ends within or right at the end of the tag does not open;
//     neither does one with fewer than 12 bytes after it.
//   - Behind a tag, MPEG audio is taken only when the frame sync is right
//     there: junk between the tag and the first frame makes the input
//     unrecognised (libsndfile's late MPEG test for junk-led files runs only
//     when there was no tag).
//   - After the format's open succeeds, only WAV (WAVEX), AIFF, AU, FLAC and
//     MPEG are allowed behind a tag; anything else (Ogg, RF64, W64, CAF,
//     ...) fails with "embedding not supported for this file format".
//   - The formats read their headers starting after the tag, but the
//     reader libsndfile gives them (python-soundfile's virtual I/O) ignores
//     the offset on seeks and tells positions from the input's start, and
//     the file length stays the whole input's. So each format behaves in its
//     own way:
//     WAV and AIFF open with fewer frames than without the tag: the data
//     offset they record is the absolute one while the length they clamp
//     the data to is the RIFF/FORM size + 8, so a WAV whose data chunk runs
//     to its end has (RIFF size + 8 − bytes before "RIFF" − data offset) /
//     block align frames (checked for tags of 110 to 1011 bytes); AU opens
//     as without the tag; FLAC behind one tag opens as without it (libFLAC
//     reads from the first byte and skips one tag itself, and loses sync
//     unless "fLaC" follows at once, so never behind a tag of size 0 or
//     1) but behind two does not open (libFLAC skips only one); MPEG is
//     read by libmpg123 from the first byte, which parses the tags its own
//     way (see probe/mpeg).
//   - libsndfile moves past a tag with a seek in its header cache, which
//     holds the 12 bytes just read (src/common.c header_seek), and then
//     clears the cache. Four things follow:
//     a tag of size 0 or 1 (10 or 11 bytes) ends within those 12 bytes, so
//     nothing more is read and detection resumes at byte 12 of the tag,
//     not at its end: "ID3" of size 0 followed by "RIFF" does not open,
//     two bytes of junk before the "RIFF" make it open; a tag that does not
//     fit the cache even after it grows (to at most 100 KiB, so a tag
//     of a little over 50 KiB) is skipped with a file seek, which the
//     virtual I/O takes from the input's start: for the first tag that is
//     the same place, for a later one detection goes on at the tag's size
//     counted from the input's start; the cache also doubles when the
//     seek leaves its index within 16 bytes of its end, before the clear;
//     and when it cannot double then (a tag ending at 65520 to 65536
//     bytes into a 64 KiB cache), the clear is skipped and the next read
//     fails: the input does not open.
//
// Probe models this: when no format before OrderID3 matches and the input
// starts with a tag, it skips the tags the same way, sniffs again, and hands
// the format's ReadHeader an *io.SectionReader that starts where detection
// resumed (ReadAll gets the same section). A format that needs libsndfile's
// view of the whole input (absolute positions, the whole length) gets it
// from the section's Outer method. Each tag is a Part of Kind "tag", ID
// "ID3v2.<major>".

// maxTagParts bounds how many tags are listed one by one in Info.Parts.
const maxTagParts = 16

// hasID3v2 reports whether b starts with a tag libsndfile skips.
func hasID3v2(b []byte) bool {
	return len(b) >= 4 && b[0] == 'I' && b[1] == 'D' && b[2] == '3' && b[3] >= 2 && b[3] <= 4
}

// id3Skip is the outcome of skipping the tags at the start of an input.
type id3Skip struct {
	tags  []Part
	count int    // tags skipped
	at    int64  // where detection resumed (the section starts), or stopped
	ok    bool   // false: detection stopped at the tags
	why   string // when not ok, why
}

// skipID3v2 skips the ID3v2 tags at the start of r as guess_file_type does.
// head holds the input's first bytes (up to HeadSize); buf is scratch of
// HeadSize bytes. It returns the head at s.at, HeadSize bytes or to the
// end, taken from head where it overlaps.
func skipID3v2(r io.ReaderAt, size int64, head, buf []byte) (s id3Skip, at []byte) {
	var (
		fileOffset int64 // where libsndfile believes the embedded file starts
		readAt     int64 // where its reads actually continue
		cache      = headerCache{len: 256}
		win        = head // bytes of r from winAt
		winAt      int64
	)
	load := func(off int64) []byte {
		if off >= winAt && off+12 <= winAt+int64(len(win)) {
			return win[off-winAt:]
		}
		n, _ := r.ReadAt(buf, off)
		win, winAt = buf[:n], off
		return win
	}
	b := load(0)
	for len(b) >= 12 && hasID3v2(b) {
		// the size: four 7-bit groups, top bits ignored, plus the header
		l := int64(b[6]&0x7f)<<21 | int64(b[7]&0x7f)<<14 | int64(b[8]&0x7f)<<7 | int64(b[9]&0x7f) + 10
		s.addTag(b[3], readAt, l)
		if fileOffset+l >= size {
			s.at, s.why = readAt, "an ID3v2 tag reaches the end of the input"
			s.tags[len(s.tags)-1].Note = "reaches the end of the input: not skipped"
			return s, nil
		}
		next, ok := cache.skip(readAt, l)
		if !ok {
			s.at, s.why = readAt, "libsndfile's header cache cannot grow past an ID3v2 tag"
			s.tags[len(s.tags)-1].Note = "ends where libsndfile's header cache cannot grow: not skipped"
			return s, nil
		}
		readAt = next
		fileOffset += l
		b = load(readAt)
	}
	if len(b) < 12 {
		s.at, s.why = readAt, "the input ends within 12 bytes after its ID3v2 tags"
		return s, nil
	}
	s.at, s.ok = readAt, true
	// the head at s.at: what the window holds from there, then the rest
	n := copy(buf, win[readAt-winAt:])
	if n < len(buf) && readAt+int64(n) < size {
		m, _ := r.ReadAt(buf[n:], readAt+int64(n))
		n += m
	}
	return s, buf[:n]
}

// addTag lists a tag of l bytes at off in s.tags, the first maxTagParts one
// by one and the rest in one summary part.
func (s *id3Skip) addTag(major byte, off, l int64) {
	switch {
	case s.count < maxTagParts:
		s.tags = append(s.tags, Part{Kind: "tag", ID: fmt.Sprintf("ID3v2.%d", major), Offset: off, Size: l})
	case s.count == maxTagParts:
		s.tags = append(s.tags, Part{Kind: "tag", ID: "ID3v2", Offset: off, Size: l, Note: "1 more ID3v2 tag"})
	default:
		last := &s.tags[len(s.tags)-1]
		last.Size = max(last.Size, off+l-last.Offset)
		last.Note = fmt.Sprintf("%d more ID3v2 tags", s.count-maxTagParts+1)
	}
	s.count++
}

// headerCache is the size of libsndfile's header cache (psf->header.len,
// src/common.c), which decides how a tag is skipped. It starts at 256
// bytes and doubles, or grows to twice a larger need, up to 100 KiB; a
// request beyond that is denied and the cache keeps its size.
type headerCache struct{ len int64 }

func (c *headerCache) grow(need int64) bool {
	n := 2 * c.len
	if need > c.len {
		n = 2 * max(need, 256)
	}
	if n > 100*1024 {
		return false
	}
	c.len = n
	return true
}

// skip replays id3_skip's move past a tag of l bytes whose first 12 bytes
// were just read at file position at (the cache then holds those 12 bytes
// and its read index is 10, after the tag header). It returns where the
// next 12 bytes are read, and false when detection cannot go on.
//
// The move is a header seek to l: when l does not fit the cache, a file
// seek to l from the input's start (which is the input's start, not the
// tag's, in python-soundfile's virtual I/O); otherwise the cache reads on
// to its byte l, which reads nothing when l is at most the 12 bytes it
// already holds, so that after a tag of size 0 or 1 reading resumes at
// byte 12 after the tag's start, not at 10 or 11. Then the cache is
// cleared, unless the index it is left at is within 16 bytes of its end
// and it cannot double: the clear is skipped, and the next read, which
// needs the cache to grow too, fails.
func (c *headerCache) skip(at, l int64) (next int64, ok bool) {
	const index, held = 10, 12
	if index+l >= c.len {
		c.grow(l)
	}
	if l > c.len {
		return l, true
	}
	if l+16 >= c.len && !c.grow(16) {
		return 0, false
	}
	return at + max(l, held), true
}

// embeddable reports whether libsndfile accepts the format behind an ID3v2
// tag.
func embeddable(sndfileFormat string) bool {
	switch sndfileFormat {
	case "WAV", "WAVEX", "AIFF", "AU", "FLAC", "MP3":
		return true
	}
	return false
}

var id3Buffers = sync.Pool{New: func() any { return prefault.New[[HeadSize]byte]() }}

// probeBehindID3 probes an input that starts with ID3v2 tags.
func probeBehindID3(r io.ReaderAt, head []byte, size int64, room *Room) *Info {
	// What skipID3v2 reads past the head goes into a pooled buffer: only
	// the format lookup reads it, and then the probe reads through r.
	buf := id3Buffers.Get().(*[HeadSize]byte)
	defer id3Buffers.Put(buf)
	s, head := skipID3v2(r, size, head, buf[:])
	if !s.ok {
		return room.newInfo(Info{Container: ContainerMP3, Parts: s.tags,
			OpenError: (&FormatError{Format: ContainerMP3, Off: s.at, Msg: s.why}).Error()})
	}
	rest := size - s.at
	f, ok := lookup(head, rest)
	if !ok {
		return room.newInfo(Info{Container: ContainerMP3, Parts: s.tags,
			OpenError: (&FormatError{Format: ContainerMP3, Off: s.at, Msg: "no known format right after the ID3v2 tags"}).Error()})
	}
	info := openFormat(f, io.NewSectionReader(r, s.at, rest), rest, room)
	info.Parts = append(s.tags, info.Parts...)
	switch {
	case !info.Opens:
	case !embeddable(info.SndfileFormat):
		info.Opens = false
		info.OpenError = (&UnsupportedError{Format: info.Container, Msg: "libsndfile does not read " + info.SndfileFormat + " behind an ID3v2 tag"}).Error()
	case info.SndfileFormat == "FLAC" && s.count > 1:
		info.Opens = false
		info.OpenError = (&UnsupportedError{Format: info.Container, Msg: "libFLAC skips only one ID3v2 tag"}).Error()
	}
	return info
}

// Section returns the part of the input a format was probed on: after the
// ID3v2 tags when Probe skipped some (their Parts come first in Info).
func Section(r io.ReaderAt, size int64, info *Info) (io.ReaderAt, int64) {
	return sectionOf(r, size, info)
}

func sectionOf(r io.ReaderAt, size int64, info *Info) (io.ReaderAt, int64) {
	if len(info.Parts) == 0 || info.Parts[0].Kind != "tag" || info.Parts[0].Offset != 0 || !strings.HasPrefix(info.Parts[0].ID, "ID3v2") {
		return r, size
	}
	buf := make([]byte, HeadSize)
	n, _ := r.ReadAt(buf, 0)
	s, _ := skipID3v2(r, size, buf[:n], make([]byte, HeadSize))
	if !s.ok {
		return r, size
	}
	return io.NewSectionReader(r, s.at, size-s.at), size - s.at
}
