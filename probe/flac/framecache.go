package flac

// frameCacheSize is how many good frames are remembered. The seek after
// every block of the read lands a frame or two before the position just
// read, on frames decoded a moment ago.
const frameCacheSize = 256

// decodedFrame is the outcome of decoding a good frame: what its header
// said, where it ended.
type decodedFrame struct {
	start     int64 // offset of the sync code; 0 for an empty entry
	context   frameContext
	header    frameHeader
	nextFixed uint32
	end       int64
}

// frameContext is the decoder state a frame header is read against.
type frameContext struct {
	streamInfo     uint32 // generation of the STREAMINFO values
	fixedBlockSize uint32
	hasStreamInfo  bool
}

func (d *decoder) context() frameContext {
	return frameContext{d.streamInfoGen, d.fixedBlockSize, d.hasStreamInfo}
}

// cachedFrame returns the remembered outcome for the frame whose sync code
// was just read, if any.
func (d *decoder) cachedFrame() *decodedFrame {
	if d.frames == nil || d.br.bitPos() != d.afterSync*8 {
		return nil
	}
	start := d.afterSync - 2
	e := &d.frames[uint64(start)%frameCacheSize]
	if e.start != start || start == 0 || e.context != d.context() {
		return nil
	}
	return e
}

// storeFrame remembers a good frame; the context is the one its header was
// read against.
func (d *decoder) storeFrame() {
	if d.frames == nil {
		return
	}
	start := d.afterSync - 2
	d.frames[uint64(start)%frameCacheSize] = decodedFrame{
		start: start, context: d.context(), header: d.frame, nextFixed: d.nextFixedBlockSize, end: d.br.bytePos(),
	}
}
