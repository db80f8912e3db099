package ogg

import (
	"io"
	"sync"

	"github.com/audiopreflight/audiopreflight/internal/prefault"
)

// One file's whole reading state is allocated together and reused across
// files, and so are the file cache's buffers: a run over a thousand small
// files would otherwise spend its time allocating and clearing them.

// fileState is everything reading one file takes: the container and its
// sync reader, the file cache, the damage record, either codec's stream,
// the checksums already checked, and the buffers they grow into.
type fileState struct {
	file    oggFile
	sync    syncReader
	cache   fileCache
	stats   scanStats
	checked *checkCache // kept from file to file: it is emptied, not cleared
	opus    opusStream
	vorbis  vorbisStream
	open    openState
}

var statePool = sync.Pool{New: func() any { return prefault.New[fileState]() }}

// newFileState is the state for reading r, of size bytes: zeroed, with
// the buffers an earlier file grew kept (emptied). spans bounds the
// descriptions of libogg's buffers (spans.go); with 0 they are written.
func newFileState(r io.ReaderAt, size int64, spans int) *fileState {
	s := statePool.Get().(*fileState)
	mem, bad, store := s.sync.mem[:0], s.stats.bad[:0], s.cache.store
	stale, scratch := s.sync.stale.emptied(spans), s.sync.scratch
	os, pkt, others := s.file.os, s.file.pkt, s.file.others[:0]
	// Only the first slot is ever read before this file writes it (a hole
	// leaves it as it was): it starts empty, the others keep their length.
	if len(pkt) > 0 {
		pkt[0] = packet{}
	}
	checked := s.checked
	*s = fileState{}
	if checked == nil {
		checked = prefault.New[checkCache]()
	}
	s.checked = checked
	s.cache = fileCache{r: r, size: size, whole: cacheSize, block: headBlock, store: store}
	s.stats.bad = bad
	s.checked.reset()
	s.sync = syncReader{src: &s.cache, size: size, mem: mem, stats: &s.stats, checked: s.checked,
		inPlace: size <= cacheSize && spans > 0, stale: stale, scratch: scratch}
	s.file = oggFile{sync: &s.sync, size: size, pkt: pkt, others: others, home: s}
	s.file.os = stream{body: os.body[:0], lacing: os.lacing[:0], granules: os.granules[:0],
		spans: os.spans.emptied(spans), scratch: os.scratch}
	return s
}

// free gives the state back once nothing uses it any more.
func (s *fileState) free() {
	s.cache.release()
	s.cache.r = nil
	if cap(s.cache.store) > cacheSize {
		s.cache.store = nil
	}
	// A scratch buffer grows to the largest page or packet put together
	// from a described buffer; keep only one of ordinary size.
	if cap(s.sync.scratch) > maxPageSize {
		s.sync.scratch = nil
	}
	if cap(s.file.os.scratch) > maxPageSize {
		s.file.os.scratch = nil
	}
	s.sync.whole = nil
	s.file.os.file = nil
	statePool.Put(s)
}

// The file cache's buffers for the blocks of larger files are all
// cacheSize bytes; the rare larger request is allocated.

const cacheSize = 96 << 10

var cachePool = sync.Pool{New: func() any { b := make([]byte, cacheSize); return &b }}

// getCacheBuf returns a buffer of length n with arbitrary content, and
// what to give back to putCacheBuf (nil for an allocated one).
func getCacheBuf(n int) ([]byte, *[]byte) {
	if n > cacheSize {
		return make([]byte, n), nil
	}
	p := cachePool.Get().(*[]byte)
	return (*p)[:n], p
}

// putCacheBuf gives a buffer from getCacheBuf back.
func putCacheBuf(p *[]byte) {
	if p != nil {
		cachePool.Put(p)
	}
}

// growZeroed extends b to length n, with zeros past its old length,
// reusing its capacity when it can.
func growZeroed(b []byte, n int) []byte {
	if n <= cap(b) {
		old := len(b)
		b = b[:n]
		clear(b[old:])
		return b
	}
	g := make([]byte, n, max(n, 2*cap(b), 4096))
	copy(g, b)
	return g
}

// checkCache remembers which pages passed their checksum, so that a page
// the read loop meets again (after a seek) is not checked again. An entry
// counts only in the generation that stored it: emptying the cache for
// the next file is a new generation, not a clearing of 256 entries.
type checkCache struct {
	gen     uint32
	entries [256]checkEntry
}

type checkEntry struct {
	off  int64
	size int32
	gen  uint32
	ok   bool
}

func (c *checkCache) reset() {
	c.gen++
	if c.gen == 0 { // wrapped: entries of generation 0 would count again
		c.entries = [256]checkEntry{}
		c.gen = 1
	}
}

func (c *checkCache) lookup(off int64, size int) (ok, known bool) {
	e := &c.entries[off&255]
	if e.gen == c.gen && e.off == off && e.size == int32(size) {
		return e.ok, true
	}
	return false, false
}

func (c *checkCache) store(off int64, size int, ok bool) {
	c.entries[off&255] = checkEntry{off: off, size: int32(size), gen: c.gen, ok: ok}
}
