package sndfile

import "testing"

// KnownChannelLayout knows libsndfile's tags and no others.
func TestKnownChannelLayout(t *testing.T) {
	for _, c := range []struct {
		tag  int32
		want bool
	}{
		{0, true},            // kAudioChannelLayoutTag_UseChannelDescriptions
		{1 << 16, true},      // UseChannelBitmap
		{100<<16 | 1, true},  // Mono
		{101<<16 | 2, true},  // Stereo
		{144<<16 | 8, true},  // the last one listed
		{100<<16 | 2, false}, // Mono's number with two channels
		{103<<16 | 2, false}, // not in libsndfile's table
		{145<<16 | 8, false}, // past the table
		{-1, false},
	} {
		if got := KnownChannelLayout(c.tag); got != c.want {
			t.Errorf("KnownChannelLayout(%d<<16 | %d) = %v, want %v", c.tag>>16, c.tag&0xffff, got, c.want)
		}
	}
}
