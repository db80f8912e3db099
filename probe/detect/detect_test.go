package detect

import (
	"bytes"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

func TestDetectTable(t *testing.T) {
	for _, c := range []struct {
		name      string
		in        []byte
		container string
		variant   string
	}{
		{"m4a", []byte("\x00\x00\x00\x1cftypM4A \x00\x00\x02\x00M4A isom"), probe.ContainerM4A, "m4a"},
		{"mp4", []byte("\x00\x00\x00\x1cftypisom\x00\x00\x02\x00isomiso2"), probe.ContainerM4A, "mp4"},
		{"3gp", []byte("\x00\x00\x00\x1cftyp3gp4\x00\x00\x02\x00isomiso2"), probe.ContainerM4A, "3gp"},
		{"mov ftyp", []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  "), probe.ContainerM4A, "mov"},
		{"mov without ftyp", []byte("\x00\x00\x01\x00moov\x00\x00\x00\x6cmvhd"), probe.ContainerM4A, "mov"},
		{"webm", []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"), probe.ContainerWebM, "webm"},
		{"matroska", []byte("\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x88matroska"), probe.ContainerWebM, "matroska"},
		{"ebml without doctype", []byte("\x1a\x45\xdf\xa3\x84\x42\x86\x81\x01"), probe.ContainerWebM, ""},
		{"amr", []byte("#!AMR\n\x3c\x00\x00\x00\x00\x00"), probe.ContainerAMR, "amr-nb"},
		{"amr-wb", []byte("#!AMR-WB\n\x44\x00\x00\x00"), probe.ContainerAMR, "amr-wb"},
		{"asf", []byte("\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c"), probe.ContainerWMA, "asf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, err := probe.Probe(bytes.NewReader(c.in), int64(len(c.in)), "x")
			if err != nil {
				t.Fatal(err)
			}
			if info.Opens || info.OpenError == "" {
				t.Errorf("opens=%v error %q", info.Opens, info.OpenError)
			}
			if info.Container != c.container || info.Variant != c.variant {
				t.Errorf("container %q variant %q, want %q %q", info.Container, info.Variant, c.container, c.variant)
			}
		})
	}
}

func TestVint(t *testing.T) {
	for _, c := range []struct {
		b []byte
		v int64
		n int
	}{{[]byte{0x81}, 1, 1}, {[]byte{0x40, 0x02}, 2, 2}, {[]byte{0x01, 0, 0, 0, 0, 0, 0, 5}, 5, 8}, {[]byte{0}, 0, 0}, {[]byte{0x40}, 0, 0}} {
		if v, n := vint(c.b); v != c.v || n != c.n {
			t.Errorf("vint(%x) = %d, %d want %d, %d", c.b, v, n, c.v, c.n)
		}
	}
}
