package oggmux

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/pion/webrtc/v4/pkg/media/oggreader"

	"github.com/audiopreflight/audiopreflight/probe"
)

// packetOf is a packet of n bytes whose content tells packets apart.
func packetOf(n int, seed byte) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = seed + byte(i*7)
	}
	return p
}

// writeStream writes two header packets and the audio packets, each
// playing samples, and returns the stream's bytes.
func writeStream(t *testing.T, packets [][]byte, samples int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, 0x1234)
	for _, h := range [][]byte{[]byte("OpusHead-ish"), []byte("OpusTags-ish")} {
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	var granule int64
	for _, p := range packets {
		granule += int64(samples)
		if err := w.WritePacket(p, granule, samples); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Written() != int64(buf.Len()) {
		t.Errorf("Written() = %d, wrote %d", w.Written(), buf.Len())
	}
	return buf.Bytes()
}

func readPages(t *testing.T, b []byte) []Page {
	t.Helper()
	pr := NewPageReader(bytes.NewReader(b), int64(len(b)))
	var pages []Page
	for {
		p, err := pr.Next()
		if err == io.EOF {
			return pages
		}
		if err != nil {
			t.Fatal(err)
		}
		p.Raw = bytes.Clone(p.Raw)
		p.Lacing = p.Raw[HeaderSize : HeaderSize+len(p.Lacing)]
		p.Body = p.Raw[HeaderSize+len(p.Lacing):]
		pages = append(pages, p)
	}
}

func readPackets(t *testing.T, b []byte) []Packet {
	t.Helper()
	pk := NewPacketReader(bytes.NewReader(b), int64(len(b)))
	var out []Packet
	for {
		p, err := pk.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		p.Data = bytes.Clone(p.Data)
		out = append(out, p)
	}
}

// TestWriterRoundTrip writes packets of every awkward size (empty, one
// short of a segment, exactly one, several segments, larger than a page)
// and reads them back byte for byte, with the page structure RFC 3533
// requires.
func TestWriterRoundTrip(t *testing.T) {
	sizes := []int{0, 1, 254, 255, 256, 510, 511, 255 * 255, 70000, 3, 140000, 7}
	var packets [][]byte
	for i, n := range sizes {
		packets = append(packets, packetOf(n, byte(i)))
	}
	b := writeStream(t, packets, 960)
	got := readPackets(t, b)
	if len(got) != 2+len(packets) {
		t.Fatalf("read %d packets, wrote %d", len(got), 2+len(packets))
	}
	for i, p := range packets {
		if !bytes.Equal(got[2+i].Data, p) {
			t.Errorf("packet %d (%d bytes) differs after the round trip (%d bytes)", i, len(p), len(got[2+i].Data))
		}
	}
	pages := readPages(t, b)
	for i, p := range pages {
		if p.Serial != 0x1234 || p.Sequence != uint32(i) {
			t.Errorf("page %d: serial %x, sequence %d", i, p.Serial, p.Sequence)
		}
		if (p.Flags&FlagBOS != 0) != (i == 0) || (p.Flags&FlagEOS != 0) != (i == len(pages)-1) {
			t.Errorf("page %d: flags %#x", i, p.Flags)
		}
		if len(p.Lacing) > MaxSegments {
			t.Errorf("page %d: %d lacing values", i, len(p.Lacing))
		}
		ends := countEnds(p.Lacing)
		if (ends == 0) != (p.Granule == NoGranule) {
			t.Errorf("page %d: %d packets end on it, granule %d", i, ends, p.Granule)
		}
		if i > 0 {
			prevCont := len(pages[i-1].Lacing) > 0 && pages[i-1].Lacing[len(pages[i-1].Lacing)-1] == 255
			if (p.Flags&FlagContinued != 0) != prevCont {
				t.Errorf("page %d: continued flag %v, previous page ends inside a packet: %v", i, p.Flags&FlagContinued != 0, prevCont)
			}
		}
	}
	// Header packets have pages of their own, with granule 0.
	for i := range 2 {
		if len(pages[i].Lacing) != 1 || pages[i].Granule != 0 {
			t.Errorf("header page %d: %d lacing values, granule %d", i, len(pages[i].Lacing), pages[i].Granule)
		}
	}
	if last := got[len(got)-1]; !last.EOS || last.Granule != int64(960*len(packets)) {
		t.Errorf("last packet: EOS %v, granule %d", last.EOS, last.Granule)
	}
}

func countEnds(lacing []byte) int {
	n := 0
	for _, l := range lacing {
		if l < 255 {
			n++
		}
	}
	return n
}

// TestWriterPageSizes checks the page policy: a page holds about one
// second of audio (opusenc's default delay), or fewer packets when its
// 255 lacing values run out first.
func TestWriterPageSizes(t *testing.T) {
	tests := []struct {
		name        string
		n, size     int
		samples     int
		wantPerPage int // packets that end on each page but the last
		wantLacing  int // lacing values on each page but the last
	}{
		{"20 ms packets: 50 a page", 200, 100, 960, 50, 50},
		{"60 ms packets: 17 a page (1.02 s)", 60, 300, 2880, 17, 34},
		{"2.5 ms packets: 255 lacing values first", 1000, 20, 120, 255, 255},
		// 127 packets of 2 lacing values, and the first half of the
		// 128th, which ends on the next page.
		{"packets of 2 segments split across pages", 300, 300, 120, 127, 255},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var packets [][]byte
			for i := range tt.n {
				packets = append(packets, packetOf(tt.size, byte(i)))
			}
			pages := readPages(t, writeStream(t, packets, tt.samples))
			audio := pages[2:]
			if got := countEnds(audio[0].Lacing); got != tt.wantPerPage {
				t.Errorf("first audio page: %d packets end on it, want %d", got, tt.wantPerPage)
			}
			for i, p := range audio[:len(audio)-1] {
				if len(p.Lacing) != tt.wantLacing {
					t.Fatalf("page %d has %d lacing values, want %d", i+2, len(p.Lacing), tt.wantLacing)
				}
			}
		})
	}
}

// TestWriterAgreesWithPion reads what the writer writes with an
// independent Ogg reader, which checks every page's checksum.
func TestWriterAgreesWithPion(t *testing.T) {
	var head bytes.Buffer
	head.WriteString("OpusHead")
	head.Write([]byte{1, 1, 0x38, 1})
	head.Write(binary.LittleEndian.AppendUint32(nil, 16000))
	head.Write([]byte{0, 0, 0})
	var buf bytes.Buffer
	w := NewWriter(&buf, 77)
	if err := w.WriteHeader(head.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteHeader([]byte("OpusTags\x00\x00\x00\x00\x00\x00\x00\x00")); err != nil {
		t.Fatal(err)
	}
	for i := range 120 {
		if err := w.WritePacket(packetOf(80+i, byte(i)), int64(960*(i+1)), 960); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, h, err := oggreader.NewWith(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if h.SampleRate != 16000 || h.Channels != 1 || h.PreSkip != 312 {
		t.Errorf("pion reads the OpusHead as %+v", h)
	}
	pages, last := 0, uint64(0)
	for {
		_, ph, err := r.ParseNextPage()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("pion: page %d: %v", pages, err)
		}
		pages++
		last = ph.GranulePosition
	}
	// NewWith read the OpusHead page; then come OpusTags and 2.4 s of
	// audio in pages of 1 s.
	if pages != 1+3 || last != 960*120 {
		t.Errorf("pion read %d pages, last granule %d", pages, last)
	}
}

func TestPageReaderFind(t *testing.T) {
	stream := writeStream(t, [][]byte{packetOf(10, 1)}, 960)
	tests := []struct {
		name    string
		prefix  []byte
		limit   int64
		wantOff int64
		err     bool
	}{
		{"at 0", nil, 4096, 0, false},
		{"after garbage", []byte("garbage"), 4096, 7, false},
		{"after a false capture pattern", []byte("xxOggSxx"), 4096, 8, false},
		{"past the limit", bytes.Repeat([]byte{0}, 5000), 4096, 0, true},
		{"straddling the read window", bytes.Repeat([]byte{'O'}, 2*MaxPageSize-2), 1 << 20, 2*MaxPageSize - 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := append(bytes.Clone(tt.prefix), stream...)
			pr := NewPageReader(bytes.NewReader(b), int64(len(b)))
			p, err := pr.Find(0, tt.limit)
			if tt.err {
				var fe *probe.FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("err = %v, want a FormatError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Offset != tt.wantOff || p.Flags&FlagBOS == 0 {
				t.Errorf("found page at %d (flags %#x), want %d", p.Offset, p.Flags, tt.wantOff)
			}
			if pr.Offset() != p.Offset+int64(len(p.Raw)) {
				t.Errorf("next offset %d", pr.Offset())
			}
		})
	}
}

func TestPageReaderErrors(t *testing.T) {
	good := writeStream(t, [][]byte{packetOf(100, 1)}, 960)
	badCRC := bytes.Clone(good)
	badCRC[30] ^= 1
	badVersion := bytes.Clone(good)
	badVersion[4] = 1
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"checksum", badCRC, "checksum mismatch at 0x0"},
		{"version", badVersion, "version 1"},
		{"cut in the header", good[:20], "no Ogg page"},
		{"cut in the lacing", good[:27], "segment table"},
		{"cut in the body", good[:30], "cut short in its body"},
		{"not a page", []byte("RIFF....WAVEfmt ............................"), "no Ogg page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := NewPageReader(bytes.NewReader(tt.b), int64(len(tt.b)))
			_, err := pr.Next()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// page builds one page by hand.
func page(flags byte, granule int64, serial, seq uint32, lacing []byte, body []byte) []byte {
	return appendPage(nil, flags, granule, serial, seq, lacing, body)
}

func TestPacketReader(t *testing.T) {
	body300 := packetOf(300, 9)
	t.Run("other streams are skipped", func(t *testing.T) {
		b := page(FlagBOS, 0, 1, 0, []byte{3}, []byte("abc"))
		b = append(b, page(FlagBOS, 0, 2, 0, []byte{3}, []byte("xyz"))...)
		b = append(b, page(FlagEOS, 960, 1, 1, []byte{2}, []byte("de"))...)
		got := readPackets(t, b)
		if len(got) != 2 || string(got[0].Data) != "abc" || string(got[1].Data) != "de" || !got[1].EOS || got[1].Granule != 960 {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("a packet across pages", func(t *testing.T) {
		b := page(FlagBOS, NoGranule, 1, 0, []byte{255}, body300[:255])
		b = append(b, page(FlagContinued|FlagEOS, 960, 1, 1, []byte{45}, body300[255:])...)
		got := readPackets(t, b)
		if len(got) != 1 || !bytes.Equal(got[0].Data, body300) || got[0].Granule != 960 {
			t.Fatalf("got %d packets", len(got))
		}
	})
	errCases := []struct {
		name string
		b    []byte
		want string
	}{
		{"continued page without a start", page(FlagContinued, 0, 1, 0, []byte{3}, []byte("abc")), "did not start"},
		{"start without its continuation", append(page(0, NoGranule, 1, 0, []byte{255}, body300[:255]), page(0, 0, 1, 1, []byte{3}, []byte("abc"))...), "does not continue"},
		{"the input ends inside a packet", page(0, NoGranule, 1, 0, []byte{255}, body300[:255]), "ends inside a packet"},
	}
	for _, tt := range errCases {
		t.Run(tt.name, func(t *testing.T) {
			pk := NewPacketReader(bytes.NewReader(tt.b), int64(len(tt.b)))
			var err error
			for err == nil {
				_, err = pk.Next()
			}
			if err == io.EOF || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestPacketReaderBoundsPackets: a chain of continued pages that never
// ends a packet stops at MaxPacketSize instead of growing without bound.
func TestPacketReaderBoundsPackets(t *testing.T) {
	lacing := bytes.Repeat([]byte{255}, 255)
	body := make([]byte, 255*255)
	var b []byte
	for i := range 20 { // 20 × 65025 bytes > 1 MiB
		flags := byte(0)
		if i > 0 {
			flags = FlagContinued
		}
		b = append(b, page(flags, NoGranule, 1, uint32(i), lacing, body)...)
	}
	pk := NewPacketReader(bytes.NewReader(b), int64(len(b)))
	_, err := pk.Next()
	if err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Fatalf("err = %v", err)
	}
}

// TestChecksumOfCommittedFile recomputes the checksums of a file written
// by opusenc.
func TestChecksumOfCommittedFile(t *testing.T) {
	b, err := os.ReadFile("../../testdata/samples/hello-16k-mono.opus")
	if err != nil {
		t.Fatal(err)
	}
	pages := readPages(t, b) // Next checks each checksum
	if len(pages) < 3 {
		t.Fatalf("%d pages", len(pages))
	}
	for _, p := range pages {
		if got := RewritePage(p, p.Body); len(p.Lacing) == 1 && !bytes.Equal(got, p.Raw) {
			t.Errorf("page at %d: RewritePage with the same packet differs", p.Offset)
		}
	}
}

// TestWriterMemoryIsBounded writes an hour of 20 ms packets and checks
// that the writer allocates nothing per packet.
func TestWriterMemoryIsBounded(t *testing.T) {
	w := NewWriter(io.Discard, 1)
	if err := w.WriteHeader([]byte("OpusHead")); err != nil {
		t.Fatal(err)
	}
	p := packetOf(160, 1)
	var granule int64
	allocs := testing.AllocsPerRun(180000, func() {
		granule += 960
		if err := w.WritePacket(p, granule, 960); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%.2f allocations per packet", allocs)
	}
}
