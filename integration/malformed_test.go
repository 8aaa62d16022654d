package integration

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// malformedCase is a request that breaks the protocol (or is cut short), with
// what a redis-server answers and whether it then closes the connection.
type malformedCase struct {
	name   string
	send   string
	want   string
	closed bool
}

// openWait is how long a connection the server should keep open is watched
// for an unexpected reply or close.
const openWait = 300 * time.Millisecond

var malformedCases = []malformedCase{
	{"multibulk length not a number", "*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
	{"bulk length not a number", "*3\r\n$x\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
	{"bulk without dollar", "*1\r\nfoo\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n", true},
	{"unbalanced double quote", "SET \"a b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", true},
	{"unbalanced single quote", "SET 'a\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", true},
	{"closing quote not followed by space", "SET \"a\"b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", true},
	{"too big inline request", strings.Repeat("x", 70000), "-ERR Protocol error: too big inline request\r\n", true},
	{"too big mbulk count string", "*" + strings.Repeat("1", 70000), "-ERR Protocol error: too big mbulk count string\r\n", true},
	{"too big bulk count string", "*1\r\n$" + strings.Repeat("1", 70000), "-ERR Protocol error: too big bulk count string\r\n", true},
	{"bulk over proto-max-bulk-len", "*1\r\n$536870913\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
	{"bulk at proto-max-bulk-len waits", "*1\r\n$536870912\r\n", "", false},
	{"huge multibulk length waits", "*2000000000\r\n", "", false},
	{"multibulk length over int32", "*2147483648\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
	{"multibulk length over int64", "*9223372036854775808\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
	{"bulk length over int64", "*1\r\n$9223372036854775808\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
	{"negative bulk length", "*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
	{"empty bulk length", "*1\r\n$\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
	{"bulk length with junk", "*1\r\n$4x\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
	{"bulk length with space", "*1\r\n$ 4\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
	{"bulk length with leading zero", "*1\r\n$04\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
	{"empty multibulk length", "*\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
	{"multibulk length with junk", "*1x\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
	{"multibulk length with plus", "*+1\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
	{"multibulk length with space", "* 1\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
	{"multibulk length with leading zero", "*01\r\n$4\r\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
	{"negative multibulk length is skipped", "*-1\r\n*1\r\n$4\r\nPING\r\n", "+PONG\r\n", false},
	{"empty multibulk is skipped", "*0\r\n*1\r\n$4\r\nPING\r\n", "+PONG\r\n", false},
	{"cut short waits", "*1\r\n$4\r\nPI", "", false},
	{"reply before the error", "*1\r\n$4\r\nPING\r\n*abc\r\n", "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n", true},
	{"nothing after the error", "*abc\r\n*1\r\n$4\r\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
	{"inline then bad multibulk", "PING\r\n*x\r\n", "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n", true},
}

// unauthCases are sent to servers started with --requirepass pw, on a
// connection that has not authenticated (unless the case does it).
var unauthCases = []malformedCase{
	{"multibulk length 20 before AUTH", "*20\r\n", "-ERR Protocol error: unauthenticated multibulk length\r\n", true},
	{"multibulk length 11 before AUTH", "*11\r\n", "-ERR Protocol error: unauthenticated multibulk length\r\n", true},
	{"multibulk length 10 before AUTH waits", "*10\r\n", "", false},
	{"bulk length 16385 before AUTH", "*2\r\n$3\r\nGET\r\n$16385\r\n", "-ERR Protocol error: unauthenticated bulk length\r\n", true},
	{"bulk length 16384 before AUTH waits", "*2\r\n$3\r\nGET\r\n$16384\r\n", "", false},
	{"inline command before AUTH", "PING\r\n", "-NOAUTH Authentication required.\r\n", false},
	{"command before AUTH", "*2\r\n$3\r\nGET\r\n$1\r\na\r\n", "-NOAUTH Authentication required.\r\n", false},
	{"HELLO before AUTH", "HELLO 3\r\n", "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n", false},
	{"wrong password", "AUTH wrong\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n", false},
	{"no limit after AUTH", "AUTH pw\r\n*20\r\n", "+OK\r\n", false},
	{"AUTH then PING", "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*1\r\n$4\r\nPING\r\n", "+OK\r\n+PONG\r\n", false},
	{"too big inline request before AUTH", strings.Repeat("x", 70000), "-ERR Protocol error: too big inline request\r\n", true},
	{"bad multibulk before AUTH", "*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
}

// bulkLimitCases are sent to servers started with --proto-max-bulk-len 1mb.
var bulkLimitCases = []malformedCase{
	{"bulk over a lowered proto-max-bulk-len", "*1\r\n$1048577\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
	{"bulk at a lowered proto-max-bulk-len waits", "*1\r\n$1048576\r\n", "", false},
}

func TestMalformedRequests(t *testing.T) {
	ref := startRedis(t)
	forEachLoop(t, func(t *testing.T, addr string) {
		runMalformed(t, malformedCases, addr, ref.addr, "")
	})
}

func TestMalformedRequestsBulkLimit(t *testing.T) {
	ref := startRedis(t, "--proto-max-bulk-len", "1mb")
	forEachLoop(t, func(t *testing.T, addr string) {
		runMalformed(t, bulkLimitCases, addr, ref.addr, "")
	}, "--proto-max-bulk-len", "1mb")
}

func TestMalformedRequestsUnauthenticated(t *testing.T) {
	ref := startRedis(t, "--requirepass", "pw")
	forEachLoop(t, func(t *testing.T, addr string) {
		runMalformed(t, unauthCases, addr, ref.addr, "pw")
	}, "--requirepass", "pw")
}

// probeResult is what a server did with one malformed request.
type probeResult struct {
	reply  []byte
	closed bool
	err    error // the probe itself failed, or the other client was not served
}

// runMalformed sends each case to kvrpcd and to redis-server, each on a fresh
// connection, and compares what comes back and whether the connection is
// closed. Meanwhile another client must keep being served. All probes run at
// once, so the time spent watching connections that stay open is paid once.
//
// The redcon model parses with redcon's own reader, which has messages and limits of its own
// (see loops/redcon): there only the bystander's service is checked.
func runMalformed(t *testing.T, cases []malformedCase, kvAddr, refAddr, password string) {
	ownParser := !usesRedconParser(t)
	got := make([]probeResult, len(cases))
	ref := make([]probeResult, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		// A connection that should close gets longer to do so than one that
		// should stay open gets to show that it does.
		wait := openWait
		if c.closed {
			wait = ioTimeout
		}
		wg.Add(2)
		go func() { defer wg.Done(); got[i] = probeMalformed(kvAddr, password, c.send, len(c.want), wait) }()
		go func() { defer wg.Done(); ref[i] = probeMalformed(refAddr, password, c.send, len(c.want), wait) }()
	}
	wg.Wait()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ref := got[i], ref[i]
			if ref.err != nil {
				t.Errorf("redis-server: %v", ref.err)
			} else if string(ref.reply) != c.want || ref.closed != c.closed {
				t.Errorf("redis-server: send %q:\n got %q (closed %v)\nwant %q (closed %v)",
					clip([]byte(c.send)), ref.reply, ref.closed, c.want, c.closed)
			}
			if got.err != nil {
				t.Errorf("kvrpcd: %v", got.err)
			}
			if ownParser && (!bytes.Equal(got.reply, ref.reply) || got.closed != ref.closed) {
				t.Errorf("send %q:\n kvrpcd       %q (closed %v)\n redis-server %q (closed %v)",
					clip([]byte(c.send)), got.reply, got.closed, ref.reply, ref.closed)
			}
		})
	}
}

// probeMalformed sends one malformed request to addr and reports the reply
// and whether the server closed the connection: it waits (up to ioTimeout)
// for the expected number of bytes, then for wait to see what else comes. A
// second connection, opened first, must still be served afterwards.
func probeMalformed(addr, password, send string, expect int, wait time.Duration) probeResult {
	bystander, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return probeResult{err: err}
	}
	defer bystander.Close()
	by := &rawConn{c: bystander, addr: addr}
	if password != "" {
		by.c.SetWriteDeadline(time.Now().Add(ioTimeout))
		by.c.Write(encodeCommand("AUTH", password))
		if _, raw, err := by.readReply(ioTimeout); err != nil || string(raw) != "+OK\r\n" {
			return probeResult{err: fmt.Errorf("AUTH on the second connection: %q, %v", raw, err)}
		}
	}
	c, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return probeResult{err: err}
	}
	bad := &rawConn{c: c, addr: addr}
	// The server may close before it has read everything, so the write runs
	// beside the read and its error is expected.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.SetWriteDeadline(time.Now().Add(ioTimeout))
		c.Write([]byte(send))
	}()
	bad.c.SetReadDeadline(time.Now().Add(ioTimeout))
	for len(bad.buf) < expect {
		if bad.fill() != nil {
			break // closed, or timed out: readAll sees which
		}
	}
	reply, closed := bad.readAll(wait)
	c.Close()
	wg.Wait()

	res := probeResult{reply: reply, closed: closed}
	by.c.SetWriteDeadline(time.Now().Add(ioTimeout))
	by.c.Write(encodeCommand("PING"))
	if _, raw, err := by.readReply(ioTimeout); err != nil || string(raw) != "+PONG\r\n" {
		res.err = fmt.Errorf("the second connection got %q, %v for PING; want +PONG", raw, err)
	}
	return res
}
