package rare

import (
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
	"strconv"
)

// The formats here have a fixed header followed by PCM, µ-law, A-law or
// float samples, so that every frame libsndfile reports is read.

// IRCAM/BICSF (Berkeley/IRCAM/CARL sound files, src/ircam.c): a 1024-byte
// header whose magic 0x64A3 carries a machine byte (0..7) in either byte
// order; rate as a float, channel count and encoding follow in the order
// the channel count makes plausible.

func isIRCAM(b []byte) bool {
	return (b[0] == 0x64 && b[1] == 0xA3 && b[2]&0xF8 == 0 && b[3] == 0) ||
		(b[0] == 0 && b[1]&0xF8 == 0 && b[2] == 0xA3 && b[3] == 0x64)
}

const ircamDataOffset = 1024

func readIRCAM(f *sndfile.File, info *probe.Info) error {
	h := f.H
	var m, encoding uint32
	var rate float32
	h.Readf("epmf44", 0, &m, &rate, &f.Channels, &encoding)
	if !((m>>24 == 0x64 && m>>16&0xFF == 0xA3 && m&0xFF == 0) || (m>>24 == 0 && m>>8&0xFF == 0xA3 && m&0xFF == 0x64)) {
		return f.Fail(0, "no IRCAM marker")
	}
	f.Endian = sndfile.Little
	if f.Channels > sndfile.MaxChannels {
		h.Readf("Epmf44", 0, &m, &rate, &f.Channels, &encoding)
		if f.Channels > sndfile.MaxChannels {
			return f.Fail(8, "bad channel count")
		}
		f.Endian = sndfile.Big
	}
	f.Samplerate = sndfile.FloatToInt(float64(rate))
	info.SampleRate, info.Channels = int(f.Samplerate), int(f.Channels)
	switch encoding {
	case 0x00002:
		f.Codec, f.Bytewidth = sndfile.PCM16, 2
	case 0x40004:
		f.Codec, f.Bytewidth = sndfile.PCM32, 4
	case 0x00004:
		f.Codec, f.Bytewidth = sndfile.Float, 4
	case 0x10001:
		f.Codec, f.Bytewidth = sndfile.ALaw, 1
	case 0x20001:
		f.Codec, f.Bytewidth = sndfile.ULaw, 1
	default:
		return f.Unsupported("IRCAM encoding")
	}
	f.Blockwidth = f.Channels * f.Bytewidth
	f.DataOffset = ircamDataOffset
	f.DataLength = f.FileLength - f.DataOffset
	if f.Frames == 0 && f.Blockwidth != 0 {
		f.Frames = f.DataLength / int64(f.Blockwidth)
	}
	h.Readf("p", ircamDataOffset)
	return f.InitCodec()
}

// MATLAB 4 (.mat, src/mat4.c): a 1×1 matrix "samplerate" holding a double,
// then a matrix of samples, rows being channels; the type code's first
// bytes tell the byte order (00 00 03 E8 big-endian, 00 00 00 00 little).

func isMAT4(b []byte) bool {
	be := b[0] == 0 && b[1] == 0 && b[2] == 0x03 && b[3] == 0xE8 && string(b[4:12]) == "\x00\x00\x00\x01\x00\x00\x00\x01"
	le := string(b[:12]) == "\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00"
	return be || le
}

func readMAT4(f *sndfile.File, info *probe.Info) error {
	h := f.H
	var m uint32
	h.Readf("pm", 0, &m)
	switch m {
	case 0x000003E8:
		f.Endian = sndfile.Big
		h.SetBigEndian(true)
	case 0:
		f.Endian = sndfile.Little
		h.SetBigEndian(false)
	default:
		return f.Unsupported("MAT4 samplerate matrix of another type")
	}
	var rows, cols, imag int32
	var nameSize uint32
	var name [64]byte
	var value float64
	h.Readf("444", &rows, &cols, &imag)
	h.Readf("4", &nameSize)
	if nameSize >= 64 {
		return f.Fail(16, "matrix name too long")
	}
	h.Readf("b", name[:], int(nameSize))
	h.Readf("d", &value)
	if rows != 1 || cols != 1 {
		return f.Fail(4, "no 1x1 samplerate matrix")
	}
	f.Samplerate = sndfile.Lrint(value)
	info.SampleRate = int(f.Samplerate)

	h.Readf("m", &m)
	h.Readf("444", &rows, &cols, &imag)
	h.Readf("4", &nameSize)
	if nameSize >= 64 {
		return f.Fail(h.Tell(), "matrix name too long")
	}
	h.Readf("b", name[:], int(nameSize))
	f.DataOffset = h.Tell()
	if rows == 0 {
		return f.Fail(h.Tell(), "no channels")
	}
	if rows > sndfile.MaxChannels {
		return f.Fail(h.Tell(), "too many channels")
	}
	f.Channels = rows
	f.Frames = int64(cols)
	info.Channels = int(rows)
	switch m {
	case 0x000003E8, 0:
		f.Codec, f.Bytewidth = sndfile.Double, 8
	case 0x000003F2, 0x0A000000:
		f.Codec, f.Bytewidth = sndfile.Float, 4
	case 0x000003FC, 0x14000000:
		f.Codec, f.Bytewidth = sndfile.PCM32, 4
	case 0x00000406, 0x1E000000:
		f.Codec, f.Bytewidth = sndfile.PCM16, 2
	default:
		return f.Unsupported("MAT4 matrix type")
	}
	// Data past the matrix is excluded by a data end; a short file is not
	// (the frame count then follows from the bytes present).
	present := f.FileLength - f.DataOffset
	declared := int64(f.Channels) * f.Frames * int64(f.Bytewidth)
	if present > declared {
		f.DataEnd = f.DataOffset + int64(rows)*int64(cols)*int64(f.Bytewidth)
	}
	f.DataLength = f.FileLength - f.DataOffset - f.DataEnd
	f.Blockwidth = f.Bytewidth * f.Channels
	return f.InitCodec()
}

// MATLAB 5 (.mat level 5, src/mat5.c): a 128-byte text header, then
// miMATRIX elements: a 1×1 "samplerate" (double, or a compact ushort/uint)
// and the samples (rows = channels). A first matrix that is not 1×1 is
// taken for the samples, at 44100 Hz.

const (
	mat5SChar      = 0x1
	mat5UChar      = 0x2
	mat5Int16      = 0x3
	mat5Int32      = 0x5
	mat5UInt32     = 0x6
	mat5Float      = 0x7
	mat5Double     = 0x9
	mat5Array      = 0xE
	mat5CompUShort = 0x00020004
	mat5CompUInt   = 0x00040006
)

func readMAT5(f *sndfile.File, info *probe.Info) error {
	h := f.H
	var text [128]byte
	h.Readf("pb", 0, text[:124], 124)
	if cStrLen(text[:124]) >= 124 {
		return f.Unsupported("MAT5 text header without a terminating NUL")
	}
	var version, endian uint16
	h.Readf("E22", &version, &endian)
	switch endian {
	case 'M'<<8 | 'I':
		f.Endian = sndfile.Big
		h.SetBigEndian(true)
	case 'I'<<8 | 'M':
		f.Endian = sndfile.Little
		h.SetBigEndian(false)
	default:
		return f.Fail(126, "no MI/IM byte-order mark")
	}
	var typ, size uint32
	var flags1, flags2, rows, cols int32
	expect := func(want uint32) bool {
		h.Readf("44", &typ, &size)
		return typ == want
	}
	if !expect(mat5Array) || !expect(mat5UInt32) {
		return f.Fail(h.Tell(), "no matrix element")
	}
	h.Readf("44", &flags1, &flags2)
	if !expect(mat5Int32) {
		return f.Fail(h.Tell(), "no dimensions")
	}
	h.Readf("44", &rows, &cols)
	haveRate := true
	if rows != 1 || cols != 1 {
		if f.Samplerate == 0 {
			f.Samplerate = 44100
		}
		haveRate = false
	}
	if err := mat5Name(f); err != nil {
		return err
	}
	h.Readf("44", &typ, &size)
	if haveRate {
		switch typ {
		case mat5Double:
			var v float64
			h.Readf("d", &v)
			f.Samplerate = sndfile.Lrint(v)
		case mat5CompUShort:
			var v uint16
			h.Readf("j2j", -4, &v, 2)
			f.Samplerate = int32(v)
		case mat5CompUInt:
			f.Samplerate = int32(size)
		default:
			return f.Unsupported("MAT5 samplerate of another type")
		}
		info.SampleRate = int(f.Samplerate)
		if !expect(mat5Array) || !expect(mat5UInt32) {
			return f.Fail(h.Tell(), "no samples matrix")
		}
		h.Readf("44", &flags1, &flags2)
		if !expect(mat5Int32) {
			return f.Fail(h.Tell(), "no dimensions")
		}
		h.Readf("44", &rows, &cols)
		if err := mat5Name(f); err != nil {
			return err
		}
		h.Readf("44", &typ, &size)
	}
	if rows == 0 && cols == 0 {
		return f.Fail(h.Tell(), "empty matrix")
	}
	f.Channels = rows
	f.Frames = int64(cols)
	info.SampleRate, info.Channels = int(f.Samplerate), int(rows)
	switch typ {
	case mat5Double:
		f.Codec, f.Bytewidth = sndfile.Double, 8
	case mat5Float:
		f.Codec, f.Bytewidth = sndfile.Float, 4
	case mat5Int32:
		f.Codec, f.Bytewidth = sndfile.PCM32, 4
	case mat5Int16:
		f.Codec, f.Bytewidth = sndfile.PCM16, 2
	case mat5UChar:
		f.Codec, f.Bytewidth = sndfile.PCMU8, 1
	default:
		return f.Unsupported("MAT5 sample type")
	}
	f.DataOffset = h.Tell()
	f.DataLength = f.FileLength - f.DataOffset
	f.Blockwidth = f.Bytewidth * f.Channels
	return f.InitCodec()
}

// mat5Name reads a matrix name element, long or compact.
func mat5Name(f *sndfile.File) error {
	h := f.H
	var typ, size uint32
	h.Readf("4", &typ)
	switch {
	case typ == mat5SChar:
		h.Readf("4", &size)
		if size > 31 {
			return f.Fail(h.Tell(), "matrix name too long")
		}
		h.Readf("bj", nil, int(size), int64((8-size%8)%8))
	case typ&0xFFFF == mat5SChar:
		if typ>>16 > 4 {
			return f.Fail(h.Tell(), "matrix name too long")
		}
		var name uint32
		h.Readf("4", &name)
	default:
		return f.Fail(h.Tell(), "no matrix name")
	}
	return nil
}

// Portable Voice Format (src/pvf.c): "PVF1\n", a line "channels rate
// bits\n", then big-endian 8/16/32-bit PCM.

func readPVF(f *sndfile.File, info *probe.Info) error {
	h := f.H
	var m uint32
	h.Readf("pmj", 0, &m, 1)
	if m != marker("PVF1") {
		return f.Fail(0, "no PVF1 marker")
	}
	var line [32]byte
	h.Readf("G", line[:])
	s := line[:cStrLen(line[:])]
	channels, n1, ok1 := sndfile.ScanInt(s)
	var rate, bits int32
	var n2 int
	var ok2, ok3 bool
	if ok1 {
		rate, n2, ok2 = sndfile.ScanInt(s[n1:])
		if ok2 {
			bits, _, ok3 = sndfile.ScanInt(s[n1+n2:])
		}
	}
	if !ok1 || !ok2 || !ok3 {
		return f.Fail(5, "no \"channels rate bits\" line")
	}
	f.Channels, f.Samplerate = channels, rate
	info.SampleRate, info.Channels = int(rate), int(channels)
	switch bits {
	case 8:
		f.Codec, f.Bytewidth = sndfile.PCMS8, 1
	case 16:
		f.Codec, f.Bytewidth = sndfile.PCM16, 2
	case 32:
		f.Codec, f.Bytewidth = sndfile.PCM32, 4
	default:
		return f.Unsupported("PVF sample width " + strconv.Itoa(int(bits)))
	}
	f.DataOffset = h.Tell()
	f.Endian = sndfile.Big
	f.DataLength = f.FileLength - f.DataOffset
	f.Blockwidth = f.Channels * f.Bytewidth
	return f.InitCodec()
}

// HTK (the Hidden Markov Model Toolkit's waveform files, src/htk.c): a
// 12-byte big-endian header (sample count, period in 100 ns units, sample
// size 2 and kind 0 = waveform), then 16-bit PCM. libsndfile recognises it
// by the kind and by the file length matching the sample count exactly.

func isHTK(head []byte, size int64) bool {
	if len(head) < 12 || string(head[8:12]) != "\x00\x02\x00\x00" {
		return false
	}
	n := int64(uint32(head[0])<<24 | uint32(head[1])<<16 | uint32(head[2])<<8 | uint32(head[3]))
	return 2*n+12 == size
}

func readHTK(f *sndfile.File, info *probe.Info) error {
	h := f.H
	var count, period, kind int32
	h.Readf("pE444", 0, &count, &period, &kind)
	if int64(2*count+12) != f.FileLength {
		return f.Fail(0, "sample count does not match the file length")
	}
	if kind != 0x20000 {
		return f.Unsupported("HTK parameter file (not a waveform)")
	}
	f.Channels = 1
	if period > 0 {
		f.Samplerate = 10000000 / period
	} else {
		f.Samplerate = 16000
	}
	f.Codec, f.Bytewidth = sndfile.PCM16, 2
	f.DataOffset = 12
	f.Endian = sndfile.Big
	f.DataLength = f.FileLength - f.DataOffset
	f.Blockwidth = 2
	return f.InitCodec()
}

// Audio Visual Research (Atari, src/avr.c): "2BIT", a 128-byte big-endian
// header, then 8-bit (signed or unsigned) or 16-bit signed PCM.

func readAVR(f *sndfile.File, info *probe.Info) error {
	h := f.H
	var m uint32
	h.Readf("pmb", 0, &m, nil, 8)
	if m != marker("2BIT") {
		return f.Fail(0, "no 2BIT marker")
	}
	var mono, rez, sign, loop, midi int16
	h.Readf("E22222", &mono, &rez, &sign, &loop, &midi)
	f.Channels = int32(mono&1) + 1
	switch int32(uint32(int32(rez))<<16) + int32(sign&1) {
	case 8 << 16:
		f.Codec, f.Bytewidth = sndfile.PCMU8, 1
	case 8<<16 + 1:
		f.Codec, f.Bytewidth = sndfile.PCMS8, 1
	case 16<<16 + 1:
		f.Codec, f.Bytewidth = sndfile.PCM16, 2
	default:
		return f.Unsupported("AVR sample width and sign")
	}
	var rate, frames, lbeg, lend int32
	h.Readf("E4444", &rate, &frames, &lbeg, &lend)
	f.Frames = int64(frames)
	f.Samplerate = rate
	info.SampleRate, info.Channels = int(rate), int(f.Channels)
	var r1, r2, r3 int16
	h.Readf("E222", &r1, &r2, &r3)
	h.Readf("bb", nil, 20, nil, 64)
	f.Endian = sndfile.Big
	f.DataOffset = 128
	f.DataLength = int64(frames * int32(rez/8))
	if h.Tell() != f.DataOffset {
		h.Readf("j", f.DataOffset-h.Tell())
	}
	f.Blockwidth = f.Channels * f.Bytewidth
	if f.Frames == 0 && f.Blockwidth != 0 {
		f.Frames = (f.FileLength - f.DataOffset) / int64(f.Blockwidth)
	}
	return f.InitCodec()
}

// Psion WVE (src/wve.c): "ALawSoundFile**\0", a 32-byte header, then
// 8 kHz mono A-law.

func readWVE(f *sndfile.File, info *probe.Info) error {
	h := f.H
	for i, want := range []string{"ALaw", "Soun", "dFil", "e**\x00"} {
		var m uint32
		if i == 0 {
			h.Readf("pm", 0, &m)
		} else {
			h.Readf("m", &m)
		}
		if m != marker(want) {
			return f.Fail(int64(4*i), "no Psion ALawSoundFile** marker")
		}
	}
	var version uint16
	var length uint32
	h.Readf("E2", &version)
	h.Readf("E4", &length)
	f.DataOffset = 0x20
	if int64(length) != f.FileLength-f.DataOffset {
		f.DataLength = f.FileLength - f.DataOffset
	} else {
		f.DataLength = int64(length)
	}
	var pad, repeats, t1, t2, t3 uint16
	h.Readf("E22222", &pad, &repeats, &t1, &t2, &t3)
	f.Codec = sndfile.ALaw
	f.Samplerate = 8000
	f.Frames = f.DataLength
	f.Channels = 1
	f.Blockwidth = f.Bytewidth * f.Channels
	return f.InitCodec()
}

// Akai MPC 2000 samples (src/mpc2k.c): bytes 01 04, a 17-byte name and a
// little-endian header of 42 bytes in all, then 16-bit PCM, mono or
// stereo.

func readMPC2K(f *sndfile.File, info *probe.Info) error {
	h := f.H
	var b [3]byte
	h.Readf("pebb", 0, b[:2], 2, nil, 17)
	if b[0] != 1 || b[1] != 4 {
		return f.Fail(0, "no MPC 2000 marker")
	}
	var start, loopEnd, frames, loopLen uint32
	h.Readf("eb4444", b[:3], 3, &start, &loopEnd, &frames, &loopLen)
	f.Channels = 1
	if b[2] != 0 {
		f.Channels = 2
	}
	var rate uint16
	h.Readf("eb2", b[:2], 2, &rate)
	f.Samplerate = int32(rate)
	info.SampleRate, info.Channels = int(rate), int(f.Channels)
	f.Codec = sndfile.PCM16
	f.DataOffset = h.Tell()
	f.Bytewidth = 2
	f.Endian = sndfile.Little
	f.DataLength = f.FileLength - f.DataOffset
	f.Blockwidth = f.Channels * f.Bytewidth
	f.Frames = (f.FileLength - f.DataOffset) / int64(f.Blockwidth)
	return f.InitCodec()
}
