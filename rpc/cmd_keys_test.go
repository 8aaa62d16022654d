package rpc

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
)

// keysTestConn is a loopback connection for tests that drive clients directly.
type keysTestConn struct{}

func (keysTestConn) RemoteAddr() string { return "127.0.0.1:40000" }
func (keysTestConn) LocalAddr() string  { return "127.0.0.1:6379" }
func (keysTestConn) Wake()              {}
func (keysTestConn) Close() error       { return nil }

// keysTester sends commands through a client of its own server.
type keysTester struct {
	t   testing.TB
	srv *Server
	c   *Client
}

func newKeysTester(t testing.TB) *keysTester {
	t.Helper()
	srv, err := NewServer(Options{LoopModel: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &keysTester{t: t, srv: srv, c: srv.Connect(keysTestConn{})}
}

// client returns another client of the same server.
func (k *keysTester) client() *keysTester {
	return &keysTester{t: k.t, srv: k.srv, c: k.srv.Connect(keysTestConn{})}
}

func encodeCommand(args ...string) []byte {
	out := fmt.Appendf(nil, "*%d\r\n", len(args))
	for _, a := range args {
		out = fmt.Appendf(out, "$%d\r\n%s\r\n", len(a), a)
	}
	return out
}

// do runs one command and returns its reply.
func (k *keysTester) do(args ...string) resp.Value {
	k.t.Helper()
	in := encodeCommand(args...)
	if n := k.c.Process(in); n != len(in) {
		k.t.Fatalf("%q: consumed %d of %d bytes", args, n, len(in))
	}
	out := k.c.Output()
	v, n, err := resp.ParseReply(out)
	if err != nil || n != len(out) {
		k.t.Fatalf("%q: bad reply %q: %v", args, out, err)
	}
	v = copyValue(v)
	k.c.ResetOutput()
	return v
}

// copyValue detaches v from the client's output buffer.
func copyValue(v resp.Value) resp.Value {
	v.Str = slices.Clone(v.Str)
	v.Elems = slices.Clone(v.Elems)
	for i := range v.Elems {
		v.Elems[i] = copyValue(v.Elems[i])
	}
	return v
}

// want runs a command and checks its reply as redis-cli renders it.
func (k *keysTester) want(reply string, args ...string) {
	k.t.Helper()
	if got := k.do(args...).String(); got != reply {
		k.t.Errorf("%q: got %s, want %s", args, got, reply)
	}
}

// strs returns the bulk strings of an array reply.
func strs(v resp.Value) []string {
	var out []string
	for _, e := range v.Elems {
		out = append(out, string(e.Str))
	}
	return out
}

func TestParseCursor(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true},
		{"", 0, true},
		{"00", 0, true},
		{"+7", 7, true},
		{"123", 123, true},
		{"-1", 1<<64 - 1, true},
		{"-18446744073709551615", 1, true},
		{"18446744073709551615", 1<<64 - 1, true},
		{"18446744073709551616", 0, false},
		{"-18446744073709551616", 0, false},
		{"-", 0, false},
		{"+", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"0x10", 0, false},
		{"1.0", 0, false},
		{"abc", 0, false},
	} {
		got, ok := parseScanCursor([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseScanCursor(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestScanVisitsEveryKey(t *testing.T) {
	k := newKeysTester(t)
	want := map[string]bool{}
	for i := range 2000 {
		key := "key:" + strconv.Itoa(i)
		k.do("SET", key, "v")
		if key[4] == '1' {
			want[key] = true
		}
	}
	for _, count := range []string{"1", "10", "97", "100000"} {
		seen := map[string]bool{}
		cursor, calls := "0", 0
		for {
			v := k.do("SCAN", cursor, "MATCH", "key:1*", "COUNT", count, "TYPE", "string")
			if v.Kind != resp.KindArray || len(v.Elems) != 2 {
				t.Fatalf("SCAN reply %s", v)
			}
			for _, key := range strs(v.Elems[1]) {
				if !want[key] {
					t.Fatalf("COUNT %s: SCAN returned %q, which does not match", count, key)
				}
				seen[key] = true
			}
			cursor = string(v.Elems[0].Str)
			if calls++; cursor == "0" || calls > 100000 {
				break
			}
		}
		if len(seen) != len(want) {
			t.Errorf("COUNT %s: SCAN found %d keys, want %d", count, len(seen), len(want))
		}
	}
	if v := k.do("SCAN", "0", "TYPE", "hash", "COUNT", "100000"); len(v.Elems[1].Elems) != 0 {
		t.Errorf("SCAN TYPE hash found %s", v)
	}
}

func TestKeysPatterns(t *testing.T) {
	k := newKeysTester(t)
	for _, key := range []string{"a", "ab", "abc", "b", "a*", "h?llo", "hello", "hallo", "A"} {
		k.do("SET", key, "1")
	}
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{"*", []string{"A", "a", "a*", "ab", "abc", "b", "h?llo", "hallo", "hello"}},
		{"a*", []string{"a", "a*", "ab", "abc"}},
		{"a?", []string{"a*", "ab"}},
		{`a\*`, []string{"a*"}},
		{"h[ae]llo", []string{"hallo", "hello"}},
		{"h[^e]llo", []string{"h?llo", "hallo"}},
		{"h[a-e]llo", []string{"hallo", "hello"}},
		{`h\?llo`, []string{"h?llo"}},
		{"[A-Z]", []string{"A"}},
		{"zz*", nil},
	} {
		got := strs(k.do("KEYS", tc.pattern))
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("KEYS %s = %q, want %q", tc.pattern, got, tc.want)
		}
	}
}

func TestRandomKey(t *testing.T) {
	k := newKeysTester(t)
	keys := map[string]bool{}
	for i := range 20 {
		key := "k" + strconv.Itoa(i)
		keys[key] = true
		k.do("SET", key, "v")
	}
	seen := map[string]bool{}
	for range 200 {
		v := k.do("RANDOMKEY")
		if !keys[string(v.Str)] {
			t.Fatalf("RANDOMKEY = %s", v)
		}
		seen[string(v.Str)] = true
	}
	if len(seen) < 5 {
		t.Errorf("RANDOMKEY returned only %d distinct keys of 20 in 200 calls", len(seen))
	}
}

// TestExpiry checks TTL arithmetic and lazy expiry with a fake clock.
func TestExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		k := newKeysTester(t)
		k.do("SET", "k", "v")
		k.want("(integer) 1", "PEXPIRE", "k", "1500")
		k.want("(integer) 1500", "PTTL", "k")
		k.want("(integer) 2", "TTL", "k")
		now := time.Now().UnixMilli()
		k.want("(integer) "+strconv.FormatInt(now+1500, 10), "PEXPIRETIME", "k")
		k.want("(integer) "+strconv.FormatInt((now+1500+500)/1000, 10), "EXPIRETIME", "k")

		time.Sleep(time.Second)
		k.want("(integer) 500", "PTTL", "k")
		k.want("(integer) 1", "TTL", "k")
		time.Sleep(499 * time.Millisecond)
		k.want("(integer) 1", "PTTL", "k")
		k.want("(integer) 0", "TTL", "k")
		time.Sleep(time.Millisecond)
		// A key expires once the clock is past its time, not at it.
		k.want("(integer) 0", "PTTL", "k")
		k.want("(integer) 1", "EXISTS", "k")
		time.Sleep(time.Millisecond)
		k.want("(integer) -2", "PTTL", "k")
		k.want("(integer) 0", "EXISTS", "k")

		// Every command skips keys whose time has passed.
		k.do("SET", "live", "v")
		for _, key := range []string{"e1", "e2", "e3"} {
			k.do("SET", key, "v")
			k.want("(integer) 1", "PEXPIRE", key, "10")
		}
		time.Sleep(20 * time.Millisecond)
		k.want(`1) "live"`, "KEYS", "*")
		v := k.do("SCAN", "0", "COUNT", "1000")
		if got := strs(v.Elems[1]); !slices.Equal(got, []string{"live"}) {
			t.Errorf("SCAN = %q, want only live", got)
		}
		for range 10 {
			k.want(`"live"`, "RANDOMKEY")
		}
		k.want("(integer) 1", "DBSIZE")
		k.want("none", "TYPE", "e1")

		// An expire time equal to the clock deletes the key, as Redis does.
		now = time.Now().UnixMilli()
		k.do("SET", "k", "v")
		k.want("(integer) 1", "PEXPIREAT", "k", strconv.FormatInt(now, 10))
		k.want("(integer) 0", "EXISTS", "k")
		k.do("SET", "k", "v")
		k.want("(integer) 1", "PEXPIREAT", "k", strconv.FormatInt(now+1, 10))
		k.want("(integer) 1", "EXISTS", "k")
		k.want("(integer) 1", "EXPIRE", "k", "0", "LT")
		k.want("(integer) 0", "EXISTS", "k")

		// RANDOMKEY on a database whose keys have all expired answers nil.
		k.do("SELECT", "5")
		k.do("SET", "x", "v")
		k.do("PEXPIRE", "x", "5")
		time.Sleep(10 * time.Millisecond)
		k.want("(nil)", "RANDOMKEY")
	})
}

func TestSelectAndSwapDBAcrossClients(t *testing.T) {
	a := newKeysTester(t)
	b := a.client()
	a.want("OK", "SELECT", "1")
	a.do("SET", "k", "one")
	b.want("(nil)", "GET", "k")
	b.do("SET", "k", "zero")
	b.want("OK", "SWAPDB", "0", "1")
	a.want(`"zero"`, "GET", "k")
	b.want(`"one"`, "GET", "k")
	a.want("OK", "FLUSHALL")
	b.want("(integer) 0", "DBSIZE")
	a.want("(integer) 0", "DBSIZE")
}

func TestObjectPolicies(t *testing.T) {
	k := newKeysTester(t)
	k.do("SET", "k", "v")
	k.want("(integer) 0", "OBJECT", "IDLETIME", "k")
	k.want("(error) "+msgLFUNotSelected, "OBJECT", "FREQ", "k")
	if err := k.srv.Config().Set("maxmemory-policy", "volatile-lfu"); err != nil {
		t.Fatal(err)
	}
	if v := k.do("OBJECT", "FREQ", "k"); v.Kind != resp.KindInt {
		t.Errorf("OBJECT FREQ with an LFU policy = %s", v)
	}
	k.want("(error) "+msgLFUSelected, "OBJECT", "IDLETIME", "k")
	k.want("(nil)", "OBJECT", "IDLETIME", "nokey")

	// RESP3 answers a missing key with its own null.
	k.do("HELLO", "3")
	if v := k.do("OBJECT", "ENCODING", "nokey"); v.Kind != resp.KindNull {
		t.Errorf("OBJECT ENCODING of a missing key in RESP3 = %q", v.Kind)
	}
}

func TestKeyCommandsTable(t *testing.T) {
	allKeys := map[string]bool{"keys": true, "scan": true, "randomkey": true, "flushdb": true,
		"flushall": true, "swapdb": true}
	groups := map[string]Group{"select": GroupConnection, "dbsize": GroupServer,
		"flushdb": GroupServer, "flushall": GroupServer, "swapdb": GroupServer}
	seen := map[string]bool{}
	for _, cmd := range keyCommands() {
		if err := cmd.validate(); err != nil {
			t.Error(err)
		}
		if seen[cmd.Name] {
			t.Errorf("%s declared twice", cmd.Name)
		}
		seen[cmd.Name] = true
		if got := cmd.Flags&AllKeys != 0; got != allKeys[cmd.Name] {
			t.Errorf("%s: AllKeys = %v", cmd.Name, got)
		}
		want, ok := groups[cmd.Name]
		if !ok {
			want = GroupGeneric
		}
		if cmd.Group != want {
			t.Errorf("%s: group %s, want %s", cmd.Name, cmd.Group, want)
		}
		if cmd.Flags&AllKeys != 0 && len(cmd.Keys) > 0 {
			t.Errorf("%s: keyspace-wide command with key specs", cmd.Name)
		}
	}
	if len(seen) != 27 {
		t.Errorf("%d commands, want 27", len(seen))
	}
}

// TestKeyCommandsAllocs checks that the common key commands allocate nothing once the
// client's buffers have grown: dispatch, handler and reply together.
func TestKeyCommandsAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	k := newKeysTester(t)
	k.do("SET", "k", "v")
	for _, args := range [][]string{
		{"EXISTS", "k", "nokey"},
		{"TYPE", "k"},
		{"TTL", "k"},
		{"PTTL", "k"},
		{"EXPIRETIME", "k"},
		{"EXPIRE", "k", "1000", "NX"},
		{"PEXPIREAT", "k", "4102444800000", "GT"},
		{"PERSIST", "k"},
		{"TOUCH", "k"},
		{"DEL", "nokey", "nokey2"},
		{"DBSIZE"},
		{"OBJECT", "ENCODING", "k"},
		{"SELECT", "0"},
	} {
		in := encodeCommand(args...)
		k.c.Process(in)
		k.c.ResetOutput()
		allocs := testing.AllocsPerRun(100, func() {
			k.c.Process(in)
			k.c.ResetOutput()
		})
		if allocs != 0 {
			t.Errorf("%q: %v allocations per call", args, allocs)
		}
	}
}
