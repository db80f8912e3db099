//go:build !purego

package oggcrc

import "github.com/audiopreflight/audiopreflight/internal/cpufeature"

// canFold: PCLMULQDQ multiplies carry-less, PSHUFB (SSSE3) turns the
// checksum's most-significant-bit-first order into the register's.
func canFold() bool { return cpufeature.Has(cpufeature.PCLMULQDQ | cpufeature.SSSE3) }

// foldBlocks folds p, a whole number (at least one) of 64-byte blocks,
// with c added to its first 32 bits, into a 128-bit value hi·x^64 + lo
// with the same remainder modulo the checksum's polynomial.
//
//go:noescape
func foldBlocks(c uint32, p []byte, k *foldKeys) (hi, lo uint64)
