package rpc

import (
	"bytes"
	"errors"
	"math"
)

var errNotInt = errors.New("not an integer")

// parseInt parses b as Redis's string2ll does: an optional '-', then decimal digits with no
// leading zeros (except "0" itself), no '+' and no spaces, within int64.
func parseInt(b []byte) (int64, error) {
	if len(b) == 0 || len(b) > 20 {
		return 0, errNotInt
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, nil
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, errNotInt
		}
	}
	if b[0] < '1' || b[0] > '9' {
		return 0, errNotInt
	}
	var v uint64
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0, errNotInt
		}
		if v > (math.MaxUint64-9)/10 {
			return 0, errNotInt
		}
		v = v*10 + uint64(ch-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, errNotInt
		}
		return -int64(v), nil
	}
	if v > math.MaxInt64 {
		return 0, errNotInt
	}
	return int64(v), nil
}

// is reports whether arg equals the lower-case word, ignoring ASCII case; it never allocates.
func is(arg []byte, word string) bool {
	if len(arg) != len(word) {
		return false
	}
	for i := range len(arg) {
		ch := arg[i]
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		if ch != word[i] {
			return false
		}
	}
	return true
}

// cString returns b up to its first NUL byte, as C sees it: Redis compares options and prints
// arguments as C strings, so "nx\x00junk" is NX to it.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
