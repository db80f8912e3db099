//go:build !amd64 || purego

package oggcrc

func canFold() bool { return false }

func foldBlocks(c uint32, p []byte, k *foldKeys) (hi, lo uint64) { panic("unreachable") }
