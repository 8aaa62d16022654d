package rpc

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// txClients are two clients of one server for WATCH tests: the watcher and another client.
type txClients struct {
	t     *testing.T
	l     *localTarget
	other *Client
}

func newTxClients(t *testing.T) *txClients {
	l := newLocalTarget(t)
	other := l.srv.Connect(&fakeConn{})
	t.Cleanup(other.Release)
	return &txClients{t: t, l: l, other: other}
}

// do runs cmd as the watcher and returns its reply as redis-cli shows it.
func (x *txClients) do(cmd string) string {
	x.t.Helper()
	return x.l.do(x.t, encodeInline(x.t, cmd))
}

// by runs cmd as the other client and returns its reply.
func (x *txClients) by(cmd string) string {
	x.t.Helper()
	x.other.Process(encodeInline(x.t, cmd))
	out := renderReplies(x.t, x.other.Output())
	x.other.ResetOutput()
	return out
}

// exec runs MULTI, PING, EXEC as the watcher and reports whether the transaction ran; want
// says whether it should have, and why is what the test did in between.
func (x *txClients) exec(want bool, why string) {
	x.t.Helper()
	x.do("MULTI")
	x.do("PING")
	got := x.do("EXEC")
	switch {
	case want && got != "1) PONG":
		x.t.Errorf("%s: EXEC = %q, want 1) PONG", why, got)
	case !want && got != "(nil)":
		x.t.Errorf("%s: EXEC = %q, want (nil)", why, got)
	}
}

// TestWatchExpiry follows Redis 7: a watched key that expires between WATCH and EXEC counts
// as modified, whether it is still there at EXEC or another command deleted it; one already
// expired at WATCH does not, and nor does its later deletion.
func TestWatchExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		x := newTxClients(t)
		x.l.srv.setActiveExpire(false) // keys stay until looked up, unless a test expires them

		x.do("SET e 1 PX 100")
		x.do("WATCH e")
		time.Sleep(200 * time.Millisecond)
		x.exec(false, "the watched key expired")

		x.do("SET e 1 PX 100")
		x.do("WATCH e")
		time.Sleep(200 * time.Millisecond)
		x.by("GET e") // deletes it
		x.exec(false, "the watched key expired and another client's read deleted it")

		x.do("SET gone 1 PX 100")
		time.Sleep(200 * time.Millisecond)
		x.do("WATCH gone")
		x.exec(true, "the key had expired at WATCH")

		x.do("SET gone 1 PX 100")
		time.Sleep(200 * time.Millisecond)
		x.do("WATCH gone")
		x.by("GET gone")
		x.by("FLUSHDB")
		x.exec(true, "a key expired at WATCH, then looked up and flushed")

		x.do("SET gone 1 PX 100")
		time.Sleep(200 * time.Millisecond)
		x.do("WATCH gone")
		x.by("SET gone 2")
		x.exec(false, "a key expired at WATCH, then set")

		x.do("SET e 1 PX 100")
		x.do("WATCH e")
		time.Sleep(200 * time.Millisecond)
		x.by("FLUSHDB")
		x.exec(false, "FLUSHDB of a watched key that expired since WATCH")

		// Two watchers: one watched the key alive, one after it expired.
		x.do("SET e 1 PX 100")
		x.by("WATCH e")
		time.Sleep(200 * time.Millisecond)
		x.do("WATCH e")
		x.by("MULTI")
		x.by("PING")
		x.exec(true, "the key had expired at this client's WATCH")
		if got := x.by("EXEC"); got != "(nil)" {
			t.Errorf("EXEC of the client that watched the key alive = %q, want (nil)", got)
		}

		// Active expiry deletes a watched key.
		x.do("SET e 1 PX 100")
		x.do("WATCH e")
		time.Sleep(200 * time.Millisecond)
		x.l.srv.store.ActiveExpireCycle(time.Second)
		if got := x.by("DBSIZE"); got != "(integer) 0" {
			t.Fatalf("DBSIZE after active expiry = %s, want 0", got)
		}
		x.exec(false, "active expiry deleted the watched key")
	})
}

// TestWatchOtherClient: another client's write to a watched key aborts the transaction.
func TestWatchOtherClient(t *testing.T) {
	x := newTxClients(t)
	x.do("WATCH k")
	x.do("MULTI")
	x.do("SET k mine")
	x.by("SET k theirs")
	if got := x.do("EXEC"); got != "(nil)" {
		t.Fatalf("EXEC = %q, want (nil)", got)
	}
	if got := x.do("GET k"); got != `"theirs"` {
		t.Fatalf("GET k = %s, want \"theirs\"", got)
	}
	// Unrelated keys do not abort.
	x.do("WATCH k")
	x.do("MULTI")
	x.do("SET k mine")
	x.by("SET unrelated x")
	if got := x.do("EXEC"); got != "1) OK" {
		t.Fatalf("EXEC = %q, want 1) OK", got)
	}
}

// TestWatchExact: other clients' commands abort a transaction only when they modify a
// watched key, as in Redis: writes that change nothing, keyspace-wide commands that find no
// watched key, and keys of the same name in another database leave it alone.
func TestWatchExact(t *testing.T) {
	x := newTxClients(t)
	x.by("SET k 1")
	x.by("RPUSH l a")

	x.do("WATCH k l missing")
	for _, cmd := range []string{"SET k 2 NX", "DEL missing", "LREM l 0 nothing", "INCRBY l 1",
		"GETDEL missing", "PERSIST k", "EXPIRE missing 10", "RENAME missing x", "MOVE missing 1",
		"COPY missing k", "COPY k l", "SWAPDB 1 2", "SELECT 1", "SET k x", "FLUSHDB", "SELECT 0"} {
		x.by(cmd)
	}
	x.exec(true, "writes that changed no watched key")

	for _, c := range []struct {
		prep, cmd string
	}{
		{"", "SET k 1"},
		{"", "EXPIRE k 100"},
		{"", "RENAME k k2"},
		{"SET k 1", "MOVE k 1"},
		{"SELECT 1", "SWAPDB 0 1"}, // k now exists in database 1
		{"SELECT 0", "FLUSHALL"},
		{"SET k 1", "COPY k k DB 1"},
	} {
		if c.prep != "" {
			x.by(c.prep)
		}
		x.do("SELECT 1")
		x.do("WATCH k")
		x.do("SELECT 0")
		x.do("WATCH k")
		x.by(c.cmd)
		x.exec(false, c.cmd)
	}
}

// TestWatchBlockedServed: a blocked command served later modifies keys when it runs, and
// marks their watchers then.
func TestWatchBlockedServed(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	w, b, a := newPauseSession(t, srv), newPauseSession(t, srv), newPauseSession(t, srv)
	w.send(pcmd("watch", "dst"))
	if got := b.send(pcmd("blmove", "src", "dst", "left", "right", "0")); got != "" {
		t.Fatalf("BLMOVE answered %q before anything was pushed", got)
	}
	wakes := b.conn.wakes.Load()
	a.send(pcmd("rpush", "src", "x"))
	b.waitWake(wakes)
	if got := b.resume(); got != "$1\r\nx\r\n" {
		t.Fatalf("served BLMOVE = %q", got)
	}
	if got := w.send(pcmd("multi"), pcmd("ping"), pcmd("exec")); got != "+OK\r\n+QUEUED\r\n*-1\r\n" {
		t.Fatalf("EXEC after a served BLMOVE pushed to the watched key: %q", got)
	}
}

// TestWatchConcurrentIncr is optimistic locking under contention: clients that increment a
// counter with WATCH, GET, MULTI, SET, EXEC, retrying aborted transactions, lose no
// increment.
func TestWatchConcurrentIncr(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	const clients, each = 4, 100
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for range clients {
		c := srv.Connect(&fakeConn{})
		t.Cleanup(c.Release)
		wg.Go(func() {
			run := func(args ...string) string {
				c.Process(respCommand(args...))
				out := string(c.Output())
				c.ResetOutput()
				return out
			}
			for done, tries := 0, 0; done < each; tries++ {
				if tries > 100*each {
					errs <- fmt.Errorf("%d increments after %d tries", done, tries)
					return
				}
				run("WATCH", "counter")
				n := 0
				if v := run("GET", "counter"); v != "$-1\r\n" {
					var err error
					if n, err = strconv.Atoi(v[4 : len(v)-2]); err != nil { // $<len>\r\n<n>\r\n, n < 1000
						errs <- fmt.Errorf("GET counter = %q", v)
						return
					}
				}
				run("MULTI")
				run("SET", "counter", strconv.Itoa(n+1))
				switch out := run("EXEC"); out {
				case "*1\r\n+OK\r\n":
					done++
				case "*-1\r\n":
				default:
					errs <- fmt.Errorf("EXEC = %q", out)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	x := srv.Connect(&fakeConn{})
	defer x.Release()
	x.Process(respCommand("GET", "counter"))
	if got, want := string(x.Output()), fmt.Sprintf("$3\r\n%d\r\n", clients*each); got != want {
		t.Fatalf("counter = %q, want %q", got, want)
	}
}
