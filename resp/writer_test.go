package resp

import (
	"math"
	"testing"
)

// TestWriter checks every reply in both protocols. Where redis-server has
// an equivalent (DEBUG PROTOCOL, HELLO, ZSCORE), the expected bytes are
// what redis-server 7.0.15 sends.
func TestWriter(t *testing.T) {
	tests := []struct {
		name  string
		write func(w *Writer)
		resp2 string
		resp3 string
	}{
		{"simple", func(w *Writer) { w.Simple("OK") }, "+OK\r\n", "+OK\r\n"},
		{"simple bytes", func(w *Writer) { w.SimpleBytes([]byte("PONG")) }, "+PONG\r\n", "+PONG\r\n"},
		{"simple newline", func(w *Writer) { w.Simple("a\r\nb\n") }, "+a  b \r\n", "+a  b \r\n"},
		{"error", func(w *Writer) { w.Error("ERR syntax error") }, "-ERR syntax error\r\n", "-ERR syntax error\r\n"},
		{"error newline", func(w *Writer) { w.Error("ERR a\r\nb") }, "-ERR a  b\r\n", "-ERR a  b\r\n"},
		{"int", func(w *Writer) { w.Int(12345) }, ":12345\r\n", ":12345\r\n"},
		{"int min", func(w *Writer) { w.Int(math.MinInt64) }, ":-9223372036854775808\r\n", ":-9223372036854775808\r\n"},
		{"bulk", func(w *Writer) { w.Bulk([]byte("Hello World")) }, "$11\r\nHello World\r\n", "$11\r\nHello World\r\n"},
		{"bulk nil is empty", func(w *Writer) { w.Bulk(nil) }, "$0\r\n\r\n", "$0\r\n\r\n"},
		{"bulk binary", func(w *Writer) { w.Bulk([]byte("\r\n\x00")) }, "$3\r\n\r\n\x00\r\n", "$3\r\n\r\n\x00\r\n"},
		{"bulk string", func(w *Writer) { w.BulkString("7.0.15") }, "$6\r\n7.0.15\r\n", "$6\r\n7.0.15\r\n"},
		{"bulk int", func(w *Writer) { w.BulkInt(-42) }, "$3\r\n-42\r\n", "$3\r\n-42\r\n"},
		{"bulk int max", func(w *Writer) { w.BulkInt(math.MaxInt64) }, "$19\r\n9223372036854775807\r\n", "$19\r\n9223372036854775807\r\n"},
		{"null", func(w *Writer) { w.Null() }, "$-1\r\n", "_\r\n"},
		{"null array", func(w *Writer) { w.NullArray() }, "*-1\r\n", "_\r\n"},
		{"array", func(w *Writer) { w.Array(3); w.Int(0); w.Int(1); w.Int(2) }, "*3\r\n:0\r\n:1\r\n:2\r\n", "*3\r\n:0\r\n:1\r\n:2\r\n"},
		{"empty array", func(w *Writer) { w.Array(0) }, "*0\r\n", "*0\r\n"},
		{"set", func(w *Writer) { w.Set(3); w.Int(0); w.Int(1); w.Int(2) }, "*3\r\n:0\r\n:1\r\n:2\r\n", "~3\r\n:0\r\n:1\r\n:2\r\n"},
		{"map", func(w *Writer) {
			w.Map(3)
			for i := int64(0); i < 3; i++ {
				w.Int(i)
				w.Bool(i == 1)
			}
		}, "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"},
		{"push", func(w *Writer) { w.Push(2); w.BulkString("server-cpu-usage"); w.Int(42) },
			"*2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n", ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"},
		{"attribute", func(w *Writer) {
			w.Attribute(1)
			if w.Proto == 3 {
				w.BulkString("key-popularity")
				w.Array(2)
				w.BulkString("key:123")
				w.Int(90)
			}
			w.BulkString("Some real reply following the attribute")
		}, "$39\r\nSome real reply following the attribute\r\n",
			"|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n"},
		{"double", func(w *Writer) { w.Double(3.141) }, "$5\r\n3.141\r\n", ",3.141\r\n"},
		{"double exponent", func(w *Writer) { w.Double(1e20) }, "$5\r\n1e+20\r\n", ",1e+20\r\n"},
		{"double zero", func(w *Writer) { w.Double(0) }, "$1\r\n0\r\n", ",0\r\n"},
		{"double inf", func(w *Writer) { w.Double(math.Inf(1)) }, "$3\r\ninf\r\n", ",inf\r\n"},
		{"double -inf", func(w *Writer) { w.Double(math.Inf(-1)) }, "$4\r\n-inf\r\n", ",-inf\r\n"},
		{"double nan", func(w *Writer) { w.Double(math.NaN()) }, "$3\r\nnan\r\n", ",nan\r\n"},
		{"true", func(w *Writer) { w.Bool(true) }, ":1\r\n", "#t\r\n"},
		{"false", func(w *Writer) { w.Bool(false) }, ":0\r\n", "#f\r\n"},
		{"big number", func(w *Writer) { w.BigNumber("1234567999999999999999999999999999999") },
			"$37\r\n1234567999999999999999999999999999999\r\n", "(1234567999999999999999999999999999999\r\n"},
		{"verbatim", func(w *Writer) { w.Verbatim("txt", "This is a verbatim\nstring") },
			"$25\r\nThis is a verbatim\nstring\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n"},
		{"verbatim markdown", func(w *Writer) { w.Verbatim("mkd", "# hi") }, "$4\r\n# hi\r\n", "=8\r\nmkd:# hi\r\n"},
		{"verbatim bad format", func(w *Writer) { w.Verbatim("text", "x") }, "$1\r\nx\r\n", "=5\r\ntxt:x\r\n"},
		{"raw", func(w *Writer) { w.Raw([]byte("+OK\r\n")) }, "+OK\r\n", "+OK\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, proto := range []int{2, 3} {
				w := Writer{Proto: proto, Buf: []byte("prefix")}
				tc.write(&w)
				want := "prefix" + tc.resp2
				if proto == 3 {
					want = "prefix" + tc.resp3
				}
				if string(w.Buf) != want {
					t.Errorf("RESP%d: got %q, want %q", proto, w.Buf, want)
				}
				// Every reply must parse back as one value, except the
				// attribute which is followed by the reply it describes.
				rest := w.Buf[len("prefix"):]
				for len(rest) > 0 {
					_, n, err := ParseReply(rest)
					if err != nil || n == 0 {
						t.Fatalf("RESP%d: %q does not parse: %d, %v", proto, rest, n, err)
					}
					rest = rest[n:]
				}
			}
		})
	}
}

func TestWriterZeroValueIsRESP2(t *testing.T) {
	var w Writer
	w.Null()
	w.Map(1)
	if string(w.Buf) != "$-1\r\n*2\r\n" {
		t.Fatalf("got %q", w.Buf)
	}
}

func TestWriterAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, proto := range []int{2, 3} {
		w := Writer{Proto: proto, Buf: make([]byte, 0, 4096)}
		val := []byte("value")
		allocs := testing.AllocsPerRun(100, func() {
			w.Buf = w.Buf[:0]
			w.Simple("OK")
			w.SimpleBytes(val)
			w.Error("ERR x")
			w.Int(-12345)
			w.Bulk(val)
			w.BulkString("value")
			w.BulkInt(1234567890)
			w.Null()
			w.NullArray()
			w.Array(2)
			w.Map(2)
			w.Set(2)
			w.Push(2)
			w.Attribute(1)
			w.Double(3.14159)
			w.Double(1e-300)
			w.Double(math.Inf(-1))
			w.Bool(true)
			w.BigNumber("123456789012345678901234567890")
			w.Verbatim("txt", "hello")
			w.Raw(val)
		})
		if allocs != 0 {
			t.Errorf("RESP%d: Writer allocates %v times per run", proto, allocs)
		}
	}
}
