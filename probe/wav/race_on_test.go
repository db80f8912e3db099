//go:build race

package wav_test

// raceDetector: under the race detector sync.Pool drops a share of what
// is put back, on purpose, so counts of allocations that pools avoid hold
// for ordinary builds only.
const raceDetector = true
