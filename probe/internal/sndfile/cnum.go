package sndfile

import "math"

// Lrint is psf_lrint as built for x86-64 (SSE2 cvtsd2si): round to nearest
// even, and 0x80000000 for NaN and values outside the int range.
func Lrint(x float64) int32 {
	if math.IsNaN(x) {
		return math.MinInt32
	}
	r := math.RoundToEven(x)
	if r < math.MinInt32 || r > math.MaxInt32 {
		return math.MinInt32
	}
	return int32(r)
}

// FloatToInt is C's (int) conversion of a float on x86-64 (cvttss2si):
// truncation, and 0x80000000 for NaN and values outside the int range.
func FloatToInt(x float64) int32 {
	if math.IsNaN(x) {
		return math.MinInt32
	}
	t := math.Trunc(x)
	if t < math.MinInt32 || t > math.MaxInt32 {
		return math.MinInt32
	}
	return int32(t)
}

// IsPrint is psf_isprint: printable ASCII.
func IsPrint(c byte) bool { return c >= 0x20 && c <= 0x7E }

// IsSpace is C's isspace in the C locale.
func IsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// ScanInt reads a decimal integer the way glibc's scanf %d does from s:
// leading white space, an optional sign, digits. The value saturates like
// strtol and is then truncated to 32 bits. It returns the value, the bytes
// consumed and whether a number was found.
func ScanInt(s []byte) (int32, int, bool) {
	v, n, ok := ScanLong(s)
	return int32(v), n, ok
}

// ScanLong is scanf's %ld (64-bit long) with strtol's saturation.
func ScanLong(s []byte) (int64, int, bool) {
	v, neg, over, n, ok := scanDigits(s)
	switch {
	case !ok:
		return 0, n, false
	case neg && (over || v > 1<<63):
		return math.MinInt64, n, true
	case neg:
		return -int64(v), n, true
	case over || v > math.MaxInt64:
		return math.MaxInt64, n, true
	}
	return int64(v), n, true
}

// ScanUint is scanf's %u: strtoul's reading (a minus sign negates modulo
// 2^64) truncated to 32 bits.
func ScanUint(s []byte) (uint32, int, bool) {
	v, neg, over, n, ok := scanDigits(s)
	switch {
	case !ok:
		return 0, n, false
	case over:
		v = math.MaxUint64
	case neg:
		v = -v
	}
	return uint32(v), n, true
}

// scanDigits reads what strtol and strtoul share: leading white space, an
// optional sign, decimal digits. It returns the digits' value, whether a
// minus sign came first, whether the value went past 64 bits, the bytes
// consumed and whether there was any digit.
func scanDigits(s []byte) (v uint64, neg, over bool, n int, ok bool) {
	i := 0
	for i < len(s) && s[i] != 0 && IsSpace(s[i]) {
		i++
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			over = true
		} else {
			v = v*10 + d
		}
		i++
	}
	return v, neg, over, i, i > start
}

// Float32Read is libsndfile's float32_be_read/float32_le_read: IEEE single
// decoded by hand, with a zero exponent taken as 2^0 (so denormals read as
// about 1) and the largest exponent as 2^128 (infinity), never NaN.
func Float32Read(b []byte, big bool) float32 {
	var c0, c1, c2, c3 byte
	if big {
		c0, c1, c2, c3 = b[0], b[1], b[2], b[3]
	} else {
		c0, c1, c2, c3 = b[3], b[2], b[1], b[0]
	}
	negative := c0&0x80 != 0
	exponent := int(c0&0x7F)<<1 | int(c1>>7)
	mantissa := int32(c1&0x7F)<<16 | int32(c2)<<8 | int32(c3)
	if exponent == 0 && mantissa == 0 {
		return 0
	}
	mantissa |= 0x800000
	if exponent != 0 {
		exponent -= 127
	}
	v := float32(mantissa) / float32(0x800000)
	if negative {
		v *= -1
	}
	if exponent > 0 {
		v = float32(float64(v) * math.Pow(2, float64(exponent)))
	} else if exponent < 0 {
		v = float32(float64(v) / math.Pow(2, float64(-exponent)))
	}
	return v
}

// Double64Read is libsndfile's double64_be_read/double64_le_read.
func Double64Read(b []byte, big bool) float64 {
	var c [8]byte
	if big {
		copy(c[:], b[:8])
	} else {
		for i := 0; i < 8; i++ {
			c[i] = b[7-i]
		}
	}
	negative := c[0]&0x80 != 0
	exponent := int(c[0]&0x7F)<<4 | int(c[1]>>4)
	upper := int32(c[1]&0xF)<<24 | int32(c[2])<<16 | int32(c[3])<<8 | int32(c[4])
	lower := int32(c[5])<<16 | int32(c[6])<<8 | int32(c[7])
	if exponent == 0 && upper == 0 && lower == 0 {
		return 0
	}
	v := float64(upper) + float64(lower)/float64(0x1000000)
	v += 0x10000000
	exponent -= 0x3FF
	v /= float64(0x10000000)
	if negative {
		v *= -1
	}
	if exponent > 0 {
		v *= math.Pow(2, float64(exponent))
	} else if exponent < 0 {
		v /= math.Pow(2, float64(-exponent))
	}
	return v
}
