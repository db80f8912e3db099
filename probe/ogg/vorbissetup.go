package ogg

import "math/bits"

// Vorbis I headers (Vorbis I specification §4.2, §3.2.1), checked the way
// libvorbis 1.3.7's vorbis_synthesis_headerin checks them. libsndfile
// ignores what the comment and setup headers' checks return, but their
// effects remain: a refused setup header clears the stream information
// (the rate becomes 0, so the file does not open), and a refused comment
// header leaves the setup header unread (nothing decodes). Block sizes and
// the modes' block flags are what the server's sample count rests on.

// bitReader is libogg's oggpack_read: least significant bit first, and
// once a read runs past the end every further read fails (-1).
type bitReader struct {
	data    []byte
	pos     int // in bits
	overrun bool
}

func (b *bitReader) read(n int) int64 {
	if n < 0 || n > 32 || b.overrun || b.pos+n > len(b.data)*8 {
		b.overrun = true
		return -1
	}
	var v uint64
	for i := 0; i < n; {
		byteIdx, bit := (b.pos+i)>>3, (b.pos+i)&7
		take := min(8-bit, n-i)
		v |= uint64(b.data[byteIdx]>>bit&(1<<take-1)) << i
		i += take
	}
	b.pos += n
	return int64(v)
}

// skip reads n bits in 32-bit steps, as a series of oggpack_read calls.
func (b *bitReader) skip(n int64) {
	for n > 0 {
		k := int(min(n, 32))
		b.read(k)
		n -= int64(k)
	}
}

// bytes is oggpack_bytes.
func (b *bitReader) bytes() int64 {
	if b.overrun {
		return int64(len(b.data)) + 1
	}
	return int64((b.pos + 7) >> 3)
}

func (b *bitReader) remaining() int64 { return int64(len(b.data)) - b.bytes() }

// ilog is ov_ilog: the number of bits needed to hold v.
func ilog(v uint32) int { return bits.Len32(v) }

// vorbisInfo is what the headers leave in libvorbis's vorbis_info and
// vorbis_comment.
type vorbisInfo struct {
	channels   int
	rate       int64
	blocksizes [2]int
	haveVendor bool // the comment header was accepted

	books      int // the setup header was accepted when > 0
	modes      int
	blockflags [64]int
	booksValid bool // every codebook describes a complete tree
}

// vorbisHeaderin is vorbis_synthesis_headerin: 0 or a negative libvorbis
// error.
func (vi *vorbisInfo) headerin(p []byte, bos bool) int {
	b := &bitReader{data: p}
	typ := b.read(8)
	var magic [6]byte
	for i := range magic {
		magic[i] = byte(b.read(8))
	}
	if string(magic[:]) != "vorbis" {
		return -132 // OV_ENOTVORBIS
	}
	switch typ {
	case 1:
		if !bos || vi.rate != 0 {
			return -133
		}
		return vi.unpackInfo(b)
	case 3:
		if vi.rate == 0 || vi.haveVendor {
			return -133
		}
		if !unpackComment(b) {
			return -133
		}
		vi.haveVendor = true
		return 0
	case 5:
		if vi.rate == 0 || !vi.haveVendor || vi.books > 0 {
			return -133
		}
		if !vi.unpackBooks(b) {
			*vi = vorbisInfo{} // vorbis_info_clear
			return -133
		}
		return 0
	}
	return -133
}

func (vi *vorbisInfo) unpackInfo(b *bitReader) int {
	if b.read(32) != 0 {
		return -134 // OV_EVERSION
	}
	vi.channels = int(b.read(8))
	vi.rate = b.read(32)
	b.read(32)
	b.read(32)
	b.read(32)
	bs0 := b.read(4)
	if bs0 < 0 {
		*vi = vorbisInfo{}
		return -133
	}
	vi.blocksizes[0] = 1 << bs0
	bs1 := b.read(4)
	if bs1 < 0 {
		*vi = vorbisInfo{}
		return -133
	}
	vi.blocksizes[1] = 1 << bs1
	if vi.rate < 1 || vi.channels < 1 || vi.blocksizes[0] < 64 || vi.blocksizes[1] < vi.blocksizes[0] || vi.blocksizes[1] > 8192 || b.read(1) != 1 {
		*vi = vorbisInfo{}
		return -133
	}
	return 0
}

func unpackComment(b *bitReader) bool {
	storage := int64(len(b.data))
	vendor := int32(b.read(32))
	if vendor < 0 || int64(vendor) > storage-8 {
		return false
	}
	b.skip(int64(vendor) * 8)
	n := int32(b.read(32))
	if n < 0 || int64(n) > (storage-b.bytes())>>2 {
		return false
	}
	for range n {
		l := int32(b.read(32))
		if l < 0 || int64(l) > storage-b.bytes() {
			return false
		}
		b.skip(int64(l) * 8)
	}
	return b.read(1) == 1
}

// codebook is what the setup checks need of vorbis_staticbook_unpack.
type codebook struct {
	dim     int64
	entries int64
	maptype int64
	valid   bool // a complete (or single-entry) Huffman tree
}

func (vi *vorbisInfo) unpackBooks(b *bitReader) bool {
	nbooks := int(b.read(8)) + 1
	if nbooks <= 0 {
		return false
	}
	books := make([]codebook, nbooks)
	vi.booksValid = true
	for i := range books {
		if !unpackCodebook(b, &books[i]) {
			return false
		}
		vi.booksValid = vi.booksValid && books[i].valid
	}
	times := int(b.read(6)) + 1
	if times <= 0 {
		return false
	}
	for range times {
		if t := b.read(16); t < 0 || t >= 1 {
			return false
		}
	}
	floors := int(b.read(6)) + 1
	if floors <= 0 {
		return false
	}
	for range floors {
		switch b.read(16) {
		case 0:
			if !unpackFloor0(b, books) {
				return false
			}
		case 1:
			if !unpackFloor1(b, books) {
				return false
			}
		default:
			return false
		}
	}
	residues := int(b.read(6)) + 1
	if residues <= 0 {
		return false
	}
	for range residues {
		if t := b.read(16); t < 0 || t >= 3 || !unpackResidue(b, books) {
			return false
		}
	}
	maps := int(b.read(6)) + 1
	if maps <= 0 {
		return false
	}
	for range maps {
		if t := b.read(16); t != 0 || !unpackMapping(b, vi.channels, floors, residues) {
			return false
		}
	}
	modes := int(b.read(6)) + 1
	if modes <= 0 {
		return false
	}
	for i := range modes {
		flag := b.read(1)
		window := b.read(16)
		transform := b.read(16)
		mapping := b.read(8)
		if window >= 1 || transform >= 1 || mapping >= int64(maps) || mapping < 0 {
			return false
		}
		vi.blockflags[i] = int(flag)
	}
	if b.read(1) != 1 {
		return false
	}
	vi.books = nbooks
	vi.modes = modes
	return true
}

func unpackCodebook(b *bitReader, c *codebook) bool {
	if b.read(24) != 0x564342 {
		return false
	}
	c.dim = b.read(16)
	c.entries = b.read(24)
	if c.entries == -1 {
		return false
	}
	if ilog(uint32(c.dim))+ilog(uint32(c.entries)) > 24 {
		return false
	}
	// Code lengths, kept as a histogram: all the tree check needs.
	var lengths [33]int64
	switch b.read(1) {
	case 0:
		unused := b.read(1)
		per := int64(5)
		if unused != 0 {
			per = 1
		}
		if (c.entries*per+7)>>3 > b.remaining() {
			return false
		}
		for range c.entries {
			if unused != 0 && b.read(1) == 0 {
				continue
			}
			num := b.read(5)
			if num == -1 {
				return false
			}
			lengths[num+1]++
		}
	case 1:
		length := b.read(5) + 1
		if length == 0 {
			return false
		}
		for i := int64(0); i < c.entries; {
			num := b.read(ilog(uint32(c.entries - i)))
			if num == -1 {
				return false
			}
			if length > 32 || num > c.entries-i || (num > 0 && (num-1)>>(length-1) > 1) {
				return false
			}
			lengths[length] += num
			i += num
			length++
		}
	default:
		return false
	}
	c.valid = completeTree(&lengths)

	c.maptype = b.read(4)
	switch c.maptype {
	case 0:
	case 1, 2:
		b.read(32)
		b.read(32)
		quant := b.read(4) + 1
		if b.read(1) == -1 {
			return false
		}
		var quantvals int64
		if c.maptype == 1 {
			if c.dim != 0 {
				quantvals = maptype1Quantvals(c.entries, c.dim)
			}
		} else {
			quantvals = c.entries * c.dim
		}
		if (quantvals*quant+7)>>3 > b.remaining() {
			return false
		}
		b.skip(quantvals * quant)
		if quantvals > 0 && b.overrun {
			return false
		}
	default:
		return false
	}
	return true
}

// completeTree is what vorbis_book_init_decode (_make_words) requires of
// the code lengths: they fill the code tree exactly, except that a single
// code of length 1 is allowed. A book with no used entries passes.
func completeTree(lengths *[33]int64) bool {
	var used int64
	var kraft uint64 // in units of 2^-32
	for l := 1; l <= 32; l++ {
		n := lengths[l]
		used += n
		if n > 1<<33 {
			return false
		}
		kraft += uint64(n) << (32 - l)
		if kraft > 1<<32 {
			return false
		}
	}
	if used == 0 {
		return true
	}
	if used == 1 && lengths[1] == 1 {
		return true
	}
	return kraft == 1<<32
}

// maptype1Quantvals is _book_maptype1_quantvals: the largest v with
// v^dim <= entries.
func maptype1Quantvals(entries, dim int64) int64 {
	if entries < 1 {
		return 0
	}
	pow := func(v int64) (int64, bool) { // v^dim, and whether it stays <= entries
		acc := int64(1)
		for range dim {
			if entries/v < acc {
				return 0, false
			}
			acc *= v
		}
		return acc, acc <= entries
	}
	lo, hi := int64(1), entries
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if _, ok := pow(mid); ok {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func unpackFloor0(b *bitReader, books []codebook) bool {
	order := b.read(8)
	rate := b.read(16)
	barkmap := b.read(16)
	b.read(6)
	b.read(8)
	numbooks := b.read(4) + 1
	if order < 1 || rate < 1 || barkmap < 1 || numbooks < 1 {
		return false
	}
	for range numbooks {
		k := b.read(8)
		if k < 0 || k >= int64(len(books)) || books[k].maptype == 0 || books[k].dim < 1 {
			return false
		}
	}
	return true
}

func unpackFloor1(b *bitReader, books []codebook) bool {
	partitions := b.read(5)
	var class [32]int64
	maxclass := int64(-1)
	for j := int64(0); j < partitions; j++ {
		class[j] = b.read(4)
		if class[j] < 0 {
			return false
		}
		maxclass = max(maxclass, class[j])
	}
	var dims [16]int64
	for j := int64(0); j < maxclass+1; j++ {
		dims[j] = b.read(3) + 1
		subs := b.read(2)
		if subs < 0 {
			return false
		}
		var book int64
		if subs != 0 {
			book = b.read(8)
		}
		if book < 0 || book >= int64(len(books)) {
			return false
		}
		for range 1 << subs {
			sb := b.read(8) - 1
			if sb < -1 || sb >= int64(len(books)) {
				return false
			}
		}
	}
	b.read(2)
	rangebits := b.read(4)
	if rangebits < 0 {
		return false
	}
	posts := []int64{0, 1 << rangebits}
	count := int64(0)
	for j := int64(0); j < partitions; j++ {
		count += dims[class[j]]
		if count > 63 {
			return false
		}
		for int64(len(posts)) < count+2 {
			t := b.read(int(rangebits))
			if t < 0 || t >= 1<<rangebits {
				return false
			}
			posts = append(posts, t)
		}
	}
	seen := make(map[int64]bool, len(posts))
	for _, p := range posts {
		if seen[p] {
			return false
		}
		seen[p] = true
	}
	return true
}

func unpackResidue(b *bitReader, books []codebook) bool {
	b.read(24)
	b.read(24)
	b.read(24)
	partitions := b.read(6) + 1
	groupbook := b.read(8)
	if groupbook < 0 {
		return false
	}
	acc := 0
	for range partitions {
		cascade := b.read(3)
		cflag := b.read(1)
		if cflag < 0 {
			return false
		}
		if cflag != 0 {
			c := b.read(5)
			if c < 0 {
				return false
			}
			cascade |= c << 3
		}
		acc += bits.OnesCount64(uint64(cascade) & 0xff)
	}
	list := make([]int64, acc)
	for j := range list {
		list[j] = b.read(8)
		if list[j] < 0 {
			return false
		}
	}
	if groupbook >= int64(len(books)) {
		return false
	}
	for _, k := range list {
		if k >= int64(len(books)) || books[k].maptype == 0 {
			return false
		}
	}
	entries, dim := int32(books[groupbook].entries), int32(books[groupbook].dim)
	if dim < 1 {
		return false
	}
	partvals := int32(1)
	for ; dim > 0; dim-- {
		partvals *= int32(partitions)
		if partvals > entries {
			return false
		}
	}
	return true
}

func unpackMapping(b *bitReader, channels, floors, residues int) bool {
	if channels <= 0 {
		return false
	}
	submaps := int64(1)
	if f := b.read(1); f < 0 {
		return false
	} else if f != 0 {
		submaps = b.read(4) + 1
		if submaps <= 0 {
			return false
		}
	}
	if f := b.read(1); f < 0 {
		return false
	} else if f != 0 {
		steps := b.read(8) + 1
		if steps <= 0 {
			return false
		}
		w := ilog(uint32(channels - 1))
		for range steps {
			m := b.read(w)
			a := b.read(w)
			if m < 0 || a < 0 || m == a || m >= int64(channels) || a >= int64(channels) {
				return false
			}
		}
	}
	if b.read(2) != 0 {
		return false
	}
	if submaps > 1 {
		for range channels {
			if m := b.read(4); m >= submaps || m < 0 {
				return false
			}
		}
	}
	for range submaps {
		b.read(8)
		if fl := b.read(8); fl >= int64(floors) || fl < 0 {
			return false
		}
		if r := b.read(8); r >= int64(residues) || r < 0 {
			return false
		}
	}
	return true
}
