package flac

import "fmt"

// libsndfile's side of reading (src/flac.c): its write callback copies
// decoded frames into the caller's buffer (flac_buffer_copy), its read
// loop asks libFLAC for one frame at a time until the request is filled
// (flac_read_loop, flac_read_flac2s), and its seek runs libFLAC's
// (flac_seek). Only the counts are kept: the server's verdict depends on
// how many frames come out and on psf->error, not on the samples.

// readLoopMax is READ_LOOP_MAX_LEN, the most samples one flac_read_loop
// call is asked for.
const readLoopMax = 0x10000 * 3 * 5 * 7

// maxBlockSize is FLAC__MAX_BLOCK_SIZE: libsndfile's buffers hold no more.
const maxBlockSize = 65535

// written is libsndfile's write callback: it takes the frame and copies
// what fits of it (flac_buffer_copy).
func (s *sndfile) written(h frameHeader) {
	s.frame, s.hasFrame, s.bufferpos = h, true, 0
	s.copyFrame()
}

// copyFrame is flac_buffer_copy.
func (s *sndfile) copyFrame() {
	h := &s.frame
	if s.channels != int32(h.channels) {
		s.failAt(h.off, fmt.Sprintf("a frame of %d channels in a %d-channel stream", h.channels, s.channels), msgChannelChanged)
		return
	}
	if h.blocksize > maxBlockSize {
		s.failAt(h.off, fmt.Sprintf("a frame of %d samples, more than libsndfile's %d", h.blocksize, maxBlockSize), msgInternal)
		return
	}
	if !s.hasPtr {
		return // decoded during a seek: kept for the next read
	}
	ch := int64(h.channels)
	n := min(int64(h.blocksize-s.bufferpos), (s.want-s.pos)/ch)
	if n <= 0 {
		return
	}
	s.pos += n * ch
	s.bufferpos += uint32(n)
}

// readLoop is flac_read_loop for want samples; it returns how many it
// delivered.
func (d *decoder) readLoop(want int64) int64 {
	s := &d.snd
	s.pos, s.want = 0, want
	if d.state > stEndOfStream {
		s.hasFrame = false
	}
	if s.hasFrame && s.bufferpos < s.frame.blocksize {
		s.copyFrame()
	}
	for s.pos < s.want && !d.halted() {
		if !d.processSingle() {
			s.hasFrame = false
			break
		}
		if d.state >= stEndOfStream {
			s.hasFrame = false
			break
		}
	}
	s.hasPtr = false
	return s.pos
}

// Read is flac_read_flac2s for items samples; the error is psf->error.
func (d *decoder) Read(items int64) (int64, error) {
	var total int64
	for total < items && !d.halted() {
		d.snd.hasPtr = true
		n := d.readLoop(min(items-total, readLoopMax))
		if n == 0 {
			break
		}
		total += n
	}
	return total, d.snd.err
}

// SeekFrame is flac_seek.
func (d *decoder) SeekFrame(frame int64) (int64, error) {
	d.snd.hasFrame = false
	if frame >= 0 && d.seekAbsolute(uint64(frame)) {
		return frame, d.snd.err
	}
	if frame == d.snd.frames {
		// libsndfile forgives a failed seek to the very end.
		return frame, d.snd.err
	}
	d.snd.fail(fmt.Errorf("flac: seeking to frame %d after a block of the read failed (libsndfile: %s)", frame, msgBadSeek))
	return -1, d.snd.err
}
