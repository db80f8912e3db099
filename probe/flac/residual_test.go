package flac

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

// riceCodes codes the residuals with parameter p, then pads with zero bits.
func riceCodes(res []int32, p uint) []byte {
	var w bitWriter
	for _, v := range res {
		u := uint32(v<<1) ^ uint32(v>>31)
		for q := u >> p; q > 0; q -= min(q, 64) {
			w.put(0, uint(min(q, 64)))
		}
		w.put(1, 1)
		w.put(uint64(u&(1<<p-1)), p)
	}
	return w.bytes()
}

// randomResiduals draws n residuals of about 2^p magnitude; long sets
// some far larger, so that codes longer than 32 bits occur.
func randomResiduals(rng *rand.Rand, n int, p uint, long bool) []int32 {
	res := make([]int32, n)
	for i := range res {
		v := rng.NormFloat64() * float64(uint64(1)<<p)
		if long && rng.IntN(20) == 0 {
			v *= 1 << 6
		}
		res[i] = int32(max(min(v, 1<<30), -1<<30))
	}
	return res
}

// TestRiceLPC8 runs riceLPC8 (the assembly on amd64) and riceLPC8Go on
// the same random streams — every Rice parameter, orders 1 to 8, codes
// longer than 32 bits, windows ending anywhere — and requires the same
// samples, fit bits, stopping point and bit position.
func TestRiceLPC8(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for p := range uint(31) {
		for trial := range 20 {
			res := randomResiduals(rng, 300, p, trial%2 == 1)
			buf := riceCodes(res, p)
			buf = buf[:rng.IntN(len(buf)+1)] // the window may end anywhere
			var c [8]int32
			for k := range 1 + rng.IntN(8) {
				c[k] = int32(rng.IntN(1<<13)) - 1<<12
			}
			shift := uint(rng.IntN(16))
			data := make([]int32, 308)
			for i := range 8 {
				data[i] = int32(rng.IntN(1<<16)) - 1<<15
			}
			want := slices.Clone(data)
			wantCur, gotCur := riceCursor{}, riceCursor{}
			wantEnd, wantAcc := riceLPC8Go(want, 8, buf, &wantCur, p, &c, shift)
			gotEnd, gotAcc := riceLPC8(data, 8, buf, &gotCur, p, &c, shift)
			if gotEnd != wantEnd || gotAcc != wantAcc || gotCur != wantCur || !slices.Equal(data, want) {
				t.Fatalf("p %d trial %d: end %d acc %#x cursor %+v, want %d %#x %+v", p, trial, gotEnd, gotAcc, gotCur, wantEnd, wantAcc, wantCur)
			}
			if wantEnd > 8 && !slices.Equal(res[:wantEnd-8], residualsOf(want[:wantEnd], c[:], shift)) {
				t.Fatalf("p %d trial %d: the samples do not hold the residuals coded", p, trial)
			}
		}
	}
}

// residualsOf undoes the prediction: what was added to each sample.
func residualsOf(data []int32, c []int32, shift uint) []int32 {
	var out []int32
	for i := 8; i < len(data); i++ {
		var sum int32
		for k, v := range c {
			sum += v * data[i-1-k]
		}
		out = append(out, data[i]-sum>>shift)
	}
	return out
}

// TestReadRestoring decodes partitions through the decoder's bit reader —
// small windows, so that codes straddle refills and slides — and compares
// with residuals read one code at a time and restored afterwards.
func TestReadRestoring(t *testing.T) {
	t.Cleanup(setWindowSize(windowSize)) // each trial sets its own
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		p := uint(rng.IntN(31))
		order := 1 + rng.IntN(8)
		res := randomResiduals(rng, 1000, p, trial%3 == 0)
		stream := append(riceCodes(res, p), make([]byte, 16)...)
		var pred predictor
		pred.order, pred.shift = order, uint(rng.IntN(16))
		for k := range order {
			pred.coef[k] = int32(rng.IntN(1<<13)) - 1<<12
		}
		warm := make([]int32, order)
		for i := range warm {
			warm[i] = int32(rng.IntN(1<<16)) - 1<<15
		}

		want := append(slices.Clone(warm), res...)
		wantAcc := pred.restoreRange(want, order, len(want))

		var d decoder
		windowSize = 16 + rng.IntN(200)
		d.br.reset(bytes.NewReader(stream), int64(len(stream)))
		got := append(slices.Clone(warm), make([]int32, len(res))...)
		acc, status := d.readRestoring(got, order, len(got), p, &pred)
		if status != restoredOK || acc != wantAcc || !slices.Equal(got, want) {
			t.Fatalf("trial %d (p %d, order %d): status %d, acc %#x want %#x, samples equal %v",
				trial, p, order, status, acc, wantAcc, slices.Equal(got, want))
		}
	}
}

// FuzzRiceLPC8 compares the two kernels on arbitrary bits and predictors.
func FuzzRiceLPC8(f *testing.F) {
	f.Add(uint8(9), uint8(10), make([]byte, 32), riceCodes([]int32{1, -2, 300, -4000, 5}, 9))
	f.Fuzz(func(t *testing.T, p, shift uint8, coefs, buf []byte) {
		var c [8]int32
		for k := range min(len(coefs)/4, 8) {
			c[k] = int32(binary.LittleEndian.Uint32(coefs[4*k:]))
		}
		data := make([]int32, 64)
		for i := range 8 {
			data[i] = int32(i*1000 - 4000)
		}
		want := slices.Clone(data)
		var wantCur, gotCur riceCursor
		wantEnd, wantAcc := riceLPC8Go(want, 8, buf, &wantCur, uint(p%31), &c, uint(shift%32))
		gotEnd, gotAcc := riceLPC8(data, 8, buf, &gotCur, uint(p%31), &c, uint(shift%32))
		if gotEnd != wantEnd || gotAcc != wantAcc || gotCur != wantCur || !slices.Equal(data, want) {
			t.Fatalf("end %d acc %#x cursor %+v, want %d %#x %+v", gotEnd, gotAcc, gotCur, wantEnd, wantAcc, wantCur)
		}
	})
}

// BenchmarkRiceLPC8 times the kernel (the assembly on amd64) and its Go
// version on 4096 speech-like residuals, parameter 9, order 8.
func BenchmarkRiceLPC8(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	res := randomResiduals(rng, 4096, 9, false)
	buf := append(riceCodes(res, 9), make([]byte, 8)...)
	c := [8]int32{1961, -1877, 798, 402, -174, -485, 824, -490}
	data := make([]int32, 8+len(res))
	for _, k := range []struct {
		name string
		f    func([]int32, int, []byte, *riceCursor, uint, *[8]int32, uint) (int, int32)
	}{{"riceLPC8", riceLPC8}, {"riceLPC8Go", riceLPC8Go}} {
		b.Run(k.name, func(b *testing.B) {
			b.SetBytes(int64(len(res)))
			for b.Loop() {
				var cur riceCursor
				if end, _ := k.f(data, 8, buf, &cur, 9, &c, 10); end != len(data) {
					b.Fatal("stopped at", end)
				}
			}
		})
	}
}
