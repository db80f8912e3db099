package ogg

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

func TestLacingSum(t *testing.T) {
	l := make([]byte, 255)
	for n := range 256 {
		for i := range l {
			l[i] = byte(255 - (i*n)%7)
		}
		want := 0
		for _, v := range l[:n] {
			want += int(v)
		}
		if got := lacingSum(l[:n]); got != want {
			t.Fatalf("%d lacing values: %d, want %d", n, got, want)
		}
	}
}

func TestPagePackets(t *testing.T) {
	s := newSyncReader(bytes.NewReader(nil), 0)
	for n := range 256 {
		segs := make([]byte, n)
		want := 0
		for i := range segs {
			if (i*i+n)%3 == 0 {
				segs[i] = 255
			} else {
				segs[i] = byte(i % 255)
				want++
			}
		}
		s.mem = oggPage{serial: 1, segs: segs, body: make([]byte, 1)}.bytes()
		pg := page{s: s, hlen: 27 + n}
		if got := pg.packets(); got != want {
			t.Fatalf("%d segments: %d packets, want %d", n, got, want)
		}
	}
}

// TestCheckCacheGenerations: what one file's pages were found to be is
// forgotten for the next, also when the generation count wraps.
func TestCheckCacheGenerations(t *testing.T) {
	var c checkCache
	c.reset()
	c.store(100, 58, true)
	if ok, known := c.lookup(100, 58); !ok || !known {
		t.Fatal("stored page not found")
	}
	if _, known := c.lookup(100, 59); known {
		t.Fatal("a page of another size found")
	}
	c.reset()
	if _, known := c.lookup(100, 58); known {
		t.Fatal("a page of the file before found")
	}
	c = checkCache{}
	c.reset()
	c.store(356, 58, true) // in generation 1, 2^32 files ago
	c.gen = ^uint32(0)
	c.reset()
	if _, known := c.lookup(356, 58); known || c.gen == 0 {
		t.Fatalf("after wrapping: known %v, generation %d", known, c.gen)
	}
}

func TestOpusRate(t *testing.T) {
	for _, c := range []struct {
		in   int32
		want int
	}{
		{-1, 8000}, {0, 8000}, {8000, 8000}, {8001, 12000}, {11025, 12000}, {12000, 12000},
		{12001, 16000}, {15000, 16000}, {16000, 16000}, {16001, 24000}, {22050, 24000},
		{24000, 24000}, {24001, 48000}, {44100, 48000}, {96000, 48000},
	} {
		if got := 48000 / opusRateFactor(c.in); got != c.want {
			t.Errorf("input rate %d: %d, want %d", c.in, got, c.want)
		}
	}
}

func TestOpusPacket(t *testing.T) {
	for _, c := range []struct {
		name    string
		p       []byte
		streams int
		want    int // samples per channel at 48 kHz, or a libopus error
	}{
		{"code 0 SILK 20 ms", []byte{9 << 3, 1, 2}, 1, 960},
		{"code 0 SILK 60 ms", []byte{3 << 3, 1}, 1, 2880},
		{"code 0 hybrid 10 ms", []byte{12 << 3, 1}, 1, 480},
		{"code 0 CELT 2.5 ms", []byte{16 << 3, 1}, 1, 120},
		{"code 0 TOC only", []byte{9 << 3}, 1, 960},
		{"code 0 frame over 1275 bytes", append([]byte{9 << 3}, make([]byte, 1276)...), 1, opusInvalidPacket},
		{"code 1 even", []byte{9<<3 | 1, 1, 2}, 1, 1920},
		{"code 1 odd", []byte{9<<3 | 1, 1, 2, 3}, 1, opusInvalidPacket},
		{"code 2", []byte{9<<3 | 2, 1, 7, 8, 9}, 1, 1920},
		{"code 2 size past end", []byte{9<<3 | 2, 9, 1}, 1, opusInvalidPacket},
		{"code 2 two-byte size cut", []byte{9<<3 | 2, 252}, 1, opusInvalidPacket},
		{"code 3 CBR 3 frames", []byte{9<<3 | 3, 3, 1, 2, 3}, 1, 2880},
		{"code 3 CBR uneven", []byte{9<<3 | 3, 3, 1, 2}, 1, opusInvalidPacket},
		{"code 3 count 0", []byte{9<<3 | 3, 0, 1}, 1, opusInvalidPacket},
		{"code 3 over 120 ms", []byte{9<<3 | 3, 7, 1}, 1, opusInvalidPacket},
		{"code 3 no count byte", []byte{9<<3 | 3}, 1, opusInvalidPacket},
		{"code 3 padding", []byte{9<<3 | 3, 0x41, 2, 5, 0, 0}, 1, 960},
		{"code 3 padding 255 chain", append([]byte{9<<3 | 3, 0x41, 255, 0, 5}, make([]byte, 254)...), 1, 960},
		{"code 3 padding past end", []byte{9<<3 | 3, 0x41, 9, 1}, 1, opusInvalidPacket},
		{"code 3 padding byte missing", []byte{9<<3 | 3, 0x41}, 1, opusInvalidPacket},
		{"code 3 VBR", []byte{9<<3 | 3, 0x82, 1, 7, 8}, 1, 1920},
		{"code 3 VBR size past end", []byte{9<<3 | 3, 0x82, 9, 7}, 1, opusInvalidPacket},
		{"two streams", []byte{9 << 3, 1, 7, 9 << 3, 8}, 2, 960},
		{"two streams, durations differ", []byte{9 << 3, 1, 7, 3 << 3, 8}, 2, opusInvalidPacket},
		{"two streams, second missing", []byte{9 << 3, 1, 7}, 2, opusInvalidPacket},
		{"two streams, second is two empty frames", []byte{9 << 3, 1, 7, 1}, 2, 960},
		{"two streams, too short", []byte{9 << 3, 0}, 2, opusInvalidPacket},
	} {
		if got := opusDecodeSamples(c.p, c.streams, 48000, 5760); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	// An empty packet is concealment of a whole buffer (at most 120 ms).
	if got := opusDecodeSamples(nil, 1, 16000, 320); got != 320 {
		t.Errorf("empty packet: %d", got)
	}
	if got := opusDecodeSamples(nil, 1, 48000, 9600); got != 5760 {
		t.Errorf("empty packet, big buffer: %d", got)
	}
	// A packet longer than the buffer asks for a bigger one.
	if got := opusDecodeSamples([]byte{3 << 3, 1}, 1, 16000, 320); got != opusBufferTooSmall {
		t.Errorf("60 ms packet into a 20 ms buffer: %d", got)
	}
}

// TestOpusPacketShortcuts: the table of frame durations and the single
// frame shortcut of opusDecodeSamples give what the step-by-step functions
// give, for every TOC byte, at every rate the server decodes at.
func TestOpusPacketShortcuts(t *testing.T) {
	rates := []int{48000, 24000, 16000, 12000, 8000}
	for toc := range 256 {
		for _, fs := range rates {
			if got, want := int(frameUnits[toc>>3])*(fs/400), opusSamplesPerFrame(byte(toc), fs); got != want {
				t.Errorf("TOC %#x at %d Hz: %d samples per frame, want %d", toc, fs, got, want)
			}
			for _, n := range []int{1, 2, 3, 200, 1276, 1277} {
				p := make([]byte, n)
				p[0] = byte(toc)
				for i := 1; i < n; i++ {
					p[i] = byte(i * 37)
				}
				for _, frameSize := range []int{120, 320, 960, 5760} {
					want := opusValidate(p, 1, fs)
					if want >= 0 && want > min(frameSize, fs/25*3) {
						want = opusBufferTooSmall
					}
					if got := opusDecodeSamples(p, 1, fs, frameSize); got != want {
						t.Errorf("TOC %#x, %d bytes at %d Hz into %d: %d, want %d", toc, n, fs, frameSize, got, want)
					}
				}
			}
		}
	}
}

// TestOpusStreamDecode: what a stream's decode says of a packet is
// opusDecodeSamples, at every rate, for one stream and two, whatever the
// buffer size.
func TestOpusStreamDecode(t *testing.T) {
	for _, rate := range []int32{48000, 24000, 16000, 12000, 8000} {
		for _, streams := range []uint8{1, 2} {
			o := opusStream{head: opusHead{channels: 1, streams: streams, coupled: streams - 1, inputRate: rate}}
			if err := o.setupDecoder(); err != nil {
				t.Fatal(err)
			}
			for toc := range 256 {
				for _, n := range []int{0, 1, 2, 3, 200, 1276, 1277} {
					p := make([]byte, n)
					for i := range p {
						p[i] = byte(toc + i*37)
					}
					for _, size := range []int{120, 320, 960, 5760, 9600} {
						o.bufferSize = size
						if got, want := o.decode(p), opusDecodeSamples(p, int(streams), o.rate, size); got != want {
							t.Fatalf("%d Hz, %d streams, TOC %#x, %d bytes into %d: %d, want %d", o.rate, streams, toc, n, size, got, want)
						}
					}
				}
			}
		}
	}
}

func TestOpusHead(t *testing.T) {
	for _, c := range []struct {
		name string
		p    []byte
		code int // 0: accepted
	}{
		{"mono", opusHeadPacket(1, 1, 312, 16000, 0), 0},
		{"version 0", opusHeadPacket(0, 1, 312, 16000, 0), 0},
		{"version 2", opusHeadPacket(2, 1, 312, 16000, 0), sfeUnimplemented},
		{"family 0, 3 channels", opusHeadPacket(1, 3, 312, 16000, 0), sfeMalformed},
		{"family 0, extra byte", append(opusHeadPacket(1, 1, 312, 16000, 0), 0), sfeMalformed},
		{"too short", opusHeadPacket(1, 1, 312, 16000, 0)[:18], sfeMalformed},
		{"family 1", opusHeadPacket(1, 2, 312, 16000, 1, 1, 1, 0, 1), 0},
		{"family 1, table cut", opusHeadPacket(1, 2, 312, 16000, 1, 1, 1, 0), sfeMalformed},
		{"family 1, 9 channels", opusHeadPacket(1, 9, 312, 16000, 1, append([]byte{9, 0}, make([]byte, 9)...)...), sfeMalformed},
		{"family 255, 9 channels", opusHeadPacket(1, 9, 312, 16000, 255, append([]byte{9, 0}, make([]byte, 9)...)...), 0},
		{"no streams", opusHeadPacket(1, 1, 312, 16000, 1, 0, 0, 0), sfeMalformed},
		{"more coupled than streams", opusHeadPacket(1, 1, 312, 16000, 1, 1, 2, 0), sfeMalformed},
		{"channel mapped past the streams", opusHeadPacket(1, 1, 312, 16000, 1, 1, 0, 2), sfeMalformed},
	} {
		_, err := parseOpusHead(c.p)
		if (err == nil) != (c.code == 0) || (err != nil && err.code != c.code) {
			t.Errorf("%s: %v, want code %d", c.name, err, c.code)
		}
	}
}

func TestOpusTags(t *testing.T) {
	good := opusTagsPacket("vendor", "A=b", "TITLE=x")
	for _, c := range []struct {
		name string
		p    []byte
		ok   bool
	}{
		{"vendor and comments", good, true},
		{"no vendor, no comments", opusTagsPacket(""), true},
		{"trailing bytes", append(opusTagsPacket("v"), 1, 2, 3), true},
		{"15 bytes", good[:15], false},
		{"wrong magic", append([]byte("OpusTagz"), good[8:]...), false},
		{"vendor past the end", good[:20], false},
		{"comment past the end", good[:len(good)-1], false},
	} {
		if err := checkOpusTags(c.p); (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestOpusFiles runs whole hand-built files through Probe and ReadAll.
func TestOpusFiles(t *testing.T) {
	base := opusFile{pages: 3, perPage: 5, lastGP: 3*4800 - 600}
	// frames = (last granule - 312 pre-skip) / 3 at 16 kHz
	wantFrames := int64(3*4800-600-312) / 3
	// When the middle page is lost, libsndfile takes the last page's
	// granule position as the end of its packets, so the trimming of the
	// last 600 samples is lost too: the first page less the pre-skip, and
	// the whole last page.
	afterHole := int64(4800-312)/3 + 4800/3

	type want struct {
		opens      bool
		unknownLen bool
		frames     int64
		framesRead int64
		readErr    bool
		warn       string // a substring of some warning (header or read)
		held       int64  // Info.FramesHeld
		unscored   string // probe.Unscored's warning
	}
	for _, c := range []struct {
		name string
		data func() []byte
		want want
	}{
		{"plain", func() []byte { return joinPages(base.build()...) },
			want{opens: true, frames: wantFrames, framesRead: wantFrames}},
		{"bad checksum on the middle page is skipped", func() []byte {
			ps := base.build()
			ps[3].badCRC = true
			return joinPages(ps...)
		}, want{opens: true, frames: wantFrames, framesRead: afterHole, warn: "the Ogg page at 0x",
			unscored: "0.087 s (31.1%) of the audio will not be scored: the API reads 3,096 of its 4,496 frames"}},
		{"sequence gap", func() []byte {
			ps := base.build()
			return joinPages(append(ps[:3], ps[4])...)
		}, want{opens: true, frames: wantFrames, framesRead: afterHole, warn: "a page is missing",
			unscored: "0.087 s (31.1%) of the audio will not be scored"}},
		// Pages lost before the first audio page libsndfile decodes: it
		// counts the length from the page after them, so its frame count
		// shows nothing missing; the granule positions, which count from
		// the stream's start, do.
		{"bad checksum on the first audio page", func() []byte {
			ps := base.build()
			ps[2].badCRC = true
			return joinPages(ps...)
		}, want{opens: true, frames: wantFrames - 1600, framesRead: wantFrames - 1600, held: wantFrames, warn: "the Ogg page at 0x",
			unscored: "0.100 s (35.6%) of the audio will not be scored: the API reads 2,896 of its 4,496 frames"}},
		{"first audio page missing", func() []byte {
			ps := base.build()
			return joinPages(append(ps[:2], ps[3:]...)...)
		}, want{opens: true, frames: wantFrames - 1600, framesRead: wantFrames - 1600, held: wantFrames, warn: "a page is missing",
			unscored: "0.100 s (35.6%)"}},
		// A page lost in the first 65,536-frame block of a longer file:
		// the seek after the block puts the server back where the granule
		// positions say, so it reads as many frames as the header gives —
		// some audio twice, the lost page's never.
		{"bad checksum in the first block, hidden by the seek", func() []byte {
			ps := opusFile{pages: 6, perPage: 50}.build()
			ps[3].badCRC = true
			return joinPages(ps...)
		}, want{opens: true, frames: (288000 - 312) / 3, framesRead: (288000 - 312) / 3, warn: "fails its checksum",
			unscored: "1.000 s (16.7%) of the audio will not be scored: the API skips 16,000 of its 95,896 frames"}},
		// A bad last page followed by another stream's: libsndfile
		// measures the length to the page before; the lost page's packets
		// say what it held (their TOC bytes; its end trimming is not
		// known). Alone at the end, a bad page makes the length unknown.
		{"bad checksum on the last page, another stream after it", func() []byte {
			ps := base.build()
			ps[4].badCRC = true
			other := oggPage{flags: flagBOS, serial: 8, packets: [][]byte{opusHeadPacket(1, 1, 312, 16000, 0)}}
			return joinPages(append(ps, other)...)
		}, want{opens: true, frames: (9600 - 312) / 3, framesRead: (9600 - 312) / 3, held: (9600-312)/3 + 1600, warn: "fails its checksum",
			unscored: "0.100 s (34.1%)"}},
		{"no OpusTags", func() []byte {
			ps := base.build()
			for i := 2; i < len(ps); i++ {
				ps[i].seq--
			}
			return joinPages(append(ps[:1], ps[2:]...)...)
		}, want{opens: false}},
		{"zero audio packets", func() []byte {
			ps := base.build()[:2]
			ps[1].flags = flagEOS
			return joinPages(ps...)
		}, want{opens: false}},
		{"every audio page fails its checksum", func() []byte {
			ps := base.build()
			for i := 2; i < len(ps); i++ {
				ps[i].badCRC = true
			}
			return joinPages(ps...)
		}, want{opens: false}},
		{"last page cut: length unknown", func() []byte {
			b := joinPages(base.build()...)
			return b[:len(b)-3]
		}, want{opens: true, unknownLen: true, warn: "cannot tell its length"}},
		{"junk after the last page: length unknown", func() []byte {
			return append(joinPages(base.build()...), "junk"...)
		}, want{opens: true, unknownLen: true}},
		{"no end-of-stream flag with a trimmed last page: read error", func() []byte {
			ps := base.build()
			ps[len(ps)-1].flags = 0
			return joinPages(ps...)
		}, want{opens: true, frames: wantFrames, framesRead: 0, readErr: true, warn: "end-of-stream"}},
		{"no end-of-stream flag, nothing trimmed: tolerated", func() []byte {
			ps := opusFile{pages: 3, perPage: 5}.build()
			ps[len(ps)-1].flags = 0
			return joinPages(ps...)
		}, want{opens: true, frames: (14400 - 312) / 3, framesRead: (14400 - 312) / 3}},
		{"invalid packet: read error", func() []byte {
			ps := base.build()
			ps[3].packets = append([][]byte{{9<<3 | 3, 0}}, ps[3].packets[1:]...)
			return joinPages(ps...)
		}, want{opens: true, frames: wantFrames, framesRead: 0, readErr: true}},
		{"garbage between pages is skipped", func() []byte {
			ps := base.build()
			return append(append(joinPages(ps[:3]...), "garbage, no capital o"...), joinPages(ps[3:]...)...)
		}, want{opens: true, frames: wantFrames, framesRead: wantFrames, warn: "not pages"}},
		{"a page header whose lengths run past the end hides the rest", func() []byte {
			ps := base.build()
			big := oggPage{serial: 7, seq: 3, segs: bytes.Repeat([]byte{255}, 200), body: make([]byte, 100)}
			return append(joinPages(ps[:3]...), append(big.bytes()[:300], joinPages(ps[3:]...)...)...)
		}, want{opens: true, unknownLen: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, res := probeBytes(t, c.data())
			w := c.want
			if info.Opens != w.opens {
				t.Fatalf("opens %v (%s), want %v", info.Opens, info.OpenError, w.opens)
			}
			if !w.opens {
				return
			}
			if info.SndfileFormat != "OGG" || info.SndfileSubtype != "OPUS" || info.SampleRate != 16000 || info.Channels != 1 {
				t.Errorf("format %s/%s %d Hz %d ch", info.SndfileFormat, info.SndfileSubtype, info.SampleRate, info.Channels)
			}
			if info.LengthUnknown != w.unknownLen || (!w.unknownLen && info.Frames != w.frames) {
				t.Errorf("frames %d (unknown %v), want %d (unknown %v)", info.Frames, info.LengthUnknown, w.frames, w.unknownLen)
			}
			warnings := info.Warnings
			if res != nil {
				if res.FramesRead != w.framesRead || (res.ReadError != "") != w.readErr {
					t.Errorf("read %d frames, error %q; want %d, error %v", res.FramesRead, res.ReadError, w.framesRead, w.readErr)
				}
				warnings = append(warnings, res.Warnings...)
			} else if !w.unknownLen {
				t.Errorf("no full read")
			}
			if w.warn != "" && !strings.Contains(strings.Join(warnings, "\n"), w.warn) {
				t.Errorf("no warning about %q in %q", w.warn, warnings)
			}
			for i, a := range warnings {
				if slices.Contains(warnings[i+1:], a) {
					t.Errorf("said twice: %q", a)
				}
			}
			if info.FramesHeld != w.held {
				t.Errorf("holds %d frames by its pages, want %d", info.FramesHeld, w.held)
			}
			unscored := strings.Join(probe.Unscored(info, res), "\n")
			if (w.unscored == "") != (unscored == "") || !strings.Contains(unscored, w.unscored) {
				t.Errorf("unscored audio: %q, want %q", unscored, w.unscored)
			}
		})
	}
}

func TestOpusInputRateWarning(t *testing.T) {
	for _, c := range []struct {
		rate int32
		warn bool
	}{{16000, false}, {15000, true}, {12001, true}, {8000, false}, {24000, false}} {
		f := opusFile{head: opusHeadPacket(1, 1, 312, c.rate, 0), pages: 1, perPage: 5}
		info, _ := probeBytes(t, joinPages(f.build()...))
		got := strings.Contains(strings.Join(info.Warnings, "\n"), "input sample rate")
		if got != c.warn || info.InputSampleRate != int(c.rate) {
			t.Errorf("rate %d: warning %v, input rate %d", c.rate, got, info.InputSampleRate)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		body    []byte
		variant string
	}{
		{[]byte("\x7fFLAC\x01\x00"), VariantFLAC},
		{[]byte("fLaC\x00"), VariantFLAC},
		{[]byte("Speex   1.2"), VariantSpeex},
		{[]byte("PCM     \x00"), VariantPCM},
		{[]byte("Annodex\x00"), VariantAnnodex},
		{[]byte("\x80theora"), VariantUnknown},
		{[]byte("Opus"), VariantUnknown},
	} {
		data := oggPage{flags: flagBOS, serial: 1, packets: [][]byte{c.body}}.bytes()
		info, _ := probeBytes(t, data)
		if info.Opens || info.Variant != c.variant || info.Container != probe.ContainerOgg {
			t.Errorf("%q: opens %v variant %q", c.body, info.Opens, info.Variant)
		}
	}
}

func TestFirstPage(t *testing.T) {
	good := joinPages(opusFile{pages: 1, perPage: 5}.build()...)
	for _, c := range []struct {
		name string
		data []byte
		open bool
	}{
		{"good", good, true},
		{"11 bytes", good[:11], false},
		{"first page not BOS", func() []byte {
			ps := opusFile{pages: 1, perPage: 5}.build()
			ps[0].flags = 0
			return joinPages(ps...)
		}(), false},
		{"first page version 1", func() []byte {
			ps := opusFile{pages: 1, perPage: 5}.build()
			ps[0].version = 1
			return joinPages(ps...)
		}(), false},
		{"a damaged capture before the first page, within 4096 bytes", append(append([]byte("OggS"), make([]byte, 1000)...), good...), true},
		{"the first page beyond 4096 bytes", append(append([]byte("OggS"), make([]byte, 5000)...), good...), false},
	} {
		info, _ := probeBytes(t, c.data)
		if info.Opens != c.open {
			t.Errorf("%s: opens %v (%s)", c.name, info.Opens, info.OpenError)
		}
	}
}

// TestStreamHole checks libogg's handling of a lost page: the partial
// packet is dropped, a hole is reported once, and a continued packet whose
// start is lost is skipped.
func TestStreamHole(t *testing.T) {
	s := newSyncReader(bytes.NewReader(nil), 0)
	mk := func(p oggPage) *page {
		b := p.bytes()
		s.mem = b
		return &page{s: s, hdr: 0, hlen: 27 + int(b[26]), blen: len(b) - 27 - int(b[26])}
	}
	var st stream
	st.resetSerial(1)
	// page 0: one packet, then the start of a second one
	if st.pagein(mk(oggPage{serial: 1, seq: 0, segs: []byte{3, 255}, body: make([]byte, 258)})) != 0 {
		t.Fatal("pagein")
	}
	var p packet
	if st.packetout(&p, true) != 1 || p.bytes != 3 {
		t.Fatalf("first packet: %+v", p)
	}
	// page 2 (page 1 lost): continues a packet, then one packet of 5
	if st.pagein(mk(oggPage{flags: flagCont, serial: 1, seq: 2, segs: []byte{10, 5}, body: make([]byte, 15)})) != 0 {
		t.Fatal("pagein")
	}
	if got := st.packetout(&p, true); got != -1 {
		t.Fatalf("hole: %d", got)
	}
	if st.packetout(&p, true) != 1 || p.bytes != 5 {
		t.Fatalf("after the hole: %+v", p)
	}
	if st.packetout(&p, true) != 0 {
		t.Fatal("nothing more")
	}
	// a page of another stream is refused
	if st.pagein(mk(oggPage{serial: 2, seq: 3, packets: [][]byte{{1}}})) != -1 {
		t.Fatal("foreign page taken")
	}
}

func TestSyncResync(t *testing.T) {
	pg := oggPage{flags: flagBOS, serial: 1, packets: [][]byte{[]byte("hello")}}.bytes()
	bad := oggPage{serial: 1, seq: 1, packets: [][]byte{[]byte("x")}, badCRC: true}.bytes()
	data := append(append(append([]byte("xxO Oggx"), bad...), "junk"...), pg...)
	s := newSyncReader(bytes.NewReader(data), int64(len(data)))
	s.stats = &scanStats{}
	var p page
	var skipped int64
	if n := s.nextPage(&p, -1, &skipped); n != len(pg) || p.off != int64(len(data)-len(pg)) || skipped != p.off {
		t.Fatalf("page %d at %d, skipped %d", n, p.off, skipped)
	}
	// The bad page and the junk after it go in one skip, to the next 'O'.
	if n, first := s.stats.badPages(0); n != 1 || first != 8 || s.stats.junkBytes != 8 {
		t.Errorf("stats %+v", *s.stats)
	}
	if s.nextPage(&p, -1, nil) != 0 {
		t.Error("a page after the end")
	}
	// With readmax, the page must start within the bytes allowed.
	s.seek(0)
	if s.nextPage(&p, int64(len(data)-len(pg)), nil) != 0 {
		t.Error("found a page past readmax")
	}
	s.seek(0)
	if s.nextPage(&p, int64(len(data)-len(pg)+1), nil) == 0 {
		t.Error("missed the page within readmax")
	}
	// The search resumes inside a bad page whose body holds an 'O': the
	// rest of that page is not junk.
	badO := oggPage{serial: 1, seq: 1, packets: [][]byte{[]byte("xOxxOxx")}, badCRC: true}.bytes()
	data2 := append(append([]byte("xxO Oggx"), badO...), pg...)
	s = newSyncReader(bytes.NewReader(data2), int64(len(data2)))
	s.stats = &scanStats{}
	if n := s.nextPage(&p, -1, nil); n != len(pg) {
		t.Fatalf("page %d", n)
	}
	if n, _ := s.stats.badPages(0); n != 1 || s.stats.junkBytes != 8 {
		t.Errorf("bad page body counted as junk: %+v", *s.stats)
	}
}

func TestVorbisPieces(t *testing.T) {
	b := &bitReader{data: []byte{0xb5, 0x01}}
	if v := b.read(3); v != 5 {
		t.Errorf("read(3) = %d", v)
	}
	if v := b.read(9); v != 0x36 {
		t.Errorf("read(9) = %#x", v)
	}
	if v := b.read(5); v != -1 || b.read(0) != -1 {
		t.Error("reads past the end must fail and keep failing")
	}
	for _, c := range []struct {
		lengths map[int]int64
		ok      bool
	}{
		{map[int]int64{1: 2}, true},
		{map[int]int64{1: 1, 2: 1, 3: 2}, true},
		{map[int]int64{1: 1}, true}, // the single-entry book
		{map[int]int64{2: 1}, false},
		{map[int]int64{1: 1, 2: 1}, false},
		{map[int]int64{1: 3}, false},
		{map[int]int64{}, true},
	} {
		var l [33]int64
		for k, v := range c.lengths {
			l[k] = v
		}
		if completeTree(&l) != c.ok {
			t.Errorf("lengths %v: complete %v", c.lengths, !c.ok)
		}
	}
	for _, c := range [][3]int64{{1, 1, 1}, {8, 3, 2}, {9, 2, 3}, {10, 2, 3}, {1000, 3, 10}, {100, 1, 100}} {
		if got := maptype1Quantvals(c[0], c[1]); got != c[2] {
			t.Errorf("quantvals(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}

// TestVorbisSetup parses the headers of an oggenc file and checks what the
// server's sample count rests on: block sizes and the modes' block flags.
func TestVorbisSetup(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "ogg", "vorbis-44k-stereo.ogg"))
	if err != nil {
		t.Fatal(err)
	}
	s := newSyncReader(bytes.NewReader(data), int64(len(data)))
	var st stream
	var pg page
	var packets [][]byte
	for len(packets) < 3 && s.nextPage(&pg, -1, nil) > 0 {
		if len(packets) == 0 {
			st.resetSerial(pg.serial())
		}
		st.pagein(&pg)
		var p packet
		for st.packetout(&p, true) == 1 {
			packets = append(packets, append([]byte(nil), st.data(&p)...))
		}
	}
	var vi vorbisInfo
	for i, p := range packets[:3] {
		if got := vi.headerin(p, i == 0); got != 0 {
			t.Fatalf("header %d: %d", i, got)
		}
	}
	if vi.rate != 44100 || vi.channels != 2 || vi.blocksizes != [2]int{256, 2048} || vi.modes != 2 || !vi.booksValid {
		t.Fatalf("%+v", vi)
	}
	if vi.blockflags[0] != 0 || vi.blockflags[1] != 1 {
		t.Errorf("block flags %v", vi.blockflags[:2])
	}
	// Without the final framing bit the setup header is refused, and that
	// clears the stream information: the rate becomes 0.
	setup := append([]byte(nil), packets[2]...)
	setup[len(setup)-1] = 0
	vi = vorbisInfo{}
	vi.headerin(packets[0], true)
	vi.headerin(packets[1], false)
	if vi.headerin(setup, false) == 0 || vi.rate != 0 {
		t.Errorf("setup without framing bit accepted: %+v", vi)
	}
	// A comment header that is refused leaves the setup header unread.
	vi = vorbisInfo{}
	vi.headerin(packets[0], true)
	if vi.headerin(packets[1][:12], false) == 0 || vi.headerin(packets[2], false) == 0 || vi.modes != 0 || vi.rate != 44100 {
		t.Errorf("after a bad comment header: %+v", vi)
	}
}

// TestVorbisOpenErrorForgotten: block sizes raised in the identification
// header make the first audio page's granule position smaller than the
// samples its blocks give. libsndfile records that while opening but does
// not fail the open, and the read that follows starts by clearing it: the
// server reads every frame, from granule position 0.
func TestVorbisOpenErrorForgotten(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "ogg", "vorbis-16k-12s.ogg"))
	if err != nil {
		t.Fatal(err)
	}
	// The identification packet is alone on the first page; its block
	// size byte is the packet's 29th, after the 27-byte header and one
	// lacing value.
	first := 27 + int(data[26])
	if data[first+28] != 0xaa {
		t.Fatalf("block sizes byte %#x, want 0xaa (1024/1024)", data[first+28])
	}
	data[first+28] = 0xcc // 4096/4096
	binary.LittleEndian.PutUint32(data[22:], 0)
	binary.LittleEndian.PutUint32(data[22:], pageChecksum(data[:first+int(data[27])]))
	info, res := probeBytes(t, data)
	if !info.Opens || info.LengthUnknown {
		t.Fatalf("does not open with a known length: %+v", info)
	}
	if res.ReadError != "" || res.FramesRead != info.Frames || info.Frames != 192000 {
		t.Errorf("read %d of %d frames, error %q; want all 192000, no error", res.FramesRead, info.Frames, res.ReadError)
	}
}
