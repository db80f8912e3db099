//go:build !purego

package ogg

import "golang.org/x/sys/cpu"

// canFold: PCLMULQDQ multiplies carry-less, PSHUFB (SSSE3) turns the
// checksum's most-significant-bit-first order into the register's.
var canFold = cpu.X86.HasPCLMULQDQ && cpu.X86.HasSSSE3

// foldBlocks folds p, a whole number (at least one) of 64-byte blocks,
// with c added to its first 32 bits, into a 128-bit value hi·x^64 + lo
// with the same remainder modulo the checksum's polynomial.
//
//go:noescape
func foldBlocks(c uint32, p []byte, k *foldKeys) (hi, lo uint64)
