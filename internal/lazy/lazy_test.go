package lazy

import (
	"sync"
	"sync/atomic"
	"testing"
)

var calls atomic.Int32

var answer = Value[*int]{New: func() *int {
	calls.Add(1)
	n := 42
	return &n
}}

func TestValueMadeOnceOnFirstGet(t *testing.T) {
	if n := calls.Load(); n != 0 {
		t.Fatalf("New ran %d times before the first Get", n)
	}
	var wg sync.WaitGroup
	got := make([]*int, 8)
	for i := range got {
		wg.Go(func() { got[i] = answer.Get() })
	}
	wg.Wait()
	for i, p := range got {
		if p == nil || *p != 42 || p != got[0] {
			t.Fatalf("Get %d returned %v, want the one value 42 (%v)", i, p, got[0])
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("New ran %d times, want 1", n)
	}
}

func BenchmarkGet(b *testing.B) {
	answer.Get()
	for b.Loop() {
		if answer.Get() == nil {
			b.Fatal("nil")
		}
	}
}
