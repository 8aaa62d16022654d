package rpc

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
)

var update = flag.Bool("update", false, "rewrite the replies in testdata/scripts from kvrpcd's answers")

// A script is a list of steps: a command and the reply it must get, rendered as redis-cli
// renders it.
type scriptStep struct {
	line   int
	cmd    string // as typed, split like redis-cli splits its input
	loose  bool   // ">~": the reply is not compared
	reply  string
	blocks []string // comment and blank lines before the step, kept by -update
}

func parseScript(t *testing.T, path string) (steps []scriptStep, trailer []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pending []string
	var cur *scriptStep
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "> ") || strings.HasPrefix(line, ">~ "):
			steps = append(steps, scriptStep{line: n, loose: line[1] == '~', blocks: pending})
			cur = &steps[len(steps)-1]
			cur.cmd = line[strings.IndexByte(line, ' ')+1:]
			pending = nil
		case line == "" || strings.HasPrefix(line, "#"):
			cur = nil
			pending = append(pending, line)
		case cur != nil:
			if cur.reply != "" {
				cur.reply += "\n"
			}
			cur.reply += line
		default:
			t.Fatalf("%s:%d: reply without a command", path, n)
		}
	}
	return steps, pending
}

func writeScript(t *testing.T, path string, steps []scriptStep, trailer []string) {
	t.Helper()
	var b strings.Builder
	for _, st := range steps {
		for _, l := range st.blocks {
			b.WriteString(l + "\n")
		}
		if st.loose {
			b.WriteString(">~ " + st.cmd + "\n")
		} else {
			b.WriteString("> " + st.cmd + "\n")
		}
		if st.reply != "" {
			b.WriteString(st.reply + "\n")
		}
	}
	for _, l := range trailer {
		b.WriteString(l + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scriptTarget runs one command and returns its rendered reply.
type scriptTarget interface {
	do(t *testing.T, cmd []byte) string
}

// encodeInline turns a redis-cli style line into a RESP array.
func encodeInline(t *testing.T, line string) []byte {
	t.Helper()
	buf := []byte(line + "\r\n")
	args, n, err := resp.ParseCommand(buf, nil, &resp.DefaultLimits)
	if err != nil || n == 0 || len(args) == 0 {
		t.Fatalf("bad script command %q: %v", line, err)
	}
	out := fmt.Appendf(nil, "*%d\r\n", len(args))
	for _, a := range args {
		out = fmt.Appendf(out, "$%d\r\n%s\r\n", len(a), a)
	}
	return out
}

// localTarget is an in-process server with one client.
type localTarget struct {
	srv *Server
	cl  *Client
}

type fakeConn struct{ closed bool }

func (f *fakeConn) RemoteAddr() string { return "127.0.0.1:50000" }
func (f *fakeConn) LocalAddr() string  { return "127.0.0.1:6379" }
func (f *fakeConn) Wake()              {}
func (f *fakeConn) Close() error       { f.closed = true; return nil }

func newLocalTarget(t *testing.T) *localTarget {
	t.Helper()
	srv, err := NewServer(Options{LoopModel: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &localTarget{srv: srv, cl: srv.Connect(&fakeConn{})}
}

func (l *localTarget) do(t *testing.T, cmd []byte) string {
	t.Helper()
	if l.cl.Closing() {
		l.cl.Release()
		l.cl = l.srv.Connect(&fakeConn{})
	}
	if n := l.cl.Process(cmd); n != len(cmd) {
		t.Fatalf("Process consumed %d of %d bytes", n, len(cmd))
	}
	out := append([]byte(nil), l.cl.Output()...)
	l.cl.ResetOutput()
	return renderReplies(t, out)
}

func renderReplies(t *testing.T, out []byte) string {
	t.Helper()
	var parts []string
	for len(out) > 0 {
		v, n, err := resp.ParseReply(out)
		if err != nil || n == 0 {
			t.Fatalf("bad reply %q: %v", out, err)
		}
		parts = append(parts, v.String())
		out = out[n:]
	}
	return strings.Join(parts, "\n")
}

// redisTarget is a real redis-server, the oracle for the scripts.
type redisTarget struct {
	addr string
	conn net.Conn
	buf  []byte
}

func startRedisServer(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not installed")
		}
		t.Skip("redis-server is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
	}
	t.Fatal("redis-server did not start")
	return ""
}

func (r *redisTarget) do(t *testing.T, cmd []byte) string {
	t.Helper()
	if r.conn == nil {
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			t.Fatal(err)
		}
		r.conn, r.buf = c, nil
	}
	if _, err := r.conn.Write(cmd); err != nil {
		t.Fatal(err)
	}
	_ = r.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	tmp := make([]byte, 64<<10)
	for {
		if len(r.buf) > 0 {
			v, n, err := resp.ParseReply(r.buf)
			if err != nil {
				t.Fatalf("bad reply from redis-server: %v", err)
			}
			if n > 0 {
				r.buf = r.buf[n:]
				return v.String() + r.pushesWith(t, v.Kind == resp.KindPush)
			}
		}
		m, err := r.conn.Read(tmp)
		if err != nil {
			// The server closed the connection (QUIT, a protocol error): reconnect next time.
			r.conn.Close()
			r.conn = nil
			return ""
		}
		r.buf = append(r.buf, tmp[:m]...)
	}
}

// pushesWith renders the RESP3 pushes that arrived with a reply, as the local target shows
// them in the same step: Redis writes a client-tracking invalidation caused by a command
// right after its reply, and a message a client publishes to itself right before it (then
// the reply, which is not a push, is taken as well).
func (r *redisTarget) pushesWith(t *testing.T, afterPush bool) string {
	t.Helper()
	var out string
	for len(r.buf) > 0 {
		v, n, err := resp.ParseReply(r.buf)
		if err != nil || n == 0 || v.Kind != resp.KindPush && !afterPush {
			break
		}
		afterPush = v.Kind == resp.KindPush
		r.buf = r.buf[n:]
		out += "\n" + v.String()
	}
	return out
}

// TestScripts runs every testdata/scripts file against kvrpcd and compares each reply with
// the file; with KVRPCD_SCRIPT_ORACLE=1 it also runs it against a real redis-server, so that
// every golden file is a compatibility check.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/scripts/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/scripts")
	}
	oracle := os.Getenv("KVRPCD_SCRIPT_ORACLE") != ""
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			steps, trailer := parseScript(t, path)
			targets := map[string]scriptTarget{"kvrpcd": newLocalTarget(t)}
			if oracle && !*update {
				targets["redis-server"] = &redisTarget{addr: startRedisServer(t)}
			}
			for name, target := range targets {
				for i := range steps {
					st := &steps[i]
					got := target.do(t, encodeInline(t, st.cmd))
					switch {
					case *update && name == "kvrpcd":
						st.reply = got
					case st.loose:
					case got != st.reply:
						t.Errorf("%s:%d: %s: %s\ngot:\n%s\nwant:\n%s", path, st.line, name, st.cmd, got, st.reply)
					}
				}
			}
			if *update {
				writeScript(t, path, steps, trailer)
			}
		})
	}
}
