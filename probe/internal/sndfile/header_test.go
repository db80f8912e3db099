package sndfile

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
)

func reader(b []byte) *HeaderReader { return newHeaderReader(bytes.NewReader(b), int64(len(b))) }

func TestReadfValues(t *testing.T) {
	h := reader([]byte("FORM\x00\x00\x01\x00\x01\x02\x03\x04\x05\x06\x07\x08"))
	var m, size uint32
	var a uint16
	var b uint8
	var c uint32
	n := h.Readf("pmE4", 0, &m, &size)
	if m != 'F'<<24|'O'<<16|'R'<<8|'M' || size != 256 || n != 8 {
		t.Fatalf("m=%x size=%d n=%d", m, size, n)
	}
	h.Readf("e21", &a, &b)
	if a != 0x0201 || b != 3 {
		t.Fatalf("a=%x b=%x", a, b)
	}
	h.Readf("E3", &c)
	if c != 0x040506 {
		t.Fatalf("c=%x", c)
	}
	if h.Tell() != 14 || h.Index() != 14 {
		t.Fatalf("tell %d index %d", h.Tell(), h.Index())
	}
}

// A value that straddles the end of the input reads as zero, and the file
// position still moves to the end.
func TestReadfStraddlingEndReadsZero(t *testing.T) {
	h := reader([]byte{1, 2, 3, 4, 5, 6})
	var a, b uint32 = 7, 7
	h.Readf("E44", &a, &b)
	if a != 0x01020304 || b != 0 {
		t.Fatalf("a=%x b=%x", a, b)
	}
	if h.Tell() != 6 || h.Index() != 4 {
		t.Fatalf("tell %d index %d", h.Tell(), h.Index())
	}
}

// Three-byte values share one scratch buffer per call: a short read leaves
// the previous value in it.
func TestReadfThreeByteScratchIsShared(t *testing.T) {
	h := reader([]byte{1, 2, 3, 4})
	var a, b uint32
	h.Readf("E33", &a, &b)
	if a != 0x010203 || b != 0x010203 {
		t.Fatalf("a=%x b=%x", a, b)
	}
}

// A skip beyond what the cache may hold moves the file position without
// moving the cache index; a small skip is cached.
func TestReadfSkips(t *testing.T) {
	data := make([]byte, 300000)
	h := reader(data)
	var m uint32
	h.Readf("m", &m)
	h.Readf("j", 100)
	if h.Tell() != 104 || h.Index() != 104 {
		t.Fatalf("small skip: tell %d index %d", h.Tell(), h.Index())
	}
	h.Readf("j", 200000)
	if h.Tell() != 200104 || h.Index() != 104 {
		t.Fatalf("large skip: tell %d index %d", h.Tell(), h.Index())
	}
	h.Readf("j", -4)
	if h.Index() != 100 {
		t.Fatalf("back skip: index %d", h.Index())
	}
	// Sizes above 2^31 are negative skips, and a skip before the start of
	// the cache does nothing.
	h.Readf("j", int64(0xFFFFF000))
	if h.Index() != 100 {
		t.Fatalf("huge skip: index %d", h.Index())
	}
}

// Once the cache cannot grow past 100 KiB, header reads are ignored and
// leave their destinations alone.
func TestReadfCacheDies(t *testing.T) {
	data := bytes.Repeat([]byte{0xAB}, 200000)
	h := reader(data)
	for i := 0; i < 10000; i++ {
		h.Readf("b", nil, 10)
	}
	v := uint32(12345)
	if n := h.Readf("4", &v); n != 0 || v != 12345 {
		t.Fatalf("dead cache read %d bytes, value %d", n, v)
	}
	if h.Tell() > 65536 {
		t.Fatalf("read %d bytes through a cache that stops at 64 KiB", h.Tell())
	}
}

func TestReadfLine(t *testing.T) {
	h := reader([]byte("PVF1\n1 16000 16\nrest"))
	var m uint32
	line := make([]byte, 32)
	h.Readf("pmj", 0, &m, 1)
	h.Readf("G", line)
	if got := string(line[:bytes.IndexByte(line, 0)]); got != "1 16000 16" {
		t.Fatalf("line %q", got)
	}
	if h.Tell() != 16 {
		t.Fatalf("tell %d", h.Tell())
	}
}

// A line read at the end of the input hands out, over and over, the byte
// the cache last held past its end: here the first byte of a value that
// came up short.
func TestReadfLineAtEndReadsStaleCache(t *testing.T) {
	h := reader([]byte("abcdef"))
	var v uint32
	h.Readf("44", &v, &v)
	line := make([]byte, 5)
	if n := h.Readf("G", line); n != 4 || string(line) != "eeee\x00" {
		t.Fatalf("line %q, %d bytes", line, n)
	}
}

// countingReaderAt counts the bytes served.
type countingReaderAt struct {
	r *bytes.Reader
	n int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += n
	return n, err
}

// A skip libsndfile reads through its cache moves the cache and the file
// position, but the skipped bytes are never read: only the values handed
// out are.
func TestReadfCachedSkipReadsNothing(t *testing.T) {
	data := make([]byte, 100000)
	copy(data[20000:], "\x01\x02\x03\x04")
	copy(data[40004:], "LIST")
	cr := &countingReaderAt{r: bytes.NewReader(data)}
	h := newHeaderReader(cr, int64(len(data)))
	var size, m uint32
	h.Readf("4j", &size, 40000)
	if h.Tell() != 40004 || h.Index() != 40004 {
		t.Fatalf("tell %d index %d", h.Tell(), h.Index())
	}
	h.Readf("m", &m)
	if m != 'L'<<24|'I'<<16|'S'<<8|'T' {
		t.Fatalf("marker %x", m)
	}
	if cr.n > 4096 {
		t.Fatalf("read %d bytes", cr.n)
	}
	// Back inside the cache, the skipped bytes read as the file's.
	h.Readf("p4", 20000, &size)
	if size != 0x04030201 {
		t.Fatalf("cached value %x", size)
	}
}

// W64 identifiers fold to 32 bits; "!" empties the cache, so that the next
// read comes from the file position.
func TestReadfFoldAndClear(t *testing.T) {
	data := append(bytes.Repeat([]byte{1}, 16), "abcd"...)
	h := reader(data)
	var fold, m uint32
	h.Readf("h", &fold)
	if fold != 0xFFFF {
		t.Fatalf("fold %x", fold)
	}
	h.Readf("p!m", 0, &m)
	if m != 'a'<<24|'b'<<16|'c'<<8|'d' || h.Index() != 4 || h.NextOffset() != 20 {
		t.Fatalf("after clear: marker %x index %d next %d", m, h.Index(), h.NextOffset())
	}
}

// BytesIO refuses seeks to a negative offset or past the largest position:
// the position stays.
func TestFSeekRefused(t *testing.T) {
	h := reader(make([]byte, 10))
	h.FSeek(5, SeekSet)
	if got := h.FSeek(-1, SeekSet); got != 0 || h.Tell() != 5 {
		t.Fatalf("negative seek: %d, position %d", got, h.Tell())
	}
	if got := h.FSeek(math.MaxInt64, SeekCur); got != 0 || h.Tell() != 5 {
		t.Fatalf("overflowing seek: %d, position %d", got, h.Tell())
	}
	if got := h.FSeek(-100, SeekCur); got != 0 || h.Tell() != 0 {
		t.Fatalf("seek before the start: %d, position %d", got, h.Tell())
	}
}

// Open leaves the cache and the file position as sf_open leaves them for a
// format's reader: 12 bytes read for detection, and every ID3v2 tag skipped
// with a header seek and a clear. Given the part of an input after its tags,
// it reads the whole input.
func TestOpenReplaysDetection(t *testing.T) {
	h := Open(bytes.NewReader([]byte("PVF1\n1 8 8\nabcdef")), 17)
	if h.Tell() != 12 || h.Index() != 12 || h.FileOffset() != 0 {
		t.Fatalf("tell %d index %d offset %d", h.Tell(), h.Index(), h.FileOffset())
	}
	var m uint32
	h.Readf("pm", 0, &m)
	if m != 'P'<<24|'V'<<16|'F'<<8|'1' || h.Tell() != 12 {
		t.Fatalf("marker %x tell %d", m, h.Tell())
	}

	tag := append([]byte("ID3\x03\x00\x00\x00\x00\x00\x05"), "xxxxx"...)
	whole := append(tag, "RIFF\x04\x00\x00\x00WAVEdata"...)
	for _, r := range []*io.SectionReader{io.NewSectionReader(bytes.NewReader(whole), 0, int64(len(whole))),
		io.NewSectionReader(bytes.NewReader(whole), 15, int64(len(whole)-15))} {
		h := Open(r, r.Size())
		if h.FileOffset() != 15 || h.Tell() != 27 || h.Size() != int64(len(whole)) {
			t.Fatalf("behind a tag: offset %d tell %d size %d", h.FileOffset(), h.Tell(), h.Size())
		}
		h.Readf("pm", 0, &m)
		if m != 'R'<<24|'I'<<16|'F'<<8|'F' {
			t.Fatalf("behind a tag: marker %x", m)
		}
	}
}

func TestFloatReads(t *testing.T) {
	for _, c := range []struct {
		b    []byte
		big  bool
		want float32
	}{
		{[]byte{0x46, 0x7A, 0, 0}, true, 16000},
		{[]byte{0, 0, 0x7A, 0x46}, false, 16000},
		{[]byte{0, 0, 0, 0}, true, 0},
		// A denormal is read with the implicit 1: about 1.0, not 1e-43.
		{[]byte{0, 0, 0, 0x80}, true, 1 + 128.0/0x800000},
		{[]byte{0xC0, 0, 0, 0}, true, -2},
	} {
		if got := Float32Read(c.b, c.big); got != c.want {
			t.Errorf("Float32Read(%x) = %v want %v", c.b, got, c.want)
		}
	}
	if got := Float32Read([]byte{0x7F, 0x80, 0, 0}, true); !math.IsInf(float64(got), 1) {
		t.Errorf("infinity bits read as %v", got)
	}
	if got := Double64Read([]byte{0x40, 0xCF, 0x40, 0, 0, 0, 0, 0}, true); got != 16000 {
		t.Errorf("Double64Read = %v", got)
	}
	if got := Double64Read([]byte{0, 0, 0, 0, 0, 0x40, 0xCF, 0x40}, false); got != 16000 {
		t.Errorf("Double64Read LE = %v", got)
	}
}

func TestCNumbers(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want int32
	}{{2.5, 2}, {3.5, 4}, {-1.5, -2}, {15999.6, 16000}, {math.NaN(), math.MinInt32}, {1e12, math.MinInt32}} {
		if got := Lrint(c.x); got != c.want {
			t.Errorf("Lrint(%v) = %d want %d", c.x, got, c.want)
		}
	}
	if got := FloatToInt(16000.9); got != 16000 {
		t.Errorf("FloatToInt = %d", got)
	}
	for _, c := range []struct {
		s    string
		want int32
		ok   bool
	}{{" -12abc", -12, true}, {"+7", 7, true}, {"abc", 0, false}, {"", 0, false}, {"4294967297", 1, true}, {"99999999999999999999", -1, true}} {
		got, _, ok := ScanInt([]byte(c.s))
		if got != c.want || ok != c.ok {
			t.Errorf("ScanInt(%q) = %d %v want %d %v", c.s, got, ok, c.want, c.ok)
		}
	}
	if v, _, ok := ScanUint([]byte("-1")); !ok || v != 0xFFFFFFFF {
		t.Errorf("ScanUint(-1) = %d %v", v, ok)
	}
}

func TestValidate(t *testing.T) {
	ok := File{Samplerate: 8000, Channels: 1, Codec: PCM16, DataLength: 10, DataOffset: 10, Bytewidth: 2, Blockwidth: 2}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*File){
		"rate 0":          func(f *File) { f.Samplerate = 0 },
		"negative frames": func(f *File) { f.Frames = -1 },
		"no channels":     func(f *File) { f.Channels = 0 },
		"1025 channels":   func(f *File) { f.Channels = 1025 },
		"no codec":        func(f *File) { f.Codec = CodecNone },
		"negative length": func(f *File) { f.DataLength = -1 },
		"negative offset": func(f *File) { f.DataOffset = -1 },
		"block width off": func(f *File) { f.Blockwidth = 3 },
	} {
		f := ok
		mutate(&f)
		if f.Validate() == nil {
			t.Errorf("%s: validated", name)
		}
	}
}

// countStream delivers at most avail frames in total, then nothing.
type countStream struct {
	ch, avail, pos int64
	seekErr        error
	seeks          int
}

func (s *countStream) Read(items int64) (int64, error) {
	n := min(items/s.ch, s.avail-s.pos)
	s.pos += n
	return n * s.ch, nil
}

func (s *countStream) SeekFrame(f int64) (int64, error) {
	s.seeks++
	if s.seekErr != nil {
		return -1, s.seekErr
	}
	s.pos = f
	return f, nil
}

func TestReadLoop(t *testing.T) {
	// Everything present: all frames, one seek per block plus the last.
	s := &countStream{ch: 2, avail: 200000}
	r := ReadLoop(Loop{Frames: 150000, Channels: 2, Seekable: true, CanRead: true}, s)
	if r.FramesRead != 150000 || r.ReadError != "" || s.seeks != 4 {
		t.Fatalf("full: %+v seeks %d", r, s.seeks)
	}
	// Fewer frames than reported: the loop ends early without an error.
	s = &countStream{ch: 1, avail: 70000}
	r = ReadLoop(Loop{Frames: 150000, Channels: 1, Seekable: true, CanRead: true}, s)
	if r.FramesRead != 70000 || r.ReadError != "" {
		t.Fatalf("short: %+v", r)
	}
	// A failing seek after the first block loses that block.
	s = &countStream{ch: 1, avail: 100, seekErr: errors.New("no seek")}
	r = ReadLoop(Loop{Frames: 100, Channels: 1, Seekable: true, CanRead: true}, s)
	if r.FramesRead != 0 || r.ReadError == "" {
		t.Fatalf("seek error: %+v", r)
	}
	// Not seekable: no seeks at all.
	s = &countStream{ch: 1, avail: 100000, seekErr: errors.New("no seek")}
	r = ReadLoop(Loop{Frames: 100000, Channels: 1, Seekable: false, CanRead: true}, s)
	if r.FramesRead != 100000 || r.ReadError != "" {
		t.Fatalf("unseekable: %+v", r)
	}
	// No decoder: reading fails at once.
	r = ReadLoop(Loop{Frames: 10, Channels: 1, Seekable: true, CanRead: false}, &countStream{ch: 1, avail: 10})
	if r.FramesRead != 0 || r.ReadError == "" {
		t.Fatalf("no decoder: %+v", r)
	}
	// Zero frames: the single empty read still seeks.
	s = &countStream{ch: 1, seekErr: errors.New("no seek")}
	r = ReadLoop(Loop{Frames: 0, Channels: 1, Seekable: true, CanRead: true}, s)
	if r.ReadError == "" {
		t.Fatalf("empty with failing seek: %+v", r)
	}
}

func TestPCMInit(t *testing.T) {
	h := reader(make([]byte, 1000))
	f := NewFile(h, "x")
	f.DataOffset, f.Bytewidth, f.Channels, f.Codec, f.Endian = 100, 2, 2, PCM16, Big
	if err := f.PCMInit(); err != nil || f.Frames != 225 {
		t.Fatalf("frames %d err %v", f.Frames, err)
	}
	f.DataEnd = 500
	if err := f.PCMInit(); err != nil || f.Frames != 100 {
		t.Fatalf("with data end: frames %d err %v", f.Frames, err)
	}
	f.DataOffset = 2000
	if err := f.PCMInit(); err != nil || f.Frames != 0 || f.DataLength != 0 {
		t.Fatalf("offset past end: frames %d length %d err %v", f.Frames, f.DataLength, err)
	}
	f.Endian = EndianUnset
	if f.PCMInit() == nil {
		t.Fatal("16-bit PCM of unknown byte order set up")
	}
}

func TestCutShort(t *testing.T) {
	f := &File{H: &HeaderReader{}, Frames: 750, DataLength: 1500}
	if w := f.CutShort("data chunk", 1500, 1500); w != nil || f.FramesHeld() != 0 {
		t.Errorf("data that fits: %q, holds %d", w, f.FramesHeld())
	}
	w := f.CutShort("data chunk", 3000, 1500)
	if len(w) != 1 || !strings.Contains(w[0], "declares 3000 bytes of audio but the file ends 1500 bytes early") {
		t.Errorf("warning %q", w)
	}
	if got := f.FramesHeld(); got != 1500 {
		t.Errorf("holds %d frames, want 1500", got)
	}
	// A size that overflows the scaling is capped, not wrapped.
	f = &File{H: &HeaderReader{}, Frames: 1 << 40, DataLength: 1}
	f.CutShort("data chunk", 1<<62, 1)
	if got := f.FramesHeld(); got != math.MaxInt64 {
		t.Errorf("holds %d frames, want the cap", got)
	}
}
