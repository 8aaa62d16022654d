package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestConcurrentShards hammers the store from goroutines that each own a
// few keys, under the lock contract, while the active expire goroutine,
// lock-free readers and keyspace-wide commands run. Run it with -race.
func TestConcurrentShards(t *testing.T) {
	s := New(4)
	defer s.Close()
	s.StartActiveExpire(func() int { return 100 })
	const workers = 8
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 2))
			keys := make([][]byte, 64)
			for i := range keys {
				keys[i] = fmt.Appendf(nil, "w%d:%d", w, i)
			}
			// Pairs of keys for the two-key commands, in whichever shards.
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				k, k2 := keys[r.IntN(len(keys))], keys[r.IntN(len(keys))]
				sh := []int{ShardOf(k), ShardOf(k2)}
				slices.Sort(sh)
				sh = slices.Compact(sh)
				db := r.IntN(4)
				s.Lock(sh)
				switch r.IntN(12) {
				case 0:
					s.SetString(db, k, []byte("value"), 0, false)
				case 1:
					s.SetString(db, k, []byte("v"), in(time.Duration(r.IntN(20))*time.Millisecond), false)
				case 2:
					s.IncrBy(db, k, 1)
				case 3:
					s.IncrByFloat(db, k, []byte("1.5"))
				case 4:
					s.Append(db, k, []byte("x"))
				case 5:
					s.Delete(db, k)
				case 6:
					s.Rename(db, k, k2, false)
				case 7:
					s.Copy(db, k, (db+1)%4, k2, true)
				case 8:
					s.Move(db, (db+1)%4, k)
				case 9:
					s.SetExpire(db, k, in(time.Duration(r.IntN(20))*time.Millisecond))
				case 10:
					s.Persist(db, k)
				default:
					if v := s.Lookup(db, k); v != nil {
						v.AppendString(nil)
					}
				}
				s.Unlock(sh)
			}
		})
	}
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			s.DBSize(0)
			s.Stats()
			time.Sleep(time.Millisecond)
		}
	})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			s.LockAll()
			s.Scan(i%4, 0, 100, func(string, *Value) {})
			s.RandomKey(i % 4)
			if i%10 == 0 {
				s.SwapDB(0, 3)
			}
			if i%50 == 0 {
				s.FlushDB(2)
			}
			s.UnlockAll()
			time.Sleep(2 * time.Millisecond)
		}
	})
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	s.Close()
	for db := range 4 {
		checkCounts(t, s, db)
	}
}
