package ogg

import "math"

// The server reads a file with python-soundfile's SoundFile.read in blocks
// of 65536 frames (docs/server.md#read-loop). Each block is
// sf_readf_short, capped at the frames libsndfile announced, and is
// followed by sf_seek to the position the block ended at — a real seek
// through the codec's seek function, even when nothing moved. An error
// that libsndfile records (psf->error) turns into an exception at the next
// check, and the block being read when it happens is lost.

const (
	sfCountMax = math.MaxInt64
	blockSize  = 65536
	// maxBlocks and maxRereads bound the read loop: a damaged file can make
	// libsndfile seek backwards after every block and never finish. Over
	// thousands of damaged files the loop never read more than 8 times the
	// file; past 64 times it gives up.
	maxBlocks  = 1 << 22
	maxRereads = 64
)

// codecReader is the codec's half of libsndfile's read machinery.
type codecReader interface {
	readSamples(n int64) int64 // psf->read_short: interleaved samples read
	seek(frame int64) int64    // psf->seek in read mode: the frame reached
}

type readOutcome struct {
	framesRead int64
	err        *sfError
}

// readLoop runs the server's read loop over an opened stream.
func readLoop(f *oggFile, c codecReader, frames int64, channels int) readOutcome {
	var readCurrent, n int64
	workLimit := maxRereads * (f.size/syncReadSize + 64)
	// An error libsndfile recorded while opening without failing the open
	// (vorbis_read_header ignores what vorbis_calculate_granulepos says of
	// the first audio page) is never raised: SoundFile.read starts with
	// tell(), whose sf_seek(0, SEEK_CUR) clears psf->error first
	// (VALIDATE_SNDFILE_AND_ASSIGN_PSF with clean_error set), and the read
	// goes on from the state the open left.
	f.err = nil
	for range maxBlocks {
		if f.sync.work > workLimit {
			return readOutcome{n, &sfError{sfeInternal, "the read loop goes round in circles; the server would not finish"}}
		}
		req := min(int64(blockSize), frames-readCurrent)
		if req < 0 {
			return readOutcome{n, &sfError{sfeBadSeek, "negative block size after a seek past the end"}}
		}
		curr := readCurrent
		// sf_readf_short
		var got int64
		if req > 0 && readCurrent < frames {
			count := c.readSamples(req*int64(channels)) / int64(channels)
			if readCurrent+count <= frames {
				readCurrent += count
			} else {
				count = frames - readCurrent
				readCurrent = frames
			}
			got = count
		}
		if f.err != nil {
			return readOutcome{n, f.err}
		}
		// sf_seek(curr + got, SEEK_SET)
		to := curr + got
		if to < 0 || to > frames {
			f.fail(sfeBadSeek, "seek outside the stream")
			return readOutcome{n, f.err}
		}
		readCurrent = c.seek(to)
		if f.err != nil {
			return readOutcome{n, f.err}
		}
		if got == 0 {
			return readOutcome{n, nil}
		}
		n += got
	}
	return readOutcome{n, &sfError{sfeInternal, "the read loop did not finish"}}
}
