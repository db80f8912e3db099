package webm_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/webm"
	. "github.com/audiopreflight/audiopreflight/internal/webm/webmtest"
	"github.com/audiopreflight/audiopreflight/probe"
)

// packets makes n distinct fake packets; the demuxer does not look
// inside them.
func packets(n int) [][]byte {
	var ps [][]byte
	for i := range n {
		p := bytes.Repeat([]byte{byte(i), byte(i >> 8)}, 20+i%7)
		p[0] = 0xfc // CELT 20 ms, stereo, code 0
		ps = append(ps, p)
	}
	return ps
}

type frameList struct {
	data       [][]byte
	timestamps []int64
	last       webm.Frame
}

func readAll(t *testing.T, b []byte) (*webm.File, frameList, error) {
	t.Helper()
	f, err := webm.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, frameList{}, err
	}
	var track uint64
	for _, tr := range f.Tracks {
		if tr.CodecID == "A_OPUS" {
			track = tr.Number
		}
	}
	fr := f.Frames(track)
	var fl frameList
	for {
		fm, err := fr.Next()
		if err == io.EOF {
			return f, fl, nil
		}
		if err != nil {
			return f, fl, err
		}
		fl.data = append(fl.data, bytes.Clone(fm.Data))
		fl.timestamps = append(fl.timestamps, fm.Timestamp)
		fl.last = fm
	}
}

func TestChromeLayout(t *testing.T) {
	ps := packets(200) // 12 s of 60 ms packets
	tests := []struct {
		name string
		rec  Recording
	}{
		{"timeslice 250 ms with clock jitter", Recording{Channels: 2, Packets: ps, ClusterMS: 250, Jitter: func(i int) int { return (i*37)%19 - 9 }}},
		{"no timeslice: new Cluster when the relative timestamp would overflow", Recording{Channels: 1, Packets: packets(600)}},
		{"camera recording: a video track first", Recording{Channels: 1, Packets: ps, ClusterMS: 1000, Video: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Chrome(tt.rec)
			f, fl, err := readAll(t, b)
			if err != nil {
				t.Fatal(err)
			}
			if !f.LiveLayout || f.DocType != "webm" || f.TimestampScale != 1000000 || f.WritingApp != "Chrome" || f.Duration != 0 {
				t.Errorf("file = %+v", f)
			}
			if len(fl.data) != len(tt.rec.Packets) {
				t.Fatalf("read %d frames, wrote %d", len(fl.data), len(tt.rec.Packets))
			}
			for i, p := range tt.rec.Packets {
				if !bytes.Equal(fl.data[i], p) {
					t.Fatalf("frame %d differs", i)
				}
				want := int64(i * 60)
				if tt.rec.Jitter != nil {
					want = max(want+int64(tt.rec.Jitter(i)), 0)
				}
				if fl.timestamps[i] != want {
					t.Fatalf("frame %d at %d ms, want %d", i, fl.timestamps[i], want)
				}
			}
			if fl.last.Duration != -1 || fl.last.DiscardPadding != 0 {
				t.Errorf("SimpleBlocks carry no duration or padding: %+v", fl.last)
			}
		})
	}
}

func TestFFmpegLayout(t *testing.T) {
	ps := packets(300) // 6 s of 20 ms packets: two Clusters
	for _, doc := range []string{"webm", "matroska"} {
		b := FFmpeg(doc, 2, 312, ps, 20, 13500000)
		f, fl, err := readAll(t, b)
		if err != nil {
			t.Fatal(err)
		}
		if f.LiveLayout || f.DocType != doc || f.Duration != 6000-13.5 {
			t.Errorf("file = %+v", f)
		}
		tr := f.Tracks[0]
		if !tr.HasCodecDelay || tr.CodecDelay != 6500000 || tr.SeekPreRoll != 80000000 || tr.SampleRate != 48000 || tr.Channels != 2 || len(tr.CodecPrivate) != 19 {
			t.Errorf("track = %+v", tr)
		}
		if len(fl.data) != len(ps) || !bytes.Equal(fl.data[299], ps[299]) {
			t.Fatalf("read %d frames", len(fl.data))
		}
		if fl.last.DiscardPadding != 13500000 || fl.timestamps[299] != 5980 {
			t.Errorf("last frame = %+v at %d", fl.last, fl.timestamps[299])
		}
	}
}

// TestMediaRecorderCaptures reads the recordings Chromium made (see
// scripts/capture-mediarecorder.sh): every block of the audio track, in
// both the live layout and the seekable one Chromium writes when there is
// no timeslice.
func TestMediaRecorderCaptures(t *testing.T) {
	files, err := filepath.Glob("../../testdata/mediarecorder/*.webm")
	if err != nil || len(files) < 4 {
		t.Fatalf("captures: %v, %v", files, err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, fl, err := readAll(t, b)
			if err != nil {
				t.Fatal(err)
			}
			if f.WritingApp != "Chrome" || f.Truncated {
				t.Errorf("file = %+v", f)
			}
			var audio *webm.Track
			for i := range f.Tracks {
				if f.Tracks[i].CodecID == "A_OPUS" {
					audio = &f.Tracks[i]
				}
			}
			if audio == nil || audio.SampleRate != 48000 || !bytes.HasPrefix(audio.CodecPrivate, []byte("OpusHead")) {
				t.Fatalf("tracks = %+v", f.Tracks)
			}
			// Chromium encodes 60 ms packets: the recordings last 1.5 to
			// 4 s.
			if n := len(fl.data); n < 20 || n > 70 {
				t.Errorf("%d audio frames", n)
			}
			for i := 1; i < len(fl.timestamps); i++ {
				if d := fl.timestamps[i] - fl.timestamps[i-1]; d < 20 || d > 100 {
					t.Errorf("frame %d: %d ms after the previous one", i, d)
				}
			}
		})
	}
}

func TestLacing(t *testing.T) {
	a, b, c := bytes.Repeat([]byte{1}, 300), bytes.Repeat([]byte{2}, 10), bytes.Repeat([]byte{3}, 700)
	xiph := append([]byte{2, 255, 45, 10}, bytes.Join([][]byte{a, b, c}, nil)...)
	// EBML lacing: 300, then 10 (difference -290), then the rest.
	ebml := append([]byte{2}, Size(300)...)
	diff := int64(-290) + (1<<13 - 1) // a 2-byte signed difference
	ebml = append(ebml, byte(0x40|diff>>8), byte(diff))
	ebml = append(ebml, bytes.Join([][]byte{a, b, c}, nil)...)
	fixed := append([]byte{2}, bytes.Repeat([]byte{7}, 30)...)
	tests := []struct {
		name  string
		flags byte
		body  []byte
		want  [][]byte
	}{
		{"Xiph", 0x82, xiph, [][]byte{a, b, c}},
		{"EBML", 0x86, ebml, [][]byte{a, b, c}},
		{"fixed", 0x84, fixed, [][]byte{bytes.Repeat([]byte{7}, 10), bytes.Repeat([]byte{7}, 10), bytes.Repeat([]byte{7}, 10)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := append(EBMLHeader("matroska"), Elem(IDSegment,
				Elem(IDTracks, AudioTrack(1, 1, 1, OpusHead(1, 0, 48000))),
				Elem(IDCluster, Uint(IDTimestamp, 0), Elem(IDSimpleBlock, BlockBody(1, 0, tt.flags, tt.body))))...)
			_, fl, err := readAll(t, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(fl.data) != len(tt.want) {
				t.Fatalf("%d frames, want %d", len(fl.data), len(tt.want))
			}
			for i := range tt.want {
				if !bytes.Equal(fl.data[i], tt.want[i]) {
					t.Errorf("frame %d: %d bytes, want %d", i, len(fl.data[i]), len(tt.want[i]))
				}
			}
		})
	}
}

// TestMalformed: every size is checked against what holds it, and bad
// input gives an error that says where, never a panic.
func TestMalformed(t *testing.T) {
	head := OpusHead(1, 0, 48000)
	tracks := Elem(IDTracks, AudioTrack(1, 1, 1, head))
	cluster := Elem(IDCluster, Uint(IDTimestamp, 0), SimpleBlock(1, 0, []byte{0xfc, 1, 2}))
	file := func(seg ...[]byte) []byte { return append(EBMLHeader("webm"), Elem(IDSegment, seg...)...) }
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"not EBML", []byte("RIFF\x00\x00\x00\x00WAVE"), "no EBML header"},
		{"doc type", append(Elem(0x1A45DFA3, Str(0x4282, "mka2")), Elem(IDSegment, tracks)...), `document type "mka2"`},
		{"EBML read version", append(Elem(0x1A45DFA3, Uint(0x42F7, 2), Str(0x4282, "webm")), Elem(IDSegment)...), "read version 2"},
		{"no Segment", EBMLHeader("webm"), "no Segment"},
		{"something else where the Segment goes", append(EBMLHeader("webm"), Elem(IDCluster)...), "where the Segment should be"},
		{"no Tracks", file(cluster), "no Tracks before the first Cluster"},
		{"Tracks larger than the Segment", append(EBMLHeader("webm"), append([]byte{0x18, 0x53, 0x80, 0x67, 0x85}, 0x16, 0x54, 0xAE, 0x6B, 0x8f)...), "runs past"},
		{"a TrackEntry without a number", file(Elem(IDTracks, Elem(IDTrackEntry, Str(0x86, "A_OPUS"))), cluster), "without a TrackNumber"},
		{"integer of 9 bytes", file(Elem(IDTracks, Elem(IDTrackEntry, Elem(0xD7, make([]byte, 9)))), cluster), "integer element 0xD7 of 9 bytes"},
		{"ID longer than 4 bytes", file([]byte{0x08, 1, 2, 3, 4, 0x80}), "at most 4"},
		{"block before the Cluster's Timestamp", file(tracks, Elem(IDCluster, SimpleBlock(1, 0, []byte{0xfc}))), "before its Cluster's Timestamp"},
		{"block header cut short", file(tracks, Elem(IDCluster, Uint(IDTimestamp, 0), Elem(IDSimpleBlock, []byte{0x81, 0}))), "block header cut short"},
		{"Xiph sizes past the block", file(tracks, Elem(IDCluster, Uint(IDTimestamp, 0), Elem(IDSimpleBlock, BlockBody(1, 0, 0x82, []byte{3, 255, 255})))), "run past the block"},
		{"fixed lacing uneven", file(tracks, Elem(IDCluster, Uint(IDTimestamp, 0), Elem(IDSimpleBlock, BlockBody(1, 0, 0x84, []byte{1, 1, 2, 3})))), "equal frames"},
		{"laced frames larger than the block", file(tracks, Elem(IDCluster, Uint(IDTimestamp, 0), Elem(IDSimpleBlock, BlockBody(1, 0, 0x82, []byte{1, 200, 1, 2})))), "larger than the block"},
		{"unknown-size element inside a Cluster", file(tracks, Elem(IDCluster, Uint(IDTimestamp, 0), Unknown(IDBlockGroup))), "unknown size inside a Cluster"},
		{"child larger than its Cluster", file(tracks, Elem(IDCluster, Uint(IDTimestamp, 0), []byte{0xA3, 0x90, 0x81}), Elem(IDTags, make([]byte, 20))), "runs past its Cluster's end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, tt.b)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			var fe *probe.FormatError
			var ue *probe.UnsupportedError
			if !errors.As(err, &fe) && !errors.As(err, &ue) && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("err %T is not a typed error", err)
			}
		})
	}
}

// TestTruncated: a recording cut short (an upload that stopped) gives the
// frames up to the last whole block.
func TestTruncated(t *testing.T) {
	ps := packets(50)
	b := Chrome(Recording{Channels: 1, Packets: ps, ClusterMS: 250})
	// The last block is 46 bytes.
	for _, cut := range []int{len(b) - 1, len(b) - 20, len(b) - 45} {
		f, fl, err := readAll(t, b[:cut])
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if !f.Truncated || len(fl.data) != 49 {
			t.Errorf("cut at %d: truncated %v, %d frames", cut, f.Truncated, len(fl.data))
		}
	}
	// A file of known sizes cut short.
	k := FFmpeg("webm", 1, 312, ps, 20, 0)
	f, fl, err := readAll(t, k[:len(k)-200])
	if err != nil || !f.Truncated || len(fl.data) == 0 || len(fl.data) >= 50 {
		t.Errorf("known sizes cut short: %v, truncated %v, %d frames", err, f != nil && f.Truncated, len(fl.data))
	}
}

// TestHugeSizesDoNotAllocate: a header claiming gigabytes allocates no
// more than the input holds.
func TestHugeSizesDoNotAllocate(t *testing.T) {
	b := append(EBMLHeader("webm"), 0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe)
	b = append(b, 0x16, 0x54, 0xAE, 0x6B, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0)
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := webm.Open(bytes.NewReader(b), int64(len(b))); err == nil {
			t.Fatal("no error")
		}
	})
	if allocs > 20 {
		t.Errorf("%v allocations", allocs)
	}
}
