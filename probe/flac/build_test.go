package flac

// Builders of tiny FLAC streams for the table tests.

// bitWriter writes bits MSB-first.
type bitWriter struct {
	buf  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) put(v uint64, n uint) {
	for n > 0 {
		k := min(n, 8)
		n -= k
		w.acc = w.acc<<k | (v>>n)&(1<<k-1)
		w.nacc += k
		for w.nacc >= 8 {
			w.nacc -= 8
			w.buf = append(w.buf, byte(w.acc>>w.nacc))
		}
	}
}

// bytes pads to a byte with zeros and returns what was written.
func (w *bitWriter) bytes() []byte {
	if w.nacc > 0 {
		w.put(0, 8-w.nacc)
	}
	return w.buf
}

// si describes a STREAMINFO block.
type si struct {
	minBlock, maxBlock uint16
	minFrame, maxFrame uint32
	rate               uint32
	channels, bps      uint8
	total              uint64
}

func (s si) body() []byte {
	var w bitWriter
	w.put(uint64(s.minBlock), 16)
	w.put(uint64(s.maxBlock), 16)
	w.put(uint64(s.minFrame), 24)
	w.put(uint64(s.maxFrame), 24)
	w.put(uint64(s.rate), 20)
	w.put(uint64(s.channels-1), 3)
	w.put(uint64(s.bps-1), 5)
	w.put(s.total, 36)
	w.put(0, 64)
	w.put(0, 64) // MD5
	return w.bytes()
}

// mono16 is a 16 kHz mono 16-bit STREAMINFO with 1000-sample blocks.
func mono16(total uint64) si {
	return si{minBlock: 1000, maxBlock: 1000, rate: 16000, channels: 1, bps: 16, total: total}
}

// block is a metadata block.
func block(last bool, typ byte, body []byte) []byte {
	b := []byte{typ, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}
	if last {
		b[0] |= 0x80
	}
	return append(b, body...)
}

// stream is "fLaC" and the blocks, the last one marked last.
func stream(blocks ...[]byte) []byte {
	out := []byte("fLaC")
	for i, b := range blocks {
		if i == len(blocks)-1 {
			b = append([]byte{b[0] | 0x80}, b[1:]...)
		}
		out = append(out, b...)
	}
	return out
}

// frame describes a frame whose subframes are all constant.
type frame struct {
	number    uint32 // frame number (fixed block size numbering)
	blocksize uint32 // 1..65536, coded explicitly
	rateCode  byte   // 0: from STREAMINFO
	channels  byte
	bpsCode   byte // 0: from STREAMINFO, 4: 16 bits
	bps       uint // subframe sample size
	value     int64
	// badCRC8 and badCRC16 spoil the header and frame checksums.
	badCRC8, badCRC16 bool
	// body, when set, replaces the constant subframes (bits, padded).
	body func(w *bitWriter)
}

func (f frame) bytes() []byte {
	var w bitWriter
	w.put(0xFFF8, 16)
	w.put(7, 4) // block size in 16 bits after the number
	w.put(uint64(f.rateCode), 4)
	w.put(uint64(f.channels-1), 4)
	w.put(uint64(f.bpsCode), 3)
	w.put(0, 1)
	w.put(uint64(utf8Number(f.number)), 8*uint(utf8Len(f.number)))
	w.put(uint64(f.blocksize-1), 16)
	h := w.bytes()
	c8 := crc8(h)
	if f.badCRC8 {
		c8 ^= 1
	}
	w.put(uint64(c8), 8)
	if f.body != nil {
		f.body(&w)
	} else {
		for range f.channels {
			w.put(0, 8)
			w.put(uint64(f.value), f.bps)
		}
	}
	b := w.bytes()
	c16 := crc16Update(0, b)
	if f.badCRC16 {
		c16 ^= 1
	}
	return append(b, byte(c16>>8), byte(c16))
}

func utf8Len(v uint32) int {
	switch {
	case v < 0x80:
		return 1
	case v < 0x800:
		return 2
	case v < 0x10000:
		return 3
	default:
		return 4
	}
}

func utf8Number(v uint32) uint32 {
	switch utf8Len(v) {
	case 1:
		return v
	case 2:
		return 0xC080 | (v>>6)<<8 | v&0x3F
	case 3:
		return 0xE08080 | (v>>12)<<16 | (v>>6&0x3F)<<8 | v&0x3F
	default:
		return 0xF0808080 | (v>>18)<<24 | (v>>12&0x3F)<<16 | (v>>6&0x3F)<<8 | v&0x3F
	}
}

// mono frame n of a mono16 stream.
func monoFrame(n uint32) frame {
	return frame{number: n, blocksize: 1000, channels: 1, bpsCode: 4, bps: 16, value: 100}
}

func frames(fs ...frame) []byte {
	var out []byte
	for _, f := range fs {
		out = append(out, f.bytes()...)
	}
	return out
}

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
