package resp

import (
	"bytes"
	"testing"
)

// commandSeeds covers every RESP2 and RESP3 type byte, well-formed
// commands and inline forms.
var commandSeeds = []string{
	"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
	"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n*1\r\n$4\r\nPING\r\n",
	"*0\r\n", "*-1\r\n", "*1\r\n$0\r\n\r\n", "*1\rX$1\rYaZZ",
	"*1\r\n+OK\r\n", "*1\r\n-ERR\r\n", "*1\r\n:1\r\n", "*1\r\n_\r\n", "*1\r\n,1.5\r\n",
	"*1\r\n#t\r\n", "*1\r\n(1\r\n", "*1\r\n=5\r\ntxt:a\r\n", "*1\r\n%1\r\n", "*1\r\n~1\r\n",
	"*1\r\n>1\r\n", "*1\r\n|1\r\n", "*1\r\n!3\r\nERR\r\n", "*1\r\n*1\r\n",
	"+OK\r\n", "-ERR x\r\n", ":1\r\n", "$3\r\nabc\r\n", "_\r\n", ",3.14\r\n", "#f\r\n",
	"(12345\r\n", "=7\r\ntxt:abc\r\n", "%1\r\n:1\r\n:2\r\n", "~1\r\n:1\r\n", ">1\r\n:1\r\n", "|1\r\n:1\r\n:2\r\n",
	"PING\r\n", "PING\n", "\r\n", "  \t\n", "SET k \"a\\x41\\n\\\"\" 'b\\'c'\r\n",
	"ECHO \"a\"b\r\n", "ECHO 'a\r\n", "PING\x00\r\n", "*1\r\n$-1\r\n", "*abc\r\n",
	"*2147483648\r\n", "*11\r\n", "*1\r\n$16385\r\n",
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range commandSeeds {
		f.Add([]byte(s), false, false)
		f.Add([]byte(s), true, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, small, unauth bool) {
		lim := DefaultLimits
		if small {
			lim = Limits{MaxBulkLen: 64, MaxInline: 32}
		}
		lim.Unauthenticated = unauth
		buf := bytes.Clone(data)
		args, n, err := ParseCommand(buf, nil, &lim)
		checkAliases(t, buf, args, n)
		if err != nil {
			if n != 0 || len(args) != 0 {
				t.Fatalf("error %v with %d args and %d bytes", err, len(args), n)
			}
			return
		}
		if n == 0 {
			return
		}
		// The command is complete exactly at n: the same bytes alone give
		// the same command, and every shorter prefix is incomplete.
		again, n2, err := ParseCommand(bytes.Clone(data[:n]), nil, &lim)
		if err != nil || n2 != n || len(again) != len(args) {
			t.Fatalf("alone, the %d bytes give %d args, %d, %v; want %d args", n, len(again), n2, err, len(args))
		}
		for i := range args {
			if !bytes.Equal(args[i], again[i]) {
				t.Fatalf("arg %d: %q, then %q", i, args[i], again[i])
			}
		}
		if n > 300 {
			return
		}
		for k := 0; k < n; k++ {
			part, m, err := ParseCommand(bytes.Clone(data[:k]), nil, &lim)
			if m != 0 || err != nil || len(part) != 0 {
				t.Fatalf("prefix of %d bytes: %d args, %d, %v; want incomplete", k, len(part), m, err)
			}
		}
	})
}

func FuzzParseReply(f *testing.F) {
	for _, s := range commandSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, n, err := ParseReply(data)
		if n < 0 || n > len(data) {
			t.Fatalf("consumed %d of %d bytes", n, len(data))
		}
		if err != nil || n == 0 {
			if n != 0 {
				t.Fatalf("error %v after %d bytes", err, n)
			}
			return
		}
		// Re-encoding gives the canonical form, which parses to the same
		// value.
		enc := AppendValue(nil, v)
		got, m, err := ParseReply(enc)
		if err != nil || m != len(enc) || !equalValue(got, v) {
			t.Fatalf("%q re-encodes as %q, which parses as %+v, %d, %v", data[:n], enc, got, m, err)
		}
		_ = v.String()
	})
}
