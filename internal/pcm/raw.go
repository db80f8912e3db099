package pcm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/audiopreflight/audiopreflight/probe"
)

// raw decodes uncompressed samples (PCM of 1 to 4 bytes, either byte
// order, signed or unsigned; IEEE float of 4 or 8 bytes; G.711 µ-law and
// A-law) from where the prober located them, the layout WAV, RF64, W64,
// AIFF/AIFF-C, AU, CAF and the rare formats share.
type raw struct {
	r         io.ReaderAt
	container string
	format    Format
	layout    probe.SampleLayout
	frameSize int
	next      int64 // frames delivered
	buf       []byte
	decode    func(dst []float32, src []byte)
}

// rawBlockBytes is how much is read in one go.
const rawBlockBytes = 64 << 10

func newRaw(r io.ReaderAt, size int64, info *probe.Info) (*raw, error) {
	l := *info.Samples
	if err := checkFormat(info.Container, info.SampleRate, info.Channels); err != nil {
		return nil, err
	}
	d := &raw{r: r, container: info.Container, layout: l,
		format: Format{SampleRate: info.SampleRate, Channels: info.Channels, Frames: l.Frames, Bits: rawBits(l)}}
	d.decode = sampleDecoder(l)
	if d.decode == nil || l.Frames < 0 || l.Offset < 0 {
		return nil, &UnsupportedError{Container: info.Container, Codec: info.Codec,
			Msg: fmt.Sprintf("%d-byte samples of encoding %d", l.Bytes, l.Encoding)}
	}
	d.frameSize = l.Bytes * info.Channels
	if end := l.Offset + l.Frames*int64(d.frameSize); l.Frames > (size-l.Offset)/int64(d.frameSize) || end > size {
		return nil, &probe.FormatError{Format: info.Container, Off: l.Offset,
			Msg: fmt.Sprintf("%d frames declared, the input holds fewer", l.Frames)}
	}
	d.buf = make([]byte, max(rawBlockBytes/d.frameSize, 1)*d.frameSize)
	return d, nil
}

func (d *raw) Format() Format { return d.format }

func (d *raw) Read(p []float32) (int, error) {
	ch := d.format.Channels
	want := int64(len(p) / ch)
	want = min(want, d.layout.Frames-d.next, int64(len(d.buf)/d.frameSize))
	if want <= 0 {
		if d.next >= d.layout.Frames {
			return 0, io.EOF
		}
		return 0, nil
	}
	off := d.layout.Offset + d.next*int64(d.frameSize)
	b := d.buf[:want*int64(d.frameSize)]
	n, err := d.r.ReadAt(b, off)
	if n < len(b) {
		if err == nil || errors.Is(err, io.EOF) {
			err = &probe.FormatError{Format: d.container, Off: off + int64(n), Msg: "the audio ends early"}
		}
		return 0, err
	}
	d.decode(p[:int(want)*ch], b)
	d.next += want
	return int(want), nil
}

// rawBits is the resolution of a layout's samples (the laws expand to 16
// bits), 0 for float.
func rawBits(l probe.SampleLayout) int {
	switch l.Encoding {
	case probe.SignedPCM, probe.UnsignedPCM:
		return 8 * l.Bytes
	case probe.MuLaw, probe.ALaw:
		return 16
	}
	return 0
}

// sampleDecoder returns the function that turns stored samples into
// float32, nil for a layout no decoder covers.
func sampleDecoder(l probe.SampleLayout) func(dst []float32, src []byte) {
	var bo binary.ByteOrder = binary.LittleEndian
	if l.BigEndian {
		bo = binary.BigEndian
	}
	switch {
	case l.Encoding == probe.SignedPCM && l.Bytes == 1:
		return func(dst []float32, src []byte) {
			for i := range dst {
				dst[i] = float32(int8(src[i])) / (1 << 7)
			}
		}
	case l.Encoding == probe.UnsignedPCM && l.Bytes == 1:
		return func(dst []float32, src []byte) {
			for i := range dst {
				dst[i] = float32(int(src[i])-128) / (1 << 7)
			}
		}
	case l.Encoding == probe.SignedPCM && l.Bytes == 2 && !l.BigEndian:
		return func(dst []float32, src []byte) {
			src = src[:2*len(dst)]
			for i := range dst {
				dst[i] = float32(int16(uint16(src[2*i])|uint16(src[2*i+1])<<8)) * (1.0 / (1 << 15))
			}
		}
	case l.Encoding == probe.SignedPCM && l.Bytes == 2:
		return func(dst []float32, src []byte) {
			src = src[:2*len(dst)]
			for i := range dst {
				dst[i] = float32(int16(uint16(src[2*i+1])|uint16(src[2*i])<<8)) * (1.0 / (1 << 15))
			}
		}
	case l.Encoding == probe.SignedPCM && l.Bytes == 3:
		return func(dst []float32, src []byte) {
			for i := range dst {
				s := src[3*i : 3*i+3]
				var v int32
				if l.BigEndian {
					v = int32(s[0])<<24 | int32(s[1])<<16 | int32(s[2])<<8
				} else {
					v = int32(s[2])<<24 | int32(s[1])<<16 | int32(s[0])<<8
				}
				dst[i] = float32(v>>8) / (1 << 23)
			}
		}
	case l.Encoding == probe.SignedPCM && l.Bytes == 4:
		return func(dst []float32, src []byte) {
			for i := range dst {
				dst[i] = float32(float64(int32(bo.Uint32(src[4*i:]))) / (1 << 31))
			}
		}
	case l.Encoding == probe.IEEEFloat && l.Bytes == 4:
		return func(dst []float32, src []byte) {
			for i := range dst {
				dst[i] = finite(float64(math.Float32frombits(bo.Uint32(src[4*i:]))))
			}
		}
	case l.Encoding == probe.IEEEFloat && l.Bytes == 8:
		return func(dst []float32, src []byte) {
			for i := range dst {
				dst[i] = finite(math.Float64frombits(bo.Uint64(src[8*i:])))
			}
		}
	case l.Encoding == probe.MuLaw && l.Bytes == 1:
		return func(dst []float32, src []byte) {
			for i := range dst {
				dst[i] = float32(muLaw[src[i]]) / (1 << 15)
			}
		}
	case l.Encoding == probe.ALaw && l.Bytes == 1:
		return func(dst []float32, src []byte) {
			for i := range dst {
				dst[i] = float32(aLaw[src[i]]) / (1 << 15)
			}
		}
	}
	return nil
}

// finite keeps a float sample usable: NaN becomes silence and values
// beyond float32's range its largest, so that no later stage sees a value
// that poisons a filter's state.
func finite(v float64) float32 {
	switch {
	case v != v:
		return 0
	case v > math.MaxFloat32:
		return math.MaxFloat32
	case v < -math.MaxFloat32:
		return -math.MaxFloat32
	}
	return float32(v)
}
