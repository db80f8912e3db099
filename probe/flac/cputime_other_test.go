//go:build !unix

package flac_test

import "time"

// cpuTime is zero where the process's CPU time is not at hand (Windows,
// WebAssembly): the workload then reports the wall clock only.
func cpuTime() time.Duration { return 0 }
