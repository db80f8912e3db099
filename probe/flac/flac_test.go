package flac

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

func TestCRC(t *testing.T) {
	check := []byte("123456789")
	if got := crc8(check); got != 0xF4 {
		t.Errorf("crc8 = %#x, want 0xf4", got)
	}
	if got := crc16Update(0, check); got != 0xFEE8 {
		t.Errorf("crc16 = %#x, want 0xfee8", got)
	}
	// Slice-by-8 agrees with the bytewise update at every length and split.
	data := make([]byte, 100)
	for i := range data {
		data[i] = byte(i*37 + 11)
	}
	for n := range data {
		want := uint16(0)
		for _, b := range data[:n] {
			want = crc16Update(want, []byte{b})
		}
		if got := crc16Update(crc16Update(0, data[:n/3]), data[n/3:n]); got != want {
			t.Fatalf("length %d: %#x, want %#x", n, got, want)
		}
	}
	// The folding CRC (amd64) agrees with the tables at every length,
	// from every running value.
	long := make([]byte, 700)
	for i := range long {
		long[i] = byte(i*i*31 + i>>3)
	}
	for n := range long {
		for _, c := range []uint16{0, 1, 0x8005, 0xFFFF, uint16(n * 2654435761)} {
			if got, want := crc16Update(c, long[:n]), crc16Table(c, long[:n]); got != want {
				t.Fatalf("length %d from %#x: %#x, want %#x", n, c, got, want)
			}
		}
	}
}

// headerCases are streams whose opening is decided by their metadata.
// frames -1 means an unknown length.
var headerCases = []struct {
	name    string
	data    []byte
	opens   bool
	subtype string
	rate    int
	frames  int64
}{
	{"16-bit", stream(block(true, 0, mono16(1000).body())), true, "PCM_16", 16000, 1000},
	{"8-bit", stream(block(true, 0, si{1000, 1000, 0, 0, 8000, 1, 8, 5}.body())), true, "PCM_S8", 8000, 5},
	{"24-bit stereo", stream(block(true, 0, si{1000, 1000, 0, 0, 96000, 2, 24, 5}.body())), true, "PCM_24", 96000, 5},
	{"12-bit", stream(block(true, 0, si{1000, 1000, 0, 0, 16000, 1, 12, 5}.body())), false, "", 0, 0},
	{"20-bit", stream(block(true, 0, si{1000, 1000, 0, 0, 16000, 1, 20, 5}.body())), false, "", 0, 0},
	{"32-bit", stream(block(true, 0, si{1000, 1000, 0, 0, 16000, 1, 32, 5}.body())), false, "", 0, 0},
	{"total 0", stream(block(true, 0, mono16(0).body())), true, "PCM_16", 16000, -1},
	{"rate 0", stream(block(true, 0, si{1000, 1000, 0, 0, 0, 1, 16, 5}.body())), false, "", 0, 0},
	{"no STREAMINFO", stream(block(true, 1, make([]byte, 10))), false, "", 0, 0},
	{"STREAMINFO after padding", stream(block(false, 1, make([]byte, 10)), block(true, 0, mono16(7).body())), true, "PCM_16", 16000, 7},
	{"STREAMINFO of 33 bytes", stream(block(true, 0, mono16(7).body()[:33])), false, "", 0, 0},
	{"STREAMINFO of 40 bytes", stream(block(true, 0, append(mono16(7).body(), 1, 2, 3, 4, 5, 6))), true, "PCM_16", 16000, 7},
	// A second STREAMINFO: libsndfile ORs the subtypes (16 | 8 = 24 bits)
	// and refuses another channel count.
	{"second STREAMINFO 8-bit", stream(block(false, 0, mono16(7).body()),
		block(true, 0, si{1000, 1000, 0, 0, 8000, 1, 8, 9}.body())), true, "PCM_24", 8000, 9},
	{"second STREAMINFO stereo", stream(block(false, 0, mono16(7).body()),
		block(true, 0, si{1000, 1000, 0, 0, 16000, 2, 16, 9}.body())), false, "", 0, 0},
	// Cut inside STREAMINFO: no STREAMINFO; inside a seek table (read
	// without a limit): opens; inside padding: "bad metadata".
	{"cut in STREAMINFO", stream(block(true, 0, mono16(7).body()))[:30], false, "", 0, 0},
	{"cut in seek table", stream(block(false, 0, mono16(7).body()), block(true, 3, make([]byte, 36)))[:50], true, "PCM_16", 16000, 7},
	{"cut in padding", stream(block(false, 0, mono16(7).body()), block(true, 1, make([]byte, 100)))[:60], false, "", 0, 0},
	// One byte short: read alone, the missing last byte is charged to the
	// limit first and nothing is left over; read as a whole 32-bit word,
	// it is not.
	{"padding 1 byte short, byte read", stream(block(false, 0, mono16(7).body()), block(true, 1, make([]byte, 11)))[:56], true, "PCM_16", 16000, 7},
	{"padding 1 byte short, word read", stream(block(false, 0, mono16(7).body()), block(true, 1, make([]byte, 14)))[:59], false, "", 0, 0},
	{"application shorter than its id", stream(block(false, 0, mono16(7).body()), block(true, 2, []byte("ab")), make([]byte, 10)), true, "PCM_16", 16000, 7},
	{"vorbis comment count over 100000, exact", stream(block(false, 0, mono16(7).body()), block(true, 4, vorbis(200000, 0))), true, "PCM_16", 16000, 7},
	{"vorbis comment count over 100000, longer", stream(block(false, 0, mono16(7).body()), block(true, 4, vorbis(200000, 4))), false, "", 0, 0},
	{"vorbis comment count over what is there", stream(block(false, 0, mono16(7).body()), block(true, 4, vorbis(3, 0))), true, "PCM_16", 16000, 7},
	{"two empty seek tables", stream(block(false, 0, mono16(7).body()), block(false, 3, nil), block(true, 3, nil)), true, "PCM_16", 16000, 7},
	{"shorter than 12 bytes", []byte("fLaC\x80\x00\x00"), false, "", 0, 0},
}

// vorbis is a VORBIS_COMMENT body with a 3-byte vendor, n comments claimed
// and extra zero bytes.
func vorbis(n uint32, extra int) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 3)
	b = append(b, "abc"...)
	b = binary.LittleEndian.AppendUint32(b, n)
	return append(b, make([]byte, extra)...)
}

func TestHeader(t *testing.T) {
	for _, c := range headerCases {
		t.Run(c.name, func(t *testing.T) {
			info, err := probe.Probe(bytes.NewReader(c.data), int64(len(c.data)), "x.flac")
			if err != nil {
				t.Fatal(err)
			}
			if info.Opens != c.opens {
				t.Fatalf("opens = %v (%s), want %v", info.Opens, info.OpenError, c.opens)
			}
			if !c.opens {
				return
			}
			if info.SndfileSubtype != c.subtype || info.SampleRate != c.rate {
				t.Errorf("%s %d Hz, want %s %d Hz", info.SndfileSubtype, info.SampleRate, c.subtype, c.rate)
			}
			if c.frames < 0 != info.LengthUnknown || c.frames >= 0 && info.Frames != c.frames {
				t.Errorf("frames %d (unknown %v), want %d", info.Frames, info.LengthUnknown, c.frames)
			}
		})
	}
}

func readStream(total uint64, fs ...frame) []byte {
	return cat(stream(block(true, 0, mono16(total).body())), frames(fs...))
}

// readCases are mono16 streams of 1000-sample constant frames: what the
// server's read loop finds in them.
var readCases = func() []struct {
	name   string
	data   []byte
	read   int64
	failed bool
} {
	f0, f1, f2, f3 := monoFrame(0), monoFrame(1), monoFrame(2), monoFrame(3)
	bad16, bad8 := f1, f1
	bad16.badCRC16, bad8.badCRC8 = true, true
	stereo, rate, depth, big := f1, f1, f1, f1
	stereo.channels = 2
	rate.rateCode = 9 // 44.1 kHz
	depth.bpsCode, depth.bps = 1, 8
	big.blocksize = 65536
	overflow := f1
	overflow.body = func(w *bitWriter) { // FIXED order 1 rising from 32767
		w.put(0x12, 8)
		w.put(32767, 16)
		w.put(0, 10)
		for range 999 {
			w.put(0b001, 3) // +1
		}
	}
	reserved := f1
	reserved.body = func(w *bitWriter) { w.put(0x04, 8) }
	whole := readStream(3000, f0, f1, f2)
	return []struct {
		name   string
		data   []byte
		read   int64
		failed bool
	}{
		{"three frames", whole, 3000, false},
		{"fewer samples declared", readStream(2500, f0, f1, f2), 2500, false},
		{"more samples declared", readStream(3001, f0, f1, f2), 0, true},
		{"garbage after the end", cat(whole, []byte("garbage")), 3000, false},
		{"garbage between frames", cat(readStream(3000, f0), []byte{0}, frames(f1, f2)), 0, true},
		{"frame CRC-16 wrong", readStream(3000, f0, bad16, f2), 0, true},
		{"header CRC-8 wrong", readStream(3000, f0, bad8, f2), 0, true},
		{"cut in the last frame", whole[:len(whole)-3], 0, true},
		{"channels change", readStream(3000, f0, stereo, f2), 0, true},
		{"rate changes", readStream(3000, f0, rate, f2), 3000, false},
		{"depth changes", readStream(3000, f0, depth, f2), 3000, false},
		{"block of 65536", readStream(3000, f0, big), 0, true},
		{"CRC-valid samples out of range", readStream(3000, f0, overflow, f2), 0, true},
		{"CRC-valid reserved subframe", readStream(3000, f0, reserved, f2), 0, true},
		// A gap in the numbering is filled with silence by libFLAC.
		{"frame missing", readStream(4000, f0, f1, f3), 4000, false},
	}
}()

// TestReadAll also reads each stream after probe.Release has given the
// header's decoder back to the pool: the full read then reads the
// metadata again, and must find the same.
func TestReadAll(t *testing.T) {
	for _, c := range readCases {
		for _, released := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/released=%v", c.name, released), func(t *testing.T) {
				testReadAll(t, c.data, c.read, c.failed, released)
			})
		}
	}
}

func testReadAll(t *testing.T, data []byte, read int64, failed, released bool) {
	r := bytes.NewReader(data)
	info, err := probe.Probe(r, int64(len(data)), "x.flac")
	if err != nil || !info.Opens {
		t.Fatalf("does not open: %v %s", err, info.OpenError)
	}
	if released {
		probe.Release(info)
		// Another input takes the pooled decoder meanwhile.
		probe.Probe(bytes.NewReader(readCases[0].data), int64(len(readCases[0].data)), "y.flac")
	}
	res, err := probe.ReadAll(r, int64(len(data)), info)
	if err != nil {
		t.Fatal(err)
	}
	if res.FramesRead != read || (res.ReadError != "") != failed {
		t.Errorf("read %d frames, error %q; want %d frames, failed %v", res.FramesRead, res.ReadError, read, failed)
	}
}

// TestWriteTableInputs writes the table inputs to AUDIOPREFLIGHT_TABLE_DIR,
// to check the expectations above with the reference model.
func TestWriteTableInputs(t *testing.T) {
	dir := os.Getenv("AUDIOPREFLIGHT_TABLE_DIR")
	if dir == "" {
		t.Skip("set AUDIOPREFLIGHT_TABLE_DIR to write the table inputs there")
	}
	for i, c := range headerCases {
		if err := os.WriteFile(filepath.Join(dir, "header-"+string(rune('a'+i))+".flac"), c.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range readCases {
		if err := os.WriteFile(filepath.Join(dir, "read-"+string(rune('a'+i))+".flac"), c.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range pcmCases {
		if err := os.WriteFile(filepath.Join(dir, "pcm-"+string(rune('a'+i))+".flac"), c.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// run is a run of equal samples.
type run struct {
	value int32
	n     int
}

func runs(s []int32) []run {
	var out []run
	for _, v := range s {
		if len(out) > 0 && out[len(out)-1].value == v {
			out[len(out)-1].n++
			continue
		}
		out = append(out, run{v, 1})
	}
	return out
}

// pcmCases are mono16 streams and the samples libsndfile reads from them
// (python-soundfile's read, run by the reference model's libsndfile),
// as runs of equal samples; failed tells that the read ends in an error.
var pcmCases = func() []struct {
	name   string
	data   []byte
	want   []run
	failed bool
} {
	f0, f1, f2, f3 := monoFrame(0), monoFrame(1), monoFrame(2), monoFrame(3)
	f1.value, f2.value, f3.value = 5, 7, 9
	short := f1
	short.blocksize = 500
	bad := f2
	bad.badCRC16 = true
	return []struct {
		name   string
		data   []byte
		want   []run
		failed bool
	}{
		{"three frames", readStream(3000, f0, f1, f2), []run{{100, 1000}, {5, 1000}, {7, 1000}}, false},
		{"fewer samples declared", readStream(2500, f0, f1, f2), []run{{100, 1000}, {5, 1000}, {7, 500}}, false},
		// The silence libFLAC puts in a gap overwrites the start of the
		// frame after it.
		{"frame missing", readStream(4000, f0, f1, f3), []run{{100, 1000}, {5, 1000}, {0, 2000}}, false},
		{"short frame, then a gap", readStream(3000, f0, short, f2), []run{{100, 1000}, {5, 500}, {0, 1000}, {7, 500}}, false},
		{"frame CRC-16 wrong", readStream(3000, f0, f1, bad), []run{{100, 1000}, {5, 1000}}, true},
	}
}()

func TestPCMReader(t *testing.T) {
	for _, c := range pcmCases {
		for _, released := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/released=%v", c.name, released), func(t *testing.T) {
				testPCMReader(t, c.data, c.want, c.failed, released)
			})
		}
	}
}

func testPCMReader(t *testing.T, data []byte, want []run, failed, released bool) {
	r := bytes.NewReader(data)
	info, err := ReadHeader(r, int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if released {
		probe.Release(info)
	}
	p, err := NewPCMReader(r, int64(len(data)), info)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var got []int32
	for {
		frame, bps, err := p.ReadFrame()
		if err == io.EOF {
			if failed {
				t.Error("read to the end, want an error")
			}
			break
		}
		if err != nil {
			if !failed {
				t.Errorf("error %v", err)
			}
			break
		}
		if len(frame) != 1 || bps != 16 {
			t.Fatalf("%d channels, %d bits", len(frame), bps)
		}
		got = append(got, frame[0]...)
	}
	if g := runs(got); !slices.Equal(g, want) {
		t.Errorf("read %v, want %v", g, want)
	}
}
