//go:build !purego

#include "textflag.h"

// func riceLPC8(data []int32, i int, buf []byte, cur *riceCursor, p uint, c *[8]int32, shift uint) (end int, acc int32)
//
// riceLPC8Go, instruction for instruction where it can be; see there for
// the why. Registers:
//	DI  &data[i]          R9   &data[len(data)]
//	SI  &buf[0]           R10  len(buf)-8
//	R11 cache             R12  nbits            R13  next
//	R14 c                 R15  the previous sample
//	BX  fit bits          DX   32+p             BP   64+p
//	AX, CX, R8 scratch
TEXT ·riceLPC8(SB), NOSPLIT, $8-100
	MOVQ data_base+0(FP), DI
	MOVQ data_len+8(FP), R9
	MOVQ i+24(FP), AX
	LEAQ (DI)(R9*4), R9
	LEAQ (DI)(AX*4), DI
	MOVQ buf_base+32(FP), SI
	MOVQ buf_len+40(FP), R10
	SUBQ $8, R10
	MOVQ cur+56(FP), AX
	MOVQ 0(AX), R11
	MOVQ 8(AX), R12
	MOVQ 16(AX), R13
	MOVQ c+72(FP), R14
	MOVL -4(DI), R15
	XORL BX, BX
	MOVQ p+64(FP), DX
	LEAQ 64(DX), BP
	ADDQ $32, DX
	CMPQ DI, R9
	JAE  done

loop:
	// Refill when fewer than 32 bits remain.
	CMPQ R12, $32
	JAE  decode
	CMPQ R13, R10
	JGT  done
	MOVQ (SI)(R13*1), AX
	BSWAPQ AX
	MOVQ R12, CX
	SHRQ CX, AX
	ORQ  AX, R11
	MOVQ $63, AX
	SUBQ R12, AX
	SHRQ $3, AX
	ADDQ AX, R13
	ORQ  $56, R12

decode:
	// b: the index of the stop bit; the quotient is 63-b.
	XORL AX, AX // BSR keeps its destination for a zero source: no wait on the old AX
	BSRQ R11, AX
	JEQ  done // no one bit at all
	CMPQ AX, DX
	JLO  done // b < 32+p: a code longer than 32 bits
	MOVQ BP, CX
	SUBQ AX, CX // the code's length, 64+p-b
	MOVQ R11, R8
	SHLQ CX, R11
	SUBQ CX, R12
	NEGQ CX
	ADDQ $64, CX // b-p
	SHRQ CX, R8 // the stop bit and the p bits
	NEGQ AX
	ADDQ $62, AX // quotient-1
	MOVQ p+64(FP), CX
	SHLL CX, AX
	ADDL R8, AX // the unsigned value
	MOVL AX, R8
	SHRL $1, AX
	ANDL $1, R8
	NEGL R8
	XORL R8, AX // the residual

	// The prediction, the most recent sample last.
	MOVL -32(DI), R8
	IMULL 28(R14), R8
	MOVL -28(DI), CX
	IMULL 24(R14), CX
	ADDL CX, R8
	MOVL -24(DI), CX
	IMULL 20(R14), CX
	ADDL CX, R8
	MOVL -20(DI), CX
	IMULL 16(R14), CX
	ADDL CX, R8
	MOVL -16(DI), CX
	IMULL 12(R14), CX
	ADDL CX, R8
	MOVL -12(DI), CX
	IMULL 8(R14), CX
	ADDL CX, R8
	MOVL -8(DI), CX
	IMULL 4(R14), CX
	ADDL CX, R8
	MOVL R15, CX
	IMULL 0(R14), CX
	ADDL CX, R8
	MOVQ shift+80(FP), CX
	ANDL $31, CX
	SARL CX, R8
	ADDL AX, R8 // the sample
	MOVL R8, (DI)
	MOVL R8, R15
	MOVL R8, AX
	SARL $31, AX
	XORL R8, AX
	ORL  AX, BX

	ADDQ $4, DI
	CMPQ DI, R9
	JLO  loop

done:
	MOVQ cur+56(FP), AX
	MOVQ R11, 0(AX)
	MOVQ R12, 8(AX)
	MOVQ R13, 16(AX)
	MOVQ data_base+0(FP), AX
	SUBQ AX, DI
	SHRQ $2, DI
	MOVQ DI, end+88(FP)
	MOVL BX, acc+96(FP)
	RET
