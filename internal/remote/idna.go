package remote

import (
	"errors"
	"strings"
	"unicode"
)

// Non-ASCII host names. urllib3 lower-cases them and encodes each label
// with IDNA 2008 (the idna package, strict, without the UTS #46 mapping),
// and refuses a host that does not encode: so "１２７．０．０．１"
// (fullwidth digits and dots) is not a URL the server reads, whereas Go's
// net/http would map it to 127.0.0.1. idnaToASCII refuses what IDNA 2008
// disallows and that matters here — characters that compatibility mapping
// would turn into ASCII (the fullwidth and halfwidth forms, the
// ideographic full stops), spaces, symbols and punctuation — and
// Punycode-encodes the rest (RFC 3492), so that the transport never maps
// anything itself. It does not apply the finer IDNA 2008 contextual rules.

var errBadLabel = errors.New("not a valid IDNA 2008 label")

func idnaToASCII(host string) (string, error) {
	labels := strings.Split(strings.ToLower(host), ".")
	for i, l := range labels {
		if isASCII(l) {
			continue
		}
		for _, r := range l {
			if r >= 0xff00 && r <= 0xffef || r == 0x3002 {
				return "", errBadLabel
			}
			if r < 0x80 {
				if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
					return "", errBadLabel
				}
				continue
			}
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)) || unicode.IsUpper(r) {
				return "", errBadLabel
			}
		}
		enc, err := punycode(l)
		if err != nil {
			return "", err
		}
		labels[i] = "xn--" + enc
		if len(labels[i]) > 63 {
			return "", errBadLabel
		}
	}
	return strings.Join(labels, "."), nil
}

// punycode is RFC 3492's encoder.
func punycode(s string) (string, error) {
	const (
		base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
		initialBias, initialN        = 72, 128
	)
	digit := func(d int32) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	adapt := func(delta, numPoints int32, first bool) int32 {
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / numPoints
		k := int32(0)
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		return k + (base-tmin+1)*delta/(delta+skew)
	}
	runes := []rune(s)
	var out []byte
	for _, r := range runes {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	h := int32(len(out))
	b := h
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := int32(initialN), int32(0), int32(initialBias)
	for h < int32(len(runes)) {
		m := int32(unicode.MaxRune + 1)
		for _, r := range runes {
			if r >= n && r < m {
				m = r
			}
		}
		if (m-n)*(h+1) > 1<<30 {
			return "", errBadLabel
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range runes {
			if r < n {
				delta++
			}
			if r == n {
				q := delta
				for k := int32(base); ; k += base {
					t := k - bias
					if t < tmin {
						t = tmin
					} else if t > tmax {
						t = tmax
					}
					if q < t {
						break
					}
					out = append(out, digit(t+(q-t)%(base-t)))
					q = (q - t) / (base - t)
				}
				out = append(out, digit(q))
				bias = adapt(delta, h+1, h == b)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return string(out), nil
}
