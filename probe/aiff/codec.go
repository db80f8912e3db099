package aiff

import (
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

// IMA ADPCM in AIFF-C ("ima4"): 34-byte blocks of 64 samples per channel.
const (
	ima4BlockSize  = 34
	ima4BlockFrame = 64
)

// GSM 6.10 frames: 33 bytes for 160 samples.
const (
	gsmBlockSize = 33
	gsmSamples   = 160
)

// openCodec is the codec half of aiff_open: it installs the decoder, which
// recomputes the frame count, then applies psf_open_file's checks.
func openCodec(f *sndfile.File, cm *comm, info *probe.Info) (*probe.Info, error) {
	h := f.H
	h.FSeek(f.DataOffset, sndfile.SeekSet)
	capToComm := func() {
		if f.Frames > int64(cm.frames) {
			f.Frames = int64(cm.frames)
		}
	}
	var err error
	settled := true
	switch f.Codec {
	case sndfile.DWVW12:
		// libsndfile has no 12-bit DWVW decoder: the file opens with COMM's
		// frame count and every read fails.
		capToComm()
		f.CanRead = false
		settled = false
	case sndfile.DWVW16:
		f.Frames = dwvwFrameCount(f, 16)
		capToComm()
		settled = false
	case sndfile.DWVW24:
		f.Frames = dwvwFrameCount(f, 24)
		capToComm()
		settled = false
	case sndfile.DWVWN:
		if cm.sampleSize < 8 || cm.sampleSize >= 24 {
			return info, f.Unsupported("DWVW of this bit width")
		}
		f.Frames = dwvwFrameCount(f, int(cm.sampleSize))
		capToComm()
		settled = false
	case sndfile.IMAADPCM:
		imaInit(f)
	case sndfile.GSM610:
		gsmInit(f)
		capToComm()
	default:
		err = f.InitCodec()
	}
	if err != nil {
		return info, err
	}
	if err := f.Finish(info, "AIFF"); err != nil {
		return info, err
	}
	if settled {
		info.Settled = f.Settle()
	} else {
		bits := int(cm.sampleSize)
		switch f.Codec {
		case sndfile.DWVW16:
			bits = 16
		case sndfile.DWVW24:
			bits = 24
		}
		info.Detail = &detail{codec: f.Codec, frames: f.Frames, channels: int64(f.Channels), dataOffset: f.DataOffset, bitWidth: bits}
	}
	return info, nil
}

// imaInit is aiff_ima_init's reader set-up: the block count comes from the
// data length (to the end of the file unless SSND ends earlier), each
// block holding 64 frames of one channel.
func imaInit(f *sndfile.File) {
	f.FileLength = f.H.Size()
	if f.DataEnd != 0 {
		f.DataLength = f.DataEnd - f.DataOffset
	} else {
		f.DataLength = f.FileLength - f.DataOffset
	}
	blocks := f.DataLength / ima4BlockSize
	if f.DataLength%ima4BlockSize != 0 {
		blocks++
	}
	f.Frames = int64(int32(ima4BlockFrame*int32(blocks)) / f.Channels)
	f.CanRead = true
}

// gsmInit is gsm610_init for AIFF: 33-byte frames of 160 samples counted
// from SSND's length (a single trailing pad byte ignored), and a stream
// libsndfile marks as not seekable.
func gsmInit(f *sndfile.File) {
	f.Seekable = false
	var blocks int32
	switch f.DataLength % gsmBlockSize {
	case 0, 1:
		blocks = int32(f.DataLength / gsmBlockSize)
	default:
		blocks = int32(f.DataLength/gsmBlockSize + 1)
	}
	f.Frames = gsmSamples * int64(blocks)
	f.FileLength = f.H.Size()
	f.DataLength = f.FileLength - f.DataOffset
	f.CanRead = true
}
