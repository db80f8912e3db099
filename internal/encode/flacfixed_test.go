package encode

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	mewflac "github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
)

// TestRiceParamIsBest: the parameter chosen costs no more than any other.
func TestRiceParamIsBest(t *testing.T) {
	for _, u := range [][]uint32{{0, 0, 0}, {1, 2, 3, 4}, {100, 3, 7000, 12}, {1 << 20, 1 << 19, 5}} {
		k, cost := riceParam(u)
		for j := 0; j <= 30; j++ {
			c := int64(len(u)) * int64(j+1)
			for _, v := range u {
				c += int64(v >> uint(j))
			}
			if c < cost {
				t.Errorf("%v: k=%d costs %d, k=%d costs %d", u, k, cost, j, c)
			}
		}
	}
}

// TestFLACSignals: silence, a slow sine, a ramp that wraps and full-scale
// noise each round-trip exactly, with the coding one expects, and never
// larger than verbatim samples.
func TestFLACSignals(t *testing.T) {
	const n = 3*4096 + 100
	q := uint64(1)
	signals := map[string][]int16{}
	sil, sine, noise := make([]int16, n), make([]int16, n), make([]int16, n)
	for i := range n {
		sine[i] = int16(8000 * math.Sin(float64(i)*0.01))
		q = q*6364136223846793005 + 1442695040888963407
		noise[i] = int16(q >> 48)
	}
	signals["silence"], signals["sine"], signals["ramp"], signals["noise"] = sil, sine, ramp(n), noise
	want := map[string]frame.Pred{"silence": frame.PredConstant, "sine": frame.PredFixed, "noise": frame.PredVerbatim}
	for name, s := range signals {
		path := filepath.Join(t.TempDir(), name+".flac")
		f, _ := os.Create(path)
		w, err := New(f, FLAC, 16000, int64(n))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		st, err := mewflac.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		i := 0
		for {
			fr, err := st.ParseNext()
			if err != nil {
				break
			}
			if p, ok := want[name]; ok && fr.Subframes[0].Pred != p {
				t.Errorf("%s: a subframe coded %v, want %v", name, fr.Subframes[0].Pred, p)
			}
			for _, v := range fr.Subframes[0].Samples {
				if int16(v) != s[i] {
					t.Fatalf("%s: sample %d is %d, want %d", name, i, v, s[i])
				}
				i++
			}
		}
		st.Close()
		if i != n {
			t.Errorf("%s: %d samples, want %d", name, i, n)
		}
		if fi, _ := os.Stat(path); fi.Size() > int64(2*n+4*16+42+100) {
			t.Errorf("%s: %d bytes for %d samples", name, fi.Size(), n)
		}
	}
}
