package config

import (
	"math"
	"testing"
)

func TestString2ll(t *testing.T) {
	tests := []struct {
		s  string
		n  int64
		ok bool
	}{
		{"0", 0, true}, {"7", 7, true}, {"-7", -7, true},
		{"9223372036854775807", math.MaxInt64, true}, {"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false}, {"-9223372036854775809", 0, false},
		{"", 0, false}, {"-", 0, false}, {"-0", 0, false}, {"07", 0, false}, {"+7", 0, false},
		{" 7", 0, false}, {"7 ", 0, false}, {"1e3", 0, false}, {"000000000000000000001", 0, false},
	}
	for _, tt := range tests {
		if n, ok := string2ll(tt.s); n != tt.n || ok != tt.ok {
			t.Errorf("string2ll(%q) = %d, %v", tt.s, n, ok)
		}
	}
}

func TestStrtoll(t *testing.T) {
	tests := []struct {
		s        string
		base     int
		n        int64
		rest     string
		overflow bool
	}{
		{"", 10, 0, "", false}, {"  -12x", 10, -12, "x", false}, {"+5", 10, 5, "", false},
		{"-", 10, 0, "-", false}, {" ", 10, 0, " ", false}, {"x", 10, 0, "x", false},
		{"99999999999999999999", 10, math.MaxInt64, "", true},
		{"-99999999999999999999", 10, math.MinInt64, "", true},
		{"-9223372036854775808", 10, math.MinInt64, "", false},
		{"0777", 8, 0o777, "", false}, {"78", 8, 7, "8", false}, {"-1", 8, -1, "", false},
	}
	for _, tt := range tests {
		n, rest, overflow := strtoll(tt.s, tt.base)
		if n != tt.n || rest != tt.rest || overflow != tt.overflow {
			t.Errorf("strtoll(%q, %d) = %d, %q, %v", tt.s, tt.base, n, rest, overflow)
		}
	}
}

func TestMemtoull(t *testing.T) {
	tests := []struct {
		s  string
		n  uint64
		ok bool
	}{
		{"", 0, true}, {"0", 0, true}, {"1b", 1, true}, {"1k", 1000, true}, {"1KB", 1024, true},
		{"3m", 3000000, true}, {"3mB", 3 << 20, true}, {"2g", 2000000000, true}, {"2GB", 2 << 30, true},
		{"18446744073709551615", math.MaxUint64, true}, {"99999999999999999999", math.MaxUint64, true},
		{"18014398509481984kb", 0, true}, // wraps, as in C
		{"-1", 0, false}, {"+1", 0, false}, {"1 ", 0, false}, {"1kib", 0, false}, {"0x10", 0, false},
	}
	for _, tt := range tests {
		if n, ok := memtoull(tt.s); n != tt.n || ok != tt.ok {
			t.Errorf("memtoull(%q) = %d, %v", tt.s, n, ok)
		}
	}
}
