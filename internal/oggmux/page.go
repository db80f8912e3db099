// Package oggmux reads and writes Ogg pages (RFC 3533) for remuxing Opus
// (RFC 7845) without touching a packet: a page reader that finds pages
// and reassembles packets with bounded memory, and a page writer that
// laces packets into pages the way opusenc does.
package oggmux

import (
	"encoding/binary"
	"fmt"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Page header layout (RFC 3533 §6).
const (
	HeaderSize  = 27
	MaxSegments = 255
	// MaxPageSize is the largest page: the header, 255 lacing values and
	// 255 segments of 255 bytes.
	MaxPageSize = HeaderSize + MaxSegments + MaxSegments*255
)

// Header type flags.
const (
	FlagContinued = 0x01 // the page starts inside a packet
	FlagBOS       = 0x02 // first page of a logical stream
	FlagEOS       = 0x04 // last page of a logical stream
)

// NoGranule is the granule position of a page on which no packet ends.
const NoGranule = -1

// Page is one Ogg page, parsed. Raw is the whole page as it was read; the
// other fields point into it.
type Page struct {
	Offset   int64 // where the page starts in its input
	Flags    byte
	Granule  int64
	Serial   uint32
	Sequence uint32
	Lacing   []byte // the segment table
	Body     []byte
	Raw      []byte
}

// parsePage parses a page at the start of b, which must hold at least the
// whole page. It returns the page size, or an error for a capture pattern,
// version or checksum that is wrong. The page's slices alias b.
func parsePage(b []byte, off int64) (Page, int, error) {
	bad := func(msg string) (Page, int, error) {
		return Page{}, 0, &probe.FormatError{Format: "ogg", Off: off, Msg: msg}
	}
	if len(b) < HeaderSize || string(b[:4]) != "OggS" {
		return bad("no Ogg page")
	}
	if b[4] != 0 {
		return bad(fmt.Sprintf("Ogg page version %d", b[4]))
	}
	nseg := int(b[26])
	if len(b) < HeaderSize+nseg {
		return bad("Ogg page cut short in its segment table")
	}
	lacing := b[HeaderSize : HeaderSize+nseg]
	bodyLen := 0
	for _, l := range lacing {
		bodyLen += int(l)
	}
	n := HeaderSize + nseg + bodyLen
	if len(b) < n {
		return bad("Ogg page cut short in its body")
	}
	raw := b[:n]
	if Checksum(raw) != binary.LittleEndian.Uint32(raw[22:]) {
		return bad("Ogg page checksum mismatch")
	}
	return Page{
		Offset:   off,
		Flags:    raw[5],
		Granule:  int64(binary.LittleEndian.Uint64(raw[6:])),
		Serial:   binary.LittleEndian.Uint32(raw[14:]),
		Sequence: binary.LittleEndian.Uint32(raw[18:]),
		Lacing:   lacing,
		Body:     raw[HeaderSize+nseg:],
		Raw:      raw,
	}, n, nil
}

// appendPage appends a page with the given fields, lacing and body to dst,
// checksum included.
func appendPage(dst []byte, flags byte, granule int64, serial, seq uint32, lacing, body []byte) []byte {
	start := len(dst)
	var h [HeaderSize]byte
	copy(h[:], "OggS")
	h[5] = flags
	binary.LittleEndian.PutUint64(h[6:], uint64(granule))
	binary.LittleEndian.PutUint32(h[14:], serial)
	binary.LittleEndian.PutUint32(h[18:], seq)
	h[26] = byte(len(lacing))
	dst = append(dst, h[:]...)
	dst = append(dst, lacing...)
	dst = append(dst, body...)
	binary.LittleEndian.PutUint32(dst[start+22:], Checksum(dst[start:]))
	return dst
}

// Lace appends the lacing values of a packet of n bytes to dst: 255 for
// each full segment and a last value below 255 (0 when n is a multiple of
// 255), RFC 3533 §5.
func Lace(dst []byte, n int) []byte {
	for ; n >= 255; n -= 255 {
		dst = append(dst, 255)
	}
	return append(dst, byte(n))
}

// RewritePage returns p with its body replaced by one packet: the same
// flags, granule position, serial and sequence number, new lacing and a
// new checksum. p must hold exactly one whole packet.
func RewritePage(p Page, packet []byte) []byte {
	lacing := Lace(nil, len(packet))
	return appendPage(nil, p.Flags, p.Granule, p.Serial, p.Sequence, lacing, packet)
}
