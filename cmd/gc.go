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
// is as fast as 400 there.
const checkGCPercent = 200

// checkMemoryLimit caps the heap growth checkGCPercent allows, unless
// GOMEMLIMIT is set: with a live heap of 12 MB (a window of rejected
// results, hints and findings) GOGC=200 let 200,000 rejected MP3s reach 71
// MB of peak RSS, 39 MB at GOGC=100; with this limit it is 49 MB, at the
// speed of GOGC=200. The limit is soft: a check whose live heap is larger
// (many spools in memory at once) is collected more often, never stopped.
const checkMemoryLimit = 40 << 20

// relaxGC sets checkGCPercent and checkMemoryLimit for the length of a
// check; the returned function puts the previous settings back.
func relaxGC(getenv func(string) string) (restore func()) {
	oldPercent, oldLimit := -2, int64(-1)
	if getenv("GOGC") == "" {
		oldPercent = debug.SetGCPercent(checkGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		oldLimit = debug.SetMemoryLimit(checkMemoryLimit)
	}
	return func() {
		if oldPercent != -2 {
			debug.SetGCPercent(oldPercent)
		}
		if oldLimit >= 0 {
			debug.SetMemoryLimit(oldLimit)
		}
	}
}
