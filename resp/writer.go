package resp

import "strconv"

// Writer appends replies to Buf, choosing RESP2 or RESP3 encodings by Proto (2 or 3).
// It never flushes; the caller owns Buf and resets it with Buf = Buf[:0].
//
// Any Proto other than 3, the zero value included, means RESP2. The RESP2
// forms of the RESP3 types are the ones redis-server 7.0 sends. A Writer is
// not safe for concurrent use; no method allocates once Buf has room.
type Writer struct {
	Buf   []byte
	Proto int
}

// resp3 reports whether replies use the RESP3 encodings.
func (w *Writer) resp3() bool { return w.Proto == 3 }

// Simple appends a simple string: "+s\r\n". CR and LF in s are replaced by
// spaces so that s cannot end the line early.
func (w *Writer) Simple(s string) {
	w.Buf = appendLine(append(w.Buf, '+'), s)
}

// SimpleBytes is [Writer.Simple] for a byte slice.
func (w *Writer) SimpleBytes(b []byte) {
	w.Buf = appendLine(append(w.Buf, '+'), b)
}

// Error appends an error reply: "-s\r\n". s carries its own prefix, as in
// "ERR syntax error" or "WRONGTYPE Operation against a key holding the wrong
// kind of value". CR and LF in s are replaced by spaces, as Redis does.
func (w *Writer) Error(s string) {
	w.Buf = appendLine(append(w.Buf, '-'), s)
}

// Int appends an integer reply: ":n\r\n".
func (w *Writer) Int(n int64) {
	w.Buf = appendHeader(w.Buf, ':', n)
}

// Bulk appends a bulk string: "$len\r\n" + b + "\r\n". A nil b is an empty
// string, not a null; use [Writer.Null] for that.
func (w *Writer) Bulk(b []byte) {
	w.Buf = appendBulk(w.Buf, '$', b)
}

// BulkString is [Writer.Bulk] for a string.
func (w *Writer) BulkString(s string) {
	w.Buf = appendBulk(w.Buf, '$', s)
}

// BulkInt appends n formatted in decimal as a bulk string.
func (w *Writer) BulkInt(n int64) {
	var tmp [20]byte
	w.Buf = appendBulk(w.Buf, '$', strconv.AppendInt(tmp[:0], n, 10))
}

// Null appends a null: "_\r\n" in RESP3, the null bulk string "$-1\r\n" in
// RESP2.
func (w *Writer) Null() {
	if w.resp3() {
		w.Buf = append(w.Buf, "_\r\n"...)
		return
	}
	w.Buf = append(w.Buf, "$-1\r\n"...)
}

// NullArray appends a null: "_\r\n" in RESP3, the null array "*-1\r\n" in
// RESP2.
func (w *Writer) NullArray() {
	if w.resp3() {
		w.Buf = append(w.Buf, "_\r\n"...)
		return
	}
	w.Buf = append(w.Buf, "*-1\r\n"...)
}

// Array appends the header "*n\r\n" of an array; the caller then writes n
// elements.
func (w *Writer) Array(n int) {
	w.Buf = appendHeader(w.Buf, '*', int64(n))
}

// Map appends the header of a map of n pairs: "%n\r\n" in RESP3, an array
// of 2n elements in RESP2. The caller then writes n keys, each followed by
// its value.
func (w *Writer) Map(n int) {
	if w.resp3() {
		w.Buf = appendHeader(w.Buf, '%', int64(n))
		return
	}
	w.Buf = appendHeader(w.Buf, '*', 2*int64(n))
}

// Set appends the header of a set of n elements: "~n\r\n" in RESP3, an
// array in RESP2.
func (w *Writer) Set(n int) {
	if w.resp3() {
		w.Buf = appendHeader(w.Buf, '~', int64(n))
		return
	}
	w.Buf = appendHeader(w.Buf, '*', int64(n))
}

// Push appends the header of an out-of-band push message of n elements:
// ">n\r\n" in RESP3, an array in RESP2 (which is how pub/sub messages
// reach RESP2 clients).
func (w *Writer) Push(n int) {
	if w.resp3() {
		w.Buf = appendHeader(w.Buf, '>', int64(n))
		return
	}
	w.Buf = appendHeader(w.Buf, '*', int64(n))
}

// Attribute appends the header "|n\r\n" of an attribute of n pairs, which
// the caller follows with the pairs and then the reply they describe.
//
// RESP2 has no attributes and Attribute writes nothing there. The caller
// must then skip the n pairs as well, as redis-server does: it only ever
// sends attributes to RESP3 clients.
func (w *Writer) Attribute(n int) {
	if w.resp3() {
		w.Buf = appendHeader(w.Buf, '|', int64(n))
	}
}

// Double appends a floating point number formatted like C's "%.17g" (see
// [AppendDouble]): ",<text>\r\n" in RESP3, a bulk string of the same text in
// RESP2. Infinities are "inf" and "-inf".
func (w *Writer) Double(f float64) {
	var tmp [32]byte
	text := AppendDouble(tmp[:0], f)
	if w.resp3() {
		w.Buf = append(append(append(w.Buf, ','), text...), '\r', '\n')
		return
	}
	w.Buf = appendBulk(w.Buf, '$', text)
}

// Bool appends a boolean: "#t\r\n" or "#f\r\n" in RESP3, the integers
// ":1\r\n" and ":0\r\n" in RESP2.
func (w *Writer) Bool(b bool) {
	switch {
	case w.resp3() && b:
		w.Buf = append(w.Buf, "#t\r\n"...)
	case w.resp3():
		w.Buf = append(w.Buf, "#f\r\n"...)
	case b:
		w.Buf = append(w.Buf, ":1\r\n"...)
	default:
		w.Buf = append(w.Buf, ":0\r\n"...)
	}
}

// BigNumber appends an integer of any size given in decimal: "(s\r\n" in
// RESP3, a bulk string in RESP2.
func (w *Writer) BigNumber(s string) {
	if w.resp3() {
		w.Buf = appendLine(append(w.Buf, '('), s)
		return
	}
	w.Buf = appendBulk(w.Buf, '$', s)
}

// Verbatim appends a verbatim string: "=len\r\nfmt:s\r\n" in RESP3, a plain
// bulk string of s in RESP2. format is the three-byte type of the text,
// "txt" or "mkd"; any other length is replaced by "txt".
func (w *Writer) Verbatim(format, s string) {
	if !w.resp3() {
		w.Buf = appendBulk(w.Buf, '$', s)
		return
	}
	if len(format) != 3 {
		format = "txt"
	}
	w.Buf = appendHeader(w.Buf, '=', int64(len(s)+4))
	w.Buf = append(append(w.Buf, format...), ':')
	w.Buf = append(append(w.Buf, s...), '\r', '\n')
}

// Raw appends pre-encoded bytes as they are, such as a shared "+OK\r\n" or a
// reply forwarded from another server.
func (w *Writer) Raw(b []byte) {
	w.Buf = append(w.Buf, b...)
}

// appendHeader appends kind, n in decimal and CRLF.
func appendHeader(dst []byte, kind byte, n int64) []byte {
	dst = strconv.AppendInt(append(dst, kind), n, 10)
	return append(dst, '\r', '\n')
}

// appendBulk appends a length-prefixed string of the given kind.
func appendBulk[T ~string | ~[]byte](dst []byte, kind byte, s T) []byte {
	dst = appendHeader(dst, kind, int64(len(s)))
	return append(append(dst, s...), '\r', '\n')
}

// appendLine appends s and CRLF, with each CR or LF in s turned into a space
// so that the line cannot be cut short or a reply forged.
func appendLine[T ~string | ~[]byte](dst []byte, s T) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' {
			dst = append(append(dst, s[start:i]...), ' ')
			start = i + 1
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '\r', '\n')
}
