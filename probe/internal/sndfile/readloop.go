package sndfile

import "github.com/audiopreflight/audiopreflight/probe"

// Stream is a codec's reading side as libsndfile drives it: Read is
// psf->read_short for up to items samples (frames × channels) and returns
// how many it delivered and whether it set psf->error; SeekFrame is psf->seek
// to a frame and returns the position it reports.
type Stream interface {
	Read(items int64) (got int64, err error)
	SeekFrame(frame int64) (pos int64, err error)
}

// Loop describes what the server's read loop needs to know about an open
// input besides its codec.
type Loop struct {
	Frames   int64 // sf_info.frames
	Channels int64
	Seekable bool // sf_info.seekable
	// CanRead is false when libsndfile installed no read function.
	CanRead bool
	// SeekFirst is set when the codec left psf->last_op unset, so that
	// the first sf_read seeks to the current frame before reading.
	SeekFirst bool
}

// ReadThroughIntBuffer is a codec's read_s function around read, its
// decoder: the items asked for are decoded at most 2048 at a time (the
// ints of libsndfile's SF_BUFFER_LEN-byte conversion buffer), every chunk
// asked for even after one comes up short. It returns the items read.
func ReadThroughIntBuffer(items int64, read func(n int64) int64) int64 {
	const bufferItems = 2048
	var total int64
	for items > 0 {
		n := min(items, bufferItems)
		total += read(n)
		items -= n
	}
	return total
}

// blockFrames is how many frames the server asks for at a time.
const blockFrames = 65536

// errUnimplemented is sf_read's answer when no read function exists.
var errUnimplemented = &probe.UnsupportedError{Format: "sndfile", Msg: "reading this codec is not implemented"}

// ReadLoop runs the server's read loop (python-soundfile's SoundFile.read
// in blocks of 65536 frames until an empty block, with sf_readf_short
// clamping to sf_info.frames and a seek to the new position after every
// block of a seekable file) over s, and returns the frames read before the
// end or the first error.
func ReadLoop(l Loop, s Stream) *probe.ReadResult {
	var readCurrent, total int64
	first := true
	for {
		req := int64(blockFrames)
		if l.Seekable {
			if rem := l.Frames - readCurrent; rem < req {
				req = rem
			}
		}
		curr := readCurrent
		var got int64
		if req > 0 && readCurrent < l.Frames {
			if !l.CanRead {
				return &probe.ReadResult{FramesRead: total, ReadError: errUnimplemented.Error()}
			}
			if first && l.SeekFirst {
				if _, err := s.SeekFrame(readCurrent); err != nil {
					return &probe.ReadResult{FramesRead: total, ReadError: err.Error()}
				}
			}
			items, err := s.Read(req * l.Channels)
			if readCurrent+items/l.Channels <= l.Frames {
				readCurrent += items / l.Channels
			} else {
				items = (l.Frames - readCurrent) * l.Channels
				readCurrent = l.Frames
			}
			got = items / l.Channels
			if err != nil {
				return &probe.ReadResult{FramesRead: total, ReadError: err.Error()}
			}
		}
		first = false
		if l.Seekable {
			pos := curr + got
			if pos < 0 || pos > l.Frames {
				return &probe.ReadResult{FramesRead: total, ReadError: "seek out of range"}
			}
			np, err := s.SeekFrame(pos)
			if err != nil {
				return &probe.ReadResult{FramesRead: total, ReadError: err.Error()}
			}
			readCurrent = np
		}
		if got <= 0 {
			return &probe.ReadResult{FramesRead: total}
		}
		total += got
	}
}
