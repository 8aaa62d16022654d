package store

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// fill stores n keys "key:0".."key:n-1" in db, with a TTL on every third.
func fill(s *Store, db, n int) {
	for i := range n {
		var at int64
		if i%3 == 0 {
			at = in(time.Hour)
		}
		s.SetString(db, fmt.Appendf(nil, "key:%d", i), []byte("v"), at, false)
	}
}

func TestDBSizeFlush(t *testing.T) {
	s := New(3)
	fill(s, 0, 1000)
	fill(s, 1, 10)
	if s.DBSize(0) != 1000 || s.DBSize(1) != 10 || s.DBSize(2) != 0 {
		t.Fatalf("DBSize = %d %d %d", s.DBSize(0), s.DBSize(1), s.DBSize(2))
	}
	st := s.Stats()
	if st.DB[0].Keys != 1000 || st.DB[0].Expires != 334 || st.DB[1].Keys != 10 || st.DB[1].Expires != 4 {
		t.Fatalf("Stats = %+v", st.DB)
	}
	s.LockAll()
	s.FlushDB(0)
	s.UnlockAll()
	if s.DBSize(0) != 0 || s.DBSize(1) != 10 || s.Exists(0, []byte("key:1")) {
		t.Fatal("FlushDB failed")
	}
	checkCounts(t, s, 0)
	fill(s, 0, 5)
	s.LockAll()
	s.FlushAll()
	s.UnlockAll()
	for db := range 3 {
		if s.DBSize(db) != 0 {
			t.Fatalf("db %d has %d keys after FlushAll", db, s.DBSize(db))
		}
		checkCounts(t, s, db)
	}
	if s.Databases() != 3 || New(0).Databases() != 1 {
		t.Fatal("Databases is wrong")
	}
}

func TestSwapDB(t *testing.T) {
	s := New(3)
	fill(s, 0, 100)
	set(s, 1, "only1", "x")
	s.LockAll()
	s.SwapDB(0, 1)
	s.SwapDB(2, 2)
	s.UnlockAll()
	if s.DBSize(0) != 1 || s.DBSize(1) != 100 || str(s, 0, "only1") != "x" || str(s, 1, "key:7") != "v" {
		t.Fatal("SwapDB failed")
	}
	if st := s.Stats(); st.DB[1].Expires != 34 || st.DB[0].Expires != 0 {
		t.Fatalf("expires after SwapDB: %+v", st.DB)
	}
	checkCounts(t, s, 0)
	checkCounts(t, s, 1)
	// Volatile keys keep working after the swap.
	if !s.Persist(1, []byte("key:0")) {
		t.Fatal("Persist after SwapDB failed")
	}
	checkCounts(t, s, 1)
}

func TestForEach(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(1)
		fill(s, 0, 300)
		s.SetString(0, []byte("gone"), []byte("x"), in(time.Second), false)
		time.Sleep(2 * time.Second)
		seen := map[string]bool{}
		s.LockAll()
		s.ForEach(0, func(key string, v *Value) bool {
			if seen[key] {
				t.Errorf("key %q visited twice", key)
			}
			seen[key] = true
			return true
		})
		s.UnlockAll()
		if len(seen) != 300 || seen["gone"] {
			t.Fatalf("ForEach visited %d keys (gone: %v)", len(seen), seen["gone"])
		}
		if s.DBSize(0) != 300 {
			t.Fatal("ForEach left the expired key")
		}
		n := 0
		s.ForEach(0, func(string, *Value) bool { n++; return n < 10 })
		if n != 10 {
			t.Fatalf("ForEach did not stop: %d calls", n)
		}
		// fn may delete the key it is given.
		s.ForEach(0, func(key string, v *Value) bool { s.Delete(0, []byte(key)); return true })
		if s.DBSize(0) != 0 {
			t.Fatal("deleting in ForEach failed")
		}
		checkCounts(t, s, 0)
	})
}

func TestScan(t *testing.T) {
	s := New(2)
	if next := s.Scan(1, 0, 10, func(string, *Value) { t.Fatal("key in an empty db") }); next != 0 {
		t.Fatalf("Scan of an empty db = %d", next)
	}
	fill(s, 0, 1000)
	// Keys with one hash tag share a slot: a call returns all of them.
	for i := range 50 {
		set(s, 0, fmt.Sprintf("{tag}%d", i), "v")
	}
	for _, count := range []int{1, 10, 100, 5000} {
		seen := map[string]int{}
		calls := 0
		var cursor uint64
		for {
			tagged := 0
			cursor = s.Scan(0, cursor, count, func(key string, v *Value) {
				seen[key]++
				if len(key) > 5 && key[:5] == "{tag}" {
					tagged++
				}
			})
			if tagged != 0 && tagged != 50 {
				t.Fatalf("count %d: a call returned %d of the 50 keys of one slot", count, tagged)
			}
			calls++
			if cursor == 0 {
				break
			}
		}
		if len(seen) != 1050 {
			t.Fatalf("count %d: scan saw %d keys", count, len(seen))
		}
		for k, n := range seen {
			if n != 1 {
				t.Fatalf("count %d: key %q seen %d times", count, k, n)
			}
		}
		if count == 5000 && calls != 1 || count == 1 && calls < 1000 {
			t.Fatalf("count %d: %d calls", count, calls)
		}
	}
	if next := s.Scan(0, Slots+5, 10, func(string, *Value) {}); next != 0 {
		t.Fatalf("Scan past the end = %d", next)
	}
}

// TestScanConcurrent checks SCAN's guarantee while other goroutines insert
// and delete keys: every key present for the whole scan is returned.
func TestScanConcurrent(t *testing.T) {
	s := New(1)
	stable := map[string]bool{}
	for i := range 2000 {
		k := fmt.Sprintf("stable:%d", i)
		stable[k] = true
		set(s, 0, k, "v")
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for {
				select {
				case <-stop:
					return
				default:
				}
				k := fmt.Appendf(nil, "churn:%d", r.IntN(5000))
				sh := []int{ShardOf(k)}
				s.Lock(sh)
				if r.IntN(2) == 0 {
					s.SetString(0, k, []byte("x"), 0, false)
				} else {
					s.Delete(0, k)
				}
				s.Unlock(sh)
			}
		})
	}
	for range 5 {
		seen := map[string]bool{}
		var cursor uint64
		for {
			s.LockAll()
			cursor = s.Scan(0, cursor, 20, func(key string, v *Value) { seen[key] = true })
			s.UnlockAll()
			if cursor == 0 {
				break
			}
		}
		for k := range stable {
			if !seen[k] {
				t.Errorf("scan missed %q", k)
			}
		}
	}
	close(stop)
	wg.Wait()
	checkCounts(t, s, 0)
}

func TestRandomKey(t *testing.T) {
	s := New(2)
	if _, ok := s.RandomKey(0); ok {
		t.Fatal("RandomKey of an empty db succeeded")
	}
	// 100 keys crowded in one slot and 100 spread over the keyspace: a
	// uniform choice picks each group half of the time, and each key about
	// 1% of the time.
	for i := range 100 {
		set(s, 0, fmt.Sprintf("{same}%d", i), "v")
		set(s, 0, fmt.Sprintf("spread%d", i), "v")
	}
	const draws = 40000
	counts := map[string]int{}
	for range draws {
		k, ok := s.RandomKey(0)
		if !ok {
			t.Fatal("RandomKey failed")
		}
		counts[k]++
	}
	if len(counts) != 200 {
		t.Fatalf("RandomKey drew %d distinct keys of 200", len(counts))
	}
	same := 0
	var chi2 float64
	for k, n := range counts {
		if k[0] == '{' {
			same += n
		}
		d := float64(n) - draws/200.0
		chi2 += d * d / (draws / 200.0)
	}
	if math.Abs(float64(same)/draws-0.5) > 0.02 {
		t.Fatalf("crowded slot drawn %d times of %d", same, draws)
	}
	// 199 degrees of freedom: the 99.99th percentile is about 290.
	if chi2 > 290 {
		t.Fatalf("chi-square %.1f: not uniform", chi2)
	}
}

func TestRandomKeyExpired(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(1)
		for i := range 50 {
			s.SetString(0, fmt.Appendf(nil, "k%d", i), []byte("v"), in(time.Second), false)
		}
		set(s, 0, "live", "v")
		time.Sleep(2 * time.Second)
		for range 10 {
			if k, ok := s.RandomKey(0); !ok || k != "live" {
				t.Fatalf("RandomKey = %q, %v", k, ok)
			}
		}
		s.Delete(0, []byte("live"))
		if k, ok := s.RandomKey(0); ok {
			t.Fatalf("RandomKey of an expired db = %q", k)
		}
		if s.DBSize(0) != 0 {
			t.Fatalf("%d keys left", s.DBSize(0))
		}
	})
}

func TestKeysInSlot(t *testing.T) {
	s := New(1)
	var want []string
	for i := range 30 {
		k := fmt.Sprintf("{user1000}:%d", i)
		want = append(want, k)
		set(s, 0, k, "v")
	}
	set(s, 0, "other", "v")
	slot := Slot([]byte("user1000"))
	if n := s.CountKeysInSlot(0, slot); n != 30 {
		t.Fatalf("CountKeysInSlot = %d", n)
	}
	if n := s.CountKeysInSlot(0, (slot+1)%Slots); n != 0 {
		t.Fatalf("CountKeysInSlot of a neighbour = %d", n)
	}
	got := s.KeysInSlot(0, slot, 100)
	sort.Strings(got)
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("KeysInSlot = %v", got)
	}
	if got := s.KeysInSlot(0, slot, 7); len(got) != 7 {
		t.Fatalf("KeysInSlot with count 7 = %d keys", len(got))
	}
	if got := s.KeysInSlot(0, slot, 0); len(got) != 0 {
		t.Fatalf("KeysInSlot with count 0 = %v", got)
	}
	if got := New(1).KeysInSlot(0, slot, 5); got != nil || New(1).CountKeysInSlot(0, slot) != 0 {
		t.Fatal("empty store has keys in a slot")
	}
}
