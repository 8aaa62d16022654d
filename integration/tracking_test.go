package integration

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kvrpcd/kvrpcd/resp"
)

// Client-side caching (CLIENT TRACKING) over the network, on every loop model, and a
// differential test of the invalidations against redis-server.

// invalidationPush encodes the RESP3 push of an invalidation of keys.
func invalidationPush(keys ...string) string {
	s := ">2\r\n$10\r\ninvalidate\r\n*" + strconv.Itoa(len(keys)) + "\r\n"
	for _, k := range keys {
		s += "$" + strconv.Itoa(len(k)) + "\r\n" + k + "\r\n"
	}
	return s
}

// replyAndPushes reads the pushes that come before the next reply, and that reply.
func replyAndPushes(r *rawConn) (pushes []string, reply []byte, err error) {
	for {
		v, raw, err := r.readReply(ioTimeout)
		if err != nil {
			return pushes, nil, err
		}
		if v.Kind != resp.KindPush {
			return pushes, raw, nil
		}
		pushes = append(pushes, string(raw))
	}
}

// pendingPushes returns the pushes a connection has received so far: they come before the
// reply to a PING sent now, since the servers queue them as the keys change.
func pendingPushes(t *testing.T, r *rawConn) []string {
	t.Helper()
	r.send(encodeCommand("PING"))
	pushes, reply, err := replyAndPushes(r)
	if err != nil {
		t.Fatalf("%s: %v", r.addr, err)
	}
	if string(reply) != "+PONG\r\n" {
		t.Fatalf("%s: PING got %q", r.addr, reply)
	}
	return pushes
}

func mustOK(t *testing.T, r *rawConn, args ...string) {
	t.Helper()
	if _, raw := r.doRaw(args...); string(raw) != "+OK\r\n" {
		t.Fatalf("%s: %q", strings.Join(args, " "), raw)
	}
}

func TestTracking(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		w := dialRaw(t, addr)
		redcon := usesRedconParser(t)
		t.Run("resp3", func(t *testing.T) {
			r := dialRaw(t, addr)
			r.do("HELLO", "3")
			mustOK(t, r, "CLIENT", "TRACKING", "on")
			r.do("MGET", "k1", "k2")
			mustOK(t, w, "MSET", "k1", "a", "k2", "b", "k3", "c")
			if got, want := strings.Join(pendingPushes(t, r), ""), invalidationPush("k1")+invalidationPush("k2"); got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
			// The client's own write: the invalidation follows the reply.
			r.do("GET", "k1")
			r.send(encodeCommand("SET", "k1", "x"))
			if _, raw := r.reply(); string(raw) != "+OK\r\n" {
				t.Fatalf("SET: %q", raw)
			}
			if got := pendingPushes(t, r); len(got) != 1 || got[0] != invalidationPush("k1") {
				t.Fatalf("own write: %q", got)
			}
			mustOK(t, w, "FLUSHALL")
			if got := pendingPushes(t, r); len(got) != 1 || got[0] != ">2\r\n$10\r\ninvalidate\r\n_\r\n" {
				t.Fatalf("FLUSHALL: %q", got)
			}
		})
		t.Run("resp2-redirect", func(t *testing.T) {
			sub := dialRaw(t, addr)
			id := strconv.FormatInt(sub.do("CLIENT", "ID").Int, 10)
			sub.do("SUBSCRIBE", "__redis__:invalidate")
			r := dialRaw(t, addr)
			mustOK(t, r, "CLIENT", "TRACKING", "on", "REDIRECT", id)
			if got := r.do("CLIENT", "GETREDIR").Int; strconv.FormatInt(got, 10) != id {
				t.Fatalf("GETREDIR %d, want %s", got, id)
			}
			r.do("GET", "rk")
			mustOK(t, w, "SET", "rk", "1")
			_, raw, err := sub.readReply(ioTimeout)
			if want := "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$2\r\nrk\r\n"; err != nil || string(raw) != want {
				t.Fatalf("redirect target got %q (%v), want %q", raw, err, want)
			}
		})
		t.Run("bcast", func(t *testing.T) {
			r := dialRaw(t, addr)
			r.do("HELLO", "3")
			mustOK(t, r, "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "PREFIX", "item:")
			// A pipeline in one write: one message per prefix, keys sorted, as Redis sends for
			// one event-loop turn. The redcon model hands kvrpcd one command at a time.
			w.send(append(encodeCommand("SET", "user:2", "x"), encodeCommand("MSET", "item:1", "a", "user:1", "b", "other", "c")...))
			for range 2 {
				if _, raw := w.reply(); string(raw) != "+OK\r\n" {
					t.Fatalf("pipeline: %q", raw)
				}
			}
			got := strings.Join(pendingPushes(t, r), "")
			want := invalidationPush("item:1") + invalidationPush("user:1", "user:2")
			if redcon {
				want = invalidationPush("user:2") + invalidationPush("item:1") + invalidationPush("user:1")
			}
			if got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
		})
		t.Run("optin-optout", func(t *testing.T) {
			r := dialRaw(t, addr)
			r.do("HELLO", "3")
			mustOK(t, r, "CLIENT", "TRACKING", "on", "OPTIN")
			r.do("GET", "o1")
			mustOK(t, r, "CLIENT", "CACHING", "yes")
			r.do("GET", "o2")
			r.do("GET", "o3")
			mustOK(t, w, "MSET", "o1", "1", "o2", "2", "o3", "3")
			if got := strings.Join(pendingPushes(t, r), ""); got != invalidationPush("o2") {
				t.Fatalf("OPTIN: %q", got)
			}
			mustOK(t, r, "CLIENT", "TRACKING", "off")
			mustOK(t, r, "CLIENT", "TRACKING", "on", "OPTOUT")
			r.do("GET", "o1")
			mustOK(t, r, "CLIENT", "CACHING", "no")
			r.do("GET", "o2")
			mustOK(t, w, "MSET", "o1", "1", "o2", "2")
			if got := strings.Join(pendingPushes(t, r), ""); got != invalidationPush("o1") {
				t.Fatalf("OPTOUT: %q", got)
			}
		})
	})
}

// TestTrackingDifferential sends one seeded random command stream (the differential test's)
// from a writer connection to kvrpcd and to redis-server, while a RESP3 connection that
// tracks keys reads some of them between the writes; the invalidations that connection
// receives after each command must be the same on both servers. KVRPCD_DIFF_SEED and
// KVRPCD_DIFF_N choose the stream (a quarter of N commands per loop model).
func TestTrackingDifferential(t *testing.T) {
	seed, n := diffConfig(t)
	ref := startRedis(t)
	forEachLoop(t, func(t *testing.T, addr string) {
		runTrackingDifferential(t, addr, ref.addr, seed, n/4)
	})
}

// trackingSide is one server's writer and tracking reader.
type trackingSide struct {
	w, r *rawConn
}

func runTrackingDifferential(t *testing.T, kvAddr, refAddr string, seed uint64, n int) {
	sides := [2]trackingSide{
		{w: dialRaw(t, kvAddr), r: dialRaw(t, kvAddr)},
		{w: dialRaw(t, refAddr), r: dialRaw(t, refAddr)},
	}
	for _, s := range sides {
		for db := range diffDBs {
			s.w.do("SELECT", strconv.Itoa(db))
			s.w.do("FLUSHDB")
		}
		s.w.do("SELECT", "0")
		s.r.do("HELLO", "3")
		mustOK(t, s.r, "CLIENT", "TRACKING", "on")
		pendingPushes(t, s.r)
	}
	g := newCommandGen(seed, 2)
	t.Logf("seed %d, %d commands", seed, n)
	var reports []string
	mismatches, pushes := 0, 0
	for i := range n {
		var step [2][]string
		var cmd diffCmd
		for cmd = g.next(); cmd.diverges(); cmd = g.next() {
		}
		if g.chance(0.03) {
			cmd = exact("keyspace", keyspaceCmd(g)...)
		}
		read := g.keysN(1, 4)
		readCmd := append([]string{"MGET"}, read...)
		if g.chance(0.3) {
			readCmd = append([]string{"EXISTS"}, read...)
		}
		doRead := g.chance(0.6)
		for j, s := range sides {
			s.w.send(encodeCommand(cmd.args...))
			if _, _, err := s.w.readReply(ioTimeout); err != nil {
				t.Fatalf("%s: %s: %v", s.w.addr, quoteCommand(cmd.args), err)
			}
			step[j] = pendingPushes(t, s.r)
			if doRead {
				s.r.send(encodeCommand(readCmd...))
				p, _, err := replyAndPushes(s.r)
				if err != nil {
					t.Fatalf("%s: %s: %v", s.r.addr, quoteCommand(readCmd), err)
				}
				step[j] = append(step[j], p...)
			}
		}
		pushes += len(step[1])
		if !slices.Equal(step[0], step[1]) {
			mismatches++
			if len(reports) < maxMismatches {
				reports = append(reports, fmt.Sprintf("#%d %s\n  kvrpcd:       %q\n  redis-server: %q",
					i, quoteCommand(cmd.args), step[0], step[1]))
			}
			for _, s := range sides { // start again from the same empty state
				s.w.do("FLUSHALL")
				pendingPushes(t, s.r)
			}
		}
	}
	t.Logf("%d commands, %d invalidations from redis-server, %d mismatches", n, pushes, mismatches)
	if mismatches > 0 {
		t.Errorf("%d steps with different invalidations (replay with KVRPCD_DIFF_SEED=%d); the first %d:\n%s",
			mismatches, seed, len(reports), strings.Join(reports, "\n"))
	}
}

// keyspaceCmd returns a command that reaches keys beyond the ones it names, or keys of
// another database: the stream of the differential test has none of them.
func keyspaceCmd(g *commandGen) []string {
	switch g.intn(8) {
	case 0:
		return []string{"FLUSHDB"}
	case 1:
		return []string{"FLUSHALL"}
	case 2:
		return []string{"SWAPDB", "0", "1"}
	case 3:
		return []string{"MOVE", g.key(), g.pick([]string{"0", "1"})}
	case 4:
		return []string{"COPY", g.key(), g.key(), "DB", g.pick([]string{"0", "1"}), "REPLACE"}
	case 5:
		return []string{"SELECT", g.pick([]string{"0", "1"})}
	case 6:
		return []string{"RENAME", g.key(), g.key()}
	}
	return []string{"GETDEL", g.key()}
}
