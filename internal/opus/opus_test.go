package opus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func headBytes(version, channels byte, preskip uint16, rate uint32, family byte, table ...byte) []byte {
	b := []byte("OpusHead")
	b = append(b, version, channels)
	b = binary.LittleEndian.AppendUint16(b, preskip)
	b = binary.LittleEndian.AppendUint32(b, rate)
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = append(b, family)
	return append(b, table...)
}

func TestParseHead(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    Head
		wantErr string
	}{
		{"mono", headBytes(1, 1, 312, 48000, 0), Head{Version: 1, Channels: 1, PreSkip: 312, InputRate: 48000, Streams: 1}, ""},
		{"stereo", headBytes(1, 2, 0, 44100, 0), Head{Version: 1, Channels: 2, InputRate: 44100, Streams: 1, Coupled: 1}, ""},
		{"family 1 5.1", headBytes(1, 6, 312, 48000, 1, 4, 2, 0, 4, 1, 2, 3, 5), Head{Version: 1, Channels: 6, PreSkip: 312, InputRate: 48000, Family: 1, Streams: 4, Coupled: 2, Mapping: []byte{0, 4, 1, 2, 3, 5}}, ""},
		{"muted channel", headBytes(1, 2, 0, 16000, 255, 1, 0, 0, 255), Head{Version: 1, Channels: 2, InputRate: 16000, Family: 255, Streams: 1, Mapping: []byte{0, 255}}, ""},
		{"trailing bytes of a later version", append(headBytes(2, 1, 0, 16000, 0), 9, 9), Head{Version: 2, Channels: 1, InputRate: 16000, Streams: 1}, ""},
		{"short", headBytes(1, 1, 0, 16000, 0)[:18], Head{}, "not an OpusHead"},
		{"magic", append([]byte("OpusHeat"), headBytes(1, 1, 0, 16000, 0)[8:]...), Head{}, "not an OpusHead"},
		{"version 16", headBytes(16, 1, 0, 16000, 0), Head{}, "unsupported: OpusHead version 16"},
		{"no channels", headBytes(1, 0, 0, 16000, 0), Head{}, "0 channels"},
		{"family 0 with 3 channels", headBytes(1, 3, 0, 16000, 0), Head{}, "family 0 with 3 channels"},
		{"table cut short", headBytes(1, 3, 0, 16000, 1, 2, 1, 0, 1), Head{}, "cut short"},
		{"no streams", headBytes(1, 1, 0, 16000, 1, 0, 0, 0), Head{}, "0 streams"},
		{"more coupled than streams", headBytes(1, 1, 0, 16000, 1, 1, 2, 0), Head{}, "1 streams, 2 coupled"},
		{"mapping past the streams", headBytes(1, 2, 0, 16000, 1, 1, 0, 0, 1), Head{}, "maps channel 1 to stream 1 of 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ParseHead(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.Version != tt.want.Version || h.Channels != tt.want.Channels || h.PreSkip != tt.want.PreSkip ||
				h.InputRate != tt.want.InputRate || h.Family != tt.want.Family || h.Streams != tt.want.Streams ||
				h.Coupled != tt.want.Coupled || !bytes.Equal(h.Mapping, tt.want.Mapping) {
				t.Fatalf("got %+v, want %+v", h, tt.want)
			}
		})
	}
}

func TestHeadMarshalRoundTrip(t *testing.T) {
	for _, in := range [][]byte{
		headBytes(1, 1, 312, 48000, 0),
		headBytes(1, 2, 3840, 44100, 0),
		headBytes(1, 6, 312, 48000, 1, 4, 2, 0, 4, 1, 2, 3, 5),
	} {
		h, err := ParseHead(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Marshal(); !bytes.Equal(got, in) {
			t.Errorf("Marshal = % x, want % x", got, in)
		}
	}
	// Trailing bytes are not kept: the API's reader refuses them.
	h, _ := ParseHead(append(headBytes(1, 1, 0, 16000, 0), 7))
	if got := h.Marshal(); len(got) != 19 {
		t.Errorf("Marshal kept trailing bytes: % x", got)
	}
}

func TestPacketSamples(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
		want int
		err  string
	}{
		{"SILK 10 ms", []byte{0 << 3}, 480, ""},
		{"SILK 20 ms", []byte{1 << 3}, 960, ""},
		{"SILK 40 ms", []byte{2 << 3}, 1920, ""},
		{"SILK 60 ms", []byte{3 << 3}, 2880, ""},
		{"SILK WB 60 ms", []byte{11 << 3}, 2880, ""},
		{"Hybrid 10 ms", []byte{12 << 3}, 480, ""},
		{"Hybrid FB 20 ms", []byte{15 << 3}, 960, ""},
		{"CELT 2.5 ms", []byte{16 << 3}, 120, ""},
		{"CELT 5 ms", []byte{17 << 3}, 240, ""},
		{"CELT FB 10 ms", []byte{30 << 3}, 480, ""},
		{"CELT FB 20 ms", []byte{31 << 3}, 960, ""},
		{"stereo flag changes nothing", []byte{31<<3 | 4}, 960, ""},
		{"code 1: two frames", []byte{31<<3 | 1, 0, 0}, 1920, ""},
		{"code 2: two frames", []byte{1<<3 | 2, 1, 0, 0}, 1920, ""},
		{"code 3: three 20 ms frames", []byte{31<<3 | 3, 3}, 2880, ""},
		{"code 3: six 20 ms frames is 120 ms", []byte{31<<3 | 3, 6}, 5760, ""},
		{"code 3: two 60 ms frames", []byte{3<<3 | 3, 2}, 5760, ""},
		{"code 3: 48 frames of 2.5 ms", []byte{16<<3 | 3, 48}, 5760, ""},
		{"empty", nil, 0, "empty Opus packet"},
		{"code 3 without count", []byte{31<<3 | 3}, 0, "frame count"},
		{"code 3 with 0 frames", []byte{31<<3 | 3, 0}, 0, "0 frames"},
		{"code 3 longer than 120 ms", []byte{31<<3 | 3, 7}, 0, "more than 120 ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := PacketSamples(tt.p)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || n != tt.want {
				t.Fatalf("PacketSamples = %d, %v; want %d", n, err, tt.want)
			}
		})
	}
	if _, err := PacketSamples(nil); !errors.Is(err, ErrEmptyPacket) {
		t.Errorf("empty packet: %v, want ErrEmptyPacket", err)
	}
}

func TestValidate(t *testing.T) {
	toc := byte(31 << 3)
	frame := func(n int) []byte { return bytes.Repeat([]byte{0xaa}, n) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name string
		p    []byte
		err  string
	}{
		{"code 0", cat([]byte{toc}, frame(100)), ""},
		{"code 0 of 1275 bytes", cat([]byte{toc}, frame(1275)), ""},
		{"code 0 of 1276 bytes", cat([]byte{toc}, frame(1276)), "at most 1275"},
		{"code 0 TOC only (DTX)", []byte{toc}, ""},
		{"code 1", cat([]byte{toc | 1}, frame(100)), ""},
		{"code 1 odd", cat([]byte{toc | 1}, frame(101)), "odd"},
		{"code 2", cat([]byte{toc | 2, 40}, frame(100)), ""},
		{"code 2 two-byte length", cat([]byte{toc | 2, 252, 1}, frame(300)), ""},
		{"code 2 length past the end", cat([]byte{toc | 2, 200}, frame(100)), "runs past"},
		{"code 2 cut in its length", []byte{toc | 2, 253}, "runs past"},
		{"code 3 CBR", cat([]byte{toc | 3, 3}, frame(90)), ""},
		{"code 3 CBR uneven", cat([]byte{toc | 3, 3}, frame(91)), "equal frames"},
		{"code 3 VBR", cat([]byte{toc | 3, 0x80 | 3, 10, 20}, frame(60)), ""},
		{"code 3 VBR lengths past the end", cat([]byte{toc | 3, 0x80 | 3, 100, 100}, frame(60)), "longer than the packet"},
		{"code 3 padding", cat([]byte{toc | 3, 0x40 | 2, 4}, frame(20), frame(4)), ""},
		{"code 3 padding of 255 continues", cat([]byte{toc | 3, 0x40 | 1, 255, 1}, frame(10), frame(255)), ""},
		{"code 3 padding overrun", cat([]byte{toc | 3, 0x40 | 2, 200}, frame(20)), "padding longer"},
		{"code 3 padding cut short", []byte{toc | 3, 0x40 | 2, 255}, "padding length runs past"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Validate(tt.p)
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestServerHead(t *testing.T) {
	mustParse := func(b []byte) Head {
		h, err := ParseHead(b)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	tests := []struct {
		name    string
		in      Head
		rate    uint32
		ch      uint8
		family  uint8
		changes []string
		err     string
	}{
		{"16 kHz mono: nothing to do", mustParse(headBytes(1, 1, 312, 16000, 0)), 16000, 1, 0, nil, ""},
		{"15 kHz is decoded at 16 kHz: nothing to do", mustParse(headBytes(1, 1, 312, 15000, 0)), 15000, 1, 0, nil, ""},
		{"48 kHz mono", mustParse(headBytes(1, 1, 312, 48000, 0)), 16000, 1, 0, []string{"input rate 48000 Hz → 16000 Hz"}, ""},
		{"48 kHz stereo", mustParse(headBytes(1, 2, 312, 48000, 0)), 16000, 1, 0, []string{"input rate 48000 Hz", "channels 2 → 1"}, ""},
		{"rate 0 (unknown) is decoded at 8 kHz", mustParse(headBytes(1, 1, 312, 0, 0)), 16000, 1, 0, []string{"decoded at 16000 Hz instead of 8000 Hz"}, ""},
		{"rate above 2^31 is negative to the reader", mustParse(headBytes(1, 1, 312, 0xffffffff, 0)), 16000, 1, 0, []string{"instead of 8000 Hz"}, ""},
		{"version 2", mustParse(headBytes(2, 1, 312, 16000, 0)), 16000, 1, 0, []string{"version 2 → 1"}, ""},
		{"family 1 stereo in one stream", mustParse(headBytes(1, 2, 312, 48000, 1, 1, 1, 0, 1)), 16000, 1, 0, []string{"input rate 48000", "mapping family 1 → 0"}, ""},
		{"family 255 mono: nothing to do", mustParse(headBytes(1, 1, 312, 16000, 255, 1, 0, 0)), 16000, 1, 255, nil, ""},
		{"family 1 5.1", mustParse(headBytes(1, 6, 312, 48000, 1, 4, 2, 0, 4, 1, 2, 3, 5)), 0, 0, 0, nil, "6 channels coded as 4 Opus streams"},
		{"family 255 two mono streams", mustParse(headBytes(1, 2, 312, 48000, 255, 2, 0, 0, 1)), 0, 0, 0, nil, "2 Opus streams"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, changes, err := ServerHead(tt.in)
			if tt.err != "" {
				var re *NeedsReencodeError
				if !errors.As(err, &re) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want a NeedsReencodeError with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if out.InputRate != tt.rate || out.Channels != tt.ch || out.Family != tt.family {
				t.Errorf("got rate %d, %d channels, family %d; want %d, %d, %d", out.InputRate, out.Channels, out.Family, tt.rate, tt.ch, tt.family)
			}
			if len(changes) != len(tt.changes) {
				t.Fatalf("changes = %q, want %d matching %q", changes, len(tt.changes), tt.changes)
			}
			for _, want := range tt.changes {
				if !strings.Contains(strings.Join(changes, "; "), want) {
					t.Errorf("changes %q lack %q", changes, want)
				}
			}
			if out.PreSkip != tt.in.PreSkip || out.Gain != tt.in.Gain {
				t.Errorf("pre-skip or gain changed: %+v", out)
			}
			// What the API reads from the result: 16 kHz, one channel,
			// and a header it parses back the same.
			if DecodeRate(out.InputRate) != 16000 || out.Channels != 1 {
				t.Errorf("the API would decode at %d Hz into %d channels", DecodeRate(out.InputRate), out.Channels)
			}
			back, err := ParseHead(out.Marshal())
			if err != nil || back.Channels != out.Channels || back.InputRate != out.InputRate || back.Version > 1 {
				t.Errorf("Marshal round trip: %+v, %v", back, err)
			}
		})
	}
}
