// Package cpufeature tells which optional instructions of x86-64 the
// processor runs, for the assembly kernels of the FLAC and Ogg checks and
// of the resampler.
//
// The processor is asked on first use, not at start-up: every run starts
// (a header check of a thousand small files is mostly start-up), few reach
// a kernel, and in a virtual machine each CPUID instruction traps to the
// hypervisor. golang.org/x/sys/cpu asks in its package initialiser, on
// every start, so it is not used here.
package cpufeature

import "sync/atomic"

// Set is a set of features.
type Set uint32

// The features the kernels use (CPUID bits as in the Intel SDM, vol. 2A).
const (
	BMI2      Set = 1 << iota // leaf 7, EBX bit 8
	LZCNT                     // leaf 0x80000001, ECX bit 5
	PCLMULQDQ                 // leaf 1, ECX bit 1
	SSSE3                     // leaf 1, ECX bit 9
	AVX                       // leaf 1, ECX bit 28, and the OS saves the YMM registers (OSXSAVE, XCR0 bits 1 and 2)

	// asked marks the set as known, so that zero means "not asked yet".
	asked Set = 1 << 31
)

// known is the processor's Set with asked added, or zero before the first
// Has. Two first calls at once both ask and store the same value.
var known atomic.Uint32

// Has reports whether the processor runs every feature of fs. It is cheap
// (a load and a predictable branch, inlined), but a kernel's caller reads
// it once per input or per call, not per sample.
func Has(fs Set) bool {
	s := Set(known.Load())
	if s == 0 {
		s = ask()
	}
	return s&fs == fs
}

// ask asks the processor and remembers its answer.
func ask() Set {
	s := detect() | asked
	known.Store(uint32(s))
	return s
}
