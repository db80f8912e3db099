//go:build !purego

package flac

// riceLPC8 is riceLPC8Go in assembly (residual_amd64.s): the Go compiler
// keeps too few of the loop's values in registers, and this loop is most of
// the time a full check of a FLAC input takes.
//
//go:noescape
func riceLPC8(data []int32, i int, buf []byte, cur *riceCursor, p uint, c *[8]int32, shift uint) (end int, acc int32)
