package integration

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPubSubSlowSubscriberMemory floods subscribers that never read (channel,
// pattern and RESP3 subscribers, with small socket buffers so the backlog
// stays in the server) and samples the server's memory while it does: the Go
// heap that INFO memory reports as used_memory, and the process's resident
// set. Both must stay within what the pubsub output limit allows per
// subscriber, however much is published; the flood stops early, and the test
// fails, as soon as they do not, so an unbounded server cannot take the
// machine's memory.
func TestPubSubSlowSubscriberMemory(t *testing.T) {
	const (
		limit     = 4 << 20 // the pubsub hard limit, bytes
		subs      = 6
		msgSize   = 16 << 10
		batch     = 64        // PUBLISH commands per write
		published = 128 << 20 // bytes published at most, before the fan-out
		floodTime = 30 * time.Second
		heapSlack = 64 << 20 // on top of the subscribers' limits: garbage not yet collected
	)
	heapBound := int64(subs*limit*3 + heapSlack)
	rssBound := 2*heapBound + 128<<20 // the race detector's shadow memory grows with the heap
	for _, model := range loopModels {
		t.Run(model, func(t *testing.T) {
			srv := startKvrpcd(t, "--loop", model, "--client-output-buffer-limit", fmt.Sprintf("pubsub %d %d 60", limit, limit/2))
			probe := dialRaw(t, srv.addr)
			baseHeap := usedMemory(t, probe)
			baseRSS, haveRSS := residentSet(srv)

			pub := dialRaw(t, srv.addr)
			var cmds []byte
			payload := strings.Repeat("x", msgSize)
			for range batch {
				cmds = append(cmds, encodeCommand("PUBLISH", "c", payload)...)
			}
			deadline := time.Now().Add(floodTime)
			var peakHeap, peakRSS int64
			sent, rounds := 0, 0
			// Rounds of new subscribers keep the flood going past the first
			// disconnections, so what the cut-off clients held must be freed.
			for sent < published && time.Now().Before(deadline) {
				rounds++
				for i := range subs {
					c := dialRaw(t, srv.addr)
					c.c.(*net.TCPConn).SetReadBuffer(4 << 10)
					switch i % 3 {
					case 0:
						c.do("SUBSCRIBE", "c")
					case 1:
						c.do("PSUBSCRIBE", "c*")
					default:
						c.do("HELLO", "3")
						c.do("SUBSCRIBE", "c")
					}
				}
				for receivers := int64(subs); receivers > 0; {
					if time.Now().After(deadline) {
						t.Fatalf("round %d: %d subscribers that do not read are still subscribed after %v", rounds, receivers, floodTime)
					}
					pub.send(cmds)
					for range batch {
						v, _ := pub.reply()
						receivers = v.Int
					}
					sent += batch * msgSize
					peakHeap = max(peakHeap, usedMemory(t, probe)-baseHeap)
					if rss, ok := residentSet(srv); ok {
						peakRSS = max(peakRSS, rss-baseRSS)
					}
					if peakHeap > heapBound || peakRSS > rssBound {
						t.Fatalf("after %d MiB published to %d rounds of %d subscribers that do not read, the server grew by %d MiB of heap and %d MiB resident; the bounds are %d and %d MiB",
							sent>>20, rounds, subs, peakHeap>>20, peakRSS>>20, heapBound>>20, rssBound>>20)
					}
				}
			}
			t.Logf("%d MiB published to %d rounds of %d subscribers, each round cut off; peak growth: heap %d MiB, resident %d MiB (resident measured: %v)",
				sent>>20, rounds, subs, peakHeap>>20, peakRSS>>20, haveRSS)
			// The server still serves, and keeps serving subscribers that read.
			reader := dialRaw(t, srv.addr)
			reader.do("SUBSCRIBE", "c")
			if v := pub.do("PUBLISH", "c", "after"); v.Int != 1 {
				t.Fatalf("PUBLISH after the flood reached %d subscribers, want 1", v.Int)
			}
			if v, _ := reader.reply(); len(v.Elems) != 3 || string(v.Elems[2].Str) != "after" {
				t.Fatalf("the reading subscriber got %v", v)
			}
		})
	}
}

// usedMemory returns used_memory from INFO memory.
func usedMemory(t testing.TB, c *rawConn) int64 {
	t.Helper()
	v := c.do("INFO", "memory")
	for line := range strings.SplitSeq(string(v.Str), "\r\n") {
		if s, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				t.Fatalf("used_memory %q: %v", s, err)
			}
			return n
		}
	}
	t.Fatalf("INFO memory has no used_memory:\n%s", v.Str)
	return 0
}

// residentSet returns the server process's resident set in bytes, where
// /proc tells it.
func residentSet(s *server) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

// TestClientListOmem checks that CLIENT LIST's omem shows the output waiting for a
// subscriber that does not read, as operators watch it in Redis, on every loop model.
func TestClientListOmem(t *testing.T) {
	const msgSize, msgs = 16 << 10, 1024 // 16 MiB: more than the sockets hold
	forEachLoop(t, func(t *testing.T, addr string) {
		sub := dialRaw(t, addr)
		sub.c.(*net.TCPConn).SetReadBuffer(4 << 10)
		sub.do("CLIENT", "SETNAME", "slow")
		sub.do("SUBSCRIBE", "c")
		pub := dialRaw(t, addr)
		payload := strings.Repeat("x", msgSize)
		var cmds []byte
		for range 64 {
			cmds = append(cmds, encodeCommand("PUBLISH", "c", payload)...)
		}
		for range msgs / 64 {
			pub.send(cmds)
			for range 64 {
				pub.reply()
			}
		}
		list := string(pub.do("CLIENT", "LIST").Str)
		for line := range strings.SplitSeq(list, "\n") {
			if !strings.Contains(line, " name=slow ") {
				continue
			}
			_, rest, _ := strings.Cut(line, " omem=")
			n, err := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			if err != nil {
				t.Fatalf("omem in %q: %v", line, err)
			}
			if n < 1<<20 {
				t.Fatalf("omem of a subscriber %d MiB behind = %d, want at least 1 MiB:\n%s", msgs*msgSize>>20, n, line)
			}
			return
		}
		t.Fatalf("no client named slow in CLIENT LIST:\n%s", list)
	})
}
