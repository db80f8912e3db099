package wavheader_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/wavheader"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/wav"
)

// A tiny builder for hand-made files.

func le16(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func le32(v int) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(v)) }
func le64(v int64) []byte {
	return binary.LittleEndian.AppendUint64(nil, uint64(v))
}
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// chunk is id, the body's length, the body and a pad byte when odd.
func chunk(id string, body []byte) []byte {
	b := cat([]byte(id), le32(len(body)), body)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// sized is a chunk whose size field says size whatever the body.
func sized(id string, size int, body []byte) []byte { return cat([]byte(id), le32(size), body) }

func riff(chunks ...[]byte) []byte {
	body := cat(append([][]byte{[]byte("WAVE")}, chunks...)...)
	return cat([]byte("RIFF"), le32(len(body)), body)
}

func fmtPCM(ch, rate, bits int) []byte {
	align := ch * bits / 8
	return cat(le16(1), le16(ch), le32(rate), le32(rate*align), le16(align), le16(bits))
}

var fmt16 = chunk("fmt ", fmtPCM(1, 16000, 16))

func pcm16(n int) []byte {
	b := make([]byte, 2*n)
	for i := range n {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(i*97+1))
	}
	return b
}

var audio = pcm16(1600)

func extensibleFmt(bits int, guid []byte) []byte {
	align := bits / 8
	return cat(le16(0xFFFE), le16(1), le32(16000), le32(16000*align), le16(align), le16(bits), le16(22), le16(bits), le32(4), guid)
}

var pcmGUID = []byte{1, 0, 0, 0, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// w64 builds a Wave64 file; chunks are (GUID, body).
func w64(chunks ...[2][]byte) []byte {
	riffGUID := []byte{'r', 'i', 'f', 'f', 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00}
	waveGUID := []byte{'w', 'a', 'v', 'e', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A}
	var body []byte
	for _, c := range chunks {
		body = cat(body, c[0], le64(int64(24+len(c[1]))), c[1])
		for len(body)%8 != 0 {
			body = append(body, 0)
		}
	}
	return cat(riffGUID, le64(int64(40+len(body))), waveGUID, body)
}

func w64GUID(id string) []byte {
	return cat([]byte(id), []byte{0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A})
}

func id3(n int) []byte {
	return cat([]byte("ID3\x03\x00\x00"), []byte{byte(n >> 21 & 0x7f), byte(n >> 14 & 0x7f), byte(n >> 7 & 0x7f), byte(n & 0x7f)}, make([]byte, n))
}

// apiSees probes b as the API's reader does.
func apiSees(t *testing.T, b []byte) *probe.Info {
	t.Helper()
	info, err := probe.Probe(bytes.NewReader(b), int64(len(b)), "x.wav")
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func rewrite(t *testing.T, in []byte) (*wavheader.Layout, []byte) {
	t.Helper()
	l, err := wavheader.Locate(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	n, err := l.Write(&out, bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(out.Len()) {
		t.Errorf("Write says %d bytes, wrote %d", n, out.Len())
	}
	return l, out.Bytes()
}

// TestRewrite builds each header the API's reader refuses (or reads as
// no audio) around the same audio, and checks that the rewrite gives a
// file the reader opens as 16 kHz mono 16-bit PCM with every frame, and
// whose data chunk holds the input's audio bytes unchanged.
func TestRewrite(t *testing.T) {
	ext := extensibleFmt(16, pcmGUID)
	tests := []struct {
		name   string
		in     []byte
		repair string // a word of the repair, "" when the header was fine
	}{
		{"a plain file", riff(fmt16, chunk("data", audio)), ""},
		{"data size 0 (a streaming writer)", riff(fmt16, sized("data", 0, audio)), "data size 0x0"},
		{"data size 0xFFFFFFFF", riff(fmt16, sized("data", -1, audio)), "data size 0xFFFFFFFF"},
		{"data size 0 and metadata before the audio", riff(fmt16, sized("data", 0, nil), chunk("LIST", []byte("INFOISFT\x04\x00\x00\x00abc\x00")), audio), "followed by metadata"},
		{"data before fmt", riff(chunk("data", audio), fmt16), "fmt chunk after the data chunk"},
		{"odd chunk without its pad byte", riff(fmt16, sized("JUNK", 5, []byte("xxxxx")), chunk("data", audio)), "without its pad byte"},
		{"odd fmt chunk without its pad byte", riff(sized("fmt ", 17, append(fmtPCM(1, 16000, 16), 0)), chunk("data", audio)), "without its pad byte"},
		{"LIST claiming 1 GiB", riff(fmt16, sized("LIST", 1<<30, []byte("INFO")), chunk("data", audio)), "claims 1073741824 bytes"},
		{"fmt claiming 1 GiB", riff(sized("fmt ", 1<<30, append(fmtPCM(1, 16000, 16), make([]byte, 24)...)), chunk("data", audio)), "claims 1073741824 bytes"},
		{"a stray byte between chunks", riff(fmt16, []byte{1}, chunk("data", audio)), "not a chunk skipped"},
		{"a chunk with an unreadable ID", riff(fmt16, chunk("\x01\x02\x03\x04", []byte("xxxxxxxxxx")), chunk("data", audio)), "unreadable ID"},
		{"fmt of 14 bytes (no sample width)", riff(chunk("fmt ", fmtPCM(1, 16000, 16)[:14]), chunk("data", audio)), "PCM sample width 16 bits"},
		{"sample width 0", riff(chunk("fmt ", cat(fmtPCM(1, 16000, 16)[:14], le16(0))), chunk("data", audio)), "PCM sample width 16 bits"},
		{"PEAK before fmt", riff(chunk("PEAK", make([]byte, 16)), fmt16, chunk("data", audio)), ""},
		{"ID3 tags before the header", cat(id3(100), id3(5000), riff(fmt16, chunk("data", audio))), "ID3v2 tag of 5010 bytes"},
		{"extensible", riff(chunk("fmt ", ext), chunk("data", audio)), ""},
		{"extensible without its sub-format", riff(chunk("fmt ", ext[:18]), chunk("data", audio)), "cut before its sub-format"},
		{"extensible GUID with a zero tail", riff(chunk("fmt ", cat(ext[:24], pcmGUID[:8], make([]byte, 8))), chunk("data", audio)), "non-standard tail"},
		{"extensible GUID byte-swapped", riff(chunk("fmt ", cat(ext[:24], []byte{0, 0, 0, 1, 0, 0, 0, 0x10}, pcmGUID[8:])), chunk("data", audio)), "byte-swapped"},
		{"BW64", cat([]byte("BW64"), le32(-1), []byte("WAVEds64"), le32(28), le64(int64(4+36+len(fmt16)+8+len(audio))), le64(int64(len(audio))), le64(1600), le32(0), fmt16, sized("data", -1, audio)), "BW64 container"},
		{"RF64 without ds64", cat([]byte("RF64"), le32(-1), []byte("WAVE"), fmt16, sized("data", -1, audio)), "without its ds64"},
		{"RF64 with ds64 data size 0", cat([]byte("RF64"), le32(-1), []byte("WAVEds64"), le32(28), le64(0), le64(0), le64(0), le32(0), fmt16, sized("data", -1, audio)), "ds64 data size 0"},
		{"Wave64", w64([2][]byte{w64GUID("fmt "), fmtPCM(1, 16000, 16)}, [2][]byte{w64GUID("data"), audio}), "Wave64 container"},
		{"Wave64 data size 0", append(w64([2][]byte{w64GUID("fmt "), fmtPCM(1, 16000, 16)}, [2][]byte{w64GUID("data"), nil}), audio...), "Wave64 data size 24"},
		{"Wave64 behind an ID3 tag", cat(id3(37), w64([2][]byte{w64GUID("fmt "), fmtPCM(1, 16000, 16)}, [2][]byte{w64GUID("data"), audio})), "Wave64 container"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, out := rewrite(t, tt.in)
			repairs := strings.Join(l.Repairs, "; ")
			if (tt.repair == "") != (repairs == "") || !strings.Contains(repairs, tt.repair) {
				t.Errorf("repairs %q, want %q", l.Repairs, tt.repair)
			}
			info := apiSees(t, out)
			if !info.Opens || (info.SndfileFormat != "WAV" && info.SndfileFormat != "WAVEX") || info.SampleRate != 16000 || info.Channels != 1 || info.Frames != 1600 || info.Settled == nil || info.Settled.FramesRead != 1600 {
				t.Fatalf("the API would see %+v", info)
			}
			if !bytes.HasSuffix(out, audio) || !bytes.Equal(out[len(out)-len(audio)-8:len(out)-len(audio)], cat([]byte("data"), le32(len(audio)))) {
				t.Errorf("the output does not end with a data chunk of the input's audio")
			}
			if string(out[:4]) != "RIFF" || int(binary.LittleEndian.Uint32(out[4:])) != len(out)-8 {
				t.Errorf("RIFF size %d for %d bytes", binary.LittleEndian.Uint32(out[4:]), len(out))
			}
		})
	}
}

func TestRewriteKeepsFormats(t *testing.T) {
	ima := cat(le16(0x11), le16(1), le32(16000), le32(8110), le16(256), le16(4), le16(2), le16(505))
	tests := []struct {
		name    string
		fmtBody []byte
		data    []byte
		subtype string
	}{
		{"IMA ADPCM keeps its samples per block", ima, bytes.Repeat([]byte{0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78}, 32*4), "IMA_ADPCM"},
		{"float", cat(le16(3), le16(1), le32(16000), le32(64000), le16(4), le16(32), le16(0)), make([]byte, 4*800), "FLOAT"},
		{"µ-law", cat(le16(7), le16(1), le32(16000), le32(16000), le16(1), le16(8), le16(0)), bytes.Repeat([]byte{0xff}, 801), "ULAW"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := riff(chunk("fmt ", tt.fmtBody), sized("data", 0, tt.data))
			_, out := rewrite(t, in)
			info := apiSees(t, out)
			if !info.Opens || info.SndfileSubtype != tt.subtype || info.SampleRate != 16000 {
				t.Fatalf("the API would see %+v", info)
			}
			if !bytes.Contains(out, tt.data) || !bytes.Contains(out, tt.fmtBody[:16]) {
				t.Errorf("format or audio bytes changed")
			}
			if len(tt.data)%2 == 1 && out[len(out)-1] != 0 {
				t.Errorf("no pad byte after odd audio")
			}
		})
	}
}

func TestRewriteBigEndian(t *testing.T) {
	be := func(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }
	be16 := func(v int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
	f := cat(be16(1), be16(1), be(16000), be(32000), be16(2), be16(16))
	body := cat([]byte("WAVE"), []byte("fmt "), be(16), f, []byte("data"), be(0), audio)
	in := cat([]byte("RIFX"), be(len(body)), body)
	l, out := rewrite(t, in)
	if !l.BigEndian() || string(out[:4]) != "RIFX" || !bytes.HasSuffix(out, audio) {
		t.Fatalf("big-endian audio must stay RIFX: %q", out[:4])
	}
	info := apiSees(t, out)
	if !info.Opens || info.Frames != 1600 {
		t.Fatalf("the API would see %+v", info)
	}
}

// TestRewriteRF64 states a data chunk larger than 4 GiB without building
// one: the header is RF64 with a ds64 chunk, and the output reader serves
// the audio from the input where it is.
func TestRewriteRF64(t *testing.T) {
	const dataSize = 5 << 30
	l := &wavheader.Layout{Container: "RIFF", Format: wavheader.Format{Tag: 1, Channels: 1, Rate: 16000, ByteRate: 32000, BlockAlign: 2, Bits: 16}, DataOffset: 44, DataSize: dataSize}
	h, err := l.Header()
	if err != nil {
		t.Fatal(err)
	}
	if string(h[:4]) != "RF64" || string(h[12:16]) != "ds64" || binary.LittleEndian.Uint64(h[28:]) != dataSize || binary.LittleEndian.Uint64(h[36:]) != dataSize/2 {
		t.Fatalf("header % x", h)
	}
	if got := binary.LittleEndian.Uint32(h[len(h)-4:]); got != 0xFFFFFFFF {
		t.Errorf("data size field %x", got)
	}
	out, n, err := l.Output(zeros{})
	if err != nil || n != int64(len(h))+dataSize {
		t.Fatalf("output of %d bytes, %v", n, err)
	}
	info, err := probe.Probe(out, n, "big.wav")
	if err != nil || !info.Opens || info.SndfileFormat != "RF64" || info.Frames != dataSize/2 {
		t.Fatalf("the API would see %+v, %v", info, err)
	}
}

// zeros is an endless input of zero bytes.
type zeros struct{}

func (zeros) ReadAt(p []byte, off int64) (int, error) {
	clear(p)
	return len(p), nil
}

func TestLocateRefuses(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"not a WAV", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00"), "no RIFF, RIFX, RF64, BW64 or Wave64 header"},
		{"RIFF but not WAVE", cat([]byte("RIFF"), le32(4), []byte("AVI ")), "no RIFF"},
		{"no fmt", riff(chunk("data", audio)), "no fmt chunk"},
		{"no data", riff(fmt16), "no data chunk"},
		{"an empty data chunk", riff(fmt16, chunk("data", nil)), "holds 0 bytes"},
		{"less than a frame", riff(fmt16, chunk("data", []byte{1})), "holds 1 bytes"},
		{"two data chunks", riff(fmt16, chunk("data", audio[:100]), chunk("data", audio)), "second data chunk"},
		{"two fmt chunks that differ", riff(fmt16, chunk("fmt ", fmtPCM(2, 8000, 16)), chunk("data", audio)), "second fmt chunk that differs"},
		{"fmt of 0 bytes", riff(chunk("fmt ", nil), chunk("data", audio)), "too short"},
		{"no rate", riff(chunk("fmt ", fmtPCM(1, 0, 16)), chunk("data", audio)), "at 0 Hz"},
		{"extensible without sub-format, 32-bit", riff(chunk("fmt ", extensibleFmt(32, pcmGUID)[:18]), chunk("data", audio)), "integer or float"},
		{"extensible with an unknown GUID", riff(chunk("fmt ", cat(extensibleFmt(16, pcmGUID)[:24], []byte("0123456789abcdef"))), chunk("data", audio)), "unknown sub-format GUID"},
		{"zero-size data, metadata, nothing after", riff(fmt16, sized("data", 0, nil), chunk("LIST", []byte("INFO"))), "data chunk is empty"},
		{"fmt whose size reads as the data ID", riff([]byte("fmt data")), "no data chunk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wavheader.Locate(bytes.NewReader(tt.in), int64(len(tt.in)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			var fe *probe.FormatError
			var ue *probe.UnsupportedError
			if !errors.As(err, &fe) && !errors.As(err, &ue) {
				t.Errorf("err is %T", err)
			}
		})
	}
}

// TestLocateFmtSizeLikeAnID: a fmt chunk whose size field holds the bytes
// "data" claims more than the file holds; its body still ends at the next
// chunk after it, not at the ID inside its own header.
func TestLocateFmtSizeLikeAnID(t *testing.T) {
	in := riff(cat([]byte("fmt data"), fmtPCM(1, 16000, 16)), chunk("data", audio))
	l, err := wavheader.Locate(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(12 + 8 + 16 + 8); l.DataOffset != want || l.DataSize != int64(len(audio)) {
		t.Errorf("audio at %d, %d bytes; want %d, %d", l.DataOffset, l.DataSize, want, len(audio))
	}
}

// TestLocateReadsHeadersOnly: locating the audio of a long file reads a
// few hundred bytes, whatever its length.
func TestLocateReadsHeadersOnly(t *testing.T) {
	in := riff(fmt16, sized("data", 0, make([]byte, 50<<20)))
	cr := &countingReader{r: bytes.NewReader(in)}
	if _, err := wavheader.Locate(cr, int64(len(in))); err != nil {
		t.Fatal(err)
	}
	if cr.n > 1024 {
		t.Errorf("read %d bytes to locate the audio", cr.n)
	}
}

type countingReader struct {
	r io.ReaderAt
	n int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	return n, err
}
