//go:build race

package spool

// raceDetector: the race detector allocates beside the code it watches, so
// the allocation bounds hold for ordinary builds only.
const raceDetector = true
