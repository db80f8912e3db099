//go:build !amd64 || purego

package ogg

const canFold = false

func foldBlocks(c uint32, p []byte, k *foldKeys) (hi, lo uint64) { panic("unreachable") }
