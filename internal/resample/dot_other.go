//go:build !amd64 || purego

package resample

// dot is the inner product of c and x[:len(c)].
func dot(c, x []float32) float32 { return dotGo(c, x) }
