// Package prefault allocates memory whose pages are the process's own
// from the start.
//
// Fresh heap memory comes from the kernel unmapped. When its first touch
// is a read — a pooled state's fields read before any is written, a
// buffer's length checked — Linux maps the shared zero page, and the
// first write then copies it and must flush the page from the TLB of
// every CPU running the process: an inter-processor interrupt, which in a
// virtual machine is a trip through the hypervisor. With another thread
// running, a page touched read-then-write costs 17.9 µs on the benchmark
// machine against 0.8 µs written first (BenchmarkFirstTouch, 2 vCPUs); a
// header check of 1000 small files took about 18 such flushes in its
// checking phase.
// New writes one byte in each page of the object before handing it out,
// so its first touch is a write.
package prefault

import "unsafe"

// pageSize is the smallest page of the platforms the tool runs on; on a
// larger page the writes land more than once in a page, which costs
// nothing.
const pageSize = 4096

// New allocates a zero T and makes each page it spans the process's own.
func New[T any]() *T {
	p := new(T)
	touch(unsafe.Pointer(p), unsafe.Sizeof(*p))
	return p
}

// touch writes a zero byte into each page of the size bytes at p, which
// are zero and not yet shared: the first, each page start after it, and
// the last. It is not inlined: inlined after new(T), the compiler drops
// the stores it can see write zero into fresh memory (the first and the
// last), and with them the write to the object's first page.
//
//go:noinline
func touch(p unsafe.Pointer, size uintptr) {
	if size == 0 {
		return
	}
	*(*byte)(p) = 0
	next := pageSize - uintptr(p)%pageSize
	for off := next; off < size; off += pageSize {
		*(*byte)(unsafe.Add(p, off)) = 0
	}
	*(*byte)(unsafe.Add(p, size-1)) = 0
}
