package prefault

import (
	"encoding/binary"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
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

// BenchmarkFirstTouch is the claim of the package's comment: the first
// touch of fresh pages, written first or read first, while another thread
// of the process runs on a second CPU (as the other worker of a check
// does). Read first, Linux maps the zero page, and the write after it
// copies the page and flushes the other CPU's TLB.
func BenchmarkFirstTouch(b *testing.B) {
	for _, readFirst := range []bool{false, true} {
		name := "written-first"
		if readFirst {
			name = "read-first"
		}
		b.Run(name, func(b *testing.B) {
			var stop atomic.Bool
			go func() {
				runtime.LockOSThread()
				for !stop.Load() {
				}
			}()
			defer stop.Store(true)
			const pages = 512
			var sink byte
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				mem, err := syscall.Mmap(-1, 0, pages*pageSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				for i := 0; i < len(mem); i += pageSize {
					if readFirst {
						sink += mem[i]
					}
					mem[i] = 1
				}
				b.StopTimer()
				syscall.Munmap(mem)
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/pages, "ns/page")
			_ = sink
		})
	}
}
