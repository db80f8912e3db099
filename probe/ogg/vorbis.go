package ogg

import (
	"fmt"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Ogg-Vorbis as libsndfile 1.2.0 reads it (src/ogg_vorbis.c): three header
// packets, the granule offset from the first audio page, the length from
// the last page, and a read loop that feeds packets to libvorbis. Decoding
// is replaced by libvorbis 1.3.7's bookkeeping of how many samples each
// block yields (vorbis_synthesis_blockin): that depends only on the block
// sizes, packet sequence and granule positions, never on the audio.

const vorbisSeekThreshold = 2 // VORBIS_SEEK_THRESHOLD, seconds

// vorbisDSP is the part of libvorbis's vorbis_dsp_state that counts
// samples.
type vorbisDSP struct {
	ok          bool // vorbis_synthesis_init succeeded
	lW, W       int
	centerW     int
	pcmCurrent  int
	pcmReturned int
	sequence    int64
	granulepos  int64
	sampleCount int64
	eofflag     bool
}

// vorbisBlock is the part of vorbis_block that blockin reads.
type vorbisBlock struct {
	W          int
	granulepos int64
	sequence   int64
	eofflag    bool
	pcm        bool // decoded (vorbis_synthesis), not only tracked
}

type vorbisStream struct {
	f    *oggFile
	info vorbisInfo
	dsp  vorbisDSP
	vb   vorbisBlock

	gp       uint64 // granule position of the next sample to return
	pcmStart uint64
	pcmEnd   uint64
	lastPage int64

	dataOffset int64
	dataLength int64 // psf->datalength
	rate       int
	channels   int
	frames     int64

	firstAudioPage int64
	tailFound      bool
	tailEOS        bool
	tailEnd        int64
	extraHeaders   bool
	lostFrames     int64 // as opusStream's
}

// openVorbis is vorbis_read_header.
func openVorbis(f *oggFile) (*vorbisStream, *sfError) {
	v := &f.home.vorbis
	*v = vorbisStream{f: f}
	if !f.opacket.bos {
		return v, &sfError{sfeMalformed, "the first Vorbis packet does not begin the stream"}
	}
	if f.os.packetout(nil, false) != 0 {
		return v, &sfError{sfeMalformed, "the Vorbis identification page holds more than one packet"}
	}
	if v.info.headerin(f.os.data(&f.opacket), f.opacket.bos) < 0 {
		return v, &sfError{sfeMalformed, "bad Vorbis identification header"}
	}
	for i := 0; i < 2; {
		nn := f.os.packetout(&f.opacket, true)
		if nn == 0 {
			nn = f.streamNextPage()
			if nn == 0 {
				return v, &sfError{sfeMalformed, "the file ends before the Vorbis comment and setup headers"}
			}
			if nn == -1 {
				return v, f.err
			}
			continue
		}
		if nn < 0 {
			return v, &sfError{sfeMalformed, "a page of the Vorbis headers is missing"}
		}
		v.info.headerin(f.os.data(&f.opacket), f.opacket.bos)
		i++
	}
	for f.os.packetout(&f.opacket, true) == 1 {
		v.extraHeaders = true
	}
	v.dataOffset = f.sync.tell()
	v.firstAudioPage = f.sync.tell()
	f.sync.stats.recordFrom = v.firstAudioPage
	f.sync.stats.codec = v
	f.unpackPage()
	v.calculateGranulepos(&v.pcmStart)
	v.gp = v.pcmStart
	lostFirst := f.holeReach > 0 // pages before the first one decoded are missing

	v.pcmEnd = ^uint64(0)
	saved := f.sync.tell()
	last := f.lastPageBefore(&v.pcmEnd, f.size, f.os.serial)
	v.dataLength = f.size
	if last > 0 {
		v.tailFound = true
		v.tailEOS = f.opage.eos()
		// The length is measured to the end of the page the search read
		// last, which need not be the stream's.
		v.tailEnd = last + int64(f.opage.size())
		v.dataLength = v.tailEnd - v.dataOffset
		v.lastPage = last
	}
	f.syncSeek(saved)

	v.rate = int(int32(v.info.rate))
	v.channels = v.info.channels
	v.frames = sfCountMax
	if v.pcmEnd != ^uint64(0) {
		v.frames = int64(v.pcmEnd - v.pcmStart)
		if lostFirst && v.pcmStart <= v.pcmEnd {
			v.lostFrames = int64(v.pcmStart)
		}
		v.lostFrames += f.sync.stats.framesAfter(last)
	}
	v.synthesisInit()
	return v, nil
}

// pageFrames is what a page of the stream would give the server: the
// lapped halves of the blocks that begin on it; -1 for a page of another
// stream.
func (v *vorbisStream) pageFrames(pg []byte) int64 {
	body, ok := streamPageBody(pg, v.f.os.serial)
	if !ok {
		return -1
	}
	var total int64
	prev := -1
	forEachPacket(pg, body, func(p []byte) {
		if bs := v.packetBlocksize(p); bs > 0 {
			if prev < 0 {
				prev = bs
			}
			total += int64(prev+bs) / 4
			prev = bs
		}
	})
	return total
}

// synthesisInit is vorbis_synthesis_init for decoding.
func (v *vorbisStream) synthesisInit() {
	i := &v.info
	v.dsp = vorbisDSP{}
	if i.modes <= 0 || i.blocksizes[0] < 64 || i.blocksizes[1] < i.blocksizes[0] || !i.booksValid {
		return // vorbis_dsp_clear: nothing will decode
	}
	v.dsp.ok = true
	v.restart()
}

// restart is vorbis_synthesis_restart.
func (v *vorbisStream) restart() {
	d := &v.dsp
	if !d.ok {
		return
	}
	d.centerW = v.info.blocksizes[1] >> 1
	d.pcmCurrent = d.centerW
	d.pcmReturned = -1
	d.granulepos = -1
	d.sequence = -1
	d.eofflag = false
	d.sampleCount = -1
}

// packetBlocksize is vorbis_packet_blocksize.
func (v *vorbisStream) packetBlocksize(p []byte) int {
	if v.info.modes <= 0 {
		return -129 // OV_EFAULT
	}
	b := &bitReader{data: p}
	if b.read(1) != 0 {
		return -130 // OV_ENOTAUDIO
	}
	mode := b.read(ilog(uint32(v.info.modes - 1)))
	if mode == -1 || mode >= int64(v.info.modes) {
		return -136 // OV_EBADPACKET
	}
	return v.info.blocksizes[v.info.blockflags[mode]]
}

// synthesis is vorbis_synthesis (pcm) and vorbis_synthesis_trackonly:
// 0 when the packet is an audio block, filling v.vb.
func (v *vorbisStream) synthesis(p *packet, pcm bool) int {
	if !v.dsp.ok {
		return -136
	}
	b := &bitReader{data: v.f.os.data(p)}
	if b.read(1) != 0 {
		return -130
	}
	mode := b.read(ilog(uint32(v.info.modes - 1)))
	if mode == -1 || mode >= int64(v.info.modes) {
		return -136
	}
	v.vb.W = v.info.blockflags[mode]
	if v.vb.W != 0 {
		b.read(1)
		if b.read(1) == -1 {
			return -136
		}
	}
	v.vb.granulepos = p.granule
	v.vb.sequence = p.packetno
	v.vb.eofflag = p.eos
	v.vb.pcm = pcm
	return 0
}

// blockin is vorbis_synthesis_blockin's sample accounting.
func (v *vorbisStream) blockin() {
	d, vb, bs := &v.dsp, &v.vb, v.info.blocksizes
	if !d.ok {
		return
	}
	if d.pcmCurrent > d.pcmReturned && d.pcmReturned != -1 {
		return
	}
	d.lW = d.W
	d.W = vb.W
	if d.sequence == -1 || d.sequence+1 != vb.sequence {
		d.granulepos = -1
		d.sampleCount = -1
	}
	d.sequence = vb.sequence
	if vb.pcm {
		n1 := bs[1] >> 1
		thisCenter, prevCenter := 0, n1
		if d.centerW != 0 {
			thisCenter, prevCenter = n1, 0
		}
		if d.centerW != 0 {
			d.centerW = 0
		} else {
			d.centerW = n1
		}
		if d.pcmReturned == -1 {
			d.pcmReturned = thisCenter
			d.pcmCurrent = thisCenter
		} else {
			d.pcmReturned = prevCenter
			d.pcmCurrent = prevCenter + bs[d.lW]/4 + bs[d.W]/4
		}
	}
	step := int64(bs[d.lW]/4 + bs[d.W]/4)
	if d.sampleCount == -1 {
		d.sampleCount = 0
	} else {
		d.sampleCount += step
	}
	if d.granulepos == -1 {
		if vb.granulepos != -1 {
			d.granulepos = vb.granulepos
			if d.sampleCount > d.granulepos {
				// long extra = sample_count - granulepos wraps when the
				// granule position lies near -2^63, and the test for a
				// negative extra that follows is not in the compiled
				// libvorbis: after sample_count > granulepos the compiler
				// takes the difference to be positive. A wrapped extra goes
				// through, and the int fields it moves keep the low 32 bits
				// of the result (measured: a granule position of
				// 24064 - 2^63 - r on a one-page stream of 24,064 samples
				// loses r of them, up to the last block's 256).
				extra := d.sampleCount - vb.granulepos
				if vb.eofflag {
					extra = min(extra, int64(d.pcmCurrent-d.pcmReturned))
					d.pcmCurrent = int(int32(int64(d.pcmCurrent) - extra))
				} else {
					d.pcmReturned = int(int32(int64(d.pcmReturned) + extra))
					d.pcmReturned = min(d.pcmReturned, d.pcmCurrent)
				}
			}
		}
	} else {
		d.granulepos += step
		if vb.granulepos != -1 && d.granulepos != vb.granulepos {
			if d.granulepos > vb.granulepos {
				extra := d.granulepos - vb.granulepos
				if extra != 0 && vb.eofflag {
					extra = max(min(extra, int64(d.pcmCurrent-d.pcmReturned)), 0)
					d.pcmCurrent -= int(extra)
				}
			}
			d.granulepos = vb.granulepos
		}
	}
	if vb.eofflag {
		d.eofflag = true
	}
}

// pcmout is vorbis_synthesis_pcmout: samples ready.
func (v *vorbisStream) pcmout() int {
	d := &v.dsp
	if d.pcmReturned > -1 && d.pcmReturned < d.pcmCurrent {
		return d.pcmCurrent - d.pcmReturned
	}
	return 0
}

// synthesisRead is vorbis_synthesis_read.
func (v *vorbisStream) synthesisRead(n int) {
	d := &v.dsp
	if n != 0 && d.pcmReturned+n > d.pcmCurrent {
		return
	}
	d.pcmReturned += n
}

// calculateGranulepos is vorbis_calculate_granulepos: 1 with the position
// of the first sample the page's blocks yield, 0 without packets, -1 (and
// a pending error) when the page's granule position cannot be right.
func (v *vorbisStream) calculateGranulepos(out *uint64) int {
	f := v.f
	if f.pktLen <= 0 {
		return 0
	}
	lastblock := -1
	var duration uint32
	for i := 0; i < f.pktLen; i++ {
		if this := v.packetBlocksize(f.os.data(&f.pkt[i])); this >= 0 {
			if lastblock != -1 {
				duration += uint32((lastblock + this) >> 2)
			}
			lastblock = this
		}
	}
	last := &f.pkt[f.pktLen-1]
	lastGP := uint64(last.granule)
	if lastGP == ^uint64(0) {
		f.fail(sfeMalformed, "a Vorbis page has no granule position")
		return -1
	}
	if last.eos && lastGP <= uint64(duration) {
		*out = 0
		return 1
	}
	if lastGP < uint64(duration) {
		f.fail(sfeMalformed, "a Vorbis page's granule position is less than its samples (end-of-stream flag missing?)")
		return -1
	}
	*out = lastGP - uint64(duration)
	return 1
}

// readSamples is vorbis_read_sample: up to lens interleaved samples.
func (v *vorbisStream) readSamples(lens int64) int64 {
	f := v.f
	length := int(int32(lens / int64(v.channels)))
	var i int64
	for length > 0 {
		for {
			samples := v.pcmout()
			if samples <= 0 {
				break
			}
			samples = min(samples, length)
			i += int64(samples) * int64(v.channels)
			length -= samples
			v.synthesisRead(samples)
			v.gp += uint64(samples)
			if length == 0 {
				return i
			}
		}
		if f.pktIndx == f.pktLen {
			nn := f.unpackPage()
			if nn <= 0 {
				return i
			}
			if nn == 2 {
				v.restart()
				before := v.gp
				v.calculateGranulepos(&v.gp)
				if f.newHole {
					f.noteGap(before, v.gp, 1)
				}
			}
		}
		if v.synthesis(&f.pkt[f.pktIndx], true) == 0 {
			v.blockin()
		}
		f.pktIndx++
	}
	return i
}

// skip is vorbis_skip: advance to granule position target.
func (v *vorbisStream) skip(target uint64) int {
	f := v.f
	blocksize := v.info.blocksizes[1]
	if this := v.pcmout(); this > 0 {
		if uint64(this)+v.gp >= target {
			this = min(this, int(int32(target-v.gp)))
		}
		v.synthesisRead(this)
		v.gp += uint64(int64(this))
		if v.gp == target {
			return 0
		}
	}
	lastblock := 0
	for guard := 0; v.gp < target && guard < 1<<26; guard++ {
		if f.pktIndx == f.pktLen {
			nn := f.unpackPage()
			if nn < 0 {
				return nn
			}
			if nn == 0 {
				break
			}
			if nn == 2 {
				v.restart()
				before := v.gp
				v.calculateGranulepos(&v.gp)
				if f.newHole {
					f.noteGap(before, v.gp, 1)
				}
				if target < v.gp {
					return 0
				}
			}
		}
		p := &f.pkt[f.pktIndx]
		this := v.packetBlocksize(f.os.data(p))
		if this < 0 {
			f.pktIndx++
			continue
		}
		if lastblock != 0 {
			v.gp += uint64((lastblock + this) / 4)
		}
		if v.gp+uint64((this+blocksize)/4) >= target {
			break
		}
		f.pktIndx++
		v.synthesis(p, false)
		v.blockin()
		lastblock = this
	}
	v.readSamples(int64(target-v.gp) * int64(v.channels))
	return 0
}

// trySearch is vorbis_seek_trysearch.
func (v *vorbisStream) trySearch(target uint64) int {
	f := v.f
	if v.pcmEnd == ^uint64(0) {
		return 0
	}
	if target >= v.gp && target-v.gp < uint64(uint32(vorbisSeekThreshold)*uint32(v.rate)) {
		return 0
	}
	search := uint64(v.info.blocksizes[1] / 2)
	if search < target {
		search = target - search
	} else {
		search = 0
	}
	var best uint64
	var pg page
	ret := f.seekPageSearch(&pg, search, v.pcmStart, v.pcmEnd, &best, v.dataOffset, v.lastPage, uint64(v.info.rate))
	if ret < 0 {
		return ret
	}
	ret = f.unpackPage()
	if ret > 0 {
		v.restart()
		ret = v.calculateGranulepos(&v.gp)
	}
	return ret
}

// seek is vorbis_seek in read mode.
func (v *vorbisStream) seek(offset int64) int64 {
	f := v.f
	if offset < 0 {
		f.fail(sfeBadSeek, "negative seek")
		return -1
	}
	target := uint64(offset) + v.pcmStart
	if ret := v.trySearch(target); ret < 0 || v.gp > target {
		f.os.resetSerial(f.os.serial)
		f.pktLen, f.pktIndx = 0, 0
		f.syncSeek(v.dataOffset)
		v.gp = v.pcmStart
		v.restart()
	}
	v.skip(target)
	return int64(v.gp - v.pcmStart)
}

func readVorbisHeader(f *oggFile, info *probe.Info) (*openState, error) {
	info.Variant, info.Codec = VariantVorbis, "vorbis"
	v, err := openVorbis(f)
	if v.info.rate > 0 {
		info.SampleRate = int(int32(v.info.rate))
		info.Channels = v.info.channels
	}
	if err != nil {
		return nil, formatErr(f.sync.tell(), err.reason)
	}
	switch {
	case v.rate < 1 || v.channels < 1:
		return nil, formatErr(0, "the Vorbis headers were refused (setup header)")
	case v.frames < 0:
		return nil, formatErr(0, fmt.Sprintf("granule positions give a negative length (%d)", v.frames))
	case v.dataLength < 0:
		// libsndfile's validate_psf refuses a negative data length.
		return nil, formatErr(v.lastPage, "the last page found lies before the audio data")
	}
	info.Opens = true
	info.SndfileFormat, info.SndfileSubtype = "OGG", "VORBIS"
	info.SampleRate = v.rate
	info.Channels = v.channels
	setLength(info, v.frames)
	if v.lostFrames > 0 && !info.LengthUnknown {
		info.FramesHeld = v.frames + v.lostFrames
	}
	info.Warnings = append(info.Warnings, f.openDamage()...)
	info.Warnings = append(info.Warnings, tailWarnings(f, v.tailFound, v.tailEOS, v.tailEnd, false)...)
	info.Warnings = append(info.Warnings, otherStreamsWarning(f)...)
	if !v.dsp.ok {
		info.Warnings = append(info.Warnings, "the Vorbis setup cannot be used by the decoder: nothing will decode")
	}
	info.Parts = appendOthers(info.Parts, f)
	f.home.open = openState{file: f, vorbis: v}
	return &f.home.open, nil
}
