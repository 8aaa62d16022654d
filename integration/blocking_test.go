package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// waitBlocked waits, bounded, until INFO clients shows n blocked clients.
func waitBlocked(t *testing.T, rdb *redis.Client, n int) {
	t.Helper()
	want := fmt.Sprintf("blocked_clients:%d\r\n", n)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		info, err := rdb.Info(context.Background(), "clients").Result()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(info, want) {
			return
		}
	}
	t.Fatalf("INFO clients never showed %q", strings.TrimSpace(want))
}

func TestBlockingLists(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		newClient := func() *redis.Client {
			rdb := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 1, ReadTimeout: -1})
			t.Cleanup(func() { rdb.Close() })
			return rdb
		}
		admin := newClient()

		t.Run("woken by a push", func(t *testing.T) {
			waiter := newClient()
			got := make(chan []string, 1)
			go func() {
				v, err := waiter.BLPop(ctx, 0, "q1", "q2").Result()
				if err != nil {
					v = []string{"error", err.Error()}
				}
				got <- v
			}()
			waitBlocked(t, admin, 1)
			if err := admin.RPush(ctx, "q2", "hello").Err(); err != nil {
				t.Fatal(err)
			}
			if v := <-got; len(v) != 2 || v[0] != "q2" || v[1] != "hello" {
				t.Fatalf("BLPOP = %q, want [q2 hello]", v)
			}
			waitBlocked(t, admin, 0)
		})

		t.Run("timeout", func(t *testing.T) {
			conn := dialRaw(t, addr)
			start := time.Now()
			if _, raw := conn.doRaw("BRPOP", "empty", "0.15"); string(raw) != "*-1\r\n" {
				t.Fatalf("BRPOP on an empty list = %q, want a null array", raw)
			}
			if d := time.Since(start); d < 140*time.Millisecond || d > 3*time.Second {
				t.Fatalf("BRPOP timed out after %v, want about 150 ms", d)
			}
		})

		t.Run("first blocked, first served", func(t *testing.T) {
			const n = 3
			got := make([]chan string, n)
			for i := range n {
				got[i] = make(chan string, 1)
				w := newClient()
				go func() {
					v, err := w.BLPop(ctx, 0, "fifo").Result()
					if err != nil {
						got[i] <- err.Error()
						return
					}
					got[i] <- v[1]
				}()
				waitBlocked(t, admin, i+1) // block in a known order
			}
			for i := range n {
				if err := admin.RPush(ctx, "fifo", fmt.Sprint("e", i)).Err(); err != nil {
					t.Fatal(err)
				}
			}
			for i := range n {
				if v := <-got[i]; v != fmt.Sprint("e", i) {
					t.Errorf("waiter %d got %q, want e%d", i, v, i)
				}
			}
		})

		t.Run("blmove", func(t *testing.T) {
			waiter := newClient()
			got := make(chan string, 1)
			go func() {
				v, err := waiter.BLMove(ctx, "src", "dst", "RIGHT", "LEFT", 0).Result()
				if err != nil {
					v = err.Error()
				}
				got <- v
			}()
			waitBlocked(t, admin, 1)
			admin.RPush(ctx, "src", "a", "b")
			if v := <-got; v != "b" {
				t.Fatalf("BLMOVE = %q, want b", v)
			}
			if v, _ := admin.LRange(ctx, "dst", 0, -1).Result(); len(v) != 1 || v[0] != "b" {
				t.Fatalf("dst = %q, want [b]", v)
			}
		})

		t.Run("pipeline waits behind the blocked command", func(t *testing.T) {
			conn := dialRaw(t, addr)
			conn.send(append(encodeCommand("BLPOP", "later", "0"), encodeCommand("PING")...))
			if data, closed := conn.readAll(200 * time.Millisecond); len(data) > 0 || closed {
				t.Fatalf("got %q (closed %v) before anything was pushed", data, closed)
			}
			admin.LPush(ctx, "later", "x")
			want := "*2\r\n$5\r\nlater\r\n$1\r\nx\r\n+PONG\r\n"
			if got, err := conn.readN(len(want), 5*time.Second); err != nil || string(got) != want {
				t.Fatalf("got %q (%v), want %q", got, err, want)
			}
		})

		t.Run("bzpopmin woken by zadd", func(t *testing.T) {
			waiter := newClient()
			got := make(chan string, 1)
			go func() {
				v, err := waiter.BZPopMin(ctx, 0, "zq").Result()
				if err != nil {
					got <- err.Error()
					return
				}
				got <- fmt.Sprint(v.Key, " ", v.Member, " ", v.Score)
			}()
			waitBlocked(t, admin, 1)
			admin.ZAdd(ctx, "zq", redis.Z{Score: 2, Member: "two"}, redis.Z{Score: 1, Member: "one"})
			if v := <-got; v != "zq one 1" {
				t.Fatalf("BZPOPMIN = %q, want zq one 1", v)
			}
		})

		t.Run("client unblock", func(t *testing.T) {
			unblock := func(withError bool) []byte {
				conn := dialRaw(t, addr)
				id := conn.do("CLIENT", "ID").Int
				conn.send(encodeCommand("BLPOP", "never", "0"))
				waitBlocked(t, admin, 1)
				cmd := admin.ClientUnblock
				if withError {
					cmd = admin.ClientUnblockWithError
				}
				if n, err := cmd(ctx, id).Result(); err != nil || n != 1 {
					t.Fatalf("CLIENT UNBLOCK %d = %d, %v", id, n, err)
				}
				_, raw := conn.reply()
				waitBlocked(t, admin, 0)
				if n, _ := admin.ClientUnblock(ctx, id).Result(); n != 0 {
					t.Fatalf("CLIENT UNBLOCK of a client not blocked = %d, want 0", n)
				}
				return raw
			}
			if raw := unblock(true); string(raw) != "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n" {
				t.Fatalf("CLIENT UNBLOCK ERROR: the blocked client got %q", raw)
			}
			if raw := unblock(false); string(raw) != "*-1\r\n" {
				t.Fatalf("CLIENT UNBLOCK TIMEOUT: the blocked client got %q, want a null array", raw)
			}
		})

		t.Run("a client that leaves stops waiting", func(t *testing.T) {
			conn := dialRaw(t, addr)
			conn.send(encodeCommand("BLPOP", "gone", "0"))
			waitBlocked(t, admin, 1)
			conn.c.Close()
			waitBlocked(t, admin, 0)
			admin.RPush(ctx, "gone", "kept")
			if n, _ := admin.LLen(ctx, "gone").Result(); n != 1 {
				t.Fatalf("LLEN gone = %d: the element went to a closed connection", n)
			}
		})
	})
}

// TestBlockingRepliesMatchRedis compares timeouts and errors of the blocking commands,
// byte for byte, with redis-server, in RESP2 and RESP3.
func TestBlockingRepliesMatchRedis(t *testing.T) {
	ref := startRedis(t)
	cases := [][]string{
		{"BLPOP", "nokey", "0.01"},
		{"BRPOP", "a", "b", "0.01"},
		{"BLMOVE", "nokey", "dst", "LEFT", "RIGHT", "0.01"},
		{"BRPOPLPUSH", "nokey", "dst", "0.01"},
		{"BLMPOP", "0.01", "2", "a", "b", "LEFT", "COUNT", "2"},
		{"BLPOP", "a", "-1"},
		{"BLPOP", "a", "abc"},
		{"BLPOP", "a", "1e100"},
		{"BLPOP", "a", " 1"},
		{"BLMOVE", "a", "b", "UP", "LEFT", "0"},
		{"BLMPOP", "0", "0", "a", "LEFT"},
		{"BLMPOP", "x", "1", "a", "LEFT"},
		{"SET", "str", "v"},
		{"BLPOP", "nokey", "str", "0"},
		{"RPUSH", "list", "1", "2", "3"},
		{"BLPOP", "str", "list", "0"},
		{"BLPOP", "nokey", "list", "0"},
		{"BLMPOP", "0", "2", "nokey", "list", "RIGHT", "COUNT", "5"},
		{"BLMOVE", "str", "list", "LEFT", "LEFT", "0"},
		{"RPUSH", "list", "z"},
		{"BLMOVE", "list", "str", "LEFT", "LEFT", "0"},
		{"BRPOPLPUSH", "list", "list", "0"},
		{"BZPOPMIN", "nozset", "0.01"},
		{"BZPOPMAX", "a", "b", "0.01"},
		{"BZMPOP", "0.01", "1", "nozset", "MIN"},
		{"BZPOPMIN", "str", "0"},
		{"ZADD", "z", "1", "a", "2", "b", "3", "c"},
		{"BZPOPMIN", "nokey", "z", "0"},
		{"BZPOPMAX", "z", "0"},
		{"BZMPOP", "0", "2", "nokey", "z", "MAX", "COUNT", "5"},
		{"BZMPOP", "0", "1", "z", "UP"},
		{"BZPOPMIN", "z", "-2"},
	}
	forEachLoop(t, func(t *testing.T, addr string) {
		for _, proto := range []string{"2", "3"} {
			kv, rd := dialRaw(t, addr), dialRaw(t, ref.addr)
			for _, c := range [][]string{{"HELLO", proto}, {"FLUSHALL"}} {
				kv.do(c...)
				rd.do(c...)
			}
			for _, c := range cases {
				_, got := kv.doRaw(c...)
				_, want := rd.doRaw(c...)
				if string(got) != string(want) {
					t.Errorf("RESP%s %q:\n kvrpcd       %q\n redis-server %q", proto, c, got, want)
				}
			}
		}
	})
}
