package cmd

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestRelaxGCLeavesGOGCAlone(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	beforeLimit := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(beforeLimit)

	restore := relaxGC(func(string) string { return "" })
	if got := debug.SetGCPercent(checkGCPercent); got != checkGCPercent {
		t.Errorf("during a check: GC percent %d, want %d", got, checkGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != checkMemoryLimit {
		t.Errorf("during a check: memory limit %d, want %d", got, checkMemoryLimit)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after a check: GC percent %d, want 100 back", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("after a check: memory limit %d, want none back", got)
	}

	restore = relaxGC(func(k string) string {
		switch k {
		case "GOGC":
			return "50"
		case "GOMEMLIMIT":
			return "1GiB"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set: GC percent changed to %d", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set: memory limit changed to %d", got)
	}
	restore()
}
