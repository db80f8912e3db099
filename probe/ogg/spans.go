package ogg

// libogg copies every byte it reads twice: from the file into the sync
// buffer, and from there into a stream's body buffer, moving what is left
// to the front of each before it adds more. When the whole file is in
// memory none of that needs doing: all either buffer ever holds is bytes
// of the file (or zeros, where nothing was written yet), so it is enough
// to know which file bytes each part of it holds. A spanMap records that,
// and the buffer's operations become operations on the map; a part of
// the buffer that one span covers reads as a slice of the file.
//
// The map is kept exact, including for the parts libogg has let go of:
// libsndfile reads through stale pointers into both buffers (sync.go and
// stream.go say where), and those reads must see what libogg's buffers
// would hold there.

// span says that buffer positions [start, end) hold the file's bytes from
// offset src on.
type span struct {
	start, end int
	src        int64
}

// spanMap is a buffer's content as spans of the file, in order and
// disjoint; a position no span covers holds zero.
type spanMap struct {
	limit  int // how many spans the map may hold; 0: the buffer is written
	spans  []span
	tmp    []span // set builds the new list here
	pieces []span // move collects the moved spans here
	// hot is the span slice found last (empty when the map has changed
	// since): the packets of a page are in one span, asked for in turn.
	hot span
}

// maxSpans bounds a map. A buffer whose content is more fragmented than
// this is written out as bytes instead (the fragments come from damaged
// files that make libsndfile seek about).
const maxSpans = 32

// full tells whether the map holds more spans than it may.
func (m *spanMap) full() bool { return len(m.spans) >= m.limit }

func (m *spanMap) reset() { m.spans, m.hot = m.spans[:0], span{} }

// emptied is an empty map of the given limit that reuses m's storage.
func (m *spanMap) emptied(limit int) spanMap {
	return spanMap{limit: limit, spans: m.spans[:0], tmp: m.tmp[:0], pieces: m.pieces[:0]}
}

// appendSpan appends s to spans, merged with the last span when it
// continues it in the file too.
func appendSpan(spans []span, s span) []span {
	if n := len(spans); n > 0 {
		l := &spans[n-1]
		if l.end == s.start && l.src+int64(l.end-l.start) == s.src {
			l.end = s.end
			return spans
		}
	}
	return append(spans, s)
}

// set makes positions [a, b) hold the file's bytes from src on, or zeros
// when src < 0. Spans that end at or before floor are dropped: the caller
// knows those positions are described otherwise.
func (m *spanMap) set(a, b int, src int64, floor int) {
	if a >= b {
		return
	}
	m.hot = span{}
	switch n := len(m.spans); {
	case n == 0 || a <= m.spans[0].start && b >= m.spans[n-1].end:
		// It covers every span there is (a new page's body at the front
		// of the stream's buffer, as a rule).
		m.spans = m.spans[:0]
		if src >= 0 {
			m.spans = append(m.spans, span{a, b, src})
		}
		return
	case a >= m.spans[n-1].end && m.spans[0].end > floor && src >= 0:
		m.spans = appendSpan(m.spans, span{a, b, src}) // after them all
		return
	}
	out := m.tmp[:0]
	placed := src < 0
	for _, s := range m.spans {
		if s.end <= floor {
			continue
		}
		if s.end <= a {
			out = appendSpan(out, s)
			continue
		}
		if s.start >= b {
			if !placed {
				out = appendSpan(out, span{a, b, src})
				placed = true
			}
			out = appendSpan(out, s)
			continue
		}
		if s.start < a && a > floor {
			out = appendSpan(out, span{s.start, a, s.src})
		}
		if !placed {
			out = appendSpan(out, span{a, b, src})
			placed = true
		}
		if s.end > b {
			out = appendSpan(out, span{b, s.end, s.src + int64(b-s.start)})
		}
	}
	if !placed {
		out = appendSpan(out, span{a, b, src})
	}
	m.spans, m.tmp = out, m.spans
}

// move is memmove within the buffer: positions [dst, dst+b-a) get what
// [a, b) holds.
func (m *spanMap) move(dst, a, b int) {
	if a >= b || dst == a {
		return
	}
	pieces := m.pieces[:0]
	for _, s := range m.spans {
		if s.end <= a || s.start >= b {
			continue
		}
		lo, hi := max(s.start, a), min(s.end, b)
		pieces = append(pieces, span{lo - a + dst, hi - a + dst, s.src + int64(lo-s.start)})
	}
	m.pieces = pieces
	m.set(dst, dst+b-a, -1, 0)
	for _, p := range pieces {
		m.set(p.start, p.end, p.src, 0)
	}
}

// find is the span that holds position i, or -1.
func (m *spanMap) find(i int) int {
	for k := range m.spans {
		if s := &m.spans[k]; s.start <= i && i < s.end {
			return k
		}
		if m.spans[k].start > i {
			break
		}
	}
	return -1
}

// at is the byte at position i.
func (m *spanMap) at(file []byte, i int) byte {
	if k := m.find(i); k >= 0 {
		s := &m.spans[k]
		return file[s.src+int64(i-s.start)]
	}
	return 0
}

// slice is positions [a, b) as a slice of the file, when one span holds
// them all.
func (m *spanMap) slice(file []byte, a, b int) ([]byte, bool) {
	if k := m.find(a); k >= 0 {
		if s := &m.spans[k]; b <= s.end {
			m.hot = *s
			off := s.src + int64(a-s.start)
			return file[off : off+int64(b-a)], true
		}
	}
	return nil, false
}

// read writes positions [a, a+len(dst)) into dst.
func (m *spanMap) read(file []byte, dst []byte, a int) {
	clear(dst)
	b := a + len(dst)
	for _, s := range m.spans {
		if s.end <= a || s.start >= b {
			continue
		}
		lo, hi := max(s.start, a), min(s.end, b)
		copy(dst[lo-a:hi-a], file[s.src+int64(lo-s.start):])
	}
}
