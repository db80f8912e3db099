//go:build !amd64 || purego

package resample

func hasAVX() bool { return false }

// dot is the inner product of c and x[:len(c)].
func dot(_ bool, c, x []float32) float32 { return dotGo(c, x) }
