// Package bytesize reads and writes byte sizes the way people type them:
// "10MiB", "5 MB", "4800000", "1.5GiB". It serves --sync-limit (the sync
// limit is 10 MiB unless set: docs/server.md#sync-limit).
//
// The rules of Parse:
//
//   - A number, then optional blanks, then an optional unit; blanks around
//     the whole are ignored.
//   - The number is decimal digits with an optional fraction ("1.5"). No
//     sign, no exponent, no digit separators.
//   - Units, in any letter case: B (or byte, bytes); SI powers of 1000 kB,
//     MB, GB, TB, PB, EB; IEC powers of 1024 KiB, MiB, GiB, TiB, PiB, EiB
//     (also written Ki, Mi, Gi, ...). No unit means bytes. A bare K, M, G, T,
//     P or E is refused as ambiguous: the message offers both readings.
//   - A fraction is allowed when it makes a whole number of bytes
//     ("1.5KiB" is 1536, "1.5B" is an error).
//   - The result must fit an int64; 0 is a valid size.
package bytesize

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// Unit multipliers.
const (
	B   int64 = 1
	KB  int64 = 1000
	MB        = 1000 * KB
	GB        = 1000 * MB
	TB        = 1000 * GB
	PB        = 1000 * TB
	EB        = 1000 * PB
	KiB int64 = 1 << 10
	MiB int64 = 1 << 20
	GiB int64 = 1 << 30
	TiB int64 = 1 << 40
	PiB int64 = 1 << 50
	EiB int64 = 1 << 60
)

// unit is a unit as Parse reads it (lower case) and as Format writes it.
type unit struct {
	name  string // canonical spelling
	size  int64
	other []string // other spellings, lower case
}

var (
	iecUnits = []unit{
		{"KiB", KiB, []string{"ki"}}, {"MiB", MiB, []string{"mi"}}, {"GiB", GiB, []string{"gi"}},
		{"TiB", TiB, []string{"ti"}}, {"PiB", PiB, []string{"pi"}}, {"EiB", EiB, []string{"ei"}},
	}
	siUnits = []unit{
		{"kB", KB, nil}, {"MB", MB, nil}, {"GB", GB, nil},
		{"TB", TB, nil}, {"PB", PB, nil}, {"EB", EB, nil},
	}
)

// unitSize is the size of the unit spelt name (lower case), looked up in
// the tables rather than in a map built at every start: only a size given
// on the command line is parsed.
func unitSize(name string) (int64, bool) {
	switch name {
	case "", "b", "byte", "bytes":
		return 1, true
	}
	for _, units := range [][]unit{iecUnits, siUnits} {
		for _, u := range units {
			if strings.EqualFold(name, u.name) || slices.Contains(u.other, name) {
				return u.size, true
			}
		}
	}
	return 0, false
}

// maxInput bounds the text Parse looks at; no sensible size is longer.
const maxInput = 64

// ParseError is a size Parse cannot read, with what is wrong with it.
type ParseError struct {
	Input string
	Msg   string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("invalid size %q: %s", e.Input, e.Msg)
}

// Parse reads a size in bytes (see the package rules).
func Parse(s string) (int64, error) {
	fail := func(format string, args ...any) (int64, error) {
		return 0, &ParseError{Input: s, Msg: fmt.Sprintf(format, args...)}
	}
	if len(s) > maxInput {
		return fail("too long")
	}
	t := strings.Trim(s, " \t")
	if t == "" {
		return fail("empty; write a number of bytes or a number and a unit, like 10MiB")
	}
	if t[0] == '-' {
		return fail("a size cannot be negative")
	}
	i := 0
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	whole := t[:i]
	frac := ""
	if i < len(t) && t[i] == '.' {
		j := i + 1
		for j < len(t) && isDigit(t[j]) {
			j++
		}
		frac = t[i+1 : j]
		if whole == "" || frac == "" {
			return fail("%q is not a number: write digits on both sides of the point, like 0.5 or 1.0", t[:j])
		}
		i = j
	}
	if whole == "" {
		return fail("expected a number at the start, like 10 or 1.5")
	}
	rest := strings.TrimLeft(t[i:], " \t")
	name := strings.ToLower(rest)
	mult, ok := unitSize(name)
	if !ok {
		if len(name) == 1 && strings.Contains("kmgtpe", name) {
			iec, si := iecUnits[strings.Index("kmgtpe", name)], siUnits[strings.Index("kmgtpe", name)]
			return fail("ambiguous unit %q: write %s (%d bytes) or %s (%d bytes)", rest, iec.name, iec.size, si.name, si.size)
		}
		if len(name) > 1 && name[0] == 'e' && (isDigit(name[1]) || name[1] == '+' || name[1] == '-') {
			return fail("exponents are not read; write the digits, or use a unit like MB")
		}
		if rest != "" && (isDigit(rest[0]) || rest[0] == '.' || rest[0] == ',' || rest[0] == '_') {
			return fail("expected one number, then a unit; digit separators and exponents are not read")
		}
		return fail("unknown unit %q (use B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)", rest)
	}
	// value = (whole.frac) * mult, exactly.
	num, _ := new(big.Int).SetString(whole+frac, 10)
	num.Mul(num, big.NewInt(mult))
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac))), nil)
	q, r := new(big.Int).QuoRem(num, scale, new(big.Int))
	if r.Sign() != 0 {
		return fail("not a whole number of bytes")
	}
	if !q.IsInt64() {
		return fail("too large (at most %d bytes, about 8 EiB)", int64(math.MaxInt64))
	}
	return q.Int64(), nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Exact writes n so that Parse reads it back as n: in the unit that gives
// the smallest whole number ("10 MiB", "5 MB", "2000 KiB"), or in bytes
// ("4800123 B").
func Exact(n int64) string {
	if n < 0 {
		if n == math.MinInt64 {
			return strconv.FormatInt(n, 10) + " B"
		}
		return "-" + Exact(-n)
	}
	best, bestUnit := n, "B"
	for _, units := range [][]unit{iecUnits, siUnits} {
		for _, u := range units {
			if n >= u.size && n%u.size == 0 && n/u.size < best {
				best, bestUnit = n/u.size, u.name
			}
		}
	}
	return strconv.FormatInt(best, 10) + " " + bestUnit
}

// Format writes n for people: Exact's form when a unit divides n, else
// three significant digits of the largest binary unit not above n
// ("4.58 MiB", "10.0 MiB" for a little over 10 MiB); below 1 KiB in bytes.
// It may round; use Exact where the value matters.
func Format(n int64) string {
	if n < 0 {
		if n == math.MinInt64 {
			return "-8.00 EiB"
		}
		return "-" + Format(-n)
	}
	if s := Exact(n); !strings.HasSuffix(s, " B") || n < KiB {
		return s
	}
	i := 0
	for i+1 < len(iecUnits) && n >= iecUnits[i+1].size {
		i++
	}
	for {
		v := float64(n) / float64(iecUnits[i].size)
		digits := 2
		switch {
		case v >= 100:
			digits = 0
		case v >= 10:
			digits = 1
		}
		s := strconv.FormatFloat(v, 'f', digits, 64)
		// 1023.7 KiB rounds to "1024": say 1.00 MiB instead.
		if digits == 0 && s == "1024" && i+1 < len(iecUnits) {
			i++
			continue
		}
		return s + " " + iecUnits[i].name
	}
}

// Size is a byte size usable as a command-line flag value: it satisfies
// the flag.Value and pflag.Value interfaces, reading with Parse and writing
// with Exact.
type Size int64

// Set implements flag.Value.
func (s *Size) Set(text string) error {
	n, err := Parse(text)
	if err != nil {
		return err
	}
	*s = Size(n)
	return nil
}

// String implements flag.Value.
func (s *Size) String() string { return Exact(int64(*s)) }

// Type names the value in pflag's help text.
func (s *Size) Type() string { return "size" }
