package prefault

import (
	"encoding/binary"
	"os"
	"testing"
	"unsafe"
)

// TestNewMapsEveryPage asks the kernel (/proc/self/pagemap) whether each
// page of objects from New is mapped: a page New did not write is not,
// when the heap handed out fresh memory (a large object in a young test
// process almost always gets it). The compiler drops stores of zero it
// can prove land in fresh memory, which once took the write to the first
// page with it.
func TestNewMapsEveryPage(t *testing.T) {
	pagemap, err := os.Open("/proc/self/pagemap")
	if err != nil {
		t.Skip("no pagemap:", err)
	}
	defer pagemap.Close()
	present := func(addr uintptr) bool {
		var entry [8]byte
		if _, err := pagemap.ReadAt(entry[:], int64(addr/pageSize)*8); err != nil {
			t.Fatal(err)
		}
		return binary.LittleEndian.Uint64(entry[:])&(1<<63) != 0
	}
	type odd struct {
		gen  uint32
		rest [16*pageSize + 100]byte
	}
	for range 4 {
		p := New[odd]()
		start := uintptr(unsafe.Pointer(p))
		end := start + unsafe.Sizeof(*p)
		for page := start / pageSize; page <= (end-1)/pageSize; page++ {
			if !present(page * pageSize) {
				t.Errorf("page %d of %d of an object from New is not mapped", page-start/pageSize, (end-1)/pageSize-start/pageSize+1)
			}
		}
		if p.gen != 0 {
			t.Fatal("not zero")
		}
	}
}
