//go:build !purego

#include "textflag.h"

// The pair kernels' steps. PAIRREFILL refills the cache from buf[next:]
// without looking at the bits left (bail: fewer than 8 bytes of window).
#define PAIRREFILL(bail) \
	CMPQ R13, R10 \
	JGT  bail \
	MOVQ (SI)(R13*1), AX \
	BSWAPQ AX \
	SHRXQ R12, AX, AX \
	ORQ  AX, R11 \
	MOVL $63, AX \
	SUBQ R12, AX \
	SHRQ $3, AX \
	ADDQ AX, R13 \
	ORQ  $56, R12

// DECODE takes a code of at most 28 bits (bail: a longer one) and stores
// its residual at off(DI).
#define DECODE(bail, off) \
	LZCNTQ R11, AX \
	CMPQ AX, maxz-8(SP) \
	JGT  bail \
	LEAQ 1(AX)(DX*1), CX \
	MOVQ k-16(SP), R8 \
	SUBQ AX, R8 \
	SHRXQ R8, R11, R8 \
	SHLXQ CX, R11, R11 \
	SUBQ CX, R12 \
	DECQ AX \
	SHLXL DX, AX, AX \
	ADDL R8, AX \
	MOVL AX, R8 \
	SHRL $1, AX \
	ANDL $1, R8 \
	NEGL R8 \
	XORL R8, AX \
	MOVL AX, off(DI)

// TAP adds the history sample at off(DI) times the coefficient pair at
// doff(R14) to AX.
#define TAP(off, doff) \
	MOVLQSX off(DI), R8 \
	IMULQ doff(R14), R8 \
	ADDQ R8, AX

// FINISH turns W (AX) and the residuals into the pair's samples, notes
// their fit bits, and goes on to the next pair or to pdone.
#define FINISH(next, pdone) \
	MOVLQSX R15, R8 \
	IMULQ 0(R14), R8 \
	ADDQ R8, AX \
	MOVL 100(R14), CX \
	SARXL CX, AX, R8 \
	ADDL (DI), R8 \
	MOVL R8, (DI) \
	SUBQ $-2147483648, AX \
	SARQ $32, AX \
	MOVL R8, R15 \
	IMULL 96(R14), R15 \
	ADDL R15, AX \
	SARXL CX, AX, AX \
	ADDL 4(DI), AX \
	MOVL AX, 4(DI) \
	MOVL AX, R15 \
	MOVL R8, CX \
	SARL $31, CX \
	XORL CX, R8 \
	MOVL AX, CX \
	SARL $31, CX \
	XORL CX, AX \
	ORL  R8, AX \
	ORL  AX, BX \
	ADDQ $8, DI \
	CMPL AX, 104(R14) \
	JA   pdone \
	CMPQ DI, R9 \
	JLO  next

// PAIRSETUP loads the registers (see riceLPC8PairsBMI2).
#define PAIRSETUP \
	MOVQ data_base+0(FP), DI \
	MOVQ data_len+8(FP), R9 \
	MOVQ i+24(FP), AX \
	LEAQ -4(DI)(R9*4), R9 \
	LEAQ (DI)(AX*4), DI \
	MOVQ buf_base+32(FP), SI \
	MOVQ buf_len+40(FP), R10 \
	SUBQ $8, R10 \
	MOVQ cur+56(FP), AX \
	MOVQ 0(AX), R11 \
	MOVQ 8(AX), R12 \
	MOVQ 16(AX), R13 \
	MOVQ pp+72(FP), R14 \
	MOVL -4(DI), R15 \
	XORL BX, BX \
	MOVB $0, pending+92(FP) \
	MOVQ p+64(FP), DX \
	MOVQ $27, AX \
	SUBQ DX, AX \
	MOVQ AX, maxz-8(SP) \
	MOVQ $63, AX \
	SUBQ DX, AX \
	MOVQ AX, k-16(SP)

// PAIRDONE stores the cursor and the results.
#define PAIRDONE \
	MOVQ cur+56(FP), AX \
	MOVQ R11, 0(AX) \
	MOVQ R12, 8(AX) \
	MOVQ R13, 16(AX) \
	MOVQ data_base+0(FP), AX \
	SUBQ AX, DI \
	SHRQ $2, DI \
	MOVQ DI, end+80(FP) \
	MOVL BX, acc+88(FP) \
	RET

// func riceLPC8BMI2(data []int32, i int, buf []byte, cur *riceCursor, p uint, c *[8]int32, shift uint) (end int, acc int32)
//
// riceLPC8Go with BMI2 shifts, which take their count in any register; see
// riceLPC8Go for the why. Registers:
//	DI  &data[i]          R9   &data[len(data)]
//	SI  &buf[0]           R10  len(buf)-8
//	R11 cache             R12  nbits            R13  next
//	R14 c                 R15  the previous sample
//	BX  fit bits          DX   p
//	AX, CX, R8 scratch
// and on the stack 32+p, 64+p and shift.
TEXT ·riceLPC8BMI2(SB), NOSPLIT, $24-100
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
	LEAQ 32(DX), AX
	MOVQ AX, short-8(SP)
	LEAQ 64(DX), AX
	MOVQ AX, k-16(SP)
	MOVQ shift+80(FP), AX
	ANDQ $31, AX
	MOVQ AX, sh-24(SP)
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
	SHRXQ R12, AX, AX
	ORQ  AX, R11
	MOVL $63, AX
	SUBQ R12, AX
	SHRQ $3, AX
	ADDQ AX, R13
	ORQ  $56, R12

decode:
	// b: the index of the stop bit; the quotient is 63-b.
	XORL AX, AX // BSR keeps its destination for a zero source: no wait on the old AX
	BSRQ R11, AX
	JEQ  done // no one bit at all
	CMPQ AX, short-8(SP)
	JLO  done // b < 32+p: a code longer than 32 bits
	MOVQ k-16(SP), CX
	SUBQ AX, CX // the code's length, 64+p-b
	MOVQ AX, R8
	SUBQ DX, R8
	SHRXQ R8, R11, R8 // the stop bit and the p bits
	SHLXQ CX, R11, R11
	SUBQ CX, R12
	NEGQ AX
	ADDQ $62, AX // quotient-1
	SHLXL DX, AX, AX
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
	IMULL 0(R14), R15
	ADDL R15, R8
	MOVQ sh-24(SP), CX
	SARXL CX, R8, R8
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

// func riceLPC8PairsBMI2(data []int32, i int, buf []byte, cur *riceCursor, p uint, pp *pairPredictor) (end int, acc int32, pending bool)
//
// riceLPC8BMI2 two samples a turn, with LZCNT besides BMI2: one 64-bit
// multiply per history sample
// gives its products with two coefficients (see pairPredictor), so that the
// sums of both samples take eight multiplies and the second's one more.
// Registers as in riceLPC8BMI2, with R14 pp and R9 &data[len(data)-1], and
// on the stack 27-p (the longest quotient taken) and 63-p; the
// residuals wait in data until their samples replace them. One refill a
// turn, without a test of the bits left, serves both codes, which are
// taken here only when at most 28 bits long. It stops after a pair holding
// a sample outside pp.maxMag, and reports pending when it stopped between
// the two codes of a pair (data[end] then holds the first one's residual,
// not its sample). From 8 ≤ i on.
TEXT ·riceLPC8PairsBMI2(SB), NOSPLIT, $16-93
	PAIRSETUP
	CMPQ DI, R9
	JAE  done8

pair8:
	PAIRREFILL(done8)
	DECODE(done8, 0)
	DECODE(half8, 4)
	MOVLQSX -32(DI), AX
	IMULQ 56(R14), AX
	TAP(-28, 48)
	TAP(-24, 40)
	TAP(-20, 32)
	TAP(-16, 24)
	TAP(-12, 16)
	TAP(-8, 8)
	FINISH(pair8, done8)
	JMP  done8

half8:
	MOVB $1, pending+92(FP)

done8:
	PAIRDONE

// func riceLPC12PairsBMI2(data []int32, i int, buf []byte, cur *riceCursor, p uint, pp *pairPredictor) (end int, acc int32, pending bool)
//
// riceLPC8PairsBMI2 for orders 9 to 12, from 12 ≤ i on.
TEXT ·riceLPC12PairsBMI2(SB), NOSPLIT, $16-93
	PAIRSETUP
	CMPQ DI, R9
	JAE  done12

pair12:
	PAIRREFILL(done12)
	DECODE(done12, 0)
	DECODE(half12, 4)
	MOVLQSX -48(DI), AX
	IMULQ 88(R14), AX
	TAP(-44, 80)
	TAP(-40, 72)
	TAP(-36, 64)
	TAP(-32, 56)
	TAP(-28, 48)
	TAP(-24, 40)
	TAP(-20, 32)
	TAP(-16, 24)
	TAP(-12, 16)
	TAP(-8, 8)
	FINISH(pair12, done12)
	JMP  done12

half12:
	MOVB $1, pending+92(FP)

done12:
	PAIRDONE
