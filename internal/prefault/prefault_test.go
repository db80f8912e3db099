package prefault

import (
	"testing"
	"unsafe"
)

type large struct {
	head [3 * pageSize]byte
	ptr  *int
	tail [pageSize / 2]byte
}

func TestNewIsZero(t *testing.T) {
	p := New[large]()
	if p.ptr != nil {
		t.Fatal("pointer not nil")
	}
	for i, b := range append(p.head[:], p.tail[:]...) {
		if b != 0 {
			t.Fatalf("byte %d = %d", i, b)
		}
	}
}

// TestTouchWritesEveryPage records the offsets touch writes for objects
// of many sizes at many page offsets: every page the object spans gets a
// write, and no write falls outside it.
func TestTouchWritesEveryPage(t *testing.T) {
	buf := make([]byte, 6*pageSize)
	base := uintptr(unsafe.Pointer(&buf[0]))
	for _, start := range []uintptr{0, 1, 100, pageSize - 1, pageSize, pageSize + 7} {
		for _, size := range []uintptr{1, 2, 100, pageSize - 1, pageSize, pageSize + 1, 2*pageSize + 5, 4 * pageSize} {
			for i := range buf {
				buf[i] = 0xff
			}
			p := unsafe.Pointer(&buf[start])
			touch(p, size)
			first, last := (base+start)/pageSize, (base+start+size-1)/pageSize
			for page := first; page <= last; page++ {
				wrote := false
				for a := max(page*pageSize, base+start); a < min((page+1)*pageSize, base+start+size); a++ {
					if buf[a-base] == 0 {
						wrote = true
						break
					}
				}
				if !wrote {
					t.Errorf("start %d size %d: page %d of the object not written", start, size, page-first)
				}
			}
			for i := range buf {
				if (uintptr(i) < start || uintptr(i) >= start+size) && buf[i] != 0xff {
					t.Fatalf("start %d size %d: wrote byte %d, outside the object", start, size, i)
				}
			}
		}
	}
}
