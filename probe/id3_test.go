package probe

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func id3Tag(ver, flags byte, size int) []byte {
	b := []byte{'I', 'D', '3', ver, 0, flags, byte(size >> 21 & 0x7f), byte(size >> 14 & 0x7f), byte(size >> 7 & 0x7f), byte(size & 0x7f)}
	return append(b, make([]byte, size)...)
}

func TestSkipID3v2(t *testing.T) {
	after := []byte("AFTERTHETAG-0123456789")
	twoBig := append(id3Tag(3, 0, 100), id3Tag(4, 0, 60000)...)
	tests := []struct {
		name  string
		b     []byte
		ok    bool
		at    int64
		count int
		ids   string
	}{
		{"one tag", append(id3Tag(3, 0, 100), after...), true, 110, 1, "ID3v2.3:0+110"},
		{"v2.2", append(id3Tag(2, 0, 20), after...), true, 30, 1, "ID3v2.2:0+30"},
		{"two tags", append(append(id3Tag(3, 0, 100), id3Tag(4, 0, 5)...), after...), true, 125, 2, "ID3v2.3:0+110 ID3v2.4:110+15"},
		// the footer flag is ignored: 10 bytes short
		{"footer", append(append(id3Tag(4, 0x10, 50), []byte("3DI\x04\x00\x10\x00\x00\x00\x32")...), after...), true, 60, 1, "ID3v2.4:0+60"},
		// the size bytes' top bits are masked, not checked
		{"size top bits", func() []byte {
			b := append(id3Tag(3, 0, 100), after...)
			b[9] |= 0x80
			return b
		}(), true, 110, 1, "ID3v2.3:0+110"},
		{"ends within the tag", id3Tag(3, 0, 100)[:80], false, 0, 1, "ID3v2.3:0+110"},
		{"ends right after the tag", id3Tag(3, 0, 100), false, 0, 1, "ID3v2.3:0+110"},
		{"fewer than 12 bytes after", append(id3Tag(3, 0, 100), "short"...), false, 110, 1, "ID3v2.3:0+110"},
		// a tag of size 0 or 1 fits in the 12 bytes libsndfile's header
		// cache already holds: reading resumes at byte 12, not at 10 or 11
		{"size 0", cat(id3Tag(3, 0, 0), after), true, 12, 1, "ID3v2.3:0+10"},
		{"size 1", cat(id3Tag(4, 0, 1), after), true, 12, 1, "ID3v2.4:0+11"},
		{"size 2", cat(id3Tag(2, 0, 2), after), true, 12, 1, "ID3v2.2:0+12"},
		{"size 0 then a tag at 12", cat(id3Tag(3, 0, 0), []byte("xx"), id3Tag(3, 0, 20), after), true, 42, 2, "ID3v2.3:0+10 ID3v2.3:12+30"},
		{"size 0 then a tag at 10", cat(id3Tag(3, 0, 0), id3Tag(3, 0, 20), after), true, 12, 1, "ID3v2.3:0+10"},
		{"size 1 twice", cat(id3Tag(3, 0, 1), []byte("x"), id3Tag(3, 0, 1), []byte("x"), after), true, 24, 2, "ID3v2.3:0+11 ID3v2.3:12+11"},
		// libsndfile checks the tag against the end of the input from
		// where it believes the tag starts (10 + 20 < 32), then reads on
		// from 12 + 20
		{"size 0 then a tag to the end", cat(id3Tag(3, 0, 0), []byte("xx"), id3Tag(3, 0, 10)), false, 32, 2, "ID3v2.3:0+10 ID3v2.3:12+20"},
		// a later tag too big for libsndfile's header cache is seeked over
		// from the input's start
		{"second tag over the cache", append(twoBig, bytes.Repeat(after, 3000)...), true, 60010, 2, "ID3v2.3:0+110 ID3v2.4:110+60010"},
		{"first tag over the cache", append(id3Tag(3, 0, 60000), after...), true, 60010, 1, "ID3v2.3:0+60010"},
		// the first tag grows the cache to 65536 bytes; a second that
		// ends 16 bytes or less before the cache's end leaves it unable
		// to double for the clear that should follow: detection stops
		{"cache full after the second tag", cat(id3Tag(3, 0, 32758), id3Tag(3, 0, 65510), after), false, 32768, 2, "ID3v2.3:0+32768 ID3v2.3:32768+65520"},
		{"cache just not full", cat(id3Tag(3, 0, 32758), id3Tag(3, 0, 65509), after), true, 98287, 2, "ID3v2.3:0+32768 ID3v2.3:32768+65519"},
		// the clear grows the cache too: a tag that leaves the index within
		// 16 bytes of its end doubles it, so that after these eight tags
		// it holds 65536 bytes (not 65514) and a ninth of 65515 is read
		// through it rather than seeked to
		{"cache doubled by the clears", cat(doublingChain, id3Tag(3, 0, 65505), after), true, 65192 + 65515, 9, ""},
		{"cache doubled, then full", cat(doublingChain, id3Tag(3, 0, 65511), after), false, 65192, 9, ""},
		// the first tag grows the cache to 65514 bytes; the second leaves
		// the index 14 bytes from the end
		{"cache full on the clear", cat(id3Tag(3, 0, 32747), id3Tag(3, 0, 65490), after), false, 32757, 2, "ID3v2.3:0+32757 ID3v2.3:32757+65500"},
		{"cache not full on the clear", cat(id3Tag(3, 0, 32747), id3Tag(3, 0, 65487), after), true, 32757 + 65497, 2, "ID3v2.3:0+32757 ID3v2.3:32757+65497"},
	}
	for _, tt := range tests {
		s, head := skipID3v2(bytes.NewReader(tt.b), int64(len(tt.b)), tt.b[:min(len(tt.b), HeadSize)], make([]byte, HeadSize))
		var ids []string
		for _, p := range s.tags {
			ids = append(ids, p.ID+":"+itoa(p.Offset)+"+"+itoa(p.Size))
		}
		if tt.ids == "" {
			tt.ids = strings.Join(ids, " ")
		}
		if s.ok != tt.ok || s.at != tt.at || s.count != tt.count || strings.Join(ids, " ") != tt.ids {
			t.Errorf("%s: ok %v at %d count %d tags %q; want %v %d %d %q", tt.name, s.ok, s.at, s.count, strings.Join(ids, " "), tt.ok, tt.at, tt.count, tt.ids)
			continue
		}
		if s.ok && !bytes.Equal(head, tt.b[s.at:min(int64(len(tt.b)), s.at+HeadSize)]) {
			t.Errorf("%s: head is not the bytes at %d", tt.name, s.at)
		}
	}
	if hasID3v2([]byte("ID3\x05")) || hasID3v2([]byte("ID3\x01")) || !hasID3v2([]byte("ID3\x04")) {
		t.Error("hasID3v2: only major versions 2, 3 and 4 are tags")
	}
}

// doublingChain is eight tags of 245, 501, ..., 32757 bytes: each ends 11
// bytes before the end of libsndfile's header cache (256, 512, ... 32768
// bytes), so that the clear after each doubles the cache.
var doublingChain = func() []byte {
	var b []byte
	for l := 256; l <= 32768; l *= 2 {
		b = append(b, id3Tag(3, 0, l-21)...)
	}
	return b
}()

func TestSkipManyTags(t *testing.T) {
	var b []byte
	for i := 0; i < 1000; i++ {
		b = append(b, id3Tag(3, 0, 2)...)
	}
	b = append(b, []byte("AFTERTHETAG-0123456789")...)
	s, _ := skipID3v2(bytes.NewReader(b), int64(len(b)), b[:HeadSize], make([]byte, HeadSize))
	if !s.ok || s.count != 1000 || s.at != 12000 || len(s.tags) != maxTagParts+1 {
		t.Fatalf("ok %v count %d at %d parts %d", s.ok, s.count, s.at, len(s.tags))
	}
	last := s.tags[maxTagParts]
	if last.Offset != 192 || last.Size != 12000-192 || last.Note != "984 more ID3v2 tags" {
		t.Errorf("summary part %+v", last)
	}
}

// Stub formats behind a tag: their magic is made up so that they match
// nothing real. Each records the reader it was given.
var stubSeen struct {
	off, n int64
	size   int64
}

func registerStubs() {
	stub := func(magic, sfFormat string) Format {
		return Format{
			Name: "stub-" + strings.ToLower(sfFormat), Magic: magic, Order: OrderWAV + 1,
			ReadHeader: func(r io.ReaderAt, size int64) (*Info, error) {
				stubSeen.off, stubSeen.n, stubSeen.size = -1, -1, size
				if sr, ok := r.(*io.SectionReader); ok {
					_, stubSeen.off, stubSeen.n = sr.Outer()
				}
				return &Info{Opens: true, SndfileFormat: sfFormat, Parts: []Part{{Kind: "chunk", ID: "x"}}}, nil
			},
			ReadAll: func(r io.ReaderAt, size int64, info *Info) (*ReadResult, error) {
				stubSeen.off, stubSeen.size = -1, size
				if sr, ok := r.(*io.SectionReader); ok {
					_, stubSeen.off, _ = sr.Outer()
				}
				return &ReadResult{FramesRead: 1}, nil
			},
		}
	}
	RegisterFormat(stub("ZQWV", "WAV"))
	RegisterFormat(stub("ZQOG", "OGG"))
	RegisterFormat(stub("ZQFL", "FLAC"))
	RegisterFormat(stub("ZQRF", "RF64"))
}

func TestProbeBehindID3(t *testing.T) {
	registerStubs()
	body := []byte("0123456789abcdef0123456789")
	tag := id3Tag(3, 0, 100)
	tests := []struct {
		name      string
		b         []byte
		opens     bool
		container string
		errHas    string
	}{
		{"wav behind a tag", cat(tag, []byte("ZQWV"), body), true, "stub-wav", ""},
		{"wav behind two tags", cat(tag, id3Tag(4, 0, 3), []byte("ZQWV"), body), true, "stub-wav", ""},
		{"ogg behind a tag", cat(tag, []byte("ZQOG"), body), false, "stub-ogg", "behind an ID3v2 tag"},
		{"rf64 behind a tag", cat(tag, []byte("ZQRF"), body), false, "stub-rf64", "behind an ID3v2 tag"},
		{"flac behind a tag", cat(tag, []byte("ZQFL"), body), true, "stub-flac", ""},
		{"flac behind two tags", cat(tag, id3Tag(3, 0, 3), []byte("ZQFL"), body), false, "stub-flac", "only one"},
		{"wav behind a tag of size 0", cat(id3Tag(3, 0, 0), []byte("xxZQWV"), body), true, "stub-wav", ""},
		{"wav right after a tag of size 0", cat(id3Tag(3, 0, 0), []byte("ZQWV"), body), false, ContainerMP3, "no known format"},
		{"junk behind a tag", cat(tag, []byte("\x00ZQWV"), body), false, ContainerMP3, "no known format"},
		{"nothing behind a tag", tag, false, ContainerMP3, "reaches the end"},
	}
	for _, tt := range tests {
		info, err := Probe(bytes.NewReader(tt.b), int64(len(tt.b)), "x")
		if err != nil {
			t.Fatal(err)
		}
		if info.Opens != tt.opens || info.Container != tt.container || !strings.Contains(info.OpenError, tt.errHas) {
			t.Errorf("%s: opens %v container %q error %q", tt.name, info.Opens, info.Container, info.OpenError)
			continue
		}
		if len(info.Parts) == 0 || info.Parts[0].ID != "ID3v2.3" {
			t.Errorf("%s: parts %+v", tt.name, info.Parts)
		}
		if !tt.opens {
			continue
		}
		// the format saw the section after the tags, and so does ReadAll
		at := int64(len(tt.b)) - int64(len(body)) - 4
		if stubSeen.off != at || stubSeen.size != int64(len(tt.b))-at {
			t.Errorf("%s: ReadHeader got section at %d size %d, want %d", tt.name, stubSeen.off, stubSeen.size, at)
		}
		if last := info.Parts[len(info.Parts)-1]; last.Kind != "chunk" {
			t.Errorf("%s: the format's parts should follow the tags: %+v", tt.name, info.Parts)
		}
		if _, err := ReadAll(bytes.NewReader(tt.b), int64(len(tt.b)), info); err != nil || stubSeen.off != at {
			t.Errorf("%s: ReadAll got section at %d (%v), want %d", tt.name, stubSeen.off, err, at)
		}
	}
	// a format before OrderID3 wins over the tag test; none matches "ID3" here
	plain := cat([]byte("ZQWV"), body)
	info, _ := Probe(bytes.NewReader(plain), int64(len(plain)), "x")
	if !info.Opens || stubSeen.off != -1 {
		t.Errorf("plain stub: opens %v, reader section %d", info.Opens, stubSeen.off)
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
