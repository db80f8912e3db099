package au

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func header(order binary.AppendByteOrder, magic string, fields ...int64) []byte {
	b := []byte(magic)
	for _, f := range fields {
		b = order.AppendUint32(b, uint32(f))
	}
	return b
}

func TestAUTable(t *testing.T) {
	body := make([]byte, 3200)
	be, le := binary.BigEndian, binary.LittleEndian
	for _, c := range []struct {
		name    string
		in      []byte
		opens   bool
		subtype string
		ch      int
		frames  int64
	}{
		{"16-bit", append(header(be, ".snd", 24, 3200, 3, 16000, 1), body...), true, "PCM_16", 1, 1600},
		{"little-endian dns.", append(header(le, "dns.", 24, 3200, 3, 16000, 1), body...), true, "PCM_16", 1, 1600},
		{"size 0xFFFFFFFF means to the end", append(header(be, ".snd", 24, -1, 3, 16000, 1), body...), true, "PCM_16", 1, 1600},
		{"size past the end is cut to the end", append(header(be, ".snd", 24, 9999, 3, 16000, 1), body...), true, "PCM_16", 1, 1600},
		{"size before the end ends the data", append(header(be, ".snd", 24, 1000, 3, 16000, 1), body...), true, "PCM_16", 1, 500},
		{"32-bit overflow of offset+size gives no data", append(header(be, ".snd", 24, 0x7FFFFFF0, 3, 16000, 1), body...), true, "PCM_16", 1, 0},
		{"µ-law stereo", append(header(be, ".snd", 24, 3200, 1, 8000, 2), body...), true, "ULAW", 2, 1600},
		{"G.721 pads the last block", append(header(be, ".snd", 24, 100, 23, 8000, 1), body[:100]...), true, "G721_32", 1, 240},
		{"G.721 stereo is refused", append(header(be, ".snd", 24, 3200, 23, 8000, 2), body...), false, "", 0, 0},
		{"G.722 is refused", append(header(be, ".snd", 24, 3200, 24, 8000, 1), body...), false, "", 0, 0},
		{"no channels", append(header(be, ".snd", 24, 3200, 3, 16000, 0), body...), false, "", 0, 0},
		{"rate 0", append(header(be, ".snd", 24, 3200, 3, 0, 1), body...), false, "", 0, 0},
		{"negative offset", append(header(be, ".snd", -8, 3200, 3, 16000, 1), body...), false, "", 0, 0},
		{"offset past the end", header(be, ".snd", 10000, 3200, 3, 16000, 1), true, "PCM_16", 1, 0},
		{"truncated header", header(be, ".snd", 24, 3200)[:12], false, "", 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, err := ReadHeader(bytes.NewReader(c.in), int64(len(c.in)))
			if (err == nil) != c.opens {
				t.Fatalf("err %v, want opens=%v", err, c.opens)
			}
			if !c.opens {
				return
			}
			if info.SndfileSubtype != c.subtype || info.Channels != c.ch || info.Frames != c.frames {
				t.Errorf("got %s %d ch %d frames", info.SndfileSubtype, info.Channels, info.Frames)
			}
			if info.Settled == nil || info.Settled.FramesRead != c.frames {
				t.Errorf("settled %+v", info.Settled)
			}
		})
	}
}
