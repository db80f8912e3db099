//go:build !purego

package cpufeature

// cpuid executes CPUID for a leaf and sub-leaf.
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// xgetbv0 is XCR0, the register states the OS saves on a context switch.
func xgetbv0() (eax, edx uint32)

func detect() Set {
	var s Set
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf >= 1 {
		_, _, ecx1, _ := cpuid(1, 0)
		if ecx1&(1<<1) != 0 {
			s |= PCLMULQDQ
		}
		if ecx1&(1<<9) != 0 {
			s |= SSSE3
		}
		// AVX needs the OS to save the upper halves of the YMM registers
		// as well as the XMM ones (XCR0 bits 1 and 2), which XGETBV can
		// only be asked for when OSXSAVE (ECX bit 27) says it may.
		if ecx1&(1<<27) != 0 && ecx1&(1<<28) != 0 {
			if xcr0, _ := xgetbv0(); xcr0&6 == 6 {
				s |= AVX
			}
		}
	}
	if maxLeaf >= 7 {
		if _, ebx7, _, _ := cpuid(7, 0); ebx7&(1<<8) != 0 {
			s |= BMI2
		}
	}
	if maxExt, _, _, _ := cpuid(0x80000000, 0); maxExt >= 0x80000001 {
		if _, _, ecx, _ := cpuid(0x80000001, 0); ecx&(1<<5) != 0 {
			s |= LZCNT
		}
	}
	return s
}
