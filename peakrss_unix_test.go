//go:build unix

package main

import (
	"os"
	"syscall"
)

// peakRSS is the finished process's peak resident set size, in bytes.
func peakRSS(p *os.ProcessState) int64 {
	ru, ok := p.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	return int64(ru.Maxrss) << 10 // Linux counts KiB
}
