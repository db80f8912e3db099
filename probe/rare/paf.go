package rare

import (
	"io"
	"strconv"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

// Ensoniq PARIS audio files (PAF): a 2048-byte header starting " paf"
// (big-endian fields) or "fap " (little-endian), then 8- or 16-bit PCM, or
// PARIS's packed 24-bit format (blocks of 10 samples per channel in 32
// bytes). libsndfile: src/paf.c.

const (
	pafHeaderLength = 2048
	paf24Samples    = 10 // samples per channel in a 24-bit block
	paf24Block      = 32 // bytes per channel in a 24-bit block
)

// readPAF follows paf_read_header and paf_open.
func readPAF(r io.ReaderAt, size int64) (*probe.Info, error) {
	var state *paf24Stream
	info, f, err := open(ContainerPAF, "PAF", r, size, func(f *sndfile.File, info *probe.Info) error {
		h := f.H
		f.DataOffset = pafHeaderLength
		if f.FileLength < pafHeaderLength {
			return f.Fail(0, "shorter than the 2048-byte PAF header")
		}
		var m uint32
		var version, endianness, rate, format, channels, source int32
		h.Readf("pm", 0, &m)
		switch m {
		case marker(" paf"):
			h.Readf("E444444", &version, &endianness, &rate, &format, &channels, &source)
		case marker("fap "):
			h.Readf("e444444", &version, &endianness, &rate, &format, &channels, &source)
		default:
			return f.Fail(0, "no PAF marker")
		}
		info.Variant = "paf"
		if version != 0 {
			return f.Unsupported("PAF version " + strconv.Itoa(int(version)))
		}
		if endianness != 0 {
			f.Endian = sndfile.Little
		} else {
			f.Endian = sndfile.Big
		}
		info.SampleRate, info.Channels = int(rate), int(channels)
		if channels < 1 || channels > sndfile.MaxChannels {
			return f.Fail(20, "bad channel count")
		}
		f.DataLength = f.FileLength - f.DataOffset
		h.Readf("p", f.DataOffset)
		f.Samplerate = rate
		f.Channels = channels
		switch format {
		case 2:
			f.Codec, f.Bytewidth = sndfile.PCMS8, 1
			return f.PCMInit()
		case 0:
			f.Codec, f.Bytewidth = sndfile.PCM16, 2
			return f.PCMInit()
		case 1:
			f.Codec, f.Bytewidth = sndfile.PCM24, 3
			f.Blockwidth = 0
			state = paf24Init(f)
			return nil
		}
		return f.Unsupported("PAF sample format " + strconv.Itoa(int(format)))
	})
	if err != nil {
		return info, err
	}
	if state != nil {
		info.Detail = state
	} else {
		info.Settled = f.Settle()
	}
	return info, nil
}

// paf24Init is paf24_init for reading: the block count from the real file
// length (a partial block counts when the length is not a multiple of 32),
// and psf->last_op cleared, which makes the first read seek first.
func paf24Init(f *sndfile.File) *paf24Stream {
	f.FileLength = f.H.Size()
	f.DataLength = f.FileLength - f.DataOffset
	blockSize := int64(paf24Block) * int64(f.Channels)
	maxBlocks := int32(f.DataLength / blockSize)
	if f.DataLength%paf24Block != 0 {
		maxBlocks = int32(f.DataLength/blockSize + 1)
	}
	f.Frames = paf24Samples * int64(maxBlocks)
	f.CanRead = true
	return &paf24Stream{channels: int64(f.Channels), sampleCount: f.Frames, readBlock: 1}
}

// paf24Stream counts what paf24_read delivers: it stops early whenever a
// read starts inside the last block, a quirk of its end-of-data test.
type paf24Stream struct {
	channels    int64
	sampleCount int64
	readBlock   int64 // blocks loaded so far (1-based index of the current one)
	readCount   int64 // frames of the current block handed out
}

func (s *paf24Stream) Read(items int64) (int64, error) {
	return sndfile.ReadThroughIntBuffer(items, s.read), nil
}

// read is paf24_read for n samples.
func (s *paf24Stream) read(n int64) int64 {
	var total int64
	for total < n {
		if s.readBlock*paf24Samples >= s.sampleCount {
			return total
		}
		if s.readCount >= paf24Samples {
			s.readBlock++
			s.readCount = 0
		}
		count := (paf24Samples - s.readCount) * s.channels
		count = min(count, n-total)
		total += count
		s.readCount += count / s.channels
	}
	return total
}

func (s *paf24Stream) SeekFrame(frame int64) (int64, error) {
	block := frame / paf24Samples
	s.readBlock = block + 1
	s.readCount = frame % paf24Samples
	return frame, nil
}

func readAllPAF(_ io.ReaderAt, _ int64, info *probe.Info) (*probe.ReadResult, error) {
	s, ok := info.Detail.(*paf24Stream)
	if !ok {
		return &probe.ReadResult{FramesRead: info.Frames}, nil
	}
	return sndfile.ReadLoop(sndfile.Loop{Frames: info.Frames, Channels: int64(info.Channels), Seekable: true, CanRead: true, SeekFirst: true}, s), nil
}
