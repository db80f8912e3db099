package run

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// count yields 0, 1, ... n-1, counting how many were read.
func count(n int, read *atomic.Int64) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for i := range n {
			read.Add(1)
			if !yield(i, nil) {
				return
			}
		}
	}
}

// TestOrderWithManyWorkers: whatever each input's time, the outputs come
// in input order, each once, with many workers (local and remote).
func TestOrderWithManyWorkers(t *testing.T) {
	for _, jobs := range []int{1, 3, 16} {
		var read atomic.Int64
		var got []int
		rng := rand.New(rand.NewPCG(1, uint64(jobs)))
		delays := make([]time.Duration, 2000)
		for i := range delays {
			if rng.IntN(10) == 0 {
				delays[i] = time.Duration(rng.IntN(500)) * time.Microsecond
			}
		}
		o := Options[int]{Jobs: jobs, RemoteJobs: 5, Remote: func(i int) bool { return i%7 == 3 }, Window: 64}
		err := Run(context.Background(), count(len(delays), &read), o, func(_ context.Context, i int) string {
			time.Sleep(delays[i])
			return fmt.Sprint(i)
		}, func(s string) error {
			var i int
			fmt.Sscan(s, &i)
			got = append(got, i)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(delays) {
			t.Fatalf("-j %d: %d outputs for %d inputs", jobs, len(got), len(delays))
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("-j %d: output %d is input %d", jobs, i, v)
			}
		}
	}
}

// TestStalledWriterBoundsWhatIsInFlight: while emit is stalled, the
// workers stop once the window is full and the feeder stops reading: the
// inputs read, and those worked on, are at most the window past what was
// written.
func TestStalledWriterBoundsWhatIsInFlight(t *testing.T) {
	const window, n = 64, 100000
	var read, worked atomic.Int64
	release := make(chan struct{})
	stalled := make(chan struct{})
	var once sync.Once
	emitted := 0
	go func() {
		<-stalled
		// Let the workers run into the full window.
		for worked.Load() < window && read.Load() < n {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		if r, w := read.Load(), worked.Load(); r > window+1 || w > window {
			t.Errorf("with the writer stalled after 1 result: %d inputs read, %d worked on (window %d)", r, w, window)
		}
		close(release)
	}()
	err := Run(context.Background(), count(n, &read), Options[int]{Jobs: 4, Window: window}, func(_ context.Context, i int) int {
		worked.Add(1)
		return i
	}, func(i int) error {
		if i == 0 {
			once.Do(func() { close(stalled) })
			<-release
		}
		emitted++
		// In flight: read but not written.
		if inFlight := read.Load() - int64(emitted); inFlight > window {
			return fmt.Errorf("%d inputs in flight, window %d", inFlight, window)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if emitted != n {
		t.Errorf("%d emitted, want %d", emitted, n)
	}
}

// TestEmitErrorStops: an emit error stops the run: it is returned, no
// later output is emitted, and the inputs stop being read.
func TestEmitErrorStops(t *testing.T) {
	var read atomic.Int64
	boom := errors.New("broken pipe")
	emitted := 0
	err := Run(context.Background(), count(1_000_000, &read), Options[int]{Jobs: 2, Window: 32}, func(ctx context.Context, i int) int {
		return i
	}, func(i int) error {
		emitted++
		if i == 10 {
			return boom
		}
		return nil
	})
	var ee *EmitError
	if !errors.As(err, &ee) || !errors.Is(err, boom) {
		t.Fatalf("error %v, want the emit error", err)
	}
	if emitted != 11 {
		t.Errorf("%d emitted", emitted)
	}
	time.Sleep(20 * time.Millisecond)
	if r := read.Load(); r > 1000 {
		t.Errorf("%d inputs read after the emit error", r)
	}
}

// TestSequenceError: an error the sequence yields ends the inputs there:
// those before it are emitted, in order, and Run returns it.
func TestSequenceError(t *testing.T) {
	bad := errors.New("NUL byte on line 6")
	seq := func(yield func(int, error) bool) {
		for i := range 5 {
			if !yield(i, nil) {
				return
			}
		}
		yield(0, bad)
	}
	var got []int
	err := Run(context.Background(), seq, Options[int]{Jobs: 3}, func(_ context.Context, i int) int { return i * 10 }, func(v int) error {
		got = append(got, v)
		return nil
	})
	if err != bad {
		t.Errorf("error %v", err)
	}
	if fmt.Sprint(got) != "[0 10 20 30 40]" {
		t.Errorf("emitted %v", got)
	}
}

// TestFlushIsTimedNotPerResult: Flush runs after a pause with output
// pending, never per result: a burst of results is flushed a few times at
// most, and output written before a slow input is flushed while it runs.
func TestFlushIsTimedNotPerResult(t *testing.T) {
	var flushes, emitted atomic.Int64
	var emittedAtFlush []int64
	var mu sync.Mutex
	o := Options[int]{Jobs: 2, FlushEvery: 10 * time.Millisecond, Flush: func() error {
		flushes.Add(1)
		mu.Lock()
		emittedAtFlush = append(emittedAtFlush, emitted.Load())
		mu.Unlock()
		return nil
	}}
	var read atomic.Int64
	err := Run(context.Background(), count(10001, &read), o, func(_ context.Context, i int) int {
		if i == 10000 {
			// The last input is slow: what came before must not wait
			// for it.
			time.Sleep(200 * time.Millisecond)
		}
		return i
	}, func(int) error {
		emitted.Add(1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(emittedAtFlush) == 0 || emittedAtFlush[len(emittedAtFlush)-1] != 10000 {
		t.Errorf("flushes at %v emitted results: the 10000 before the slow input were not flushed while it ran", emittedAtFlush)
	}
	if n := flushes.Load(); n > 100 {
		t.Errorf("%d flushes for 10001 results", n)
	}
}

// TestNoInputs: an empty sequence is an empty run.
func TestNoInputs(t *testing.T) {
	err := Run(context.Background(), Slice([]int(nil)), Options[int]{}, func(_ context.Context, i int) int { return i }, func(int) error {
		t.Error("emit called")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAllocationsPerInput bounds what the loop itself allocates per input:
// nothing per input beyond what the sequence and the work allocate.
func TestAllocationsPerInput(t *testing.T) {
	const n = 10000
	var read atomic.Int64
	allocs := testing.AllocsPerRun(5, func() {
		Run(context.Background(), count(n, &read), Options[int]{Jobs: 2}, func(_ context.Context, i int) int { return i }, func(int) error { return nil })
	})
	if perInput := allocs / n; perInput > 0.05 {
		t.Errorf("%.0f allocations for %d inputs (%.3f per input)", allocs, n, perInput)
	}
}
