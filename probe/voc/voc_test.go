package voc

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func voc(version uint16, blocks ...[]byte) []byte {
	b := []byte("Creative Voice File\x1a")
	b = binary.LittleEndian.AppendUint16(b, 26)
	b = binary.LittleEndian.AppendUint16(b, version)
	b = binary.LittleEndian.AppendUint16(b, 0)
	for _, bl := range blocks {
		b = append(b, bl...)
	}
	return append(b, 0)
}

func block(typ byte, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n), byte(n >> 8), byte(n >> 16)}, body...)
}

func type9(rate uint32, bits, ch byte, enc uint16, data []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, rate)
	b = append(b, bits, ch)
	b = binary.LittleEndian.AppendUint16(b, enc)
	b = append(b, 0, 0, 0, 0)
	return block(9, append(b, data...))
}

func TestVOCTable(t *testing.T) {
	data := make([]byte, 800)
	for _, c := range []struct {
		name    string
		in      []byte
		opens   bool
		subtype string
		rate    int
		ch      int
		frames  int64
	}{
		{"type 1 at 8 kHz", voc(0x010A, block(1, append([]byte{256 - 125, 0}, data...))), true, "PCM_U8", 8000, 1, 800},
		{"text block first", voc(0x0114, block(5, []byte("hi\x00")), block(1, append([]byte{256 - 125, 0}, data...))), true, "PCM_U8", 8000, 1, 800},
		{"version 2.0", voc(0x0200, block(1, append([]byte{256 - 125, 0}, data...))), false, "", 0, 0, 0},
		{"two sound segments", voc(0x010A, block(1, append([]byte{256 - 125, 0}, data...)), block(1, append([]byte{256 - 125, 0}, data...))), false, "", 0, 0, 0},
		{"type 9 16-bit", voc(0x0114, type9(16000, 16, 1, 4, data)), true, "PCM_16", 16000, 1, 400},
		{"type 9 SoX's encoding 0 at 16 bits", voc(0x0114, type9(16000, 16, 1, 0, data)), true, "PCM_16", 16000, 1, 400},
		{"type 9 µ-law stereo", voc(0x0114, type9(8000, 8, 2, 7, data)), true, "ULAW", 8000, 2, 400},
		{"type 9 ADPCM", voc(0x0114, type9(8000, 4, 1, 1, data)), false, "", 0, 0, 0},
		{"terminator only", voc(0x010A), false, "", 0, 0, 0},
		{"short", []byte("Creative Voice F"), false, "", 0, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, err := ReadHeader(bytes.NewReader(c.in), int64(len(c.in)))
			if (err == nil) != c.opens {
				t.Fatalf("err %v, want opens=%v", err, c.opens)
			}
			if !c.opens {
				return
			}
			if info.SndfileSubtype != c.subtype || info.SampleRate != c.rate || info.Channels != c.ch || info.Frames != c.frames {
				t.Errorf("got %s %d Hz %d ch %d frames", info.SndfileSubtype, info.SampleRate, info.Channels, info.Frames)
			}
		})
	}
}
