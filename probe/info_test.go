package probe

import (
	"encoding/json"
	"testing"
)

func TestInfoJSON(t *testing.T) {
	tests := []struct {
		info Info
		want string
	}{
		{Info{Container: "wav", Opens: true, SampleRate: 16000, Channels: 1, Frames: 24000, Size: 48044},
			`{"container":"wav","opens":true,"sample_rate":16000,"channels":1,"size_bytes":48044,"frames":24000,"duration_seconds":1.5}`},
		{Info{Container: "flac", Opens: true, SampleRate: 48000, Channels: 2, LengthUnknown: true, Size: 10},
			`{"container":"flac","opens":true,"sample_rate":48000,"channels":2,"length_unknown":true,"size_bytes":10,"frames":null,"duration_seconds":null}`},
		{Info{Container: "unknown", OpenError: "format not recognised", Size: 3},
			`{"container":"unknown","opens":false,"open_error":"format not recognised","size_bytes":3,"frames":null,"duration_seconds":null}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.info)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("got  %s\nwant %s", b, tt.want)
		}
	}
}
