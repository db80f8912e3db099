package remote

import (
	"fmt"

	"github.com/audiopreflight/audiopreflight/internal/bytesize"
	"github.com/audiopreflight/audiopreflight/internal/spool"
)

// What an Object may read, by the kind of check and the server's manners.
//
// A header check (Options.HeaderOnly) transfers what the prober reads,
// rounded out to whole blocks, and no more:
//
//   - A server that honours Range is asked for exactly the blocks read
//     (the first request for prefixSize), never with read-ahead.
//   - A server that ignores Range sends the whole body from the start. Of
//     a body of known length, the check reads at most the first
//     HeaderWindow bytes, as the prober asks for them; what the headers
//     need beyond (an Ogg file's last page, an MP3's ID3v1 tag) would cost
//     the whole body, so such a read fails with a *spool.NotKeptError and
//     the check leaves the steps that need the headers undecided.
//   - A body without a length (chunked, or compressed: its decoded size
//     only decoding tells) is read, counting, to Options.CountTo (the sync
//     limit + 1 byte, which decides AudioTooBigForSync) or, when that is
//     zero, to HeaderWindow. When it ends before, its size is known and
//     its first HeaderWindow and last maxBlocks blocks are kept; when it
//     goes on, the reading stops there: Incomplete says so
//     (*LengthUnknownError), and Size is the count, a lower bound.
//
// So a header check never transfers more than what its verdict needs plus
// one HeaderWindow, and never inflates a compressed body further than
// CountTo or HeaderWindow, whatever it would inflate to.
//
// A full check reads the whole body; a body without a length that goes on
// past Options.MaxSize (a compressed body that inflates without end) stops
// there, and Incomplete is a *spool.TooLargeError.
const HeaderWindow = 256 << 10

// acceptEncoding is the Accept-Encoding of every request. The API's
// client (Python requests over urllib3) asks for "gzip, deflate" and
// inflates what comes, so the API scores the file's own bytes, whatever
// the encoding on the wire; asking for identity gets those same bytes, and
// keeps Range offsets and Content-Length about them (a compressed answer
// has neither). A server that compresses anyway (an object stored with
// Content-Encoding: gzip is served that way to everyone) has its gzip and
// deflate bodies inflated here as urllib3 does (decoder), and the verdict
// is on the inflated bytes, sizes included; other encodings (br, zstd) are
// left as they are, as urllib3 does without its optional decoders.
const acceptEncoding = "identity"

// LengthUnknownError says that a header check stopped reading a body that
// came without a length, from a server that ignores Range, before its end.
type LengthUnknownError struct {
	// Counted is how many bytes (inflated) were read: the body is at
	// least that long.
	Counted int64
}

func (e *LengthUnknownError) Error() string {
	return fmt.Sprintf("the audio host sends this body without a length (chunked, or compressed) and ignores Range requests; "+
		"a header check read %s (%d bytes) of it and stopped, so its length and its headers are unknown: "+
		"check it without --header-only to download it whole", bytesize.Format(e.Counted), e.Counted)
}

// Incomplete is nil when the Object holds (or can fetch) the whole body.
// Otherwise the reading of a body without a length stopped at a limit,
// Size is how far it came, and the error says why: a *LengthUnknownError
// for a header check, a *spool.TooLargeError past Options.MaxSize.
func (o *Object) Incomplete() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.incomplete
}

// countLimit is where the reading of a body without a length stops: -1
// for its end.
func (o *Object) countLimit() int64 {
	c := o.client
	switch {
	case c.headerOnly:
		return max(HeaderWindow, c.countTo)
	case c.maxSize > 0:
		return c.maxSize + 1
	}
	return -1
}

// bodyGoesOn reports whether the stream, read to a limit, has more: it
// reads one byte to find out (and counts it), so that a body that ends
// exactly at the limit is complete.
func (o *Object) bodyGoesOn() bool {
	var one [1]byte
	for {
		n, err := o.stream.r.Read(one[:])
		if n > 0 {
			o.stream.pos++
			return true
		}
		if err != nil {
			return false
		}
	}
}

// stopped is the reason the reading stopped at limit.
func (o *Object) stopped(limit int64) error {
	if o.client.headerOnly {
		return &LengthUnknownError{Counted: o.stream.pos}
	}
	return &spool.TooLargeError{What: "the inflated body", Limit: limit - 1}
}

// headerMiss decides, for a header check of a body the server sends whole,
// whether block bi, read from offset pos, may be fetched: only forward
// from the open response, and within HeaderWindow.
func (o *Object) headerMiss(bi, pos int64) error {
	s := o.stream
	if s != nil && s.pos <= bi*blockSize && bi*blockSize < HeaderWindow {
		return nil
	}
	kept := fmt.Sprintf("the first %s of a body the audio host sends whole (it ignores Range requests)", bytesize.Format(HeaderWindow))
	if o.counted {
		kept = fmt.Sprintf("the first %s and the last %s of a body the audio host sends without a length (it ignores Range requests)",
			bytesize.Format(HeaderWindow), bytesize.Format(maxBlocks*blockSize))
	}
	return &spool.NotKeptError{Off: pos, Kept: kept}
}
