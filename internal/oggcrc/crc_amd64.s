//go:build !purego

#include "textflag.h"

// PSHUFB mask that reverses the 16 bytes of a register: the first byte of
// a block holds the highest powers of x, and becomes the top of the
// register, where PCLMULQDQ expects them.
DATA reverse<>+0(SB)/8, $0x08090a0b0c0d0e0f
DATA reverse<>+8(SB)/8, $0x0001020304050607
GLOBL reverse<>(SB), RODATA|NOPTR, $16

// FOLD moves the 128-bit value in R on by the powers of x in K (low lane
// for its low half, high lane for its high half) and adds the 16 bytes at
// MEM: R = R.lo·K.lo ^ R.hi·K.hi ^ reverse(MEM).
#define FOLD(R, T, B, MEM) \
	MOVO R, T; \
	PCLMULQDQ $0x00, X11, R; \
	PCLMULQDQ $0x11, X11, T; \
	MOVOU MEM, B; \
	PSHUFB X10, B; \
	PXOR T, R; \
	PXOR B, R

// func foldBlocks(c uint32, p []byte, k *foldKeys) (hi, lo uint64)
TEXT ·foldBlocks(SB), NOSPLIT, $0-56
	MOVL c+0(FP), AX
	MOVQ p_base+8(FP), SI
	MOVQ p_len+16(FP), CX
	MOVQ k+32(FP), DX
	MOVOU reverse<>(SB), X10
	MOVOU 0(DX), X11 // x^512, x^576
	MOVOU 16(DX), X12 // x^128, x^192

	// Four blocks in four registers, c added to the top 32 bits of the
	// first.
	MOVOU 0(SI), X0
	MOVOU 16(SI), X1
	MOVOU 32(SI), X2
	MOVOU 48(SI), X3
	PSHUFB X10, X0
	PSHUFB X10, X1
	PSHUFB X10, X2
	PSHUFB X10, X3
	SHLQ $32, AX
	MOVQ AX, X4
	PSLLO $8, X4
	PXOR X4, X0
	ADDQ $64, SI
	SUBQ $64, CX

loop:
	CMPQ CX, $64
	JB   combine
	FOLD(X0, X4, X5, 0(SI))
	FOLD(X1, X6, X7, 16(SI))
	FOLD(X2, X8, X9, 32(SI))
	FOLD(X3, X13, X14, 48(SI))
	ADDQ $64, SI
	SUBQ $64, CX
	JMP  loop

combine:
	// X0..X3 stand for X0·x^384 + X1·x^256 + X2·x^128 + X3: fold each
	// into the next by one block.
	MOVO X12, X11
	MOVO X0, X4
	PCLMULQDQ $0x00, X11, X0
	PCLMULQDQ $0x11, X11, X4
	PXOR X4, X0
	PXOR X0, X1
	MOVO X1, X4
	PCLMULQDQ $0x00, X11, X1
	PCLMULQDQ $0x11, X11, X4
	PXOR X4, X1
	PXOR X1, X2
	MOVO X2, X4
	PCLMULQDQ $0x00, X11, X2
	PCLMULQDQ $0x11, X11, X4
	PXOR X4, X2
	PXOR X2, X3

	MOVQ X3, lo+48(FP)
	PSHUFD $0x4e, X3, X3
	MOVQ X3, hi+40(FP)
	RET
