package rare

import (
	"io"
	"strconv"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

// FastTracker 2 Extended Instrument (.xi, src/xi.c): "Extended
// Instrument: ", a name, a tracker name, envelopes, then up to 16 sample
// headers and delta-coded 8- or 16-bit sample data. libsndfile reads the
// first sample only (two at most, the second empty), mono at 44100 Hz, as
// a stream it cannot seek; the frame count runs to the end of the file.

const xiMaxSamples = 16

func readXI(f *sndfile.File, info *probe.Info) error {
	h := f.H
	var buf [64]byte
	h.Readf("pb", 0, buf[:21], 21)
	if string(buf[:20]) != "Extended Instrument:" {
		return f.Fail(0, "no \"Extended Instrument:\" header")
	}
	clear(buf[:])
	h.Readf("b", buf[:23], 23)
	if buf[22] != 0x1A {
		return f.Fail(21, "no 0x1A after the instrument name")
	}
	var version, fadeOut, count int16
	h.Readf("be2", buf[:20], 20, &version)
	h.Readf("j", 96+48+48+1+1)
	h.Readf("b", buf[:12], 12)
	h.Readf("e2j2", &fadeOut, 2+20, &count)
	if count > xiMaxSamples {
		return f.Unsupported("more than 16 samples")
	}
	var sizes [xiMaxSamples]int32
	for k := 0; k < int(count); k++ {
		var loopBegin, loopEnd int32
		h.Readf("e444", &sizes[k], &loopBegin, &loopEnd)
		var name [22]byte
		h.Readf("bb", buf[:6], 6, name[:], 22)
		if k != 0 {
			continue
		}
		if buf[2]&16 != 0 {
			f.Codec, f.Bytewidth = sndfile.DPCM16, 2
		} else {
			f.Codec, f.Bytewidth = sndfile.DPCM8, 1
		}
	}
	for count > 1 && sizes[count-1] == 0 {
		count--
	}
	if count > 2 {
		return f.Unsupported("more than one sample in the instrument")
	}
	f.DataLength = int64(sizes[0])
	f.DataOffset = h.Tell()
	if f.DataOffset+f.DataLength > f.FileLength {
		f.DataLength = f.FileLength - f.DataOffset
	}
	h.FSeek(f.DataOffset, sndfile.SeekSet)
	f.Endian = sndfile.Little
	f.Channels = 1
	f.Samplerate = 44100
	info.SampleRate, info.Channels = 44100, 1
	f.Blockwidth = f.Channels * f.Bytewidth
	if f.Frames == 0 && f.Blockwidth != 0 {
		f.Frames = (f.FileLength - f.DataOffset) / int64(f.Blockwidth)
	}
	// xi_open: not seekable; dpcm_init needs a sample width.
	f.Seekable = false
	switch f.Codec {
	case sndfile.DPCM8, sndfile.DPCM16:
		if f.Bytewidth == 0 || f.Channels == 0 {
			return f.Fail(0, "no sample width")
		}
		f.Blockwidth = f.Bytewidth * f.Channels
		f.CanRead = true
	}
	return nil
}

// MIDI Sample Dump Standard (src/sds.c): a 21-byte SysEx dump header
// (F0 7E ch 01 ...) with the bit width, sample period and length in 7-bit
// groups, then 127-byte data packets of 120 payload bytes. libsndfile
// reports the header's length as the frame count, counts the packets
// present, and fails a read that seeks past them.

const (
	sdsDataOffset = 21
	sdsBlockSize  = 127
	sdsPayload    = 120
)

func isSDS(b []byte) bool { return b[0] == 0xF0 && b[1] == 0x7E && b[2]&0x80 == 0 && b[3] == 0x01 }

func sds7bit(x uint32) uint32 { return x&0x7F | (x&0x7F00)>>1 | (x&0x7F0000)>>2 }

func readSDS(r io.ReaderAt, size int64) (*probe.Info, error) {
	var stream *sdsStream
	info, _, err := open(ContainerSDS, "SDS", r, size, func(f *sndfile.File, info *probe.Info) error {
		h := f.H
		f.Frames = 0
		var m uint16
		var channel, b uint8
		read := int32(h.Readf("pE211", 0, &m, &channel, &b))
		if m != 0xF07E || b != 0x01 {
			return f.Fail(0, "no sample dump header")
		}
		var sampleNo uint16
		read += int32(h.Readf("e2", &sampleNo))
		var bitWidth uint8
		var period uint32
		read += int32(h.Readf("e13", &bitWidth, &period))
		period = sds7bit(period)
		if bitWidth <= 1 {
			return f.Unsupported("SDS bit width " + strconv.Itoa(int(bitWidth)))
		}
		if period > 0 {
			f.Samplerate = int32(1000000000 / period)
		} else {
			f.Samplerate = 16000
		}
		var length, loopStart, loopEnd uint32
		var loopType uint8
		read += int32(h.Readf("e3331", &length, &loopStart, &loopEnd, &loopType))
		length = sds7bit(length)
		f.Frames = int64(length)
		f.DataOffset = sdsDataOffset
		f.DataLength = f.FileLength - f.DataOffset
		read += int32(h.Readf("1", &b))

		// Count the packets: each starts with two bytes that are not both 0.
		// libsndfile reads them into the variable that last held the
		// header's F0 7E, so a packet cut after its first byte keeps 7E.
		mark := [2]byte{0x7E, 0xF0}
		blocks := int32(0)
		scan := byteWindow{r: h.Reader(), size: h.Size()}
		pos := h.Tell()
		for int64(read) < f.FileLength {
			n := 0
			for n < 2 {
				c, ok := scan.at(pos + int64(n))
				if !ok {
					break
				}
				mark[n] = c
				n++
			}
			pos += int64(n)
			read += int32(n)
			if mark[0] == 0 && mark[1] == 0 {
				break
			}
			pos += sdsBlockSize - 2
			read += sdsBlockSize - 2
			blocks++
			if blocks < 0 || read < 0 {
				break
			}
		}
		f.Channels = 1
		info.SampleRate, info.Channels = int(f.Samplerate), 1
		if f.Codec = sndfile.SignedPCM((int(bitWidth) + 7) / 8); f.Codec == sndfile.CodecNone {
			return f.Unsupported("SDS bit width " + strconv.Itoa(int(bitWidth)))
		}
		h.FSeek(sdsDataOffset, sndfile.SeekSet)
		// sds_init
		if bitWidth < 8 || bitWidth > 28 {
			return f.Unsupported("SDS bit width " + strconv.Itoa(int(bitWidth)))
		}
		per := int64(sdsPayload / 4)
		switch {
		case bitWidth < 14:
			per = sdsPayload / 2
		case bitWidth < 21:
			per = sdsPayload / 3
		}
		f.CanRead = true
		f.Blockwidth = 0
		stream = &sdsStream{frames: f.Frames, perBlock: per, totalBlocks: int64(blocks), readBlock: 1,
			dataLength: f.DataLength, dataOffset: f.DataOffset}
		return nil
	})
	if err != nil {
		return info, err
	}
	info.Detail = stream
	return info, nil
}

// byteWindow reads single bytes through a small window, for the SDS packet
// scan, which looks at two bytes every 127.
type byteWindow struct {
	r     io.ReaderAt
	size  int64
	buf   [4096]byte
	start int64
	n     int
}

func (w *byteWindow) at(off int64) (byte, bool) {
	if off < 0 || off >= w.size {
		return 0, false
	}
	if off < w.start || off >= w.start+int64(w.n) {
		w.start = off
		w.n, _ = w.r.ReadAt(w.buf[:min(int64(len(w.buf)), w.size-off)], off)
		if w.n <= 0 {
			w.n = 0
			return 0, false
		}
	}
	return w.buf[off-w.start], true
}

// sdsStream counts what sds_read delivers and where sds_seek fails.
type sdsStream struct {
	frames, perBlock, totalBlocks int64
	dataLength, dataOffset        int64
	readBlock, readCount          int64
}

func (s *sdsStream) Read(items int64) (int64, error) {
	return sndfile.ReadThroughIntBuffer(items, s.read), nil
}

// read is sds_read for n samples.
func (s *sdsStream) read(n int64) int64 {
	var total int64
	for total < n {
		if s.readBlock*s.perBlock >= s.frames {
			return total
		}
		if s.readCount >= s.perBlock {
			s.readBlock++
			s.readCount = 0
		}
		count := min(s.perBlock-s.readCount, n-total)
		total += count
		s.readCount += count
	}
	return total
}

// SeekFrame is sds_seek: it fails beyond the packets the file holds.
func (s *sdsStream) SeekFrame(frame int64) (int64, error) {
	if s.dataLength < 0 || s.dataOffset < 0 || frame < 0 || frame > s.frames {
		return -1, &probe.FormatError{Format: ContainerSDS, Msg: "seek out of range"}
	}
	block := frame / s.perBlock
	if block > s.totalBlocks {
		return -1, &probe.FormatError{Format: ContainerSDS, Msg: "seek past the last data packet"}
	}
	s.readBlock = block + 1
	s.readCount = frame % s.perBlock
	return frame, nil
}

func readAllSDS(_ io.ReaderAt, _ int64, info *probe.Info) (*probe.ReadResult, error) {
	s, ok := info.Detail.(*sdsStream)
	if !ok {
		return &probe.ReadResult{}, nil
	}
	return sndfile.ReadLoop(sndfile.Loop{Frames: info.Frames, Channels: 1, Seekable: true, CanRead: true}, s), nil
}
