package wav

import "github.com/audiopreflight/audiopreflight/probe/internal/sndfile"

// What libsndfile 1.2.0's codec set-up does once a header is read: which
// subtypes each container opens, how each codec counts frames (sf_info
// .frames), and the final consistency checks of sf_open (validate_sfinfo,
// validate_psf). Codecs that decode block by block count a partial last
// block in various ways:
//
//   - PCM, float, µ-law, A-law: whole frames in the data that is present
//     (up to the end of the data chunk when something follows it, else to
//     the end of the file);
//   - IMA ADPCM: every block, a partial last one counting in full, of the
//     bytes up to the end of the data chunk or the file;
//   - MS ADPCM: whole blocks only, of the data chunk's declared size (as
//     clamped by the header walk);
//   - GSM 6.10: every block, a partial last one counting in full, of the
//     clamped data size;
//   - G.721 and NMS ADPCM: every block, partial included, of the bytes up
//     to the end of the data chunk or the file.

func (st *sfState) subtype() int { return st.format & 0xFFFF }

// initCodec is the codec switch of wav_open / rf64_open / w64_open.
func (st *sfState) initCodec(major int) error {
	sub := st.subtype()
	allowed := false
	switch sub {
	case sfPCMU8, sfPCM16, sfPCM24, sfPCM32, sfULaw, sfALaw, sfFloat, sfDouble:
		allowed = true
	case sfIMAADPCM, sfMSADPCM, sfGSM610:
		allowed = major == sfWAV || major == sfW64
	case sfG721, sfNMS16, sfNMS24, sfNMS32, sfMPEGIII:
		allowed = major == sfWAV
	}
	if !allowed {
		if sub == 0 {
			return errUnsupported("%d-bit samples", st.fmt.bits)
		}
		return errUnsupported("%s audio in %s", subtypeName(sub), containerName(major))
	}

	switch sub {
	case sfPCMU8, sfPCM16, sfPCM24, sfPCM32:
		if st.byteWidth == 0 || st.channels == 0 {
			return errFmt("PCM with no sample width")
		}
		st.blockWidth = st.byteWidth * st.channels
		st.frames = st.presentFrames(st.dataEnd > 0)
	case sfULaw, sfALaw:
		st.byteWidth = 1
		st.blockWidth = st.channels
		st.frames = st.presentFrames(st.dataEnd != 0)
	case sfFloat:
		if st.channels < 1 {
			return errFmt("zero channels")
		}
		st.blockWidth = 4 * st.channels
		st.frames = st.presentFrames(st.dataEnd > 0)
	case sfDouble:
		if st.channels < 1 || st.channels > sfMaxChanls {
			return errFmt("bad channel count")
		}
		st.blockWidth = 8 * st.channels
		st.frames = st.presentFrames(st.dataEnd > 0)
	case sfIMAADPCM:
		return st.initIMA()
	case sfMSADPCM:
		return st.initMSADPCM()
	case sfGSM610:
		st.initGSM()
	case sfG721:
		if st.channels != 1 {
			return errUnsupported("G.721 ADPCM with %d channels", st.channels)
		}
		st.initFixedBlocks(60, 120)
	case sfNMS16, sfNMS24, sfNMS32:
		if st.channels != 1 {
			return errUnsupported("NMS ADPCM with %d channels", st.channels)
		}
		shorts := map[int]int64{sfNMS16: 21, sfNMS24: 31, sfNMS32: 41}[sub]
		st.initFixedBlocks(2*shorts, 160)
	case sfMPEGIII:
		return st.initMPEG()
	}
	return nil
}

// presentFrames is the frame count of pcm_init and its siblings: whole
// frames from the data offset to the data chunk's end when something
// follows it (useDataEnd), else to the end of the file.
func (st *sfState) presentFrames(useDataEnd bool) int64 {
	if st.fileLength > st.dataOffset {
		if useDataEnd {
			st.dataLength = st.dataEnd - st.dataOffset
		} else {
			st.dataLength = st.fileLength - st.dataOffset
		}
	} else {
		st.dataLength = 0
	}
	if st.blockWidth > 0 {
		return st.dataLength / int64(st.blockWidth)
	}
	return 0
}

// adpcmBlock returns the block size and samples per block the header gave
// the IMA and MS ADPCM codecs.
func (st *sfState) adpcmBlock() (blockAlign, samplesPerBlock int) {
	switch {
	case st.fmt.tag == tagIMAADPCM, st.fmt.tag == tagMSADPCM:
		return int(st.fmt.blockAlign), int(st.fmt.word18)
	case st.fmt.tag == tagExtensible && st.format == sfWAVEX|sfMSADPCM:
		// The extensible valid-bits field stands in for samples per block.
		return int(st.fmt.blockAlign), int(st.fmt.word18)
	}
	return 0, 0
}

func (st *sfState) initIMA() error {
	blockSize, spb := st.adpcmBlock()
	st.fileLength = st.h.Size()
	if st.dataEnd != 0 {
		st.dataLength = st.dataEnd - st.dataOffset
	} else {
		st.dataLength = st.fileLength - st.dataOffset
	}
	if blockSize <= 0 {
		return errFmt("IMA ADPCM with block align 0")
	}
	if spb <= 0 {
		return errFmt("IMA ADPCM with 0 samples per block")
	}
	blocks := int32(st.dataLength / int64(blockSize))
	if st.dataLength%int64(blockSize) != 0 {
		blocks++
	}
	want := 2*(blockSize-4*st.channels)/st.channels + 1
	if spb != want {
		return errFmt("IMA ADPCM block of %d bytes holds %d samples, not %d", blockSize, want, spb)
	}
	st.frames = int64(int32(spb) * blocks)
	return nil
}

func (st *sfState) initMSADPCM() error {
	blockSize, spb := st.adpcmBlock()
	if spb < 7*st.channels {
		return errFmt("MS ADPCM with %d samples per block", spb)
	}
	if 2*blockSize < spb*st.channels {
		return errFmt("MS ADPCM block align %d too small for %d samples", blockSize, spb)
	}
	if blockSize <= 0 {
		return errFmt("MS ADPCM with block align 0")
	}
	want := 2 * (blockSize - 6*st.channels) / st.channels
	if spb != want {
		return errFmt("MS ADPCM block of %d bytes holds %d samples, not %d", blockSize, want, spb)
	}
	st.frames = st.dataLength / int64(blockSize) * int64(spb)
	return nil
}

func (st *sfState) initGSM() {
	const blockSize, spb = 65, 320
	blocks := int32(st.dataLength / blockSize)
	if st.dataLength%blockSize != 0 {
		blocks++
	}
	st.frames = int64(spb) * int64(blocks)
	st.fileLength = st.h.Size()
	st.dataLength = st.fileLength - st.dataOffset
}

// initFixedBlocks is the frame count of the G.721 and NMS ADPCM codecs.
func (st *sfState) initFixedBlocks(blockSize, spb int64) {
	st.fileLength = max(st.h.Size(), st.dataOffset)
	st.dataLength = st.fileLength - st.dataOffset
	if st.dataEnd > 0 {
		st.dataLength -= st.fileLength - st.dataEnd
	}
	blocks := int32(st.dataLength / blockSize)
	if st.dataLength%blockSize != 0 {
		blocks++
	}
	st.frames = int64(blocks) * spb
}

// validate is the last step of sf_open: the stream description must make
// sense, or the file does not open.
func (st *sfState) validate() error {
	switch {
	case st.sampleRate < 1:
		return errFmt("sample rate %d", st.sampleRate)
	case st.frames < 0:
		return errFmt("negative frame count")
	case st.channels < 1 || st.channels > sfMaxChanls:
		return errFmt("%d channels", st.channels)
	case st.format&0x0FFF0000 == 0 || st.format&0xFFFF == 0:
		return errFmt("no format")
	case st.dataLength < 0:
		return errFmt("data chunk ends before it starts")
	case st.dataOffset < 0:
		return errFmt("no data offset")
	case st.blockWidth != 0 && st.blockWidth != st.channels*st.byteWidth:
		return errUnsupported("%d-bit samples in %s", st.fmt.bits, subtypeName(st.subtype()))
	}
	return nil
}

func containerName(major int) string {
	if s, ok := containerNames[major]; ok {
		return s
	}
	return "n/a"
}

// analyze is wavlike_analyze: for 24-bit PCM whose block align says 32
// bits, libsndfile looks at the file's bytes, 4 KiB at a time from offset
// 600, and may decide the samples are 32-bit integers or floats.
func (st *sfState) analyze() {
	h := st.h
	h.FSeek(3*4*50, sndfile.SeekSet)
	buf := make([]byte, 4096)
	found := 0
	for h.FRead(buf) == len(buf) {
		if found = detectWidth(buf); found != 0 {
			break
		}
	}
	h.FSeek(st.dataOffset, sndfile.SeekSet)
	if found == 0 {
		return
	}
	st.format = st.format&^0xFFFF | found
	st.byteWidth = 4
	st.blockWidth = st.channels * 4
}

// detectWidth is audio_detect's vote on one 4 KiB buffer. Its tests look
// mostly at the buffer's first four bytes.
func detectWidth(b []byte) int {
	n := len(b) - len(b)%4
	if b[0] != 0 && b[3] > 0x43 && b[3] < 0x4B {
		return sfFloat // every step of the vote agrees
	}
	votes := 0
	for k := 0; k < n; k += 4 {
		if b[k] == 0 && b[k+1] != 0 {
			votes += 4
		}
		if b[2] != 0 && b[3] == 0 {
			votes += 4
		}
	}
	if votes > 3*len(b)/4 {
		return sfPCM32
	}
	return 0
}
