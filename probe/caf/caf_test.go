package caf

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

func cchunk(id string, body []byte, size int64) []byte {
	b := append([]byte(id), binary.BigEndian.AppendUint64(nil, uint64(size))...)
	return append(b, body...)
}

func descChunk(rate float64, id string, flags, bpp, fpp, ch, bits uint32) []byte {
	b := binary.BigEndian.AppendUint64(nil, math.Float64bits(rate))
	b = append(b, id...)
	for _, v := range []uint32{flags, bpp, fpp, ch, bits} {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return cchunk("desc", b, int64(len(b)))
}

func cafFile(chunks ...[]byte) []byte {
	b := []byte("caff\x00\x01\x00\x00")
	for _, c := range chunks {
		b = append(b, c...)
	}
	return b
}

func dataChunk(body []byte, size int64) []byte {
	return cchunk("data", append(make([]byte, 4), body...), size)
}

func TestCAFTable(t *testing.T) {
	pcm := make([]byte, 3200)
	for _, c := range []struct {
		name    string
		in      []byte
		opens   bool
		subtype string
		rate    int
		frames  int64
	}{
		{"16-bit little-endian", cafFile(descChunk(16000, "lpcm", 2, 2, 1, 1, 16), dataChunk(pcm, 3204)), true, "PCM_16", 16000, 1600},
		{"rate rounded", cafFile(descChunk(15999.6, "lpcm", 2, 2, 1, 1, 16), dataChunk(pcm, 3204)), true, "PCM_16", 16000, 1600},
		{"float", cafFile(descChunk(16000, "lpcm", 3, 4, 1, 1, 32), dataChunk(pcm, 3204)), true, "FLOAT", 16000, 800},
		{"data size past the end loses 8 bytes", cafFile(descChunk(16000, "lpcm", 2, 2, 1, 1, 16), dataChunk(pcm, 3250)), true, "PCM_16", 16000, 1596},
		{"data size past the file length ends the walk", cafFile(descChunk(16000, "lpcm", 2, 2, 1, 1, 16), dataChunk(pcm, 99999)), false, "", 0, 0},
		{"data size -1 does not open", cafFile(descChunk(16000, "lpcm", 2, 2, 1, 1, 16), dataChunk(pcm, -1)), false, "", 0, 0},
		{"AAC", cafFile(descChunk(44100, "aac ", 0, 0, 1024, 2, 0), dataChunk(pcm, 3204)), false, "", 0, 0},
		{"12-bit PCM", cafFile(descChunk(16000, "lpcm", 2, 2, 1, 1, 12), dataChunk(pcm, 3204)), false, "", 0, 0},
		{"no data chunk", cafFile(descChunk(16000, "lpcm", 2, 2, 1, 1, 16), cchunk("free", make([]byte, 8), 8)), false, "", 0, 0},
		{"desc too small", cafFile(cchunk("desc", make([]byte, 24), 24), dataChunk(pcm, 3204)), false, "", 0, 0},
		{"ALAC without kuki and pakt", cafFile(descChunk(16000, "alac", 1, 0, 4096, 1, 0), dataChunk(pcm, 3204)), false, "", 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, err := ReadHeader(bytes.NewReader(c.in), int64(len(c.in)))
			if (err == nil) != c.opens {
				t.Fatalf("err %v, want opens=%v", err, c.opens)
			}
			if !c.opens {
				return
			}
			if info.SndfileSubtype != c.subtype || info.SampleRate != c.rate || info.Frames != c.frames {
				t.Errorf("got %s %d Hz %d frames", info.SndfileSubtype, info.SampleRate, info.Frames)
			}
		})
	}
}

func TestALACConfig(t *testing.T) {
	cfg := []byte{0, 0, 0x10, 0, 0, 16, 40, 10, 14, 2, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x3E, 0x80}
	cookie := make([]byte, alacKukiMax+2*alacConfigSize)
	copy(cookie, cfg)
	c, err := alacConfig(cookie, 24)
	if err != "" || c.channels != 2 || c.bitDepth != 16 || c.kb != 14 {
		t.Fatalf("%+v %q", c, err)
	}
	// Wrapped in 'frma' and 'alac' atoms.
	wrapped := append(append([]byte("\x00\x00\x00\x0cfrmaalac"), []byte("\x00\x00\x00\x24alac\x00\x00\x00\x00")...), cfg...)
	clear(cookie)
	copy(cookie, wrapped)
	if c, err := alacConfig(cookie, uint32(len(wrapped))); err != "" || c.channels != 2 {
		t.Fatalf("wrapped: %+v %q", c, err)
	}
	for name, mutate := range map[string]func([]byte){
		"frame length": func(b []byte) { b[2] = 0x20 },
		"version":      func(b []byte) { b[4] = 1 },
		"bit depth":    func(b []byte) { b[5] = 40 },
	} {
		clear(cookie)
		copy(cookie, cfg)
		mutate(cookie)
		if _, err := alacConfig(cookie, 24); err == "" {
			t.Errorf("%s: accepted", name)
		}
	}
	clear(cookie)
	if _, err := alacConfig(cookie, 10); err == "" {
		t.Error("short cookie accepted")
	}
}

// The packet table's sizes are 7-bit groups; a value of 0 ends it.
func TestPaktList(t *testing.T) {
	body := append(make([]byte, 24), 0x81, 0x00, 0x7F, 0x82, 0x80, 0x01, 0x00, 0x05)
	p := paktList{r: bytes.NewReader(body), size: int64(len(body)), length: uint32(len(body))}
	p.rewind()
	want := []uint32{128, 127, 32769, 0}
	if n := p.total(); n != uint32(len(want)) {
		t.Fatalf("%d values", n)
	}
	for i, w := range want {
		if v := p.value(uint32(i)); v != w {
			t.Errorf("value %d = %d want %d", i, v, w)
		}
	}
	if off := p.offset(3); off != 128+127+32769 {
		t.Errorf("offset %d", off)
	}
}

// A packet whose first element announces a partial frame reports that
// frame count; an end element alone reports the requested count.
func TestALACPacketFrames(t *testing.T) {
	cfg := &alacConfigFields{bitDepth: 16, pb: 40, mb: 10, kb: 14, channels: 1}
	// SCE, tag 0, unused 0, header: partial=1 shift=0 escape=1, count 100,
	// then 100 uncompressed 16-bit samples and END.
	var bits []byte
	w := bitWriter{}
	w.put(0, 3)
	w.put(0, 4)
	w.put(0, 12)
	w.put(0b1001, 4)
	w.put(100, 32)
	for i := 0; i < 100; i++ {
		w.put(uint32(i), 16)
	}
	w.put(7, 3)
	bits = w.bytes()
	b := alacBits{buf: bits, end: len(bits), byteSize: uint32(len(bits))}
	if n := alacDecodeFrames(&b, cfg, 4096); n != 100 {
		t.Errorf("partial frame: %d", n)
	}
	end := []byte{0xE0}
	b = alacBits{buf: end, end: 1, byteSize: 1}
	if n := alacDecodeFrames(&b, cfg, 4096); n != 4096 {
		t.Errorf("end only: %d", n)
	}
}

type bitWriter struct {
	buf  []byte
	nbit int
}

func (w *bitWriter) put(v uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		if w.nbit%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		if v>>uint(i)&1 != 0 {
			w.buf[len(w.buf)-1] |= 0x80 >> uint(w.nbit%8)
		}
		w.nbit++
	}
}

func (w *bitWriter) bytes() []byte { return w.buf }
