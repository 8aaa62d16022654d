package integration

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestPubSubGoRedis drives pub/sub through go-redis's PubSub, in RESP3 and RESP2: channel and
// pattern subscriptions, messages in publishing order, and unsubscribing.
func TestPubSubGoRedis(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		for _, protocol := range protocols {
			t.Run(fmt.Sprintf("resp%d", protocol), func(t *testing.T) {
				ctx := testCtx(t)
				pub := newGoRedis(t, addr, protocol, 0)
				sub := newGoRedis(t, addr, protocol, 0)
				ps := sub.Subscribe(ctx, "news")
				defer ps.Close()
				if err := ps.PSubscribe(ctx, "pat.*"); err != nil {
					t.Fatal(err)
				}
				for range 2 { // the two confirmations
					if _, err := ps.Receive(ctx); err != nil {
						t.Fatal(err)
					}
				}
				ch := ps.Channel(redis.WithChannelSize(1000))
				const n = 200
				for i := range n {
					channel := "news"
					if i%2 == 1 {
						channel = "pat.x"
					}
					if got, err := pub.Publish(ctx, channel, fmt.Sprint("m", i)).Result(); err != nil || got != 1 {
						t.Fatalf("PUBLISH %s = %d, %v; want 1", channel, got, err)
					}
				}
				timeout := time.After(ioTimeout)
				for i := range n {
					select {
					case m := <-ch:
						wantChannel, wantPattern := "news", ""
						if i%2 == 1 {
							wantChannel, wantPattern = "pat.x", "pat.*"
						}
						if m.Channel != wantChannel || m.Pattern != wantPattern || m.Payload != fmt.Sprint("m", i) {
							t.Fatalf("message %d = %+v, want %s %q on %s", i, m, wantPattern, fmt.Sprint("m", i), wantChannel)
						}
					case <-timeout:
						t.Fatalf("only %d of %d messages arrived", i, n)
					}
				}
				if err := ps.Unsubscribe(ctx, "news"); err != nil {
					t.Fatal(err)
				}
				if err := ps.PUnsubscribe(ctx, "pat.*"); err != nil {
					t.Fatal(err)
				}
				for deadline := time.Now().Add(ioTimeout); ; time.Sleep(5 * time.Millisecond) {
					subs, err := pub.PubSubNumSub(ctx, "news").Result()
					if err != nil {
						t.Fatal(err)
					}
					pats, err := pub.PubSubNumPat(ctx).Result()
					if err != nil {
						t.Fatal(err)
					}
					if subs["news"] == 0 && pats == 0 {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("after unsubscribing: NUMSUB news = %d, NUMPAT = %d", subs["news"], pats)
					}
				}
				if got, err := pub.Publish(ctx, "news", "late").Result(); err != nil || got != 0 {
					t.Fatalf("PUBLISH after unsubscribing = %d, %v; want 0", got, err)
				}
			})
		}
	})
}

// pubsubStep is one command of a raw pub/sub exchange: the connection that sends it and how
// many replies or messages each connection then receives.
type pubsubStep struct {
	who     int
	args    string
	replies [2]int
}

// TestPubSubMatchesRedis runs a RESP2 exchange between a subscriber and a publisher on raw
// connections against kvrpcd and redis-server, and compares every byte each one receives.
func TestPubSubMatchesRedis(t *testing.T) {
	ref := startRedis(t)
	steps := []pubsubStep{
		{0, "UNSUBSCRIBE", [2]int{1, 0}},
		{0, "SUBSCRIBE news sport news", [2]int{3, 0}},
		{0, "PSUBSCRIBE n*s", [2]int{1, 0}},
		{0, "SSUBSCRIBE shard", [2]int{1, 0}},
		{1, "PUBLISH news hello", [2]int{2, 1}},
		{1, "PUBLISH sport goal", [2]int{1, 1}},
		{1, "PUBLISH nothing x", [2]int{0, 1}},
		{1, "SPUBLISH shard s", [2]int{1, 1}},
		{1, "PUBSUB NUMSUB news sport x", [2]int{0, 1}},
		{1, "PUBSUB NUMPAT", [2]int{0, 1}},
		{1, "PUBSUB SHARDCHANNELS", [2]int{0, 1}},
		{0, "GET k", [2]int{1, 0}},
		{0, "PING", [2]int{1, 0}},
		{0, "PING hi", [2]int{1, 0}},
		{0, "PUBSUB CHANNELS", [2]int{1, 0}},
		{0, "UNSUBSCRIBE sport none", [2]int{2, 0}},
		{0, "PUNSUBSCRIBE", [2]int{1, 0}},
		{0, "UNSUBSCRIBE", [2]int{1, 0}},
		{0, "GET k", [2]int{1, 0}},
		{0, "SUNSUBSCRIBE", [2]int{1, 0}},
		{0, "GET k", [2]int{1, 0}},
		{0, "PING", [2]int{1, 0}},
		{0, "SUBSCRIBE again", [2]int{1, 0}},
		{0, "RESET", [2]int{1, 0}},
		{1, "PUBLISH again x", [2]int{0, 1}},
	}
	forEachLoop(t, func(t *testing.T, addr string) {
		kv := []*rawConn{dialRaw(t, addr), dialRaw(t, addr)}
		rd := []*rawConn{dialRaw(t, ref.addr), dialRaw(t, ref.addr)}
		for _, st := range steps {
			cmd := encodeCommand(strings.Fields(st.args)...)
			kv[st.who].send(cmd)
			rd[st.who].send(cmd)
			for i := range kv {
				var got, want []byte
				for range st.replies[i] {
					_, g := kv[i].reply()
					_, w := rd[i].reply()
					got, want = append(got, g...), append(want, w...)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%q, connection %d received:\n kvrpcd       %q\n redis-server %q", st.args, i, got, want)
				}
			}
		}
		for i := range kv {
			if extra, _ := kv[i].readAll(20 * time.Millisecond); len(extra) > 0 {
				t.Errorf("connection %d received more than redis-server sends: %q", i, extra)
			}
		}
	})
}

// TestPubSubSlowSubscriber publishes far more than the pubsub output limit to a subscriber that
// never reads: the subscriber is disconnected rather than having its messages queued without
// bound, and the server stays alive and responsive.
func TestPubSubSlowSubscriber(t *testing.T) {
	const (
		msgSize = 1 << 10
		total   = 64 << 20 // bytes published, at most
		batch   = 256      // PUBLISH commands per write
	)
	forEachLoop(t, func(t *testing.T, addr string) {
		sub := dialRaw(t, addr)
		sub.do("SUBSCRIBE", "c")
		pub := dialRaw(t, addr)
		payload := strings.Repeat("x", msgSize)
		var cmds []byte
		for range batch {
			cmds = append(cmds, encodeCommand("PUBLISH", "c", payload)...)
		}
		deadline := time.Now().Add(30 * time.Second)
		disconnected := false
		for sent := 0; sent < total && !disconnected; sent += batch * msgSize {
			if time.Now().After(deadline) {
				t.Fatalf("publishing %d bytes took longer than %v", sent, 30*time.Second)
			}
			pub.send(cmds)
			for range batch {
				if v, _ := pub.reply(); v.Int == 0 {
					disconnected = true // no subscriber left
				}
			}
		}
		if !disconnected {
			t.Fatalf("after %d MiB published the subscriber that does not read is still subscribed", total>>20)
		}
		// What the subscriber got before it was cut off ends with the connection closed.
		sub.c.SetReadDeadline(time.Now().Add(10 * time.Second))
		buf := make([]byte, 1<<20)
		for {
			if _, err := sub.c.Read(buf); err != nil {
				if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
					t.Fatal("the slow subscriber's connection was not closed")
				}
				break
			}
		}
		// The server is alive and serves others.
		other := dialRaw(t, addr)
		if v := other.do("PING"); string(v.Str) != "PONG" {
			t.Fatalf("PING after the disconnection = %q", v.Str)
		}
		if v := pub.do("PUBSUB", "NUMSUB", "c"); len(v.Elems) != 2 || v.Elems[1].Int != 0 {
			t.Fatalf("PUBSUB NUMSUB c = %v, want 0", v)
		}
	}, "--client-output-buffer-limit", "pubsub 1mb 512kb 60")
}
