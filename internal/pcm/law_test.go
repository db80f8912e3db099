package pcm

import "testing"

func TestLawTables(t *testing.T) {
	for i := range 256 {
		if got, want := muLaw[i], expandMuLaw(byte(i)); got != want {
			t.Errorf("muLaw[%#02x] = %d, the expansion gives %d", i, got, want)
		}
		if got, want := aLaw[i], expandALaw(byte(i)); got != want {
			t.Errorf("aLaw[%#02x] = %d, the expansion gives %d", i, got, want)
		}
	}
}

// expandMuLaw and expandALaw are G.711's expansion rules, as libsndfile's
// tables were made.
func expandMuLaw(u byte) int16 {
	u = ^u
	t := (int(u&0x0f) << 3) + 0x84
	t <<= (u & 0x70) >> 4
	if u&0x80 != 0 {
		return int16(0x84 - t)
	}
	return int16(t - 0x84)
}

func expandALaw(a byte) int16 {
	a ^= 0x55
	t := int(a&0x0f) << 4
	seg := (a & 0x70) >> 4
	switch seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t += 0x108
		t <<= seg - 1
	}
	if a&0x80 != 0 {
		return int16(t)
	}
	return int16(-t)
}
