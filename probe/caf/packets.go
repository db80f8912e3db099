package caf

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
)

// ALACPackets is an ALAC stream of a CAF input as a decoder needs it: the
// ALACSpecificConfig fields the decoding uses and the packets, in order,
// from the pakt chunk. It does not decode.
type ALACPackets struct {
	BitDepth, PB, MB, KB, Channels uint32
	FramesPerPacket                uint32
	pakt                           paktList
	next                           uint32
	pos                            int64
}

// ALAC returns the packets of an input that Probe described as CAF with
// ALAC audio (r and size as given to Probe, after any ID3v2 tags: see
// probe.Section); ok is false for any other input.
func ALAC(r io.ReaderAt, size int64, info *probe.Info) (*ALACPackets, bool) {
	s, ok := info.Detail.(*alacStream)
	if !ok {
		return nil, false
	}
	a := &ALACPackets{BitDepth: s.cfg.bitDepth, PB: s.cfg.pb, MB: s.cfg.mb, KB: s.cfg.kb, Channels: s.cfg.channels,
		FramesPerPacket: s.framesPer, pakt: s.pakt, pos: s.dataOffset}
	a.pakt.r, a.pakt.size = r, size
	a.pakt.rewind()
	return a, true
}

// Next returns where the next packet is and its size, as libsndfile's
// reader takes them (alac_reader_next_packet_size); ok is false after the
// last one.
func (a *ALACPackets) Next() (off int64, n uint32, ok bool) {
	if a.next >= a.pakt.total() {
		return 0, 0, false
	}
	n = a.pakt.value(a.next)
	a.next++
	off = a.pos
	a.pos += int64(n)
	return off, n, n > 0
}

// MaxPacket is the largest packet libsndfile's reader takes.
const MaxPacket = alacMaxPacket
