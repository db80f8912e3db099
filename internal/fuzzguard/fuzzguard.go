// Package fuzzguard bounds the time one fuzz input may take, the same way
// in every fuzz target of the project.
//
// Every target starts its function with
//
//	f.Fuzz(func(t *testing.T, data []byte) {
//		defer fuzzguard.Watch(len(data))()
//		...
//	})
//
// and TestEveryFuzzTargetIsWatched holds them to it.
package fuzzguard

import (
	"fmt"
	"time"
)

// PerInput is how long one input may run: parsers answer a 64 KiB input in
// milliseconds, so this is far beyond any honest input, even under -race
// on a loaded machine, and still short enough for a fuzzing session.
const PerInput = 10 * time.Second

// Watch starts the watchdog of one input of n bytes and returns the
// function that stops it. An input that runs longer panics the process
// from the watchdog's goroutine: a parser stuck in a loop cannot be stopped
// from outside (t.Fatal from another goroutine leaves it running), and the
// fuzzing engine saves the input that crashed its worker as a failure.
func Watch(n int) (stop func()) {
	return watch(n, PerInput)
}

func watch(n int, limit time.Duration) (stop func()) {
	t := time.AfterFunc(limit, func() {
		panic(fmt.Sprintf("fuzzguard: one fuzz input (%d bytes) ran for more than %s", n, limit))
	})
	return func() { t.Stop() }
}
