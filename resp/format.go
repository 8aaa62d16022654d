package resp

import "strconv"

// String renders v readably and deterministically, like redis-cli: `"hello"`, `(integer) 1`,
// `(nil)`, `(error) ERR ...`, arrays as `1) ...` lines (used by golden script tests).
//
// The layout is that of redis-cli 7.0 writing to a terminal, without the
// final newline: bulk strings quoted and escaped, simple strings and
// verbatim text bare, `(double) 3.5`, `(true)`, `(empty array)`, sets
// numbered `1~`, maps numbered `1#` with `key => value`. Kinds redis-cli
// cannot show get a form of their own: big numbers are `(big number) 123`
// and attributes are shown like maps.
func (v Value) String() string {
	out := appendTTY(nil, v, "")
	return string(out[:len(out)-1])
}

// appendTTY is redis-cli's cliFormatReplyTTY: it renders v, ending with a
// newline, with prefix in front of every line after the first.
func appendTTY(out []byte, v Value, prefix string) []byte {
	if v.Null {
		return append(out, "(nil)\n"...)
	}
	switch v.Kind {
	case KindError, KindBlobError:
		out = append(append(out, "(error) "...), v.Str...)
	case KindSimple:
		out = append(out, v.Str...)
	case KindInt:
		out = strconv.AppendInt(append(out, "(integer) "...), v.Int, 10)
	case KindDouble:
		out = append(append(out, "(double) "...), v.Str...)
	case KindBigNumber:
		out = append(append(out, "(big number) "...), v.Str...)
	case KindBulk:
		out = AppendRepr(out, v.Str)
	case KindVerbatim:
		if len(v.Str) >= 4 {
			out = append(out, v.Str[4:]...)
		}
	case KindBool:
		if v.Int != 0 {
			out = append(out, "(true)"...)
		} else {
			out = append(out, "(false)"...)
		}
	case KindArray, KindSet, KindPush, KindMap, KindAttribute:
		return appendAggregateTTY(out, v, prefix)
	default:
		out = append(out, "(unknown reply type "...)
		out = append(strconv.AppendQuoteRune(out, rune(v.Kind)), ')')
	}
	return append(out, '\n')
}

// appendAggregateTTY renders an array, set, push, map or attribute.
func appendAggregateTTY(out []byte, v Value, prefix string) []byte {
	isMap := v.Kind == KindMap || v.Kind == KindAttribute
	if len(v.Elems) == 0 {
		switch v.Kind {
		case KindArray:
			return append(out, "(empty array)\n"...)
		case KindSet:
			return append(out, "(empty set)\n"...)
		case KindPush:
			return append(out, "(empty push)\n"...)
		}
		return append(out, "(empty hash)\n"...)
	}
	count := len(v.Elems)
	if isMap {
		count /= 2
	}
	width := len(strconv.Itoa(count))
	sep := byte(')')
	switch {
	case v.Kind == KindSet:
		sep = '~'
	case isMap:
		sep = '#'
	}
	// Nested elements are indented past the index and its separator.
	inner := prefix + spaces(width+2)
	for i := 0; i < len(v.Elems); i++ {
		if i > 0 {
			out = append(out, prefix...)
		}
		idx := i + 1
		if isMap {
			idx = i/2 + 1
		}
		num := strconv.Itoa(idx)
		out = append(out, spaces(width-len(num))...)
		out = append(append(out, num...), sep, ' ')
		out = appendTTY(out, v.Elems[i], inner)
		if isMap {
			i++
			out = append(out[:len(out)-1], " => "...)
			if i == len(v.Elems) {
				out = append(out, "(missing)\n"...)
				break
			}
			if multiline(v.Elems[i]) {
				out = append(append(out, '\n'), inner...)
			}
			out = appendTTY(out, v.Elems[i], inner)
		}
	}
	return out
}

// multiline reports whether appendTTY renders v on more than one line
// (redis-cli's cliIsMultilineValueTTY).
func multiline(v Value) bool {
	if v.Null {
		return false
	}
	switch v.Kind {
	case KindArray, KindSet, KindPush:
		switch len(v.Elems) {
		case 0:
			return false
		case 1:
			return multiline(v.Elems[0])
		}
		return true
	case KindMap, KindAttribute:
		switch {
		case len(v.Elems) == 0:
			return false
		case len(v.Elems) > 2:
			return true
		case len(v.Elems) == 2:
			return multiline(v.Elems[1])
		}
	}
	return false
}

func spaces(n int) string {
	const s = "                                "
	if n <= len(s) {
		return s[:n]
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	return string(b)
}

// AppendRepr appends b in double quotes the way Redis's sdscatrepr writes it (redis-cli
// output, MONITOR lines, CONFIG REWRITE values): printable ASCII as is, '\\' and '"'
// escaped, \n \r \t \a \b by name and any other byte as \xhh.
func AppendRepr(out, b []byte) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	for _, c := range b {
		switch c {
		case '\\', '"':
			out = append(out, '\\', c)
		case '\n':
			out = append(out, '\\', 'n')
		case '\r':
			out = append(out, '\\', 'r')
		case '\t':
			out = append(out, '\\', 't')
		case '\a':
			out = append(out, '\\', 'a')
		case '\b':
			out = append(out, '\\', 'b')
		default:
			if c >= 0x20 && c <= 0x7e {
				out = append(out, c)
			} else {
				out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
			}
		}
	}
	return append(out, '"')
}
