//go:build !purego

package flac

import "github.com/audiopreflight/audiopreflight/internal/cpufeature"

// riceLPC8 is riceLPC8Go, in assembly (residual_amd64.s) where the
// processor has BMI2: the Go compiler keeps too few of the loop's values in
// registers, and this loop is most of the time a full check of a FLAC input
// takes.
func riceLPC8(data []int32, i int, buf []byte, cur *riceCursor, p uint, c *[8]int32, shift uint) (end int, acc int32) {
	if cpufeature.Has(cpufeature.BMI2) {
		return riceLPC8BMI2(data, i, buf, cur, p, c, shift)
	}
	return riceLPC8Go(data, i, buf, cur, p, c, shift)
}

//go:noescape
func riceLPC8BMI2(data []int32, i int, buf []byte, cur *riceCursor, p uint, c *[8]int32, shift uint) (end int, acc int32)

//go:noescape
func riceLPC8PairsBMI2(data []int32, i int, buf []byte, cur *riceCursor, p uint, pp *pairPredictor) (end int, acc int32, pending bool)

//go:noescape
func riceLPC12PairsBMI2(data []int32, i int, buf []byte, cur *riceCursor, p uint, pp *pairPredictor) (end int, acc int32, pending bool)

// hasPairKernel tells whether riceLPCPairs is there (asked once a
// subframe).
func hasPairKernel() bool { return cpufeature.Has(cpufeature.BMI2 | cpufeature.LZCNT) }

// riceLPCPairs is riceLPC8 two samples a turn, for the predictors
// pairPredictor describes, of order up to pp.taps (8 or 12), from
// pp.taps ≤ i on.
func riceLPCPairs(data []int32, i int, buf []byte, cur *riceCursor, p uint, pp *pairPredictor) (end int, acc int32, pending bool) {
	if pp.taps == 8 {
		return riceLPC8PairsBMI2(data, i, buf, cur, p, pp)
	}
	return riceLPC12PairsBMI2(data, i, buf, cur, p, pp)
}
