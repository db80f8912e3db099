// Package webmtest builds WebM and Matroska files byte by byte for tests:
// EBML elements, and whole recordings laid out the way Chromium's
// MediaRecorder and ffmpeg's Matroska muxer write them.
package webmtest

import (
	"encoding/binary"
	"math"
)

// Element IDs used by the builders (RFC 9559).
const (
	IDEBML            = 0x1A45DFA3
	IDSegment         = 0x18538067
	IDSeekHead        = 0x114D9B74
	IDInfo            = 0x1549A966
	IDTracks          = 0x1654AE6B
	IDTrackEntry      = 0xAE
	IDCluster         = 0x1F43B675
	IDTimestamp       = 0xE7
	IDSimpleBlock     = 0xA3
	IDBlockGroup      = 0xA0
	IDBlock           = 0xA1
	IDBlockDuration   = 0x9B
	IDDiscardPadding  = 0x75A2
	IDCues            = 0x1C53BB6B
	IDTags            = 0x1254C367
	IDVoid            = 0xEC
	IDCodecPrivate    = 0x63A2
	IDCodecDelay      = 0x56AA
	IDContentEncoding = 0x6D80
)

// id writes an element ID (its bytes keep the length marker).
func id(v uint32) []byte {
	switch {
	case v >= 1<<24:
		return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
	case v >= 1<<16:
		return []byte{byte(v >> 16), byte(v >> 8), byte(v)}
	case v >= 1<<8:
		return []byte{byte(v >> 8), byte(v)}
	}
	return []byte{byte(v)}
}

// Size writes n as an EBML size of the smallest length.
func Size(n int) []byte {
	for l := 1; l <= 8; l++ {
		if uint64(n) < 1<<(7*l)-1 {
			b := make([]byte, l)
			v := uint64(n) | 1<<(7*l)
			for i := l - 1; i >= 0; i-- {
				b[i] = byte(v)
				v >>= 8
			}
			return b
		}
	}
	panic("size too large")
}

// UnknownSize is the 8-byte all-ones size libwebm writes for elements
// of unknown size.
var UnknownSize = []byte{0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

func join(parts [][]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// Elem is a master or binary element of known size.
func Elem(eid uint32, body ...[]byte) []byte {
	b := join(body)
	return append(append(id(eid), Size(len(b))...), b...)
}

// Unknown is a master element of unknown size followed by its children.
func Unknown(eid uint32, body ...[]byte) []byte {
	return append(append(id(eid), UnknownSize...), join(body)...)
}

// Uint is an unsigned integer element of the smallest length.
func Uint(eid uint32, v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	i := 0
	for i < 7 && b[i] == 0 {
		i++
	}
	return Elem(eid, b[i:])
}

// Int is a signed integer element of 8 bytes.
func Int(eid uint32, v int64) []byte {
	return Elem(eid, binary.BigEndian.AppendUint64(nil, uint64(v)))
}

// Float32 is a 4-byte float element.
func Float32(eid uint32, v float32) []byte {
	return Elem(eid, binary.BigEndian.AppendUint32(nil, math.Float32bits(v)))
}

// Float64 is an 8-byte float element.
func Float64(eid uint32, v float64) []byte {
	return Elem(eid, binary.BigEndian.AppendUint64(nil, math.Float64bits(v)))
}

// Str is a string element.
func Str(eid uint32, s string) []byte { return Elem(eid, []byte(s)) }

// BlockBody is a (Simple)Block's body: track number, relative timestamp,
// flags, then the frames (already laced when flags say so).
func BlockBody(track uint64, rel int16, flags byte, data []byte) []byte {
	b := append(Size(int(track)), byte(uint16(rel)>>8), byte(rel), flags)
	return append(b, data...)
}

// SimpleBlock is a key-frame SimpleBlock, as Chromium writes every audio
// frame.
func SimpleBlock(track uint64, rel int16, data []byte) []byte {
	return Elem(IDSimpleBlock, BlockBody(track, rel, 0x80, data))
}

// EBMLHeader is the EBML header Chromium and ffmpeg write for docType.
func EBMLHeader(docType string) []byte {
	return Elem(IDEBML,
		Uint(0x4286, 1), Uint(0x42F7, 1), Uint(0x42F2, 4), Uint(0x42F3, 8),
		Str(0x4282, docType), Uint(0x4287, 4), Uint(0x4285, 2))
}

// OpusHead is the CodecPrivate Chromium writes: version 1, pre-skip 0,
// the capture rate, gain 0, mapping family 0.
func OpusHead(channels int, preskip uint16, rate uint32) []byte {
	b := []byte("OpusHead")
	b = append(b, 1, byte(channels))
	b = binary.LittleEndian.AppendUint16(b, preskip)
	b = binary.LittleEndian.AppendUint32(b, rate)
	return append(b, 0, 0, 0)
}

// AudioTrack is a TrackEntry for an Opus track, in Chromium's element
// order. extra elements go at its end.
func AudioTrack(number uint64, uid uint64, channels int, codecPrivate []byte, extra ...[]byte) []byte {
	parts := [][]byte{
		Uint(0xD7, number), Uint(0x73C5, uid), Uint(0x83, 2), Str(0x86, "A_OPUS"),
		Elem(IDCodecPrivate, codecPrivate),
		Elem(0xE1, Float32(0xB5, 48000), Uint(0x9F, uint64(channels)), Uint(0x6264, 32)),
	}
	return Elem(IDTrackEntry, append(parts, extra...)...)
}

// Recording describes a MediaRecorder recording to lay out.
type Recording struct {
	Channels int
	// Packets are the Opus packets, one per SimpleBlock.
	Packets [][]byte
	// PacketMS is how long each packet plays (Chromium encodes 60 ms).
	PacketMS int
	// Jitter is added to each block's timestamp, in ms, as the capture
	// clock does; nil for none.
	Jitter func(i int) int
	// ClusterMS starts a new Cluster every so many ms (the recorder's
	// timeslice); 0 starts one only when the relative timestamp would
	// overflow, as libwebm does.
	ClusterMS int
	// Video adds a VP8 track before the audio track, with a key frame
	// every 40 ms, as a camera recording has.
	Video bool
}

// Chrome lays out a recording as Chromium's MediaRecorder writes it with a
// timeslice (libwebm's live mode): EBML header (webm, version 4, read
// version 2); a Segment of unknown size holding Info (TimestampScale 1 ms,
// MuxingApp and WritingApp "Chrome"), Tracks (the Opus track with its
// OpusHead as CodecPrivate, pre-skip 0, and Audio with SamplingFrequency
// 48000 as a float32, Channels, BitDepth 32), then Clusters of unknown size
// each starting with its Timestamp, holding SimpleBlocks flagged key frame,
// timestamps in ms from the capture clock; no SeekHead, Cues, Duration,
// CodecDelay or DiscardPadding.
func Chrome(r Recording) []byte {
	audioTrack := uint64(1)
	tracks := [][]byte{}
	if r.Video {
		audioTrack = 2
		tracks = append(tracks, Elem(IDTrackEntry, Uint(0xD7, 1), Uint(0x73C5, 0x3344), Uint(0x83, 1), Str(0x86, "V_VP8"),
			Elem(0xE0, Uint(0xB0, 32), Uint(0xBA, 32))))
	}
	tracks = append(tracks, AudioTrack(audioTrack, 0x57c5fd7592468d, r.Channels, OpusHead(r.Channels, 0, 48000)))
	out := EBMLHeader("webm")
	out = append(out, id(IDSegment)...)
	out = append(out, UnknownSize...)
	out = append(out, Elem(IDInfo, Uint(0x2AD7B1, 1000000), Str(0x4D80, "Chrome"), Str(0x5741, "Chrome"))...)
	out = append(out, Elem(IDTracks, tracks...)...)

	packetMS := r.PacketMS
	if packetMS == 0 {
		packetMS = 60
	}
	clusterStart := -1
	nextVideo := 0
	for i, p := range r.Packets {
		ts := i * packetMS
		if r.Jitter != nil {
			ts = max(ts+r.Jitter(i), 0)
		}
		if clusterStart < 0 || (r.ClusterMS > 0 && ts-clusterStart >= r.ClusterMS) || ts-clusterStart > 32767 {
			clusterStart = ts
			out = append(out, id(IDCluster)...)
			out = append(out, UnknownSize...)
			out = append(out, Uint(IDTimestamp, uint64(ts))...)
		}
		for r.Video && nextVideo <= ts {
			out = append(out, Elem(IDSimpleBlock, BlockBody(1, int16(nextVideo-clusterStart), 0x80, []byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a}))...)
			nextVideo += 40
		}
		out = append(out, SimpleBlock(audioTrack, int16(ts-clusterStart), p)...)
	}
	return out
}

// FFmpeg lays out packets as ffmpeg's Matroska muxer writes libopus
// output to a file: known sizes, a SeekHead and Void, Info with a
// Duration, the track with CodecDelay and SeekPreRoll, Clusters of known
// size of up to 5 s, SimpleBlocks but for the last packet, which is a
// BlockGroup with DiscardPadding when trimNS is positive, and Cues.
func FFmpeg(docType string, channels int, preskip uint16, packets [][]byte, packetMS int, trimNS int64) []byte {
	head := OpusHead(channels, preskip, 48000)
	delayNS := uint64(preskip) * 1e9 / 48000
	track := AudioTrack(1, 0xabcdef, channels, head, Uint(IDCodecDelay, delayNS), Uint(0x56BB, 80000000))
	var clusters []byte
	var blocks [][]byte
	clusterStart := 0
	flush := func() {
		if len(blocks) > 0 {
			clusters = append(clusters, Elem(IDCluster, append([][]byte{Uint(IDTimestamp, uint64(clusterStart))}, blocks...)...)...)
		}
		blocks = nil
	}
	for i, p := range packets {
		ts := i * packetMS
		if ts-clusterStart >= 5000 {
			flush()
			clusterStart = ts
		}
		rel := int16(ts - clusterStart)
		if i == len(packets)-1 && trimNS > 0 {
			blocks = append(blocks, Elem(IDBlockGroup, Elem(IDBlock, BlockBody(1, rel, 0, p)), Int(IDDiscardPadding, trimNS)))
		} else {
			blocks = append(blocks, SimpleBlock(1, rel, p))
		}
	}
	flush()
	durationMS := float64(len(packets)*packetMS) - float64(trimNS)/1e6
	segment := [][]byte{
		Elem(IDSeekHead, Elem(0x4DBB, Elem(0x53AB, id(IDInfo)), Uint(0x53AC, 0x40))),
		Elem(IDVoid, make([]byte, 20)),
		Elem(IDInfo, Uint(0x2AD7B1, 1000000), Str(0x4D80, "Lavf61.7.100"), Str(0x5741, "Lavf61.7.100"), Float64(0x4489, durationMS)),
		Elem(IDTracks, track),
		Elem(IDTags, Elem(0x7373, Elem(0x67C8, Str(0x45A3, "ENCODER"), Str(0x4487, "Lavf61.7.100")))),
		clusters,
		Elem(IDCues, Elem(0xBB, Uint(0xB3, 0), Elem(0xB7, Uint(0xF7, 1), Uint(0xF1, 0)))),
	}
	return append(EBMLHeader(docType), Elem(IDSegment, segment...)...)
}
