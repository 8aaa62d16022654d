package rpc

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
)

// slowlogArgs renders the argument lists of SLOWLOG GET's entries, newest first.
func slowlogArgs(t *testing.T, v resp.Value) []string {
	t.Helper()
	var out []string
	for _, e := range v.Elems {
		if len(e.Elems) != 6 {
			t.Fatalf("slow log entry with %d fields, want 6: %s", len(e.Elems), e)
		}
		var args []string
		for _, a := range e.Elems[3].Elems {
			args = append(args, string(a.Str))
		}
		out = append(out, strings.Join(args, " "))
	}
	return out
}

// slowlogCommandsScript are commands whose slow log entries show the argument limits and
// the redactions.
func slowlogCommandsScript() [][]string {
	long := []string{"RPUSH", "biglist", strings.Repeat("a", 130)}
	for i := range 40 {
		long = append(long, strconv.Itoa(i))
	}
	return [][]string{
		{"SLOWLOG", "RESET"},
		long,
		{"SET", "big", strings.Repeat("b", 128)},
		{"SET", "big", strings.Repeat("b", 129)},
		{"AUTH", "pw"},
		{"AUTH", "a", "b", "c"},
		{"HELLO", "2", "AUTH", "default", "pw", "SETNAME", "x"},
		{"CONFIG", "SET", "masterauth", "secret", "maxmemory-samples", "5"},
		{"MULTI"},
		{"SET", "k", "v"},
		{"EXEC"},
	}
}

// TestSlowlogMatchesRedis logs every command in kvrpcd and in a real redis-server and
// compares the entries' arguments.
func TestSlowlogMatchesRedis(t *testing.T) {
	addr := startRedisServer(t)
	r := dialOracle(t, addr)
	r.do("CONFIG", "SET", "slowlog-log-slower-than", "0")
	for _, cmd := range slowlogCommandsScript() {
		r.do(cmd...)
	}
	theirs := slowlogArgs(t, r.do("SLOWLOG", "GET", "-1"))

	srv := newConnServer(t, "slowlog-log-slower-than 0", Options{})
	s := newConnSession(t, srv)
	for _, cmd := range slowlogCommandsScript() {
		s.doAll(cmd...)
	}
	ours := slowlogArgs(t, s.do("SLOWLOG", "GET", "-1"))
	if strings.Join(ours, "\n") != strings.Join(theirs, "\n") {
		t.Errorf("kvrpcd's slow log:\n%s\nredis-server's:\n%s", strings.Join(ours, "\n"), strings.Join(theirs, "\n"))
	}
	if !strings.Contains(strings.Join(ours, "\n"), "... (12 more arguments)") {
		t.Error("the long command was not cut at 32 arguments")
	}
}

func TestSlowlogEntryFields(t *testing.T) {
	srv := newConnServer(t, "slowlog-log-slower-than 0", Options{})
	s := newConnSession(t, srv)
	s.do("SLOWLOG", "RESET")
	s.do("CLIENT", "SETNAME", "worker")
	before := time.Now().Unix()
	s.do("SET", "k", "v")
	v := s.do("SLOWLOG", "GET", "1")
	if len(v.Elems) != 1 {
		t.Fatalf("SLOWLOG GET 1: %s", v)
	}
	e := v.Elems[0].Elems
	if e[0].Int != 2 {
		t.Errorf("id = %d, want 2 (RESET and SETNAME came first)", e[0].Int)
	}
	if e[1].Int < before || e[1].Int > time.Now().Unix() {
		t.Errorf("time = %d, not now", e[1].Int)
	}
	if e[2].Int < 0 || e[2].Int > int64(time.Second/time.Microsecond) {
		t.Errorf("duration = %d µs", e[2].Int)
	}
	if string(e[4].Str) != s.conn.remote || string(e[5].Str) != "worker" {
		t.Errorf("client = %q %q, want %q worker", e[4].Str, e[5].Str, s.conn.remote)
	}
	if got := s.do("SLOWLOG", "GET").Elems; len(got) != 4 {
		t.Errorf("SLOWLOG GET: %d entries, want 4", len(got))
	}
	// The threshold: nothing that fast is logged at 10 s.
	s.do("CONFIG", "SET", "slowlog-log-slower-than", "10000000")
	s.do("SLOWLOG", "RESET")
	s.do("SET", "k", "v")
	if got := s.do("SLOWLOG", "LEN"); got.Int != 0 {
		t.Errorf("SLOWLOG LEN = %d with a 10 s threshold", got.Int)
	}
}

// TestSlowlogBlocked: a blocked command is logged when it is served, not when it blocks or
// times out, as in Redis 7.0.
func TestSlowlogBlocked(t *testing.T) {
	srv := newConnServer(t, "slowlog-log-slower-than 0", Options{})
	b, p := newConnSession(t, srv), newConnSession(t, srv)
	b.do("SLOWLOG", "RESET")
	if out := b.raw("BLPOP", "q", "0"); out != "" {
		t.Fatalf("BLPOP replied %q at once", out)
	}
	p.do("RPUSH", "other", "x")
	b.c.Resume() // a wake without data for b
	b.c.ResetOutput()
	if got := slowlogArgs(t, p.do("SLOWLOG", "GET")); strings.Join(got, "|") != "RPUSH other x|SLOWLOG RESET" {
		t.Fatalf("while blocked: %q", got)
	}
	p.do("RPUSH", "q", "x")
	if got := b.delivered(); !strings.Contains(got, "x") {
		t.Fatalf("BLPOP was not served: %q", got)
	}
	got := slowlogArgs(t, p.do("SLOWLOG", "GET"))
	want := "BLPOP q 0|RPUSH q x|SLOWLOG GET|RPUSH other x|SLOWLOG RESET"
	if strings.Join(got, "|") != want {
		t.Fatalf("after serving: %q, want %q", strings.Join(got, "|"), want)
	}

	// A timeout is not logged.
	p.do("SLOWLOG", "RESET")
	b.raw("BLPOP", "q", "0.01")
	reply := ""
	for deadline := time.Now().Add(5 * time.Second); reply == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		reply = b.delivered()
	}
	if reply != "*-1\r\n" {
		t.Fatalf("BLPOP timeout = %q", reply)
	}
	if got := slowlogArgs(t, p.do("SLOWLOG", "GET")); strings.Join(got, "|") != "SLOWLOG RESET" {
		t.Fatalf("after a timeout: %q", got)
	}
}

func TestSlowlogTrim(t *testing.T) {
	srv := newConnServer(t, "slowlog-log-slower-than 0\nslowlog-max-len 5", Options{})
	s := newConnSession(t, srv)
	for i := range 1000 {
		s.do("SET", "k", strconv.Itoa(i))
	}
	got := slowlogArgs(t, s.do("SLOWLOG", "GET", "-1"))
	want := []string{"SET k 999", "SET k 998", "SET k 997", "SET k 996", "SET k 995"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("SLOWLOG GET -1 = %q, want %q", got, want)
	}
	if l := &srv.slowlog; len(l.entries) > 16 {
		t.Errorf("the queue holds %d entries for 5 live ones", len(l.entries))
	}
}
