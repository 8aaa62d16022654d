package integration

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// monitorLineRE matches a MONITOR line as go-redis and a raw connection see it, without the
// leading '+': time, database, client address, arguments.
var monitorLineRE = regexp.MustCompile(`^(\d+)\.(\d{6}) \[(\d+) ([0-9.:]+)\] (.*)$`)

// readMonitorLines reads simple-string lines from a monitor until one ends with last,
// checking the framing and returning "[db addr] args" per line.
func readMonitorLines(t *testing.T, r *rawConn, last string) []string {
	t.Helper()
	var lines []string
	deadline := time.Now().Add(ioTimeout)
	for len(lines) == 0 || !strings.HasSuffix(lines[len(lines)-1], last) {
		if time.Now().After(deadline) {
			t.Fatalf("no line ending in %s; got %q", last, lines)
		}
		v, raw, err := r.readReply(ioTimeout)
		if err != nil {
			t.Fatalf("monitor: %v after %q", err, lines)
		}
		if raw[0] != '+' {
			t.Fatalf("monitor line is not a simple string: %q", raw)
		}
		m := monitorLineRE.FindStringSubmatch(v.String())
		if m == nil {
			t.Fatalf("not a MONITOR line: %q", raw)
		}
		if sec, _ := strconv.ParseInt(m[1], 10, 64); sec < time.Now().Add(-time.Hour).Unix() || sec > time.Now().Unix()+1 {
			t.Errorf("line time %s is not now", m[1])
		}
		lines = append(lines, "["+m[3]+" "+m[4]+"] "+m[5])
	}
	return lines
}

// TestMonitorRaw checks MONITOR over raw connections on every loop model: the lines of
// another client's commands in order with their database and address, MULTI/EXEC as Redis
// shows them, admin commands left out, a long pipeline in full, and RESET and QUIT.
func TestMonitorRaw(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		mon, other := dialRaw(t, addr), dialRaw(t, addr)
		if got := mon.do("MONITOR").String(); got != "OK" {
			t.Fatalf("MONITOR = %s", got)
		}
		me := other.c.LocalAddr().String()
		other.do("SET", "k", "v w")
		other.do("SELECT", "3")
		other.do("CONFIG", "GET", "port")
		other.do("MULTI")
		other.do("INCR", "n")
		other.do("EXEC")
		other.do("ECHO", "\x01\"")
		got := readMonitorLines(t, mon, `"ECHO" "\x01\""`)
		want := []string{
			`[0 ` + me + `] "SET" "k" "v w"`,
			`[3 ` + me + `] "SELECT" "3"`,
			`[3 ` + me + `] "MULTI"`,
			`[3 ` + me + `] "INCR" "n"`,
			`[3 ` + me + `] "EXEC"`,
			`[3 ` + me + `] "ECHO" "\x01\""`,
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("monitor saw:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		// A pipeline: every command, in order.
		const n = 2000
		var pipe []byte
		for i := range n {
			pipe = append(pipe, encodeCommand("SET", fmt.Sprint("key", i), "x")...)
		}
		other.send(pipe)
		for range n {
			other.reply()
		}
		got = readMonitorLines(t, mon, fmt.Sprintf(`"key%d" "x"`, n-1))
		if len(got) != n {
			t.Fatalf("%d lines for a pipeline of %d", len(got), n)
		}
		for i, l := range got {
			if !strings.HasSuffix(l, fmt.Sprintf(`"SET" "key%d" "x"`, i)) {
				t.Fatalf("line %d of the pipeline: %s", i, l)
			}
		}

		// The monitor shows in CLIENT LIST with flag O, until RESET.
		if list := other.do("CLIENT", "LIST").String(); !strings.Contains(list, " flags=O ") {
			t.Errorf("no monitor in CLIENT LIST:\n%s", list)
		}
		if got := mon.do("RESET").String(); got != "RESET" {
			t.Fatalf("RESET from the monitor = %s", got)
		}
		other.do("PING")
		if data, _ := mon.readAll(100 * time.Millisecond); len(data) != 0 {
			t.Errorf("after RESET the client still monitors: %q", data)
		}

		// QUIT ends a monitor's connection; the other clients go on.
		mon2 := dialRaw(t, addr)
		mon2.do("MONITOR")
		if got := mon2.do("QUIT").String(); got != "OK" {
			t.Fatalf("QUIT = %s", got)
		}
		if _, closed := mon2.readAll(ioTimeout); !closed {
			t.Error("QUIT did not close the monitor's connection")
		}
		if got := other.do("PING").String(); got != "PONG" {
			t.Errorf("PING after the monitor left = %s", got)
		}
		if list := other.do("CLIENT", "LIST").String(); strings.Contains(list, " flags=O ") {
			t.Errorf("a monitor is left in CLIENT LIST:\n%s", list)
		}
	})
}

// TestMonitorGoRedis follows commands sent by go-redis in RESP2 and RESP3, pipelined and in
// a transaction, from a raw monitor connection (go-redis's own MonitorCmd reads the
// connection from a goroutine it never joins, which the race detector reports).
func TestMonitorGoRedis(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		ctx := testCtx(t)
		mon := dialRaw(t, addr)
		mon.do("MONITOR")
		for _, protocol := range protocols {
			c := newGoRedis(t, addr, protocol, 1)
			key := fmt.Sprint("resp", protocol)
			if err := c.Set(ctx, key, "v", 0).Err(); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
				p.Incr(ctx, key+"n")
				p.Get(ctx, key)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Del(ctx, key+"n")
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			lines := readMonitorLines(t, mon, `"exec"`)
			// Leave out the set-up commands of go-redis's connections (HELLO, SELECT, CLIENT).
			var got []string
			for _, l := range lines {
				args := l[strings.Index(l, "] ")+2:]
				if strings.HasPrefix(args, `"hello"`) || strings.HasPrefix(args, `"select"`) || strings.HasPrefix(args, `"client"`) {
					continue
				}
				if !strings.HasPrefix(l, "[1 ") {
					t.Errorf("RESP%d: line %q is not in db 1", protocol, l)
				}
				got = append(got, args)
			}
			want := []string{`"set" "` + key + `" "v"`, `"incr" "` + key + `n"`, `"get" "` + key + `"`,
				`"multi"`, `"del" "` + key + `n"`, `"exec"`}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("RESP%d: monitor saw\n%s\nwant\n%s", protocol, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	})
}

// TestMonitorSlowReader: a monitor that stops reading is disconnected at the normal class's
// output limit, as Redis treats monitors, while the clients it watches are served.
func TestMonitorSlowReader(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		mon, other := dialRaw(t, addr), dialRaw(t, addr)
		mon.do("MONITOR")
		payload := strings.Repeat("x", 256<<10)
		for i := range 400 {
			other.do("ECHO", payload)
			if i%20 == 19 && !strings.Contains(other.do("CLIENT", "LIST").String(), " flags=O ") {
				return // cut off
			}
		}
		t.Fatal("a monitor that does not read was not disconnected after 100 MB of lines")
	}, "--client-output-buffer-limit", "normal 1mb 512kb 1")
}
