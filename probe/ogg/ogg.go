// Package ogg reads Ogg files (RFC 3533) the way the speech-assessment
// server does: through libsndfile 1.2.0 (src/ogg.c, ogg_opus.c,
// ogg_vorbis.c) on libogg 1.3.5, libopus 1.3.1 and libvorbis 1.3.7, as
// python-soundfile drives it (SPEC.md §4).
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

// detail is what ReadHeader hands to ReadAll: the state libsndfile is in
// when sf_open returns.
type detail struct {
	file   *oggFile
	opus   *opusStream
	vorbis *vorbisStream
}

func formatErr(off int64, msg string) error {
	return &probe.FormatError{Format: probe.ContainerOgg, Off: off, Msg: msg}
}

// ReadHeader says what libsndfile sees when it opens an Ogg file.
func ReadHeader(r io.ReaderAt, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: probe.ContainerOgg, Variant: VariantUnknown}
	if size < 12 {
		// libsndfile cannot even read the 12 bytes it identifies files by.
		return info, io.ErrUnexpectedEOF
	}
	f := &oggFile{sync: newSyncReader(r, size), size: size}
	f.sync.stats = &scanStats{}
	defer f.sync.release()

	if err := f.readFirstPage(); err != nil {
		return info, formatErr(f.opage.off, err.reason)
	}
	if !f.opage.valid() {
		return info, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: "no Ogg page starts within the first 4096 bytes"}
	}
	codec := classify(f.opage.body())
	info.Parts = append(info.Parts, probe.Part{Kind: "stream", ID: codecName(codec), Offset: f.opage.off, Size: int64(f.opage.size()), Serial: uint32(f.opage.serial())})
	switch codec {
	case codecOpus:
		return readOpusHeader(f, info)
	case codecVorbis:
		return readVorbisHeader(f, info)
	case codecFLAC:
		info.Variant, info.Codec = VariantFLAC, "flac"
		// libsndfile hands FLAC-in-Ogg to its native FLAC reader, which
		// expects "fLaC" at the start of the file and gives up.
		return info, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: "FLAC in Ogg"}
	case codecSpeex:
		info.Variant, info.Codec = VariantSpeex, "speex"
		return info, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: "Speex in Ogg"}
	case codecPCM:
		info.Variant, info.Codec = VariantPCM, "pcm"
		return info, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: "PCM in Ogg"}
	case codecAnnodex:
		info.Variant = VariantAnnodex
		return info, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: "Annodex in Ogg"}
	}
	return info, &probe.UnsupportedError{Format: probe.ContainerOgg, Msg: fmt.Sprintf("unknown codec in the first Ogg stream (%q)", printable(f.opage.body(), 8))}
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

func readOpusHeader(f *oggFile, info *probe.Info) (*probe.Info, error) {
	info.Variant, info.Codec = VariantOpus, "opus"
	o, err := openOpus(f)
	h := &o.head
	if h.version != 0 || h.channels != 0 {
		info.Channels = int(h.channels)
		info.InputSampleRate = int(h.inputRate)
		info.SampleRate = 48000 / opusRateFactor(h.inputRate)
	}
	if err != nil {
		return info, formatErr(f.sync.tell(), err.reason)
	}
	if o.frames < 0 {
		return info, formatErr(0, fmt.Sprintf("granule positions give a negative length (%d)", o.frames))
	}
	info.Opens = true
	info.SndfileFormat, info.SndfileSubtype = "OGG", "OPUS"
	info.SampleRate = o.rate
	info.Channels = o.channels
	setLength(info, o.frames)
	if h.inputRate != 16000 && o.rate == 16000 {
		info.Warnings = append(info.Warnings, fmt.Sprintf("the Opus input sample rate is %d Hz, not 16000 Hz; the server reads it as 16000 Hz", h.inputRate))
	}
	info.Warnings = append(info.Warnings, tailWarnings(f, o.tailFound, o.tailEOS, o.tailEnd, true)...)
	info.Parts = appendOthers(info.Parts, f)
	f.sync.stats.recordFrom = o.firstAudioPage
	info.Detail = &detail{file: f, opus: o}
	return info, nil
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
	f := d.file.clone(r)
	defer f.sync.release()
	var out readOutcome
	var frames int64
	switch {
	case d.opus != nil:
		o := *d.opus
		o.f = f
		frames = o.frames
		out = readLoop(f, &o, o.frames, o.channels)
	case d.vorbis != nil:
		v := d.vorbis.clone(f)
		frames = v.frames
		out = readLoop(f, v, v.frames, v.channels)
	default:
		return nil, fmt.Errorf("ogg: no codec state to read from")
	}
	res := &probe.ReadResult{FramesRead: out.framesRead}
	if out.err != nil {
		res.ReadError = out.err.reason
	}
	st := f.sync.stats
	if st.badPages > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d Ogg page(s) failed their checksum and were skipped (first at 0x%x): audio silently lost", st.badPages, st.firstBad))
	}
	if st.junkBytes > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d bytes between Ogg pages that are not pages (first at 0x%x)", st.junkBytes, st.firstJunk))
	}
	if f.holes > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d gap(s) in the Ogg page sequence: audio silently lost", f.holes))
	}
	if out.err == nil && out.framesRead != frames {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the server decodes %d frames, the header says %d", out.framesRead, frames))
	}
	return res, nil
}

// clone copies the state sf_open left for a new read over r.
func (f *oggFile) clone(r io.ReaderAt) *oggFile {
	c := *f
	c.sync = f.sync.clone(r)
	c.os = f.os.clone()
	if c.opage.s != nil {
		c.opage.s = c.sync
	}
	c.others = nil
	c.holes = 0
	if c.err != nil {
		e := *c.err
		c.err = &e
	}
	return &c
}
