package cmd

import "runtime/debug"

// checkGCPercent is the garbage collector's heap growth during a check,
// unless GOGC is set. A check's live heap is small and bounded by design
// (the run's window of results and each worker's buffers,
// docs/architecture.md) while every input allocates a few KiB that die at
// once. At Go's default of 100 the collector ran twice in a header check of
// 1000 small files, at a cost of 14.4 → 10.8 ms of the run's wall time
// against GOGC=200 (hyperfine, 40 runs): the cycles come during start-up
// and the first inputs, when the heap is still at its 4 MB minimum. 200
// is as fast as 400 there and keeps a run of a million inputs well under
// its memory budget (CONTRIBUTING.md#benchmarks).
const checkGCPercent = 200

// relaxGC sets checkGCPercent for the length of a check; the returned
// function puts the previous setting back.
func relaxGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(checkGCPercent)
	return func() { debug.SetGCPercent(old) }
}
