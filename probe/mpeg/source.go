package mpeg

import "io"

// source is the byte stream libmpg123 reads through libsndfile: a position
// that reads advance and seeks move (also past the end, as lseek allows),
// over cached windows of r. Reads past the end come back short, as read(2)
// does.
//
// Two windows are kept, so that libmpg123's habit of peeking ahead (the
// next frame header, a free-format frame's end) and seeking back costs no
// reread.
type source struct {
	r    io.ReaderAt
	base int64 // offset of the stream in r
	size int64 // length of the stream
	pos  int64 // position, relative to base; may exceed size after a seek

	win      []byte // cached bytes of r from base+winStart
	winStart int64
	old      []byte // the window before
	oldStart int64
	chunk    int // how much to read when a window is refilled
}

const (
	openChunk = 4 << 10  // small reads while the headers are probed
	walkChunk = 64 << 10 // streaming reads for the full walk
)

func newSource(r io.ReaderAt, base, size int64) *source {
	return &source{r: r, base: base, size: size, chunk: openChunk}
}

// streaming switches to big reads for a walk over the whole stream.
func (s *source) streaming() { s.chunk = walkChunk }

// remaining is how many bytes a read at the position can still get.
func (s *source) remaining() int64 {
	if s.pos >= s.size {
		return 0
	}
	return s.size - s.pos
}

// load makes the current window hold the position's byte, from the old
// window or by reading; false when the input gives nothing there.
func (s *source) load() bool {
	if s.pos >= s.oldStart && s.pos < s.oldStart+int64(len(s.old)) {
		s.win, s.old = s.old, s.win
		s.winStart, s.oldStart = s.oldStart, s.winStart
		return true
	}
	n := int64(s.chunk)
	if rem := s.remaining(); rem < n {
		n = rem
	}
	if n == 0 {
		return false
	}
	buf := s.old
	if int64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	m, _ := s.r.ReadAt(buf[:n], s.base+s.pos)
	s.old, s.oldStart = s.win, s.winStart
	s.win, s.winStart = buf[:m], s.pos
	if m == 0 {
		// the reader gave nothing back: take it for the end
		s.size = s.pos
		return false
	}
	return true
}

// inWindow reports whether the position's byte is in the current window.
func (s *source) inWindow() bool {
	return s.pos >= s.winStart && s.pos < s.winStart+int64(len(s.win))
}

// readByte reads one byte; ok is false at the end.
func (s *source) readByte() (b byte, ok bool) {
	if !s.inWindow() && !s.load() {
		return 0, false
	}
	b = s.win[s.pos-s.winStart]
	s.pos++
	return b, true
}

// read fills p as far as the stream allows and returns the count.
func (s *source) read(p []byte) int {
	n := 0
	for n < len(p) {
		if !s.inWindow() && !s.load() {
			break
		}
		c := copy(p[n:], s.win[s.pos-s.winStart:])
		n += c
		s.pos += int64(c)
	}
	return n
}

// consume reads n bytes without keeping them (a frame body or a tag that
// libmpg123 reads and we only step over) and returns how many were there.
func (s *source) consume(n int64) int64 {
	got := n
	if rem := s.remaining(); rem < got {
		got = rem
	}
	s.pos += got
	return got
}

// seek moves the position by delta, as lseek(SEEK_CUR) does; a position
// before the start fails.
func (s *source) seek(delta int64) bool {
	if s.pos+delta < 0 {
		return false
	}
	s.pos += delta
	return true
}

// readHead reads a 32-bit big-endian word (libmpg123's head_read).
func (s *source) readHead() (uint32, bool) {
	var b [4]byte
	if s.read(b[:]) != 4 {
		return 0, false
	}
	return be32(b[:]), true
}

// shiftHead shifts one more byte into h (libmpg123's head_shift).
func (s *source) shiftHead(h *uint32) bool {
	b, ok := s.readByte()
	if !ok {
		return false
	}
	*h = *h<<8 | uint32(b)
	return true
}
