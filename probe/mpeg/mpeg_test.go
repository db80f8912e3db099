package mpeg

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Headers used below, with their frame sizes (header included) worked out
// by hand from the bitrate tables.
const (
	h44mono128 = 0xfffb90c4 // MPEG-1 L3 128k 44.1k mono: 417 bytes, 418 padded
	h44st128   = 0xfffb9044 // the same, joint stereo
	h44st128s  = 0xfffb9004 // the same, plain stereo
	h48mono128 = 0xfffb94c4 // MPEG-1 L3 128k 48k mono: 384
	h16mono32  = 0xfff348c4 // MPEG-2 L3 32k 16k mono: 144
	h8mono16   = 0xffe328c4 // MPEG-2.5 L3 16k 8k mono: 144
	h48l2st128 = 0xfffd8404 // MPEG-1 L2 128k 48k stereo: 384
	h44l1m128  = 0xffff40c0 // MPEG-1 L1 128k 44.1k mono: 136
)

func TestSniffable(t *testing.T) {
	tests := []struct {
		b    []byte
		want bool
	}{
		{[]byte{0xff, 0xfb, 0x90, 0x44}, true},
		{[]byte{0xff, 0xe3, 0x28, 0xc4}, true},  // MPEG-2.5
		{[]byte{0xff, 0xf1, 0x60, 0x40}, false}, // ADTS: layer 00
		{[]byte{0xff, 0xeb, 0x90, 0x44}, false}, // reserved version
		{[]byte{0xff, 0xfb, 0xf0, 0x44}, false}, // bitrate index 15
		{[]byte{0xff, 0xfb, 0x9c, 0x44}, false}, // rate index 3
		{[]byte{0xff, 0xfb, 0x00, 0x44}, true},  // free format
		{[]byte{0xfe, 0xfb, 0x90, 0x44}, false},
		{[]byte{0xff, 0xfb, 0x90}, false},
		{[]byte("ID3\x03"), false},
	}
	for _, tt := range tests {
		if got := sniffable(tt.b); got != tt.want {
			t.Errorf("sniffable(% x) = %v, want %v", tt.b, got, tt.want)
		}
	}
	// libmpg123 takes the reserved version for MPEG-2.5
	if !plausible(0xffeb9044) {
		t.Error("plausible(reserved version) = false, libmpg123 accepts it")
	}
}

func TestFrameSizes(t *testing.T) {
	tests := []struct {
		h           uint32
		layer, spf  int
		rate, chans int
		size        int // with the header
		v           Version
	}{
		{h44mono128, 3, 1152, 44100, 1, 417, MPEG1},
		{h44mono128 | hdrPadding, 3, 1152, 44100, 1, 418, MPEG1},
		{h48mono128, 3, 1152, 48000, 1, 384, MPEG1},
		{h16mono32, 3, 576, 16000, 1, 144, MPEG2},
		{h8mono16, 3, 576, 8000, 1, 144, MPEG25},
		{h48l2st128, 2, 1152, 48000, 2, 384, MPEG1},
		{h44l1m128, 1, 384, 44100, 1, 136, MPEG1},
		{h44l1m128 | hdrPadding, 1, 384, 44100, 1, 140, MPEG1},
	}
	for _, tt := range tests {
		p := newParser(newSource(bytes.NewReader(nil), 0, 0))
		tries := 0
		if s := p.decodeHeader(tt.h, &tries); s != stepGood {
			t.Errorf("%08x: decode %v", tt.h, s)
			continue
		}
		h := p.hdr
		if h.layer != tt.layer || h.spf != tt.spf || h.rate() != tt.rate || h.channels != tt.chans || h.bodySize+4 != tt.size || h.version() != tt.v {
			t.Errorf("%08x: layer %d spf %d rate %d ch %d size %d %v, want %d %d %d %d %d %v",
				tt.h, h.layer, h.spf, h.rate(), h.channels, h.bodySize+4, h.version(), tt.layer, tt.spf, tt.rate, tt.chans, tt.size, tt.v)
		}
	}
}

func TestCompatible(t *testing.T) {
	tests := []struct {
		a, b uint32
		want bool
	}{
		{h44st128, h44st128s, true},         // joint vs plain stereo
		{h44st128, h44st128 | 0x2000, true}, // other bitrate
		{h44st128, h44st128 | hdrPadding, true},
		{h44st128, h44mono128, false}, // mono vs stereo
		{h44st128, h48mono128 &^ 0xc0, false},
		{h44mono128, h16mono32, false},
		{h48l2st128, h44st128, false}, // layer
	}
	for _, tt := range tests {
		if got := compatible(tt.a, tt.b); got != tt.want {
			t.Errorf("compatible(%08x, %08x) = %v", tt.a, tt.b, got)
		}
	}
}

// frames makes n frames with header h (no padding) and a body of fill.
func frames(h uint32, n int, fill byte) []byte {
	p := newParser(newSource(bytes.NewReader(nil), 0, 0))
	tries := 0
	p.decodeHeader(h, &tries)
	fr := make([]byte, p.hdr.bodySize+4)
	binary.BigEndian.PutUint32(fr, h)
	for i := 4; i < len(fr); i++ {
		fr[i] = fill
	}
	return bytes.Repeat(fr, n)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func id3tag(ver, flags byte, size int) []byte {
	b := []byte{'I', 'D', '3', ver, 0, flags, byte(size >> 21 & 0x7f), byte(size >> 14 & 0x7f), byte(size >> 7 & 0x7f), byte(size & 0x7f)}
	return append(b, make([]byte, size)...)
}

// xingFrame makes an Info frame (MPEG-1 L3 mono 44.1k 128k) for a stream of
// n frames, with a LAME extension giving delay and padding when lame.
func xingFrame(n uint32, lame bool, delay, padding int) []byte {
	fr := frames(h44mono128, 1, 0)
	off := 4 + 17
	copy(fr[off:], "Info")
	binary.BigEndian.PutUint32(fr[off+4:], 1) // frames only
	binary.BigEndian.PutUint32(fr[off+8:], n)
	if lame {
		l := fr[off+12:]
		copy(l, "LAME3.100")
		l[21] = byte(delay >> 4)
		l[22] = byte(delay<<4) | byte(padding>>8)
		l[23] = byte(padding)
	}
	return fr
}

func scan(t *testing.T, b []byte) (*Stream, error) {
	t.Helper()
	return ScanFrames(bytes.NewReader(b), 0, int64(len(b)))
}

// TestScanFrames runs libmpg123's view of hand-built streams. The numbers
// are the reference model's for the same bytes (where libsndfile detects
// them as MPEG; the rest — junk first, a footer flag — are libmpg123 cases
// that only arise behind another detection, as in MPEG-in-WAV).
func TestScanFrames(t *testing.T) {
	clean := frames(h44mono128, 10, 0)
	zeros := func(n int) []byte { return make([]byte, n) }
	tests := []struct {
		name      string
		b         []byte
		openErr   bool
		frames    int64 // sf_info.frames
		unknown   bool
		count     int64 // frames decoded
		samples   int64
		stop      StopReason
		estimated bool
	}{
		// no Xing: length = size / 417 * 1152, truncated
		{name: "clean", b: clean, frames: 11520, count: 10, samples: 11520, stop: StopEnd, estimated: true},
		{name: "one frame", b: frames(h44mono128, 1, 0), openErr: true},
		{name: "frame and a cut one", b: frames(h44mono128, 2, 0)[:600], frames: 1657, count: 1, samples: 1152, stop: StopTruncated, estimated: true},
		{name: "two frames", b: frames(h44mono128, 2, 0), frames: 2304, count: 2, samples: 2304, stop: StopEnd, estimated: true},
		{name: "id3v2 in front", b: cat(id3tag(3, 0, 200), clean), frames: 12100, count: 10, samples: 11520, stop: StopEnd, estimated: true},
		// libmpg123 honours the footer flag (libsndfile does not)
		{name: "id3v2 with footer", b: cat(id3tag(4, 0x10, 200), zeros(10), clean), frames: 12127, count: 10, samples: 11520, stop: StopEnd, estimated: true},
		// junk inside the stream: 1023 bytes resync, 1024 fail
		{name: "1023 zeros", b: cat(clean[:417*5], zeros(1023), clean[417*5:]), frames: 14346, count: 10, samples: 11520, stop: StopEnd, estimated: true},
		{name: "1024 zeros", b: cat(clean[:417*5], zeros(1024), clean[417*5:]), frames: 14348, count: 5, samples: 5760, stop: StopResyncFailed, estimated: true},
		{name: "zeros to the end", b: cat(clean, zeros(5000)), frames: 25332, count: 10, samples: 11520, stop: StopResyncFailed, estimated: true},
		{name: "a few zeros at the end", b: cat(clean, zeros(500)), frames: 12901, count: 10, samples: 11520, stop: StopEnd, estimated: true},
		// a change of rate or channel count ends the stream quietly
		{name: "rate change", b: cat(clean, frames(h48mono128, 5, 0)), frames: 16824, count: 10, samples: 11520, stop: StopFormatChange, estimated: true},
		{name: "mono to stereo", b: cat(clean, frames(h44st128, 5, 0)), frames: 17280, count: 10, samples: 11520, stop: StopFormatChange, estimated: true},
		{name: "bitrate change", b: cat(clean, frames(h44mono128&^0xf000|0x5000, 5, 0)), frames: 14393, count: 15, samples: 17280, stop: StopEnd, estimated: true},
		// Xing/Info: the frame count and the LAME delay and padding
		{name: "info frame", b: cat(xingFrame(10, false, 0, 0), clean), frames: 11520 - 529, count: 10, samples: 11520 - 529, stop: StopTrackLength},
		{name: "info and lame", b: cat(xingFrame(10, true, 576, 1000), clean), frames: 11520 - 576 - 1000, count: 10, samples: 11520 - 576 - 1000, stop: StopTrackLength},
		{name: "info and lame, small padding", b: cat(xingFrame(10, true, 576, 100), clean), frames: 11520 - 576 - 529, count: 10, samples: 11520 - 576 - 529, stop: StopTrackLength},
		{name: "info count reached", b: cat(xingFrame(4, true, 576, 1000), clean), frames: 4608 - 1576, count: 4, samples: 4608 - 1576, stop: StopTrackLength},
		{name: "info count beyond the data", b: cat(xingFrame(100, true, 576, 1000), clean), frames: 115200 - 1576, count: 10, samples: 11520 - 1105, stop: StopEnd},
		// the delay spans frames the count does not have: libmpg123 cannot start
		{name: "info count one, huge delay", b: cat(xingFrame(1, true, 4000, 4000), clean), openErr: true},
		{name: "info count two, delay over a frame", b: cat(xingFrame(2, true, 1200, 0), clean), frames: 575, count: 2, samples: 575, stop: StopTrackLength},
		{name: "info only", b: xingFrame(10, false, 0, 0), openErr: true},
		// free format: the size is the distance to the next header
		{name: "free format", b: bytes.Repeat(cat([]byte{0xff, 0xfb, 0x00, 0xc0}, zeros(496)), 8), frames: 9216, count: 8, samples: 9216, stop: StopEnd, estimated: true},
		// junk before the first frame is searched (libmpg123 allows 64 KiB)
		{name: "junk first", b: cat(zeros(3000), clean), frames: 19807, count: 10, samples: 11520, stop: StopEnd, estimated: true},
		{name: "junk over 64k first", b: cat(zeros(70000), clean), openErr: true},
		// a sync whose frame is not followed by another: one byte on
		{name: "false sync first", b: cat([]byte{0xff, 0xfb, 0x90, 0xc4, 1, 2, 3}, clean), frames: 11539, count: 10, samples: 11520, stop: StopEnd, estimated: true},
		// RIFF header up to "data" and its size is skipped (MPEG in WAV)
		{name: "riff", b: cat([]byte("RIFF\x00\x00\x00\x00WAVEfmt \x04\x00\x00\x00abcddata\x00\x10\x00\x00"), clean), frames: 11608, count: 10, samples: 11520, stop: StopEnd, estimated: true},
	}
	for _, tt := range tests {
		s, err := scan(t, tt.b)
		if tt.openErr {
			if err == nil {
				t.Errorf("%s: opens, want an error", tt.name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if s.LengthUnknown != tt.unknown || (!tt.unknown && s.Frames != tt.frames) || s.FrameCount != tt.count ||
			s.Samples != tt.samples || s.Stop != tt.stop || s.Estimated != tt.estimated {
			t.Errorf("%s: frames %d (unknown %v, estimated %v), %d decoded, %d samples, stop %q;\n want %d (%v, %v), %d, %d, %q",
				tt.name, s.Frames, s.LengthUnknown, s.Estimated, s.FrameCount, s.Samples, s.Stop,
				tt.frames, tt.unknown, tt.estimated, tt.count, tt.samples, tt.stop)
		}
	}
}

func TestReadResult(t *testing.T) {
	tests := []struct {
		name    string
		s       Stream
		read    int64
		failing bool
	}{
		{"clean", Stream{Frames: 1000, Samples: 1000, Stop: StopEnd}, 1000, false},
		{"estimate short", Stream{Frames: 1000, Samples: 900, Stop: StopEnd}, 900, false},
		{"estimate long", Stream{Frames: 1000, Samples: 1200, Stop: StopEnd}, 1000, false},
		// a failing block is not counted: whole blocks of 65536 frames only
		{"error in first block", Stream{Frames: 200000, Samples: 65535, Stop: StopResyncFailed}, 0, true},
		{"error after a block", Stream{Frames: 200000, Samples: 65536, Stop: StopResyncFailed}, 65536, true},
		{"error in third block", Stream{Frames: 200000, Samples: 140000, Stop: StopReadFailed}, 131072, true},
		// the reader never asks past the length: the error is never met
		{"error after the length", Stream{Frames: 5000, Samples: 5000, Stop: StopResyncFailed}, 5000, false},
	}
	for _, tt := range tests {
		r := tt.s.ReadResult()
		if r.FramesRead != tt.read || (r.ReadError != "") != tt.failing {
			t.Errorf("%s: read %d error %q, want %d failing %v", tt.name, r.FramesRead, r.ReadError, tt.read, tt.failing)
		}
	}
}

// TestReadResultHeld: what the read says the stream holds beyond what the
// API reads, for probe.Unscored, and why.
func TestReadResultHeld(t *testing.T) {
	tests := []struct {
		name string
		s    Stream
		held int64
		why  string
	}{
		{"clean", Stream{Frames: 1000, Samples: 1000, Stop: StopEnd}, 0, ""},
		{"estimate short: nothing lost", Stream{Frames: 1000, Samples: 900, Stop: StopEnd, Estimated: true}, 0, ""},
		{"frames past the length", Stream{Frames: 1000, Samples: 1200, Stop: StopEnd}, 1200, "more than the 1000"},
		{"Xing count not reached", Stream{Frames: 1000, Samples: 600, Stop: StopEnd}, 0, "before the 1000 the Xing/Info header counts"},
		{"format change", Stream{Frames: 1000, Samples: 600, Stop: StopFormatChange, Estimated: true, End: 0x40}, 1000, "changes its rate, channels or layer at 0x40"},
	}
	for _, tt := range tests {
		r := tt.s.ReadResult()
		why := strings.Join(r.Warnings, "\n")
		if r.FramesHeld != tt.held || (tt.why == "") != (why == "") || !strings.Contains(why, tt.why) {
			t.Errorf("%s: holds %d, warnings %q; want %d, %q", tt.name, r.FramesHeld, r.Warnings, tt.held, tt.why)
		}
	}
}

func TestXingParse(t *testing.T) {
	b := cat(xingFrame(10, true, 576, 1234), frames(h44mono128, 10, 0))
	s, err := scan(t, b)
	if err != nil {
		t.Fatal(err)
	}
	x := s.Xing
	if x == nil || x.Tag != "Info" || x.Frames != 10 || x.Encoder != "LAME3.100" || x.Delay != 576 || x.Padding != 1234 || x.Offset != 0 {
		t.Fatalf("xing %+v", x)
	}
	if s.FirstFrame != 417 {
		t.Errorf("first frame at %d, want 417", s.FirstFrame)
	}
	// a Xing tag behind a CRC is not found (libmpg123 wants zeros up to it)
	crc := xingFrame(10, true, 576, 1234)
	crc[1] &^= 1
	crc[6] = 1
	s, err = scan(t, cat(crc, frames(h44mono128&^0x10000, 10, 0)))
	if err != nil || s.Xing != nil {
		t.Errorf("xing behind CRC: %v %+v", err, s.Xing)
	}
}

func TestID3v1(t *testing.T) {
	clean := frames(h44mono128, 10, 0)
	v1 := append([]byte("TAG"), make([]byte, 125)...)
	s, err := scan(t, cat(clean, v1))
	if err != nil {
		t.Fatal(err)
	}
	// the tag is left out of the estimate
	if !s.ID3v1 || s.Frames != 11520 || s.Stop != StopEnd || s.Samples != 11520 {
		t.Errorf("with ID3v1: %+v", s)
	}
	// a frame cut short before an ID3v1 tag: the body read runs into the
	// tag and to the end, which is not libmpg123's end: a read error
	s, err = scan(t, cat(clean[:417*9+100], v1))
	if err != nil {
		t.Fatal(err)
	}
	if s.Stop != StopReadFailed || s.Samples != 9*1152 || s.ReadResult().ReadError == "" {
		t.Errorf("cut frame before ID3v1: stop %v samples %d", s.Stop, s.Samples)
	}
}

func TestADTS(t *testing.T) {
	fr := func(n int) []byte {
		b := make([]byte, max(n, 7))
		b[0], b[1], b[2] = 0xff, 0xf1, 0x60
		b[3], b[4], b[5] = byte(n>>11)&3, byte(n>>3), byte(n<<5)|0x1f
		return b
	}
	two := cat(fr(100), fr(120))
	tests := []struct {
		b    []byte
		want bool
	}{
		{two, true},
		{fr(100), true},
		{cat(fr(100), []byte{0, 0, 0, 0}), false},        // no sync where the next frame should be
		{[]byte{0xff, 0xfb, 0x90, 0x44, 0, 0, 0}, false}, // MPEG layer III
		{fr(5), false},
		{[]byte{0xff, 0xf1, 0x3c, 0x40, 0x0c, 0x80, 0}, false}, // frequency index 15
	}
	for i, tt := range tests {
		if got := sniffADTS(tt.b, int64(len(tt.b))); got != tt.want {
			t.Errorf("%d: sniffADTS = %v", i, got)
		}
	}
	info, err := probe.Probe(bytes.NewReader(two), int64(len(two)), "x.aac")
	if err != nil || info.Container != probe.ContainerAAC || info.Opens {
		t.Errorf("probe ADTS: %+v %v", info, err)
	}
}

func TestProbeInfo(t *testing.T) {
	b := cat(id3tag(3, 0, 100), xingFrame(10, true, 576, 1000), frames(h44mono128, 10, 0))
	info, err := probe.Probe(bytes.NewReader(b), int64(len(b)), "a.mp3")
	if err != nil {
		t.Fatal(err)
	}
	if !info.Opens || info.SndfileFormat != "MP3" || info.SndfileSubtype != "MPEG_LAYER_III" || info.Codec != "mp3" ||
		info.Variant != "MPEG-1" || info.SampleRate != 44100 || info.Channels != 1 || info.Frames != 11520-1576 {
		t.Fatalf("info %+v", info)
	}
	var ids []string
	for _, p := range info.Parts {
		ids = append(ids, p.Kind+":"+p.ID)
	}
	if got := strings.Join(ids, " "); got != "tag:ID3v2.3 metadata:Info stream:MPEG-1 Layer III" {
		t.Errorf("parts %s", got)
	}
	res, err := probe.ReadAll(bytes.NewReader(b), int64(len(b)), info)
	if err != nil || res.FramesRead != 11520-1576 || res.ReadError != "" {
		t.Errorf("read %+v %v", res, err)
	}
}
