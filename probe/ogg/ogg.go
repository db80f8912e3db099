// Package ogg reads Ogg files (RFC 3533) the way the speech-assessment
// server does: through libsndfile 1.2.0 (src/ogg.c, ogg_opus.c,
// ogg_vorbis.c) on libogg 1.3.5, libopus 1.3.1 and libvorbis 1.3.7, as
// python-soundfile drives it (docs/server.md#ogg).
//
// The server opens Ogg-Opus (RFC 7845) and Ogg-Vorbis and nothing else:
// FLAC-in-Ogg and Speex are recognised and refused. It looks only at the
// logical stream the file begins with. A page whose checksum fails is
// skipped silently; the length comes from the granule position of the last
// page, found by reading backwards from the end, so that anything after
// the last complete page makes the length unknown.
//
// ReadHeader reads the first pages and a bounded tail. ReadAll replays the
// server's read loop without decoding audio: libsndfile's page, packet and
// seek logic is reproduced step by step, and decoding is replaced by what
// decides its outcome — the Opus packet structure (RFC 6716 §3), the
// Vorbis block sizes.
package ogg

import (
	"fmt"
	"io"
	"sync/atomic"

	"github.com/audiopreflight/audiopreflight/probe"
)

func init() {
	probe.RegisterFormat(probe.Format{
		Name:       probe.ContainerOgg,
		Magic:      "OggS",
		Order:      probe.OrderOgg,
		ReadHeader: ReadHeader,
		ReadAll:    ReadAll,
	})
}

// Variants of an Ogg file: the codec of its first logical stream.
const (
	VariantOpus    = "opus"
	VariantVorbis  = "vorbis"
	VariantFLAC    = "flac"
	VariantSpeex   = "speex"
	VariantPCM     = "pcm"
	VariantAnnodex = "annodex"
	VariantUnknown = "unknown"
)

// openState is the state libsndfile is in when sf_open returns.
type openState struct {
	file   *oggFile
	opus   *opusStream
	vorbis *vorbisStream
}

// detail is what ReadHeader hands to ReadAll: the open state, which the
// first ReadAll takes over (a later one opens the file again).
type detail struct {
	state atomic.Pointer[openState]
	// res is the first ReadAll's result, allocated with the Info
	res      probe.ReadResult
	resTaken atomic.Bool
}

// result is a ReadResult for ReadAll to fill: the one allocated with the
// Info the first time, a new one after.
func (d *detail) result() *probe.ReadResult {
	if d.resTaken.CompareAndSwap(false, true) {
		return &d.res
	}
	return new(probe.ReadResult)
}

func formatErr(off int64, msg string) error {
	return &probe.FormatError{Format: probe.ContainerOgg, Off: off, Msg: msg}
}

// header is what ReadHeader hands out, allocated in one piece: the Info,
// what it keeps for ReadAll, and room for the part that names the first
// stream.
type header struct {
	info  probe.Info
	d     detail
	parts [1]probe.Part
}

// ReadHeader says what libsndfile sees when it opens an Ogg file.
func ReadHeader(r io.ReaderAt, size int64) (*probe.Info, error) {
	h := &header{}
	info, st, err := openInto(h, r, size, maxSpans)
	if st != nil {
		h.d.state.Store(st)
		info.Detail, info.Held = &h.d, &h.d
	}
	return info, err
}

// open runs libsndfile's sf_open over an Ogg file: what it sees, and the
// state it is left in when it opens the file.
func open(r io.ReaderAt, size int64, spans int) (*probe.Info, *openState, error) {
	return openInto(&header{}, r, size, spans)
}

func openInto(h *header, r io.ReaderAt, size int64, spans int) (*probe.Info, *openState, error) {
	info := &h.info
	*info = probe.Info{Container: probe.ContainerOgg, Variant: VariantUnknown}
	if size < 12 {
		// libsndfile cannot even read the 12 bytes it identifies files by.
		return info, nil, io.ErrUnexpectedEOF
	}
	fs := newFileState(r, size, spans)
	st, err := openCodec(&fs.file, info, h.parts[:0])
	if st == nil {
		fs.free()
	} else if !fs.cache.holdsAll() {
		// Of a larger file, keep no block: the full read starts elsewhere.
		fs.cache.release()
	}
	return info, st, err
}

// Release is what probe.Release does with what ReadHeader kept: the state
// goes back to the pool, and a later ReadAll opens the file again.
func (d *detail) Release() {
	if st := d.state.Swap(nil); st != nil {
		st.file.home.free()
	}
}

// openCodec opens the first stream; its part goes into room, then into
// info.
func openCodec(f *oggFile, info *probe.Info, room []probe.Part) (*openState, error) {
	if err := f.readFirstPage(); err != nil {
		return nil, formatErr(f.opage.off, err.reason)
	}
	if !f.opage.valid() {
		return nil, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: "no Ogg page starts within the first 4096 bytes"}
	}
	codec := classify(f.opage.body())
	info.Parts = append(room, probe.Part{Kind: "stream", ID: codecName(codec), Offset: f.opage.off, Size: int64(f.opage.size()), Serial: uint32(f.opage.serial())})
	switch codec {
	case codecOpus:
		return readOpusHeader(f, info)
	case codecVorbis:
		return readVorbisHeader(f, info)
	case codecFLAC:
		info.Variant, info.Codec = VariantFLAC, "flac"
		// libsndfile hands FLAC-in-Ogg to its native FLAC reader, which
		// expects "fLaC" at the start of the file and gives up.
		return nil, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: "FLAC in Ogg"}
	case codecSpeex:
		info.Variant, info.Codec = VariantSpeex, "speex"
		return nil, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: "Speex in Ogg"}
	case codecPCM:
		info.Variant, info.Codec = VariantPCM, "pcm"
		return nil, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: "PCM in Ogg"}
	case codecAnnodex:
		info.Variant = VariantAnnodex
		return nil, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: "Annodex in Ogg"}
	}
	return nil, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: fmt.Sprintf("unknown codec in the first Ogg stream (%q)", printable(f.opage.body(), 8))}
}

func codecName(c string) string {
	if c == "" {
		return VariantUnknown
	}
	return c
}

func printable(b []byte, n int) string {
	b = b[:min(len(b), n)]
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '.'
		}
		out[i] = c
	}
	return string(out)
}

func readOpusHeader(f *oggFile, info *probe.Info) (*openState, error) {
	info.Variant, info.Codec = VariantOpus, "opus"
	o, err := openOpus(f)
	h := &o.head
	if o.headOK {
		// Worth showing even when the file does not open.
		info.Channels = int(h.channels)
		info.InputSampleRate = int(h.inputRate)
		info.SampleRate = 48000 / opusRateFactor(h.inputRate)
	}
	if err != nil {
		return nil, formatErr(f.sync.tell(), err.reason)
	}
	if o.frames < 0 {
		return nil, formatErr(0, fmt.Sprintf("granule positions give a negative length (%d)", o.frames))
	}
	info.Opens = true
	info.SndfileFormat, info.SndfileSubtype = "OGG", "OPUS"
	info.SampleRate = o.rate
	info.Channels = o.channels
	setLength(info, o.frames)
	if o.lostFrames > 0 && !info.LengthUnknown {
		info.FramesHeld = o.frames + o.lostFrames
	}
	if h.inputRate != 16000 && o.rate == 16000 {
		info.Warnings = append(info.Warnings, fmt.Sprintf("the Opus input sample rate is %d Hz, not 16000 Hz; the server reads it as 16000 Hz", h.inputRate))
	}
	info.Warnings = append(info.Warnings, f.openDamage()...)
	info.Warnings = append(info.Warnings, tailWarnings(f, o.tailFound, o.tailEOS, o.tailEnd, true)...)
	info.Warnings = append(info.Warnings, otherStreamsWarning(f)...)
	info.Parts = appendOthers(info.Parts, f)
	f.home.open = openState{file: f, opus: o}
	return &f.home.open, nil
}

func setLength(info *probe.Info, frames int64) {
	if frames == sfCountMax {
		info.LengthUnknown = true
		return
	}
	info.Frames = frames
}

func tailWarnings(f *oggFile, found, eos bool, end int64, opus bool) []string {
	var w []string
	if !found {
		w = append(w, "the end of the file is not a complete Ogg page of the stream, so the server cannot tell its length")
		return w
	}
	if !eos {
		if opus {
			w = append(w, "the last Ogg page has no end-of-stream flag")
		} else {
			w = append(w, "the last Ogg page has no end-of-stream flag (the server tolerates it for Vorbis)")
		}
	}
	if end < f.size {
		w = append(w, fmt.Sprintf("%d bytes of other streams after the stream's last page", f.size-end))
	}
	return w
}

// otherStreamsWarning says when the file holds logical streams the server
// does not read.
func otherStreamsWarning(f *oggFile) []string {
	if len(f.others) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("the file holds %d other logical stream(s); the server reads only the first one (serial %d)", len(f.others), uint32(f.os.serial))}
}

func appendOthers(parts []probe.Part, f *oggFile) []probe.Part {
	for _, o := range f.others {
		parts = append(parts, probe.Part{Kind: "stream", ID: codecName(o.codec), Offset: o.off, Serial: uint32(o.serial), Note: "ignored by the server"})
	}
	return parts
}

// ReadAll replays the server's read loop over a file ReadHeader opened.
func ReadAll(r io.ReaderAt, size int64, info *probe.Info) (*probe.ReadResult, error) {
	d, ok := info.Detail.(*detail)
	if !ok || d == nil {
		return nil, fmt.Errorf("ogg: no header state to read from")
	}
	st := d.state.Swap(nil)
	if st == nil {
		// Read before: open again.
		var err error
		if _, st, err = open(r, size, maxSpans); st == nil {
			return nil, fmt.Errorf("ogg: the file no longer opens: %v", err)
		}
	}
	defer st.file.home.free()
	return readFrom(st, r, d.result())
}

// readFrom runs the read loop from the state the open left, into res.
func readFrom(st *openState, r io.ReaderAt, res *probe.ReadResult) (*probe.ReadResult, error) {
	f := st.file
	f.sync.rebind(r)
	// Count junk afresh: the header reads passed over the file's end, and
	// the read loop passes over everything in order. Bad pages and gaps
	// are kept by offset, so those the open met count once.
	f.sync.stats.reach, f.sync.stats.junkBytes = 0, 0
	var out readOutcome
	switch {
	case st.opus != nil:
		out = readLoop(f, st.opus, st.opus.frames, st.opus.channels)
	case st.vorbis != nil:
		out = readLoop(f, st.vorbis, st.vorbis.frames, st.vorbis.channels)
	default:
		return nil, fmt.Errorf("ogg: no codec state to read from")
	}
	*res = probe.ReadResult{FramesRead: out.framesRead, FramesSkipped: f.skipped}
	if out.err != nil {
		res.ReadError = out.err.reason
	}
	res.Warnings = damageWarnings(f, f.openBad, f.holes-f.openHoles, true)
	return res, nil
}

// openDamage is what the open met of the damage damageWarnings describe
// (pages lost before the first audio page libsndfile decodes, bad pages
// after the last one it measured the length to), for the header's
// warnings; the full read reports only what the open did not meet.
func (f *oggFile) openDamage() []string {
	f.openBad, f.openHoles = len(f.sync.stats.bad), f.holes
	return damageWarnings(f, 0, f.holes, false)
}

// damageWarnings say why audio is lost: pages that fail their checksum
// (those recorded from the fromBad-th on), gaps in the page sequence, and
// with junk, bytes that are not pages (counted by the full read only). How
// much is lost is probe.Unscored's to say.
func damageWarnings(f *oggFile, fromBad, holes int, junk bool) []string {
	var w []string
	stats := f.sync.stats
	switch n, first := stats.badPages(fromBad); {
	case n == 1:
		w = append(w, fmt.Sprintf("the Ogg page at 0x%x fails its checksum: the API skips it", first))
	case n > 1:
		w = append(w, fmt.Sprintf("%d Ogg pages fail their checksum (the first at 0x%x): the API skips them", n, first))
	}
	if junk && stats.junkBytes > 0 {
		w = append(w, fmt.Sprintf("%d bytes between Ogg pages are not pages (the first at 0x%x)", stats.junkBytes, stats.firstJunk))
	}
	switch {
	case holes == 1:
		w = append(w, "a page is missing from the Ogg page sequence")
	case holes > 1:
		w = append(w, fmt.Sprintf("%d gaps in the Ogg page sequence: pages are missing", holes))
	}
	return w
}
