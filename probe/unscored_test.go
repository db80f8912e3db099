package probe

import (
	"strings"
	"testing"
)

func TestUnscored(t *testing.T) {
	ogg := func(frames, held int64) *Info {
		return &Info{Container: ContainerOgg, Opens: true, SampleRate: 16000, Channels: 1, Frames: frames, FramesHeld: held}
	}
	read := func(n int64) *ReadResult { return &ReadResult{FramesRead: n} }
	tests := []struct {
		name string
		info *Info
		read *ReadResult
		want string // "" for no warning
	}{
		{"all read", ogg(16000, 0), read(16000), ""},
		{"read falls short of the header", ogg(58450, 0), read(42450),
			"1.000 s (27.4%) of the audio will not be scored: the API reads 42,450 of its 58,450 frames"},
		{"the header counts less than the stream holds", ogg(42450, 58450), read(42450),
			"1.000 s (27.4%) of the audio will not be scored: the API reads 42,450 of its 58,450 frames"},
		{"the read finds more than the header lets through", ogg(16000, 0), &ReadResult{FramesRead: 16000, FramesHeld: 32000},
			"1.000 s (50.0%) of the audio will not be scored: the API reads 16,000 of its 32,000 frames"},
		// A page skipped in the first block: a seek after it makes the
		// server read other audio twice, and the count hides the loss.
		{"skipped, count hides it", ogg(80000, 0), &ReadResult{FramesRead: 80000, FramesSkipped: 8000},
			"0.500 s (10.0%) of the audio will not be scored: the API skips 8,000 of its 80,000 frames"},
		{"skipped, count shows more", ogg(80000, 0), &ReadResult{FramesRead: 70000, FramesSkipped: 8000},
			"0.625 s (12.5%) of the audio will not be scored: the API reads 70,000 of its 80,000 frames"},
		{"a few frames", ogg(1_000_000, 0), read(999_999), "under 1 ms (under 0.1%) of the audio will not be scored"},
		{"hours, not all", ogg(1600, 536_870_912), read(1600), "33554 s (9.3 h, over 99.9%) of the audio will not be scored"},
		{"minutes", ogg(16000, 16000*90), read(16000), "89 s (1.5 min, 98.9%) of the audio will not be scored: the API reads 16,000 of its 1,440,000 frames"},
		// An estimated length (MPEG without a Xing header) that the read
		// falls short of loses nothing; one it goes past does.
		{"estimate not reached", &Info{Opens: true, SampleRate: 16000, Frames: 24480, LengthEstimated: true}, read(24192),
			"the API reads 24,192 frames, 0.018 s (1.2%) fewer than the length it estimates from the file size (nothing is lost)"},
		{"estimate passed", &Info{Opens: true, SampleRate: 16000, Frames: 5296, LengthEstimated: true}, &ReadResult{FramesRead: 5296, FramesHeld: 10944},
			"0.353 s (51.6%) of the audio will not be scored: the API reads 5,296 of its 10,944 frames"},
		{"no rate", &Info{Opens: true, Frames: 10, FramesHeld: 20}, read(10), "10 frames (50.0%)"},
		{"header only: at least", ogg(100, 16100), nil,
			"at least 1.000 s (99.4%) of the audio will not be scored: the header shows 16,100 frames, the API reads at most 100"},
		{"header only, nothing shown", ogg(100, 0), nil, ""},
		// Rejected anyway: nothing is scored, and the rejection says why.
		{"read error", ogg(16000, 0), &ReadResult{FramesRead: 100, ReadError: "bad"}, ""},
		{"zero frames", ogg(16000, 0), read(0), ""},
		{"length unknown", &Info{Opens: true, LengthUnknown: true, SampleRate: 16000, FramesHeld: 5}, read(1), ""},
		{"does not open", &Info{FramesHeld: 5}, nil, ""},
		{"nil info", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(Unscored(tt.info, tt.read), "\n")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567", 100000: "100,000"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}
