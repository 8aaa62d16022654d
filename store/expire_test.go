package store

import (
	"fmt"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestActiveExpire checks that the active expire goroutine deletes keys
// nobody touches, and that it can be switched off and on.
func TestActiveExpire(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(2)
		defer s.Close()
		s.StartActiveExpire(func() int { return 10 })
		s.StartActiveExpire(func() int { panic("second goroutine started") })
		for i := range 500 {
			s.SetString(i%2, fmt.Appendf(nil, "k%d", i), []byte("v"), in(time.Second), false)
		}
		set(s, 0, "keep", "v")
		s.SetString(1, []byte("later"), []byte("v"), in(time.Hour), false)
		time.Sleep(3 * time.Second)
		if s.DBSize(0) != 1 || s.DBSize(1) != 1 {
			t.Fatalf("DBSize after expiry = %d, %d", s.DBSize(0), s.DBSize(1))
		}
		st := s.Stats()
		if st.ExpiredKeys != 500 || st.DB[1].Expires != 1 || st.DB[0].Expires != 0 {
			t.Fatalf("Stats = %+v", st)
		}

		s.SetActiveExpire(false)
		for i := range 100 {
			s.SetString(0, fmt.Appendf(nil, "off%d", i), []byte("v"), in(time.Second), false)
		}
		time.Sleep(3 * time.Second)
		if s.DBSize(0) != 101 {
			t.Fatalf("active expiry ran while off: %d keys", s.DBSize(0))
		}
		s.SetActiveExpire(true)
		time.Sleep(time.Second)
		if s.DBSize(0) != 1 {
			t.Fatalf("active expiry did not resume: %d keys", s.DBSize(0))
		}
		checkCounts(t, s, 0)
		checkCounts(t, s, 1)
	})
}

// TestActiveExpireHz checks that hz is read before every tick.
func TestActiveExpireHz(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(1)
		defer s.Close()
		var hz, calls atomic.Int64
		hz.Store(10)
		s.StartActiveExpire(func() int { calls.Add(1); return int(hz.Load()) })
		time.Sleep(time.Second + time.Millisecond)
		if n := calls.Load(); n < 10 || n > 11 {
			t.Fatalf("%d ticks in a second at hz 10", n)
		}
		hz.Store(100)
		time.Sleep(200 * time.Millisecond) // the tick under way was set at hz 10
		calls.Store(0)
		time.Sleep(time.Second)
		if n := calls.Load(); n < 99 || n > 101 {
			t.Fatalf("%d ticks in a second at hz 100", n)
		}
		hz.Store(0) // clamped to 1
		time.Sleep(100 * time.Millisecond)
		calls.Store(0)
		time.Sleep(3 * time.Second)
		if n := calls.Load(); n < 2 || n > 4 {
			t.Fatalf("%d ticks in 3 seconds at hz 0", n)
		}
		s.Close()
		s.Close() // idempotent
	})
}

// TestActiveExpireBudget checks that a cycle stops when its budget is spent
// and the next one resumes where it stopped.
func TestActiveExpireBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(1)
		// Ten keys in ten different shards.
		var keys [][]byte
		shards := map[int]bool{}
		for i := 0; len(keys) < 10; i++ {
			k := fmt.Appendf(nil, "k%d", i)
			if !shards[ShardOf(k)] {
				shards[ShardOf(k)] = true
				keys = append(keys, k)
				s.SetString(0, k, []byte("v"), in(time.Second), false)
			}
		}
		time.Sleep(2 * time.Second)
		// Fake time stands still, so a zero budget is spent after the
		// first sample: each cycle deletes one key.
		for i := range 10 {
			if n := s.ActiveExpireCycle(0); n != 1 {
				t.Fatalf("cycle %d expired %d keys", i, n)
			}
			if s.DBSize(0) != 9-i {
				t.Fatalf("cycle %d left %d keys", i, s.DBSize(0))
			}
		}
		if n := s.ActiveExpireCycle(0); n != 0 {
			t.Fatalf("extra cycle expired %d keys", n)
		}
		if got := s.Stats().ExpiredTimeCapReached; got != 10 {
			t.Fatalf("time cap reached %d times, want 10", got)
		}
	})
}

// TestActiveExpireSampling checks the repeat rule: a shard is sampled again
// while more than 10% of a sample had expired.
func TestActiveExpireSampling(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(1)
		// 1000 keys in one slot, all expired: one cycle deletes them all.
		for i := range 1000 {
			s.SetString(0, fmt.Appendf(nil, "{a}%d", i), []byte("v"), in(time.Second), false)
		}
		// 1000 keys in another slot, 1% expired: a cycle samples 20 and
		// moves on.
		for i := range 1000 {
			d := time.Hour
			if i%100 == 0 {
				d = time.Second
			}
			s.SetString(0, fmt.Appendf(nil, "{b}%d", i), []byte("v"), in(d), false)
		}
		if ShardOf([]byte("{a}")) == ShardOf([]byte("{b}")) {
			t.Fatal("test slots share a shard")
		}
		time.Sleep(2 * time.Second)
		n := s.ActiveExpireCycle(time.Second)
		if s.CountKeysInSlot(0, Slot([]byte("a"))) != 0 {
			t.Fatalf("cycle left %d expired keys in the full slot", s.CountKeysInSlot(0, Slot([]byte("a"))))
		}
		if n < 1000 || n > 1010 {
			t.Fatalf("cycle expired %d keys", n)
		}
		// Successive cycles walk on through the sparse slot's keys.
		for range 60 {
			s.ActiveExpireCycle(time.Second)
		}
		if got := s.CountKeysInSlot(0, Slot([]byte("b"))); got != 990 {
			t.Fatalf("sparse slot has %d keys, want 990", got)
		}
		st := s.Stats()
		if st.ExpiredKeys != 1010 {
			t.Fatalf("expired keys = %d", st.ExpiredKeys)
		}
		if st.ExpiredStalePerc <= 0 || st.ExpiredStalePerc > 100 {
			t.Fatalf("stale perc = %f", st.ExpiredStalePerc)
		}
		// The remaining keys have about an hour to live.
		if avg := st.DB[0].AvgTTL; avg < 3500_000 || avg > 3600_000 {
			t.Fatalf("avg TTL = %d", avg)
		}
		checkCounts(t, s, 0)
		s.LockAll()
		s.FlushDB(0)
		s.UnlockAll()
		if s.Stats().DB[0].AvgTTL != 0 {
			t.Fatal("FlushDB kept the avg TTL")
		}
	})
}
