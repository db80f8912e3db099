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
	i := 0
	for i < len(s) && s[i] != 0 && IsSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	over := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			over = true
		} else {
			v = v*10 + d
		}
		i++
	}
	if i == start {
		return 0, i, false
	}
	switch {
	case neg && (over || v > 1<<63):
		return math.MinInt64, i, true
	case neg:
		return -int64(v), i, true
	case over || v > math.MaxInt64:
		return math.MaxInt64, i, true
	}
	return int64(v), i, true
}

// ScanUint is scanf's %u: strtoul's reading (a minus sign negates modulo
// 2^64) truncated to 32 bits.
func ScanUint(s []byte) (uint32, int, bool) {
	i := 0
	for i < len(s) && s[i] != 0 && IsSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	over := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			over = true
		} else {
			v = v*10 + d
		}
		i++
	}
	if i == start {
		return 0, i, false
	}
	if over {
		v = math.MaxUint64
	} else if neg {
		v = -v
	}
	return uint32(v), i, true
}
