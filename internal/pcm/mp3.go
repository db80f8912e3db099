package pcm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/audiopreflight/audiopreflight/internal/mp3dec"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/mpeg"
)

// MP3 (MPEG-1 and MPEG-2 layer III) through go-mp3 v0.3.4 (its copy in
// internal/mp3dec), trimmed as the server's reader, libmpg123 in gapless
// mode, trims: when a Xing/Info frame gives the stream's frame count, the
// encoder delay of its LAME extension plus libmpg123's own decoder delay
// (529 samples) are cut from the start, and the stream ends at the sample
// count the prober's walk over the frames finds (which takes the padding
// off the end). Without a Xing/Info count nothing is cut. go-mp3 is
// started at the first audio frame, so it never sees the ID3v2 tags (whose
// size it would allocate) or the Xing/Info frame (which it would decode as
// silence).
//
// Layer I and II, and MPEG-2.5 (8, 11.025 and 12 kHz), are not decoded,
// and neither are MPEG-2 streams at 22.05 kHz with padded frames whose
// size go-mp3 v0.3.4 computes one byte short (it halves 144·bitrate/rate
// plus the padding byte instead of adding the byte to 72·bitrate/rate):
// every frame after the first such one would decode to noise. At 16 and
// 24 kHz, and in MPEG-1, no frame is padded or the two sums agree.

// mpg123DecoderDelay is the delay of libmpg123's synthesis that gapless
// decoding adds to the encoder's.
const mpg123DecoderDelay = 529

type mp3Reader struct {
	dec      *mp3dec.Decoder
	format   Format
	skip     int64 // frames still to drop
	left     int64 // frames still to deliver
	buf      []byte
	pending  []byte
	finished bool
}

func newMP3(r io.ReaderAt, size int64, info *probe.Info) (Reader, error) {
	if !info.Opens {
		return nil, &UnsupportedError{Container: info.Container, Codec: info.Codec, Msg: "the input does not open: " + info.OpenError}
	}
	if err := checkFormat(info.Container, info.SampleRate, info.Channels); err != nil {
		return nil, err
	}
	if info.SampleRate < 16000 {
		return nil, &UnsupportedError{Container: info.Container, Codec: "MPEG-2.5 layer III", Msg: "go-mp3 does not decode it"}
	}
	s, err := mpeg.ScanFrames(r, 0, size)
	if err != nil {
		return nil, err
	}
	if s.Layer != 3 {
		return nil, &UnsupportedError{Container: info.Container, Codec: fmt.Sprintf("MPEG layer %d", s.Layer)}
	}
	if s.Version == mpeg.MPEG2 && s.SampleRate == 22050 {
		if off, ok := shortPaddedFrame(r, s.FirstFrame, size); ok {
			return nil, &UnsupportedError{Container: info.Container, Codec: "MPEG-2 layer III at 22.05 kHz",
				Msg: fmt.Sprintf("go-mp3 misreads the size of the padded frame at 0x%x", off)}
		}
	}
	var skip int64
	if x := s.Xing; x != nil && x.Frames > 0 {
		skip = int64(x.Delay) + mpg123DecoderDelay
	}
	d := &mp3Reader{
		// go-mp3 delivers 16-bit samples
		format: Format{SampleRate: s.SampleRate, Channels: s.Channels, Frames: s.Samples, Bits: 16},
		skip:   skip,
		left:   s.Samples,
		buf:    make([]byte, 4*4096),
	}
	// A reader without Seek keeps go-mp3 from indexing every frame.
	src := struct{ io.Reader }{io.NewSectionReader(r, s.FirstFrame, size-s.FirstFrame)}
	d.dec, err = newGoMP3(src)
	if err != nil {
		return nil, &probe.FormatError{Format: info.Container, Off: s.FirstFrame, Msg: "mp3 decoder: " + err.Error()}
	}
	if d.dec.SampleRate() != s.SampleRate {
		return nil, &probe.FormatError{Format: info.Container, Off: s.FirstFrame,
			Msg: fmt.Sprintf("the decoder sees %d Hz, the header %d Hz", d.dec.SampleRate(), s.SampleRate)}
	}
	return d, nil
}

// newGoMP3 opens go-mp3's decoder; a panic inside it on damaged input is
// an error.
func newGoMP3(r io.Reader) (d *mp3dec.Decoder, err error) {
	defer func() {
		if p := recover(); p != nil {
			d, err = nil, fmt.Errorf("decoder failure: %v", p)
		}
	}()
	return mp3dec.NewDecoder(r)
}

func (d *mp3Reader) Format() Format { return d.format }

func (d *mp3Reader) Read(p []float32) (n int, err error) {
	ch := d.format.Channels
	want := int64(len(p) / ch)
	for n == 0 && d.left > 0 && want > 0 {
		if len(d.pending) < 4 {
			if d.finished {
				// go-mp3 ended before the count libmpg123 reports (a
				// damaged last frame): silence keeps the duration.
				k := int(min(want, d.left))
				clear(p[:k*ch])
				d.left -= int64(k)
				return k, nil
			}
			if err := d.fill(); err != nil {
				return 0, err
			}
			continue
		}
		frames := int64(len(d.pending) / 4)
		if d.skip > 0 {
			k := min(d.skip, frames)
			d.pending = d.pending[k*4:]
			d.skip -= k
			continue
		}
		k := int(min(frames, want, d.left))
		for i := range k {
			l := float32(int16(binary.LittleEndian.Uint16(d.pending[4*i:]))) / (1 << 15)
			if ch == 1 {
				p[i] = l
				continue
			}
			p[2*i] = l
			p[2*i+1] = float32(int16(binary.LittleEndian.Uint16(d.pending[4*i+2:]))) / (1 << 15)
		}
		d.pending = d.pending[4*k:]
		d.left -= int64(k)
		n = k
	}
	if n == 0 && (d.left == 0 || want == 0) {
		if d.left == 0 {
			return 0, io.EOF
		}
	}
	return n, nil
}

// fill reads the next decoded bytes (16-bit stereo, little-endian: what
// go-mp3 always delivers).
func (d *mp3Reader) fill() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &probe.FormatError{Format: probe.ContainerMP3, Msg: fmt.Sprintf("mp3 decoder failure: %v", p)}
		}
	}()
	m, err := io.ReadAtLeast(d.dec, d.buf, 4)
	d.pending = d.buf[:m-m%4]
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		d.finished = true
		return nil
	case err != nil:
		return &probe.FormatError{Format: probe.ContainerMP3, Msg: "mp3 decoder: " + err.Error()}
	}
	return nil
}

// lsfBitrates are the MPEG-2 layer III bitrates in kbit/s by index.
var lsfBitrates = [16]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0}

// shortPaddedFrame walks the frame headers of an MPEG-2 layer III stream
// at 22.05 kHz from off and reports the first padded frame whose size
// go-mp3 gets wrong. Bytes between frames are stepped over one at a time,
// at most maxJunk of them in a row.
func shortPaddedFrame(r io.ReaderAt, off, size int64) (int64, bool) {
	const maxJunk = 4096
	var h [4]byte
	junk := 0
	for off+4 <= size && junk <= maxJunk {
		if _, err := r.ReadAt(h[:], off); err != nil {
			return 0, false
		}
		v := binary.BigEndian.Uint32(h[:])
		// sync, MPEG-2, layer III, 22.05 kHz (rate index 0)
		if v&0xFFFE0000 != 0xFFF20000 || v&0x00000C00 != 0 || lsfBitrates[v>>12&15] == 0 {
			off++
			junk++
			continue
		}
		junk = 0
		br := lsfBitrates[v>>12&15] * 1000
		pad := int64(v >> 9 & 1)
		n := int64(72*br/22050) + pad
		if pad == 1 && (int64(144*br/22050)+pad)>>1 != n {
			return off, true
		}
		off += n
	}
	return 0, false
}
