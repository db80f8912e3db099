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
	req := Request{Type: Unscripted, SyncLimit: 100}
	tests := []struct {
		ev   Evidence
		want string
	}{
		{Evidence{Input: "a.wav", Size: 5, Info: with(func(i *probe.Info) { i.SampleRate = 44100 }), Read: readOK(1)}, "convert with: ffmpeg -i a.wav -ar 16000 -ac 1 a-16k.wav"},
		{Evidence{Input: "my take's.mp3", Size: 5, Info: with(func(i *probe.Info) { i.SndfileFormat = "MP3" }), Read: readOK(1)}, `convert with: ffmpeg -i 'my take'\''s.mp3' -ar 16000 -ac 1 'my take'\''s-16k.wav'`},
		{Evidence{Input: "big.wav", Size: 500, Info: wav16k(), Read: readOK(1)}, "use async mode (--mode async), or make it smaller: 16 kHz mono FLAC is about half the size of WAV: ffmpeg -i big.wav -ar 16000 -ac 1 big-16k.flac"},
		{Evidence{Input: "-", Size: 5, Info: &probe.Info{}}, "convert with: ffmpeg -i INPUT -ar 16000 -ac 1 OUTPUT.wav"},
		{Evidence{Input: "ok.wav", Size: 5, Info: wav16k(), Read: readOK(1)}, ""},
	}
	for _, tt := range tests {
		if got := Hint(req, tt.ev, Decide(req, tt.ev)); got != tt.want {
			t.Errorf("Hint(%s) = %q, want %q", tt.ev.Input, got, tt.want)
		}
	}
}
