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

// initCodec is the codec switch of wav_open / rf64_open / w64_open, for
// the container major whose reader ran.
func (st *sfState) initCodec(major int) error {
	allowed := false
	switch st.Codec {
	case sndfile.PCMU8, sndfile.PCM16, sndfile.PCM24, sndfile.PCM32, sndfile.ULaw, sndfile.ALaw, sndfile.Float, sndfile.Double:
		allowed = true
	case sndfile.IMAADPCM, sndfile.MSADPCM, sndfile.GSM610:
		allowed = major == sfWAV || major == sfW64
	case sndfile.G721_32, sndfile.NMSADPCM16, sndfile.NMSADPCM24, sndfile.NMSADPCM32, sndfile.MPEGLayerIII:
		allowed = major == sfWAV
	}
	if !allowed {
		if st.Codec == sndfile.CodecNone {
			return errUnsupported("%d-bit samples", st.fmt.bits)
		}
		return errUnsupported("%s audio in %s", st.Codec, containerName(major))
	}

	switch st.Codec {
	case sndfile.IMAADPCM:
		return st.initIMA()
	case sndfile.MSADPCM:
		return st.initMSADPCM()
	case sndfile.GSM610:
		st.initGSM()
	case sndfile.G721_32:
		if st.Channels != 1 {
			return errUnsupported("G.721 ADPCM with %d channels", st.Channels)
		}
		st.initFixedBlocks(60, 120)
	case sndfile.NMSADPCM16, sndfile.NMSADPCM24, sndfile.NMSADPCM32:
		if st.Channels != 1 {
			return errUnsupported("NMS ADPCM with %d channels", st.Channels)
		}
		shorts := map[sndfile.Codec]int64{sndfile.NMSADPCM16: 21, sndfile.NMSADPCM24: 31, sndfile.NMSADPCM32: 41}[st.Codec]
		st.initFixedBlocks(2*shorts, 160)
	case sndfile.MPEGLayerIII:
		return st.initMPEG()
	default:
		return st.InitCodec()
	}
	return nil
}

// adpcmBlock returns the block size and samples per block the header gave
// the IMA and MS ADPCM codecs.
func (st *sfState) adpcmBlock() (blockAlign, samplesPerBlock int) {
	switch {
	case st.fmt.tag == tagIMAADPCM, st.fmt.tag == tagMSADPCM:
		return int(st.fmt.blockAlign), int(st.fmt.word18)
	case st.fmt.tag == tagExtensible && st.major == sfWAVEX && st.Codec == sndfile.MSADPCM:
		// The extensible valid-bits field stands in for samples per block.
		return int(st.fmt.blockAlign), int(st.fmt.word18)
	}
	return 0, 0
}

func (st *sfState) initIMA() error {
	blockSize, spb := st.adpcmBlock()
	st.FileLength = st.H.Size()
	if st.DataEnd != 0 {
		st.DataLength = st.DataEnd - st.DataOffset
	} else {
		st.DataLength = st.FileLength - st.DataOffset
	}
	if blockSize <= 0 {
		return errFmt("IMA ADPCM with block align 0")
	}
	if spb <= 0 {
		return errFmt("IMA ADPCM with 0 samples per block")
	}
	blocks := int32(st.DataLength / int64(blockSize))
	if st.DataLength%int64(blockSize) != 0 {
		blocks++
	}
	ch := int(st.Channels)
	want := 2*(blockSize-4*ch)/ch + 1
	if spb != want {
		return errFmt("IMA ADPCM block of %d bytes holds %d samples, not %d", blockSize, want, spb)
	}
	st.Frames = int64(int32(spb) * blocks)
	return nil
}

func (st *sfState) initMSADPCM() error {
	blockSize, spb := st.adpcmBlock()
	ch := int(st.Channels)
	if spb < 7*ch {
		return errFmt("MS ADPCM with %d samples per block", spb)
	}
	if 2*blockSize < spb*ch {
		return errFmt("MS ADPCM block align %d too small for %d samples", blockSize, spb)
	}
	if blockSize <= 0 {
		return errFmt("MS ADPCM with block align 0")
	}
	want := 2 * (blockSize - 6*ch) / ch
	if spb != want {
		return errFmt("MS ADPCM block of %d bytes holds %d samples, not %d", blockSize, want, spb)
	}
	st.Frames = st.DataLength / int64(blockSize) * int64(spb)
	return nil
}

func (st *sfState) initGSM() {
	const blockSize, spb = 65, 320
	blocks := int32(st.DataLength / blockSize)
	if st.DataLength%blockSize != 0 {
		blocks++
	}
	st.Frames = int64(spb) * int64(blocks)
	st.FileLength = st.H.Size()
	st.DataLength = st.FileLength - st.DataOffset
}

// initFixedBlocks is the frame count of the G.721 and NMS ADPCM codecs.
func (st *sfState) initFixedBlocks(blockSize, spb int64) {
	st.FileLength = max(st.H.Size(), st.DataOffset)
	st.DataLength = st.FileLength - st.DataOffset
	if st.DataEnd > 0 {
		st.DataLength -= st.FileLength - st.DataEnd
	}
	blocks := int32(st.DataLength / blockSize)
	if st.DataLength%blockSize != 0 {
		blocks++
	}
	st.Frames = int64(blocks) * spb
}

func containerName(major int) string {
	switch major {
	case sfWAV:
		return "WAV"
	case sfWAVEX:
		return "WAVEX"
	case sfRF64:
		return "RF64"
	case sfW64:
		return "W64"
	}
	return "n/a"
}

// analyze is wavlike_analyze: for 24-bit PCM whose block align says 32
// bits, libsndfile looks at the file's bytes, 4 KiB at a time from offset
// 600, and may decide the samples are 32-bit integers or floats.
func (st *sfState) analyze() {
	h := st.H
	h.FSeek(3*4*50, sndfile.SeekSet)
	buf := make([]byte, 4096)
	found := sndfile.CodecNone
	for h.FRead(buf) == len(buf) {
		if found = detectWidth(buf); found != sndfile.CodecNone {
			break
		}
	}
	h.FSeek(st.DataOffset, sndfile.SeekSet)
	if found == sndfile.CodecNone {
		return
	}
	st.Codec = found
	st.Bytewidth = 4
	st.Blockwidth = st.Channels * 4
}

// detectWidth is audio_detect's vote on one 4 KiB buffer. Its tests look
// mostly at the buffer's first four bytes.
func detectWidth(b []byte) sndfile.Codec {
	n := len(b) - len(b)%4
	if b[0] != 0 && b[3] > 0x43 && b[3] < 0x4B {
		return sndfile.Float // every step of the vote agrees
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
		return sndfile.PCM32
	}
	return sndfile.CodecNone
}
