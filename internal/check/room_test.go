package check

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/internal/run"
	"github.com/audiopreflight/audiopreflight/validate"
)

// A run builds its results in rooms that serve later inputs once a result
// is written (resultRooms), and reads its inputs with state each input
// leaves to the next: every result a run hands out must be the one its
// input gets checked on its own. The committed corpus, every format, is
// run on two workers, header only and in full, and each result (its JSON
// line, taken while emit has it) is compared with a check of its own.
func TestRunResultsAreThoseOfSingleChecks(t *testing.T) {
	var targets []Target
	for _, dir := range corpusDirs(t) {
		names, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if fi, err := os.Stat(n); err == nil && fi.Mode().IsRegular() {
				targets = append(targets, Target{Name: n, Source: report.SourceFile})
			}
		}
	}
	if len(targets) < 1000 {
		t.Fatalf("corpus: %d files", len(targets))
	}
	for _, headerOnly := range []bool{true, false} {
		c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit, HeaderOnly: headerOnly}}
		var got [][]byte
		err := c.Run(context.Background(), run.Slice(targets), RunOptions{Jobs: 2}, func(r *report.Result) error {
			line, err := json.Marshal(r)
			got = append(got, line)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, tg := range targets {
			want, err := json.Marshal(c.Check(context.Background(), tg))
			if err != nil {
				t.Fatal(err)
			}
			if string(got[i]) != string(want) {
				t.Errorf("%s, header only %v: in a run\n got %s\nwant %s", tg.Name, headerOnly, got[i], want)
			}
		}
	}
}

// TestHeaderCheckAllocationsPerInput bounds what a header check allocates
// per input, from the input's name to its result written: on a run of
// small files every allocated byte is a fresh page of heap to fault in
// (the heap only grows in the time such a run takes), and mallocgc's time
// besides. Over the mix of benchmarkInputs it measured 16.6 allocations
// and 2,507 bytes per input before a run's memory served one input after
// another, 3.7 and 332 after (most of them for the rejected inputs' words
// and the MP3's parser). The count is per input beyond what a run
// allocates once (the difference of two runs of different lengths).
func TestHeaderCheckAllocationsPerInput(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("allocation counts (the race detector drops pooled memory on purpose)")
	}
	targets := benchmarkInputs(t, 440)
	c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit, HeaderOnly: true}}
	out, err := report.New("text", io.Discard, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	runOf := func(n int) (allocs, bytes uint64) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := c.Run(context.Background(), run.Slice(targets[:n]), RunOptions{Jobs: 2}, out.Write); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc
	}
	// One CPU: the workers take turns, and a result waits behind a slower
	// one only as long as a batch takes.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	runOf(len(targets)) // pools filled, as in a run's steady state
	best := func(n int) (allocs, bytes uint64) {
		allocs, bytes = runOf(n)
		for range 4 {
			a, b := runOf(n)
			allocs, bytes = min(allocs, a), min(bytes, b)
		}
		return allocs, bytes
	}
	shortAllocs, shortBytes := best(110)
	longAllocs, longBytes := best(len(targets))
	inputs := float64(len(targets) - 110)
	perInputAllocs := (float64(longAllocs) - float64(shortAllocs)) / inputs
	perInputBytes := (float64(longBytes) - float64(shortBytes)) / inputs
	t.Logf("%.2f allocations, %.0f bytes per input", perInputAllocs, perInputBytes)
	if perInputAllocs > 4.5 || perInputBytes > 420 {
		t.Errorf("%.2f allocations and %.0f bytes per input, want at most 4.5 and 420", perInputAllocs, perInputBytes)
	}
}
