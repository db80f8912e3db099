package resample

import (
	"math"
	"sync"
)

// polyphase converts between any two rates with a windowed-sinc lowpass
// evaluated at the exact position of every output sample. The ratio
// out/in is reduced to L/M; output n sits M/L·n input samples in, between
// input i = ⌊nM/L⌋ and i+1 at phase φ = nM mod L. With at most maxPhases
// phases the table holds each phase's 2K taps; with more (odd rates), it
// holds tablePhases+1 evenly spaced phases and an output blends the two
// nearest ones linearly (the kernel is smooth enough at that spacing for
// an error below −115 dB).
type polyphase struct {
	l, m    int64
	k       int         // taps a side: x[i-K+1..i+K]
	table   [][]float32 // [phase][2K]
	exact   bool        // one table row per phase
	phase   int64       // φ of the next output
	hist    []float32   // input from x[i-K+1] of the next output on
	next    int         // index in hist of x[i] of the next output
	workers int         // goroutines for one block of output
}

const (
	maxPhases   = 2048
	tablePhases = 1024
)

// newPolyphase designs the converter from rate in/div (div a power of
// two: the rate after div:1 of halfband stages) to rate out with its cutoff
// at fc Hz, a transition band tw Hz wide, and atten dB stopband.
func newPolyphase(in, div, out int64, fc, tw, atten float64) *polyphase {
	g := gcd(in, out*div)
	p := &polyphase{l: out * div / g, m: in / g}
	rate := float64(in) / float64(div)
	n := kaiserLength(atten, tw/rate)
	// taps a side: a multiple of 4, so that a row's 2K taps are whole
	// vectors of 8 (see dot)
	p.k = max((n+1)/2+3, 4) &^ 3
	rows := p.l
	p.exact = rows <= maxPhases
	if !p.exact {
		rows = tablePhases + 1
	}
	cut := fc / rate
	key := tableKey{p.l, p.k, cut, atten, rows}
	if t, ok := tables.get(key); ok {
		p.table = t
	} else {
		p.table = design(p.l, p.k, rows, p.exact, cut, atten)
		tables.put(key, p.table)
	}
	p.hist = make([]float32, p.k-1, p.k-1+blockSize)
	p.next = p.k - 1
	return p
}

// design computes the table: rows phases of 2k taps.
func design(l int64, k int, rows int64, exact bool, cut, atten float64) [][]float32 {
	win := newWindow(kaiserBeta(atten))
	table := make([][]float32, rows)
	taps := make([]float64, 2*k)
	for r := range table {
		var frac float64
		if exact {
			frac = float64(r) / float64(l)
		} else {
			frac = float64(r) / tablePhases
		}
		sum := 0.0
		for j := range taps {
			tau := float64(j-k+1) - frac
			taps[j] = lowpass(tau, cut, float64(k), win)
			sum += taps[j]
		}
		row := make([]float32, len(taps))
		for j, v := range taps {
			// each phase passes DC exactly, so the passband does not
			// ripple with the phase
			row[j] = float32(v / sum)
		}
		table[r] = row
	}
	return table
}

// tableKey identifies a design.
type tableKey struct {
	l     int64
	k     int
	cut   float64
	atten float64
	rows  int64
}

// tableCache keeps the last few designs: a run over many files at the
// same rate designs the filter once. Tables are never written after
// design, so converters share them.
type tableCache struct {
	mu sync.Mutex
	m  map[tableKey][][]float32
}

const maxCachedTables = 8

// tables' map is made by the first put: most runs design no filter.
var tables tableCache

func (c *tableCache) get(k tableKey) ([][]float32, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.m[k]
	return t, ok
}

func (c *tableCache) put(k tableKey, t [][]float32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[tableKey][][]float32{}
	}
	if len(c.m) >= maxCachedTables {
		clear(c.m)
	}
	c.m[k] = t
}

func (p *polyphase) taps() int { return 2 * p.k }

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// process appends the output for in to dst.
func (p *polyphase) process(dst, in []float32) []float32 {
	p.hist = append(p.hist, in...)
	x := p.hist
	k := p.k
	// output n+1 is q input samples and r phases on from output n
	q, r := int(p.m/p.l), p.m%p.l
	// how many outputs the input present allows: x[i+k] must exist
	count := 0
	for i, phase := p.next, p.phase; i+k < len(x); count++ {
		i += q
		if phase += r; phase >= p.l {
			phase -= p.l
			i++
		}
	}
	out, dst := grow(dst, count)
	var i int
	var phase int64
	if p.workers > 1 && count >= parallelMin {
		// two halves at once: both only read x
		half := count / 2
		hi, hphase := p.advance(p.next, p.phase, half)
		var wg sync.WaitGroup
		wg.Go(func() { p.run(out[half:], x, hi, hphase) })
		p.run(out[:half], x, p.next, p.phase)
		wg.Wait()
		i, phase = p.advance(hi, hphase, count-half)
	} else {
		i, phase = p.run(out, x, p.next, p.phase)
	}
	keep := i - k + 1
	p.hist = p.hist[:copy(p.hist, p.hist[keep:])]
	p.next = i - keep
	p.phase = phase
	return dst
}

// parallelMin is the least number of outputs worth splitting between two
// goroutines.
const parallelMin = 1024

// advance moves the position (x index, phase) on by n outputs.
func (p *polyphase) advance(i int, phase int64, n int) (int, int64) {
	steps := int64(n) * p.m
	phase += steps % p.l
	i += int(steps / p.l)
	if phase >= p.l {
		phase -= p.l
		i++
	}
	return i, phase
}

// run computes out from position (i, phase) and returns the position after.
func (p *polyphase) run(out, x []float32, i int, phase int64) (int, int64) {
	k := p.k
	q, r := int(p.m/p.l), p.m%p.l
	var scratch []float32
	if !p.exact {
		scratch = make([]float32, 2*k)
	}
	avx := hasAVX()
	for n := range out {
		var c []float32
		if p.exact {
			c = p.table[phase]
		} else {
			c = p.blend(scratch, phase)
		}
		out[n] = dot(avx, c, x[i-k+1:i+k+1])
		i += q
		if phase += r; phase >= p.l {
			phase -= p.l
			i++
		}
	}
	return i, phase
}

// blend is the kernel at phase φ/L between two table rows.
func (p *polyphase) blend(dst []float32, phase int64) []float32 {
	pos := float64(phase) / float64(p.l) * tablePhases
	r := int(pos)
	a := float32(pos - math.Floor(pos))
	lo, hi := p.table[r], p.table[r+1]
	for j := range dst {
		dst[j] = lo[j] + float32(a*(hi[j]-lo[j]))
	}
	return dst
}
