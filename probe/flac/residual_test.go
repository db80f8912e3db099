package flac

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
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
			if wantEnd > 8 && !slices.Equal(res[:wantEnd-8], residualsOf(want[:wantEnd], c[:], shift, 8)) {
				t.Fatalf("p %d trial %d: the samples do not hold the residuals coded", p, trial)
			}
		}
	}
}

// residualsOf undoes the prediction: what was added to each sample after
// the first order ones (the encoder's work, in libFLAC's 32-bit sums).
func residualsOf(data []int32, c []int32, shift uint, order int) []int32 {
	var out []int32
	for i := order; i < len(data); i++ {
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
// with residuals read one code at a time and restored afterwards. The
// samples are a signal of the subframe's depth with, in some trials, a few
// samples outside it and residuals too large for a 32-bit code; the pair
// kernel must give way where its sums stop being sure, and the result must
// not change.
func TestReadRestoring(t *testing.T) {
	t.Cleanup(setWindowSize(windowSize)) // each trial sets its own
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		bps := uint32(8 + rng.IntN(17))
		order := 1 + rng.IntN(12)
		outliers := trial%4 == 3
		// A predictor that fits a smooth signal: the binomial differences
		// of the order, scaled by the shift, a little off.
		var pred predictor
		pred.order, pred.shift = order, uint(1+rng.IntN(4))
		binom := int32(1)
		for k := range order {
			binom = binom * int32(order-k) / int32(k+1)
			c := binom << pred.shift
			if k%2 == 1 {
				c = -c
			}
			pred.coef[k] = c + int32(rng.IntN(7)) - 3
		}
		want := make([]int32, 1000)
		phase, step := rng.Float64(), 0.001+rng.Float64()/100
		for i := range want {
			amp := float64(int(1)<<(bps-1)) * 0.9
			want[i] = int32(amp*math.Sin(phase+step*float64(i))) + int32(rng.IntN(8)) - 4
			if outliers && i >= 500 {
				// Growing past the depth, with small residuals: the
				// samples leave the depth inside the kernels.
				want[i] = int32(min(amp*math.Pow(1.03, float64(i-500)), 1<<30)) + int32(rng.IntN(8))
			}
			if trial%4 == 2 && rng.IntN(300) == 0 {
				want[i] = 1<<30 - int32(rng.IntN(1<<20)) // far outside the depth
			}
		}
		res := residualsOf(want, pred.coef[:order], pred.shift, order)
		// A parameter near the residuals' typical size, now and then
		// smaller: codes longer than 32 bits, but not of millions.
		mags := make([]int32, len(res))
		for i, r := range res {
			mags[i] = max(r, -r)
		}
		slices.Sort(mags)
		p := uint(max(bits.Len32(uint32(mags[len(mags)/2]))-rng.IntN(3), 0))
		p = max(p, uint(max(bits.Len32(uint32(mags[len(mags)-1]))-12, 0)))
		if outliers {
			// Short codes even for the residuals of the growth: the
			// samples leave the depth inside the kernels.
			p = uint(max(bits.Len32(uint32(mags[len(mags)-1]))-2, 0))
		}
		stream := append(riceCodes(res, p), make([]byte, 16)...)
		wantAcc := int32(0)
		for _, v := range want {
			wantAcc |= fitBits(v)
		}
		for _, pairs := range []bool{false, true} {
			var d decoder
			windowSize = 16 + rng.IntN(200)
			if outliers {
				windowSize = 1 << 16 // one kernel call sees the samples leave the depth
			}
			d.br.reset(bytes.NewReader(stream), int64(len(stream)))
			got := append(slices.Clone(want[:order]), make([]int32, len(res))...)
			var acc int32
			for _, v := range got[:order] {
				acc |= fitBits(v)
			}
			var pp *pairPredictor
			if pairs {
				pp = pairsFor(&d.pairs, &pred, bps)
			}
			acc, status := d.readRestoring(got, order, len(got), p, &pred, pp, acc)
			if status != restoredOK || acc != wantAcc || !slices.Equal(got, want) {
				t.Fatalf("trial %d (p %d, order %d, depth %d, pairs %v): status %d, acc %#x want %#x, first difference at %d",
					trial, p, order, bps, pp != nil, status, acc, wantAcc, firstDiff(got, want))
			}
		}
	}
}

func firstDiff(a, b []int32) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// restoreSlowly is readRestoring's general path alone: one code at a time,
// each sample restored as it comes.
func restoreSlowly(b *bitReader, data []int32, from, to int, param uint, p *predictor, acc int32) (int32, riceRestoreStatus) {
	limit := uint32(0xFFFFFFFF) >> param
	for i := from; i < to; i++ {
		q, ok := b.readUnary()
		if !ok {
			return acc, restoredEOF
		}
		if q > limit {
			return acc, restoredInvalid
		}
		lsb, ok := b.readBits(param)
		if !ok {
			return acc, restoredEOF
		}
		v := q<<param | lsb
		data[i] = int32(v>>1) ^ -int32(v&1)
		acc |= p.restoreRange(data, i, i+1)
	}
	return acc, restoredOK
}

// FuzzReadRestoring reads arbitrary bits as a partition with arbitrary
// predictors of order up to 12 — through the kernels one sample a turn, two
// samples a turn where the depth allows, and the general path alone — and
// requires the same samples, fit bits, outcome and bit position.
func FuzzReadRestoring(f *testing.F) {
	f.Add(uint8(9), uint8(10), uint8(16), uint8(8), []byte{0x80, 0xa0, 0x10, 0xa8, 0x8a, 0x00, 0x03, 0x40, 0xfa, 0x0c},
		riceCodes([]int32{1, -2, 300, -4000, 5, 0, 0, 7, 1 << 20, -3}, 9))
	f.Fuzz(func(t *testing.T, param, shift, bps, order uint8, coefs, bits []byte) {
		defer fuzzguard.Watch(len(coefs) + len(bits))()
		var pred predictor
		pred.order, pred.shift = 1+int(order%12), uint(shift%16)
		for k := range min(len(coefs)/2, pred.order) {
			pred.coef[k] = int32(int16(binary.LittleEndian.Uint16(coefs[2*k:])))
		}
		depth := uint32(4 + bps%28)
		p := uint(param % 31)
		n := 12 + 4*len(bits)
		warm := make([]int32, pred.order)
		var acc0 int32
		for i := range warm {
			warm[i] = int32(i*37) % (1 << (depth - 1))
			acc0 |= fitBits(warm[i])
		}
		run := func(way int) ([]int32, int32, riceRestoreStatus, int64) {
			defer setWindowSize(24 + len(bits)%100)()
			var d decoder
			d.br.reset(bytes.NewReader(bits), int64(len(bits)))
			data := append(slices.Clone(warm), make([]int32, n-len(warm))...)
			var acc int32
			var status riceRestoreStatus
			switch way {
			case 0:
				acc, status = restoreSlowly(&d.br, data, pred.order, n, p, &pred, acc0)
			case 1:
				acc, status = d.readRestoring(data, pred.order, n, p, &pred, nil, acc0)
			default:
				acc, status = d.readRestoring(data, pred.order, n, p, &pred, pairsFor(&d.pairs, &pred, depth), acc0)
			}
			if status != restoredOK {
				data = nil // where it stopped, the samples are not looked at
			}
			return data, acc, status, d.br.bitPos()
		}
		wantData, wantAcc, wantStatus, wantPos := run(0)
		for way := 1; way <= 2; way++ {
			data, acc, status, pos := run(way)
			if status != wantStatus || pos != wantPos || !slices.Equal(data, wantData) || status == restoredOK && acc != wantAcc {
				t.Fatalf("way %d: status %d at bit %d, acc %#x; the general path: %d at %d, %#x; samples equal %v",
					way, status, pos, acc, wantStatus, wantPos, wantAcc, slices.Equal(data, wantData))
			}
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

// TestReadRice reads residuals with readRice — small windows, codes
// longer than 32 bits — and compares with the codes written.
func TestReadRice(t *testing.T) {
	t.Cleanup(setWindowSize(windowSize))
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 200 {
		p := uint(rng.IntN(31))
		res := randomResiduals(rng, 500, p, trial%2 == 1)
		stream := riceCodes(res, p)
		windowSize = 16 + rng.IntN(200)
		var b bitReader
		b.reset(bytes.NewReader(stream), int64(len(stream)))
		got := make([]int32, len(res))
		if status := b.readRice(got, p); status != riceOK || !slices.Equal(got, res) {
			t.Fatalf("trial %d (p %d): status %d, first difference at %d", trial, p, status, firstDiff(got, res))
		}
		if cut := stream[:len(stream)/2]; true {
			b.reset(bytes.NewReader(cut), int64(len(cut)))
			if status := b.readRice(got, p); status != riceEOF {
				t.Fatalf("trial %d: status %d at the end of the input, want riceEOF", trial, status)
			}
		}
	}
}
