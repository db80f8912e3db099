// Package opusremux makes Opus audio the API accepts without decoding
// it: it rewrites the OpusHead of an Ogg-Opus stream, and moves the Opus
// packets of a WebM or Matroska file into Ogg-Opus. The packets themselves
// are copied, byte for byte.
package opusremux

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/audiopreflight/audiopreflight/internal/oggmux"
	"github.com/audiopreflight/audiopreflight/internal/opus"
	"github.com/audiopreflight/audiopreflight/internal/sections"
	"github.com/audiopreflight/audiopreflight/probe"
)

// Result says what a remux did.
type Result struct {
	// Changes are the header changes, in words.
	Changes []string
	// Head is the OpusHead that was written.
	Head opus.Head
	// Packets and Samples count the audio packets copied and what they
	// play at 48 kHz (before pre-skip and end trimming); 0 for a header
	// rewrite, which copies pages without reading them.
	Packets int64
	Samples int64
	// Trimmed is how many samples at 48 kHz the last page drops (end
	// trimming); Notes are things worth telling about the input.
	Trimmed int64
	Notes   []string
	// Written is the size of the output.
	Written int64
}

// HeadSearchLimit is how far into an Ogg file the first page may start;
// it is where the API's reader gives up looking for it.
const HeadSearchLimit = 4096

// OggHead is where an Ogg-Opus stream's OpusHead is and what it says.
type OggHead struct {
	Page oggmux.Page // the page, as found (its slices alias a read buffer)
	Head opus.Head
}

// ReadOggHead finds the first Ogg page in r and parses it as the OpusHead
// page: the first page of the stream, holding that one packet alone
// (RFC 7845 §3). The page's bytes are copied out.
func ReadOggHead(r io.ReaderAt, size int64) (*OggHead, error) {
	pr := oggmux.NewPageReader(r, size)
	pg, err := pr.Find(0, HeadSearchLimit)
	if err != nil {
		return nil, err
	}
	if pg.Flags&oggmux.FlagBOS == 0 || pg.Flags&oggmux.FlagContinued != 0 {
		return nil, &probe.FormatError{Format: "ogg", Off: pg.Offset, Msg: "the first page does not begin a stream"}
	}
	if len(pg.Lacing) == 0 || pg.Lacing[len(pg.Lacing)-1] == 255 || countPackets(pg.Lacing) != 1 {
		return nil, &probe.FormatError{Format: "ogg", Off: pg.Offset, Msg: "the OpusHead page must hold exactly one whole packet"}
	}
	raw := bytes.Clone(pg.Raw)
	pg.Raw = raw
	pg.Lacing = raw[oggmux.HeaderSize : oggmux.HeaderSize+len(pg.Lacing)]
	pg.Body = raw[oggmux.HeaderSize+len(pg.Lacing):]
	h, err := opus.ParseHead(pg.Body)
	if err != nil {
		var fe *probe.FormatError
		if errors.As(err, &fe) {
			fe.Off += pg.Offset + int64(oggmux.HeaderSize+len(pg.Lacing))
		}
		return nil, err
	}
	return &OggHead{Page: pg, Head: h}, nil
}

func countPackets(lacing []byte) int {
	n := 0
	for _, l := range lacing {
		if l < 255 {
			n++
		}
	}
	return n
}

// RewriteOggHead copies an Ogg-Opus file to w with its OpusHead page
// replaced by one whose header the API decodes at 16 kHz into one
// channel (opus.ServerHead). Every other byte is copied as it is: the
// other pages, and anything between or around them. The OpusHead is the
// only packet of its page (RFC 7845 §3), so a header of the same length
// only changes that page's bytes and checksum; one of another length
// (trailing bytes dropped, a mapping table removed) changes its size,
// which nothing else in an Ogg stream refers to.
func RewriteOggHead(r io.ReaderAt, size int64, w io.Writer) (*Result, error) {
	oh, err := ReadOggHead(r, size)
	if err != nil {
		return nil, err
	}
	nh, changes, err := opus.ServerHead(oh.Head)
	if err != nil {
		return nil, err
	}
	packet := nh.Marshal()
	if len(oh.Page.Body) > len(packet) && oh.Head.Family == nh.Family {
		changes = append(changes, fmt.Sprintf("%d bytes after the OpusHead fields dropped (the API's reader refuses them)", len(oh.Page.Body)-len(packet)))
	}
	res := &Result{Changes: changes, Head: nh}
	page := oggmux.RewritePage(oh.Page, packet)
	rest := oh.Page.Offset + int64(len(oh.Page.Raw))
	out := sections.New(sections.Of(r, 0, oh.Page.Offset), sections.Bytes(page), sections.Of(r, rest, size-rest))
	n, err := out.WriteTo(w)
	res.Written = n
	return res, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
