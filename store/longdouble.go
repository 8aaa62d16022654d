package store

import (
	"bytes"
	"math/big"
)

// The arithmetic of INCRBYFLOAT: Redis computes in C long double, which on
// x86 is the 80-bit extended format with a 64-bit mantissa, reads numbers
// with strtold and prints them with "%.17Lf". Values are modelled as exact
// big.Floats rounded to nearest-even at 64 bits, with the format's exponent
// range, subnormals included.
const (
	ldPrec = 64
	// ldMaxExp is the largest exponent of a finite value, in the
	// mantissa-in-[0.5,1) convention of big.Float.MantExp.
	ldMaxExp = 16384
	// ldMinExp is the exponent of the smallest normal value, 2^-16382.
	ldMinExp = -16381
	// ldSubShift places the least significant bit of a subnormal:
	// the smallest subnormal is 2^-ldSubShift.
	ldSubShift = 16445
	// ldMaxChars is Redis's MAX_LONG_DOUBLE_CHARS: longer texts are not
	// numbers.
	ldMaxChars = 5 * 1024
	// maxDecExp and minDecExp bound the decimal exponent of a finite,
	// non-zero long double (about 1.19e4932 and 3.65e-4951).
	maxDecExp = 4933
	minDecExp = -4951
)

func zeroLongDouble() *big.Float { return new(big.Float).SetPrec(ldPrec) }

func intLongDouble(n int64) *big.Float { return new(big.Float).SetPrec(ldPrec).SetInt64(n) }

// parseLongDouble reads s as Redis's string2ld does: the whole of s must be
// what strtold accepts (an optional sign, then a decimal number with an
// optional e exponent, a 0x hexadecimal number with an optional p exponent,
// or inf/infinity), without leading space, not NaN, and not so large or
// small that strtold overflows or underflows to zero. Infinity is returned
// as an infinite big.Float.
func parseLongDouble(s []byte) (*big.Float, bool) {
	if len(s) == 0 || len(s) >= ldMaxChars {
		return nil, false
	}
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if bytes.EqualFold(s, []byte("inf")) || bytes.EqualFold(s, []byte("infinity")) {
		return new(big.Float).SetInf(neg), true
	}
	var f *big.Float
	var ok bool
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		f, ok = parseHexLongDouble(s[2:])
	} else {
		f, ok = parseDecLongDouble(s)
	}
	if !ok {
		return nil, false
	}
	if neg {
		f.Neg(f)
	}
	return f, true
}

// scanMantissa splits s into its mantissa digits (digit reports which bytes
// are digits), with at most one '.', and the rest. It returns the digits
// without the point, the number of digits after the point, and the rest.
func scanMantissa(s []byte, digit func(byte) bool) (digits []byte, frac int, rest []byte) {
	point := false
	i := 0
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case digit(c):
			digits = append(digits, c)
			if point {
				frac++
			}
		case c == '.' && !point:
			point = true
		default:
			return digits, frac, s[i:]
		}
	}
	return digits, frac, s[i:]
}

// scanExponent reads the exponent after its letter: an optional sign and at
// least one decimal digit, making up all of s. Large exponents saturate.
func scanExponent(s []byte) (int, bool) {
	neg := false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, false
	}
	e := 0
	for _, c := range s {
		if !isDigit(c) {
			return 0, false
		}
		if e < 1<<30 {
			e = e*10 + int(c-'0')
		}
	}
	if neg {
		e = -e
	}
	return e, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f'
}

// parseDecLongDouble reads an unsigned decimal number.
func parseDecLongDouble(s []byte) (*big.Float, bool) {
	digits, frac, rest := scanMantissa(s, isDigit)
	if len(digits) == 0 {
		return nil, false
	}
	exp := 0
	if len(rest) > 0 {
		if rest[0] != 'e' && rest[0] != 'E' {
			return nil, false
		}
		var ok bool
		if exp, ok = scanExponent(rest[1:]); !ok {
			return nil, false
		}
	}
	digits = bytes.TrimLeft(digits, "0")
	if len(digits) == 0 {
		return zeroLongDouble(), true
	}
	exp -= frac
	// The value lies in [10^(top-1), 10^top).
	top := len(digits) + exp
	if top-1 >= maxDecExp || top <= minDecExp {
		return nil, false // overflow, or underflow to zero
	}
	m, _ := new(big.Int).SetString(string(digits), 10)
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(exp, -exp))), nil)
	den := new(big.Float).SetInt64(1)
	if exp >= 0 {
		m.Mul(m, pow)
	} else {
		den = new(big.Float).SetInt(pow) // zero precision: exact
	}
	num := new(big.Float).SetInt(m) // zero precision: exact
	return roundLongDouble(num, den)
}

// parseHexLongDouble reads an unsigned hexadecimal number after its 0x.
func parseHexLongDouble(s []byte) (*big.Float, bool) {
	digits, frac, rest := scanMantissa(s, isHexDigit)
	if len(digits) == 0 {
		return nil, false
	}
	exp := 0
	if len(rest) > 0 {
		if rest[0] != 'p' && rest[0] != 'P' {
			return nil, false
		}
		var ok bool
		if exp, ok = scanExponent(rest[1:]); !ok {
			return nil, false
		}
	}
	m, _ := new(big.Int).SetString(string(digits), 16)
	if m.Sign() == 0 {
		return zeroLongDouble(), true
	}
	exp -= 4 * frac
	// The value lies in [2^(top-1), 2^top).
	top := m.BitLen() + exp
	if top-1 >= ldMaxExp || top <= -ldSubShift-1 {
		return nil, false
	}
	num := new(big.Float).SetInt(m)
	num.SetMantExp(num, exp)
	return roundLongDouble(num, new(big.Float).SetInt64(1))
}

// roundLongDouble rounds the exact positive quotient num/den to a long
// double. It reports false when the result overflows or underflows to zero,
// as strtold's ERANGE cases that Redis rejects.
func roundLongDouble(num, den *big.Float) (*big.Float, bool) {
	en := num.MantExp(nil)
	ed := den.MantExp(nil)
	mn := new(big.Float).SetMantExp(num, -en)
	md := new(big.Float).SetMantExp(den, -ed)
	// The quotient lies in [2^(e-1), 2^e).
	e := en - ed
	if mn.Cmp(md) >= 0 {
		e++
	}
	if e > ldMaxExp {
		return nil, false
	}
	prec := ldPrec
	if e < ldMinExp {
		prec = e + ldSubShift // bits left above the subnormal grid
	}
	switch {
	case prec < 0:
		return nil, false
	case prec == 0:
		// The quotient lies in [2^-16446, 2^-16445): it rounds up to the
		// smallest subnormal unless it is the tie (even is zero).
		half := new(big.Float).SetMantExp(den, -ldSubShift-1)
		if num.Cmp(half) <= 0 {
			return nil, false
		}
		return new(big.Float).SetMantExp(big.NewFloat(1), -ldSubShift).SetPrec(ldPrec), true
	}
	z := new(big.Float).SetPrec(uint(prec)).SetMode(big.ToNearestEven).Quo(num, den)
	if z.MantExp(nil) > ldMaxExp {
		return nil, false
	}
	return z.SetPrec(ldPrec), true
}

// addLongDouble returns a+b rounded as a long double addition rounds, or
// false when the sum is infinite or NaN.
func addLongDouble(a, b *big.Float) (*big.Float, bool) {
	if a.IsInf() || b.IsInf() {
		return nil, false
	}
	if a.Sign() == 0 || b.Sign() == 0 {
		return new(big.Float).SetPrec(ldPrec).Add(a, b), true
	}
	// Enough bits to hold the sum exactly.
	ea, eb := a.MantExp(nil), b.MantExp(nil)
	prec := max(ea, eb) - min(ea, eb) + 2*ldPrec
	sum := new(big.Float).SetPrec(uint(prec)).Add(a, b)
	if sum.Sign() == 0 {
		return zeroLongDouble(), true
	}
	neg := sum.Signbit()
	sum.Abs(sum)
	z, ok := roundLongDouble(sum, new(big.Float).SetInt64(1))
	if !ok {
		return nil, false // only overflow is possible: sums on the grid never round to zero
	}
	if neg {
		z.Neg(z)
	}
	return z, true
}

// formatLongDouble prints f as Redis's ld2string in LD_STR_HUMAN mode:
// "%.17Lf" with trailing zeros and a trailing point removed, and "-0"
// printed as "0".
func formatLongDouble(f *big.Float) []byte {
	b := f.Append(make([]byte, 0, 32), 'f', 17)
	if bytes.IndexByte(b, '.') >= 0 {
		b = bytes.TrimRight(b, "0")
		b = bytes.TrimSuffix(b, []byte("."))
	}
	if string(b) == "-0" {
		b = append(b[:0], '0')
	}
	return b
}
