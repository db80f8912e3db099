package oggmux

import "github.com/audiopreflight/audiopreflight/internal/oggcrc"

// Checksum computes the Ogg checksum (RFC 3533 §6) of a whole page
// (header, lacing and body in one slice) with bytes 22 to 25, where the
// stored checksum lives, taken as zero.
func Checksum(page []byte) uint32 { return oggcrc.Checksum(page) }
