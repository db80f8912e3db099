//go:build amd64 && !purego

package resample

import "github.com/audiopreflight/audiopreflight/internal/cpufeature"

// hasAVX is whether the CPU and the OS run AVX instructions. The filters
// ask once per block and pass the answer to dot.
func hasAVX() bool { return cpufeature.Has(cpufeature.AVX) }

// dotAVX is dotGo for len(c) a positive multiple of 8, with 8-wide AVX
// multiplies and adds (no fused multiply-add).
//
//go:noescape
func dotAVX(c, x *float32, n int) float32

// dot is the inner product of c and x[:len(c)], with dotAVX when avx
// (what hasAVX said) and the length allows.
func dot(avx bool, c, x []float32) float32 {
	if avx && len(c) >= 8 && len(c)%8 == 0 {
		_ = x[len(c)-1]
		return dotAVX(&c[0], &x[0], len(c))
	}
	return dotGo(c, x)
}
