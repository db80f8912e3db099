//go:build !purego

package flac

import (
	"encoding/binary"

	"github.com/audiopreflight/audiopreflight/internal/cpufeature"
)

// crc16Consts are the constants of crc16Fold: a PSHUFB mask reversing
// the bytes of a block (the CRC reads the input most significant bit
// first), then x^128, x^192 and x^64 modulo the CRC-16 polynomial.
type crc16Consts struct {
	reverse    [16]byte
	k128, k192 uint64
	k64, _     uint64
}

var crc16K = crc16Consts{
	reverse: [16]byte{15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	k128:    crc16X128, k192: crc16X192, k64: crc16X64,
}

//go:noescape
func crc16Fold(p []byte, c uint16, k *crc16Consts) uint64

// crc16Update folds p into the running frame CRC c. Long inputs go
// through crc16Fold, c entering as the first 16 bits of the message (the
// CRC of c followed by p is that of p with c added to its first bits); the
// folded 64 bits are reduced by the table, and the last bytes follow.
func crc16Update(c uint16, p []byte) uint16 {
	if len(p) < 64 || !cpufeature.Has(cpufeature.PCLMULQDQ|cpufeature.SSSE3) {
		return crc16Table(c, p)
	}
	n := len(p) &^ 15
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], crc16Fold(p[:n], c, &crc16K))
	return crc16Table(crc16Table(0, b[:]), p[n:])
}
