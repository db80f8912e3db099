package bytesize

import (
	"errors"
	"flag"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"0", 0},
		{"4800000", 4800000},
		{"007", 7},
		{"10MiB", 10485760},
		{"10 MiB", 10485760},
		{"10\tMiB", 10485760},
		{"  10MiB  ", 10485760},
		{"10mib", 10485760},
		{"10MIB", 10485760},
		{"10Mi", 10485760},
		{"5MB", 5000000},
		{"5mb", 5000000},
		{"5Mb", 5000000},
		{"512KiB", 524288},
		{"512kB", 512000},
		{"512KB", 512000},
		{"1GB", 1000000000},
		{"1GiB", 1 << 30},
		{"2TiB", 2 << 40},
		{"3TB", 3000000000000},
		{"1PiB", 1 << 50},
		{"1EB", 1000000000000000000},
		{"7EiB", 7 << 60},
		{"100B", 100},
		{"100 bytes", 100},
		{"1 byte", 1},
		{"1.5MiB", 1572864},
		{"1.5KiB", 1536},
		{"1.5kB", 1500},
		{"0.5KiB", 512},
		{"2.000B", 2},
		{"0.001kB", 1},
		{"9223372036854775807", math.MaxInt64},
		{"9223372036854775807B", math.MaxInt64},
		{"7.5EiB", 15 << 59},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"", "empty"},
		{"   ", "empty"},
		{"-1", "cannot be negative"},
		{"-10MiB", "cannot be negative"},
		{"+5", "expected a number"},
		{"MiB", "expected a number"},
		{".5MiB", `".5" is not a number: write digits on both sides`},
		{"1.MiB", `"1." is not a number`},
		{"1.5B", "not a whole number of bytes"},
		{"0.1", "not a whole number of bytes"},
		{"1.0000001KiB", "not a whole number of bytes"},
		{"10M", `ambiguous unit "M": write MiB (1048576 bytes) or MB (1000000 bytes)`},
		{"10k", "ambiguous unit"},
		{"1G", "ambiguous unit"},
		{"10 MiB extra", `unknown unit "MiB extra"`},
		{"10 megabytes", "unknown unit"},
		{"10Mbit", "unknown unit"},
		{"0x10", "unknown unit"},
		{"1e6", "exponents are not read"},
		{"10,000", "digit separators"},
		{"4_800_000", "digit separators"},
		{"1.5.5", "digit separators"},
		{"10 10", "digit separators"},
		{"9223372036854775808", "too large"},
		{"8EiB", "too large"},
		{"9999999999999999999999999EB", "too large"},
		{strings.Repeat("1", 65), "too long"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %d, %v; want an error", tt.in, got, err)
			continue
		}
		want := `invalid size "` + tt.in + `": `
		if !strings.HasPrefix(err.Error(), want) || !strings.Contains(pe.Msg, tt.msg) {
			t.Errorf("Parse(%q) error %q; want %q...%q", tt.in, err, want, tt.msg)
		}
	}
}

func TestExactAndFormat(t *testing.T) {
	tests := []struct {
		n             int64
		exact, format string
	}{
		{0, "0 B", "0 B"},
		{1, "1 B", "1 B"},
		{1000, "1 kB", "1 kB"},
		{1023, "1023 B", "1023 B"},
		{1024, "1 KiB", "1 KiB"},
		{1025, "1025 B", "1.00 KiB"},
		{1536, "1536 B", "1.50 KiB"},
		{1024000, "1000 KiB", "1000 KiB"},
		{2048000, "2000 KiB", "2000 KiB"},
		{5000000, "5 MB", "5 MB"},
		{4800000, "4800 kB", "4800 kB"},
		{4800123, "4800123 B", "4.58 MiB"},
		{10485760, "10 MiB", "10 MiB"},
		{10485761, "10485761 B", "10.0 MiB"},
		{123456789, "123456789 B", "118 MiB"},
		{1048575, "1048575 B", "1.00 MiB"}, // 1023.999 KiB
		{1 << 30, "1 GiB", "1 GiB"},
		{1<<30 + 1, "1073741825 B", "1.00 GiB"},
		{3 * EiB, "3 EiB", "3 EiB"},
		{math.MaxInt64, "9223372036854775807 B", "8.00 EiB"},
		{-1024, "-1 KiB", "-1 KiB"},
		{math.MinInt64, "-9223372036854775808 B", "-8.00 EiB"},
	}
	for _, tt := range tests {
		if got := Exact(tt.n); got != tt.exact {
			t.Errorf("Exact(%d) = %q; want %q", tt.n, got, tt.exact)
		}
		if got := Format(tt.n); got != tt.format {
			t.Errorf("Format(%d) = %q; want %q", tt.n, got, tt.format)
		}
	}
}

// Parse reads back whatever Exact writes, for sizes of every magnitude.
func TestExactRoundTrips(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		n := r.Int64() >> r.IntN(63)
		if i%3 == 0 { // favour multiples of units
			n = n >> 20 << 20
		}
		if got, err := Parse(Exact(n)); err != nil || got != n {
			t.Fatalf("Parse(Exact(%d) = %q) = %d, %v", n, Exact(n), got, err)
		}
	}
}

// Size is a flag.Value (and so a pflag.Value with its Type).
func TestSizeFlag(t *testing.T) {
	var limit Size = 10 * Size(MiB)
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	fs.Var(&limit, "sync-limit", "")
	if got := fs.Lookup("sync-limit").DefValue; got != "10 MiB" {
		t.Errorf("default shown as %q", got)
	}
	if err := fs.Parse([]string{"--sync-limit", "5MB"}); err != nil || limit != 5000000 {
		t.Errorf("--sync-limit 5MB: %d, %v", limit, err)
	}
	err := fs.Parse([]string{"--sync-limit", "10Mbit"})
	if err == nil || !strings.Contains(err.Error(), `invalid size "10Mbit"`) {
		t.Errorf("--sync-limit 10Mbit: %v", err)
	}
	if limit.Type() != "size" {
		t.Errorf("Type() = %q", limit.Type())
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"10MiB", "5 MB", "1.5KiB", "0", "9223372036854775807", "-1", "1e6", "10M"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		defer fuzzguard.Watch(len(s))()
		n, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Input != s {
				t.Fatalf("Parse(%q) error %v is not a *ParseError for the input", s, err)
			}
			return
		}
		if n < 0 {
			t.Fatalf("Parse(%q) = %d, negative", s, n)
		}
		if back, err := Parse(Exact(n)); err != nil || back != n {
			t.Fatalf("Parse(Exact(%d)) = %d, %v", n, back, err)
		}
		_ = Format(n)
	})
}
