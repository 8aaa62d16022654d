package integration

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestTransactions(t *testing.T) {
	forEachLoop(t, func(t *testing.T, addr string) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		rdb := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 16})
		defer rdb.Close()

		t.Run("TxPipeline", func(t *testing.T) {
			var incr *redis.IntCmd
			_, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "tx", 40, 0)
				p.Incr(ctx, "tx")
				incr = p.Incr(ctx, "tx")
				return nil
			})
			if err != nil || incr.Val() != 42 {
				t.Fatalf("TxPipelined: %v, INCR = %d, want 42", err, incr.Val())
			}
		})

		t.Run("Watch retries to a consistent count", func(t *testing.T) {
			const workers, each = 8, 25
			var wg sync.WaitGroup
			errs := make(chan error, workers)
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range each {
						for attempt := 0; ; attempt++ {
							if attempt > 1000 {
								errs <- errors.New("too many WATCH retries")
								return
							}
							err := rdb.Watch(ctx, func(tx *redis.Tx) error {
								n, err := tx.Get(ctx, "counter").Int()
								if err != nil && err != redis.Nil {
									return err
								}
								_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
									p.Set(ctx, "counter", n+1, 0)
									return nil
								})
								return err
							}, "counter")
							if err == nil {
								break
							}
							if err != redis.TxFailedErr {
								errs <- err
								return
							}
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			if n, _ := rdb.Get(ctx, "counter").Int(); n != workers*each {
				t.Fatalf("counter = %d, want %d: a lost update", n, workers*each)
			}
		})

		t.Run("EXEC is atomic for readers", func(t *testing.T) {
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					v := fmt.Sprint(i)
					rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
						p.Set(ctx, "{pair}a", v, 0)
						p.Set(ctx, "pair-b", v, 0) // another shard
						return nil
					})
				}
			}()
			for range 300 {
				v, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
					p.Get(ctx, "{pair}a")
					p.Get(ctx, "pair-b")
					return nil
				})
				if err != nil && err != redis.Nil {
					t.Fatal(err)
				}
				a, b := v[0].(*redis.StringCmd).Val(), v[1].(*redis.StringCmd).Val()
				if a != b {
					close(stop)
					wg.Wait()
					t.Fatalf("read %q and %q: a transaction was seen half done", a, b)
				}
			}
			close(stop)
			wg.Wait()
		})
	})
}
