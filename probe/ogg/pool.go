package ogg

import "sync"

// The file cache's buffers are reused across files: a run over a thousand
// small files would otherwise spend its time allocating and clearing them.
// They are all cacheSize bytes; the rare larger request is allocated.

const cacheSize = 96 << 10

var cachePool = sync.Pool{New: func() any { b := make([]byte, cacheSize); return &b }}

// getCacheBuf returns a buffer of length n with arbitrary content.
func getCacheBuf(n int) []byte {
	if n > cacheSize {
		return make([]byte, n)
	}
	return (*cachePool.Get().(*[]byte))[:n]
}

// putCacheBuf gives a buffer from getCacheBuf back.
func putCacheBuf(b []byte) {
	if cap(b) != cacheSize {
		return
	}
	b = b[:cacheSize]
	cachePool.Put(&b)
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

// fileBuffers are the buffers one file's state grows into. A full read
// hands them back when it ends, for the next file's header.
type fileBuffers struct {
	mem      []byte
	body     []byte
	lacing   []int32
	granules []int64
	pkt      []packet
	checked  checkCache
}

var buffersPool = sync.Pool{New: func() any { return new(fileBuffers) }}

// takeBuffers gives f reused buffers, emptied.
func (f *oggFile) takeBuffers() {
	b := buffersPool.Get().(*fileBuffers)
	f.sync.mem = b.mem[:0]
	f.os.body = b.body[:0]
	f.os.lacing = b.lacing[:0]
	f.os.granules = b.granules[:0]
	f.pkt = b.pkt[:0]
	b.checked.reset()
	f.sync.checked = &b.checked
	b.mem, b.body, b.lacing, b.granules, b.pkt = nil, nil, nil, nil, nil
	f.buffers = b
}

// giveBuffers hands f's buffers back; f is not used again.
func (f *oggFile) giveBuffers() {
	b := f.buffers
	if b == nil {
		return
	}
	f.buffers = nil
	b.mem, b.body, b.lacing, b.granules, b.pkt = f.sync.mem, f.os.body, f.os.lacing, f.os.granules, f.pkt
	f.sync.mem, f.os.body, f.os.lacing, f.os.granules, f.pkt = nil, nil, nil, nil, nil
	f.sync.checked = nil
	buffersPool.Put(b)
}

// checkCache remembers which pages passed their checksum, so that a page
// the read loop meets again (after a seek) is not checked again.
type checkCache struct {
	off  [256]int64
	size [256]int32
	ok   [256]bool
}

func (c *checkCache) reset() {
	for i := range c.off {
		c.off[i] = -1
	}
}

func (c *checkCache) lookup(off int64, size int) (ok, known bool) {
	i := off & 255
	if c.off[i] == off && c.size[i] == int32(size) {
		return c.ok[i], true
	}
	return false, false
}

func (c *checkCache) store(off int64, size int, ok bool) {
	i := off & 255
	c.off[i], c.size[i], c.ok[i] = off, int32(size), ok
}
