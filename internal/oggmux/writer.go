package oggmux

import (
	"errors"
	"io"
)

// DefaultPageSamples is how much audio a page holds before the writer
// starts a new one: one second at 48 kHz, opusenc's default (its
// --max-delay of 1000 ms). A page also ends when its 255 lacing values are
// used.
const DefaultPageSamples = 48000

// Writer writes one logical stream as Ogg pages.
//
// Header packets each get pages of their own (RFC 7845 §3 requires it of
// OpusHead and OpusTags), with granule position 0, the first one flagged
// BOS. Audio packets are laced into pages of up to DefaultPageSamples of
// audio or 255 lacing values; a packet that does not fit continues on the
// next page. A page's granule position is the one given with the last
// packet that ends on it (NoGranule when none does). Close flags the last
// page EOS. Memory is one page.
type Writer struct {
	w       io.Writer
	serial  uint32
	seq     uint32
	started bool // the BOS page was written
	closed  bool
	err     error

	// PageSamples overrides DefaultPageSamples when positive.
	PageSamples int

	// the page being filled
	lacing    []byte
	body      []byte
	granule   int64
	samples   int
	cont      bool // the page starts inside a packet
	packetEnd bool // a packet ends on the page
	out       []byte

	written int64
}

// NewWriter writes a stream with the given serial number to w.
func NewWriter(w io.Writer, serial uint32) *Writer {
	return &Writer{
		w:       w,
		serial:  serial,
		lacing:  make([]byte, 0, MaxSegments),
		body:    make([]byte, 0, MaxSegments*255),
		out:     make([]byte, 0, MaxPageSize),
		granule: NoGranule,
	}
}

// Written is the number of bytes written so far.
func (w *Writer) Written() int64 { return w.written }

// ErrClosed is returned for writes after Close.
var ErrClosed = errors.New("oggmux: write after close")

// WriteHeader writes a header packet on pages of its own, with granule
// position 0. Header packets come before any audio packet.
func (w *Writer) WriteHeader(p []byte) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return ErrClosed
	}
	if len(w.lacing) > 0 || w.cont {
		return errors.New("oggmux: header packet after audio packets")
	}
	if err := w.add(p, 0, 0); err != nil {
		return err
	}
	return w.flush(0)
}

// WritePacket adds an audio packet that plays samples (at the stream's
// granule rate) and whose end has granule position granule.
func (w *Writer) WritePacket(p []byte, granule int64, samples int) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return ErrClosed
	}
	limit := w.PageSamples
	if limit <= 0 {
		limit = DefaultPageSamples
	}
	if w.packetEnd && w.samples >= limit {
		if err := w.flush(0); err != nil {
			return err
		}
	}
	return w.add(p, granule, samples)
}

// add laces p into the current page, flushing full pages on the way.
func (w *Writer) add(p []byte, granule int64, samples int) error {
	if len(w.lacing) == MaxSegments {
		if err := w.flush(0); err != nil {
			return err
		}
	}
	n := len(p)
	for {
		if len(w.lacing) == MaxSegments {
			// The packet goes on: this page ends inside it.
			if err := w.flush(0); err != nil {
				return err
			}
			w.cont = true
		}
		seg := min(n, 255)
		w.lacing = append(w.lacing, byte(seg))
		w.body = append(w.body, p[len(p)-n:len(p)-n+seg]...)
		n -= seg
		if seg < 255 {
			break
		}
	}
	w.granule = granule
	w.samples += samples
	w.packetEnd = true
	return nil
}

// flush writes the current page, if it holds anything or extra flags.
func (w *Writer) flush(extra byte) error {
	if len(w.lacing) == 0 && extra == 0 {
		return nil
	}
	flags := extra
	if !w.started {
		flags |= FlagBOS
		w.started = true
	}
	if w.cont {
		flags |= FlagContinued
	}
	granule := int64(NoGranule)
	if w.packetEnd {
		granule = w.granule
	}
	w.out = appendPage(w.out[:0], flags, granule, w.serial, w.seq, w.lacing, w.body)
	w.seq++
	n, err := w.w.Write(w.out)
	w.written += int64(n)
	if err != nil {
		w.err = err
		return err
	}
	w.lacing, w.body = w.lacing[:0], w.body[:0]
	w.samples, w.cont, w.packetEnd = 0, false, false
	w.granule = NoGranule
	return nil
}

// Close writes the last page, flagged EOS. It does not close the
// underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return nil
	}
	w.closed = true
	return w.flush(FlagEOS)
}
