package oggmux

import (
	"errors"
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
)

// PageReader reads the pages of an input one after the other, through a
// window of fixed size: memory stays bounded whatever the input's length.
type PageReader struct {
	r      io.ReaderAt
	size   int64
	off    int64 // where the next page starts
	buf    []byte
	bufOff int64 // input offset of buf[0]
	bufLen int
}

// NewPageReader reads pages from r, which holds size bytes, starting at 0.
func NewPageReader(r io.ReaderAt, size int64) *PageReader {
	return &PageReader{r: r, size: size, buf: make([]byte, 2*MaxPageSize)}
}

// Offset is where the next page is read from.
func (pr *PageReader) Offset() int64 { return pr.off }

// SetOffset makes the next page be read from off.
func (pr *PageReader) SetOffset(off int64) { pr.off = off }

// window returns up to n bytes at off, fewer only at the end of the input.
func (pr *PageReader) window(off int64, n int) ([]byte, error) {
	if off >= pr.bufOff && off+int64(n) <= pr.bufOff+int64(pr.bufLen) {
		return pr.buf[off-pr.bufOff : off-pr.bufOff+int64(n)], nil
	}
	if off >= pr.size {
		return nil, nil
	}
	want := int64(len(pr.buf))
	if rest := pr.size - off; rest < want {
		want = rest
	}
	m, err := pr.r.ReadAt(pr.buf[:want], off)
	if err != nil && !(errors.Is(err, io.EOF) && int64(m) == want) {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	pr.bufOff, pr.bufLen = off, m
	return pr.buf[:min(n, m)], nil
}

// Next returns the page at the current offset and moves past it. At the
// end of the input it returns io.EOF; bytes there that are not a whole,
// valid page give a *probe.FormatError. The page's slices stay valid until
// the next call.
func (pr *PageReader) Next() (Page, error) {
	if pr.off >= pr.size {
		return Page{}, io.EOF
	}
	b, err := pr.window(pr.off, MaxPageSize)
	if err != nil {
		return Page{}, err
	}
	p, n, err := parsePage(b, pr.off)
	if err != nil {
		return Page{}, err
	}
	pr.off += int64(n)
	return p, nil
}

// Find returns the first valid page that starts at or after from and
// before limit, skipping whatever is not one (as a reader that syncs on
// the capture pattern does), and moves past it.
func (pr *PageReader) Find(from, limit int64) (Page, error) {
	limit = min(limit, pr.size)
	for off := from; off < limit; {
		b, err := pr.window(off, MaxPageSize)
		if err != nil {
			return Page{}, err
		}
		i := indexCapture(b)
		if i < 0 {
			// Keep the last 3 bytes: a capture pattern may straddle.
			off += int64(max(len(b)-3, 1))
			continue
		}
		if off+int64(i) >= limit {
			break
		}
		if p, n, err := parsePage(b[i:], off+int64(i)); err == nil {
			pr.off = off + int64(i) + int64(n)
			return p, nil
		}
		off += int64(i) + 1
	}
	return Page{}, &probe.FormatError{Format: "ogg", Off: from, Msg: "no valid Ogg page"}
}

func indexCapture(b []byte) int {
	for i := 0; i+4 <= len(b); i++ {
		if b[i] == 'O' && b[i+1] == 'g' && b[i+2] == 'g' && b[i+3] == 'S' {
			return i
		}
	}
	return -1
}

// MaxPacketSize bounds the packets PacketReader reassembles. An Opus
// packet is at most 120 ms of 1275-byte frames (about 61 KB); 1 MiB leaves
// room for header packets with pictures in their tags.
const MaxPacketSize = 1 << 20

// Packet is one packet of a logical stream.
type Packet struct {
	Data []byte
	// Granule is the page's granule position when the packet is the last
	// to end on its page, NoGranule otherwise.
	Granule int64
	// PageOffset is where the page on which the packet ends starts.
	PageOffset int64
	// EOS is set for the last packet of a page flagged end of stream.
	EOS bool
}

// PacketReader reassembles the packets of one logical stream, the one of
// the first page it reads, skipping the pages of other streams.
type PacketReader struct {
	pages   *PageReader
	serial  uint32
	started bool
	page    Page
	seg     int    // next lacing value of page
	pos     int    // where that segment's bytes start in page.Body
	partial []byte // a packet continued from earlier pages
	haveP   bool
	done    bool
}

// NewPacketReader reads the packets of the stream whose page comes first
// in r.
func NewPacketReader(r io.ReaderAt, size int64) *PacketReader {
	return &PacketReader{pages: NewPageReader(r, size), seg: -1}
}

// Serial is the stream's serial number (known after the first Next).
func (pk *PacketReader) Serial() uint32 { return pk.serial }

// Next returns the next packet. Its Data stays valid until the next call.
// At the end of the stream (its EOS page, or the end of the input) it
// returns io.EOF.
func (pk *PacketReader) Next() (Packet, error) {
	for {
		if pk.seg < 0 || pk.seg >= len(pk.page.Lacing) {
			if pk.done {
				return Packet{}, io.EOF
			}
			if err := pk.nextPage(); err != nil {
				return Packet{}, err
			}
			continue
		}
		start := pk.pos
		i := pk.seg
		for i < len(pk.page.Lacing) && pk.page.Lacing[i] == 255 {
			pk.pos += 255
			i++
		}
		if i == len(pk.page.Lacing) { // continues on the next page
			if len(pk.partial)+pk.pos-start > MaxPacketSize {
				return Packet{}, &probe.FormatError{Format: "ogg", Off: pk.page.Offset, Msg: "packet larger than 1 MiB"}
			}
			pk.partial = append(pk.partial, pk.page.Body[start:pk.pos]...)
			pk.haveP = true
			pk.seg = i
			continue
		}
		pk.pos += int(pk.page.Lacing[i])
		pk.seg = i + 1
		data := pk.page.Body[start:pk.pos]
		if pk.haveP {
			if len(pk.partial)+len(data) > MaxPacketSize {
				return Packet{}, &probe.FormatError{Format: "ogg", Off: pk.page.Offset, Msg: "packet larger than 1 MiB"}
			}
			pk.partial = append(pk.partial, data...)
			data = pk.partial
			pk.partial = pk.partial[:0]
			pk.haveP = false
		}
		last := !pk.hasMoreEnds()
		p := Packet{Data: data, Granule: NoGranule, PageOffset: pk.page.Offset}
		if last {
			p.Granule = pk.page.Granule
			p.EOS = pk.page.Flags&FlagEOS != 0
		}
		return p, nil
	}
}

// hasMoreEnds tells whether another packet ends on the current page.
func (pk *PacketReader) hasMoreEnds() bool {
	for _, l := range pk.page.Lacing[pk.seg:] {
		if l < 255 {
			return true
		}
	}
	return false
}

func (pk *PacketReader) nextPage() error {
	for {
		p, err := pk.pages.Next()
		if err != nil {
			if err == io.EOF {
				pk.done = true
				pk.seg = 0
				pk.page = Page{}
				if pk.haveP {
					return &probe.FormatError{Format: "ogg", Off: pk.pages.Offset(), Msg: "the stream ends inside a packet"}
				}
			}
			return err
		}
		if !pk.started {
			pk.serial, pk.started = p.Serial, true
		} else if p.Serial != pk.serial {
			continue
		}
		cont := p.Flags&FlagContinued != 0
		if cont != pk.haveP {
			if cont {
				return &probe.FormatError{Format: "ogg", Off: p.Offset, Msg: "page continues a packet that did not start"}
			}
			return &probe.FormatError{Format: "ogg", Off: p.Offset, Msg: "page does not continue the packet the previous page started"}
		}
		// p's slices alias the page reader's window, which the next page
		// read moves: a packet continued from p was copied to partial.
		pk.page = p
		pk.seg, pk.pos = 0, 0
		if p.Flags&FlagEOS != 0 {
			pk.done = true
		}
		return nil
	}
}
