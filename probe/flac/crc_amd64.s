//go:build !purego

#include "textflag.h"

// func crc16Fold(p []byte, c uint16, k *crc16Consts) uint64
//
// Folds the 16-byte blocks of p (len(p) a multiple of 16, at least 16),
// with c added to its first 16 bits, into a 64-bit polynomial congruent to
// them modulo the CRC-16 polynomial, with carry-less multiplies (see
// crc16Consts).
TEXT ·crc16Fold(SB), NOSPLIT, $0-48
	MOVQ p_base+0(FP), SI
	MOVQ p_len+8(FP), CX
	MOVQ k+32(FP), AX
	MOVOU 0(AX), X7  // the byte order reversal
	MOVOU 16(AX), X5 // x^128 mod P (low), x^192 mod P (high)
	MOVOU 32(AX), X6 // x^64 mod P (low)
	MOVOU (SI), X0
	PSHUFB X7, X0
	MOVWQZX c+24(FP), AX
	SHLQ $48, AX
	MOVQ AX, X3
	PSLLDQ $8, X3
	PXOR X3, X0
	ADDQ $16, SI
	SUBQ $16, CX
	JEQ  reduce

fold:
	MOVOU (SI), X2
	PSHUFB X7, X2
	MOVOU X0, X1
	PCLMULQDQ $0x11, X5, X0 // high half times x^192
	PCLMULQDQ $0x00, X5, X1 // low half times x^128
	PXOR X1, X0
	PXOR X2, X0
	ADDQ $16, SI
	SUBQ $16, CX
	JNE  fold

reduce:
	// high·x^64 + low ≡ high·(x^64 mod P) + low: 80 bits, then 64.
	MOVOU X0, X1
	PCLMULQDQ $0x01, X6, X1
	MOVQ X0, AX
	MOVQ X1, BX
	XORQ BX, AX
	PSRLDQ $8, X1
	PCLMULQDQ $0x00, X6, X1
	MOVQ X1, BX
	XORQ BX, AX
	MOVQ AX, ret+40(FP)
	RET
