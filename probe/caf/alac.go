package caf

import (
	"encoding/binary"
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

// Apple Lossless in CAF, as libsndfile's ALAC reader sets it up (alac.c):
// the packet sizes come from the "pakt" chunk (variable-length integers
// after a 24-byte header), the decoder configuration from the "kuki"
// chunk (ALACSpecificConfig, possibly wrapped in "frma"/"alac" atoms), and
// the frame count is the full packets before the last one plus what the
// last packet decodes to.
//
// Packets are parsed only as far as their first element header: that is
// where a packet announces a partial frame. A packet whose audio bits are
// damaged deeper inside decodes differently in libsndfile; such packets
// are not told apart here.

const (
	alacFrameLength  = 4096        // ALAC_FRAME_LENGTH
	alacMaxPacket    = 8 * 0x20000 // sizeof (byte_buffer)
	alacKukiMax      = 512
	alacConfigSize   = 24 // sizeof (ALACSpecificConfig)
	alacMaxPaktValue = 5  // bytes in one variable-length packet size
	alacHeadBytes    = 2048
	// alacEmulatedPacket bounds the packets decoded bit by bit; real ALAC
	// packets are far smaller (4096 frames of up to 8 channels).
	alacEmulatedPacket = 256 << 10
)

// paktList walks the packet sizes of a pakt chunk straight from the file,
// so that no allocation depends on the number of packets.
type paktList struct {
	r      io.ReaderAt
	size   int64
	start  int64  // first byte of the chunk's data
	length uint32 // the chunk's declared length

	// cursor over the decoded values
	index   uint32 // index of the next value
	pos     uint32 // byte offset of the next value within the chunk
	sum     int64  // sum of the values before index
	done    bool   // the list ended (a 0 value was appended, or the bytes ran out)
	count   uint32 // number of values, once known
	counted bool
	back    paktCursor // the cursor one entry back
}

// paktCursor is a saved position in the packet table.
type paktCursor struct {
	valid bool
	index uint32
	pos   uint32
	sum   int64
	done  bool
}

// byteAt is the chunk's byte at offset off (0 beyond the file).
func (p *paktList) byteAt(off uint32) byte {
	var b [1]byte
	at := p.start + int64(off)
	if at < 0 || at >= p.size {
		return 0
	}
	p.r.ReadAt(b[:], at)
	return b[0]
}

// nextRaw decodes the value at the cursor, as alac_pakt_read_decode does;
// ok is false when the list has no more values.
func (p *paktList) nextRaw() (uint32, bool) {
	if p.done || p.pos >= p.length {
		p.done = true
		return 0, false
	}
	var value uint32
	count := uint32(0)
	for {
		b := p.byteAt(p.pos + count)
		value = value<<7 + uint32(b&0x7F)
		count++
		if count > alacMaxPaktValue || p.pos+count > p.length {
			value = 0
			break
		}
		if b&0x80 == 0 {
			break
		}
	}
	p.pos += count
	if value == 0 {
		p.done = true
	}
	return value, true
}

func (p *paktList) rewind() {
	p.index, p.pos, p.sum, p.done = 0, 24, 0, false
	p.back = paktCursor{}
}

// value returns packet size k (0 when k is past the list), moving the
// cursor; offset returns the byte offset of packet k.
//
// Reading moves forward, with a step back after each block (the server's
// seek lands in the packet just read), so the cursor keeps the previous
// entry's state and rescans from the start only for longer steps back.
func (p *paktList) value(k uint32) uint32 {
	if k < p.index {
		if p.back.valid && p.back.index == k {
			p.index, p.pos, p.sum, p.done = p.back.index, p.back.pos, p.back.sum, p.back.done
		} else {
			p.rewind()
		}
	}
	for p.index < k {
		p.back = paktCursor{valid: true, index: p.index, pos: p.pos, sum: p.sum, done: p.done}
		v, ok := p.nextRaw()
		if !ok {
			return 0
		}
		p.sum += int64(v)
		p.index++
	}
	save := *p
	v, ok := p.nextRaw()
	*p = save
	if !ok {
		return 0
	}
	return v
}

func (p *paktList) offset(k uint32) int64 {
	p.value(k)
	return p.sum
}

// total is the number of values (pakt_info->count).
func (p *paktList) total() uint32 {
	if p.counted {
		return p.count
	}
	q := *p
	q.rewind()
	var n uint32
	for {
		if _, ok := q.nextRaw(); !ok {
			break
		}
		n++
	}
	p.count, p.counted = n, true
	return n
}

// alacStream is the ALAC reader's state: packet cursor, bytes consumed,
// frames of the current packet and how many of them were handed out.
type alacStream struct {
	r          io.ReaderAt
	size       int64
	pakt       paktList
	channels   uint32
	framesPer  uint32
	dataOffset int64
	dataLength int64

	current    uint32 // pakt_info->current
	inputPos   int64
	framesThis uint32
	partial    uint32
	cfg        alacConfigFields
	// packet is libsndfile's byte_buffer: it keeps the bytes of earlier,
	// longer packets past the end of the current one.
	packet []byte
}

func (s *alacStream) restart(r io.ReaderAt, size int64) {
	s.r, s.size = r, size
	s.pakt.r, s.pakt.size = r, size
	s.pakt.rewind()
	s.current, s.inputPos, s.framesThis, s.partial = 0, s.dataOffset, 0, 0
}

// nextPacketSize is alac_reader_next_packet_size.
func (s *alacStream) nextPacketSize() uint32 {
	if s.current >= s.pakt.total() {
		return 0
	}
	v := s.pakt.value(s.current)
	s.current++
	return v
}

// decodeBlock is alac_decode_block.
func (s *alacStream) decodeBlock() bool {
	n := s.nextPacketSize()
	if n == 0 || n > alacMaxPacket {
		return false
	}
	if s.inputPos < 0 || s.inputPos+int64(n) > s.size {
		return false
	}
	if n > alacEmulatedPacket {
		// Too large to follow here: trust the first element header.
		var head [alacHeadBytes]byte
		m := min(int(n), len(head))
		if _, err := s.r.ReadAt(head[:m], s.inputPos); err != nil {
			return false
		}
		s.inputPos += int64(n)
		s.framesThis = alacPacketFrames(head[:m], int(n), s.framesPer, s.channels)
		s.partial = 0
		return true
	}
	if len(s.packet) < int(n) {
		grown := make([]byte, max(int(n), 2*len(s.packet), 4096))
		copy(grown, s.packet)
		s.packet = grown
	}
	if _, err := s.r.ReadAt(s.packet[:n], s.inputPos); err != nil {
		return false
	}
	s.inputPos += int64(n)
	bits := alacBits{buf: s.packet, end: int(n), byteSize: n}
	s.framesThis = alacDecodeFrames(&bits, &s.cfg, s.framesPer)
	s.partial = 0
	return true
}

// Read is alac_read_s for items samples.
func (s *alacStream) Read(items int64) (int64, error) {
	var total int64
	ch := int64(s.channels)
	for items > 0 {
		if s.partial >= s.framesThis && !s.decodeBlock() {
			break
		}
		rc := int64(uint32(s.framesThis-s.partial)) * ch
		rc = int64(int32(rc)) // readcount is an int
		if rc > items {
			rc = items
		}
		if rc <= 0 {
			// A stale partial position past the packet's frames: the
			// unsigned difference wraps and libsndfile copies on.
			rc = items
		}
		s.partial += uint32(rc / ch)
		total += rc
		items -= rc
	}
	return total, nil
}

// SeekFrame is alac_seek.
func (s *alacStream) SeekFrame(frame int64) (int64, error) {
	if s.dataLength < 0 || s.dataOffset < 0 {
		return -1, &probe.FormatError{Format: probe.ContainerCAF, Msg: "ALAC seek without data"}
	}
	if frame == 0 {
		s.framesThis = 0
		s.inputPos = s.dataOffset
		s.current = 0
		return 0, nil
	}
	if s.framesPer == 0 || frame > int64(s.pakt.total()*s.framesPer) {
		return -1, &probe.FormatError{Format: probe.ContainerCAF, Msg: "ALAC seek past the last packet"}
	}
	block := uint32(frame / int64(s.framesPer))
	sample := uint32(frame % int64(s.framesPer))
	s.inputPos = s.dataOffset + s.pakt.offset(block)
	s.current = block
	s.decodeBlock()
	s.partial = sample
	return int64(block)*int64(s.framesPer) + int64(sample), nil
}

// alacInit is alac_init/alac_reader_init: check the configuration and
// count the frames.
func alacInit(f *sndfile.File, d *desc, a *alacInfo) (*alacStream, error) {
	if d.framesPerPacket > alacFrameLength {
		return nil, f.Fail(0, "ALAC frames per packet above 4096")
	}
	if !a.present {
		return nil, f.Fail(0, "ALAC without a pakt chunk")
	}
	r, size := f.H.Reader(), f.H.Size()
	s := &alacStream{
		r: r, size: size,
		pakt:       paktList{r: r, size: size, start: a.paktOffset, length: a.paktLen},
		channels:   uint32(f.Channels),
		framesPer:  d.framesPerPacket,
		dataOffset: f.DataOffset,
		dataLength: f.DataLength,
	}
	s.pakt.rewind()
	var cookie [alacKukiMax + 2*alacConfigSize]byte
	n := readKuki(r, size, a.kukiOffset, cookie[:alacKukiMax])
	cfg, err := alacConfig(cookie[:], n)
	if err != "" {
		return nil, f.Fail(a.kukiOffset, err)
	}
	s.cfg = cfg
	if cfg.channels != uint32(f.Channels) {
		return nil, f.Fail(a.kukiOffset, "ALAC configuration disagrees with the channel count")
	}
	f.CanRead = true
	f.Frames = s.calcFrames()
	s.SeekFrame(0)
	return s, nil
}

// readKuki is alac_kuki_read: the cookie's bytes, or 0 when the chunk is
// missing, empty or larger than 512 bytes.
func readKuki(r io.ReaderAt, size, off int64, dst []byte) uint32 {
	off = int64(uint32(off))
	var hdr [12]byte
	if off+12 > size {
		return 0
	}
	if _, err := r.ReadAt(hdr[:], off); err != nil {
		return 0
	}
	if string(hdr[:4]) != "kuki" {
		return 0
	}
	n := binary.BigEndian.Uint64(hdr[4:])
	if n == 0 || n > uint64(len(dst)) {
		return 0
	}
	avail := size - off - 12
	m := int64(n)
	if m > avail {
		m = avail
	}
	if m > 0 {
		r.ReadAt(dst[:m], off+12)
	}
	return uint32(n)
}

// alacConfig is alac_decoder_init over the cookie: it returns the channel
// count or why the configuration is refused.
func alacConfig(cookie []byte, size uint32) (alacConfigFields, string) {
	var cfg alacConfigFields
	c := cookie
	rem := size
	if string(c[4:8]) == "frma" {
		c = c[12:]
		rem -= 12
	}
	if string(c[4:8]) == "alac" {
		c = c[12:]
		rem -= 12
	}
	if rem < alacConfigSize {
		return cfg, "ALAC configuration too short"
	}
	if binary.BigEndian.Uint32(c[0:4]) > alacFrameLength {
		return cfg, "ALAC frame length above 4096"
	}
	if c[4] > 0 {
		return cfg, "ALAC configuration of a newer version"
	}
	if c[5] < 8 || c[5] > 32 {
		return cfg, "ALAC bit depth out of range"
	}
	cfg = alacConfigFields{bitDepth: uint32(c[5]), pb: uint32(c[6]), mb: uint32(c[7]), kb: uint32(c[8]), channels: uint32(c[9])}
	return cfg, ""
}

// calcFrames is alac_reader_calc_frames.
func (s *alacStream) calcFrames() int64 {
	s.current = 0
	var blocks uint32
	cur := uint32(1)
	for int64(cur) < s.size && cur > 0 {
		cur = s.nextPacketSize()
		if cur > 0 {
			blocks++
		}
	}
	if blocks == 0 {
		return 0
	}
	frames := int64(s.framesPer) * int64(blocks-1)
	s.SeekFrame(frames)
	s.decodeBlock()
	frames += int64(s.framesThis)
	s.current = 0
	return frames
}

// alacPacketFrames follows alac_decode far enough to learn the frame count
// a packet reports: the requested count unless an audio element announces
// a partial frame. data holds the packet's first bytes, n its full size.
func alacPacketFrames(data []byte, n int, framesPer, channels uint32) uint32 {
	br := bitReader{data: data, end: n}
	out := framesPer
	numSamples := framesPer
	for {
		if br.pos/8 >= n {
			return out
		}
		tag := br.read(3)
		switch tag {
		case 0, 3, 1: // single channel, LFE, channel pair
			// The first channel element ends the walk below, so it is
			// always the one at channel 0: a pair needs two channels.
			if tag == 1 && channels < 2 {
				return out
			}
			br.read(4)
			if br.read(12) != 0 {
				return out
			}
			hb := br.read(4)
			if (hb>>1)&3 == 3 {
				return out
			}
			if hb>>3 != 0 {
				v := br.read(16)<<16 | br.read(16)
				if v >= alacFrameLength {
					return out
				}
				numSamples = v
			}
			out = numSamples
			// The rest of the element is not parsed: assume it decodes.
			return out
		case 2, 4: // coupling channel, program config: unsupported
			return out
		case 5: // data stream element
			br.read(4)
			align := br.read(1)
			count := br.read(8)
			if count == 255 {
				count += br.read(8)
			}
			if align != 0 {
				br.align()
			}
			br.pos += int(count) * 8
			if br.pos/8 > n {
				return out
			}
		case 6: // fill element
			count := int(br.read(4))
			if count == 15 {
				count += int(br.read(8)) - 1
			}
			br.pos += count * 8
			if br.pos/8 > n {
				return out
			}
		case 7: // end
			return out
		}
		if channels == 0 { // alac_decode's loop runs while channelIndex < numChannels
			return out
		}
	}
}

// bitReader reads big-endian bit fields; bytes past what is held read as 0.
type bitReader struct {
	data []byte
	end  int
	pos  int // in bits
}

func (b *bitReader) byteAt(i int) uint32 {
	if i < 0 || i >= len(b.data) {
		return 0
	}
	return uint32(b.data[i])
}

func (b *bitReader) read(n int) uint32 {
	var v uint32
	for i := 0; i < n; i++ {
		bit := b.byteAt((b.pos+i)/8) >> (7 - uint((b.pos+i)%8)) & 1
		v = v<<1 | bit
	}
	b.pos += n
	return v
}

func (b *bitReader) align() { b.pos = (b.pos + 7) &^ 7 }
