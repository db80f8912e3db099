package opusremux_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oggmux"
	"github.com/audiopreflight/audiopreflight/internal/opus"
	"github.com/audiopreflight/audiopreflight/internal/opusremux"
	"github.com/audiopreflight/audiopreflight/internal/webm"
	. "github.com/audiopreflight/audiopreflight/internal/webm/webmtest"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/ogg"
)

// oggPackets returns the packets of the first stream of an Ogg file.
func oggPackets(t testing.TB, b []byte) []oggmux.Packet {
	t.Helper()
	pk := oggmux.NewPacketReader(bytes.NewReader(b), int64(len(b)))
	var out []oggmux.Packet
	for {
		p, err := pk.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		p.Data = bytes.Clone(p.Data)
		out = append(out, p)
	}
}

// realPackets are the audio packets of a committed 48 kHz stereo
// Ogg-Opus file (20 ms each), repeated to n packets.
func realPackets(t testing.TB, n int) [][]byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/corpus/ogg/opus-48k-stereo.opus")
	if err != nil {
		t.Fatal(err)
	}
	var ps [][]byte
	for _, p := range oggPackets(t, b)[2:] {
		ps = append(ps, p.Data)
	}
	var out [][]byte
	for len(out) < n {
		out = append(out, ps[len(out)%len(ps)])
	}
	return out
}

// apiView probes b as the API's reader would and reads it whole.
func apiView(t testing.TB, b []byte) (*probe.Info, *probe.ReadResult) {
	t.Helper()
	r := bytes.NewReader(b)
	info, err := probe.Probe(r, int64(len(b)), "out.opus")
	if err != nil {
		t.Fatal(err)
	}
	read, err := probe.ReadAll(r, int64(len(b)), info)
	if err != nil {
		t.Fatal(err)
	}
	return info, read
}

// requireAccepted checks that the API's reader opens b as 16 kHz mono
// Ogg-Opus of frames frames and reads them all.
func requireAccepted(t testing.TB, b []byte, frames int64) {
	t.Helper()
	info, read := apiView(t, b)
	if !info.Opens || info.SndfileSubtype != "OPUS" || info.SampleRate != 16000 || info.Channels != 1 || info.LengthUnknown {
		t.Fatalf("the API would see %+v", info)
	}
	if info.Frames != frames || read == nil || read.ReadError != "" || read.FramesRead != frames {
		t.Fatalf("the API would see %d frames and read %+v; want %d", info.Frames, read, frames)
	}
}

// requireSamePackets checks that the audio packets of the Ogg output are
// want, byte for byte.
func requireSamePackets(t testing.TB, out []byte, want [][]byte) {
	t.Helper()
	got := oggPackets(t, out)[2:]
	if len(got) != len(want) {
		t.Fatalf("%d audio packets out, %d in", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i].Data, want[i]) {
			t.Fatalf("packet %d differs", i)
		}
	}
}

func remuxWebM(t testing.TB, in []byte) (*opusremux.Result, []byte) {
	t.Helper()
	var out bytes.Buffer
	res, err := opusremux.FromMatroska(bytes.NewReader(in), int64(len(in)), &out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Written != int64(out.Len()) {
		t.Errorf("Written = %d, wrote %d", res.Written, out.Len())
	}
	return res, out.Bytes()
}

// TestRewriteOggHeadCorpus rewrites the header of every committed
// Ogg-Opus file whose header allows it, and checks what changed: only the
// OpusHead page; every other byte is the input's, so every packet is too.
// Whether the API then accepts the file is the reference model's call
// (the fix corpus); here the prober, which agrees with it on every file of
// the corpus, must see 16 kHz mono.
func TestRewriteOggHeadCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/corpus/ogg/*.opus")
	rewritten := 0
	for _, path := range files {
		in, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		res, err := opusremux.RewriteOggHead(bytes.NewReader(in), int64(len(in)), &out)
		if err != nil {
			var ne *opus.NeedsReencodeError
			var fe *probe.FormatError
			var ue *probe.UnsupportedError
			if !errors.As(err, &ne) && !errors.As(err, &fe) && !errors.As(err, &ue) {
				t.Errorf("%s: untyped error %v", path, err)
			}
			continue
		}
		oh, err := opusremux.ReadOggHead(bytes.NewReader(in), int64(len(in)))
		if err != nil {
			t.Fatal(err)
		}
		start, oldEnd := oh.Page.Offset, oh.Page.Offset+int64(len(oh.Page.Raw))
		o := out.Bytes()
		newEnd := oldEnd + int64(len(o)-len(in))
		if !bytes.Equal(o[:start], in[:start]) || !bytes.Equal(o[newEnd:], in[oldEnd:]) {
			t.Errorf("%s: bytes outside the OpusHead page changed", path)
		}
		if len(res.Changes) == 0 {
			if !bytes.Equal(o, in) {
				t.Errorf("%s: nothing to change, yet the output differs", path)
			}
			continue
		}
		rewritten++
		if len(o) == len(in) && oh.Head.Family == res.Head.Family {
			// Same size: the page differs in the changed fields and the
			// checksum only.
			diff := 0
			for i := range o {
				if o[i] != in[i] {
					diff++
				}
			}
			if diff > 4+5 {
				t.Errorf("%s: %d bytes changed", path, diff)
			}
		}
		info, _ := apiView(t, o)
		if info.Opens && (info.SampleRate != 16000 || info.Channels != 1) {
			t.Errorf("%s: %v; the API would read %d Hz, %d channels", path, res.Changes, info.SampleRate, info.Channels)
		}
	}
	if rewritten < 20 {
		t.Errorf("rewrote %d files", rewritten)
	}
}

// TestRewriteOggHead48k: the cases the API rejects for the header's
// rate and channels only, made from a 48 kHz stereo stream.
func TestRewriteOggHead48k(t *testing.T) {
	ps := realPackets(t, 150) // 3 s
	tests := []struct {
		name   string
		head   []byte
		frames int64
		change string
	}{
		{"48 kHz stereo", OpusHead(2, 312, 48000), 48000 - 104, "channels 2 → 1"},
		{"48 kHz mono header over stereo packets", OpusHead(1, 312, 48000), 48000 - 104, "input rate 48000 Hz → 16000 Hz"},
		{"44.1 kHz stereo", OpusHead(2, 312, 44100), 48000 - 104, "input rate 44100 Hz"},
		{"family 1 stereo in one stream", append(append(OpusHead(2, 312, 48000)[:18], 1), 1, 1, 0, 1), 48000 - 104, "mapping family 1 → 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := oggOpus(t, tt.head, ps, 0)
			var out bytes.Buffer
			res, err := opusremux.RewriteOggHead(bytes.NewReader(in), int64(len(in)), &out)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(res.Changes, "; "), tt.change) {
				t.Errorf("changes %q lack %q", res.Changes, tt.change)
			}
			requireAccepted(t, out.Bytes(), tt.frames)
			requireSamePackets(t, out.Bytes(), ps)
		})
	}
}

// oggOpus writes packets (20 ms each) under head as an Ogg-Opus stream,
// with trim samples dropped from the end.
func oggOpus(t testing.TB, head []byte, packets [][]byte, trim int64) []byte {
	t.Helper()
	var b bytes.Buffer
	w := oggmux.NewWriter(&b, 99)
	if err := w.WriteHeader(head); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteHeader([]byte("OpusTags\x04\x00\x00\x00test\x00\x00\x00\x00")); err != nil {
		t.Fatal(err)
	}
	for i, p := range packets {
		g := int64(960 * (i + 1))
		if i == len(packets)-1 {
			g -= trim
		}
		if err := w.WritePacket(p, g, 960); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRewriteOggHeadRefuses(t *testing.T) {
	ps := realPackets(t, 10)
	surround := append(append(OpusHead(6, 312, 48000)[:18], 1), 4, 2, 0, 4, 1, 2, 3, 5)
	in := oggOpus(t, surround, ps, 0)
	_, err := opusremux.RewriteOggHead(bytes.NewReader(in), int64(len(in)), io.Discard)
	var ne *opus.NeedsReencodeError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "4 Opus streams") {
		t.Errorf("5.1 in 4 streams: %v", err)
	}
	notOpus := []byte("RIFF\x24\x00\x00\x00WAVEfmt ")
	if _, err := opusremux.RewriteOggHead(bytes.NewReader(notOpus), int64(len(notOpus)), io.Discard); err == nil || !strings.Contains(err.Error(), "no valid Ogg page") {
		t.Errorf("not Ogg: %v", err)
	}
}

// TestFromMatroskaLayouts remuxes recordings laid out as Chromium and
// ffmpeg write them and checks the three promises: the packets are the
// input's byte for byte, the granule positions give the input's length
// (pre-skip and end trimming included), and the API's reader accepts
// the result at 16 kHz mono.
func TestFromMatroskaLayouts(t *testing.T) {
	ps := realPackets(t, 250) // 5 s of 20 ms packets
	tests := []struct {
		name    string
		in      []byte
		frames  int64 // at 16 kHz
		trimmed int64
		note    string
	}{
		{"Chrome, timeslice, jitter", Chrome(Recording{Channels: 2, Packets: ps, PacketMS: 20, ClusterMS: 250, Jitter: func(i int) int { return i % 13 }}), 80000, 0, ""},
		{"Chrome, no timeslice", Chrome(Recording{Channels: 2, Packets: ps, PacketMS: 20}), 80000, 0, ""},
		{"Chrome camera recording", Chrome(Recording{Channels: 1, Packets: ps, PacketMS: 20, ClusterMS: 1000, Video: true}), 80000, 0, ""},
		{"Chrome with a gap", Chrome(Recording{Channels: 2, Packets: ps, PacketMS: 20, ClusterMS: 250, Jitter: func(i int) int { return 500 * (i / 100) }}), 80000, 0, "1000 ms ahead"},
		{"ffmpeg WebM, DiscardPadding", FFmpeg("webm", 2, 312, ps, 20, 13500000), (240000 - 312 - 648) / 3, 648, ""},
		{"ffmpeg Matroska, no trimming", FFmpeg("matroska", 2, 312, ps, 20, 0), (240000 - 312) / 3, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, out := remuxWebM(t, tt.in)
			requireSamePackets(t, out, ps)
			requireAccepted(t, out, tt.frames)
			if res.Packets != 250 || res.Samples != 240000 || res.Trimmed != tt.trimmed {
				t.Errorf("result %+v", res)
			}
			notes := strings.Join(res.Notes, "; ")
			if (tt.note == "") != (notes == "") || !strings.Contains(notes, tt.note) {
				t.Errorf("notes %q, want %q", res.Notes, tt.note)
			}
			last := oggPackets(t, out)
			if g := last[len(last)-1].Granule; g != 240000-tt.trimmed {
				t.Errorf("last granule %d", g)
			}
		})
	}
}

func TestFromMatroskaEndTrimFromBlockDuration(t *testing.T) {
	ps := realPackets(t, 50)
	blocks := [][]byte{Uint(IDTimestamp, 0)}
	for i, p := range ps[:49] {
		blocks = append(blocks, SimpleBlock(1, int16(20*i), p))
	}
	// The last packet plays 20 ms; its BlockDuration says 12.5 ms.
	blocks = append(blocks, Elem(IDBlockGroup, Elem(IDBlock, BlockBody(1, 980, 0, ps[49])), Uint(IDBlockDuration, 12)))
	in := append(EBMLHeader("matroska"), Elem(IDSegment, Elem(IDTracks, AudioTrack(1, 5, 2, OpusHead(2, 312, 48000))), Elem(IDCluster, blocks...))...)
	res, out := remuxWebM(t, in)
	if res.Trimmed != 960-576 {
		t.Errorf("trimmed %d samples, want %d", res.Trimmed, 960-576)
	}
	requireAccepted(t, out, (48000-312-384)/3)
}

func TestFromMatroskaPreSkipFromCodecDelay(t *testing.T) {
	ps := realPackets(t, 50)
	blocks := [][]byte{Uint(IDTimestamp, 0)}
	for i, p := range ps {
		blocks = append(blocks, SimpleBlock(1, int16(20*i), p))
	}
	// The OpusHead says no pre-skip, CodecDelay 6.5 ms.
	track := AudioTrack(1, 5, 2, OpusHead(2, 0, 48000), Uint(IDCodecDelay, 6500000))
	in := append(EBMLHeader("webm"), Elem(IDSegment, Elem(IDTracks, track), Elem(IDCluster, blocks...))...)
	res, out := remuxWebM(t, in)
	if res.Head.PreSkip != 312 || !strings.Contains(strings.Join(res.Notes, ";"), "pre-skip 312 samples from CodecDelay") {
		t.Errorf("head %+v, notes %q", res.Head, res.Notes)
	}
	requireAccepted(t, out, (48000-312)/3)
}

func TestFromMatroskaRefuses(t *testing.T) {
	ps := realPackets(t, 5)
	cluster := func(blocks ...[]byte) []byte {
		return Elem(IDCluster, append([][]byte{Uint(IDTimestamp, 0)}, blocks...)...)
	}
	simple := func() [][]byte {
		var b [][]byte
		for i, p := range ps {
			b = append(b, SimpleBlock(1, int16(20*i), p))
		}
		return b
	}
	file := func(track []byte, blocks ...[]byte) []byte {
		return append(EBMLHeader("webm"), Elem(IDSegment, Elem(IDTracks, track), cluster(blocks...))...)
	}
	opusTrack := AudioTrack(1, 5, 2, OpusHead(2, 312, 48000))
	vorbis := Elem(IDTrackEntry, Uint(0xD7, 1), Uint(0x83, 2), Str(0x86, "A_VORBIS"))
	video := Elem(IDTrackEntry, Uint(0xD7, 1), Uint(0x83, 1), Str(0x86, "V_VP8"))
	midPadding := append(simple()[:2], Elem(IDBlockGroup, Elem(IDBlock, BlockBody(1, 40, 0, ps[2])), Int(IDDiscardPadding, 1000000)), SimpleBlock(1, 60, ps[3]))
	tests := []struct {
		name string
		in   []byte
		want string
		as   any
	}{
		{"Vorbis audio", file(vorbis, simple()...), "no Opus audio track (audio is A_VORBIS)", new(*opusremux.NoOpusTrackError)},
		{"video only", file(video, simple()...), "no audio track", new(*opusremux.NoOpusTrackError)},
		{"encrypted", file(AudioTrack(1, 5, 2, OpusHead(2, 312, 48000), Elem(IDContentEncoding, Uint(0x5031, 0))), simple()...), "ContentEncodings", new(*probe.UnsupportedError)},
		{"no OpusHead", file(Elem(IDTrackEntry, Uint(0xD7, 1), Uint(0x83, 2), Str(0x86, "A_OPUS")), simple()...), "no OpusHead", new(*probe.FormatError)},
		{"surround", file(AudioTrack(1, 5, 6, append(append(OpusHead(6, 312, 48000)[:18], 1), 4, 2, 0, 4, 1, 2, 3, 5)), simple()...), "4 Opus streams", new(*opus.NeedsReencodeError)},
		{"no packets", file(opusTrack), "has no packets", new(*probe.FormatError)},
		{"not an Opus packet", file(opusTrack, SimpleBlock(1, 0, []byte{0xfb, 0})), "0 frames", new(*probe.FormatError)},
		{"empty packet", file(opusTrack, SimpleBlock(1, 0, nil)), "empty Opus packet", new(*probe.FormatError)},
		{"DiscardPadding in the middle", file(opusTrack, midPadding...), "not the last", new(*probe.UnsupportedError)},
		{"DiscardPadding longer than the packet", file(opusTrack, append(simple()[:4], Elem(IDBlockGroup, Elem(IDBlock, BlockBody(1, 80, 0, ps[4])), Int(IDDiscardPadding, 30000000)))...), "drops 1440 samples of a packet of 960", new(*probe.FormatError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := opusremux.FromMatroska(bytes.NewReader(tt.in), int64(len(tt.in)), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if !errors.As(err, tt.as) {
				t.Errorf("err is %T", err)
			}
		})
	}
}

// TestMediaRecorderCaptures remuxes the recordings Chromium made: the
// packets are the WebM's frames, byte for byte, and the API's reader
// accepts the result with the length the packets hold.
func TestMediaRecorderCaptures(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/mediarecorder/*.webm")
	if len(files) < 4 {
		t.Fatalf("%d captures", len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := webm.Open(bytes.NewReader(in), int64(len(in)))
			if err != nil {
				t.Fatal(err)
			}
			tr, err := opusremux.OpusTrack(f)
			if err != nil {
				t.Fatal(err)
			}
			var frames [][]byte
			fr := f.Frames(tr.Number)
			for {
				fm, err := fr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				frames = append(frames, bytes.Clone(fm.Data))
			}
			res, out := remuxWebM(t, in)
			requireSamePackets(t, out, frames)
			// Chromium writes pre-skip 0 and trims nothing.
			requireAccepted(t, out, res.Samples/3)
		})
	}
}

// TestFromMatroskaMemoryIsBounded remuxes a 2-hour recording and a
// 10-minute one: what the remux allocates must not grow with the length.
func TestFromMatroskaMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 2-hour recording")
	}
	alloc := func(minutes int) float64 {
		in := longRecording(t, minutes)
		return testing.AllocsPerRun(1, func() {
			if _, err := opusremux.FromMatroska(bytes.NewReader(in), int64(len(in)), io.Discard); err != nil {
				t.Fatal(err)
			}
		})
	}
	short, long := alloc(10), alloc(120)
	if long > short+10 {
		t.Errorf("%v allocations for 2 hours, %v for 10 minutes", long, short)
	}
}

// longRecording is a Chrome-shaped recording of 60 ms packets of 180
// bytes (24 kbit/s) lasting minutes.
func longRecording(t testing.TB, minutes int) []byte {
	p := append([]byte{0xfc | 3, 3}, bytes.Repeat([]byte{0x55}, 177)...) // CELT 20 ms × 3, CBR
	if _, err := opus.Validate(p); err != nil {
		t.Fatal(err)
	}
	n := minutes * 60 * 1000 / 60
	ps := make([][]byte, n)
	for i := range ps {
		ps[i] = p
	}
	return Chrome(Recording{Channels: 1, Packets: ps, ClusterMS: 1000, Jitter: func(i int) int { return i % 11 }})
}

func BenchmarkFromMatroska1h(b *testing.B) {
	in := longRecording(b, 60)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := opusremux.FromMatroska(bytes.NewReader(in), int64(len(in)), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
