package flac

import (
	"fmt"

	"github.com/audiopreflight/audiopreflight/probe"
)

// decState is libFLAC's FLAC__StreamDecoderState. Its order matters:
// libsndfile compares states with < and >.
type decState int

const (
	stSearchMetadata decState = iota
	stReadMetadata
	stSearchSync
	stReadFrame
	stEndOfStream
	stOggError
	stSeekError
	stAborted
	stMemoryError
	stUninitialized
)

// errStatus is libFLAC's FLAC__StreamDecoderErrorStatus, what the decoder
// tells its error callback.
type errStatus int

const (
	errLostSync errStatus = iota
	errBadHeader
	errFrameCRCMismatch
	errUnparseable
	errBadMetadata
)

// streamInfo is the STREAMINFO block as the decoder keeps it.
type streamInfo struct {
	minBlock, maxBlock uint32
	minFrame, maxFrame uint32
	rate               uint32
	channels           uint32
	bps                uint32
	total              uint64
}

// Channel assignments of a frame header.
const (
	independent = iota
	leftSide
	rightSide
	midSide
)

// frameHeader is a decoded frame header; sample is the number of the
// frame's first sample (libFLAC turns frame numbers into sample numbers).
type frameHeader struct {
	off        int64 // input offset of the frame's sync code
	blocksize  uint32
	rate       uint32
	channels   uint32
	assignment int
	bps        uint32
	sample     uint64
}

// seekTable locates the last SEEKTABLE block the decoder read in full.
// Its points are read from the input when a seek needs them.
type seekTable struct {
	off    int64 // input offset of the first point
	points uint32
}

// decoder is libFLAC 1.4.2's stream decoder (src/libFLAC/stream_decoder.c)
// as libsndfile 1.2.0 drives it (src/flac.c): the states, the metadata and
// frame readers, error recovery and seeking, reproduced for their effect
// on what the server sees. It decodes every sample, because libFLAC
// rejects a frame whose decoded samples do not fit its bit depth even when
// its CRC is right, and a frame whose subframes it cannot parse: walking
// the frames and checking their CRCs, about a seventh of the work, would
// take such frames for good (corpus: crafted/crc-valid-*).
type decoder struct {
	br   bitReader
	meta metaReader
	size int64

	state decState

	hasStreamInfo bool
	si            streamInfo
	hasSeekTable  bool
	table         seekTable
	points        []seekPoint // the table's points, once a seek needed them
	pointsLoaded  seekTable
	// tableAllocated mirrors whether libFLAC's seek point array is a live
	// allocation: realloc(p, 0) of a live one returns NULL, which libFLAC
	// takes for an allocation failure (a second, empty SEEKTABLE).
	tableAllocated bool

	firstFrameOffset int64
	blockStart       int64 // the metadata block being read

	fixedBlockSize, nextFixedBlockSize uint32
	// streamInfoGen changes whenever a STREAMINFO block is read, which
	// changes how frame headers read.
	streamInfoGen uint32
	// frames remembers good frames (see frameCacheSize); nil while the
	// header is read.
	frames         []decodedFrame
	samplesDecoded uint64

	// The frame being read and the last one delivered. afterSync is the
	// input offset just after the last sync code found, where the search
	// resumes when a frame turns out bad.
	warm         [2]byte
	afterSync    int64
	frame        frameHeader
	lastFrame    frameHeader
	lastFrameSet bool
	// channels and bits per sample of the last frame decoded (libFLAC's
	// "protected" copies, which seeking uses).
	lastChannels, lastBps uint32

	// framesStarted is set once the frame reader owns the position (the
	// full read); before that the metadata reader does.
	framesStarted bool

	seeking      bool
	targetSample uint64
	unparseable  int

	out [8][]int32 // decoded channels
	// A channel from a constant subframe is kept as its value.
	constant   [8]bool
	constValue [8]int32
	side       []int64 // a 33-bit side channel (32-bit stereo frames)
	sideInUse  bool
	warmup     [32]int64
	pred       predictor
	pairs      pairPredictor
	// How checkFit learns whether each channel fits the frame's depth.
	fit    [8]fitState
	fitAcc [8]int32
	raw    [16]byte

	snd sndfile

	// sink, when set, receives every frame delivered outside a seek, and
	// whether it is silence filling a gap (PCMReader); filling is set
	// while such frames are delivered.
	sink    func(h frameHeader, silent bool)
	filling bool

	// parts lists the metadata blocks while the header is read.
	parts []probe.Part
}

// libsndfile's error messages (src/sndfile.c), which the server reports.
const (
	msgLostSync       = "Error : flac decoder lost sync."
	msgBadHeader      = "Error : bad flac header."
	msgUnknown        = "Error : unknown error in flac decoder."
	msgChannelChanged = "Error : flac channel changed mid stream."
	msgInternal       = "Unspecified internal error."
	msgBadSeek        = "Internal psf_fseek() failed."
	msgUnimplemented  = "File contains data in an unimplemented format."
	msgBadInfo        = "Internal error : SF_INFO struct incomplete."
)

// sndfile is what libsndfile's FLAC reader keeps: the SF_INFO fields its
// metadata callback fills, psf->error, and the FLAC_PRIVATE fields of its
// read loop.
type sndfile struct {
	channels   int32
	samplerate int32
	frames     int64
	// format is the OR of the subtypes of every STREAMINFO seen
	// (PCM_S8 = 1, PCM_16 = 2, PCM_24 = 3), as psf->sf.format |= does.
	format int

	// err is psf->error: once set, the server's next check fails. It
	// keeps the first cause (libsndfile keeps the last code).
	err error

	// The frame libsndfile holds (pflac->frame) and how much of it was
	// copied out; hasPtr is pflac->ptr != NULL (a read is in progress,
	// rather than a seek); pos and want are pflac->pos and pflac->len, in
	// samples (frames × channels).
	hasFrame  bool
	frame     frameHeader
	bufferpos uint32
	hasPtr    bool
	pos, want int64
}

const sfCountMax = int64(1<<63 - 1)

func (s *sndfile) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// failAt records an error at an input offset, with libsndfile's message.
func (s *sndfile) failAt(off int64, why, lib string) {
	s.fail(&probe.FormatError{Format: probe.ContainerFLAC, Off: off, Msg: why + " (libsndfile: " + lib + ")"})
}

// streamInfoSeen is libsndfile's metadata callback for STREAMINFO, the
// block at off.
func (s *sndfile) streamInfoSeen(si *streamInfo, off int64) {
	if s.channels > 0 && s.channels != int32(si.channels) {
		s.failAt(off, fmt.Sprintf("a second STREAMINFO with %d channels instead of %d", si.channels, s.channels), msgChannelChanged)
		return
	}
	s.channels = int32(si.channels)
	s.samplerate = int32(si.rate)
	s.frames = int64(si.total)
	if s.frames == 0 {
		s.frames = sfCountMax
	}
	switch si.bps {
	case 8:
		s.format |= 1
	case 16:
		s.format |= 2
	case 24:
		s.format |= 3
	}
}

// errorSeen is libFLAC's error report and libsndfile's error callback,
// which sets psf->error. While seeking libFLAC reports nothing, but counts
// unparseable frames. why and off say what was wrong where, for people.
func (d *decoder) errorSeen(e errStatus, why string, off int64) {
	if d.seeking {
		if e == errUnparseable {
			d.unparseable++
		}
		return
	}
	lib := msgUnknown
	switch e {
	case errLostSync:
		lib = msgLostSync
	case errBadHeader:
		lib = msgBadHeader
	}
	d.snd.failAt(off, why, lib)
}

// frameStart is the input offset of the frame being read.
func (d *decoder) frameStart() int64 { return d.afterSync - 2 }

// halted tells that an error already decided the outcome: the server's
// next check of psf->error fails, whatever the decoder does next. (libFLAC
// would itself abort at its next read, whose callback refuses to read once
// psf->error is set.)
func (d *decoder) halted() bool { return d.snd.err != nil && !d.seeking }

// totalSamples is FLAC__stream_decoder_get_total_samples.
func (d *decoder) totalSamples() uint64 {
	if d.hasStreamInfo {
		return d.si.total
	}
	return 0
}

// processSingle is FLAC__stream_decoder_process_single.
func (d *decoder) processSingle() bool {
	for {
		if d.halted() {
			d.state = stAborted
			return true
		}
		switch d.state {
		case stReadMetadata:
			return d.readMetadata()
		case stSearchSync:
			if !d.frameSync() {
				return true
			}
		case stReadFrame:
			ok, got := d.readFrame()
			if !ok {
				return false
			}
			if got {
				return true
			}
		case stEndOfStream, stAborted:
			return true
		default:
			return false
		}
	}
}

// processUntilEndOfMetadata is FLAC__stream_decoder_process_until_end_of_metadata
// from a state at or after READ_METADATA.
func (d *decoder) processUntilEndOfMetadata() bool {
	for d.state == stReadMetadata {
		if !d.readMetadata() {
			return false
		}
		if d.halted() {
			return false
		}
	}
	switch d.state {
	case stSearchSync, stReadFrame, stEndOfStream, stAborted:
		return true
	}
	return false
}
