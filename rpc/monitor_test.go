package rpc

import (
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
)

// monitorLine matches a MONITOR line; its time and client address vary.
var monitorLine = regexp.MustCompile(`^\+(\d+)\.(\d{6}) \[(\d+) ([^\]]+)\] (.*)$`)

// monitorLines splits a monitor's output into lines and checks their framing; with addr it
// also checks the client address, and it returns "[db] args" per line.
func monitorLines(t *testing.T, out, addr string) []string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if l == "" {
			continue
		}
		m := monitorLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("not a MONITOR line: %q", l)
		}
		if addr != "" && m[4] != addr {
			t.Errorf("line %q: client %s, want %s", l, m[4], addr)
		}
		lines = append(lines, "["+m[3]+"] "+m[5])
	}
	return lines
}

// monitorScript is a session whose commands a monitor sees, or not, as in Redis 7.0.
var monitorScript = [][]string{
	{"SET", "k", "v"},
	{"set", "a\x00\x7f\t\r\n\a\b\\\"é", "x"},
	{"SELECT", "2"},
	{"GET", "k"},
	{"CONFIG", "GET", "maxmemory"},          // admin: not shown
	{"GET", "k", "extra"},                   // wrong arity: never runs
	{"NOSUCH"},                              // unknown
	{"LPUSH", "k", "x"},                     //
	{"AUTH", "secret"},                      // redacted
	{"AUTH", "a", "b", "c"},                 // a syntax error, not redacted
	{"HELLO", "2", "AUTH", "default", "pw"}, // redacted
	{"HELLO", "2", "SETNAME", "n"},          // not redacted
	{"MULTI"},                               //
	{"SET", "t", "1"},                       // shown at EXEC, not when queued
	{"INCR", "t"},                           //
	{"MONITOR"},                             // refused inside EXEC
	{"EXEC"},                                //
	{"CLIENT", "LIST"},                      // admin
	{"CLIENT", "ID"},                        // not admin
	{"SLOWLOG", "LEN"},                      // admin
	{"LATENCY", "LATEST"},                   // admin
	{"PING"},                                //
	{"SELECT", "0"},                         //
	{"DEL", "t", "k"},                       //
	{"ECHO", strings.Repeat("z", 300)},      // not truncated
	{"RESET"},                               //
}

func TestMonitorFeed(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	mon, other := newConnSession(t, srv), newConnSession(t, srv)
	if got := mon.raw("MONITOR"); got != "+OK\r\n" {
		t.Fatalf("MONITOR = %q", got)
	}
	if got := mon.raw("MONITOR"); got != "" {
		t.Fatalf("a second MONITOR replied %q; Redis does not reply", got)
	}
	if got := other.clientLines()[strconv.FormatUint(mon.c.ID(), 10)]["flags"]; got != "O" {
		t.Errorf("CLIENT LIST flags of a monitor = %q, want O", got)
	}
	for _, cmd := range monitorScript {
		other.doAll(cmd...)
	}
	got := monitorLines(t, mon.delivered(), other.conn.remote)
	want := []string{
		`[0] "SET" "k" "v"`,
		`[0] "set" "a\x00\x7f\t\r\n\a\b\\\"\xc3\xa9" "x"`,
		`[2] "SELECT" "2"`,
		`[2] "GET" "k"`,
		`[2] "LPUSH" "k" "x"`,
		`[2] "AUTH" "(redacted)"`,
		`[2] "AUTH" "a" "b" "c"`,
		`[2] "HELLO" "2" "AUTH" "(redacted)" "(redacted)"`,
		`[2] "HELLO" "2" "SETNAME" "n"`,
		`[2] "MULTI"`,
		`[2] "SET" "t" "1"`,
		`[2] "INCR" "t"`,
		`[2] "EXEC"`,
		`[2] "CLIENT" "ID"`,
		`[2] "PING"`,
		`[0] "SELECT" "0"`,
		`[0] "DEL" "t" "k"`,
		`[0] "ECHO" "` + strings.Repeat("z", 300) + `"`,
		`[0] "RESET"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("monitor saw:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A monitor may not touch keys, sees its own commands, and leaves with RESET.
	if got := mon.str("GET", "k"); got != "(error) ERR Replica can't interact with the keyspace" {
		t.Errorf("GET from a monitor = %s", got)
	}
	mon.do("PING")
	if got := monitorLines(t, mon.delivered(), mon.conn.remote); len(got) != 1 || got[0] != `[0] "PING"` {
		t.Errorf("a monitor's own PING: %q", got)
	}
	if got := mon.str("RESET"); got != "RESET" {
		t.Fatalf("RESET = %s", got)
	}
	other.do("PING")
	if out := mon.delivered(); out != "" {
		t.Errorf("after RESET the client still monitors: %q", out)
	}
	if srv.nmonitors.Load() != 0 {
		t.Errorf("nmonitors = %d after RESET", srv.nmonitors.Load())
	}

	// Disconnection leaves monitor mode too.
	mon.raw("MONITOR")
	mon.c.Release()
	other.do("PING")
	if srv.nmonitors.Load() != 0 {
		t.Errorf("nmonitors = %d after Release", srv.nmonitors.Load())
	}
}

// TestMonitorMatchesRedis runs monitorScript against kvrpcd and a real redis-server and
// compares what their monitors see, times and addresses aside.
func TestMonitorMatchesRedis(t *testing.T) {
	addr := startRedisServer(t)
	rmon, rother := dialOracle(t, addr), dialOracle(t, addr)
	if v := rmon.do("MONITOR"); v.String() != "OK" {
		t.Fatalf("redis-server MONITOR: %s", v)
	}
	for _, cmd := range monitorScript {
		rother.do(cmd...)
	}
	rother.do("ECHO", "end")
	theirs := readMonitorUntil(t, rmon, `"ECHO" "end"`)

	srv := newConnServer(t, "", Options{})
	mon, other := newConnSession(t, srv), newConnSession(t, srv)
	mon.raw("MONITOR")
	for _, cmd := range monitorScript {
		other.doAll(cmd...)
	}
	other.do("ECHO", "end")
	ours := monitorLines(t, mon.delivered(), "")
	if strings.Join(ours, "\n") != strings.Join(theirs, "\n") {
		t.Errorf("kvrpcd's monitor:\n%s\nredis-server's:\n%s", strings.Join(ours, "\n"), strings.Join(theirs, "\n"))
	}
}

// readMonitorUntil reads a redis-server monitor's lines until one ends with last.
func readMonitorUntil(t *testing.T, r *oracleConn, last string) []string {
	t.Helper()
	_ = r.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var lines []string
	tmp := make([]byte, 64<<10)
	for len(lines) == 0 || !strings.HasSuffix(lines[len(lines)-1], last) {
		if i := strings.Index(string(r.buf), "\r\n"); i >= 0 {
			l := string(r.buf[:i])
			r.buf = r.buf[i+2:]
			m := monitorLine.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("not a MONITOR line from redis-server: %q", l)
			}
			lines = append(lines, "["+m[3]+"] "+m[5])
			continue
		}
		n, err := r.conn.Read(tmp)
		if err != nil {
			t.Fatal(err)
		}
		r.buf = append(r.buf, tmp[:n]...)
	}
	return lines
}

func TestAppendRepr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{"abc def", `"abc def"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"\n\r\t\a\b", `"\n\r\t\a\b"`},
		{"\x00\x01\x1f\x7f\x80\xff", `"\x00\x01\x1f\x7f\x80\xff"`},
		{"~ !", `"~ !"`},
	} {
		if got := string(resp.AppendRepr(nil, []byte(tc.in))); got != tc.want {
			t.Errorf("AppendRepr(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestMonitorSlow: a monitor that does not read is cut off at the normal class's hard
// limit, the class Redis gives monitors.
func TestMonitorSlow(t *testing.T) {
	srv := newConnServer(t, "client-output-buffer-limit \"normal 2kb 0 0\"",
		Options{Logger: slog.New(slog.DiscardHandler)})
	mon, other := newConnSession(t, srv), newConnSession(t, srv)
	mon.raw("MONITOR")
	payload := strings.Repeat("x", 500)
	for range 10 {
		other.do("ECHO", payload)
	}
	if !mon.conn.closed.Load() || !mon.c.Closing() {
		t.Fatal("a monitor past the normal hard limit was not closed")
	}
	if other.c.Closing() {
		t.Fatal("the monitored client was closed")
	}
}

// TestMonitorConcurrent has monitors come and go while other clients run commands, for the
// race detector.
func TestMonitorConcurrent(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newConnSession(t, srv)
			for j := range 200 {
				if i%2 == 0 {
					s.doAll("SET", "k", "v")
					s.doAll("MULTI")
					s.doAll("INCR", "n")
					s.doAll("EXEC")
					continue
				}
				if j%20 == 0 {
					s.raw("MONITOR")
				}
				s.c.Resume()
				s.c.ResetOutput()
				if j%20 == 19 {
					s.raw("RESET")
				}
			}
			s.c.Release()
		}()
	}
	wg.Wait()
	if n := srv.nmonitors.Load(); n != 0 {
		t.Fatalf("nmonitors = %d after every monitor left", n)
	}
}
