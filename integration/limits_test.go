package integration

import (
	"testing"
	"time"
)

// TestMaxClients: past maxclients a new connection gets Redis's error and is closed, while
// the connections already open keep being served.
func TestMaxClients(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		// The harness's readiness probe may not be released yet: retry, bounded.
		served := func() *rawConn {
			for range 100 {
				c := dialRaw(t, addr)
				if v := c.do("PING"); string(v.Str) == "PONG" {
					return c
				}
				time.Sleep(20 * time.Millisecond)
			}
			t.Fatal("no connection served within 2 s")
			return nil
		}
		first, _ := served(), served()
		third := dialRaw(t, addr)
		data, closed := third.readAll(3 * time.Second)
		if string(data) != "-ERR max number of clients reached\r\n" || !closed {
			t.Fatalf("third connection got %q (closed %v); want the maxclients error and a close", data, closed)
		}
		if v := first.do("PING"); string(v.Str) != "PONG" {
			t.Fatalf("after the refusal, PING = %v", v)
		}
	}, "--maxclients", "2")
}

// TestIdleTimeout: a client idle for longer than timeout is disconnected; an active one is not.
func TestIdleTimeout(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		idle := dialRaw(t, addr)
		active := dialRaw(t, addr)
		start := time.Now()
		for range 12 { // 3 s of activity, past the 1 s timeout
			if v := active.do("PING"); string(v.Str) != "PONG" {
				t.Fatalf("the active client was cut off after %v: PING = %v", time.Since(start), v)
			}
			time.Sleep(250 * time.Millisecond)
		}
		if _, closed := idle.readAll(3 * time.Second); !closed {
			t.Fatal("the idle client is still connected 3 s past a 1 s timeout")
		}
	}, "--timeout", "1")
}
