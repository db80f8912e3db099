// Package flac reads native FLAC streams ("fLaC", FLAC format:
// https://xiph.org/flac/format.html, RFC 9639) the way the server does:
// libsndfile 1.2.0 (src/flac.c) over libFLAC 1.4.2 (src/libFLAC/
// stream_decoder.c), driven by python-soundfile (docs/server.md#flac).
//
// Opening runs libFLAC through the metadata blocks and keeps libsndfile's
// view of STREAMINFO: 8, 16 and 24 bits per sample open, other depths and a
// missing STREAMINFO do not, total samples 0 is an unknown length, and a
// metadata block whose content overruns its length is an error that stops
// the open. The full read decodes every frame as libFLAC does — sync
// search, header CRC-8, subframes, frame CRC-16, the bit-depth check of the
// decoded samples, the repair of missing frames — and repeats the seek
// python-soundfile makes after every block of 65536 frames, which is where
// wrongly numbered frames, short files and other inconsistencies surface
// on the server.
package flac

import (
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/audiopreflight/audiopreflight/internal/prefault"
	"github.com/audiopreflight/audiopreflight/probe"
	sfread "github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

func init() {
	probe.RegisterFormat(probe.Format{
		Name:         probe.ContainerFLAC,
		Magic:        "fLaC",
		Match:        notHTK,
		Order:        probe.OrderFLAC,
		ReadHeaderIn: readHeaderIn,
		ReadAll:      ReadAll,
	})
}

// notHTK excludes the one "fLaC" input libsndfile takes for an HTK file,
// a signature it tries first: bytes 8..11 0,2,0,0 and a length of twice
// the first word plus 12.
func notHTK(head []byte, size int64) bool {
	return len(head) < 12 || head[8] != 0 || head[9] != 2 || head[10] != 0 || head[11] != 0 ||
		size != 2*0x664C6143+12
}

// maxParts bounds the metadata blocks listed in Info.Parts.
const maxParts = 64

// ReadHeader reads the metadata blocks as libsndfile's sf_open does. The
// input may start with an ID3v2 tag, which libFLAC skips.
func ReadHeader(r io.ReaderAt, size int64) (*probe.Info, error) {
	return readHeaderIn(r, size, new(probe.Room))
}

// readHeaderIn is ReadHeader building the Info in room. The decoder is
// pooled: the Info's Detail holds it until ReadAll is done with it or
// probe.Release gives it back (a header check of a small FLAC allocated
// its 2.6 KB afresh, every byte a page faulted in).
func readHeaderIn(r io.ReaderAt, size int64, room *probe.Room) (*probe.Info, error) {
	info := room.Info()
	info.Container, info.Codec = probe.ContainerFLAC, "flac"
	d, start, err := readMetadata(r, size, room.Parts())
	info.Parts, d.parts = d.parts, nil
	if err == nil {
		err = d.opened(info, start)
	}
	if err != nil {
		d.free()
		return info, err
	}
	x := &detail{d}
	info.Detail, info.Held = x, x
	return info, nil
}

// opened fills info from the metadata the decoder read, and says why
// libsndfile does not open the stream, if it does not.
func (d *decoder) opened(info *probe.Info, start int64) error {
	s := &d.snd
	if s.err != nil {
		return s.err
	}
	subtype, ok := map[int]string{1: "PCM_S8", 2: "PCM_16", 3: "PCM_24"}[s.format]
	if !ok {
		if !d.hasStreamInfo {
			return &probe.UnsupportedError{Format: "flac", Msg: "no STREAMINFO block (" + msgUnimplemented + ")"}
		}
		return &probe.UnsupportedError{Format: "flac", Msg: fmt.Sprintf("%d bits per sample (%s)", d.si.bps, msgUnimplemented)}
	}
	info.SampleRate = int(s.samplerate)
	info.Channels = int(s.channels)
	info.BitsPerSample = int(d.si.bps)
	if s.samplerate < 1 {
		return &probe.FormatError{Format: "flac", Off: start + 8, Msg: "STREAMINFO sample rate 0 (" + msgBadInfo + ")"}
	}
	info.Opens = true
	info.SndfileFormat, info.SndfileSubtype = "FLAC", subtype
	if s.frames == sfCountMax {
		info.LengthUnknown = true
	} else {
		info.Frames = s.frames
	}
	return nil
}

// readMetadata runs a pooled decoder through the metadata blocks, listing
// them in parts (nil: not listed); start is where the stream marker is.
func readMetadata(r io.ReaderAt, size int64, parts []probe.Part) (d *decoder, start int64, err error) {
	r, size = wholeInput(r, size)
	d = decoders.Get().(*decoder)
	d.size = size
	d.meta.reset(r, size, 0)
	start, err = streamStart(&d.meta)
	if err != nil {
		return d, 0, err
	}
	d.parts = parts
	d.meta.pos = (start + 4) * 8
	d.state = stReadMetadata
	d.processUntilEndOfMetadata()
	return d, start, nil
}

var decoders = sync.Pool{New: func() any { return prefault.New[decoder]() }}

// free gives a decoder from readMetadata back to the pool, emptied: the
// pool keeps nothing of the input.
func (d *decoder) free() {
	*d = decoder{}
	decoders.Put(d)
}

// detail is what ReadHeader hands to ReadAll and NewPCMReader: the decoder
// after the metadata, until probe.Release gives it back to the pool.
type detail struct{ d *decoder }

// Release gives the header's decoder back; a later ReadAll reads the
// metadata again.
func (x *detail) Release() {
	if x.d != nil {
		x.d.free()
		x.d = nil
	}
}

// header is a copy of the decoder after the metadata: of the one
// ReadHeader kept, or, once that is released, of one that reads them
// again.
func (x *detail) header(r io.ReaderAt, size int64) (decoder, error) {
	if x.d != nil {
		return *x.d, nil
	}
	d, _, err := readMetadata(r, size, nil)
	defer d.free()
	if err == nil {
		err = d.snd.err
	}
	if err != nil {
		return decoder{}, fmt.Errorf("flac: the input no longer opens: %w", err)
	}
	return *d, nil
}

// wholeInput undoes the section Probe makes after an ID3v2 tag: libFLAC
// reads the input from its first byte and skips the tag itself, with the
// whole input's length.
func wholeInput(r io.ReaderAt, size int64) (io.ReaderAt, int64) {
	if sr, ok := r.(*io.SectionReader); ok {
		if outer, off, n := sr.Outer(); off > 0 && n == size {
			return outer, off + n
		}
	}
	return r, size
}

// streamStart finds "fLaC": at 0, or after one ID3v2 tag, which libsndfile
// skips when sniffing (probe decides where sniffing resumes after it) and
// libFLAC skips when decoding (one tag, followed at once by the stream
// marker; anything else there loses sync, which fails the open).
func streamStart(m *metaReader) (int64, error) {
	head := &m.sniff // not on the stack: it would escape through the reader
	if n := m.readFull(head[:], 0); n < len(head) {
		return 0, &probe.FormatError{Format: "flac", Off: int64(n), Msg: "shorter than the 12 bytes libsndfile sniffs"}
	}
	if string(head[:4]) == "fLaC" {
		return 0, nil
	}
	if string(head[:3]) != "ID3" || head[3] < 2 || head[3] > 4 {
		return 0, probe.ErrUnknownFormat
	}
	size := int64(head[6]&0x7F)<<21 | int64(head[7]&0x7F)<<14 | int64(head[8]&0x7F)<<7 | int64(head[9]&0x7F)
	start := 10 + size
	if start >= m.size {
		return 0, &probe.FormatError{Format: "flac", Off: 6, Msg: "the ID3v2 tag reaches the end of the input"}
	}
	magic := &m.sniff
	if n := m.readFull(magic[:], start); n < len(magic) || string(magic[:4]) != "fLaC" {
		return 0, &probe.FormatError{Format: "flac", Off: start, Msg: "no stream marker after the ID3v2 tag"}
	}
	return start, nil
}

// noteBlock lists a metadata block in Info.Parts while the header is read.
func (d *decoder) noteBlock(off int64, typ, length uint32) {
	if d.parts == nil || len(d.parts) > maxParts {
		return
	}
	if len(d.parts) == maxParts {
		d.parts = append(d.parts, probe.Part{Kind: "metadata", ID: "...", Offset: off, Note: "more blocks not listed"})
		return
	}
	var id string
	if int(typ) < len(blockNames) {
		id = blockNames[typ]
	} else {
		id = "type " + strconv.Itoa(int(typ))
	}
	d.parts = append(d.parts, probe.Part{Kind: "metadata", ID: id, Offset: off, Size: int64(length)})
}

// frameBuffers are the full read's working buffers, reused across inputs.
type frameBuffers struct {
	window []byte
	out    [8][]int32
	side   []int64
	points []seekPoint
	frames []decodedFrame
}

var bufferPool = sync.Pool{New: func() any { return prefault.New[frameBuffers]() }}

// ReadAll reads the audio as the server's read loop does and reports the
// frames read and libsndfile's read error, if any.
func ReadAll(r io.ReaderAt, size int64, info *probe.Info) (*probe.ReadResult, error) {
	x, ok := info.Detail.(*detail)
	if !ok {
		return nil, fmt.Errorf("flac: no header state")
	}
	d, err := x.header(r, size) // a copy: the header state stays as it was
	if err != nil {
		return nil, err
	}
	r, size = wholeInput(r, size)
	bufs := bufferPool.Get().(*frameBuffers)
	if bufs.frames == nil {
		bufs.frames = make([]decodedFrame, frameCacheSize)
	}
	clear(bufs.frames)
	d.br.buf, d.out, d.side, d.points, d.frames = bufs.window, bufs.out, bufs.side, bufs.points[:0], bufs.frames
	d.startFrames(r, size)
	res := sfread.ReadLoop(sfread.Loop{
		Frames:   d.snd.frames,
		Channels: int64(d.snd.channels),
		Seekable: true,
		CanRead:  true,
	}, &d)
	bufs.window, bufs.out, bufs.side, bufs.points = d.br.buf, d.out, d.side, d.points
	bufferPool.Put(bufs)
	// How many frames the read falls short of STREAMINFO is probe.Unscored's
	// to say.
	return res, nil
}

// startFrames hands the position over from the metadata reader to the
// frame reader.
func (d *decoder) startFrames(r io.ReaderAt, size int64) {
	d.meta.r = r
	d.br.reset(r, size)
	d.br.seek(d.meta.pos >> 3)
	d.br.readBits(uint(d.meta.pos & 7))
	d.framesStarted = true
}
