//go:build !amd64 || purego

package cpufeature

// detect finds nothing: the kernels are amd64 assembly, and purego builds
// have none.
func detect() Set { return 0 }
