package fixplan_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fixplan"
	"github.com/audiopreflight/audiopreflight/internal/oggmux"
	. "github.com/audiopreflight/audiopreflight/internal/webm/webmtest"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

func planBytes(t *testing.T, name string, data []byte) *fixplan.Plan {
	t.Helper()
	req := validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}
	r := bytes.NewReader(data)
	info, err := probe.Probe(r, int64(len(data)), name)
	if err != nil {
		t.Fatal(err)
	}
	read, err := probe.ReadAll(r, int64(len(data)), info)
	if err != nil {
		t.Fatal(err)
	}
	d := validate.Decide(req, validate.Evidence{Input: name, Size: int64(len(data)), Head: data[:min(16, len(data))], Info: info, Read: read})
	return fixplan.Lossless(req, fixplan.Input{Name: name, R: r, Size: int64(len(data)), Info: info, Decision: d})
}

func wav(rate, channels int, dataSize uint32, frames int) []byte {
	align := 2 * channels
	pcm := make([]byte, frames*align)
	for i := range pcm {
		pcm[i] = byte(i * 7)
	}
	b := []byte("RIFF")
	b = binary.LittleEndian.AppendUint32(b, uint32(36+len(pcm)))
	b = append(b, "WAVEfmt "...)
	b = binary.LittleEndian.AppendUint32(b, 16)
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, uint16(channels))
	b = binary.LittleEndian.AppendUint32(b, uint32(rate))
	b = binary.LittleEndian.AppendUint32(b, uint32(rate*align))
	b = binary.LittleEndian.AppendUint16(b, uint16(align))
	b = binary.LittleEndian.AppendUint16(b, 16)
	b = append(b, "data"...)
	b = binary.LittleEndian.AppendUint32(b, dataSize)
	return append(b, pcm...)
}

// opusPackets are the audio packets of a committed 48 kHz stereo file.
func opusPackets(t *testing.T) [][]byte {
	b, err := os.ReadFile("../../testdata/corpus/ogg/opus-48k-stereo.opus")
	if err != nil {
		t.Fatal(err)
	}
	pk := oggmux.NewPacketReader(bytes.NewReader(b), int64(len(b)))
	var out [][]byte
	for i := 0; ; i++ {
		p, err := pk.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if i >= 2 {
			out = append(out, bytes.Clone(p.Data))
		}
	}
}

func oggOpus(t *testing.T, head []byte, packets [][]byte, eos bool) []byte {
	var b bytes.Buffer
	w := oggmux.NewWriter(&b, 5)
	for _, h := range [][]byte{head, []byte("OpusTags\x00\x00\x00\x00\x00\x00\x00\x00")} {
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range packets {
		if err := w.WritePacket(p, int64(960*(i+1)), 960); err != nil {
			t.Fatal(err)
		}
	}
	if eos {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func TestLossless(t *testing.T) {
	ps := opusPackets(t)
	surround := append(append(OpusHead(6, 312, 48000)[:18], 1), 4, 2, 0, 4, 1, 2, 3, 5)
	stereo48 := oggOpus(t, OpusHead(2, 312, 48000), ps, true)
	long := oggOpus(t, OpusHead(2, 312, 48000), slices.Repeat(ps, 10), true) // 3 s: three pages
	vorbisWebM := append(EBMLHeader("webm"), Elem(IDSegment, Elem(IDTracks, Elem(IDTrackEntry, Uint(0xD7, 1), Uint(0x83, 2), Str(0x86, "A_VORBIS"))))...)
	tests := []struct {
		name     string
		file     string
		data     []byte
		path     fixplan.Path
		why      string
		decode   bool
		repaired bool
	}{
		{"accepted as it is", "a.wav", wav(16000, 1, 3200, 1600), fixplan.PathNone, "", false, false},
		{"48 kHz stereo Ogg-Opus", "a.opus", stereo48, fixplan.PathOpusHeader, "", false, false},
		{"surround Ogg-Opus", "a.opus", oggOpus(t, surround, ps, true), fixplan.PathNone, "4 Opus streams", true, false},
		{"Ogg-Opus cut short: the header is not what is wrong", "a.opus", long[:len(long)-40], fixplan.PathNone, "would still answer FailedToUseAudio", false, false},
		{"a Chrome recording", "a.webm", Chrome(Recording{Channels: 2, Packets: ps, PacketMS: 20, ClusterMS: 250}), fixplan.PathOpusRemux, "", false, false},
		{"WebM with Vorbis", "a.webm", vorbisWebM, fixplan.PathNone, "no Opus audio track (audio is A_VORBIS)", true, false},
		{"streaming WAV", "a.wav", wav(16000, 1, 0, 1600), fixplan.PathWAVHeader, "", false, false},
		{"44.1 kHz stereo WAV", "a.wav", wav(44100, 2, 4*1600, 1600), fixplan.PathNone, "44100 Hz, 2 channels", true, false},
		{"44.1 kHz stereo streaming WAV", "a.wav", wav(44100, 2, 0, 1600), fixplan.PathNone, "44100 Hz, 2 channels", true, true},
		{"WAV without audio", "a.wav", wav(16000, 1, 0, 0), fixplan.PathNone, "holds 0 bytes", false, false},
		{"MP3", "a.mp3", []byte("\xff\xfb\x90\x64" + strings.Repeat("\x00", 400)), fixplan.PathNone, "no lossless path for mp3", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planBytes(t, tt.file, tt.data)
			if p.Path != tt.path || !strings.Contains(p.Why, tt.why) || (tt.why == "") != (p.Why == "") || p.Decode != tt.decode {
				t.Fatalf("plan: path %q, why %q, decode %v; want %q, %q, %v", p.Path, p.Why, p.Decode, tt.path, tt.why, tt.decode)
			}
			if _, _, ok := p.Repaired(); ok != (tt.repaired || p.Path == fixplan.PathWAVHeader) {
				t.Errorf("Repaired: %v", ok)
			}
			var out bytes.Buffer
			o, err := p.Apply(&out)
			if p.Path == fixplan.PathNone {
				if !errors.Is(err, fixplan.ErrNoPath) {
					t.Errorf("Apply without a path: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(o.Steps) == 0 || o.Written != int64(out.Len()) {
				t.Errorf("outcome %+v for %d bytes", o, out.Len())
			}
			// The closed loop: what check says of the output.
			fixed := planBytes(t, "fixed"+p.Ext, out.Bytes())
			if fixed.Path != fixplan.PathNone || fixed.Why != "" {
				t.Errorf("the output is not accepted: %q", fixed.Why)
			}
			if p.Expected != nil && !p.Expected.Accepted() {
				t.Errorf("expected decision %+v", p.Expected)
			}
		})
	}
}

// TestRepairedFeedsDecoding: a WAV whose header the API refuses and
// whose audio needs resampling is still useful to a decoding path, which
// reads the repaired view instead of the input.
func TestRepairedFeedsDecoding(t *testing.T) {
	p := planBytes(t, "a.wav", wav(44100, 2, 0, 1000))
	r, size, ok := p.Repaired()
	if !ok {
		t.Fatal("no repaired view")
	}
	info, err := probe.Probe(r, size, "repaired.wav")
	if err != nil || !info.Opens || info.SampleRate != 44100 || info.Channels != 2 || info.Frames != 1000 {
		t.Fatalf("the repaired view opens as %+v, %v", info, err)
	}
}

// TestRepairedFeedsDecodingWhenTooBig: a streaming WAV whose rewritten
// header would leave it over the sync limit (and at the wrong rate) is
// still a repair a decoding path can use: re-encoding as FLAC changes its
// size as well as its format.
func TestRepairedFeedsDecodingWhenTooBig(t *testing.T) {
	data := wav(44100, 2, 0, 4000)
	req := validate.Request{Type: validate.Unscripted, SyncLimit: 8000}
	r := bytes.NewReader(data)
	info, err := probe.Probe(r, int64(len(data)), "a.wav")
	if err != nil {
		t.Fatal(err)
	}
	read, err := probe.ReadAll(r, int64(len(data)), info)
	if err != nil {
		t.Fatal(err)
	}
	d := validate.Decide(req, validate.Evidence{Input: "a.wav", Size: int64(len(data)), Head: data[:16], Info: info, Read: read})
	p := fixplan.Lossless(req, fixplan.Input{Name: "a.wav", R: r, Size: int64(len(data)), Info: info, Decision: d})
	if p.Path != fixplan.PathNone || !p.Decode || !strings.Contains(p.Why, "AudioTooBigForSync") {
		t.Fatalf("plan: path %q, decode %v, why %q", p.Path, p.Decode, p.Why)
	}
	rr, size, ok := p.Repaired()
	if !ok {
		t.Fatal("no repaired view")
	}
	if info, err := probe.Probe(rr, size, "repaired.wav"); err != nil || !info.Opens || info.Frames != 4000 {
		t.Fatalf("the repaired view opens as %+v, %v", info, err)
	}
}
