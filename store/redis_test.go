package store

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// redisServer is a redis-server child process to compare behaviour with.
type redisServer struct {
	cmd  *exec.Cmd
	conn net.Conn
	r    *bufio.Reader
}

// startRedis starts redis-server on a free loopback port, or skips the test
// when it is not installed. The server is stopped when the test ends.
func startRedis(t *testing.T) *redisServer {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			rs := &redisServer{cmd: cmd, conn: conn, r: bufio.NewReader(conn)}
			t.Cleanup(func() { conn.Close() })
			if got := rs.do(t, "PING"); got != "PONG" {
				t.Fatalf("PING = %q", got)
			}
			if got := rs.do(t, "INFO", "server"); !strings.Contains(got, "redis_version:7.0.") {
				t.Skip("redis-server is not version 7.0")
			}
			return rs
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// send writes a command without reading its reply.
func (rs *redisServer) send(t *testing.T, args ...string) {
	t.Helper()
	if err := rs.write(args...); err != nil {
		t.Fatal(err)
	}
}

// write writes a command; unlike send it may be called from any goroutine.
func (rs *redisServer) write(args ...string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	_, err := io.WriteString(rs.conn, b.String())
	return err
}

// reply reads one reply: simple strings, integers and bulk strings as their
// text, nil as "<nil>", errors as "-" and their message.
func (rs *redisServer) reply(t *testing.T) string {
	t.Helper()
	line, err := rs.r.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	line = strings.TrimSuffix(line, "\r\n")
	switch line[0] {
	case '+', ':':
		return line[1:]
	case '-':
		return line
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return "<nil>"
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(rs.r, buf); err != nil {
			t.Fatal(err)
		}
		return string(buf[:n])
	}
	t.Fatalf("unexpected reply %q", line)
	return ""
}

func (rs *redisServer) do(t *testing.T, args ...string) string {
	t.Helper()
	rs.send(t, args...)
	return rs.reply(t)
}

// randomNumber returns number-like text of the shapes strtold meets:
// decimals with and without point and exponent, hexadecimal, extremes of
// the long double range, and some junk.
func randomNumber(r *rand.Rand) string {
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	sign := []string{"", "-", "+"}[r.IntN(3)]
	switch r.IntN(10) {
	case 0:
		return sign + strconv.Itoa(r.IntN(1000))
	case 1:
		return sign + digits(1+r.IntN(20)) + "." + digits(r.IntN(25))
	case 2:
		return sign + "0." + digits(r.IntN(25))
	case 3:
		return sign + digits(1+r.IntN(3)) + "." + digits(r.IntN(5)) + "e" + strconv.Itoa(r.IntN(9900)-4960)
	case 4:
		return sign + "1." + digits(r.IntN(25)) + "e" + strconv.Itoa(4920+r.IntN(20))
	case 5:
		return sign + digits(1+r.IntN(3)) + "e-" + strconv.Itoa(4930+r.IntN(25))
	case 6:
		const hex = "0123456789abcdefABCDEF"
		b := []byte(sign + "0x")
		for range 1 + r.IntN(20) {
			b = append(b, hex[r.IntN(len(hex))])
		}
		if r.IntN(2) == 0 {
			b = append(b, '.', hex[r.IntN(len(hex))])
		}
		if r.IntN(2) == 0 {
			b = fmt.Appendf(b, "p%d", r.IntN(33000)-16500)
		}
		return string(b)
	case 7:
		return sign + strconv.FormatFloat(r.NormFloat64()*1e6, 'g', -1, 64)
	case 8:
		return sign + strconv.FormatInt(r.Int64(), 10)
	default:
		junk := []string{"", " 1", "1 ", "1e", "0x", ".", "inf", "nan", "1e+", "0x1p", "1..2", "e5", "--1", "-.5", "5.", "0x.p1", "00012", "Infinity"}
		return junk[r.IntN(len(junk))]
	}
}

// storeReply runs fn's result through the texts redisServer.reply gives.
func storeReply(val []byte, err error) string {
	switch err {
	case nil:
		return string(val)
	case ErrNaN:
		return "-ERR increment would produce NaN or Infinity"
	case ErrNotFloat:
		return "-ERR value is not a valid float"
	case ErrNotInteger:
		return "-ERR value is not an integer or out of range"
	case ErrOverflow:
		return "-ERR increment or decrement would overflow"
	case ErrTooLong:
		return "-ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	}
	return "-" + err.Error()
}

// TestIncrByFloatMatchesRedis compares INCRBYFLOAT with redis-server on
// fixed and random operands.
func TestIncrByFloatMatchesRedis(t *testing.T) {
	rs := startRedis(t)
	pairs := [][2]string{
		{"10.5", "0.1"}, {"0.1", "0.2"}, {"5.0e3", "2.0e2"}, {"1e308", "1e308"}, {"-0.0", "0"},
		{"0", "-0.0"}, {"-0.0", "-0.0"}, {"1", "-1e-20"}, {"0", "0.000003814697265625"},
		{"1.18973149535723176502e+4932", "0"}, {"1.18973149535723176502e+4932", "1e4900"},
		{"-1.18973149535723176502e+4932", "-1e4932"}, {"3.6e-4951", "0"}, {"1.9e-4951", "0"},
		{"1.8e-4951", "0"}, {"0x1p-16445", "0x1p-16445"}, {"0x1p-16446", "0"}, {"0x1.8p-16446", "0"},
		{"0x1p16383", "0x1p16383"}, {"0x1.fffffffffffffffep16383", "0"}, {"0x1.ffffffffffffffffp16383", "0"},
		{"9223372036854775807", "9223372036854775807"}, {"1e-4940", "1e-4940"}, {"0x1p-16382", "-0x1p-16445"},
	}
	r := rand.New(rand.NewPCG(7, 7))
	for range 3000 {
		pairs = append(pairs, [2]string{randomNumber(r), randomNumber(r)})
	}
	// Pipeline: for each pair, DEL, SET (unless empty), INCRBYFLOAT.
	go func() {
		for _, p := range pairs {
			if rs.write("DEL", "x") != nil ||
				p[0] != "" && rs.write("SET", "x", p[0]) != nil ||
				rs.write("INCRBYFLOAT", "x", p[1]) != nil {
				return // the reader fails
			}
		}
	}()
	s := New(1)
	mismatches, values := 0, 0
	for _, p := range pairs {
		rs.reply(t)
		s.Delete(0, []byte("x"))
		if p[0] != "" {
			rs.reply(t)
			set(s, 0, "x", p[0])
		}
		want := rs.reply(t)
		got := storeReply(s.IncrByFloat(0, []byte("x"), []byte(p[1])))
		if !strings.HasPrefix(want, "-") {
			values++
		}
		if got != want {
			mismatches++
			if mismatches <= 20 {
				t.Errorf("%q + %q: store %.80q, redis %.80q", p[0], p[1], got, want)
			}
		}
	}
	if mismatches > 0 {
		t.Errorf("%d of %d differ", mismatches, len(pairs))
	}
	t.Logf("%d of %d sums were numbers", values, len(pairs))
}

// TestEncodingMatchesRedis runs sequences of string commands on one key in
// the store and in redis-server and compares the value and OBJECT ENCODING
// after each.
func TestEncodingMatchesRedis(t *testing.T) {
	rs := startRedis(t)
	long := strings.Repeat("x", 50)
	scripts := [][][]string{
		{{"SET", "123"}, {"APPEND", "4"}, {"INCR"}, {"INCRBYFLOAT", "1.5"}, {"INCRBYFLOAT", "0.5"}, {"INCR"}},
		{{"SET", "hello"}, {"APPEND", ""}, {"SETRANGE", "0", "J"}, {"SET", "hello"}, {"SETRANGE", "0", ""}},
		{{"APPEND", "123"}, {"APPEND", "hello"}},
		{{"APPEND", long}, {"SET", "7"}, {"SETRANGE", "3", "x"}},
		{{"SETRANGE", "2", "ab"}, {"INCRBY", "1"}},
		{{"SETRANGE", "0", "12"}, {"INCR"}, {"APPEND", "0"}},
		{{"INCRBYFLOAT", "10"}, {"COPY"}, {"INCR"}, {"COPY"}},
		{{"SET", "hello"}, {"COPY"}, {"APPEND", "x"}, {"COPY"}},
		{{"SET", strings.Repeat("y", 44)}, {"SET", strings.Repeat("y", 45)}, {"INCRBYFLOAT", "1e50"}},
		{{"SET", "-0"}, {"SET", "00123"}, {"SET", "99999999999999999999"}, {"SET", "-9223372036854775808"}},
		{{"INCRBYFLOAT", "1e40"}, {"INCRBYFLOAT", "1e2"}},
		{{"SET", "9999"}, {"INCR"}, {"INCRBY", "-10000"}, {"SETRANGE", "0", ""}},
	}
	for _, script := range scripts {
		rs.do(t, "DEL", "k", "c")
		s := New(1)
		for _, step := range script {
			var got string
			switch step[0] {
			case "SET":
				rs.do(t, "SET", "k", step[1])
				set(s, 0, "k", step[1])
			case "APPEND":
				want := rs.do(t, "APPEND", "k", step[1])
				n, err := s.Append(0, []byte("k"), []byte(step[1]))
				got = storeReply([]byte(strconv.Itoa(n)), err)
				if got != want {
					t.Errorf("%v: %v = %q, redis %q", script, step, got, want)
				}
			case "SETRANGE":
				want := rs.do(t, "SETRANGE", "k", step[1], step[2])
				off, _ := strconv.Atoi(step[1])
				n, err := s.SetRange(0, []byte("k"), off, []byte(step[2]))
				got = storeReply([]byte(strconv.Itoa(n)), err)
				if got != want {
					t.Errorf("%v: %v = %q, redis %q", script, step, got, want)
				}
			case "INCR", "INCRBY":
				delta := int64(1)
				if step[0] == "INCRBY" {
					delta, _ = strconv.ParseInt(step[1], 10, 64)
				}
				want := rs.do(t, "INCRBY", "k", strconv.FormatInt(delta, 10))
				n, err := s.IncrBy(0, []byte("k"), delta)
				got = storeReply([]byte(strconv.FormatInt(n, 10)), err)
				if got != want {
					t.Errorf("%v: %v = %q, redis %q", script, step, got, want)
				}
			case "INCRBYFLOAT":
				want := rs.do(t, "INCRBYFLOAT", "k", step[1])
				got = storeReply(s.IncrByFloat(0, []byte("k"), []byte(step[1])))
				if got != want {
					t.Errorf("%v: %v = %q, redis %q", script, step, got, want)
				}
			case "COPY":
				rs.do(t, "COPY", "k", "c", "REPLACE")
				s.Copy(0, []byte("k"), 0, []byte("c"), true)
				if want, got := rs.do(t, "OBJECT", "ENCODING", "c"), enc(s, 0, "c"); got != want {
					t.Errorf("%v: %v: copy encoding %q, redis %q", script, step, got, want)
				}
			}
			if want, got := rs.do(t, "GET", "k"), str(s, 0, "k"); got != want {
				t.Errorf("%v: after %v value %q, redis %q", script, step, got, want)
			}
			if want, got := rs.do(t, "OBJECT", "ENCODING", "k"), enc(s, 0, "k"); got != want {
				t.Errorf("%v: after %v encoding %q, redis %q", script, step, got, want)
			}
		}
	}
}
