package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestClientPause pauses writes with go-redis on every loop model: a paused SET waits
// without holding up the loop (reads from other clients go on), and CLIENT UNPAUSE lets it
// run; then an ALL pause holds a PING until its timer ends it.
func TestClientPause(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		ctx := testCtx(t)
		admin := newGoRedis(t, addr, 3, 0)
		writer := newGoRedis(t, addr, 3, 0)
		reader := newGoRedis(t, addr, 2, 0)
		if err := admin.Do(ctx, "client", "pause", "30000", "write").Err(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- writer.Set(ctx, "k", "v", 0).Err() }()
		select {
		case err := <-done:
			t.Fatalf("SET ran during a WRITE pause: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
		if v, err := reader.Get(ctx, "k").Result(); err != redis.Nil {
			t.Fatalf("GET during the pause: %q %v", v, err)
		}
		list, err := admin.ClientList(ctx).Result()
		if err != nil || !strings.Contains(list, "flags=b ") || !strings.Contains(list, "cmd=set ") {
			t.Fatalf("CLIENT LIST during the pause: %q %v", list, err)
		}
		if n := infoField(t, admin, "blocked_clients"); n != "1" {
			t.Fatalf("blocked_clients during the pause: %s", n)
		}
		if err := admin.Do(ctx, "client", "unpause").Err(); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("SET after UNPAUSE: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("SET still waits after UNPAUSE")
		}
		if v, err := reader.Get(ctx, "k").Result(); err != nil || v != "v" {
			t.Fatalf("GET after the pause: %q %v", v, err)
		}

		start := time.Now()
		if err := admin.ClientPause(ctx, 300*time.Millisecond).Err(); err != nil {
			t.Fatal(err)
		}
		if err := writer.Ping(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 250*time.Millisecond || d > 5*time.Second {
			t.Fatalf("PING answered %v after a 300 ms ALL pause", d)
		}
	})
}

// TestClientPausePipeline checks that a pipeline sent during a pause keeps its order: the
// commands behind a paused write wait for it, and all replies come after the pause.
func TestClientPausePipeline(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		ctx := testCtx(t)
		admin := newGoRedis(t, addr, 2, 0)
		c := dialRaw(t, addr)
		if err := admin.Do(ctx, "client", "pause", "30000", "write").Err(); err != nil {
			t.Fatal(err)
		}
		c.send([]byte("*3\r\n$3\r\nSET\r\n$1\r\nn\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*2\r\n$3\r\nGET\r\n$1\r\nn\r\n"))
		if _, _, err := c.readReply(200 * time.Millisecond); err == nil {
			t.Fatal("a reply came during the pause")
		}
		if err := admin.Do(ctx, "client", "unpause").Err(); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"OK", "(integer) 2", `"2"`} {
			if v, _ := c.reply(); v.String() != want {
				t.Fatalf("after UNPAUSE: %s, want %s", v.String(), want)
			}
		}
	})
}

// TestClientReply drives CLIENT REPLY OFF / SKIP / ON over a raw connection on every loop
// model; the next reply seen tells which commands were answered.
func TestClientReply(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		c := dialRaw(t, addr)
		c.send(encodeCommand("client", "reply", "off"))
		c.send(encodeCommand("set", "a", "1"))
		c.send(encodeCommand("nosuchcommand"))
		c.send(encodeCommand("client", "reply", "skip")) // nothing under OFF
		c.send(encodeCommand("client", "reply", "on"))
		if v, _ := c.reply(); v.String() != "OK" {
			t.Fatalf("after OFF ... ON: %s", v.String())
		}
		c.send(encodeCommand("client", "reply", "skip"))
		c.send(encodeCommand("get", "a"))
		if got := c.do("incr", "a").String(); got != "(integer) 2" {
			t.Fatalf("after SKIP, GET: %s", got)
		}
	})
}

// infoField returns one field of INFO.
func infoField(t *testing.T, c *redis.Client, name string) string {
	t.Helper()
	info, err := c.Info(testCtx(t), "everything").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	t.Fatalf("INFO has no %s", name)
	return ""
}
