package integration

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cliCase is one redis-cli invocation and its exact standard output. Cases
// run in order against one server, so later ones see earlier writes.
type cliCase struct {
	args []string
	want string
}

// cliCases are checked against kvrpcd and, when it is installed, against
// redis-server too, which keeps the expected outputs honest.
var cliCases = []cliCase{
	{[]string{"PING"}, "PONG\n"},
	{[]string{"SET", "foo", "bar"}, "OK\n"},
	{[]string{"GET", "foo"}, "bar\n"},
	{[]string{"GET", "missing"}, "\n"},
	{[]string{"INCR", "n"}, "1\n"},
	{[]string{"INCRBY", "n", "41"}, "42\n"},
	{[]string{"MGET", "foo", "missing", "n"}, "bar\n\n42\n"},
	{[]string{"SET", "a b", "c d"}, "OK\n"},
	{[]string{"GET", "a b"}, "c d\n"},
	{[]string{"ECHO", "hello world"}, "hello world\n"},
	{[]string{"EXISTS", "foo", "missing", "n"}, "2\n"},
	{[]string{"TTL", "foo"}, "-1\n"},
	{[]string{"TTL", "missing"}, "-2\n"},
	{[]string{"INCRBYFLOAT", "f", "1.5"}, "1.5\n"},
	{[]string{"DBSIZE"}, "4\n"},
	{[]string{"GET"}, "ERR wrong number of arguments for 'get' command\n\n"},
	{[]string{"GETX", "k"}, "ERR unknown command 'GETX', with args beginning with: 'k' \n\n"},
	{[]string{"SET", "k", "v", "EX", "0"}, "ERR invalid expire time in 'set' command\n\n"},
	{[]string{"INCR", "foo"}, "ERR value is not an integer or out of range\n\n"},
	// --no-raw shows the reply types, which --raw hides.
	{[]string{"--no-raw", "GET", "foo"}, "\"bar\"\n"},
	{[]string{"--no-raw", "GET", "missing"}, "(nil)\n"},
	{[]string{"--no-raw", "INCR", "n"}, "(integer) 43\n"},
	{[]string{"--no-raw", "MGET", "foo", "missing", "n"}, "1) \"bar\"\n2) (nil)\n3) \"43\"\n"},
	{[]string{"--no-raw", "KEYS", "nomatch*"}, "(empty array)\n"},
	{[]string{"--no-raw", "INCRBYFLOAT", "f", "2.5"}, "\"4\"\n"},
	{[]string{"--no-raw", "SET", "foo", "bar", "NX"}, "(nil)\n"},
	{[]string{"--no-raw", "DEL", "a b", "missing"}, "(integer) 1\n"},
	{[]string{"--no-raw", "GET"}, "(error) ERR wrong number of arguments for 'get' command\n"},
	{[]string{"--no-raw", "-3", "GET", "missing"}, "(nil)\n"},
	{[]string{"--no-raw", "-3", "MGET", "foo", "missing"}, "1) \"bar\"\n2) (nil)\n"},
	{[]string{"--no-raw", "-3", "TTL", "foo"}, "(integer) -1\n"},
	{[]string{"-n", "2", "--no-raw", "SET", "x", "y"}, "OK\n"},
	{[]string{"-n", "2", "--no-raw", "DBSIZE"}, "(integer) 1\n"},
	{[]string{"--no-raw", "DBSIZE"}, "(integer) 3\n"},
}

// runCLI runs redis-cli against port with a bounded time and returns its
// standard output and error and its exit code.
func runCLI(t testing.TB, port int, stdin []byte, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cli := needTool(t, "redis-cli")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	all := append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(port)}, args...)
	cmd := exec.CommandContext(ctx, cli, all...)
	var out, errOut bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errOut
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && ctx.Err() == nil {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("redis-cli %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, clip(out.Bytes()), errOut.String())
	}
	return out.String(), errOut.String(), 0
}

func checkCLICases(t *testing.T, port int) {
	for _, c := range cliCases {
		got, errOut, code := runCLI(t, port, nil, c.args...)
		if got != c.want || code != 0 {
			t.Errorf("redis-cli %q:\n got %q (exit code %d, stderr %q)\nwant %q", c.args, got, code, errOut, c.want)
		}
	}
}

func TestRedisCLI(t *testing.T) {
	needTool(t, "redis-cli")
	forEachLoop(t, func(t *testing.T, addr string) {
		checkCLICases(t, portOf(t, addr))
	})
}

// TestRedisCLIExpectations checks the expected outputs of TestRedisCLI
// against a real redis-server.
func TestRedisCLIExpectations(t *testing.T) {
	needTool(t, "redis-cli")
	srv := startRedis(t)
	checkCLICases(t, srv.port)
}

// massInsert returns the RESP protocol of n SET commands, as fed to
// redis-cli --pipe.
func massInsert(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		b.Write(encodeCommand("SET", "key:"+strconv.Itoa(i), "value:"+strconv.Itoa(i)))
	}
	return b.Bytes()
}

func TestRedisCLIPipe(t *testing.T) {
	needTool(t, "redis-cli")
	const n = 100000
	data := massInsert(n)
	forEachLoop(t, func(t *testing.T, addr string) {
		port := portOf(t, addr)
		out, errOut, code := runCLI(t, port, data, "--pipe")
		if want := "errors: 0, replies: " + strconv.Itoa(n); !strings.Contains(out, want) {
			t.Fatalf("redis-cli --pipe: output lacks %q:\n%s\nstderr: %s", want, out, errOut)
		}
		if code != 0 {
			t.Errorf("redis-cli --pipe exited with %d", code)
		}
		if got, _, _ := runCLI(t, port, nil, "DBSIZE"); got != strconv.Itoa(n)+"\n" {
			t.Errorf("DBSIZE after mass insertion = %q; want %d", got, n)
		}
		if got, _, _ := runCLI(t, port, nil, "GET", "key:99999"); got != "value:99999\n" {
			t.Errorf("GET key:99999 = %q; want value:99999", got)
		}

		// Errors are counted, not fatal to the stream.
		var mixed bytes.Buffer
		mixed.Write(encodeCommand("SET", "p", "1"))
		mixed.Write(encodeCommand("INCR", "key:1"))
		mixed.Write(encodeCommand("NOSUCHCOMMAND"))
		mixed.Write(encodeCommand("GET"))
		mixed.Write(encodeCommand("INCR", "p"))
		out, errOut, _ = runCLI(t, port, mixed.Bytes(), "--pipe")
		if want := "errors: 3, replies: 5"; !strings.Contains(out, want) {
			t.Errorf("redis-cli --pipe with errors: output lacks %q:\n%s\nstderr: %s", want, out, errOut)
		}
		if got, _, _ := runCLI(t, port, nil, "GET", "p"); got != "2\n" {
			t.Errorf("GET p after the pipe = %q; want 2", got)
		}
	})
}

// TestInlineCommands sends commands in the inline form (space-separated words
// ending in a newline, as typed into telnet) over a raw connection.
func TestInlineCommands(t *testing.T) {
	cases := []struct {
		send string
		want string // the exact replies
	}{
		{"PING\r\n", "+PONG\r\n"},
		{"PING\n", "+PONG\r\n"},
		{"  PING   \r\n", "+PONG\r\n"},
		{"SET a b\r\n", "+OK\r\n"},
		{"GET a\r\n", "$1\r\nb\r\n"},
		{"SET \"a b\" 'c d'\r\n", "+OK\r\n"},
		{"GET \"a b\"\r\n", "$3\r\nc d\r\n"},
		{"SET esc \"x\\ty\\x41\\n\"\r\n", "+OK\r\n"},
		{"STRLEN esc\r\n", ":5\r\n"},
		{"GET esc\r\n", "$5\r\nx\tyA\n\r\n"},
		{"SET empty \"\"\r\n", "+OK\r\n"},
		{"STRLEN empty\r\n", ":0\r\n"},
		{"\r\n", ""}, // an empty line is ignored
		{"ECHO \"don't\"\r\n", "$5\r\ndon't\r\n"},
		{"INCR n\r\nINCR n\r\nGET n\r\n", ":1\r\n:2\r\n$1\r\n2\r\n"},
		{"MGET a missing\r\n", "*2\r\n$1\r\nb\r\n$-1\r\n"},
		{"get\r\n", "-ERR wrong number of arguments for 'get' command\r\n"},
		{"NOSUCH x y\r\n", "-ERR unknown command 'NOSUCH', with args beginning with: 'x' 'y' \r\n"},
	}
	forEachLoop(t, func(t *testing.T, addr string) {
		conn := dialRaw(t, addr)
		for _, c := range cases {
			if usesRedconParser(t) && strings.Contains(c.send, "esc") {
				continue // redcon's inline reader knows no escapes
			}
			conn.send([]byte(c.send))
			got, err := conn.readN(len(c.want), ioTimeout)
			if err != nil || string(got) != c.want {
				t.Fatalf("send %q:\n got %q (%v)\nwant %q", c.send, got, err, c.want)
			}
		}
		// Nothing more than expected came back: the next reply is PONG.
		conn.send([]byte("PING\r\n"))
		if got, err := conn.readN(7, ioTimeout); err != nil || string(got) != "+PONG\r\n" {
			t.Errorf("after the inline commands, PING got %q (%v); want +PONG", got, err)
		}
	})
}

// portOf returns the port of a host:port address.
func portOf(t testing.TB, addr string) int {
	t.Helper()
	i := strings.LastIndexByte(addr, ':')
	port, err := strconv.Atoi(addr[i+1:])
	if err != nil {
		t.Fatalf("bad address %q", addr)
	}
	return port
}
