package ogg

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPacketsOut: packetsOut is packetout called again and again, on
// streams with holes, packets of many segments and flags.
func TestPacketsOut(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 3000 {
		var s stream
		for len(s.lacing) < 40 {
			switch r := rng.IntN(10); {
			case r == 0:
				s.lacing = append(s.lacing, lacingHole)
			case r < 3:
				for range rng.IntN(3) + 1 {
					s.lacing = append(s.lacing, 255)
				}
				s.lacing = append(s.lacing, int32(rng.IntN(255)))
			default:
				v := int32(rng.IntN(255))
				if rng.IntN(8) == 0 {
					v |= lacingEOS
				}
				if rng.IntN(8) == 0 {
					v |= lacingBOS
				}
				s.lacing = append(s.lacing, v)
			}
		}
		for range s.lacing {
			s.granules = append(s.granules, rng.Int64N(1000)-1)
		}
		s.lacingPacket = len(s.lacing)
		s.lacingReturned = rng.IntN(3)
		s.bodyReturned = rng.IntN(100)
		s.packetno = rng.Int64N(10)
		one := s
		one.lacing, one.granules = slices.Clone(s.lacing), slices.Clone(s.granules)
		dst := make([]packet, rng.IntN(12))
		n, ret := s.packetsOut(dst)
		want := make([]packet, len(dst))
		wantN, wantRet := 0, 1
		for wantN < len(want) {
			if wantRet = one.packetout(&want[wantN], true); wantRet != 1 {
				break
			}
			wantN++
		}
		if n != wantN || ret != wantRet || !slices.Equal(dst, want) ||
			s.lacingReturned != one.lacingReturned || s.bodyReturned != one.bodyReturned || s.packetno != one.packetno {
			t.Fatalf("round %d: %d packets (%d) %+v, want %d (%d) %+v", round, n, ret, dst, wantN, wantRet, want)
		}
	}
}
