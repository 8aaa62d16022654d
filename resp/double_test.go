package resp

import (
	"math"
	"testing"
)

// TestAppendDouble compares with printf("%.17g") from glibc.
func TestAppendDouble(t *testing.T) {
	tests := []struct {
		bits uint64
		want string
	}{
		{0x0000000000000000, "0"},
		{0x8000000000000000, "-0"},
		{0x4415af1d78b58c40, "1e+20"},
		{0x3ee4f8b588e368f1, "1.0000000000000001e-05"},
		{0x405edd2f1a9fbe77, "123.456"},
		{0x3ff8000000000000, "1.5"},
		{0x4008000000000000, "3"},
		{0x4376345785d8a000, "1e+17"},
		{0x4341c37937e08000, "10000000000000000"},
		{0x437b69b4ba630f35, "1.2345678901234568e+17"},
		{0x4345ee2a2eb5a5c4, "12345678901234568"},
		{0x3f1a36e2eb1c432d, "0.0001"},
		{0x0000000000000001, "4.9406564584124654e-324"},
		{0x7fefffffffffffff, "1.7976931348623157e+308"},
		{0x0010000000000000, "2.2250738585072014e-308"},
		{0x3fb999999999999a, "0.10000000000000001"},
		{0x3fd5555555555555, "0.33333333333333331"},
		{0x400920c49ba5e354, "3.141"},
		{0x4059000000000000, "100"},
		{0x430c6bf526340000, "1000000000000000"},
		{0x40f4d6e83126e979, "85358.512000000002"},
		{0x42859b5ddf117f5e, "2969629876783.9209"},
		{0x7ff0000000000000, "inf"},
		{0xfff0000000000000, "-inf"},
		{0x7ff8000000000001, "nan"},
		{0xfff8000000000000, "-nan"},
	}
	for _, tc := range tests {
		f := math.Float64frombits(tc.bits)
		if got := string(AppendDouble([]byte("x"), f)); got != "x"+tc.want {
			t.Errorf("AppendDouble(%016x) = %q, want %q", tc.bits, got, "x"+tc.want)
		}
	}
}
