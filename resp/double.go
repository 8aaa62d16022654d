package resp

import (
	"math"
	"strconv"
)

// AppendDouble appends f formatted as C's printf("%.17g") does with glibc,
// which is how redis-server 7.0 writes doubles: up to 17 significant digits
// without trailing zeros, exponent form ("1e+20", "1.0000000000000001e-05")
// below 1e-4 or from 1e17 on, "inf", "-inf", "nan" and "-nan" for the
// special values. It returns the extended buffer.
func AppendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		if math.Signbit(f) {
			return append(dst, "-nan"...)
		}
		return append(dst, "nan"...)
	}
	// strconv's 'g' with an explicit precision follows the C rules: the
	// exponent form is chosen from the exponent after rounding to 17 digits,
	// trailing zeros are dropped and the exponent has at least two digits.
	return strconv.AppendFloat(dst, f, 'g', 17, 64)
}
