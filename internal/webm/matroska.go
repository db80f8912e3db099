// Package webm reads the audio packets of a WebM or Matroska file
// (RFC 9559, EBML RFC 8794) as they are stored, for remuxing: the tracks,
// and the frames of one track in file order with their timestamps,
// durations and discard padding. It decodes nothing.
//
// Both file layouts are read in one pass with bounded memory: a file
// written for seeking (known sizes, Cues, a Duration) and a live
// recording as a browser's MediaRecorder writes it (a Segment and
// Clusters of unknown size, SimpleBlocks only, no Cues, no Duration).
// Every size is checked against what contains it before it is used.
package webm

import (
	"fmt"
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Element IDs (RFC 9559 §5).
const (
	idEBML               = 0x1A45DFA3
	idEBMLVersion        = 0x4286
	idEBMLReadVersion    = 0x42F7
	idEBMLMaxIDLength    = 0x42F2
	idEBMLMaxSizeLength  = 0x42F3
	idDocType            = 0x4282
	idDocTypeVersion     = 0x4287
	idDocTypeReadVersion = 0x4285

	idSegment          = 0x18538067
	idSeekHead         = 0x114D9B74
	idInfo             = 0x1549A966
	idTimestampScale   = 0x2AD7B1
	idDuration         = 0x4489
	idMuxingApp        = 0x4D80
	idWritingApp       = 0x5741
	idTracks           = 0x1654AE6B
	idTrackEntry       = 0xAE
	idTrackNumber      = 0xD7
	idTrackUID         = 0x73C5
	idTrackType        = 0x83
	idFlagEnabled      = 0xB9
	idCodecID          = 0x86
	idCodecPrivate     = 0x63A2
	idCodecDelay       = 0x56AA
	idSeekPreRoll      = 0x56BB
	idAudio            = 0xE1
	idSamplingFreq     = 0xB5
	idChannels         = 0x9F
	idContentEncodings = 0x6D80
	idCluster          = 0x1F43B675
	idTimestamp        = 0xE7
	idSimpleBlock      = 0xA3
	idBlockGroup       = 0xA0
	idBlock            = 0xA1
	idBlockDuration    = 0x9B
	idDiscardPadding   = 0x75A2
	idCues             = 0x1C53BB6B
	idChapters         = 0x1043A770
	idTags             = 0x1254C367
	idAttachments      = 0x1941A469
	idVoid             = 0xEC
	idCRC32            = 0xBF
)

// TrackTypeAudio is the TrackType of audio tracks.
const TrackTypeAudio = 2

// Track is one TrackEntry.
type Track struct {
	Number       uint64
	UID          uint64
	Type         uint64
	Enabled      bool
	CodecID      string // "A_OPUS", "A_VORBIS", "V_VP8", ...
	CodecPrivate []byte
	// CodecDelay and SeekPreRoll are in nanoseconds; HasCodecDelay tells
	// whether the element is present.
	CodecDelay    uint64
	HasCodecDelay bool
	SeekPreRoll   uint64
	SampleRate    float64
	Channels      uint64
	// Encoded is set when the track has ContentEncodings: its frames are
	// compressed or encrypted as stored.
	Encoded bool
}

// File is a WebM or Matroska file's header: what comes before the first
// Cluster.
type File struct {
	DocType string // "webm" or "matroska"
	// TimestampScale is the length of a timestamp tick in nanoseconds.
	TimestampScale uint64
	// Duration is the segment's duration in ticks, 0 when absent (live
	// recordings have none).
	Duration   float64
	MuxingApp  string
	WritingApp string
	Tracks     []Track
	// LiveLayout is set when the Segment's size is unknown, as in a live
	// recording.
	LiveLayout bool
	// Truncated is set when the Segment claims more bytes than the input
	// holds.
	Truncated bool

	r            io.ReaderAt
	size         int64
	segEnd       int64
	firstCluster int64 // -1: no Cluster
}

// maxHeaderElement bounds the master elements read whole before the
// Clusters: Info and Tracks are a few hundred bytes in practice.
const maxHeaderElement = 16 << 20

// Open reads the EBML header, the Segment's Info and Tracks, and stops at
// the first Cluster. SeekHead, Cues, Tags, Chapters and the like are
// skipped.
func Open(r io.ReaderAt, size int64) (*File, error) {
	rd := newReader(r, size)
	f := &File{TimestampScale: 1000000, r: r, size: size, firstCluster: -1}
	if err := f.readEBMLHeader(rd); err != nil {
		return nil, eofIsUnexpected(err)
	}
	seg, err := f.findSegment(rd)
	if err != nil {
		return nil, eofIsUnexpected(err)
	}
	f.segEnd = seg.end(size)
	if seg.size == unknownSize {
		f.LiveLayout = true
	} else if f.segEnd > size {
		f.Truncated = true
		f.segEnd = size
	}
	if err := f.readSegmentHead(rd); err != nil {
		return nil, eofIsUnexpected(err)
	}
	if len(f.Tracks) == 0 {
		return nil, formatError(seg.off, "no Tracks before the first Cluster")
	}
	return f, nil
}

func eofIsUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (f *File) readEBMLHeader(rd *reader) error {
	e, err := rd.next()
	if err != nil {
		return err
	}
	if e.id != idEBML {
		return &probe.FormatError{Format: "webm", Off: 0, Msg: "no EBML header"}
	}
	if err := e.within(f.size, false); err != nil {
		return err
	}
	if e.size > maxScalar {
		return formatError(e.off, "EBML header of %d bytes", e.size)
	}
	end := e.end(f.size)
	for rd.pos < end {
		c, err := rd.next()
		if err != nil {
			return err
		}
		if err := c.within(end, false); err != nil {
			return err
		}
		var v uint64
		switch c.id {
		case idDocType:
			f.DocType, err = rd.string(c)
		case idEBMLReadVersion:
			if v, err = rd.uint(c); err == nil && v > 1 {
				err = &probe.UnsupportedError{Format: "webm", Msg: fmt.Sprintf("EBML read version %d", v)}
			}
		case idEBMLMaxIDLength:
			if v, err = rd.uint(c); err == nil && v > 4 {
				err = &probe.UnsupportedError{Format: "webm", Msg: fmt.Sprintf("EBML IDs of up to %d bytes", v)}
			}
		case idEBMLMaxSizeLength:
			if v, err = rd.uint(c); err == nil && v > 8 {
				err = &probe.UnsupportedError{Format: "webm", Msg: fmt.Sprintf("EBML sizes of up to %d bytes", v)}
			}
		default:
			rd.skip(c)
		}
		if err != nil {
			return err
		}
	}
	if f.DocType != "webm" && f.DocType != "matroska" {
		return &probe.UnsupportedError{Format: "webm", Msg: fmt.Sprintf("EBML document type %q (not webm or matroska)", f.DocType)}
	}
	rd.pos = end
	return nil
}

// findSegment skips Void elements up to the Segment.
func (f *File) findSegment(rd *reader) (element, error) {
	for {
		e, err := rd.next()
		if err != nil {
			if err == io.EOF {
				return e, formatError(rd.pos, "no Segment")
			}
			return e, err
		}
		if e.id == idSegment {
			if e.size != unknownSize && e.size > f.size-e.body {
				return e, nil // cut short: read what is there
			}
			return e, e.within(f.size, true)
		}
		if e.id != idVoid && e.id != idCRC32 {
			return e, formatError(e.off, "element 0x%X where the Segment should be", e.id)
		}
		if err := e.within(f.size, false); err != nil {
			return e, err
		}
		rd.skip(e)
	}
}

// readSegmentHead reads the Segment's children up to the first Cluster.
func (f *File) readSegmentHead(rd *reader) error {
	for rd.pos < f.segEnd {
		e, err := rd.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if e.id == idCluster {
			f.firstCluster = e.off
			return nil
		}
		if err := e.within(f.segEnd, false); err != nil {
			return err
		}
		switch e.id {
		case idInfo:
			err = f.readInfo(rd, e)
		case idTracks:
			err = f.readTracks(rd, e)
		default:
			rd.skip(e)
		}
		if err != nil {
			return err
		}
		rd.pos = e.end(f.segEnd)
	}
	return nil
}

// children calls fn for each child of the master element e, which must
// have a known size; fn reads or skips the child's body.
func children(rd *reader, e element, fn func(c element) error) error {
	if e.size > maxHeaderElement {
		return formatError(e.off, "element 0x%X of %d bytes", e.id, e.size)
	}
	end := e.end(0)
	rd.pos = e.body
	for rd.pos < end {
		c, err := rd.next()
		if err != nil {
			return eofIsUnexpected(err)
		}
		if err := c.within(end, false); err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
		rd.pos = c.end(end)
	}
	return nil
}

func (f *File) readInfo(rd *reader, e element) error {
	return children(rd, e, func(c element) (err error) {
		switch c.id {
		case idTimestampScale:
			f.TimestampScale, err = rd.uint(c)
			if err == nil && f.TimestampScale == 0 {
				err = formatError(c.off, "TimestampScale of 0")
			}
		case idDuration:
			f.Duration, err = rd.float(c)
		case idMuxingApp:
			f.MuxingApp, err = rd.string(c)
		case idWritingApp:
			f.WritingApp, err = rd.string(c)
		}
		return err
	})
}

// maxTracks bounds the TrackEntries kept.
const maxTracks = 128

func (f *File) readTracks(rd *reader, e element) error {
	return children(rd, e, func(c element) error {
		if c.id != idTrackEntry {
			return nil
		}
		if len(f.Tracks) == maxTracks {
			return formatError(c.off, "more than %d tracks", maxTracks)
		}
		t := Track{Enabled: true}
		err := children(rd, c, func(g element) (err error) {
			var v uint64
			switch g.id {
			case idTrackNumber:
				t.Number, err = rd.uint(g)
			case idTrackUID:
				t.UID, err = rd.uint(g)
			case idTrackType:
				t.Type, err = rd.uint(g)
			case idFlagEnabled:
				v, err = rd.uint(g)
				t.Enabled = v != 0
			case idCodecID:
				t.CodecID, err = rd.string(g)
			case idCodecPrivate:
				t.CodecPrivate, err = rd.bytes(g, maxScalar)
			case idCodecDelay:
				t.CodecDelay, err = rd.uint(g)
				t.HasCodecDelay = true
			case idSeekPreRoll:
				t.SeekPreRoll, err = rd.uint(g)
			case idContentEncodings:
				t.Encoded = true
			case idAudio:
				err = children(rd, g, func(a element) (err error) {
					switch a.id {
					case idSamplingFreq:
						t.SampleRate, err = rd.float(a)
					case idChannels:
						t.Channels, err = rd.uint(a)
					}
					return err
				})
			}
			return err
		})
		if err != nil {
			return err
		}
		if t.Number == 0 {
			return formatError(c.off, "TrackEntry without a TrackNumber")
		}
		f.Tracks = append(f.Tracks, t)
		return nil
	})
}
