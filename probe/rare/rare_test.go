package rare

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func probeAll(t *testing.T, b []byte) (*probe.Info, *probe.ReadResult) {
	t.Helper()
	info, err := probe.Probe(bytes.NewReader(b), int64(len(b)), "x")
	if err != nil {
		t.Fatal(err)
	}
	res, err := probe.ReadAll(bytes.NewReader(b), int64(len(b)), info)
	if err != nil {
		t.Fatal(err)
	}
	return info, res
}

func nistFile(head string, body []byte) []byte {
	h := []byte(head)
	h = append(h, bytes.Repeat([]byte(" "), 1024-len(h))...)
	return append(h, body...)
}

func pafFile(format, channels uint32, body []byte) []byte {
	h := []byte(" paf")
	for _, v := range []uint32{0, 0, 16000, format, channels, 0} {
		h = append(h, be32(v)...)
	}
	h = append(h, make([]byte, 2048-len(h))...)
	return append(h, body...)
}

func TestRareTable(t *testing.T) {
	pcm := make([]byte, 3200)
	for _, c := range []struct {
		name      string
		in        []byte
		container string
		opens     bool
		subtype   string
		rate, ch  int
		frames    int64
		read      int64
		readErr   bool
	}{
		{"HTK header only opens empty", append(append(be32(0), be32(625)...), be32(0x20000)...), ContainerHTK, true, "PCM_16", 16000, 1, 0, 0, false},
		{"HTK", append(append(append(be32(1600), be32(625)...), be32(0x20000)...), pcm...), ContainerHTK, true, "PCM_16", 16000, 1, 1600, 1600, false},
		{"HTK period 0 is 16 kHz", append(append(append(be32(1600), be32(0)...), be32(0x20000)...), pcm...), ContainerHTK, true, "PCM_16", 16000, 1, 1600, 1600, false},
		{"HTK length off by 2 is not HTK", append(append(append(be32(1599), be32(625)...), be32(0x20000)...), pcm...), probe.ContainerUnknown, false, "", 0, 0, 0, 0, false},
		{"MPC2K 12 bytes", append([]byte{1, 4}, make([]byte, 10)...), ContainerMPC2K, false, "", 0, 0, 0, 0, false},
		{"NIST", nistFile("NIST_1A\n   1024\nsample_n_bytes -i 2\nchannel_count -i 1\nsample_rate -i 16000\nsample_byte_format -s2 01\nend_head\n", pcm), ContainerNIST, true, "PCM_16", 16000, 1, 1600, 1600, false},
		{"NIST µ-law", nistFile("NIST_1A\n   1024\nchannel_count -i 1\nsample_rate -i 8000\nsample_coding -s4 ulaw\nend_head\n", pcm), ContainerNIST, true, "ULAW", 8000, 1, 3200, 3200, false},
		{"NIST shorten", nistFile("NIST_1A\n   1024\nsample_n_bytes -i 2\nchannel_count -i 1\nsample_rate -i 8000\nsample_coding -s26 pcm,embedded-shorten-v2.00\nend_head\n", pcm), ContainerNIST, false, "", 0, 0, 0, 0, false},
		{"NIST CR-LF", nistFile("NIST_1A\r\n   1024\r\nsample_rate -i 8000\r\n", pcm), ContainerNIST, false, "", 0, 0, 0, 0, false},
		{"NIST shorter than its header", []byte("NIST_1A\n   1024\nsample_n_bytes -i 2\nchannel_count -i 1\nsample_rate -i 16000\nend_head\n"), ContainerNIST, false, "", 0, 0, 0, 0, false},
		{"PAF 16-bit", pafFile(0, 1, pcm), ContainerPAF, true, "PCM_16", 16000, 1, 1600, 1600, false},
		{"PAF 24-bit: a read never starts in the last block", pafFile(1, 1, pcm[:32]), ContainerPAF, true, "PCM_24", 16000, 1, 10, 0, false},
		{"PAF 24-bit stereo", pafFile(1, 2, pcm[:640]), ContainerPAF, true, "PCM_24", 16000, 2, 100, 100, false},
		{"PAF shorter than its header", pafFile(0, 1, nil)[:2000], ContainerPAF, false, "", 0, 0, 0, 0, false},
		{"PVF", append([]byte("PVF1\n1 16000 16\n"), pcm...), ContainerPVF, true, "PCM_16", 16000, 1, 1600, 1600, false},
		{"PVF bad line", append([]byte("PVF1\nmono 16000 16\n"), pcm...), ContainerPVF, false, "", 0, 0, 0, 0, false},
		// The data starts where the file position is, which sf_open's
		// 12-byte detection read has already taken past a shorter header.
		{"PVF header of 11 bytes", append([]byte("PVF1\n1 8 8\n"), pcm[:1000]...), ContainerPVF, true, "PCM_S8", 8, 1, 999, 999, false},
		{"IRCAM denormal rate reads as 1", append(append([]byte{0, 3, 0xA3, 0x64, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0}, make([]byte, 1008)...), pcm...), ContainerIRCAM, true, "PCM_16", 1, 1, 1600, 1600, false},
		{"TXW is refused", append([]byte("LM8953\x00\x00"), make([]byte, 20)...), ContainerTXW, false, "", 0, 0, 0, 0, false},
		{"WVE", append(append([]byte("ALawSoundFile**\x00\x0f\x10"), make([]byte, 14)...), pcm...), ContainerWVE, true, "ALAW", 8000, 1, 3200, 3200, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, res := probeAll(t, c.in)
			if info.Container != c.container || info.Opens != c.opens {
				t.Fatalf("container %q opens=%v (%s), want %q %v", info.Container, info.Opens, info.OpenError, c.container, c.opens)
			}
			if !c.opens {
				return
			}
			if info.SndfileSubtype != c.subtype || info.SampleRate != c.rate || info.Channels != c.ch || info.Frames != c.frames {
				t.Errorf("got %s %d Hz %d ch %d frames", info.SndfileSubtype, info.SampleRate, info.Channels, info.Frames)
			}
			if res == nil || res.FramesRead != c.read || (res.ReadError != "") != c.readErr {
				t.Errorf("read %+v", res)
			}
			if info.SndfileFormat != strings.ToUpper(c.container) {
				t.Errorf("format %q", info.SndfileFormat)
			}
		})
	}
}

// A read that starts inside the last 24-bit PAF block delivers nothing:
// 6554 blocks of 10 frames are read up to the last block's start.
func TestPAF24LastBlock(t *testing.T) {
	s := &paf24Stream{channels: 1, sampleCount: 65540, readBlock: 1}
	info := &probe.Info{Frames: 65540, Channels: 1, Detail: s}
	res, _ := readAllPAF(nil, 0, info)
	if res.FramesRead != 65536 || res.ReadError != "" {
		t.Fatalf("%+v", res)
	}
}

// SDS reports the header's length; a read that seeks past the packets
// present fails.
func TestSDSSeekPastPackets(t *testing.T) {
	s := &sdsStream{frames: 1600, perBlock: 60, totalBlocks: 3, readBlock: 1, dataLength: 400, dataOffset: 21}
	info := &probe.Info{Frames: 1600, Channels: 1, Detail: s}
	res, _ := readAllSDS(nil, 0, info)
	if res.FramesRead != 0 || res.ReadError == "" {
		t.Fatalf("%+v", res)
	}
	s = &sdsStream{frames: 1600, perBlock: 60, totalBlocks: 27, readBlock: 1, dataLength: 400, dataOffset: 21}
	info.Detail = s
	if res, _ := readAllSDS(nil, 0, info); res.FramesRead != 1600 || res.ReadError != "" {
		t.Fatalf("%+v", res)
	}
}

func TestSignatures(t *testing.T) {
	for _, c := range []struct {
		b    string
		test func([]byte) bool
		want bool
	}{
		{"\x64\xa3\x02\x00........", isIRCAM, true},
		{"\x64\xa3\x08\x00........", isIRCAM, false},
		{"\x00\x07\xa3\x64........", isIRCAM, true},
		{"\x00\x00\x03\xe8\x00\x00\x00\x01\x00\x00\x00\x01", isMAT4, true},
		{"\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00", isMAT4, true},
		{"\x00\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00", isMAT4, false},
		{"\xf0\x7e\x00\x01........", isSDS, true},
		{"\xf0\x7e\x80\x01........", isSDS, false},
	} {
		if got := c.test([]byte(c.b)); got != c.want {
			t.Errorf("%q: %v", c.b, got)
		}
	}
	if !isHTK([]byte("\x00\x00\x00\x02\x00\x00\x02\x71\x00\x02\x00\x00"), 16) || isHTK([]byte("\x00\x00\x00\x02\x00\x00\x02\x71\x00\x02\x00\x00"), 18) {
		t.Error("HTK length rule")
	}
}
