package pcm

import (
	"slices"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe/caf"
)

// bitWriter packs fields most significant bit first.
type bitWriter struct {
	b []byte
	n uint
}

func (w *bitWriter) put(v uint32, bits uint) {
	for i := int(bits) - 1; i >= 0; i-- {
		if w.n%8 == 0 {
			w.b = append(w.b, 0)
		}
		if v>>uint(i)&1 != 0 {
			w.b[len(w.b)-1] |= 0x80 >> (w.n % 8)
		}
		w.n++
	}
}

// TestALACEscapedElements: elements stored uncompressed (the escape flag),
// which libsndfile's encoder did not write for the fixtures, decode to
// their samples: one channel of 16 bits, and a pair of 24-bit channels,
// both as partial frames.
func TestALACEscapedElements(t *testing.T) {
	for _, c := range []struct {
		channels, depth uint32
		samples         []int32
	}{
		{1, 16, []int32{0, 1, -1, 32767, -32768, 1234}},
		{2, 24, []int32{0, -1, 8388607, -8388608, 5, -70000}},
	} {
		var w bitWriter
		if c.channels == 1 {
			w.put(0, 3) // one channel
		} else {
			w.put(1, 3) // a channel pair
		}
		w.put(0, 4)
		w.put(0, 12)
		w.put(1<<3|1, 4) // partial frame, no shift, escape
		frames := uint32(len(c.samples)) / c.channels
		w.put(frames, 32)
		for _, v := range c.samples {
			w.put(uint32(v)&(1<<c.depth-1), uint(c.depth))
		}
		w.put(7, 3) // end
		d := &alacReader{
			packets: &caf.ALACPackets{BitDepth: c.depth, Channels: c.channels, FramesPerPacket: 4096, PB: 40, MB: 10, KB: 14},
			packet:  w.b,
			out:     make([]int32, 4096*c.channels), pred: make([]int32, 4096), mixU: make([]int32, 4096), mixV: make([]int32, 4096),
			shift: make([]uint16, 8192),
		}
		n, err := d.decode()
		if err != nil {
			t.Fatal(err)
		}
		if n != int(frames) || !slices.Equal(d.out[:len(c.samples)], c.samples) {
			t.Errorf("%d × %d bits: %d frames %v, want %v", c.channels, c.depth, n, d.out[:len(c.samples)], c.samples)
		}
	}
}
