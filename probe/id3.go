package probe

import (
	"fmt"
	"io"
	"strings"
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
//   - The tag is skipped only when the input goes on after it (tag end <
//     size); then detection starts over on the 12 bytes after it, so any
//     number of tags is skipped, and any format can be found behind them.
//     An input that ends within or right at the end of the tag does not
//     open; neither does one with fewer than 12 bytes after it.
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
//     to its end has (RIFF size + 8 − tag bytes − data offset) / block align
//     frames (checked for tags of 110 to 1011 bytes); AU opens as without
//     the tag; FLAC behind one
//     tag opens as without it (libFLAC reads from the first byte and skips
//     one tag itself) but behind two does not open (libFLAC skips only
//     one); MPEG is read by libmpg123 from the first byte, which parses the
//     tags its own way (see probe/mpeg).
//   - libsndfile moves past a tag by reading through its header cache,
//     except for a tag whose size exceeds what the cache may grow to (a
//     little over 50 KiB); that one is skipped with a seek the virtual I/O
//     takes as absolute. For the first tag that is the same place; for a
//     later one, detection goes on at the tag size counted from the input's
//     start while libsndfile believes it is after the tag.
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
	count int   // tags skipped
	at    int64 // where detection resumed (where the section starts)
	ok    bool  // false: the input ends within or right after the tags
}

// skipID3v2 skips the ID3v2 tags at the start of r as guess_file_type does.
// head holds the input's first bytes (up to HeadSize); buf is scratch of
// HeadSize bytes. It returns the head at s.at, HeadSize bytes or to the
// end, taken from head where it overlaps.
func skipID3v2(r io.ReaderAt, size int64, head, buf []byte) (s id3Skip, at []byte) {
	var (
		fileOffset int64 // where libsndfile believes the embedded file starts
		readAt     int64 // where its reads actually continue
		cacheLen   = int64(256)
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
		switch {
		case s.count < maxTagParts:
			s.tags = append(s.tags, Part{Kind: "tag", ID: fmt.Sprintf("ID3v2.%d", b[3]), Offset: readAt, Size: l})
		case s.count == maxTagParts:
			s.tags = append(s.tags, Part{Kind: "tag", ID: "ID3v2", Offset: readAt, Size: l, Note: "1 more ID3v2 tag"})
		default:
			last := &s.tags[len(s.tags)-1]
			last.Size = max(last.Size, readAt+l-last.Offset)
			last.Note = fmt.Sprintf("%d more ID3v2 tags", s.count-maxTagParts+1)
		}
		s.count++
		if fileOffset+l >= size {
			s.tags[len(s.tags)-1].Note = "reaches the end of the input: not skipped"
			return s, nil
		}
		// The header cache grows (to at most 100 KiB, doubling the need)
		// when the tag does not fit; a tag that still does not fit is
		// seeked over from the input's start.
		if 10+l >= cacheLen {
			grown := 2 * cacheLen
			if l > cacheLen {
				grown = 2 * max(l, 256)
			}
			if grown <= 100*1024 {
				cacheLen = grown
			}
		}
		if l > cacheLen {
			readAt = l
		} else {
			readAt += l
		}
		fileOffset += l
		b = load(readAt)
	}
	if len(b) < 12 {
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

// embeddable lists the libsndfile formats it accepts behind an ID3v2 tag.
var embeddable = map[string]bool{"WAV": true, "WAVEX": true, "AIFF": true, "AU": true, "FLAC": true, "MP3": true}

// probeBehindID3 probes an input that starts with ID3v2 tags.
func probeBehindID3(r io.ReaderAt, head []byte, size int64) *Info {
	s, head := skipID3v2(r, size, head, make([]byte, HeadSize))
	if !s.ok {
		return &Info{Container: ContainerMP3, Parts: s.tags,
			OpenError: (&FormatError{Format: ContainerMP3, Off: 0, Msg: "the input ends within 12 bytes after its ID3v2 tags"}).Error()}
	}
	rest := size - s.at
	f, ok := lookup(head, rest)
	if !ok {
		return &Info{Container: ContainerMP3, Parts: s.tags,
			OpenError: (&FormatError{Format: ContainerMP3, Off: s.at, Msg: "no known format right after the ID3v2 tags"}).Error()}
	}
	info := openFormat(f, io.NewSectionReader(r, s.at, rest), rest)
	info.Parts = append(s.tags, info.Parts...)
	switch {
	case !info.Opens:
	case !embeddable[info.SndfileFormat]:
		info.Opens = false
		info.OpenError = (&UnsupportedError{Format: info.Container, Msg: "libsndfile does not read " + info.SndfileFormat + " behind an ID3v2 tag"}).Error()
	case info.SndfileFormat == "FLAC" && s.count > 1:
		info.Opens = false
		info.OpenError = (&UnsupportedError{Format: info.Container, Msg: "libFLAC skips only one ID3v2 tag"}).Error()
	}
	return info
}

// sectionOf returns the part of the input a format was probed on: after the
// ID3v2 tags when Probe skipped some (their Parts come first in Info).
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
