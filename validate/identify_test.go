package validate

import (
	"fmt"
	"slices"
	"testing"
)

func TestIdentify(t *testing.T) {
	tests := []struct {
		text      string
		want      []string // name=params...
		matchedBy string
	}{
		{"AudioTooBigForSync", []string{"AudioTooBigForSync map[]"}, "name"},
		{"  invalidaudioformat\n", []string{"InvalidAudioFormat map[]"}, "name"},
		{"Client with 42 is not active", []string{"ClientIsNotActive map[user_id:42]"}, "message"},
		{"Client with a {b} c is not active", []string{"ClientIsNotActive map[user_id:a {b} c]"}, "message"},
		{`"Missing audio param!"`, []string{"MissingAudioParam map[]"}, "message"},
		{`{"detail": "The server failed to parse your mp3 audio"}`, []string{"FailedToConvertAudio map[audio_format:mp3]"}, "message"},
		{`{"message": "Invalid session token: abc…", "status": 401}`, []string{"InvalidSessionToken map[token:abc…]"}, "message"},
		{`{"error": {"type": "AudioTooBigForSync"}}`, []string{"AudioTooBigForSync map[]"}, "name"},
		{`[{"detail": "ASR timeout"}, {"detail": "Failed to decode audio"}]`, []string{"ASRSocketTimeout map[]", "FailedToDecodeAudioFromBytes map[]"}, "message"},
		{`{"name": "FailedToConvertAudio", "message": "The server failed to parse your ogg audio"}`, []string{"FailedToConvertAudio map[audio_format:ogg]"}, "message"},
		{`{"FailedToUseAudio": 1}`, nil, ""}, // keys are not values
		{"FailedToConvertAudio: The server failed to parse your wav audio", []string{"FailedToConvertAudio map[audio_format:wav]"}, "name"},
		{"FailedToConvertAudio('The server failed to parse your wav audio')", []string{"FailedToConvertAudio map[audio_format:wav]"}, "name"},
		{"2026-11-26 ERROR request 17 raised NoTokenProvided", []string{"NoTokenProvided map[]"}, "name in text"},
		{"2026-11-26 ERROR InvalidSessionToken: Invalid session token: tok_123", []string{"InvalidSessionToken map[token:tok_123]"}, "message in text"},
		{"HTTP 400: Client with 7 is not active. Retry later", []string{"ClientIsNotActive map[user_id:7]"}, "message in text"},
		{"error: exception in ASR: socket closed\nnext line", []string{"ASRInterProcessException map[error:socket closed]"}, "message in text"},
		{"AudioTooBig", nil, ""},
		{"", nil, ""},
		{"{not json", nil, ""},
	}
	for _, tt := range tests {
		var got []string
		ids := Identify(tt.text)
		for _, id := range ids {
			got = append(got, fmt.Sprintf("%s %v", id.Exception.Name, id.Params))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Identify(%q) = %q, want %q", tt.text, got, tt.want)
			continue
		}
		if len(ids) > 0 && ids[0].MatchedBy != tt.matchedBy {
			t.Errorf("Identify(%q) matched by %q, want %q", tt.text, ids[0].MatchedBy, tt.matchedBy)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		text  string
		first string
	}{
		{"AudioTooBig", "AudioTooBigForSync"},
		{"FailedToConvertAudo", "FailedToConvertAudio"},
		{"notokenprovided!", "NoTokenProvided"},
		{"InvalidSesionToken", "InvalidSessionToken"},
	}
	for _, tt := range tests {
		got := Suggest(tt.text, 3)
		if len(got) == 0 || got[0] != tt.first {
			t.Errorf("Suggest(%q) = %v, want %s first", tt.text, got, tt.first)
		}
	}
	if got := Suggest("completely unrelated words here", 3); len(got) != 0 {
		t.Errorf("Suggest(unrelated) = %v, want none", got)
	}
}
