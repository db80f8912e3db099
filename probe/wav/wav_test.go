package wav_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// A tiny builder for hand-made files.

func le16(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func le32(v int) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(v)) }
func be16(v int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func be32(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }
func le64(v int64) []byte {
	return binary.LittleEndian.AppendUint64(nil, uint64(v))
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// chunk is id, the body's length, the body and a pad byte when odd.
func chunk(id string, body []byte) []byte {
	b := cat([]byte(id), le32(len(body)), body)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// sized is a chunk whose size field says size whatever the body.
func sized(id string, size int, body []byte) []byte { return cat([]byte(id), le32(size), body) }

func riff(chunks ...[]byte) []byte {
	body := cat(append([][]byte{[]byte("WAVE")}, chunks...)...)
	return cat([]byte("RIFF"), le32(len(body)), body)
}

type fmtSpec struct {
	tag, ch, rate, bits, align int
	extra                      []byte // cbSize and what follows, when set
}

func fmtBody(f fmtSpec) []byte {
	if f.ch == 0 && f.tag == 0 {
		f = fmtSpec{tag: 1, ch: 1, rate: 16000, bits: 16, align: 2}
	}
	b := cat(le16(f.tag), le16(f.ch), le32(f.rate), le32(f.rate*f.align), le16(f.align), le16(f.bits))
	if f.extra != nil {
		b = cat(b, le16(len(f.extra)), f.extra)
	}
	return b
}

func pcm16(n int) []byte {
	b := make([]byte, 2*n)
	for i := range n {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(i*97))
	}
	return b
}

var fmt16 = chunk("fmt ", fmtBody(fmtSpec{}))

func extensible(sub uint16, bits, valid int) []byte {
	guid := cat(le16(int(sub)), []byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71})
	return fmtBody(fmtSpec{tag: 0xFFFE, ch: 1, rate: 16000, bits: bits, align: (bits + 7) / 8,
		extra: cat(le16(valid), le32(4), guid)})
}

func imaFmt(align, spb int) []byte {
	return fmtBody(fmtSpec{tag: 0x11, ch: 1, rate: 16000, bits: 4, align: align, extra: le16(spb)})
}

func msFmt(align, spb int) []byte {
	coeffs := []int{256, 0, 512, -256, 0, 0, 192, 64, 240, 0, 460, -208, 392, -232}
	var c []byte
	for _, v := range coeffs {
		c = append(c, le16(v)...)
	}
	return fmtBody(fmtSpec{tag: 0x02, ch: 1, rate: 16000, bits: 4, align: align, extra: cat(le16(spb), le16(7), c)})
}

func gsmFmt() []byte {
	return fmtBody(fmtSpec{tag: 0x31, ch: 1, rate: 8000, bits: 0, align: 65, extra: le16(320)})
}

type want struct {
	opens          bool
	format         string // "WAV/PCM_16"
	rate, channels int
	frames         int64
	warning        string // a substring of one of the warnings
	variant        string
	held           int64 // Info.FramesHeld
}

func check(t *testing.T, name string, data []byte, w want) *probe.Info {
	t.Helper()
	info, err := probe.Probe(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if info.Opens != w.opens {
		t.Fatalf("%s: opens=%v (%s), want %v", name, info.Opens, info.OpenError, w.opens)
	}
	if w.variant != "" && info.Variant != w.variant {
		t.Errorf("%s: variant %q, want %q", name, info.Variant, w.variant)
	}
	if w.warning != "" && !strings.Contains(strings.Join(info.Warnings, "\n"), w.warning) {
		t.Errorf("%s: warnings %q lack %q", name, info.Warnings, w.warning)
	}
	if !w.opens {
		if info.OpenError == "" {
			t.Errorf("%s: no open error", name)
		}
		return info
	}
	if got := info.SndfileFormat + "/" + info.SndfileSubtype; got != w.format {
		t.Errorf("%s: %s, want %s", name, got, w.format)
	}
	if w.rate != 0 && info.SampleRate != w.rate {
		t.Errorf("%s: rate %d, want %d", name, info.SampleRate, w.rate)
	}
	if w.channels != 0 && info.Channels != w.channels {
		t.Errorf("%s: %d channels, want %d", name, info.Channels, w.channels)
	}
	if info.FramesHeld != w.held {
		t.Errorf("%s: holds %d frames by its header, want %d", name, info.FramesHeld, w.held)
	}
	if info.Frames != w.frames {
		t.Errorf("%s: %d frames, want %d", name, info.Frames, w.frames)
	}
	res, err := probe.ReadAll(bytes.NewReader(data), int64(len(data)), info)
	if err != nil || res == nil {
		t.Fatalf("%s: ReadAll: %v %v", name, res, err)
	}
	if res.FramesRead != w.frames || res.ReadError != "" {
		t.Errorf("%s: read %d frames (%q), want %d", name, res.FramesRead, res.ReadError, w.frames)
	}
	return info
}

// Each case's outcome was checked with the reference model (libsndfile
// 1.2.0 through python-soundfile).
func TestRules(t *testing.T) {
	audio := pcm16(100)
	list := chunk("LIST", cat([]byte("INFO"), chunk("ISFT", []byte("Lavf59.27.100\x00"))))
	tests := []struct {
		name string
		data []byte
		want want
	}{
		{"plain", riff(fmt16, chunk("data", audio)), want{opens: true, format: "WAV/PCM_16", rate: 16000, channels: 1, frames: 100, variant: "RIFF"}},
		{"ffmpeg style", riff(fmt16, list, chunk("data", audio)), want{opens: true, format: "WAV/PCM_16", frames: 100}},
		{"8-bit is unsigned", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 1, ch: 1, rate: 8000, bits: 8, align: 1})), chunk("data", audio)),
			want{opens: true, format: "WAV/PCM_U8", rate: 8000, frames: 200}},
		{"12 bits read as 16", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 1, ch: 1, rate: 16000, bits: 12, align: 2})), chunk("data", audio)),
			want{opens: true, format: "WAV/PCM_16", frames: 100}},
		{"block align 0 is fixed", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 1, ch: 1, rate: 16000, bits: 16, align: 0})), chunk("data", audio)),
			want{opens: true, format: "WAV/PCM_16", frames: 100}},
		{"zero channels", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 1, ch: 0, rate: 16000, bits: 16, align: 2})), chunk("data", audio)), want{}},
		{"1025 channels", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 1, ch: 1025, rate: 16000, bits: 16, align: 2})), chunk("data", audio)), want{}},
		{"33 bits", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 1, ch: 1, rate: 16000, bits: 33, align: 5})), chunk("data", audio)), want{}},
		{"rate 0", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 1, ch: 1, rate: 0, bits: 16, align: 2})), chunk("data", audio)), want{}},
		{"unknown tag", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 0x1234, ch: 1, rate: 16000, bits: 16, align: 2})), chunk("data", audio)), want{}},
		{"MPEG layer I/II tag", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 0x50, ch: 1, rate: 16000, bits: 0, align: 1, extra: make([]byte, 22)})), chunk("data", audio)), want{}},
		{"float 32", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 3, ch: 1, rate: 16000, bits: 32, align: 4})), chunk("data", audio)),
			want{opens: true, format: "WAV/FLOAT", frames: 50}},
		{"float 24", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 3, ch: 1, rate: 16000, bits: 24, align: 3})), chunk("data", audio)), want{}},
		{"float 64", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 3, ch: 1, rate: 16000, bits: 64, align: 8})), chunk("data", audio)),
			want{opens: true, format: "WAV/DOUBLE", frames: 25}},
		{"fmt shorter than 16", riff(chunk("fmt ", fmtBody(fmtSpec{})[:14]), chunk("data", audio)), want{}},
		{"fmt of 18 bytes", riff(chunk("fmt ", cat(fmtBody(fmtSpec{}), le16(0))), chunk("data", audio)), want{opens: true, format: "WAV/PCM_16", frames: 100}},
		{"fmt declares 1 GiB (36 bytes)", cat([]byte("RIFF"), le32(28), []byte("WAVE"), sized("fmt ", 1<<30, nil), make([]byte, 16)), want{}},
		{"LIST declares 1 GiB (24 bytes)", cat([]byte("RIFF"), le32(16), []byte("WAVE"), sized("LIST", 1<<30, []byte("INFO"))), want{}},
		{"no data chunk", riff(fmt16, list), want{}},
		{"data before fmt", riff(chunk("data", audio), fmt16), want{}},
		{"no fmt chunk", riff(list, chunk("data", audio)), want{}},
		{"second fmt is not skipped", riff(fmt16, chunk("fmt ", fmtBody(fmtSpec{})), chunk("data", audio)), want{}},
		{"data inside LIST", riff(fmt16, chunk("LIST", cat([]byte("INFO"), chunk("data", audio)))), want{opens: true, format: "WAV/PCM_16", frames: 100}},
		{"truncated", riff(fmt16, chunk("data", audio))[:44+150],
			want{opens: true, format: "WAV/PCM_16", frames: 75, held: 100, warning: "declares 200 bytes of audio but the file ends 50 bytes early"}},
		{"truncated IMA ADPCM", func() []byte {
			b := riff(chunk("fmt ", imaFmt(256, 505)), chunk("data", make([]byte, 1024)))
			return b[:len(b)-512]
		}(),
			want{opens: true, format: "WAV/IMA_ADPCM", frames: 1010, held: 2020, warning: "cut short"}},
		{"data size 0xFFFFFFFF", cat(riff(fmt16, sized("data", 0xFFFFFFFF, nil)), audio),
			want{opens: true, format: "WAV/PCM_16", frames: 100, warning: "0xFFFFFFFF"}},
		{"data size 0, audio after", cat(riff(fmt16, sized("data", 0, nil), list), audio),
			want{opens: true, format: "WAV/PCM_16", frames: 0, warning: "reads zero frames"}},
		{"data size 0, writer never closed", cat([]byte("RIFF"), le32(8), []byte("WAVE"), fmt16, sized("data", 0, audio)),
			want{opens: true, format: "WAV/PCM_16", frames: 100}},
		{"odd data with pad byte", riff(fmt16, chunk("data", audio[:199]), list), want{opens: true, format: "WAV/PCM_16", frames: 99}},
		{"odd JUNK without pad byte", riff(fmt16, sized("JUNK", 5, []byte("xxxxx")), chunk("data", audio)), want{}},
		{"odd JUNK with pad byte", riff(fmt16, chunk("JUNK", []byte("xxxxx")), chunk("data", audio)), want{opens: true, format: "WAV/PCM_16", frames: 100}},
		{"fact of size 0 eats the next header", riff(fmt16, sized("fact", 0, nil), chunk("data", audio)), want{}},
		{"PEAK of the wrong size", riff(fmt16, chunk("PEAK", make([]byte, 8)), chunk("data", audio)), want{}},
		{"PEAK before fmt", riff(chunk("PEAK", make([]byte, 16)), fmt16, chunk("data", audio)), want{}},
		{"PEAK", riff(fmt16, chunk("PEAK", make([]byte, 16)), chunk("data", audio)), want{opens: true, format: "WAV/PCM_16", frames: 100}},
		{"second RIFF header", riff(fmt16, chunk("RIFF", []byte("WAVE")), chunk("data", audio)), want{}},
		{"WavPack data", riff(fmt16, chunk("data", cat([]byte("wvpk"), audio))), want{}},
		{"ID3v1 trailer", cat(riff(fmt16, chunk("data", audio)), []byte("TAG"), make([]byte, 125)), want{opens: true, format: "WAV/PCM_16", frames: 100}},
		{"24 bits in 32-bit blocks, int samples", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 1, ch: 1, rate: 16000, bits: 24, align: 4})),
			chunk("data", bytes.Repeat([]byte{0, 1, 2, 0}, 2000))), want{opens: true, format: "WAV/PCM_32", frames: 2000}},
		{"extensible PCM", riff(chunk("fmt ", extensible(1, 16, 16)), chunk("data", audio)), want{opens: true, format: "WAVEX/PCM_16", frames: 100}},
		{"extensible float", riff(chunk("fmt ", extensible(3, 32, 32)), chunk("data", audio)), want{opens: true, format: "WAVEX/FLOAT", frames: 50}},
		{"extensible unknown sub-format", riff(chunk("fmt ", extensible(0x55, 16, 16)), chunk("data", audio)), want{}},
		{"extensible in 16 bytes", riff(chunk("fmt ", fmtBody(fmtSpec{tag: 0xFFFE, ch: 1, rate: 16000, bits: 16, align: 2})), chunk("data", audio)), want{}},
		{"IMA ADPCM partial block counts whole", riff(chunk("fmt ", imaFmt(256, 505)), chunk("data", make([]byte, 300))),
			want{opens: true, format: "WAV/IMA_ADPCM", frames: 1010}},
		{"IMA ADPCM wrong samples per block", riff(chunk("fmt ", imaFmt(256, 500)), chunk("data", make([]byte, 512))), want{}},
		{"IMA ADPCM block align 0", riff(chunk("fmt ", imaFmt(0, 505)), chunk("data", make([]byte, 512))), want{}},
		{"MS ADPCM partial block does not count", riff(chunk("fmt ", msFmt(256, 500)), chunk("data", make([]byte, 300))),
			want{opens: true, format: "WAV/MS_ADPCM", frames: 500}},
		{"MS ADPCM bad predictor reads", riff(chunk("fmt ", msFmt(256, 500)), chunk("data", bytes.Repeat([]byte{0xEE}, 512))),
			want{opens: true, format: "WAV/MS_ADPCM", frames: 1000}},
		{"GSM 6.10 partial block counts whole", riff(chunk("fmt ", gsmFmt()), chunk("data", make([]byte, 100))),
			want{opens: true, format: "WAV/GSM610", rate: 8000, frames: 640}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.name+".wav", tc.data, tc.want) })
	}
}

// RIFX is big-endian throughout; a 'cue ' chunk switches libsndfile's
// header reads to little-endian for the rest of the file.
func TestRIFX(t *testing.T) {
	audio := pcm16(100)
	fmtBE := cat([]byte("fmt "), be32(16), be16(1), be16(1), be32(16000), be32(32000), be16(2), be16(16))
	plain := cat([]byte("RIFX"), be32(4+24+8+200), []byte("WAVE"), fmtBE, []byte("data"), be32(200), audio)
	info := check(t, "rifx.wav", plain, want{opens: true, format: "WAV/PCM_16", frames: 100, variant: "RIFX"})
	if info.Codec != "pcm_s16be" {
		t.Errorf("codec %q", info.Codec)
	}
	cue := cat([]byte("cue "), be32(4), be32(0))
	swapped := cat([]byte("RIFX"), be32(0), []byte("WAVE"), fmtBE, cue, []byte("data"), le32(200), audio)
	// With no cue points the switch never happens: the data size is read
	// big-endian, 0xC8000000 bytes, of which 200 are there.
	check(t, "rifx-cue.wav", swapped, want{opens: true, format: "WAV/PCM_16", frames: 100, held: 0xC8000000 / 2})
}

func TestRF64(t *testing.T) {
	audio := pcm16(100)
	ds64 := func(dataSize int64) []byte {
		return chunk("ds64", cat(le64(0), le64(dataSize), le64(0), le32(0)))
	}
	head := cat([]byte("RF64"), le32(-1), []byte("WAVE"))
	check(t, "rf64.wav", cat(head, ds64(200), fmt16, sized("data", -1, audio)), want{opens: true, format: "RF64/PCM_16", frames: 100, variant: "RF64"})
	check(t, "rf64-small.wav", cat(head, ds64(100), fmt16, sized("data", -1, audio)), want{opens: true, format: "RF64/PCM_16", frames: 50})
	check(t, "rf64-large.wav", cat(head, ds64(1<<40), fmt16, sized("data", -1, audio)), want{opens: true, format: "RF64/PCM_16", frames: 100, held: 1 << 39})
	// Without ds64 a 0xFFFFFFFF data size leaves the length unset: no open.
	check(t, "rf64-no-ds64.wav", cat(head, fmt16, sized("data", -1, audio)), want{})
	check(t, "rf64-ima.wav", cat(head, ds64(512), chunk("fmt ", imaFmt(256, 505)), sized("data", -1, make([]byte, 512))), want{})
	check(t, "bw64.wav", cat([]byte("BW64"), le32(-1), []byte("WAVE"), ds64(200), fmt16, sized("data", -1, audio)), want{variant: "BW64"})
}

func w64Chunk(guid []byte, body []byte) []byte {
	b := cat(guid, le64(int64(24+len(body))), body)
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	return b
}

var (
	w64Tail  = []byte{0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A}
	w64RIFF  = []byte{'r', 'i', 'f', 'f', 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00}
	w64WAVE  = cat([]byte("wave"), w64Tail)
	w64FMT   = cat([]byte("fmt "), w64Tail)
	w64DATA  = cat([]byte("data"), w64Tail)
	w64ACID  = []byte{0x6D, 0x07, 0x1C, 0xEA, 0xA3, 0xEF, 0x78, 0x4C, 0x90, 0x57, 0x7F, 0x79, 0xEE, 0x25, 0x2A, 0xAE}
	w64Junk  = cat([]byte("junk"), w64Tail)
	w64Audio = pcm16(100)
)

func w64(chunks ...[]byte) []byte {
	body := cat(append([][]byte{w64WAVE}, chunks...)...)
	return cat(w64RIFF, le64(int64(24+len(body))), body)
}

func TestW64(t *testing.T) {
	fmtc := w64Chunk(w64FMT, fmtBody(fmtSpec{}))
	info := check(t, "a.w64", w64(fmtc, w64Chunk(w64DATA, w64Audio)), want{opens: true, format: "W64/PCM_16", rate: 16000, frames: 100})
	if info.Container != probe.ContainerW64 {
		t.Errorf("container %q", info.Container)
	}
	check(t, "junk.w64", w64(fmtc, w64Chunk(w64Junk, make([]byte, 13)), w64Chunk(w64DATA, w64Audio)), want{opens: true, format: "W64/PCM_16", frames: 100})
	check(t, "truncated.w64", w64(fmtc, w64Chunk(w64DATA, w64Audio))[:80+24+50], want{opens: true, format: "W64/PCM_16", frames: 25, held: 100})
	check(t, "acid.w64", w64(w64Chunk(w64ACID, nil), fmtc, w64Chunk(w64DATA, w64Audio)), want{})
	check(t, "no-data.w64", w64(fmtc), want{})
	check(t, "data-first.w64", w64(w64Chunk(w64DATA, w64Audio), fmtc), want{})
}

// The header cache may not grow past 100 KiB: after some 64 KiB of small
// chunks every header read yields zeros and the walk ends without audio.
func TestHeaderCacheLimit(t *testing.T) {
	audio := pcm16(100)
	var many []byte
	for range 9000 {
		many = append(many, sized("JUNK", 0, nil)...)
	}
	check(t, "cache-full.wav", riff(fmt16, many, chunk("data", audio)), want{})
	check(t, "cache-not-full.wav", riff(fmt16, many[:8*7000], chunk("data", audio)), want{opens: true, format: "WAV/PCM_16", frames: 100})
	// One large chunk is skipped by a seek and costs no cache.
	check(t, "big-junk.wav", riff(fmt16, chunk("JUNK", make([]byte, 200000)), chunk("data", audio)), want{opens: true, format: "WAV/PCM_16", frames: 100})
}

// Inputs that are too short for libsndfile's 12-byte sniff are not WAV.
func TestTooShort(t *testing.T) {
	full := riff(fmt16, chunk("data", pcm16(10)))
	for n := 0; n < 12; n++ {
		info, err := probe.Probe(bytes.NewReader(full[:n]), int64(n), "x.wav")
		if err != nil {
			t.Fatal(err)
		}
		if info.Opens || info.Container == probe.ContainerWAV {
			t.Errorf("%d bytes: opens=%v container=%q", n, info.Opens, info.Container)
		}
	}
}

// libsndfile reads 12 bytes of the MPEG layer 3 fmt extension (wID as 4
// bytes, fdwFlags as 2, no nCodecDelay), so a 28-byte fmt chunk opens and a
// 26-byte one does not. Checked with the reference model; the frame count
// is libmpg123's, from the first byte of the file.
func TestMPEGFmtSize(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "wav", "mp3-16k-mono.wav"))
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(data, []byte("fmt "))
	if at < 0 || binary.LittleEndian.Uint32(data[at+4:]) != 30 {
		t.Fatal("no 30-byte fmt chunk in mp3-16k-mono.wav")
	}
	for _, tc := range []struct {
		size   int
		opens  bool
		frames int64
	}{{30, true, 6616}, {28, true, 6608}, {26, false, 0}} {
		body := cat(data[at+8:at+24], le16(tc.size-18), data[at+26:at+8+tc.size])
		file := cat(data[:at], chunk("fmt ", body), data[at+8+30:])
		file = cat(file[:4], le32(len(file)-8), file[8:])
		info, err := probe.Probe(bytes.NewReader(file), int64(len(file)), "mp3.wav")
		if err != nil {
			t.Fatal(err)
		}
		if info.Opens != tc.opens || info.Frames != tc.frames || (tc.opens && info.SndfileSubtype != "MPEG_LAYER_III") {
			t.Errorf("fmt of %d bytes: opens=%v (%s) %s frames %d, want opens=%v frames %d",
				tc.size, info.Opens, info.OpenError, info.SndfileSubtype, info.Frames, tc.opens, tc.frames)
		}
	}
}
