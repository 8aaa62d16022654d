package rpc

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// invalidation encodes the RESP3 push of an invalidation of keys.
func invalidation(keys ...string) string {
	return ">2\r\n$10\r\ninvalidate\r\n" + frame('*', keys)
}

// infoField returns one field of an INFO section.
func infoField(s *connSession, section, name string) string {
	s.t.Helper()
	for _, line := range strings.Split(string(s.do("INFO", section).Str), "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	s.t.Fatalf("INFO %s has no %s", section, name)
	return ""
}

func TestTrackingOtherClients(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b := newConnSession(t, srv), newConnSession(t, srv)
	a.do("HELLO", "3")
	a.raw("CLIENT", "TRACKING", "on")
	a.raw("MGET", "k1", "k2")
	if got := b.raw("MSET", "k1", "1", "k2", "2", "k3", "3"); got != "+OK\r\n" {
		t.Fatalf("the writer got %q", got)
	}
	if got, want := a.delivered(), invalidation("k1")+invalidation("k2"); got != want {
		t.Fatalf("tracking client got %q, want %q", got, want)
	}
	// Invalidated keys are forgotten until read again.
	b.raw("SET", "k1", "x")
	if got := a.delivered(); got != "" {
		t.Fatalf("a forgotten key was invalidated: %q", got)
	}
	// FLUSHALL by another client: a null for everything.
	a.raw("GET", "k1")
	b.raw("FLUSHALL")
	if got := a.delivered(); got != ">2\r\n$10\r\ninvalidate\r\n_\r\n" {
		t.Fatalf("FLUSHALL sent %q", got)
	}
	if got := infoField(b, "stats", "tracking_total_keys"); got != "0" {
		t.Fatalf("tracking_total_keys %s after FLUSHALL", got)
	}
	// The client's own write: the invalidation follows the reply.
	a.raw("GET", "own")
	if got, want := a.raw("SET", "own", "1"), "+OK\r\n"+invalidation("own"); got != want {
		t.Fatalf("own write: %q, want %q", got, want)
	}
}

func TestTrackingRedirectRESP2(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, sub, w := newConnSession(t, srv), newConnSession(t, srv), newConnSession(t, srv)
	sub.raw("SUBSCRIBE", "__redis__:invalidate")
	subID := strconv.FormatUint(sub.c.ID(), 10)
	if got := a.str("CLIENT", "TRACKING", "on", "REDIRECT", subID); got != "OK" {
		t.Fatal(got)
	}
	if got := a.do("CLIENT", "GETREDIR").Int; got != int64(sub.c.ID()) {
		t.Fatalf("GETREDIR %d", got)
	}
	a.raw("GET", "k")
	w.raw("SET", "k", "1")
	msg := "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n"
	if got, want := sub.delivered(), msg+"*1\r\n$1\r\nk\r\n"; got != want {
		t.Fatalf("redirect target got %q, want %q", got, want)
	}
	// The null of FLUSHDB is in the tracking client's protocol, as Redis encodes it.
	w.raw("FLUSHDB")
	if got, want := sub.delivered(), msg+"$-1\r\n"; got != want {
		t.Fatalf("redirect target got %q, want %q", got, want)
	}
	if got := a.delivered(); got != "" {
		t.Fatalf("a redirecting client got %q", got)
	}
	// The target goes away: a RESP3 tracking client is told, RESP2 is not.
	sub.c.Release()
	a.raw("GET", "k")
	w.raw("SET", "k", "2")
	if got := a.delivered(); got != "" {
		t.Fatalf("RESP2 client got %q", got)
	}
	if got := a.str("CLIENT", "TRACKINGINFO"); !strings.Contains(got, `"broken_redirect"`) {
		t.Fatalf("TRACKINGINFO without broken_redirect:\n%s", got)
	}
	if got := string(a.do("CLIENT", "INFO").Str); !strings.Contains(got, " flags=tR ") || !strings.Contains(got, " redir="+subID+" ") {
		t.Fatalf("CLIENT INFO %q", got)
	}
	a.do("HELLO", "3")
	a.raw("GET", "k")
	w.raw("SET", "k", "3")
	if got, want := a.delivered(), ">2\r\n$21\r\ntracking-redir-broken\r\n:"+subID+"\r\n"; got != want {
		t.Fatalf("broken redirect: %q, want %q", got, want)
	}
}

// TestTrackingRedirectTargetWrites: a redirect target that modifies a key another client
// tracks gets the invalidation before its reply, as in Redis, and inside a transaction after
// the whole EXEC reply.
func TestTrackingRedirectTargetWrites(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b := newConnSession(t, srv), newConnSession(t, srv)
	b.do("HELLO", "3")
	a.raw("CLIENT", "TRACKING", "on", "REDIRECT", strconv.FormatUint(b.c.ID(), 10))
	a.raw("GET", "k")
	if got, want := b.raw("INCR", "k"), invalidation("k")+":1\r\n"; got != want {
		t.Fatalf("target's write: %q, want %q", got, want)
	}
	a.raw("GET", "k")
	b.raw("MULTI")
	b.raw("INCR", "k")
	if got, want := b.raw("EXEC"), invalidation("k")+"*1\r\n:2\r\n"; got != want {
		t.Fatalf("target's EXEC: %q, want %q", got, want)
	}
	a.raw("GET", "k")
	if got, want := b.raw("FLUSHALL"), ">2\r\n$10\r\ninvalidate\r\n$-1\r\n+OK\r\n"; got != want {
		t.Fatalf("target's FLUSHALL: %q, want %q", got, want)
	}
}

func TestTrackingBcast(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, n, w := newConnSession(t, srv), newConnSession(t, srv), newConnSession(t, srv)
	a.do("HELLO", "3")
	n.do("HELLO", "3")
	a.raw("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "PREFIX", "item:")
	n.raw("CLIENT", "TRACKING", "on", "BCAST", "NOLOOP", "PREFIX", "user:")
	// One read batch of the writer: one message per prefix, keys sorted and once each.
	in := string(respCommand("SET", "user:2", "x")) + string(respCommand("SET", "other", "x")) +
		string(respCommand("MSET", "item:1", "a", "user:1", "b", "user:2", "c"))
	if got := w.c.Process([]byte(in)); got != len(in) {
		t.Fatalf("consumed %d", got)
	}
	w.c.ResetOutput()
	if got, want := a.delivered(), invalidation("item:1")+invalidation("user:1", "user:2"); got != want {
		t.Fatalf("BCAST client got %q, want %q", got, want)
	}
	if got, want := n.delivered(), invalidation("user:1", "user:2"); got != want {
		t.Fatalf("NOLOOP client got %q, want %q", got, want)
	}
	// NOLOOP leaves out the client's own modifications, and sends nothing when none is left.
	if got := n.raw("SET", "user:3", "x"); got != "+OK\r\n" {
		t.Fatalf("NOLOOP writer got %q", got)
	}
	if got, want := a.delivered(), invalidation("user:3"); got != want {
		t.Fatalf("BCAST client got %q, want %q", got, want)
	}
	// Without NOLOOP the writer's own message follows its replies.
	if got, want := a.raw("SET", "item:9", "x"), "+OK\r\n"+invalidation("item:9"); got != want {
		t.Fatalf("own BCAST write: %q, want %q", got, want)
	}
	if got := infoField(w, "stats", "tracking_total_prefixes"); got != "2" {
		t.Fatalf("tracking_total_prefixes %s", got)
	}
	a.c.Release()
	n.raw("RESET")
	if got := infoField(w, "stats", "tracking_total_prefixes"); got != "0" {
		t.Fatalf("tracking_total_prefixes %s after the clients left", got)
	}
	if got := infoField(w, "clients", "tracking_clients"); got != "0" {
		t.Fatalf("tracking_clients %s", got)
	}
}

// TestTrackingBcastExpiry: keys that expire reach BCAST clients through the timer.
func TestTrackingBcastExpiry(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, w := newConnSession(t, srv), newConnSession(t, srv)
	a.do("HELLO", "3")
	a.raw("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "e")
	w.raw("SET", "e1", "x", "PX", "1")
	a.delivered()
	time.Sleep(5 * time.Millisecond)
	w.raw("GET", "e1") // expires it
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if got := a.delivered(); got != "" {
			if want := invalidation("e1"); got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no invalidation for an expired key")
		}
	}
}

func TestTrackingOptinOptout(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, w := newConnSession(t, srv), newConnSession(t, srv)
	a.do("HELLO", "3")
	a.raw("CLIENT", "TRACKING", "on", "OPTIN")
	a.raw("GET", "k1")
	a.raw("CLIENT", "CACHING", "yes")
	a.raw("GET", "k2")
	a.raw("GET", "k3")
	w.raw("MSET", "k1", "1", "k2", "2", "k3", "3")
	if got, want := a.delivered(), invalidation("k2"); got != want {
		t.Fatalf("OPTIN: %q, want %q", got, want)
	}
	a.raw("CLIENT", "TRACKING", "off")
	a.raw("CLIENT", "TRACKING", "on", "OPTOUT")
	a.raw("GET", "k1")
	a.raw("CLIENT", "CACHING", "no")
	a.raw("GET", "k2")
	a.raw("GET", "k3")
	w.raw("MSET", "k1", "1", "k2", "2", "k3", "3")
	if got, want := a.delivered(), invalidation("k1")+invalidation("k3"); got != want {
		t.Fatalf("OPTOUT: %q, want %q", got, want)
	}
}

func TestTrackingMaxKeys(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, w := newConnSession(t, srv), newConnSession(t, srv)
	a.do("HELLO", "3")
	a.raw("CLIENT", "TRACKING", "on")
	w.raw("CONFIG", "SET", "tracking-table-max-keys", "2")
	got := a.raw("MGET", "k1", "k2", "k3", "k4", "k5")
	reply := "*5\r\n_\r\n_\r\n_\r\n_\r\n_\r\n"
	if !strings.HasPrefix(got, reply) || strings.Count(got, ">2\r\n$10\r\ninvalidate") != 3 {
		t.Fatalf("MGET over the limit: %q", got)
	}
	if got := infoField(w, "stats", "tracking_total_keys"); got != "2" {
		t.Fatalf("tracking_total_keys %s, want 2", got)
	}
	// Lowering the limit evicts at once.
	w.raw("CONFIG", "SET", "tracking-table-max-keys", "1")
	if got := a.delivered(); strings.Count(got, ">2\r\n$10\r\ninvalidate") != 1 {
		t.Fatalf("lowering the limit sent %q", got)
	}
	if got := infoField(w, "stats", "tracking_total_items"); got != "1" {
		t.Fatalf("tracking_total_items %s, want 1", got)
	}
}

// TestTrackingOwnExpiry: a key the tracking client's own read expires is invalidated after
// that read's reply.
func TestTrackingOwnExpiry(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a := newConnSession(t, srv)
	a.do("HELLO", "3")
	a.raw("CLIENT", "TRACKING", "on")
	a.raw("SET", "k", "v", "PX", "100") // time enough for the GET that tracks it, however loaded the machine
	a.raw("GET", "k")
	time.Sleep(120 * time.Millisecond)
	got := a.raw("GET", "k")
	if got != "_\r\n"+invalidation("k") && got+a.delivered() != "_\r\n"+invalidation("k") {
		t.Fatalf("GET of an expired tracked key: %q", got)
	}
}

// TestTrackingPrefixOverlapQuirk: Redis 7.0 answers an error and then OK when the second or
// a later new prefix overlaps another new one, and tracks them all.
func TestTrackingPrefixOverlapQuirk(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a := newConnSession(t, srv)
	got := a.raw("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "b", "PREFIX", "bc")
	want := "-ERR Prefix 'b' overlaps with another provided prefix 'bc'. Prefixes for a single client must not overlap.\r\n+OK\r\n"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := a.str("CLIENT", "TRACKINGINFO"); !strings.Contains(got, `3) "bc"`) {
		t.Fatalf("TRACKINGINFO:\n%s", got)
	}
	got = a.raw("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "x", "PREFIX", "xy")
	want = "-ERR Prefix 'x' overlaps with another provided prefix 'xy'. Prefixes for a single client must not overlap.\r\n"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestTrackingReplyOff: under CLIENT REPLY OFF invalidations still arrive, as Redis's pushes do.
func TestTrackingReplyOff(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a := newConnSession(t, srv)
	a.do("HELLO", "3")
	a.raw("CLIENT", "TRACKING", "on")
	a.raw("GET", "k")
	a.raw("CLIENT", "REPLY", "OFF")
	if got := a.raw("SET", "k", "1") + a.delivered(); got != invalidation("k") {
		t.Fatalf("got %q", got)
	}
}

// TestTrackingConcurrent runs readers that track, writers, expiry, BCAST clients and clients
// that come and go at once, for the race detector.
func TestTrackingConcurrent(t *testing.T) {
	srv := newConnServer(t, "tracking-table-max-keys 50", Options{})
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(3)
		go func() {
			defer wg.Done()
			for j := range 30 {
				s := newConnSession(t, srv)
				s.raw("HELLO", "3")
				if j%2 == 0 {
					s.raw("CLIENT", "TRACKING", "on", "NOLOOP")
				} else {
					s.raw("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", fmt.Sprint("k", j%3))
				}
				for k := range 20 {
					s.raw("GET", fmt.Sprint("k", (i+j+k)%40))
					s.delivered()
				}
				s.c.Release()
			}
		}()
		go func() {
			defer wg.Done()
			s := newConnSession(t, srv)
			defer s.c.Release()
			for j := range 600 {
				s.raw("SET", fmt.Sprint("k", j%40), "v", "PX", "2")
				if j%100 == 0 {
					s.raw("FLUSHDB")
				}
			}
		}()
		go func() {
			defer wg.Done()
			s := newConnSession(t, srv)
			defer s.c.Release()
			s.raw("CLIENT", "TRACKING", "on")
			for j := range 300 {
				s.raw("MGET", fmt.Sprint("k", j%40), fmt.Sprint("k", (j+7)%40))
				s.raw("CLIENT", "LIST")
				s.delivered()
			}
		}()
	}
	wg.Wait()
	s := newConnSession(t, srv)
	if got := infoField(s, "clients", "tracking_clients"); got != "0" {
		t.Fatalf("tracking_clients %s", got)
	}
	if keys, items, prefixes := srv.trackingCounts(); keys+items+prefixes != 0 {
		t.Fatalf("left in the table: %d keys, %d items, %d prefixes", keys, items, prefixes)
	}
}
