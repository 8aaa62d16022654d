package main

import (
	"context"
	"fmt"
	"math"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	netloop "github.com/kvrpcd/kvrpcd/loops/net"
)

func TestPIOverGoRedis(t *testing.T) {
	srv, err := newServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	loop := netloop.New(srv)
	go func() { _ = loop.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = loop.Shutdown(ctx)
	}()

	for _, proto := range []int{2, 3} {
		rdb := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), Protocol: proto})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		got, err := rdb.Do(ctx, "PI", 1_000_000).Float64()
		if err != nil {
			t.Fatalf("RESP%d: PI: %v", proto, err)
		}
		if math.Abs(got-math.Pi) > 2e-6 {
			t.Errorf("RESP%d: PI 1000000 = %v, want within 2e-6 of π", proto, got)
		}
		if err := rdb.Do(ctx, "PI", "many").Err(); err == nil || !strings.Contains(err.Error(), "terms must be") {
			t.Errorf("RESP%d: PI many: err = %v", proto, err)
		}
		if err := rdb.Do(ctx, "PI").Err(); err == nil || err.Error() != "ERR wrong number of arguments for 'pi' command" {
			t.Errorf("RESP%d: PI without terms: err = %v", proto, err)
		}
		// COMMAND DOCS is derived from the declaration.
		docs, err := rdb.Do(ctx, "COMMAND", "DOCS", "pi").Result()
		if text := fmt.Sprint(docs); err != nil || !strings.Contains(text, "Leibniz") || !strings.Contains(text, "module") {
			t.Errorf("RESP%d: COMMAND DOCS pi = %v, %v", proto, text, err)
		}
		// The service is still a Redis server.
		if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
			t.Errorf("RESP%d: SET: %v", proto, err)
		}
		cancel()
		rdb.Close()
	}
}

func TestLeibniz(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want float64
	}{{1, 4}, {2, 4 - 4.0/3}, {3, 4 - 4.0/3 + 4.0/5}} {
		if got := leibniz(tc.n); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("leibniz(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}
