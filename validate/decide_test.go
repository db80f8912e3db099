package validate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

func wav16k() *probe.Info {
	return &probe.Info{Container: "wav", Opens: true, SndfileFormat: "WAV", SndfileSubtype: "PCM_16", SampleRate: 16000, Channels: 1, Frames: 16000}
}

func with(f func(*probe.Info)) *probe.Info {
	i := wav16k()
	f(i)
	return i
}

func readOK(n int64) *probe.ReadResult { return &probe.ReadResult{FramesRead: n} }

// summary renders a decision as "Name{params}@step ..." for comparison.
func summary(d Decision) string {
	var s []string
	for _, f := range d.Findings {
		p := ""
		if len(f.Params) > 0 {
			p = fmt.Sprint(f.Params)
		}
		s = append(s, f.Exception.Name+p+"@"+f.Step)
	}
	if len(d.Undecided) > 0 {
		s = append(s, "undecided:"+strings.Join(d.Undecided, ","))
	}
	if len(s) == 0 {
		return "accepted"
	}
	return strings.Join(s, " ")
}

func TestDecideUnscripted(t *testing.T) {
	req := Request{Type: Unscripted, SyncLimit: 100}
	tests := []struct {
		name string
		req  *Request
		ev   Evidence
		want string
	}{
		{"accepted", nil, Evidence{Size: 50, Info: wav16k(), Read: readOK(16000)}, "accepted"},
		{"settled by the header", nil, Evidence{Size: 50, Info: with(func(i *probe.Info) { i.Settled = readOK(3) })}, "accepted"},
		{"empty", nil, Evidence{Size: 0}, "MissingAudioParam@missing-audio"},
		{"download failed", nil, Evidence{Download: &DownloadFailure{Detail: "HTTP 404"}}, "FailedToReadAudioFromURL@download"},
		{"bad base64", nil, Evidence{Size: 0, Base64Error: "Incorrect padding"}, "FailedToDecodeAudioFromBytes@base64"},
		{"too big, else fine", nil, Evidence{Input: "a b.wav", Size: 101, Info: wav16k(), Read: readOK(1)}, "AudioTooBigForSync" + fmt.Sprint(map[string]string{"stream_dir": "a b.wav"}) + "@sync-size"},
		{"exactly at the limit", nil, Evidence{Size: 100, Info: wav16k(), Read: readOK(1)}, "accepted"},
		{"too big but async", &Request{Type: Unscripted, Async: true, SyncLimit: 100}, Evidence{Size: 1 << 40, Info: wav16k(), Read: readOK(1)}, "accepted"},
		{"too big and does not open", nil, Evidence{Input: "x", Size: 101, Info: &probe.Info{Container: "m4a"}}, "AudioTooBigForSync" + fmt.Sprint(map[string]string{"stream_dir": "x"}) + "@sync-size FailedToParseAudioHeader@open"},
		{"does not open", nil, Evidence{Size: 5, Info: &probe.Info{Container: "unknown"}}, "FailedToParseAudioHeader@open"},
		{"44.1 kHz", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.SampleRate = 44100 }), Read: readOK(5)}, "InvalidAudioFormat@format"},
		{"stereo", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.Channels = 2 }), Read: readOK(5)}, "InvalidAudioFormat@format"},
		{"RF64 is WAV", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.SndfileFormat = "RF64" }), Read: readOK(5)}, "accepted"},
		{"WAVEX is WAV", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.SndfileFormat = "WAVEX" }), Read: readOK(5)}, "accepted"},
		{"MP3 at 16k mono", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.SndfileFormat = "MP3" }), Read: readOK(5)}, "InvalidAudioFormat@format"},
		{"Ogg-Vorbis", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.SndfileFormat, i.SndfileSubtype = "OGG", "VORBIS" }), Read: readOK(5)}, "InvalidAudioFormat@format"},
		{"Ogg-Opus", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.SndfileFormat, i.SndfileSubtype = "OGG", "OPUS" }), Read: readOK(5)}, "accepted"},
		{"unknown length", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.LengthUnknown = true })}, "FailedToUseAudio@length"},
		{"wrong format and unknown length", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.LengthUnknown, i.Channels = true, 2 })}, "InvalidAudioFormat@format FailedToUseAudio@length"},
		{"decode fails", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.SndfileFormat = "FLAC" }), Read: &probe.ReadResult{ReadError: "lost sync"}}, "FailedToConvertAudio" + fmt.Sprint(map[string]string{"audio_format": "flac"}) + "@decode"},
		{"decode fails in RF64", nil, Evidence{Size: 5, Info: with(func(i *probe.Info) { i.SndfileFormat = "RF64" }), Read: &probe.ReadResult{ReadError: "x"}}, "FailedToConvertAudio" + fmt.Sprint(map[string]string{"audio_format": "wav"}) + "@decode"},
		{"zero frames", nil, Evidence{Size: 5, Info: wav16k(), Read: readOK(0)}, "FailedToUseAudio@zero-frames"},
		{"header only", &Request{Type: Unscripted, SyncLimit: 100, HeaderOnly: true}, Evidence{Size: 5, Info: wav16k()}, "undecided:decode,zero-frames"},
		{"header only, headers out of reach", &Request{Type: Unscripted, SyncLimit: 100, HeaderOnly: true}, Evidence{Size: 5, HeaderUnavailable: "why"}, "undecided:open,format,length,decode,zero-frames"},
		{"header only, too big, headers out of reach", &Request{Type: Unscripted, SyncLimit: 100, HeaderOnly: true}, Evidence{Input: "u", Size: 101, HeaderUnavailable: "why"},
			"AudioTooBigForSync" + fmt.Sprint(map[string]string{"stream_dir": "u"}) + "@sync-size undecided:open,format,length,decode,zero-frames"},
		{"auth first", &Request{Type: Unscripted, SyncLimit: 100, Auth: []Finding{{Exception: MustLookup(NoTokenProvided), Step: StepAuth}}}, Evidence{Size: 0}, "NoTokenProvided@auth MissingAudioParam@missing-audio"},
	}
	for _, tt := range tests {
		r := req
		if tt.req != nil {
			r = *tt.req
		}
		if got := summary(Decide(r, tt.ev)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestDecideScripted(t *testing.T) {
	req := Request{Type: Scripted, SyncLimit: 100}
	tests := []struct {
		name string
		ev   Evidence
		want string
	}{
		{"44.1 kHz stereo MP3 is fine", Evidence{Size: 1 << 30, Info: with(func(i *probe.Info) { i.SndfileFormat, i.SampleRate, i.Channels = "MP3", 44100, 2 }), Read: readOK(9)}, "accepted"},
		{"empty", Evidence{}, "MissingAudioParam@missing-audio"},
		{"bad base64", Evidence{Base64Error: "Incorrect padding"}, "FailedToUseAudio@base64"},
		{"m4a", Evidence{Size: 5, Head: []byte("\x00\x00\x00\x20ftypM4A "), Info: &probe.Info{Container: "m4a"}}, "FailedToConvertAudio" + fmt.Sprint(map[string]string{"audio_format": "m4a"}) + "@open"},
		{"by extension", Evidence{Input: "dir.d/take.AMR2", Size: 5, Head: []byte("junk"), Info: &probe.Info{Container: "unknown"}}, "FailedToConvertAudio" + fmt.Sprint(map[string]string{"audio_format": "amr2"}) + "@open"},
		{"unknown length", Evidence{Size: 5, Info: with(func(i *probe.Info) { i.LengthUnknown = true })}, "FailedToUseAudio@length"},
		{"decode fails", Evidence{Size: 5, Info: with(func(i *probe.Info) { i.SndfileFormat = "AIFF" }), Read: &probe.ReadResult{ReadError: "x"}}, "FailedToConvertAudio" + fmt.Sprint(map[string]string{"audio_format": "aiff"}) + "@decode"},
		{"zero frames", Evidence{Size: 5, Info: wav16k(), Read: readOK(0)}, "FailedToUseAudio@zero-frames"},
		{"headers out of reach", Evidence{Size: 5, HeaderUnavailable: "why"}, "undecided:open,length,decode,zero-frames"},
	}
	for _, tt := range tests {
		if got := summary(Decide(req, tt.ev)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestSignatureFormat(t *testing.T) {
	tests := []struct {
		head, name, want string
	}{
		{"RIFF\x00\x00\x00\x00WAVE", "a.mp3", "wav"},
		{"RIFX", "", "wav"},
		{"RF64", "", "wav"},
		{"fLaC", "", "flac"},
		{"OggS", "", "ogg"},
		{"\x00\x00\x00\x1cftypisom", "", "m4a"},
		{"\x1a\x45\xdf\xa3", "", "webm"},
		{"#!AMR-WB\n", "", "amr"},
		{"FORM\x00\x00\x00\x008SVX", "", "aiff"},
		{"\x30\x26\xb2\x75", "", "wma"},
		{"ID3\x04", "", "mp3"},
		{"\xff\xfb\x90", "", "mp3"},
		{"\xff\xf1\x50", "", "aac"},
		{"\xff\xf8\xc9\x18", "x.flac", "aac"}, // a FLAC frame header looks like ADTS to the server
		{"\xff", "x.flac", "flac"},
		{"hello", "notes.TXT", "txt"},
		{"hello", ".hidden", "unknown"},
		{"hello", "a/b.c/noext", "unknown"},
		{"", "", "unknown"},
	}
	for _, tt := range tests {
		if got := SignatureFormat([]byte(tt.head), tt.name); got != tt.want {
			t.Errorf("SignatureFormat(%q, %q) = %q, want %q", tt.head, tt.name, got, tt.want)
		}
	}
}

func TestEveryPredictableExceptionIsReachable(t *testing.T) {
	seen := map[string]bool{}
	for _, ev := range []Evidence{{}, {Base64Error: "x"}, {Download: &DownloadFailure{}}, {Size: 999, Info: &probe.Info{}},
		{Size: 1, Info: with(func(i *probe.Info) { i.Channels = 2 }), Read: &probe.ReadResult{ReadError: "x"}},
		{Size: 1, Info: wav16k(), Read: readOK(0)}} {
		for _, typ := range []string{Unscripted, Scripted} {
			for _, f := range Decide(Request{Type: typ, SyncLimit: 10}, ev).Findings {
				seen[f.Exception.Name] = true
			}
		}
	}
	var missing []string
	for _, e := range Catalog() {
		if Predictable(e.Name) && e.Category == CategoryAudio && !seen[e.Name] {
			missing = append(missing, e.Name)
		}
	}
	if len(missing) > 0 {
		t.Errorf("audio exceptions no evidence leads to: %v", missing)
	}
}

func TestHint(t *testing.T) {
	req := Request{Type: Unscripted, SyncLimit: 100 << 10}
	mp3 := with(func(i *probe.Info) { i.SndfileFormat = "MP3" })
	long := with(func(i *probe.Info) { i.Frames = 16000 * 600 }) // 10 minutes
	unknown := &probe.Info{Container: probe.ContainerUnknown}
	tests := []struct {
		ev   Evidence
		want string
	}{
		{Evidence{Input: "a.wav", Size: 5, Info: with(func(i *probe.Info) { i.SampleRate = 44100 }), Read: readOK(1)}, "convert with: ffmpeg -i a.wav -ar 16000 -ac 1 a-16k.wav"},
		{Evidence{Input: "my take's.mp3", Size: 5, Info: mp3, Read: readOK(1)}, `convert with: ffmpeg -i 'my take'\''s.mp3' -ar 16000 -ac 1 'my take'\''s-16k.wav'`},
		{Evidence{Input: "-take.mp3", Size: 5, Info: mp3, Read: readOK(1)}, "convert with: ffmpeg -i ./-take.mp3 -ar 16000 -ac 1 ./-take-16k.wav"},
		{Evidence{Input: "d/-take.mp3", Size: 5, Info: mp3, Read: readOK(1)}, "convert with: ffmpeg -i d/-take.mp3 -ar 16000 -ac 1 d/-take-16k.wav"},
		{Evidence{Input: "take:2.mp3", Size: 5, Info: mp3, Read: readOK(1)}, "convert with: ffmpeg -i ./take:2.mp3 -ar 16000 -ac 1 ./take:2-16k.wav"},
		{Evidence{Input: "/abs/take:2.mp3", Size: 5, Info: mp3, Read: readOK(1)}, "convert with: ffmpeg -i /abs/take:2.mp3 -ar 16000 -ac 1 /abs/take:2-16k.wav"},
		{Evidence{Input: "a\nb.mp3", Size: 5, Info: mp3, Read: readOK(1)}, `convert with: ffmpeg -i $'a\x0ab.mp3' -ar 16000 -ac 1 $'a\x0ab-16k.wav'`},
		{Evidence{Input: "x\u202egpj.mp3", Size: 5, Info: mp3, Read: readOK(1)}, `convert with: ffmpeg -i $'x\xe2\x80\xaegpj.mp3' -ar 16000 -ac 1 $'x\xe2\x80\xaegpj-16k.wav'`},
		{Evidence{Input: "b64.txt", Base64: true, Size: 5, Info: mp3, Read: readOK(1)}, "convert with: base64 -di b64.txt > b64-decoded.bin && ffmpeg -i b64-decoded.bin -ar 16000 -ac 1 b64-16k.wav && base64 -w0 b64-16k.wav > b64-16k.txt"},
		{Evidence{Input: "-", Base64: true, Size: 5, Info: mp3, Read: readOK(1)}, "convert with: cat > stdin.txt && base64 -di stdin.txt > stdin-decoded.bin && ffmpeg -i stdin-decoded.bin -ar 16000 -ac 1 stdin-16k.wav && base64 -w0 stdin-16k.wav > stdin-16k.txt"},
		{Evidence{Input: "-", Size: 5, Info: &probe.Info{Container: "m4a"}}, "convert with: cat > stdin.audio && ffmpeg -i stdin.audio -ar 16000 -ac 1 stdin-16k.wav"},
		{Evidence{Input: "https://h/x/take%201.mp3", Size: 5, Info: mp3, Read: readOK(1)}, "convert with: curl -fsSLo take_1.mp3 https://h/x/take%201.mp3 && ffmpeg -i take_1.mp3 -ar 16000 -ac 1 take_1-16k.wav"},
		{Evidence{Input: "s3://rec/day 1/take 1.mp3", Size: 5, Info: mp3, Read: readOK(1)}, "convert with: aws s3 cp 's3://rec/day 1/take 1.mp3' take_1.mp3 && ffmpeg -i take_1.mp3 -ar 16000 -ac 1 take_1-16k.wav"},
		{Evidence{Input: "https://h/a.mp3?X-Amz-Signature=abc", Size: 5, Info: mp3, Read: readOK(1)}, `convert with: curl -fsSLo a.mp3 "$URL" && ffmpeg -i a.mp3 -ar 16000 -ac 1 a-16k.wav (with URL set to the input's URL, which is not repeated here: it carries credentials)`},
		{Evidence{Input: "big.wav", Size: 200 << 10, Info: wav16k(), Read: readOK(1)}, "use async mode (--mode async), or make it smaller: as 16 kHz mono FLAC it is about 35 kB: ffmpeg -i big.wav -ar 16000 -ac 1 big-16k.flac"},
		{Evidence{Input: "big.wav", Size: 200 << 10, Info: with(func(i *probe.Info) { i.Frames = 16000 * 10 }), Read: readOK(1)}, "use async mode (--mode async), or make it smaller: as 16 kHz mono Opus at 32 kb/s it is about 42 kB: ffmpeg -i big.wav -ar 16000 -ac 1 -c:a libopus -b:a 32k big-16k.opus"},
		{Evidence{Input: "big.wav", Size: 20 << 20, Info: long, Read: readOK(1)}, "use async mode (--mode async): 600 s of audio is over the sync limit even as 16 kHz mono Opus (about 2.5 MB)"},
		{Evidence{Input: "page.wav", Size: 30, Head: []byte("<!DOCTYPE html><title>Login</title>"), Info: unknown}, "it is an HTML page, not audio (often a login or error page saved in the recording's place): get the recording itself"},
		{Evidence{Input: "page.wav", Base64: true, Size: 30, Head: []byte("<!DOCTYPE html><title>Login</title>"), Info: unknown}, "its base64 decodes to an HTML page, not audio (often a login or error page saved in the recording's place): get the recording itself"},
		{Evidence{Input: "-x.wav", Size: 30, Head: []byte("UklGRiQAAABXQVZFZm10IBAAAAABAAEA"), Info: unknown}, "it is base64 text: if it is an audio_data field, check it as one: audiopreflight check --base64 ./-x.wav"},
		{Evidence{Input: "x.wav.gz", Size: 30, Head: []byte("\x1f\x8b\x08\x00"), Info: unknown}, "it is gzip-compressed data: take the recording out of it first, then check that: gzip -dkc x.wav.gz > x.wav"},
		{Evidence{Input: "x.bin", Size: 30, Head: []byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09"), Info: unknown}, "it is binary data that starts 01 02 03 04 05 06 07 08: check that it is the recording (file x.bin tells what it is)"},
		{Evidence{Input: "u.wav", Size: 3244, Info: with(func(i *probe.Info) {
			i.Frames, i.Size, i.Parts = 0, 3244, []probe.Part{{Kind: "chunk", ID: "data", Offset: 36, Size: 0}}
		}), Read: readOK(0)}, "the header says the audio is 0 bytes but 3200 bytes follow it (a recording that was never finished): rewrite the header: ffmpeg -i u.wav -ar 16000 -ac 1 u-16k.wav"},
		{Evidence{Input: "e.wav", Size: 44, Info: with(func(i *probe.Info) {
			i.Frames, i.Size, i.Parts = 0, 44, []probe.Part{{Kind: "chunk", ID: "data", Offset: 36, Size: 0}}
		}), Read: readOK(0)}, "the audio holds no frames: export the recording again"},
		{Evidence{Input: "m.flac", Size: 500, Info: wav16k(), Read: readOK(0)}, "the API's audio reader gets no frames though the header promises 16000 (damaged metadata?): export it again from the original recording"},
		{Evidence{Input: "ok.wav", Size: 5, Info: wav16k(), Read: readOK(1)}, ""},
	}
	for _, tt := range tests {
		if got := Hint(req, tt.ev, Decide(req, tt.ev)); got != tt.want {
			t.Errorf("Hint(%q)\n got %q\nwant %q", tt.ev.Input, got, tt.want)
		}
	}
}

// TestEveryRejectionHasADetail: every finding the decision order can make,
// from every kind of evidence, says what exactly is wrong.
func TestEveryRejectionHasADetail(t *testing.T) {
	evidence := []Evidence{{}, {Base64: true}, {Base64Error: "Incorrect padding"}, {Download: &DownloadFailure{Detail: "HTTP 404"}},
		{Input: "x", Size: 999, Info: &probe.Info{Container: probe.ContainerUnknown, OpenError: "format not recognised"}, Head: []byte("hello")},
		{Size: 999, Info: &probe.Info{Container: "m4a", OpenError: "m4a: unsupported"}},
		{Size: 1, Info: with(func(i *probe.Info) { i.Channels = 2 }), Read: &probe.ReadResult{ReadError: "x"}},
		{Size: 1, Info: with(func(i *probe.Info) { i.LengthUnknown = true })},
		{Size: 1, Info: wav16k(), Read: readOK(0)}}
	for _, ev := range evidence {
		for _, typ := range []string{Unscripted, Scripted} {
			req := Request{Type: typ, SyncLimit: 10}
			req.Auth = CheckAuth(typ, AuthHeader{Value: "Bearer a b"})
			for _, f := range Decide(req, ev).Findings {
				if f.Detail == "" {
					t.Errorf("%s (%s) from %+v has no detail", f.Exception.Name, typ, ev)
				}
			}
		}
	}
}

func TestSyncSizeDetail(t *testing.T) {
	tests := []struct {
		size, limit int64
		want        string
	}{
		{12800044, 10 << 20, "12.8 MB (12,800,044 bytes) is over the sync limit of 10 MiB (10,485,760 bytes)"},
		{10485761, 10 << 20, "10.5 MB (10,485,761 bytes) is over the sync limit of 10 MiB (10,485,760 bytes)"},
		{5000001, 5000000, "5 MB (5,000,001 bytes) is over the sync limit of 5 MB (5,000,000 bytes)"},
		{4097, 4096, "4.1 kB (4,097 bytes) is over the sync limit of 4 KiB (4,096 bytes)"},
		{1234567890, 4800123, "1.23 GB (1,234,567,890 bytes) is over the sync limit of 4.8 MB (4,800,123 bytes)"},
		{101, 100, "101 bytes is over the sync limit of 100 bytes"},
	}
	for _, tt := range tests {
		if got := syncSizeDetail(tt.size, tt.limit); got != tt.want {
			t.Errorf("syncSizeDetail(%d, %d)\n got %q\nwant %q", tt.size, tt.limit, got, tt.want)
		}
	}
}

// TestDecideUnscoredAudio: the warning about audio the server will not
// score comes once, from the header alone when that shows it (a cut-short
// WAV, settled or header-only) and from the full read otherwise; the same
// warning from two sources is said once.
func TestDecideUnscoredAudio(t *testing.T) {
	cut := func() *probe.Info {
		return with(func(i *probe.Info) {
			i.Frames, i.FramesHeld = 8000, 16000
			i.Warnings = []string{"the data chunk declares 32000 bytes of audio but the file ends 16000 bytes early: it was cut short"}
			i.Settled = readOK(8000)
		})
	}
	const half = "0.500 s (50.0%) of the audio will not be scored: the API reads 8,000 of its 16,000 frames"
	tests := []struct {
		name string
		req  Request
		ev   Evidence
		want []string
	}{
		{"cut-short WAV", Request{Type: Unscripted, SyncLimit: 1 << 20}, Evidence{Size: 50, Info: cut(), Read: readOK(8000)},
			[]string{cut().Warnings[0], half}},
		{"cut-short WAV, header only", Request{Type: Unscripted, SyncLimit: 1 << 20, HeaderOnly: true}, Evidence{Size: 50, Info: cut()},
			[]string{cut().Warnings[0], half}},
		{"header only, the header shows audio lost", Request{Type: Scripted, HeaderOnly: true},
			Evidence{Size: 50, Info: with(func(i *probe.Info) { i.FramesHeld = 32000 })},
			[]string{"at least 1.000 s (50.0%) of the audio will not be scored: the header shows 32,000 frames, the API reads at most 16,000"}},
		{"short read", Request{Type: Scripted}, Evidence{Size: 50, Info: wav16k(), Read: readOK(12000)},
			[]string{"0.250 s (25.0%) of the audio will not be scored: the API reads 12,000 of its 16,000 frames"}},
		{"rejected: no such warning", Request{Type: Scripted}, Evidence{Size: 50, Info: wav16k(), Read: &probe.ReadResult{FramesRead: 100, ReadError: "lost sync"}}, nil},
		{"the same warning twice is said once", Request{Type: Scripted},
			Evidence{Size: 50, Info: with(func(i *probe.Info) { i.Warnings = []string{"x"} }), Read: &probe.ReadResult{FramesRead: 16000, Warnings: []string{"x", "y"}}},
			[]string{"x", "y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.req, tt.ev)
			if strings.Join(d.Warnings, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("warnings %q, want %q", d.Warnings, tt.want)
			}
		})
	}
}
