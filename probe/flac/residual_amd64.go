//go:build !purego

package flac

// riceLPC8 is riceLPC8Go, in assembly (residual_amd64.s) where the
// processor has BMI2: the Go compiler keeps too few of the loop's values in
// registers, and this loop is most of the time a full check of a FLAC input
// takes.
func riceLPC8(data []int32, i int, buf []byte, cur *riceCursor, p uint, c *[8]int32, shift uint) (end int, acc int32) {
	if hasBMI2 {
		return riceLPC8BMI2(data, i, buf, cur, p, c, shift)
	}
	return riceLPC8Go(data, i, buf, cur, p, c, shift)
}

//go:noescape
func riceLPC8BMI2(data []int32, i int, buf []byte, cur *riceCursor, p uint, c *[8]int32, shift uint) (end int, acc int32)

func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// hasBMI2 tells whether the processor has the BMI2 instructions (CPUID
// leaf 7, EBX bit 8).
var hasBMI2 = func() bool {
	if maxLeaf, _, _, _ := cpuid(0, 0); maxLeaf < 7 {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	return ebx&(1<<8) != 0
}()

//go:noescape
func riceLPC8PairsBMI2(data []int32, i int, buf []byte, cur *riceCursor, p uint, pp *pairPredictor) (end int, acc int32, pending bool)

//go:noescape
func riceLPC12PairsBMI2(data []int32, i int, buf []byte, cur *riceCursor, p uint, pp *pairPredictor) (end int, acc int32, pending bool)

// hasPairKernel tells whether riceLPCPairs is there.
var hasPairKernel = hasBMI2 && hasLZCNT

// hasLZCNT tells whether the processor has LZCNT (CPUID leaf 0x80000001,
// ECX bit 5).
var hasLZCNT = func() bool {
	if maxLeaf, _, _, _ := cpuid(0x80000000, 0); maxLeaf < 0x80000001 {
		return false
	}
	_, _, ecx, _ := cpuid(0x80000001, 0)
	return ecx&(1<<5) != 0
}()

// riceLPCPairs is riceLPC8 two samples a turn, for the predictors
// pairPredictor describes, of order up to pp.taps (8 or 12), from
// pp.taps ≤ i on.
func riceLPCPairs(data []int32, i int, buf []byte, cur *riceCursor, p uint, pp *pairPredictor) (end int, acc int32, pending bool) {
	if pp.taps == 8 {
		return riceLPC8PairsBMI2(data, i, buf, cur, p, pp)
	}
	return riceLPC12PairsBMI2(data, i, buf, cur, p, pp)
}
