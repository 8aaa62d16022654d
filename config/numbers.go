package config

import "math"

// The parsers in this file reproduce the C functions Redis uses to read
// numbers from configuration values, quirks included, because CONFIG SET
// must accept and refuse exactly the same texts as redis-server.

// maxInt64Len mirrors LONG_STR_SIZE: string2ll refuses 21 bytes or more.
const maxInt64Len = 21

// string2ll parses a strict base-10 int64 as Redis's string2ll does: no
// white space, no '+', no leading zeros (other than "0" itself), no "-0".
func string2ll(s string) (int64, bool) {
	if len(s) == 0 || len(s) >= maxInt64Len {
		return 0, false
	}
	if s == "0" {
		return 0, true
	}
	neg := false
	i := 0
	if s[0] == '-' {
		neg = true
		i++
		if i == len(s) {
			return 0, false
		}
	}
	if s[i] < '1' || s[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > math.MaxUint64/10 {
			return 0, false
		}
		v *= 10
		if v > math.MaxUint64-uint64(c-'0') {
			return 0, false
		}
		v += uint64(c - '0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return int64(-v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// isSpace is C's isspace in the "C" locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// strtoll behaves like C's strtoll(s, &end, base) for base 8 or 10: leading
// white space, an optional sign, then digits. rest is what follows the
// digits, or all of s when there are none. overflow reports ERANGE; the
// value then saturates as in C.
func strtoll(s string, base int) (n int64, rest string, overflow bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	for ; i < len(s); i++ {
		d := uint64(s[i]) - '0'
		if s[i] < '0' || d >= uint64(base) {
			break
		}
		if !overflow {
			if v > (limit-d)/uint64(base) {
				overflow = true
				v = limit
			} else {
				v = v*uint64(base) + d
			}
		}
	}
	if i == start {
		return 0, s, false
	}
	if neg {
		return int64(-v), s[i:], overflow
	}
	return int64(v), s[i:], overflow
}

// memtoull parses a memory value the way Redis's memtoull does: decimal
// digits followed by an optional unit (b, k, kb, m, mb, g, gb, in any case;
// k is 1000 and kb is 1024). Digits that overflow saturate and the product
// with the unit wraps, as in C.
func memtoull(s string) (uint64, bool) {
	if len(s) > 0 && s[0] == '-' {
		return 0, false
	}
	u := 0
	for u < len(s) && s[u] >= '0' && s[u] <= '9' {
		u++
	}
	var mul uint64
	switch unit := s[u:]; {
	case unit == "" || equalFold(unit, "b"):
		mul = 1
	case equalFold(unit, "k"):
		mul = 1000
	case equalFold(unit, "kb"):
		mul = 1024
	case equalFold(unit, "m"):
		mul = 1000 * 1000
	case equalFold(unit, "mb"):
		mul = 1024 * 1024
	case equalFold(unit, "g"):
		mul = 1000 * 1000 * 1000
	case equalFold(unit, "gb"):
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if u >= 128 { // the digits must fit Redis's 128-byte buffer
		return 0, false
	}
	var v uint64
	for i := 0; i < u; i++ {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			v = math.MaxUint64
			break
		}
		v = v*10 + d
	}
	return v * mul, true
}

// equalFold compares ASCII strings without regard to case, like strcasecmp.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}
