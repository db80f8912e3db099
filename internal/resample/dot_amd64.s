//go:build amd64 && !purego

#include "textflag.h"

// func dotAVX(c, x *float32, n int) float32
// n is a positive multiple of 8. The order of the sums is dotGo's.
TEXT ·dotAVX(SB), NOSPLIT, $0-28
	MOVQ   c+0(FP), SI
	MOVQ   x+8(FP), DI
	MOVQ   n+16(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	CMPQ   CX, $32
	JLT    tail

loop32:
	VMOVUPS (SI), Y4
	VMULPS  (DI), Y4, Y4
	VADDPS  Y4, Y0, Y0
	VMOVUPS 32(SI), Y5
	VMULPS  32(DI), Y5, Y5
	VADDPS  Y5, Y1, Y1
	VMOVUPS 64(SI), Y6
	VMULPS  64(DI), Y6, Y6
	VADDPS  Y6, Y2, Y2
	VMOVUPS 96(SI), Y7
	VMULPS  96(DI), Y7, Y7
	VADDPS  Y7, Y3, Y3
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $32, CX
	CMPQ    CX, $32
	JGE     loop32

tail:
	// up to three more blocks, to sums 0, 1 and 2
	CMPQ    CX, $0
	JEQ     done
	VMOVUPS (SI), Y4
	VMULPS  (DI), Y4, Y4
	VADDPS  Y4, Y0, Y0
	SUBQ    $8, CX
	JEQ     done
	VMOVUPS 32(SI), Y5
	VMULPS  32(DI), Y5, Y5
	VADDPS  Y5, Y1, Y1
	SUBQ    $8, CX
	JEQ     done
	VMOVUPS 64(SI), Y6
	VMULPS  64(DI), Y6, Y6
	VADDPS  Y6, Y2, Y2

done:
	// (s0+s1)+(s2+s3), lane by lane
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0

	// lanes l0..l7 → ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7))
	VEXTRACTF128 $1, Y0, X1
	VHADDPS      X1, X0, X2
	VHADDPS      X2, X2, X3
	VHADDPS      X3, X3, X4
	VZEROUPPER
	MOVSS        X4, ret+24(FP)
	RET
