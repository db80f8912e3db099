package opusremux

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/oggmux"
	"github.com/audiopreflight/audiopreflight/internal/opus"
	"github.com/audiopreflight/audiopreflight/internal/webm"
	"github.com/audiopreflight/audiopreflight/probe"
)

// WebM and Matroska carry Opus as the Opus mapping for Matroska does: the
// OpusHead in CodecPrivate, one packet per frame, the pre-skip also as
// CodecDelay (nanoseconds), and end trimming as the last block's
// DiscardPadding or a BlockDuration shorter than its packet. Ogg-Opus
// (RFC 7845) says the same with granule positions: each page's granule
// position counts the samples (at 48 kHz, pre-skip included) of every
// packet that ends on or before it, and the last page's may be smaller
// than that count to trim the end.
//
// Granule positions are counted from the packets' own durations (their TOC
// bytes), not taken from the block timestamps: a browser stamps blocks
// with its capture clock, which jitters by tens of milliseconds around
// the audio actually coded, while decoders play the packets back to back.
// The timestamps are only compared with that count, and a gap is reported.

// OpusCodecID is the Matroska codec ID of Opus.
const OpusCodecID = "A_OPUS"

// NoOpusTrackError says that a WebM or Matroska file has no Opus audio.
type NoOpusTrackError struct {
	Codecs []string // the audio tracks' codec IDs
}

func (e *NoOpusTrackError) Error() string {
	if len(e.Codecs) == 0 {
		return "webm: no audio track"
	}
	return "webm: no Opus audio track (audio is " + strings.Join(e.Codecs, ", ") + ")"
}

// OpusTrack picks the track to remux: the first enabled audio track coded
// with Opus.
func OpusTrack(f *webm.File) (*webm.Track, error) {
	var codecs []string
	for i := range f.Tracks {
		t := &f.Tracks[i]
		if t.Type != webm.TrackTypeAudio {
			continue
		}
		if t.CodecID == OpusCodecID && t.Enabled {
			return t, nil
		}
		codecs = append(codecs, t.CodecID)
	}
	return nil, &NoOpusTrackError{Codecs: codecs}
}

// gapNoteThreshold is how far block timestamps may run from the packets'
// durations (capture clock jitter) before a remux reports it.
const gapNoteThreshold = 100 // ms

// nsToSamples converts nanoseconds to samples at 48 kHz, rounded.
func nsToSamples(ns float64) int64 { return int64(math.Round(ns * opus.SampleRate / 1e9)) }

// FromMatroska writes the Opus track of a WebM or Matroska file to w as
// Ogg-Opus, with the OpusHead the API decodes at 16 kHz into one
// channel (opus.ServerHead). It reads the input once, in order, with
// memory bounded by one block.
func FromMatroska(r io.ReaderAt, size int64, w io.Writer) (*Result, error) {
	f, err := webm.Open(r, size)
	if err != nil {
		return nil, err
	}
	t, err := OpusTrack(f)
	if err != nil {
		return nil, err
	}
	if t.Encoded {
		return nil, &probe.UnsupportedError{Format: "webm", Msg: fmt.Sprintf("track %d is compressed or encrypted as stored (ContentEncodings)", t.Number)}
	}
	res := &Result{}
	head, err := trackHead(t, res)
	if err != nil {
		return nil, err
	}
	nh, changes, err := opus.ServerHead(head)
	if err != nil {
		return nil, err
	}
	res.Head = nh
	res.Changes = append([]string{fmt.Sprintf("%s track %d remuxed into Ogg-Opus", strings.ToUpper(f.DocType), t.Number)}, changes...)

	cw := &countingWriter{w: w}
	ow := oggmux.NewWriter(cw, uint32(t.UID)^uint32(t.UID>>32))
	if err := ow.WriteHeader(nh.Marshal()); err != nil {
		return nil, err
	}
	if err := ow.WriteHeader(opusTags(f)); err != nil {
		return nil, err
	}
	if err := copyPackets(f, t, ow, res); err != nil {
		return nil, err
	}
	if err := ow.Close(); err != nil {
		return nil, err
	}
	if f.Truncated {
		res.Notes = append(res.Notes, "the input is cut short: its last whole block is the end of the audio")
	}
	res.Written = cw.n
	return res, nil
}

// trackHead is the OpusHead of the track, with the pre-skip CodecDelay
// gives when the two disagree (the Matroska element is the one players of
// the input apply).
func trackHead(t *webm.Track, res *Result) (opus.Head, error) {
	if len(t.CodecPrivate) == 0 {
		return opus.Head{}, &probe.FormatError{Format: "webm", Msg: fmt.Sprintf("Opus track %d has no OpusHead (CodecPrivate)", t.Number)}
	}
	h, err := opus.ParseHead(t.CodecPrivate)
	if err != nil {
		return h, fmt.Errorf("track %d CodecPrivate: %w", t.Number, err)
	}
	if t.HasCodecDelay {
		d := nsToSamples(float64(t.CodecDelay))
		if d > math.MaxUint16 {
			return h, &probe.FormatError{Format: "webm", Msg: fmt.Sprintf("track %d CodecDelay of %d ns is longer than an Opus pre-skip can be", t.Number, t.CodecDelay)}
		}
		if uint16(d) != h.PreSkip {
			res.Notes = append(res.Notes, fmt.Sprintf("pre-skip %d samples from CodecDelay (the OpusHead says %d)", d, h.PreSkip))
			h.PreSkip = uint16(d)
		}
	}
	return h, nil
}

// opusTags is the OpusTags packet written (RFC 7845 §5.2): the vendor
// names the remux, and one comment the application that wrote the input.
func opusTags(f *webm.File) []byte {
	b := []byte("OpusTags")
	vendor := "audiopreflight remux"
	b = appendLE32(b, uint32(len(vendor)))
	b = append(b, vendor...)
	var comments []string
	if app := f.WritingApp; app != "" && len(app) < 1024 {
		comments = append(comments, "ENCODER="+app)
	}
	b = appendLE32(b, uint32(len(comments)))
	for _, c := range comments {
		b = appendLE32(b, uint32(len(c)))
		b = append(b, c...)
	}
	return b
}

func appendLE32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

// copyPackets moves the track's packets to ow. One packet is held back so
// that the last one can carry the end trimming.
func copyPackets(f *webm.File, t *webm.Track, ow *oggmux.Writer, res *Result) error {
	fr := f.Frames(t.Number)
	var (
		held, spare []byte
		last        webm.Frame // the held packet's frame
		lastN       int        // and its duration
		granule     int64      // at the end of the packets written
		firstTS     int64
		maxAhead    float64 // how far the timestamps run ahead of the packets, ms
		maxAheadAt  float64
	)
	tick := float64(f.TimestampScale) / 1e6 // ms per timestamp tick
	for {
		fm, err := fr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		n, err := opus.Validate(fm.Data)
		if err != nil {
			return &probe.FormatError{Format: "webm", Off: fm.Offset, Msg: fmt.Sprintf("track %d block: %v", t.Number, err)}
		}
		if res.Packets == 0 {
			firstTS = fm.Timestamp
		} else {
			if last.DiscardPadding != 0 {
				return &probe.UnsupportedError{Format: "webm", Msg: fmt.Sprintf("DiscardPadding on the block at 0x%x, which is not the last: Ogg-Opus can only trim the end of a stream", last.Offset)}
			}
			granule += int64(lastN)
			if err := ow.WritePacket(held, granule, lastN); err != nil {
				return err
			}
		}
		// The packets before this one play res.Samples samples.
		at := float64(fm.Timestamp-firstTS) * tick
		if ahead := at - float64(res.Samples)/48; ahead > maxAhead {
			maxAhead, maxAheadAt = ahead, at
		}
		held, spare = append(spare[:0], fm.Data...), held
		last, lastN = fm, n
		res.Packets++
		res.Samples += int64(n)
	}
	if res.Packets == 0 {
		return &probe.FormatError{Format: "webm", Msg: fmt.Sprintf("Opus track %d has no packets", t.Number)}
	}
	trim, err := endTrim(f, last, lastN)
	if err != nil {
		return err
	}
	res.Trimmed = trim
	granule += int64(lastN) - trim
	if err := ow.WritePacket(held, granule, lastN); err != nil {
		return err
	}
	if firstTS != 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("the track's first block is at %.0f ms; the Ogg stream starts with it", float64(firstTS)*tick))
	}
	if maxAhead > gapNoteThreshold {
		res.Notes = append(res.Notes, fmt.Sprintf("block timestamps run up to %.0f ms ahead of the audio the packets before them hold (at %.1f s): a gap in the recording, which the Ogg stream, like a decoder of the packets, plays without a pause", maxAhead, maxAheadAt/1000))
	}
	return nil
}

// endTrim is how many samples the last packet's end drops: its
// DiscardPadding, or what its BlockDuration leaves out of it.
func endTrim(f *webm.File, last webm.Frame, n int) (int64, error) {
	var trim int64
	switch {
	case last.DiscardPadding < 0:
		return 0, &probe.UnsupportedError{Format: "webm", Msg: fmt.Sprintf("negative DiscardPadding on the block at 0x%x", last.Offset)}
	case last.DiscardPadding > 0:
		trim = nsToSamples(float64(last.DiscardPadding))
	case last.Duration >= 0 && last.BlockFrames == 1:
		d := nsToSamples(float64(last.Duration) * float64(f.TimestampScale))
		if d < int64(n) {
			trim = int64(n) - d
		}
	}
	if trim >= int64(n) {
		return 0, &probe.FormatError{Format: "webm", Off: last.Offset, Msg: fmt.Sprintf("the last block drops %d samples of a packet of %d", trim, n)}
	}
	return trim, nil
}
