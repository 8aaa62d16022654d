package resp

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// equalValue compares two values, treating nil and empty slices alike.
func equalValue(a, b Value) bool {
	if a.Kind != b.Kind || a.Int != b.Int || a.Null != b.Null ||
		!bytes.Equal(a.Str, b.Str) || len(a.Elems) != len(b.Elems) {
		return false
	}
	for i := range a.Elems {
		if !equalValue(a.Elems[i], b.Elems[i]) {
			return false
		}
	}
	return true
}

func str(k Kind, s string) Value   { return Value{Kind: k, Str: []byte(s)} }
func integer(i int64) Value        { return Value{Kind: KindInt, Int: i} }
func agg(k Kind, e ...Value) Value { return Value{Kind: k, Elems: e} }
func bulk(s string) Value          { return str(KindBulk, s) }
func null(k Kind) Value            { return Value{Kind: k, Null: true} }
func boolean(b bool) Value {
	v := Value{Kind: KindBool}
	if b {
		v.Int = 1
	}
	return v
}

func TestParseReply(t *testing.T) {
	tests := []struct {
		in   string
		want Value
	}{
		{"+OK\r\n", str(KindSimple, "OK")},
		{"+\r\n", str(KindSimple, "")},
		{"-ERR unknown command\r\n", str(KindError, "ERR unknown command")},
		{":12345\r\n", integer(12345)},
		{":-9223372036854775808\r\n", integer(-9223372036854775808)},
		{":+7\r\n", integer(7)},
		{"$11\r\nHello World\r\n", bulk("Hello World")},
		{"$0\r\n\r\n", bulk("")},
		{"$4\r\n\r\n\r\n\r\n", bulk("\r\n\r\n")},
		{"$-1\r\n", null(KindBulk)},
		{"*-1\r\n", null(KindArray)},
		{"_\r\n", null(KindNull)},
		{"*0\r\n", agg(KindArray)},
		{"*3\r\n:0\r\n:1\r\n:2\r\n", agg(KindArray, integer(0), integer(1), integer(2))},
		{"~3\r\n:0\r\n:1\r\n:2\r\n", agg(KindSet, integer(0), integer(1), integer(2))},
		{"%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n", agg(KindMap, integer(0), boolean(false), integer(1), boolean(true), integer(2), boolean(false))},
		{">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n", agg(KindPush, bulk("server-cpu-usage"), integer(42))},
		{"|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n", agg(KindAttribute, bulk("key-popularity"), agg(KindArray, bulk("key:123"), integer(90)))},
		{",3.141\r\n", str(KindDouble, "3.141")},
		{",-inf\r\n", str(KindDouble, "-inf")},
		{"#t\r\n", boolean(true)},
		{"#f\r\n", boolean(false)},
		{"(1234567999999999999999999999999999999\r\n", str(KindBigNumber, "1234567999999999999999999999999999999")},
		{"=29\r\ntxt:This is a verbatim\nstring\r\n", str(KindVerbatim, "txt:This is a verbatim\nstring")},
		{"!21\r\nSYNTAX invalid syntax\r\n", str(KindBlobError, "SYNTAX invalid syntax")},
		{"*2\r\n*-1\r\n$-1\r\n", agg(KindArray, null(KindArray), null(KindBulk))},
	}
	for _, tc := range tests {
		for _, tail := range []string{"", "+NEXT\r\n"} {
			v, n, err := ParseReply([]byte(tc.in + tail))
			if err != nil || n != len(tc.in) || !equalValue(v, tc.want) {
				t.Errorf("ParseReply(%q) = %+v, %d, %v; want %+v, %d", tc.in+tail, v, n, err, tc.want, len(tc.in))
			}
		}
		// Every proper prefix is incomplete.
		for k := 0; k < len(tc.in); k++ {
			if _, n, err := ParseReply([]byte(tc.in[:k])); n != 0 || err != nil {
				t.Errorf("ParseReply(%q) = %d, %v; want incomplete", tc.in[:k], n, err)
			}
		}
	}
}

func TestParseReplyErrors(t *testing.T) {
	tests := []string{
		"\r\n",
		"x\r\n",
		"+OK\n",
		"\n",
		":abc\r\n",
		":\r\n",
		":99999999999999999999\r\n",
		"$-2\r\n",
		"$abc\r\n",
		"$3\r\nabcde",
		"*-2\r\n",
		"*2147483648\r\n",
		"#x\r\n",
		"_x\r\n",
		"=3\r\ntxt\r\n",
		"=4\r\ntxt-\r\n",
		"*1\r\n?\r\n",
		strings.Repeat("*1\r\n", maxReplyDepth+2) + ":1\r\n",
	}
	for _, in := range tests {
		_, n, err := ParseReply([]byte(in))
		var pe *ProtocolError
		if !errors.As(err, &pe) || n != 0 {
			t.Errorf("ParseReply(%q) = %d, %v; want a *ProtocolError", in, n, err)
		}
	}
}

func TestAppendValue(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{null(KindSimple), "_\r\n"},
		{null(KindMap), "%-1\r\n"},
		{agg(KindMap, integer(1), integer(2), integer(3)), "%1\r\n:1\r\n:2\r\n"},
		{Value{Kind: 'x'}, ""},
		{boolean(true), "#t\r\n"},
	}
	for _, tc := range tests {
		if got := AppendValue(nil, tc.v); string(got) != tc.want {
			t.Errorf("AppendValue(%+v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// randomValue builds a random reply that AppendValue encodes losslessly.
func randomValue(r *rand.Rand, depth int) Value {
	text := func(line bool) []byte {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = byte(r.IntN(256))
			if line && (b[i] == '\r' || b[i] == '\n') {
				b[i] = 'x'
			}
		}
		return b
	}
	kinds := []Kind{KindSimple, KindError, KindInt, KindBulk, KindNull, KindDouble, KindBool,
		KindBigNumber, KindBlobError, KindVerbatim, KindArray, KindSet, KindPush, KindMap, KindAttribute}
	k := kinds[r.IntN(len(kinds))]
	if depth > 3 && (k == KindArray || k == KindSet || k == KindPush || k == KindMap || k == KindAttribute) {
		k = KindBulk
	}
	v := Value{Kind: k}
	switch k {
	case KindSimple, KindError, KindDouble, KindBigNumber:
		v.Str = text(true)
	case KindInt:
		v.Int = int64(r.Uint64())
	case KindBool:
		v.Int = int64(r.IntN(2))
	case KindNull:
		v.Null = true
	case KindVerbatim:
		v.Str = append([]byte("txt:"), text(false)...)
	case KindBulk, KindBlobError:
		v.Str = text(false)
		v.Null = r.IntN(8) == 0
	default:
		if r.IntN(8) == 0 {
			v.Null = true
			break
		}
		n := r.IntN(5)
		if k == KindMap || k == KindAttribute {
			n *= 2
		}
		for range n {
			v.Elems = append(v.Elems, randomValue(r, depth+1))
		}
	}
	if v.Null {
		v.Str = nil
	}
	return v
}

// TestRoundTrip checks that AppendValue followed by ParseReply gives back
// the same value, for random values.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		v := randomValue(r, 0)
		enc := AppendValue(nil, v)
		got, n, err := ParseReply(enc)
		if err != nil || n != len(enc) || !equalValue(got, v) {
			t.Fatalf("%+v encodes as %q, which parses as %+v, %d, %v", v, enc, got, n, err)
		}
	}
}

// TestValueString compares with redis-cli 7.0.15 output for the same reply
// bytes (redis-cli --no-raw).
func TestValueString(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"+OK\r\n", "OK"},
		{"-ERR wrong\r\n", "(error) ERR wrong"},
		{"!5\r\nERR x\r\n", "(error) ERR x"},
		{":12345\r\n", "(integer) 12345"},
		{",3.141\r\n", "(double) 3.141"},
		{"(123\r\n", "(big number) 123"},
		{"$11\r\nHello World\r\n", `"Hello World"`},
		{"$-1\r\n", "(nil)"},
		{"*-1\r\n", "(nil)"},
		{"_\r\n", "(nil)"},
		{"#t\r\n", "(true)"},
		{"#f\r\n", "(false)"},
		{"=29\r\ntxt:This is a verbatim\nstring\r\n", "This is a verbatim\nstring"},
		{"*0\r\n", "(empty array)"},
		{"~0\r\n", "(empty set)"},
		{"%0\r\n", "(empty hash)"},
		{">0\r\n", "(empty push)"},
		{"*3\r\n:0\r\n:1\r\n:2\r\n", "1) (integer) 0\n2) (integer) 1\n3) (integer) 2"},
		{"~3\r\n:0\r\n:1\r\n:2\r\n", "1~ (integer) 0\n2~ (integer) 1\n3~ (integer) 2"},
		{"%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n", "1# (integer) 0 => (false)\n2# (integer) 1 => (true)\n3# (integer) 2 => (false)"},
		{"*4\r\n:1\r\n*2\r\n:2\r\n*2\r\n:3\r\n$1\r\nx\r\n*0\r\n$7\r\na\"b\\\n\t\x01\r\n",
			"1) (integer) 1\n2) 1) (integer) 2\n   2) 1) (integer) 3\n      2) \"x\"\n3) (empty array)\n4) \"a\\\"b\\\\\\n\\t\\x01\""},
		{"%2\r\n$1\r\na\r\n*2\r\n:1\r\n:2\r\n$1\r\nb\r\n*1\r\n:3\r\n",
			"1# \"a\" => \n   1) (integer) 1\n   2) (integer) 2\n2# \"b\" => 1) (integer) 3"},
		{"%1\r\n$3\r\nget\r\n%5\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n",
			`1# "get" => 
   1# "summary" => "Get the value of a key"
   2# "since" => "1.0.0"
   3# "group" => "string"
   4# "complexity" => "O(1)"
   5# "arguments" => 
      1) 1# "name" => "key"
         2# "type" => "key"
         3# "key_spec_index" => (integer) 0`},
		{"*11\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n:7\r\n:8\r\n:9\r\n:10\r\n:11\r\n",
			" 1) (integer) 1\n 2) (integer) 2\n 3) (integer) 3\n 4) (integer) 4\n 5) (integer) 5\n 6) (integer) 6\n 7) (integer) 7\n 8) (integer) 8\n 9) (integer) 9\n10) (integer) 10\n11) (integer) 11"},
		{"|1\r\n$3\r\nkey\r\n:1\r\n", `1# "key" => (integer) 1`},
	}
	for _, tc := range tests {
		v, n, err := ParseReply([]byte(tc.in))
		if err != nil || n != len(tc.in) {
			t.Fatalf("ParseReply(%q) = %d, %v", tc.in, n, err)
		}
		if got := v.String(); got != tc.want {
			t.Errorf("String of %q:\n%s\nwant:\n%s", tc.in, got, tc.want)
		}
	}
}
