package ogg

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestSpanMap runs random buffer operations on a spanMap and on a written
// buffer side by side: they must hold the same bytes after every step.
func TestSpanMap(t *testing.T) {
	file := make([]byte, 4096)
	for i := range file {
		file[i] = byte(i*7 + i>>8)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 2000 {
		m := spanMap{limit: 1 << 30}
		var buf []byte // the written buffer
		for step := range 40 {
			a := rng.IntN(300)
			b := a + rng.IntN(200)
			switch op := rng.IntN(4); op {
			case 0, 1: // a read of file bytes into [a, b)
				src := int64(rng.IntN(len(file) - (b - a)))
				if b > len(buf) {
					buf = append(buf, make([]byte, b-len(buf))...)
				}
				copy(buf[a:b], file[src:])
				m.set(a, b, src, 0)
			case 2: // memmove within what is written
				if len(buf) == 0 {
					continue
				}
				a, b = min(a, len(buf)), min(b, len(buf))
				dst := rng.IntN(len(buf) - (b - a) + 1)
				copy(buf[dst:], buf[a:b])
				m.move(dst, a, b)
			case 3: // positions left behind a fill are described afresh
				floor := rng.IntN(len(buf) + 1)
				a, b = min(max(a, floor), len(buf)), min(max(b, floor), len(buf))
				src := int64(rng.IntN(len(file) - (b - a)))
				copy(buf[a:b], file[src:])
				m.set(a, b, src, floor)
				// below floor the map need not say anything any more
				for _, s := range m.spans {
					if a < b && s.end <= floor {
						t.Fatalf("round %d step %d: span %+v kept below %d", round, step, s, floor)
					}
				}
				got := make([]byte, len(buf)-floor)
				m.read(file, got, floor)
				if !bytes.Equal(got, buf[floor:]) {
					t.Fatalf("round %d step %d: after set above %d the map differs", round, step, floor)
				}
				copy(buf[:floor], make([]byte, floor))
				m.set(0, floor, -1, 0)
			}
			for i := 1; i < len(m.spans); i++ {
				if m.spans[i-1].end > m.spans[i].start || m.spans[i].start >= m.spans[i].end {
					t.Fatalf("round %d step %d: spans out of order: %+v", round, step, m.spans)
				}
			}
			got := make([]byte, len(buf)+10)
			m.read(file, got, 0)
			if !bytes.Equal(got[:len(buf)], buf) || !bytes.Equal(got[len(buf):], make([]byte, 10)) {
				t.Fatalf("round %d step %d: map and buffer differ", round, step)
			}
			for range 5 {
				if len(buf) == 0 {
					break
				}
				i := rng.IntN(len(buf))
				if m.at(file, i) != buf[i] {
					t.Fatalf("round %d step %d: at(%d)", round, step, i)
				}
				j := i + rng.IntN(len(buf)-i+1)
				if s, ok := m.slice(file, i, j); ok && !bytes.Equal(s, buf[i:j]) {
					t.Fatalf("round %d step %d: slice(%d, %d)", round, step, i, j)
				}
			}
		}
	}
}
