package ogg

import "github.com/audiopreflight/audiopreflight/internal/oggcrc"

// pageChecksum computes the checksum of a whole page (header and body in
// one slice), treating bytes 22..25, where the stored checksum lives, as
// zero (RFC 3533 §6).
func pageChecksum(pg []byte) uint32 { return oggcrc.Checksum(pg) }
