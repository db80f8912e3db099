//go:build !unix

package main

import "os"

// peakRSS is zero where the process's peak memory is not at hand
// (Windows, WebAssembly): the benchmarks then report time only.
func peakRSS(*os.ProcessState) int64 { return 0 }
