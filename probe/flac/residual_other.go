//go:build !amd64 || purego

package flac

func riceLPC8(data []int32, i int, buf []byte, cur *riceCursor, p uint, c *[8]int32, shift uint) (end int, acc int32) {
	return riceLPC8Go(data, i, buf, cur, p, c, shift)
}

func hasPairKernel() bool { return false }

func riceLPCPairs(data []int32, i int, buf []byte, cur *riceCursor, p uint, pp *pairPredictor) (end int, acc int32, pending bool) {
	return i, 0, false
}
