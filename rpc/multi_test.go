package rpc

import (
	"testing"
	"testing/synctest"
	"time"
)

// TestWatchExpiry: a watched key that expires between WATCH and EXEC counts as modified; one
// already expired at WATCH does not, as in Redis 7.
func TestWatchExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLocalTarget(t)
		do := func(cmd string) string { return l.do(t, encodeInline(t, cmd)) }
		do("SET e 1 PX 100")
		do("WATCH e")
		time.Sleep(200 * time.Millisecond)
		do("MULTI")
		do("PING")
		if got := do("EXEC"); got != "(nil)" {
			t.Fatalf("EXEC after the watched key expired = %q, want (nil)", got)
		}

		do("SET gone 1 PX 100")
		time.Sleep(200 * time.Millisecond)
		do("WATCH gone")
		do("MULTI")
		do("PING")
		if got := do("EXEC"); got != "1) PONG" {
			t.Fatalf("EXEC with a key expired before WATCH = %q, want 1) PONG", got)
		}
	})
}

// TestWatchOtherClient: another client's write to a watched key aborts the transaction.
func TestWatchOtherClient(t *testing.T) {
	l := newLocalTarget(t)
	other := l.srv.Connect(&fakeConn{})
	defer other.Release()
	do := func(cmd string) string { return l.do(t, encodeInline(t, cmd)) }
	do("WATCH k")
	do("MULTI")
	do("SET k mine")
	other.Process(encodeInline(t, "SET k theirs"))
	if got := do("EXEC"); got != "(nil)" {
		t.Fatalf("EXEC = %q, want (nil)", got)
	}
	if got := do("GET k"); got != `"theirs"` {
		t.Fatalf("GET k = %s, want \"theirs\"", got)
	}
	// Unrelated keys do not abort.
	do("WATCH k")
	do("MULTI")
	do("SET k mine")
	other.Process(encodeInline(t, "SET unrelated x"))
	if got := do("EXEC"); got != "1) OK" {
		t.Fatalf("EXEC = %q, want 1) OK", got)
	}
}
