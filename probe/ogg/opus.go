package ogg

import (
	"encoding/binary"
	"fmt"
)

// Ogg-Opus (RFC 7845) as libsndfile 1.2.0 reads it (src/ogg_opus.c): the
// OpusHead and OpusTags headers, the rate it decodes at (the OpusHead input
// rate rounded up to an Opus rate, docs/server.md#ogg-opus-rate), the start offset from the
// first audio page and the length from the last page's granule position,
// and its read and seek loops, with decoding replaced by the packet
// structure check libopus makes first (opuspacket.go).

const opusPreroll = 660 * 48 // OGG_OPUS_PREROLL, in 48 kHz samples

type opusHead struct {
	version   uint8
	channels  uint8
	preskip   uint16
	inputRate int32
	gain      int16
	mapping   uint8
	streams   uint8
	coupled   uint8
	streamMap [255]uint8
}

// parseOpusHead is opus_read_header_packet.
func parseOpusHead(p []byte) (opusHead, *sfError) {
	var h opusHead
	if len(p) < 19 || len(p) > 276 {
		return h, &sfError{sfeMalformed, fmt.Sprintf("OpusHead packet of %d bytes (19 to 276 allowed)", len(p))}
	}
	if string(p[:8]) != "OpusHead" {
		return h, &sfError{sfeMalformed, "first packet is not an OpusHead"}
	}
	h.version = p[8]
	if h.version != 0 && h.version != 1 {
		return h, &sfError{sfeUnimplemented, fmt.Sprintf("OpusHead version %d (0 or 1 supported)", h.version)}
	}
	h.channels = p[9]
	h.preskip = binary.LittleEndian.Uint16(p[10:])
	h.inputRate = int32(binary.LittleEndian.Uint32(p[12:]))
	h.gain = int16(binary.LittleEndian.Uint16(p[16:]))
	h.mapping = p[18]
	count := 19
	if h.mapping == 0 {
		if h.channels > 2 {
			return h, &sfError{sfeMalformed, fmt.Sprintf("OpusHead mapping family 0 with %d channels", h.channels)}
		}
		h.streams = 1
		h.coupled = h.channels - 1
		h.streamMap[0], h.streamMap[1] = 0, 1
	} else {
		if len(p) < 21+int(h.channels) {
			return h, &sfError{sfeMalformed, "OpusHead channel mapping table cut short"}
		}
		if h.mapping == 1 && h.channels > 8 {
			return h, &sfError{sfeMalformed, fmt.Sprintf("OpusHead mapping family 1 with %d channels", h.channels)}
		}
		h.streams, h.coupled = p[19], p[20]
		if h.streams < 1 || h.coupled > h.streams || int(h.coupled)+int(h.streams) > 255 {
			return h, &sfError{sfeMalformed, fmt.Sprintf("OpusHead with %d streams, %d coupled", h.streams, h.coupled)}
		}
		count = 21
		for i := range int(h.channels) {
			m := p[21+i]
			count++
			h.streamMap[i] = m
			if int(m) > int(h.streams)+int(h.coupled) && m != 255 {
				return h, &sfError{sfeMalformed, fmt.Sprintf("OpusHead maps channel %d to stream %d", i, m)}
			}
		}
	}
	if count != len(p) {
		return h, &sfError{sfeMalformed, "extra data after the OpusHead fields"}
	}
	return h, nil
}

// checkOpusTags is vorbiscomment_read_tags for the OpusTags packet: only
// the framing of the vendor string and the comments is checked.
func checkOpusTags(p []byte) *sfError {
	if len(p) < 8+4+4 {
		return &sfError{sfeMalformed, "OpusTags packet too short"}
	}
	if string(p[:8]) != "OpusTags" {
		return &sfError{sfeMalformed, "second packet is not OpusTags"}
	}
	pos := int64(8)
	end := int64(len(p))
	n := int64(binary.LittleEndian.Uint32(p[pos:]))
	pos += 4
	if n > 0 {
		if pos+n+4 > end {
			return &sfError{sfeMalformed, "OpusTags vendor string runs past the packet"}
		}
		pos += n
	}
	tags := binary.LittleEndian.Uint32(p[pos:])
	pos += 4
	for i := uint32(0); i < tags; i++ {
		if pos+4 > end {
			return &sfError{sfeMalformed, "OpusTags comment list runs past the packet"}
		}
		n := int64(binary.LittleEndian.Uint32(p[pos:]))
		pos += 4
		if pos+n > end {
			return &sfError{sfeMalformed, "OpusTags comment runs past the packet"}
		}
		pos += n
	}
	return nil
}

// opusRateFactor is how libsndfile picks its decoding rate: the lowest
// Opus rate at or above the input rate (compared as a signed number), as
// a divisor of 48 kHz.
func opusRateFactor(inputRate int32) int {
	switch {
	case inputRate > 24000:
		return 1
	case inputRate > 16000:
		return 2
	case inputRate > 12000:
		return 3
	case inputRate > 8000:
		return 4
	default:
		return 6
	}
}

// opusStream is libsndfile's OPUS_PRIVATE on the decoding side.
type opusStream struct {
	f    *oggFile
	head opusHead

	serial     int32
	headOK     bool   // the OpusHead packet was accepted
	pktPos     uint64 // granule position after the current packet
	pgPos      uint64 // granule position at the end of the current page
	srFactor   int
	loc, len   int // position and fill of the decoded buffer, in samples per channel
	bufferSize int
	frameCap   int // the most samples per channel a packet decodes to (120 ms)
	unit       int // samples per channel in 2.5 ms, for a single stream; else 0

	gpStart    uint64
	gpEnd      uint64
	lastOffset int64
	dataOffset int64

	rate     int
	channels int
	frames   int64 // sf_info.frames

	// what the open found, for warnings
	firstAudioPage int64
	tailFound      bool
	tailEOS        bool
	tailEnd        int64
	// frames the stream holds beyond sf_info.frames: pages lost before
	// the first one the server decodes, bad pages after the last one it
	// measured the length to
	lostFrames int64
}

// openOpus is ogg_opus_open in read mode: the header packets, the decoder
// set-up, and the file analysis. The first page is in f.opage and its
// packet in f.opacket.
func openOpus(f *oggFile) (*opusStream, *sfError) {
	o := &f.home.opus
	*o = opusStream{f: f, lastOffset: -1}
	if f.opage.packets() != 1 || !f.opage.bos() {
		return o, &sfError{sfeMalformed, "the OpusHead page must hold exactly one packet"}
	}
	o.serial = f.opage.serial()
	h, err := parseOpusHead(f.os.data(&f.opacket))
	o.head = h
	if err != nil {
		return o, err
	}
	o.headOK = true
	for f.os.packetout(&f.opacket, true) != 1 {
		if f.streamNextPage() != 1 {
			if f.err != nil {
				return o, f.err
			}
			return o, &sfError{sfeMalformed, "no OpusTags packet"}
		}
	}
	if err := checkOpusTags(f.os.data(&f.opacket)); err != nil {
		return o, err
	}
	if err := o.setupDecoder(); err != nil {
		return o, err
	}
	return o, o.analyze()
}

// setupDecoder is ogg_opus_setup_decoder: the rate, and the checks
// opus_multistream_decoder_create makes of the channel layout.
func (o *opusStream) setupDecoder() *sfError {
	h := &o.head
	o.srFactor = opusRateFactor(h.inputRate)
	channels, streams, coupled := int(h.channels), int(h.streams), int(h.coupled)
	if channels > 255 || channels < 1 || coupled > streams || streams < 1 || streams > 255-coupled {
		return &sfError{sfeInternal, fmt.Sprintf("Opus decoder refuses %d channels in %d streams (%d coupled)", channels, streams, coupled)}
	}
	for i := range channels {
		if m := int(h.streamMap[i]); m >= streams+coupled && m != 255 {
			return &sfError{sfeInternal, fmt.Sprintf("Opus decoder refuses channel %d mapped to stream %d", i, m)}
		}
	}
	o.rate = 48000 / o.srFactor
	o.channels = channels
	o.loc, o.len = 0, 0
	o.bufferSize = 20 * o.rate / 1000
	o.frameCap = o.rate / 25 * 3
	if streams == 1 {
		o.unit = o.rate / 400
	}
	return nil
}

// decode is opusDecodeSamples(data, streams, rate, bufferSize), a single
// code-0 frame of a single stream counted from the stream's constants: a
// frame of at most 60 ms is within the decoder's 120 ms, so it is its
// samples, or too many for the buffer.
func (o *opusStream) decode(data []byte) int {
	if o.unit > 0 && len(data) > 0 && len(data) <= 1276 && data[0]&3 == 0 {
		if n := int(frameUnits[data[0]>>3]) * o.unit; n <= min(o.bufferSize, o.frameCap) {
			return n
		}
		return opusBufferTooSmall
	}
	return opusDecodeSamples(data, int(o.head.streams), o.rate, o.bufferSize)
}

// analyze is ogg_opus_analyze_file: the granule offset from the first
// audio page, and the length from the last page.
func (o *opusStream) analyze() *sfError {
	f := o.f
	o.frames = sfCountMax
	o.gpEnd = ^uint64(0)
	o.lastOffset = sfCountMax
	o.dataOffset = f.sync.tell()
	o.firstAudioPage = f.sync.tell()
	f.sync.stats.recordFrom = o.firstAudioPage
	f.sync.stats.codec = o

	if n := o.unpackNextPage(); n < 0 && f.err != nil {
		return f.err
	}
	gp := uint64(o.pageDuration())
	if gp == 0 {
		return &sfError{sfeMalformed, "no Opus audio packet: the first audio page is empty or missing"}
	}
	if !f.opage.eos() {
		if gp > o.pgPos {
			return &sfError{sfeMalformed, "the first audio page's granule position is less than its samples"}
		}
		o.pktPos = o.pgPos - gp
	} else if gp < o.pgPos {
		return &sfError{sfeMalformed, "the only audio page's granule position is ambiguous"}
	}
	o.gpStart = o.pktPos
	lostFirst := f.holeReach > 0 // pages before the first one decoded are missing

	saved := f.sync.tell()
	last := f.lastPageBefore(&o.gpEnd, f.size, o.serial)
	if last > 0 {
		o.tailFound = true
		o.tailEOS = f.opage.eos()
		o.tailEnd = last + int64(f.opage.size())
		o.lastOffset = last
		if o.gpEnd != ^uint64(0) {
			o.frames = int64((o.gpEnd - o.gpStart - uint64(o.head.preskip)) / uint64(o.srFactor))
			// The granule positions count from the stream's start: what
			// came before the first page decoded is gpStart, lost when
			// pages are missing there.
			if lostFirst && o.gpStart <= o.gpEnd {
				o.lostFrames = int64(o.gpStart / uint64(o.srFactor))
			}
			o.lostFrames += f.sync.stats.framesAfter(last)
		}
	}
	f.syncSeek(saved)
	return nil
}

// pageFrames is what a page of the stream would give the server: the
// samples of the packets that begin on it, by their TOC bytes (RFC 6716
// §3.1); -1 for a page of another stream.
func (o *opusStream) pageFrames(pg []byte) int64 {
	body, ok := streamPageBody(pg, o.serial)
	if !ok {
		return -1
	}
	var total int64
	forEachPacket(pg, body, func(p []byte) {
		if n := opusPacketSamples(p, 48000); n > 0 {
			total += int64(n)
		}
	})
	return total / int64(o.srFactor)
}

// unpackNextPage is ogg_opus_unpack_next_page.
func (o *opusStream) unpackNextPage() int {
	f := o.f
	nn := f.unpackPage()
	switch nn {
	case 1:
		o.pktPos = o.pgPos
		o.pgPos = uint64(f.pkt[f.pktLen-1].granule)
	case 2:
		before := o.pgPos
		o.pgPos = uint64(f.pkt[f.pktLen-1].granule)
		o.pktPos = o.pgPos - uint64(o.pageDuration())
		if f.newHole {
			f.noteGap(before, o.pktPos, uint64(o.srFactor))
		}
		return 1
	}
	return nn
}

// pageDuration is ogg_opus_calculate_page_duration, in 48 kHz samples.
func (o *opusStream) pageDuration() int {
	d := 0
	for i := 0; i < o.f.pktLen; i++ {
		if n := opusPacketSamples(o.packetData(i), 48000); n > 0 {
			d += n
		}
	}
	return d
}

func (o *opusStream) packetData(i int) []byte {
	return o.f.os.data(&o.f.pkt[i])
}

// refill is ogg_opus_read_refill: decode the next packet into the buffer.
func (o *opusStream) refill() int {
	f := o.f
	if f.pktIndx == f.pktLen {
		if nn := o.unpackNextPage(); nn <= 0 {
			return nn
		}
	}
	if f.pktIndx == f.pktLen {
		return 0
	}
	data := o.packetData(f.pktIndx)
	nsamp := o.decode(data)
	if nsamp == opusBufferTooSmall {
		nsamp = opusPacketSamples(data, o.rate)
		if nsamp > 5760 {
			return 0
		}
		o.bufferSize = nsamp
		nsamp = o.decode(data)
	}
	f.pktIndx++
	if nsamp < 0 {
		f.fail(sfeInternal, fmt.Sprintf("an Opus packet that libopus refuses (%s, RFC 6716 §3) in the page at 0x%x", opusErrorName(nsamp), f.opage.off))
		return nsamp
	}
	pktGranule := o.pktPos + uint64(nsamp*o.srFactor)
	if pktGranule <= o.pgPos {
		o.len = nsamp
	} else if f.opage.eos() {
		o.len = max(int(int32(o.pgPos-o.pktPos))/o.srFactor, 0)
	} else {
		f.fail(sfeMalformed, "a page's granule position is less than the samples before it (end-of-stream flag missing?)")
		return -1
	}
	if o.len > o.bufferSize {
		o.bufferSize = o.len
	}
	if o.pktPos < uint64(o.head.preskip) {
		o.loc = min((int(o.head.preskip)-int(int32(o.pktPos)))/o.srFactor, o.len)
	} else {
		o.loc = 0
	}
	o.pktPos = pktGranule
	return nsamp
}

// readSamples is ogg_opus_read_s: up to n interleaved samples.
func (o *opusStream) readSamples(n int64) int64 {
	var total int64
	for total < n {
		if o.loc == o.len {
			if o.refill() <= 0 {
				return total
			}
		}
		avail := int64(o.len-o.loc) * int64(o.channels)
		readlen := min(n-total, avail)
		if readlen > 0 {
			total += readlen
			if readlen == avail {
				o.loc = o.len // without the division, which costs more than the rest
			} else {
				o.loc += int(readlen / int64(o.channels))
			}
		}
	}
	return total
}

// nullRead is ogg_opus_null_read: decode and discard up to offset (in
// samples at the decoding rate, counted from granule position 0).
func (o *opusStream) nullRead(offset int64) int64 {
	total := int64(o.pktPos/uint64(o.srFactor) - uint64(int64(o.len-o.loc)))
	for guard := 0; total < offset; guard++ {
		if guard > 1<<26 {
			return total
		}
		readlen := min(int64(int32(offset-total)), int64(o.len-o.loc))
		if readlen > 0 {
			total += readlen
			o.loc += int(readlen)
		}
		if o.loc == o.len {
			if o.refill() <= 0 {
				return total
			}
			o.loc = 0
		}
	}
	return total
}

// pageSeekManual is ogg_opus_page_seek_manual.
func (o *opusStream) pageSeekManual(target uint64) int {
	f := o.f
	if o.pgPos > target {
		f.os.reset()
		f.syncSeek(o.dataOffset)
		o.pgPos = o.gpStart
	}
	for o.pgPos < target {
		if nn := o.unpackNextPage(); nn <= 0 {
			return nn
		}
	}
	return 1
}

// pageSeekSearch is ogg_opus_page_seek_search.
func (o *opusStream) pageSeekSearch(target uint64) int {
	f := o.f
	bestGP := o.gpStart
	oldPos := f.sync.tell()
	var pg page
	ret := f.seekPageSearch(&pg, target, o.gpStart, o.gpEnd, &bestGP, o.dataOffset, o.lastOffset, 48000)
	if ret != 0 {
		f.syncSeek(oldPos)
		return ret
	}
	o.loc, o.len = 0, 0
	if ret = o.unpackNextPage(); ret != 1 {
		return ret
	}
	o.pktPos = bestGP
	return 0
}

// seek is ogg_opus_seek in read mode: position at frame offset and
// return where it ended up.
func (o *opusStream) seek(offset int64) int64 {
	f := o.f
	o.loc = 0
	sr := uint64(o.srFactor)
	currentGP := o.pktPos - uint64(int64(o.len*o.srFactor))
	targetGP := uint64(offset*int64(o.srFactor)) + o.gpStart + uint64(o.head.preskip)
	if targetGP < currentGP || targetGP-currentGP > opusPreroll {
		var preroll uint64
		if targetGP >= opusPreroll+o.gpStart+uint64(o.head.preskip) {
			preroll = targetGP - opusPreroll
		} else {
			preroll = o.gpStart + uint64(o.head.preskip)
		}
		if o.gpEnd == ^uint64(0) {
			o.pageSeekManual(preroll)
		} else if ret := o.pageSeekSearch(preroll); ret < 0 {
			if ret := o.pageSeekManual(preroll); ret < 0 {
				f.fail(sfeMalformed, "seeking in the Opus stream failed")
				return int64(ret)
			}
		}
		for f.pktIndx != f.pktLen {
			n := opusPacketSamples(o.packetData(f.pktIndx), 48000)
			if o.pktPos+uint64(int64(n)) < preroll {
				o.pktPos += uint64(int64(n))
				f.pktIndx++
			} else {
				break
			}
		}
	}
	got := o.nullRead(int64(targetGP / sr))
	return int64(uint64(got) - (uint64(o.head.preskip)+o.gpStart)/sr)
}
