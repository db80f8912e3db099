package aiff

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

func be16(v int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func be32(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

func chunk(id string, body []byte) []byte {
	b := append([]byte(id), be32(len(body))...)
	b = append(b, body...)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func form(typ string, chunks ...[]byte) []byte {
	body := []byte(typ)
	for _, c := range chunks {
		body = append(body, c...)
	}
	return append(append([]byte("FORM"), be32(len(body))...), body...)
}

// rate16k is 16000 as an 80-bit extended float.
var rate16k = []byte{0x40, 0x0C, 0xFA, 0, 0, 0, 0, 0, 0, 0}

func commChunk(ch, frames, bits int, rate []byte, enc string) []byte {
	b := append(be16(ch), be32(frames)...)
	b = append(b, be16(bits)...)
	b = append(b, rate...)
	if enc != "" {
		b = append(b, enc...)
		b = append(b, 0, 0)
	}
	return chunk("COMM", b)
}

func ssnd(offset int, data []byte) []byte {
	return chunk("SSND", append(append(be32(offset), be32(0)...), data...))
}

func probeBytes(t *testing.T, b []byte) (*probe.Info, *probe.ReadResult) {
	t.Helper()
	info, err := ReadHeader(bytes.NewReader(b), int64(len(b)))
	if info == nil {
		t.Fatal("no info")
	}
	info.Opens = err == nil
	if err != nil {
		info.OpenError = err.Error()
		return info, nil
	}
	if info.Settled != nil {
		return info, info.Settled
	}
	res, _ := ReadAll(bytes.NewReader(b), int64(len(b)), info)
	return info, res
}

func TestAIFFTable(t *testing.T) {
	pcm := make([]byte, 3200)
	for _, c := range []struct {
		name    string
		in      []byte
		opens   bool
		subtype string
		rate    int
		frames  int64
		errHas  string
	}{
		{"plain 16-bit", form("AIFF", commChunk(1, 1600, 16, rate16k, ""), ssnd(0, pcm)), true, "PCM_16", 16000, 1600, ""},
		{"frames come from the data, not COMM", form("AIFF", commChunk(1, 5, 16, rate16k, ""), ssnd(0, pcm)), true, "PCM_16", 16000, 1600, ""},
		{"SSND offset skips data", form("AIFF", commChunk(1, 1600, 16, rate16k, ""), ssnd(100, pcm)), true, "PCM_16", 16000, 1550, ""},
		{"8-bit", form("AIFF", commChunk(2, 1600, 8, rate16k, ""), ssnd(0, pcm)), true, "PCM_S8", 16000, 1600, ""},
		{"AIFC sowt", form("AIFC", commChunk(1, 1600, 16, rate16k, "sowt"), ssnd(0, pcm)), true, "PCM_16", 16000, 1600, ""},
		{"AIFC ulaw", form("AIFC", commChunk(1, 3200, 16, rate16k, "ulaw"), ssnd(0, pcm)), true, "ULAW", 16000, 3200, ""},
		{"AIFC fl32 with a wrong sample size", form("AIFC", commChunk(1, 800, 16, rate16k, "fl32"), ssnd(0, pcm)), true, "FLOAT", 16000, 800, ""},
		{"AIFC ima4", form("AIFC", commChunk(1, 0, 16, rate16k, "ima4"), ssnd(0, pcm[:340])), true, "IMA_ADPCM", 16000, 640, ""},
		{"GSM capped by COMM", form("AIFC", commChunk(1, 100, 16, rate16k, "GSM "), ssnd(0, pcm[:330])), true, "GSM610", 16000, 100, ""},
		{"AIFC MP3 is refused", form("AIFC", commChunk(1, 1152, 16, rate16k, ".mp3"), ssnd(0, pcm)), false, "", 0, 0, "MP3"},
		{"unknown compression", form("AIFC", commChunk(1, 1600, 16, rate16k, "QDM2"), ssnd(0, pcm)), false, "", 0, 0, "QDM2"},
		{"no SSND", form("AIFF", commChunk(1, 1600, 16, rate16k, "")), false, "", 0, 0, ""},
		{"no COMM", form("AIFF", ssnd(0, pcm)), false, "", 0, 0, ""},
		{"no channels", form("AIFF", commChunk(0, 1600, 16, rate16k, ""), ssnd(0, pcm)), false, "", 0, 0, ""},
		{"rate zero reads as 1", form("AIFF", commChunk(1, 1600, 16, make([]byte, 10), ""), ssnd(0, pcm)), true, "PCM_16", 1, 1600, ""},
		{"negative rate reads as 0", form("AIFF", commChunk(1, 1600, 16, []byte{0xC0, 0x0C, 0xFA, 0, 0, 0, 0, 0, 0, 0}, ""), ssnd(0, pcm)), false, "", 0, 0, "sample rate"},
		{"rate below one reads as 1", form("AIFF", commChunk(1, 1600, 16, []byte{0x3F, 0xFE, 0x80, 0, 0, 0, 0, 0, 0, 0}, ""), ssnd(0, pcm)), true, "PCM_16", 1, 1600, ""},
		{"12-bit samples use 2 bytes", form("AIFF", commChunk(1, 1600, 12, rate16k, ""), ssnd(0, pcm)), true, "PCM_16", 16000, 1600, ""},
		{"40-bit samples", form("AIFF", commChunk(1, 1600, 40, rate16k, ""), ssnd(0, pcm)), false, "", 0, 0, ""},
		{"other FORM type", form("ILBM", chunk("BMHD", make([]byte, 20))), false, "", 0, 0, "ILBM"},
		{"too short", []byte("FORM\x00\x00\x00\x04"), false, "", 0, 0, ""},
		{"8SVX", form("8SVX", chunk("VHDR", append(make([]byte, 12), 0x3E, 0x80, 1, 0, 0, 1, 0, 0)), chunk("BODY", pcm[:1000])), true, "PCM_S8", 16000, 1000, ""},
		{"compressed 8SVX", form("8SVX", chunk("VHDR", append(make([]byte, 12), 0x3E, 0x80, 1, 1, 0, 1, 0, 0)), chunk("BODY", pcm[:1000])), false, "", 0, 0, "compressed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, res := probeBytes(t, c.in)
			if info.Opens != c.opens {
				t.Fatalf("opens=%v (%s) want %v", info.Opens, info.OpenError, c.opens)
			}
			if info.Container != probe.ContainerAIFF {
				t.Errorf("container %q", info.Container)
			}
			if c.errHas != "" && !strings.Contains(info.OpenError, c.errHas) {
				t.Errorf("error %q does not mention %q", info.OpenError, c.errHas)
			}
			if !c.opens {
				return
			}
			if info.SndfileSubtype != c.subtype || info.SampleRate != c.rate || info.Frames != c.frames {
				t.Errorf("got %s %d Hz %d frames, want %s %d Hz %d frames", info.SndfileSubtype, info.SampleRate, info.Frames, c.subtype, c.rate, c.frames)
			}
			if res == nil || res.FramesRead != c.frames || res.ReadError != "" {
				t.Errorf("read %+v", res)
			}
		})
	}
}

func TestTenByteFloat(t *testing.T) {
	for _, c := range []struct {
		b    []byte
		want int32
	}{
		{rate16k, 16000},
		{[]byte{0x40, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0}, 44100},
		{[]byte{0x40, 0x0B, 0xFA, 0, 0, 0, 0, 0, 0, 0}, 8000},
		{[]byte{0xC0, 0x0C, 0xFA, 0, 0, 0, 0, 0, 0, 0}, 0},
		{[]byte{0x3F, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0}, 1},
		{[]byte{0x41, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0x4000000},
		{[]byte{0x40, 0x1D, 0, 0, 0, 0, 0, 0, 0, 0}, 800000000},
	} {
		if got := tenByteFloatToInt(c.b); got != c.want {
			t.Errorf("%x: %d want %d", c.b, got, c.want)
		}
	}
}

// DWVW files open with the frames a full decode finds, and every read of
// them fails: libsndfile cannot seek in DWVW and the server seeks after
// each block.
func TestDWVWReadFails(t *testing.T) {
	// Delta-width modifier 0 and width 0 over and over: one bit per sample.
	data := bytes.Repeat([]byte{0xFF}, 100)
	in := form("AIFC", commChunk(1, 100000, 16, rate16k, "DWVW"), ssnd(0, data))
	info, res := probeBytes(t, in)
	if !info.Opens || info.SndfileSubtype != "DWVW_16" || info.Frames == 0 {
		t.Fatalf("%+v", info)
	}
	if res == nil || res.ReadError == "" || res.FramesRead != 0 {
		t.Fatalf("read %+v", res)
	}
}
