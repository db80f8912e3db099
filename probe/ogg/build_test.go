package ogg

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Functions that build tiny Ogg files byte by byte for the table tests.

// oggPage is one page to build; segs overrides the lacing derived from
// packets (for pages that end inside a packet).
type oggPage struct {
	flags   byte
	gp      int64
	serial  uint32
	seq     uint32
	packets [][]byte
	segs    []byte
	body    []byte
	version byte
	badCRC  bool
}

const (
	flagCont = 1
	flagBOS  = 2
	flagEOS  = 4
)

func (p oggPage) bytes() []byte {
	segs, body := p.segs, p.body
	if segs == nil {
		for _, pk := range p.packets {
			n := len(pk)
			for ; n >= 255; n -= 255 {
				segs = append(segs, 255)
			}
			segs = append(segs, byte(n))
			body = append(body, pk...)
		}
	}
	h := make([]byte, 27, 27+len(segs)+len(body))
	copy(h, "OggS")
	h[4] = p.version
	h[5] = p.flags
	binary.LittleEndian.PutUint64(h[6:], uint64(p.gp))
	binary.LittleEndian.PutUint32(h[14:], p.serial)
	binary.LittleEndian.PutUint32(h[18:], p.seq)
	h[26] = byte(len(segs))
	h = append(h, segs...)
	h = append(h, body...)
	c := pageChecksum(h)
	if p.badCRC {
		c ^= 0xdeadbeef
	}
	binary.LittleEndian.PutUint32(h[22:], c)
	return h
}

func joinPages(ps ...oggPage) []byte {
	var b []byte
	for _, p := range ps {
		b = append(b, p.bytes()...)
	}
	return b
}

func opusHeadPacket(version, channels byte, preskip uint16, rate int32, family byte, table ...byte) []byte {
	b := []byte("OpusHead")
	b = append(b, version, channels)
	b = binary.LittleEndian.AppendUint16(b, preskip)
	b = binary.LittleEndian.AppendUint32(b, uint32(rate))
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = append(b, family)
	return append(b, table...)
}

func opusTagsPacket(vendor string, comments ...string) []byte {
	b := []byte("OpusTags")
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vendor)))
	b = append(b, vendor...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(comments)))
	for _, c := range comments {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(c)))
		b = append(b, c...)
	}
	return b
}

// silk20 is a 20 ms SILK wideband packet (TOC config 9, one frame): 960
// samples at 48 kHz.
func silk20(n int) []byte {
	p := make([]byte, n)
	p[0] = 9 << 3
	for i := 1; i < n; i++ {
		p[i] = byte(i)
	}
	return p
}

func repeat(p []byte, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = p
	}
	return out
}

// opusFile builds a 16 kHz mono Ogg-Opus file: pre-skip 312, audio pages
// of `perPage` 20 ms packets, the last page trimmed to `lastGP`.
type opusFile struct {
	head    []byte
	tags    []byte
	pages   int
	perPage int
	lastGP  int64 // 0: no trimming
}

func (o opusFile) build() []oggPage {
	const serial = 7
	head, tags := o.head, o.tags
	if head == nil {
		head = opusHeadPacket(1, 1, 312, 16000, 0)
	}
	if tags == nil {
		tags = opusTagsPacket("test")
	}
	ps := []oggPage{
		{flags: flagBOS, serial: serial, seq: 0, packets: [][]byte{head}},
		{serial: serial, seq: 1, packets: [][]byte{tags}},
	}
	gp := int64(0)
	for i := range o.pages {
		gp += int64(960 * o.perPage)
		p := oggPage{serial: serial, seq: uint32(2 + i), gp: gp, packets: repeat(silk20(40), o.perPage)}
		if i == o.pages-1 {
			p.flags = flagEOS
			if o.lastGP != 0 {
				p.gp = o.lastGP
			}
		}
		ps = append(ps, p)
	}
	return ps
}

// probeBytes runs the root prober and the full read over data.
func probeBytes(t *testing.T, data []byte) (*probe.Info, *probe.ReadResult) {
	t.Helper()
	r := bytes.NewReader(data)
	info, err := probe.Probe(r, int64(len(data)), "x.opus")
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	res, err := probe.ReadAll(r, int64(len(data)), info)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return info, res
}

var _ io.ReaderAt = (*bytes.Reader)(nil)
