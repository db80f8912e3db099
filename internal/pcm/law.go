package pcm

// G.711 expansion (ITU-T G.711), the 16-bit values libsndfile's ulaw.c
// and alaw.c tables hold.

var muLaw, aLaw = func() (mu, a [256]int16) {
	for i := range 256 {
		mu[i] = expandMuLaw(byte(i))
		a[i] = expandALaw(byte(i))
	}
	return
}()

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
