package resample

// dotGo is the inner product of c and x[:len(c)] in the order dotAVX sums
// it, so that both give the same bits: blocks of 8 products go in turn to
// four 8-lane sums (block b to sum b mod 4; four independent chains keep
// the adds from waiting on each other), which are added lane by lane as
// (s0+s1)+(s2+s3), and the lanes l0…l7 then as ((l0+l1)+(l2+l3))+
// ((l4+l5)+(l6+l7)). Products past the last whole block are added at the
// end. Converting each product to float32 keeps compilers for other
// architectures from fusing multiply and add, which would round
// differently.
func dotGo(c, x []float32) float32 {
	x = x[:len(c)]
	var s [32]float32
	whole := len(c) &^ 7
	for b := 0; 8*b < whole; b++ {
		sum := s[(b&3)*8 : (b&3)*8+8 : (b&3)*8+8]
		cc := c[8*b : 8*b+8 : 8*b+8]
		xx := x[8*b : 8*b+8 : 8*b+8]
		for l := range sum {
			sum[l] += float32(cc[l] * xx[l])
		}
	}
	var v [8]float32
	for l := range v {
		v[l] = (s[l] + s[8+l]) + (s[16+l] + s[24+l])
	}
	r := ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
	for i := whole; i < len(c); i++ {
		r += float32(c[i] * x[i])
	}
	return r
}
