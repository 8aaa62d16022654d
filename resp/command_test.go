package resp

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// parse runs ParseCommand on a private copy of in, since inline parsing
// rewrites its input, and returns the arguments as strings.
func parse(t testing.TB, in string, lim *Limits) ([]string, int, error) {
	t.Helper()
	buf := []byte(in)
	args, n, err := ParseCommand(buf, nil, lim)
	checkAliases(t, buf, args, n)
	var out []string
	for _, a := range args {
		out = append(out, string(a))
	}
	return out, n, err
}

// checkAliases fails unless every argument lies inside the consumed part of
// buf and n is within bounds.
func checkAliases(t testing.TB, buf []byte, args [][]byte, n int) {
	t.Helper()
	if n < 0 || n > len(buf) {
		t.Fatalf("consumed %d of %d bytes", n, len(buf))
	}
	if n == 0 && len(args) != 0 {
		t.Fatalf("%d args with nothing consumed", len(args))
	}
	if len(buf) == 0 {
		return
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	for i, a := range args {
		if len(a) == 0 {
			continue
		}
		p := uintptr(unsafe.Pointer(unsafe.SliceData(a)))
		if p < base || p+uintptr(len(a)) > base+uintptr(n) {
			t.Fatalf("arg %d (%q) does not point into the consumed input", i, a)
		}
		if cap(a) != len(a) {
			t.Fatalf("arg %d has spare capacity %d, appending to it would clobber the input", i, cap(a)-len(a))
		}
	}
}

// protocolErrorCases are malformed requests with the exact reply of
// redis-server 7.0.15 when the bytes are sent on a fresh connection. A
// reply of "" means redis-server waits for more input: the request is
// incomplete. TestRedisProtocolErrors replays them against a live server.
var protocolErrorCases = []struct {
	name   string
	in     string
	unauth bool
	reply  string
}{
	{"count not a number", "*abc\r\n", false, "-ERR Protocol error: invalid multibulk length\r\n"},
	{"count empty", "*\r\n", false, "-ERR Protocol error: invalid multibulk length\r\n"},
	{"count leading zero", "*01\r\n$4\r\nPING\r\n", false, "-ERR Protocol error: invalid multibulk length\r\n"},
	{"count plus sign", "*+1\r\n$4\r\nPING\r\n", false, "-ERR Protocol error: invalid multibulk length\r\n"},
	{"count minus zero", "*-0\r\nPING\r\n", false, "-ERR Protocol error: invalid multibulk length\r\n"},
	{"count above INT_MAX", "*2147483648\r\n", false, "-ERR Protocol error: invalid multibulk length\r\n"},
	{"count INT_MAX", "*2147483647\r\n", false, ""},
	{"count 2^30+1", "*1073741825\r\n", false, ""},
	{"count overflows int64", "*99999999999999999999\r\n", false, "-ERR Protocol error: invalid multibulk length\r\n"},
	{"count too long", "*" + strings.Repeat("1", 64<<10), false, "-ERR Protocol error: too big mbulk count string\r\n"},
	{"count at limit", "*" + strings.Repeat("1", 64<<10-1), false, ""},
	{"count NUL hides CR", "*1\x00" + strings.Repeat("x", 64<<10), false, "-ERR Protocol error: too big mbulk count string\r\n"},
	{"bulk line starts with +", "*1\r\n+4\r\n", false, "-ERR Protocol error: expected '$', got '+'\r\n"},
	{"bulk line starts with CR", "*1\r\n\r\nxx", false, "-ERR Protocol error: expected '$', got ' '\r\n"},
	{"bulk line starts with LF", "*1\r\n\nab\r\n", false, "-ERR Protocol error: expected '$', got ' '\r\n"},
	{"bulk line starts with 0xff", "*1\r\n\xffab\r\n", false, "-ERR Protocol error: expected '$', got '\xff'\r\n"},
	{"bulk line starts with NUL", "*1\r\n\x00ab\r\n", false, ""},
	{"bulk len negative", "*1\r\n$-1\r\n", false, "-ERR Protocol error: invalid bulk length\r\n"},
	{"bulk len not a number", "*1\r\n$abc\r\n", false, "-ERR Protocol error: invalid bulk length\r\n"},
	{"bulk len empty", "*1\r\n$\r\n", false, "-ERR Protocol error: invalid bulk length\r\n"},
	{"bulk len above max", "*1\r\n$536870913\r\n", false, "-ERR Protocol error: invalid bulk length\r\n"},
	{"bulk len at max", "*1\r\n$536870912\r\n", false, ""},
	{"bulk len too long", "*1\r\n$" + strings.Repeat("1", 64<<10), false, "-ERR Protocol error: too big bulk count string\r\n"},
	{"bulk len at limit", "*1\r\n$" + strings.Repeat("1", 64<<10-1), false, ""},
	{"second bulk line", "*2\r\n$3\r\nabc\r\n:1\r\n", false, "-ERR Protocol error: expected '$', got ':'\r\n"},
	{"inline too long", strings.Repeat("a", 64<<10+1), false, "-ERR Protocol error: too big inline request\r\n"},
	{"inline at limit", strings.Repeat("a", 64<<10), false, ""},
	{"inline NUL hides LF", "PING\x00" + strings.Repeat("x", 64<<10) + "\r\n", false, "-ERR Protocol error: too big inline request\r\n"},
	{"inline NUL short", "PING\x00\r\n", false, ""},
	{"unterminated double quote", "ECHO \"a\r\n", false, "-ERR Protocol error: unbalanced quotes in request\r\n"},
	{"unterminated single quote", "ECHO 'a\r\n", false, "-ERR Protocol error: unbalanced quotes in request\r\n"},
	{"double quote then text", "ECHO \"a\"b\r\n", false, "-ERR Protocol error: unbalanced quotes in request\r\n"},
	{"single quote then text", "ECHO 'a'b\r\n", false, "-ERR Protocol error: unbalanced quotes in request\r\n"},
	{"empty single quotes then text", "ECHO ''x\r\n", false, "-ERR Protocol error: unbalanced quotes in request\r\n"},
	{"two quoted strings touching", "ECHO \"a\"\"b\"\r\n", false, "-ERR Protocol error: unbalanced quotes in request\r\n"},
	{"quote inside a word", "ECHO a\"b\"c\r\n", false, "-ERR Protocol error: unbalanced quotes in request\r\n"},
	{"backslash at end of quotes", "ECHO \"ab\\\r\n", false, "-ERR Protocol error: unbalanced quotes in request\r\n"},
	{"unauth count 10", "*10\r\n", true, ""},
	{"unauth count 11", "*11\r\n", true, "-ERR Protocol error: unauthenticated multibulk length\r\n"},
	{"unauth count invalid first", "*2147483648\r\n", true, "-ERR Protocol error: invalid multibulk length\r\n"},
	{"unauth bulk 16384", "*1\r\n$16384\r\n", true, ""},
	{"unauth bulk 16385", "*1\r\n$16385\r\n", true, "-ERR Protocol error: unauthenticated bulk length\r\n"},
	{"unauth bulk negative", "*1\r\n$-1\r\n", true, "-ERR Protocol error: invalid bulk length\r\n"},
}

func TestParseCommandErrors(t *testing.T) {
	for _, tc := range protocolErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			lim := DefaultLimits
			lim.Unauthenticated = tc.unauth
			args, n, err := parse(t, tc.in, &lim)
			if tc.reply == "" {
				if err != nil || n != 0 || args != nil {
					t.Fatalf("got %q, %d, %v; want incomplete", args, n, err)
				}
				return
			}
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Fatalf("got %q, %d, %v; want a *ProtocolError", args, n, err)
			}
			if n != 0 || args != nil {
				t.Fatalf("error with %q, %d", args, n)
			}
			w := Writer{Proto: 2}
			w.Error("ERR " + err.Error())
			if string(w.Buf) != tc.reply {
				t.Fatalf("reply %q, redis-server sends %q", w.Buf, tc.reply)
			}
		})
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		n    int // bytes consumed; -1 for all
	}{
		{"multibulk", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", []string{"GET", "k"}, -1},
		{"binary payload", "*1\r\n$4\r\n\r\n\x00\xff\r\n", []string{"\r\n\x00\xff"}, -1},
		{"empty argument", "*2\r\n$0\r\n\r\n$0\r\n\r\n", []string{"", ""}, -1},
		{"followed by more", "*1\r\n$4\r\nPING\r\n*1\r\n", []string{"PING"}, 14},
		{"count zero", "*0\r\nPING\r\n", nil, 4},
		{"count minus one", "*-1\r\nPING\r\n", nil, 5},
		{"count minus five", "*-5\r\nPING\r\n", nil, 5},
		// Redis skips the byte after a line's CR and the two after a
		// payload without looking at them.
		{"line ends unchecked", "*1\rX$4\rYPINGab", []string{"PING"}, -1},
		{"payload end unchecked", "*1\r\n$4\r\nPINGxxPING\r\n", []string{"PING"}, 14},
		{"bulk max len", "*1\r\n$3\r\nabc\r\n", []string{"abc"}, -1},
		{"inline", "GET k\r\n", []string{"GET", "k"}, -1},
		{"inline LF only", "GET k\n", []string{"GET", "k"}, -1},
		{"inline empty line", "\r\nPING\r\n", nil, 2},
		{"inline blank line", "   \nPING\n", nil, 4},
		{"inline CR inside", "echo a\rb\n", []string{"echo", "a", "b"}, -1},
		{"inline two CRs", "echo\ta\r\r\n", []string{"echo", "a"}, -1},
		{"inline quoted", "SET k \"a b\"\r\n", []string{"SET", "k", "a b"}, -1},
		{"inline at limit", strings.Repeat("a", 64<<10) + "\n", []string{strings.Repeat("a", 64<<10)}, -1},
		{"inline starting with $", "$3\r\n", []string{"$3"}, -1},
		{"inline NUL after the line", "PING\r\n\x00", []string{"PING"}, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args, n, err := parse(t, tc.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.n
			if want < 0 {
				want = len(tc.in)
			}
			if n != want || !reflect.DeepEqual(args, tc.want) {
				t.Fatalf("got %q, %d; want %q, %d", args, n, tc.want, want)
			}
		})
	}
}

// TestParseCommandPrefixes checks that every proper prefix of a command is
// reported as incomplete, whatever point the input is cut at.
func TestParseCommandPrefixes(t *testing.T) {
	commands := []string{
		"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n",
		"*1\r\n$0\r\n\r\n",
		"*0\r\n",
		"*-1\r\n",
		"*2\r\n$10\r\n0123456789\r\n$2\r\n\r\n\r\n",
		"SET k \"a\\x41\\n\" 'b\\'c'\r\n",
		"PING\n",
		"\r\n",
	}
	for _, cmd := range commands {
		_, n, err := parse(t, cmd, nil)
		if err != nil || n != len(cmd) {
			t.Fatalf("%q: got %d, %v; want %d", cmd, n, err, len(cmd))
		}
		for k := 0; k < len(cmd); k++ {
			args, n, err := parse(t, cmd[:k], nil)
			if err != nil || n != 0 || args != nil {
				t.Fatalf("%q cut at %d: got %q, %d, %v; want incomplete", cmd, k, args, n, err)
			}
		}
	}
}

func TestParseCommandPipeline(t *testing.T) {
	var in strings.Builder
	var want [][]string
	for i := 0; i < 50; i++ {
		switch i % 4 {
		case 0:
			in.WriteString("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
			want = append(want, []string{"SET", "key", "value"})
		case 1:
			in.WriteString("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
			want = append(want, []string{"GET", "key"})
		case 2:
			in.WriteString("GET 'quoted key'\r\n")
			want = append(want, []string{"GET", "quoted key"})
		case 3:
			in.WriteString("\r\n*0\r\n")
			want = append(want, nil, nil)
		}
	}
	buf := []byte(in.String())
	var got [][]string
	var args [][]byte
	for len(buf) > 0 {
		var n int
		var err error
		args, n, err = ParseCommand(buf, args, nil)
		if err != nil || n == 0 {
			t.Fatalf("stopped with %d bytes left: %d, %v", len(buf), n, err)
		}
		var cmd []string
		for _, a := range args {
			cmd = append(cmd, string(a))
		}
		got = append(got, cmd)
		buf = buf[n:]
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestParseCommandLimits(t *testing.T) {
	tests := []struct {
		name string
		lim  *Limits
		in   string
		want string // error text, "" for success, "incomplete"
	}{
		{"nil limits", nil, "*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"},
		{"zero limits mean defaults", &Limits{}, "*1\r\n$536870912\r\n", "incomplete"},
		{"zero limits unauthenticated", &Limits{Unauthenticated: true}, "*1\r\n$16385\r\n", "Protocol error: unauthenticated bulk length"},
		{"small bulk limit", &Limits{MaxBulkLen: 3}, "*1\r\n$4\r\nabcd\r\n", "Protocol error: invalid bulk length"},
		{"small bulk limit ok", &Limits{MaxBulkLen: 3}, "*1\r\n$3\r\nabc\r\n", ""},
		{"small inline limit", &Limits{MaxInline: 4}, "PING!", "Protocol error: too big inline request"},
		{"small inline limit ok", &Limits{MaxInline: 4}, "PING\n", ""},
		{"small count limit", &Limits{MaxInline: 4}, "*1234", "Protocol error: too big mbulk count string"},
		{"small count limit ok", &Limits{MaxInline: 4}, "*123\r", "incomplete"},
		{"small bulk line limit", &Limits{MaxInline: 4}, "*1\r\n$1234", "Protocol error: too big bulk count string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, n, err := parse(t, tc.in, tc.lim)
			switch {
			case tc.want == "incomplete":
				if n != 0 || err != nil {
					t.Fatalf("got %d, %v; want incomplete", n, err)
				}
			case tc.want == "":
				if n != len(tc.in) || err != nil {
					t.Fatalf("got %d, %v; want %d", n, err, len(tc.in))
				}
			case err == nil || err.Error() != tc.want:
				t.Fatalf("got %d, %v; want %s", n, err, tc.want)
			}
		})
	}
}

func TestString2ll(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"1", 1, true},
		{"-1", -1, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"-9223372036854775808", -9223372036854775808, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775809", 0, false},
		{"18446744073709551616", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"-0", 0, false},
		{"00", 0, false},
		{"01", 0, false},
		{"+1", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"1a", 0, false},
		{"000000000000000000001", 0, false},
	}
	for _, tc := range tests {
		got, ok := string2ll([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("string2ll(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseCommandAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	in := []byte("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\nGET key\r\n\r\n")
	args := make([][]byte, 0, 8)
	allocs := testing.AllocsPerRun(100, func() {
		buf := in
		for len(buf) > 0 {
			var n int
			args, n, _ = ParseCommand(buf, args, nil)
			if n == 0 {
				panic("stuck")
			}
			buf = buf[n:]
		}
	})
	if allocs != 0 {
		t.Fatalf("ParseCommand allocates %v times per run", allocs)
	}
}
