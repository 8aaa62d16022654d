package resp

import (
	"bytes"
	"math"
	"strconv"
)

// Kind is a RESP type byte: '+', '-', ':', '$', '*', '_', ',', '#', '(', '=', '%', '~', '>', '|'.
// The RESP3 blob error '!' is understood too.
type Kind byte

// The RESP2 and RESP3 kinds.
const (
	KindSimple    Kind = '+'
	KindError     Kind = '-'
	KindInt       Kind = ':'
	KindBulk      Kind = '$'
	KindArray     Kind = '*'
	KindNull      Kind = '_'
	KindDouble    Kind = ','
	KindBool      Kind = '#'
	KindBigNumber Kind = '('
	KindBlobError Kind = '!'
	KindVerbatim  Kind = '='
	KindMap       Kind = '%'
	KindSet       Kind = '~'
	KindPush      Kind = '>'
	KindAttribute Kind = '|'
)

// Value is a parsed reply.
//
// Str holds the text of simple strings, errors (without the '-'), bulk
// strings, blob errors, doubles and big numbers (their text as sent), and of
// verbatim strings, where it keeps the whole payload including the
// three-byte format and its colon ("txt:hello") so that nothing is lost.
// Int holds an integer, or 1 and 0 for a boolean. Null marks the RESP2
// "$-1" and "*-1" (Kind '$' or '*') and the RESP3 "_" (Kind '_'). Elems
// holds the elements of an array, set or push, and the keys and values of a
// map or attribute flattened as key, value, key, value.
type Value struct {
	Kind  Kind
	Str   []byte  // simple, error, bulk, verbatim ("txt:" prefix kept), double/bignum text
	Int   int64   // integer; boolean as 0/1
	Null  bool    // RESP2 $-1 / *-1, RESP3 _
	Elems []Value // array, set, push; map and attribute as flattened key,value pairs
}

// maxReplyDepth bounds the nesting of aggregates that ParseReply follows.
const maxReplyDepth = 512

// ParseReply parses one reply at the start of buf. n == 0 and err == nil means incomplete.
//
// The strings of v alias buf. An attribute ('|') is returned as a value of
// its own; the reply it describes is the next one in buf. Errors are
// [*ProtocolError] values.
func ParseReply(buf []byte) (v Value, n int, err error) {
	return parseReply(buf, 0)
}

func parseReply(buf []byte, depth int) (Value, int, error) {
	if depth > maxReplyDepth {
		return Value{}, 0, errReplyDepth
	}
	line, n, err := replyLine(buf)
	if n == 0 || err != nil {
		return Value{}, 0, err
	}
	kind, text := Kind(line[0]), line[1:]
	switch kind {
	case KindSimple, KindError, KindDouble, KindBigNumber:
		return Value{Kind: kind, Str: text}, n, nil
	case KindInt:
		i, ok := parseInt(text)
		if !ok {
			return Value{}, 0, errReplyInt
		}
		return Value{Kind: kind, Int: i}, n, nil
	case KindNull:
		if len(text) != 0 {
			return Value{}, 0, errReplyNull
		}
		return Value{Kind: kind, Null: true}, n, nil
	case KindBool:
		switch string(text) {
		case "t":
			return Value{Kind: kind, Int: 1}, n, nil
		case "f":
			return Value{Kind: kind, Int: 0}, n, nil
		}
		return Value{}, 0, errReplyBool
	case KindBulk, KindBlobError, KindVerbatim:
		size, ok := string2ll(text)
		if !ok || size < -1 {
			return Value{}, 0, errReplyBulkLen
		}
		if size == -1 {
			return Value{Kind: kind, Null: true}, n, nil
		}
		if int64(len(buf)-n) < size+2 {
			return Value{}, 0, nil
		}
		end := n + int(size)
		if buf[end] != '\r' || buf[end+1] != '\n' {
			return Value{}, 0, errReplyCRLF
		}
		s := buf[n:end:end]
		if kind == KindVerbatim && (len(s) < 4 || s[3] != ':') {
			return Value{}, 0, errReplyVerbatim
		}
		return Value{Kind: kind, Str: s}, end + 2, nil
	case KindArray, KindSet, KindPush, KindMap, KindAttribute:
		count, ok := string2ll(text)
		if !ok || count < -1 || count > math.MaxInt32 {
			return Value{}, 0, errReplyMbulkLen
		}
		if count == -1 {
			return Value{Kind: kind, Null: true}, n, nil
		}
		if kind == KindMap || kind == KindAttribute {
			count *= 2
		}
		// Every element takes at least three bytes, which bounds what an
		// untrusted count can make us allocate.
		elems := make([]Value, 0, min(count, int64(len(buf)-n)/3))
		for ; count > 0; count-- {
			e, m, err := parseReply(buf[n:], depth+1)
			if m == 0 || err != nil {
				return Value{}, 0, err
			}
			elems = append(elems, e)
			n += m
		}
		return Value{Kind: kind, Elems: elems}, n, nil
	}
	return Value{}, 0, errReplyKind
}

// replyLine returns the first line of buf without its CRLF, and the length
// of the line with it; n is 0 when the line is incomplete.
func replyLine(buf []byte) (line []byte, n int, err error) {
	i := bytes.IndexByte(buf, '\n')
	switch {
	case i < 0:
		return nil, 0, nil
	case i == 0 || buf[i-1] != '\r':
		return nil, 0, errReplyCRLF
	case i == 1:
		return nil, 0, errReplyKind // an empty line has no type byte
	}
	return buf[:i-1], i + 1, nil
}

// parseInt parses the text of an integer reply: an optional sign and
// decimal digits.
func parseInt(b []byte) (int64, bool) {
	i, err := strconv.ParseInt(string(b), 10, 64)
	return i, err == nil
}

// AppendValue re-encodes v (for round-trip tests).
//
// A null is written as "_" for Kind '_' and as "<kind>-1" for the bulk and
// aggregate kinds, so that it parses back to the same Value; for other kinds
// it is written as "_". A map or attribute with an odd number of elements
// loses the last one. Simple strings, errors, doubles and big numbers are
// written as they are, so a CR or LF in them makes an unparseable reply.
// An unknown Kind writes nothing.
func AppendValue(dst []byte, v Value) []byte {
	if v.Null {
		switch v.Kind {
		case KindBulk, KindBlobError, KindVerbatim, KindArray, KindSet, KindPush, KindMap, KindAttribute:
			return append(dst, byte(v.Kind), '-', '1', '\r', '\n')
		}
		return append(dst, "_\r\n"...)
	}
	switch v.Kind {
	case KindSimple, KindError, KindDouble, KindBigNumber:
		dst = append(append(dst, byte(v.Kind)), v.Str...)
		return append(dst, '\r', '\n')
	case KindInt:
		return appendHeader(dst, ':', v.Int)
	case KindNull:
		return append(dst, "_\r\n"...)
	case KindBool:
		if v.Int != 0 {
			return append(dst, "#t\r\n"...)
		}
		return append(dst, "#f\r\n"...)
	case KindBulk, KindBlobError, KindVerbatim:
		return appendBulk(dst, byte(v.Kind), v.Str)
	case KindArray, KindSet, KindPush:
		dst = appendHeader(dst, byte(v.Kind), int64(len(v.Elems)))
		for _, e := range v.Elems {
			dst = AppendValue(dst, e)
		}
		return dst
	case KindMap, KindAttribute:
		pairs := len(v.Elems) / 2
		dst = appendHeader(dst, byte(v.Kind), int64(pairs))
		for _, e := range v.Elems[:2*pairs] {
			dst = AppendValue(dst, e)
		}
		return dst
	}
	return dst
}
