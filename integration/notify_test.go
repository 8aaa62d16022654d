package integration

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// notifyConfig enables every keyspace notification class that has a source, "new" and
// "keymiss" included, on both channels.
const notifyConfig = "KEAnm"

// notifySide is one server's writer and its subscriber to every keyspace notification.
type notifySide struct {
	w, sub *rawConn
}

// newNotifySide empties the databases the stream uses, enables notifications and
// subscribes a RESP3 connection to __key*__:*.
func newNotifySide(t *testing.T, addr, config string) notifySide {
	t.Helper()
	s := notifySide{w: dialRaw(t, addr), sub: dialRaw(t, addr)}
	for db := range diffDBs {
		s.w.do("SELECT", strconv.Itoa(db))
		s.w.do("FLUSHDB")
	}
	s.w.do("SELECT", "0")
	mustOK(t, s.w, "CONFIG", "SET", "notify-keyspace-events", config)
	s.sub.do("HELLO", "3")
	s.sub.send(encodeCommand("PSUBSCRIBE", "__key*__:*"))
	if _, raw := s.sub.reply(); !strings.Contains(string(raw), "psubscribe") {
		t.Fatalf("%s: PSUBSCRIBE got %q", addr, raw)
	}
	return s
}

// TestNotifyDifferential sends one seeded random command stream (the differential test's,
// with an occasional command that reaches other databases) to kvrpcd and to redis-server,
// both with notify-keyspace-events KEAnm, and compares the notifications a subscriber to
// __key*__:* receives after each command. KVRPCD_DIFF_SEED and KVRPCD_DIFF_N choose the
// stream (a quarter of N commands per loop model).
func TestNotifyDifferential(t *testing.T) {
	seed, n := diffConfig(t)
	ref := startRedis(t)
	forEachLoop(t, func(t *testing.T, addr string) {
		runNotifyDifferential(t, addr, ref.addr, seed, n/4)
	})
}

func runNotifyDifferential(t *testing.T, kvAddr, refAddr string, seed uint64, n int) {
	sides := [2]notifySide{newNotifySide(t, kvAddr, notifyConfig), newNotifySide(t, refAddr, notifyConfig)}
	defer func() { // leave redis-server as the next loop model expects it
		sides[1].w.do("CONFIG", "SET", "notify-keyspace-events", "")
	}()
	g := newCommandGen(seed, 2)
	t.Logf("seed %d, %d commands", seed, n)
	var reports []string
	mismatches, events := 0, 0
	for i := range n {
		var cmd diffCmd
		for cmd = g.next(); cmd.diverges(); cmd = g.next() {
		}
		if g.chance(0.03) {
			cmd = exact("keyspace", keyspaceCmd(g)...)
		}
		var step [2][]string
		for j, s := range sides {
			s.w.send(encodeCommand(cmd.args...))
			if _, _, err := s.w.readReply(ioTimeout); err != nil {
				t.Fatalf("%s: %s: %v", s.w.addr, quoteCommand(cmd.args), err)
			}
			step[j] = pendingPushes(t, s.sub)
		}
		events += len(step[1])
		if !slices.Equal(step[0], step[1]) {
			mismatches++
			if len(reports) < maxMismatches {
				reports = append(reports, fmt.Sprintf("#%d %s\n  kvrpcd:       %q\n  redis-server: %q",
					i, quoteCommand(cmd.args), step[0], step[1]))
			}
			for _, s := range sides { // start again from the same empty state
				s.w.do("FLUSHALL")
				pendingPushes(t, s.sub)
			}
		}
	}
	t.Logf("%d commands, %d notifications from redis-server, %d mismatches", n, events, mismatches)
	if mismatches > 0 {
		t.Errorf("%d steps with different notifications (replay with KVRPCD_DIFF_SEED=%d); the first %d:\n%s",
			mismatches, seed, len(reports), strings.Join(reports, "\n"))
	}
}

// TestNotifyOwnCommands compares, byte for byte, what a RESP3 client subscribed to its own
// database's events receives for the commands whose notifications come inside their
// reply (the keymisses of MGET and of SORT's GET, the pops of ZPOPMIN) or around the
// replies of a transaction, as Redis 7.0 interleaves them.
func TestNotifyOwnCommands(t *testing.T) {
	ref := startRedis(t)
	// Each step is sent in one write, followed by a PING whose reply ends it.
	script := [][][]string{
		{{"MSET", "a", "1", "b", "2"}},
		{{"MGET", "a", "nokey", "b", "other"}},
		{{"RPUSH", "l", "3", "1", "2"}},
		{{"SORT", "l", "GET", "#", "GET", "v_*"}},
		{{"ZADD", "z", "1", "x", "2", "y", "3", "w"}},
		{{"ZPOPMIN", "z", "2"}},
		{{"ZMPOP", "1", "z", "MAX"}},
		{{"MULTI"}, {"SET", "k", "v"}, {"INCR", "n"}, {"GET", "nokey"}, {"DEL", "k", "n"}, {"EXEC"}},
		{{"LPOP", "l", "5"}},
	}
	forEachLoop(t, func(t *testing.T, addr string) {
		var got [2][]string
		for j, a := range []string{addr, ref.addr} {
			c := dialRaw(t, a)
			c.do("FLUSHALL")
			mustOK(t, c, "CONFIG", "SET", "notify-keyspace-events", "KEAm")
			c.do("HELLO", "3")
			c.do("PSUBSCRIBE", "__keyevent@0__:*")
			for _, step := range script {
				var req []byte
				for _, cmd := range step {
					req = append(req, encodeCommand(cmd...)...)
				}
				cmd := step[0]
				c.send(append(req, encodeCommand("PING")...))
				var out []byte
				for {
					_, raw, err := c.readReply(ioTimeout)
					if err != nil {
						t.Fatalf("%s: %s: %v", a, quoteCommand(cmd), err)
					}
					if string(raw) == "+PONG\r\n" {
						break
					}
					out = append(out, raw...)
				}
				got[j] = append(got[j], quoteCommand(cmd)+" -> "+string(out))
			}
			c.do("PUNSUBSCRIBE")
			mustOK(t, c, "CONFIG", "SET", "notify-keyspace-events", "")
		}
		for i := range got[1] {
			if got[0][i] != got[1][i] {
				t.Errorf("kvrpcd:       %q\nredis-server: %q", got[0][i], got[1][i])
			}
		}
	})
}

// TestNotifyBlocking checks the events of blocking commands served by another client's
// push: the pusher's events, then the served client's pop and the deletion of the emptied
// key, as redis-server reports them.
func TestNotifyBlocking(t *testing.T) {
	ref := startRedis(t)
	cases := []struct {
		block, wake []string
	}{
		{[]string{"BLPOP", "bl", "0"}, []string{"RPUSH", "bl", "x"}},
		{[]string{"BLMOVE", "bl", "bdst", "LEFT", "RIGHT", "0"}, []string{"LPUSH", "bl", "x", "y"}},
		{[]string{"BZPOPMIN", "bz", "0"}, []string{"ZADD", "bz", "1", "m"}},
		{[]string{"BLMPOP", "0", "1", "bl2", "RIGHT", "COUNT", "3"}, []string{"RPUSH", "bl2", "a", "b"}},
	}
	forEachLoop(t, func(t *testing.T, addr string) {
		var got [2][]string
		for j, a := range []string{addr, ref.addr} {
			s := newNotifySide(t, a, notifyConfig)
			blocked := dialRaw(t, a)
			for _, tc := range cases {
				blocked.send(encodeCommand(tc.block...))
				waitBlockedRaw(t, s.w, 1)
				s.w.do(tc.wake...)
				_, raw := blocked.reply()
				pushes := pendingPushes(t, s.sub)
				got[j] = append(got[j], fmt.Sprintf("%s: %q %q", quoteCommand(tc.block), raw, pushes))
			}
			mustOK(t, s.w, "CONFIG", "SET", "notify-keyspace-events", "")
		}
		for i := range got[1] {
			if got[0][i] != got[1][i] {
				t.Errorf("kvrpcd:       %s\nredis-server: %s", got[0][i], got[1][i])
			}
		}
	})
}

// waitBlockedRaw waits, bounded, until INFO clients shows n blocked clients.
func waitBlockedRaw(t *testing.T, c *rawConn, n int) {
	t.Helper()
	want := fmt.Sprintf("blocked_clients:%d\r\n", n)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if _, raw := c.doRaw("INFO", "clients"); strings.Contains(string(raw), want) {
			return
		}
	}
	t.Fatalf("%s: INFO clients never showed %q", c.addr, strings.TrimSpace(want))
}
