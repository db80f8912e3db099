package cmd

import (
	"runtime/debug"
	"testing"
)

func TestRelaxGCLeavesGOGCAlone(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	restore := relaxGC(func(string) string { return "" })
	if got := debug.SetGCPercent(checkGCPercent); got != checkGCPercent {
		t.Errorf("during a check: GC percent %d, want %d", got, checkGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after a check: GC percent %d, want 100 back", got)
	}

	restore = relaxGC(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set: GC percent changed to %d", got)
	}
	restore()
}
