package rpc

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kvrpcd/kvrpcd/resp"
)

// strConn is a connection that exists only for the command layer.
type strConn struct{}

func (strConn) RemoteAddr() string { return "127.0.0.1:40001" }
func (strConn) LocalAddr() string  { return "127.0.0.1:6379" }
func (strConn) Wake()              {}
func (strConn) Close() error       { return nil }

// strClient returns a client of a new server.
func strClient(t testing.TB) *Client {
	t.Helper()
	srv, err := NewServer(Options{LoopModel: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c := srv.Connect(strConn{})
	t.Cleanup(c.Release)
	return c
}

// strEncode appends args to dst as a RESP array of bulk strings.
func strEncode(dst []byte, args ...string) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(len(args)), 10)
	dst = append(dst, "\r\n"...)
	for _, a := range args {
		dst = append(dst, '$')
		dst = strconv.AppendInt(dst, int64(len(a)), 10)
		dst = append(dst, "\r\n"...)
		dst = append(dst, a...)
		dst = append(dst, "\r\n"...)
	}
	return dst
}

// strDo runs one command and returns its reply as redis-cli renders it.
func strDo(t testing.TB, c *Client, args ...string) string {
	t.Helper()
	in := strEncode(nil, args...)
	if n := c.Process(in); n != len(in) {
		t.Fatalf("%q: Process consumed %d of %d bytes", args, n, len(in))
	}
	out := c.Output()
	v, n, err := resp.ParseReply(out)
	if err != nil || n != len(out) {
		t.Fatalf("%q: bad reply %q (%v)", args, out, err)
	}
	c.ResetOutput()
	return v.String()
}

func TestParseStrOpts(t *testing.T) {
	tests := []struct {
		args   string
		set    bool
		want   strOpts
		expire string
		ok     bool
	}{
		{"", true, 0, "", true},
		{"nx", true, optNX, "", true},
		{"NX nx", true, optNX, "", true},
		{"xx", true, optXX, "", true},
		{"nx xx", true, 0, "", false},
		{"xx nx", true, 0, "", false},
		{"get nx", true, optGet | optNX, "", true},
		{"get get", true, optGet, "", true},
		{"keepttl", true, optKeepTTL, "", true},
		{"keepttl ex 1", true, 0, "", false},
		{"ex 1 keepttl", true, 0, "", false},
		{"ex 1", true, optEX, "1", true},
		{"ex 1 ex 2", true, optEX, "2", true},
		{"px 1 pxat 2", true, 0, "", false},
		{"exat 5 nx get", true, optEXAT | optNX | optGet, "5", true},
		{"PXAT 5", true, optPXAT, "5", true},
		{"ex", true, 0, "", false},
		{"nx ex", true, 0, "", false},
		{"persist", true, 0, "", false},
		{"foo", true, 0, "", false},
		{"nx\x00junk", true, optNX, "", true},
		{"nxjunk", true, 0, "", false},
		// GETEX
		{"persist", false, optPersist, "", true},
		{"persist persist", false, optPersist, "", true},
		{"persist ex 1", false, 0, "", false},
		{"ex 1 persist", false, 0, "", false},
		{"px 7", false, optPX, "7", true},
		{"nx", false, 0, "", false},
		{"get", false, 0, "", false},
		{"keepttl", false, 0, "", false},
	}
	for _, tt := range tests {
		var args [][]byte
		for f := range strings.FieldsSeq(tt.args) {
			args = append(args, []byte(f))
		}
		o, expire, ok := parseStrOpts(args, 0, tt.set)
		if ok != tt.ok || ok && (o != tt.want || string(expire) != tt.expire) {
			t.Errorf("parseStrOpts(%q, set=%v) = %b, %q, %v; want %b, %q, %v",
				tt.args, tt.set, o, expire, ok, tt.want, tt.expire, tt.ok)
		}
	}
}

func TestClampRange(t *testing.T) {
	const minInt, maxInt = -1 << 63, 1<<63 - 1
	tests := []struct {
		start, end, n int64
		first, last   int64
		ok            bool
	}{
		{0, -1, 5, 0, 4, true},
		{0, 0, 0, 0, 0, false},
		{0, -1, 0, 0, 0, false},
		{-1, -5, 5, 0, 0, false},
		{-100, 2, 5, 0, 2, true},
		{3, 1, 5, 0, 0, false},
		{5, 10, 5, 0, 0, false},
		{4, 10, 5, 4, 4, true},
		{-2, -1, 5, 3, 4, true},
		{minInt, maxInt, 5, 0, 4, true},
		{minInt, minInt, 5, 0, 0, true},
		{maxInt, maxInt, 5, 0, 0, false},
	}
	for _, tt := range tests {
		first, last, ok := clampRange(tt.start, tt.end, tt.n)
		if ok != tt.ok || ok && (first != tt.first || last != tt.last) {
			t.Errorf("clampRange(%d, %d, %d) = %d, %d, %v; want %d, %d, %v",
				tt.start, tt.end, tt.n, first, last, ok, tt.first, tt.last, tt.ok)
		}
	}
}

// TestGetRangeMovesBytes checks the in-place moves of GETRANGE against plain slicing, for
// ranges that start before and after the length of the reply header.
func TestGetRangeMovesBytes(t *testing.T) {
	c := strClient(t)
	val := make([]byte, 300)
	for i := range val {
		val[i] = 'a' + byte(i%26)
	}
	strDo(t, c, "SET", "k", string(val))
	for _, r := range [][2]int{{0, 0}, {0, 299}, {1, 2}, {3, 250}, {7, 7}, {100, 299}, {298, 400}, {0, 9}} {
		// A pending reply in the buffer makes the moves work at a non-zero offset.
		in := strEncode(nil, "GET", "nokey")
		in = strEncode(in, "GETRANGE", "k", strconv.Itoa(r[0]), strconv.Itoa(r[1]))
		c.Process(in)
		out := c.Output()
		want := []byte("$-1\r\n")
		sub := val[r[0]:min(r[1]+1, len(val))]
		want = fmt.Appendf(want, "$%d\r\n%s\r\n", len(sub), sub)
		if !bytes.Equal(out, want) {
			t.Errorf("GETRANGE k %d %d:\n got %q\nwant %q", r[0], r[1], out, want)
		}
		c.ResetOutput()
	}
}

// lcsLength is the textbook LCS length, to check lcs against.
func lcsLength(a, b string) int {
	prev := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
			} else {
				cur[j] = max(prev[j], cur[j-1])
			}
		}
		prev = cur
	}
	return prev[len(b)]
}

// TestLCSRandom checks on random strings that lcs finds a common subsequence of the optimal
// length, and that its runs cover exactly that subsequence, in order, last run first.
func TestLCSRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randString := func() string {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = "abc"[rng.IntN(3)]
		}
		return string(b)
	}
	for range 500 {
		a, b := randString(), randString()
		res := lcs([]byte(a), []byte(b), true, 0)
		if int(res.length) != lcsLength(a, b) || len(res.str) != int(res.length) {
			t.Fatalf("lcs(%q, %q): length %d, string %q; want length %d", a, b, res.length, res.str, lcsLength(a, b))
		}
		var fromRuns []byte
		for i := len(res.matches) - 1; i >= 0; i-- {
			m := res.matches[i]
			if a[m.aStart:m.aEnd+1] != b[m.bStart:m.bEnd+1] {
				t.Fatalf("lcs(%q, %q): run %+v does not match", a, b, m)
			}
			fromRuns = append(fromRuns, a[m.aStart:m.aEnd+1]...)
		}
		if !bytes.Equal(fromRuns, res.str) {
			t.Fatalf("lcs(%q, %q): runs spell %q, LCS is %q", a, b, fromRuns, res.str)
		}
		if only := lcs([]byte(a), []byte(b), false, 0); only.length != res.length || only.str != nil {
			t.Fatalf("lcs(%q, %q) without walk: %+v", a, b, only)
		}
	}
}

// TestStringLimits checks the limits that come from proto-max-bulk-len: APPEND and SETRANGE
// through the store, and the transient memory of LCS.
func TestStringLimits(t *testing.T) {
	c := strClient(t)
	if err := c.Server().Config().Set("proto-max-bulk-len", "1mb"); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 600)
	tests := [][]string{
		{"(integer) 1048576", "SETRANGE", "s", "1048575", "x"},
		{"(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)", "APPEND", "s", "x"},
		{"(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)", "SETRANGE", "s", "1048576", "x"},
		{"(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)", "SETRANGE", "new", "1048575", "xy"},
		{"(integer) 0", "EXISTS", "new"},
		{"(integer) 1048576", "SETRANGE", "s", "1048575", ""},
		{"OK", "MSET", "a", big, "b", big},
		{"(error) ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len", "LCS", "a", "b"},
		{"(error) ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len", "LCS", "a", "b", "LEN"},
		{"(integer) 0", "LCS", "a", "nokey", "LEN"},
		{"OK", "SET", "b", big[:400]},
		{"(integer) 400", "LCS", "a", "b", "LEN"},
	}
	for _, tt := range tests {
		if got := strDo(t, c, tt[1:]...); got != tt[0] {
			t.Errorf("%.40q: got %s, want %s", tt[1:], got, tt[0])
		}
	}
}

// TestStringHotPathAllocs checks that pipelined GET, SET of an existing key, INCR and MGET of
// existing keys allocate nothing, from parsing through dispatch and the store to the reply.
func TestStringHotPathAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	c := strClient(t)
	strDo(t, c, "MSET", "key", "value", "key2", strings.Repeat("v", 100), "n", "1")
	for _, args := range [][]string{
		{"GET", "key"},
		{"GET", "key2"},
		{"GET", "n"},
		{"GET", "nokey"},
		{"SET", "key", "value"},
		{"SET", "key2", strings.Repeat("w", 100)},
		{"INCR", "n"},
		{"MGET", "key", "key2", "n"},
	} {
		var in []byte
		for range 50 {
			in = strEncode(in, args...)
		}
		run := func() {
			if n := c.Process(in); n != len(in) {
				t.Fatalf("%q: Process consumed %d of %d bytes", args, n, len(in))
			}
			if bytes.HasPrefix(c.Output(), []byte("-")) {
				t.Fatalf("%q: %q", args, c.Output())
			}
			c.ResetOutput()
		}
		run()
		if allocs := testing.AllocsPerRun(20, run); allocs != 0 {
			t.Errorf("%q: %v allocations per pipeline of 50", args, allocs)
		}
	}
}

// BenchmarkGetSet runs a pipeline of GET and SET commands of existing keys through a client.
func BenchmarkGetSet(b *testing.B) {
	c := strClient(b)
	const keys = 64
	var in []byte
	for i := range keys {
		k := "key:" + strconv.Itoa(i)
		strDo(b, c, "SET", k, "initial value")
		in = strEncode(in, "GET", k)
		in = strEncode(in, "SET", k, "a new value")
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		if n := c.Process(in); n != len(in) {
			b.Fatalf("Process consumed %d of %d bytes", n, len(in))
		}
		c.ResetOutput()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*2*keys), "ns/cmd")
}

// TestStringKeyPositions checks the key specs through the positions dispatch locks.
func TestStringKeyPositions(t *testing.T) {
	byName := map[string]*Command{}
	for _, cmd := range stringCommands() {
		if err := cmd.validate(); err != nil {
			t.Fatal(err)
		}
		if cmd.Group != GroupString {
			t.Errorf("%s: group %s", cmd.Name, cmd.Group)
		}
		byName[cmd.Name] = cmd
	}
	tests := []struct {
		cmd  string
		want []int
	}{
		{"get k", []int{1}},
		{"set k v nx get ex 10", []int{1}},
		{"mget a b c", []int{1, 2, 3}},
		{"mset a 1 b 2", []int{1, 3}},
		{"msetnx a 1 b 2 c 3", []int{1, 3, 5}},
		{"lcs a b idx len", []int{1, 2}},
		{"getrange k 0 -1", []int{1}},
		{"setex k 10 v", []int{1}},
	}
	for _, tt := range tests {
		var args [][]byte
		for f := range strings.FieldsSeq(tt.cmd) {
			args = append(args, []byte(f))
		}
		cmd := byName[string(args[0])]
		got, ok := cmd.keyPositions(args, nil)
		if !ok || !slices.Equal(got, tt.want) {
			t.Errorf("%s: keys at %v (%v), want %v", tt.cmd, got, ok, tt.want)
		}
	}
}
