package pcm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
)

// oggStream is an io.Reader over the pages of one logical Ogg stream
// (RFC 3533): the first one that begins in the input. Pages of other
// streams (multiplexed, or a chained stream after it) are left out, and
// the stream ends with its end-of-stream page, as libvorbisfile reads a
// file. Bytes that are not a page are skipped up to the next capture
// pattern. The Vorbis decoder itself looks at no serial number.
type oggStream struct {
	r      io.ReaderAt
	size   int64
	off    int64
	serial uint32
	found  bool
	done   bool
	page   []byte // the current page, being handed out
	buf    []byte
}

// maxOggPage is the largest page: a 27-byte header, 255 lacing values and
// 255 segments of 255 bytes.
const maxOggPage = 27 + 255 + 255*255

func newOggStream(r io.ReaderAt, size int64) *oggStream {
	return &oggStream{r: r, size: size, buf: make([]byte, maxOggPage)}
}

func (s *oggStream) Read(p []byte) (int, error) {
	for len(s.page) == 0 {
		if s.done {
			return 0, io.EOF
		}
		if err := s.nextPage(); err != nil {
			return 0, err
		}
	}
	n := copy(p, s.page)
	s.page = s.page[n:]
	return n, nil
}

var capture = []byte("OggS")

// nextPage finds the next page of the stream and makes it current.
func (s *oggStream) nextPage() error {
	for {
		if s.off >= s.size {
			s.done = true
			return nil
		}
		n, err := s.r.ReadAt(s.buf[:min(int64(len(s.buf)), s.size-s.off)], s.off)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		b := s.buf[:n]
		i := bytes.Index(b, capture)
		if i < 0 {
			// no page here: keep the last bytes, which may start one
			s.off += int64(max(n-3, 1))
			continue
		}
		b = b[i:]
		s.off += int64(i)
		if len(b) < 27 || len(b) < 27+int(b[26]) {
			s.done = true // a page cut by the end of the input
			return nil
		}
		body := 0
		for _, l := range b[27 : 27+int(b[26])] {
			body += int(l)
		}
		total := 27 + int(b[26]) + body
		if len(b) < total {
			s.done = true
			return nil
		}
		flags := b[5]
		serial := binary.LittleEndian.Uint32(b[14:])
		s.off += int64(total)
		switch {
		case !s.found && flags&0x02 != 0: // the first beginning of a stream
			s.found, s.serial = true, serial
		case !s.found || serial != s.serial:
			continue
		}
		if flags&0x04 != 0 { // end of stream
			s.done = true
		}
		s.page = b[:total]
		return nil
	}
}
