package integration

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// protocols are the RESP versions go-redis is tried with: 3 is its default
// (it sends HELLO 3), 2 is the classic protocol.
var protocols = []int{3, 2}

// newGoRedis returns a go-redis client for addr, closed at the end of the test.
func newGoRedis(t testing.TB, addr string, protocol, db int) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{
		Addr:         addr,
		Protocol:     protocol,
		DB:           db,
		DialTimeout:  ioTimeout,
		ReadTimeout:  ioTimeout,
		WriteTimeout: ioTimeout,
		MaxRetries:   -1, // a failed command must show, not be retried away
	})
	t.Cleanup(func() { c.Close() })
	return c
}

// testCtx returns a context bounded well below the test timeout.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// forEachProtocol runs f once per loop model and RESP version, each time
// with a fresh kvrpcd.
func forEachProtocol(t *testing.T, f func(t *testing.T, addr string, protocol int)) {
	for _, model := range loopModels {
		t.Run(model, func(t *testing.T) {
			for _, p := range protocols {
				t.Run(fmt.Sprintf("resp%d", p), func(t *testing.T) {
					f(t, startKvrpcd(t, "--loop", model).addr, p)
				})
			}
		})
	}
}

func TestGoRedisStrings(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, addr string, protocol int) {
		ctx := testCtx(t)
		c := newGoRedis(t, addr, protocol, 0)

		if got, err := c.Ping(ctx).Result(); err != nil || got != "PONG" {
			t.Fatalf("PING = %q, %v; want PONG", got, err)
		}
		if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
			t.Fatalf("SET: %v", err)
		}
		if got, err := c.Get(ctx, "k").Result(); err != nil || got != "v" {
			t.Errorf("GET k = %q, %v; want v", got, err)
		}
		if _, err := c.Get(ctx, "missing").Result(); !errors.Is(err, redis.Nil) {
			t.Errorf("GET missing: err = %v; want redis.Nil", err)
		}
		binary := "a\x00b\r\n\xff"
		if err := c.Set(ctx, "bin", binary, 0).Err(); err != nil {
			t.Fatalf("SET bin: %v", err)
		}
		if got, err := c.Get(ctx, "bin").Result(); err != nil || got != binary {
			t.Errorf("GET bin = %q, %v; want %q", got, err, binary)
		}

		// Expiry.
		if err := c.Set(ctx, "ex", "v", 100*time.Second).Err(); err != nil {
			t.Fatalf("SET EX: %v", err)
		}
		if ttl, err := c.TTL(ctx, "ex").Result(); err != nil || ttl < 98*time.Second || ttl > 100*time.Second {
			t.Errorf("TTL ex = %v, %v; want about 100s", ttl, err)
		}
		if ttl, err := c.TTL(ctx, "k").Result(); err != nil || ttl != -1 {
			t.Errorf("TTL k = %v, %v; want -1 (no expiry)", ttl, err)
		}
		if ttl, err := c.TTL(ctx, "missing").Result(); err != nil || ttl != -2 {
			t.Errorf("TTL missing = %v, %v; want -2", ttl, err)
		}
		if ok, err := c.Expire(ctx, "k", 50*time.Second).Result(); err != nil || !ok {
			t.Errorf("EXPIRE k = %v, %v; want true", ok, err)
		}
		if ok, err := c.Expire(ctx, "missing", 50*time.Second).Result(); err != nil || ok {
			t.Errorf("EXPIRE missing = %v, %v; want false", ok, err)
		}
		if err := c.Set(ctx, "short", "v", 50*time.Millisecond).Err(); err != nil {
			t.Fatalf("SET PX: %v", err)
		}
		waitUntil(t, 5*time.Second, func() bool {
			n, err := c.Exists(ctx, "short").Result()
			return err == nil && n == 0
		}, "key with PX 50 still exists")

		// Counters.
		for i := 1; i <= 3; i++ {
			if got, err := c.Incr(ctx, "n").Result(); err != nil || got != int64(i) {
				t.Fatalf("INCR n = %d, %v; want %d", got, err, i)
			}
		}
		if got, err := c.IncrBy(ctx, "n", -10).Result(); err != nil || got != -7 {
			t.Errorf("INCRBY n -10 = %d, %v; want -7", got, err)
		}
		if err := c.Incr(ctx, "k").Err(); err == nil || err.Error() != "ERR value is not an integer or out of range" {
			t.Errorf("INCR on a non-integer: err = %v", err)
		}

		// Many keys at once.
		if err := c.MSet(ctx, "m1", "1", "m2", "2", "m3", "3").Err(); err != nil {
			t.Fatalf("MSET: %v", err)
		}
		vals, err := c.MGet(ctx, "m1", "missing", "m3").Result()
		if err != nil || !slices.Equal(vals, []any{"1", nil, "3"}) {
			t.Errorf("MGET = %v, %v; want [1 <nil> 3]", vals, err)
		}
		if n, err := c.Exists(ctx, "m1", "m2", "missing", "m1").Result(); err != nil || n != 3 {
			t.Errorf("EXISTS = %d, %v; want 3", n, err)
		}
		if n, err := c.Del(ctx, "m1", "m2", "missing").Result(); err != nil || n != 2 {
			t.Errorf("DEL = %d, %v; want 2", n, err)
		}
		keys, err := c.Keys(ctx, "*").Result()
		slices.Sort(keys)
		want := []string{"bin", "ex", "k", "m3", "n"}
		if err != nil || !slices.Equal(keys, want) {
			t.Errorf("KEYS * = %v, %v; want %v", keys, err, want)
		}
		if keys, err := c.Keys(ctx, "m*").Result(); err != nil || !slices.Equal(keys, []string{"m3"}) {
			t.Errorf("KEYS m* = %v, %v; want [m3]", keys, err)
		}
	})
}

func TestGoRedisScan(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, addr string, protocol int) {
		ctx := testCtx(t)
		c := newGoRedis(t, addr, protocol, 0)
		const n = 1500
		want := make([]string, 0, n)
		pipe := c.Pipeline()
		for i := range n {
			key := "scan:" + strconv.Itoa(i)
			want = append(want, key)
			pipe.Set(ctx, key, i, 0)
		}
		pipe.Set(ctx, "other", "x", 0)
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatalf("pipeline: %v", err)
		}
		slices.Sort(want)

		for _, count := range []int64{0, 10, 1000} {
			seen := map[string]bool{}
			it := c.Scan(ctx, 0, "scan:*", count).Iterator()
			for steps := 0; it.Next(ctx); steps++ {
				if steps > 10*n {
					t.Fatalf("COUNT %d: SCAN iterator did not end", count)
				}
				seen[it.Val()] = true
			}
			if err := it.Err(); err != nil {
				t.Fatalf("COUNT %d: SCAN: %v", count, err)
			}
			got := make([]string, 0, len(seen))
			for k := range seen {
				got = append(got, k)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("COUNT %d: SCAN returned %d distinct keys; want the %d scan:* keys", count, len(got), len(want))
			}
		}
	})
}

func TestGoRedisSelectDB(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, addr string, protocol int) {
		ctx := testCtx(t)
		db0 := newGoRedis(t, addr, protocol, 0)
		db3 := newGoRedis(t, addr, protocol, 3)
		if err := db3.Set(ctx, "k", "three", 0).Err(); err != nil {
			t.Fatalf("SET in db 3: %v", err)
		}
		if err := db0.Set(ctx, "k", "zero", 0).Err(); err != nil {
			t.Fatalf("SET in db 0: %v", err)
		}
		if got, err := db3.Get(ctx, "k").Result(); err != nil || got != "three" {
			t.Errorf("GET in db 3 = %q, %v; want three", got, err)
		}
		if got, err := db0.Get(ctx, "k").Result(); err != nil || got != "zero" {
			t.Errorf("GET in db 0 = %q, %v; want zero", got, err)
		}
		if n, err := db3.DBSize(ctx).Result(); err != nil || n != 1 {
			t.Errorf("DBSIZE in db 3 = %d, %v; want 1", n, err)
		}
		bad := newGoRedis(t, addr, protocol, 99)
		if err := bad.Ping(ctx).Err(); err == nil {
			t.Errorf("client with DB 99: PING succeeded; want the SELECT error")
		}
	})
}

func TestGoRedisPipeline(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, addr string, protocol int) {
		ctx := testCtx(t)
		c := newGoRedis(t, addr, protocol, 0)
		const n = 1000
		for round := range 3 {
			pipe := c.Pipeline()
			sets := make([]*redis.StatusCmd, n)
			for i := range n {
				sets[i] = pipe.Set(ctx, fmt.Sprintf("p:%d", i), fmt.Sprintf("%d-%d", round, i), 0)
			}
			if _, err := pipe.Exec(ctx); err != nil {
				t.Fatalf("round %d: SET pipeline: %v", round, err)
			}
			for i, cmd := range sets {
				if cmd.Val() != "OK" {
					t.Fatalf("round %d: SET %d = %q", round, i, cmd.Val())
				}
			}
			pipe = c.Pipeline()
			gets := make([]*redis.StringCmd, n)
			incrs := make([]*redis.IntCmd, n)
			for i := range n {
				gets[i] = pipe.Get(ctx, fmt.Sprintf("p:%d", i))
				incrs[i] = pipe.Incr(ctx, "p:counter")
			}
			if _, err := pipe.Exec(ctx); err != nil {
				t.Fatalf("round %d: GET pipeline: %v", round, err)
			}
			for i := range n {
				if want := fmt.Sprintf("%d-%d", round, i); gets[i].Val() != want {
					t.Fatalf("round %d: GET p:%d = %q; want %q", round, i, gets[i].Val(), want)
				}
				if want := int64(round*n + i + 1); incrs[i].Val() != want {
					t.Fatalf("round %d: INCR #%d = %d; want %d", round, i, incrs[i].Val(), want)
				}
			}
		}
		// An error in the middle of a pipeline fails that command only.
		pipe := c.Pipeline()
		ok1 := pipe.Set(ctx, "a", "1", 0)
		bad := pipe.Incr(ctx, "p:0")
		ok2 := pipe.Get(ctx, "a")
		pipe.Exec(ctx)
		if ok1.Err() != nil || bad.Err() == nil || ok2.Val() != "1" {
			t.Errorf("pipeline with an error: SET %v, INCR %v, GET %q %v", ok1.Err(), bad.Err(), ok2.Val(), ok2.Err())
		}
	})
}

func TestGoRedisContextTimeout(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, addr string, protocol int) {
		c := newGoRedis(t, addr, protocol, 0)
		if err := c.Set(testCtx(t), "k", "v", 0).Err(); err != nil {
			t.Fatalf("SET: %v", err)
		}

		canceled, cancel := context.WithCancel(context.Background())
		cancel()
		if err := c.Get(canceled, "k").Err(); !errors.Is(err, context.Canceled) {
			t.Errorf("GET with a canceled context: err = %v; want context.Canceled", err)
		}
		expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		if err := c.Get(expired, "k").Err(); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("GET with an expired context: err = %v; want context.DeadlineExceeded", err)
		}

		// A large pipeline under a tiny deadline may fail; the client must
		// recover and the server keep serving afterwards.
		tiny, cancel := context.WithTimeout(context.Background(), time.Microsecond)
		defer cancel()
		pipe := c.Pipeline()
		for i := range 1000 {
			pipe.Set(tiny, fmt.Sprintf("t:%d", i), "x", 0)
		}
		pipe.Exec(tiny)

		ctx := testCtx(t)
		if got, err := c.Get(ctx, "k").Result(); err != nil || got != "v" {
			t.Errorf("GET after timeouts = %q, %v; want v", got, err)
		}
		if got, err := newGoRedis(t, addr, protocol, 0).Get(ctx, "k").Result(); err != nil || got != "v" {
			t.Errorf("GET on a new client after timeouts = %q, %v; want v", got, err)
		}
	})
}

func TestGoRedisConcurrentClients(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, addr string, protocol int) {
		ctx := testCtx(t)
		const clients, ops = 32, 100
		var wg sync.WaitGroup
		errs := make(chan error, clients)
		for w := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := redis.NewClient(&redis.Options{Addr: addr, Protocol: protocol, PoolSize: 2, ReadTimeout: ioTimeout, WriteTimeout: ioTimeout, MaxRetries: -1})
				defer c.Close()
				for i := range ops {
					key := fmt.Sprintf("c:%d:%d", w, i%10)
					val := fmt.Sprintf("%d", i)
					if err := c.Set(ctx, key, val, 0).Err(); err != nil {
						errs <- fmt.Errorf("client %d: SET: %w", w, err)
						return
					}
					got, err := c.Get(ctx, key).Result()
					if err != nil || got != val {
						errs <- fmt.Errorf("client %d: GET %s = %q, %v; want %q", w, key, got, err, val)
						return
					}
					if err := c.Incr(ctx, "c:shared").Err(); err != nil {
						errs <- fmt.Errorf("client %d: INCR: %w", w, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		c := newGoRedis(t, addr, protocol, 0)
		if got, err := c.Get(ctx, "c:shared").Int(); err != nil || got != clients*ops {
			t.Errorf("shared counter = %d, %v; want %d", got, err, clients*ops)
		}
		if n, err := c.DBSize(ctx).Result(); err != nil || n != clients*10+1 {
			t.Errorf("DBSIZE = %d, %v; want %d", n, err, clients*10+1)
		}
	})
}

// waitUntil polls cond until it holds, failing the test after timeout.
func waitUntil(t testing.TB, timeout time.Duration, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Errorf("after %v: %s", timeout, msg)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
