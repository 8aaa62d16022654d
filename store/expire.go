package store

import (
	"math"
	"time"
)

const (
	// expireSample is the number of volatile keys sampled per round
	// (Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP).
	expireSample = 20
	// expireStalePerc is the share of expired keys in a sample, in
	// percent, above which the shard is sampled again.
	expireStalePerc = 10
	// expireCPUPerc is the share of each tick the active expire goroutine
	// may spend (Redis's ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC).
	expireCPUPerc = 25
)

// ActiveExpireCycle deletes expired keys that nobody accesses. For each
// database and shard holding volatile keys it samples up to 20 of them,
// deletes the expired ones and samples again while more than 10% of a
// sample had expired. It stops when budget is spent and the next call
// resumes where it stopped. It returns the number of keys deleted.
//
// It takes the shard locks itself, one at a time, so the caller must hold
// none. Concurrent calls run one after the other.
func (s *Store) ActiveExpireCycle(budget time.Duration) (expired int) {
	s.expireMu.Lock()
	defer s.expireMu.Unlock()
	start := time.Now()
	total := s.databases * Shards
	var sampled, ttlSum, ttlSamples int64
	timedOut := false
	for range total {
		pos := s.expireCursor
		db, sh := pos/Shards, pos%Shards
		if d := &s.shards[sh].dbs[db]; d.expires.Load() > 0 {
			n, m, sum, samples, out := s.expireShard(sh, db, start, budget)
			expired += int(n)
			sampled += m
			ttlSum += sum
			ttlSamples += samples
			if out {
				timedOut = true
			}
		}
		if !timedOut {
			s.expireCursor = (pos + 1) % total
		}
		if timedOut || sh == Shards-1 {
			if ttlSamples > 0 {
				s.updateAvgTTL(db, ttlSum/ttlSamples)
			}
			ttlSum, ttlSamples = 0, 0
		}
		if timedOut {
			s.timeCapReached.Add(1)
			break
		}
	}
	s.expiredKeys.Add(int64(expired))
	current := 0.0
	if sampled > 0 {
		current = float64(expired) / float64(sampled) * 100
	}
	old := math.Float64frombits(s.stalePerc.Load())
	s.stalePerc.Store(math.Float64bits(current*0.05 + old*0.95))
	return expired
}

// expireShard runs the sampling rounds on one shard part of db. It returns
// the keys deleted and sampled, the sum and number of remaining TTLs seen,
// and whether the budget ran out.
func (s *Store) expireShard(sh, db int, start time.Time, budget time.Duration) (expired, sampled, ttlSum, ttlSamples int64, timedOut bool) {
	shard := &s.shards[sh]
	shard.mu.Lock()
	defer shard.mu.Unlock()
	d := &shard.dbs[db]
	for len(d.vol) > 0 {
		now := nowMs()
		n := min(expireSample, len(d.vol))
		var roundExpired int
		for range n {
			if len(d.vol) == 0 {
				break
			}
			if d.volNext >= len(d.vol) {
				d.volNext = 0
			}
			v := d.vol[d.volNext]
			if v.expired(now) {
				// The last entry moves into volNext: do not advance.
				d.remove(slotOf(v.key())&(slotsPerShard-1), v)
				s.event(KeyExpired, d, v.key())
				roundExpired++
				continue
			}
			ttlSum += v.exp.at - now
			ttlSamples++
			d.volNext++
		}
		expired += int64(roundExpired)
		sampled += int64(n)
		if time.Since(start) >= budget {
			return expired, sampled, ttlSum, ttlSamples, true
		}
		if roundExpired*100 <= n*expireStalePerc {
			break
		}
	}
	return expired, sampled, ttlSum, ttlSamples, false
}

// updateAvgTTL folds a cycle's average remaining TTL into db's estimate, as
// Redis does.
func (s *Store) updateAvgTTL(db int, avg int64) {
	a := &s.dbStats[db].avgTTL
	if old := a.Load(); old == 0 {
		a.Store(avg)
	} else {
		a.Store(old/50*49 + avg/50)
	}
}

// StartActiveExpire starts a goroutine that runs [Store.ActiveExpireCycle]
// hz() times per second (hz is read before each tick, so a CONFIG SET hz
// takes effect at once; values are clamped to 1..500), each cycle spending
// at most a quarter of the tick. It runs until [Store.Close]. Calls after
// the first do nothing.
func (s *Store) StartActiveExpire(hz func() int) {
	if !s.started.CompareAndSwap(false, true) {
		return
	}
	s.coarseMs.Store(nowMs())
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer s.coarseMs.Store(0)
		for {
			tick := time.Second / time.Duration(min(max(hz(), 1), 500))
			t := time.NewTimer(tick)
			select {
			case <-s.done:
				t.Stop()
				return
			case <-t.C:
			}
			s.coarseMs.Store(nowMs())
			if s.activeExpire.Load() {
				s.ActiveExpireCycle(tick * expireCPUPerc / 100)
			}
		}
	}()
}

// SetActiveExpire switches the active expire goroutine's work on or off, as
// DEBUG SET-ACTIVE-EXPIRE does; lazy expiry is unaffected. It is on in a new
// store.
func (s *Store) SetActiveExpire(on bool) { s.activeExpire.Store(on) }

// Stats holds the keyspace figures INFO reports.
type Stats struct {
	// ExpiredKeys counts keys deleted because their TTL passed, lazily or
	// actively (expired_keys).
	ExpiredKeys int64
	// ExpiredStalePerc estimates the percentage of volatile keys that have
	// expired but not yet been deleted (expired_stale_perc).
	ExpiredStalePerc float64
	// ExpiredTimeCapReached counts active expire cycles that ran out of
	// time (expired_time_cap_reached_count).
	ExpiredTimeCapReached int64
	// DB holds the figures of each database, indexed by number.
	DB []DBStats
}

// DBStats holds the figures of one database, as the keyspace section of
// INFO prints them ("db0:keys=1,expires=0,avg_ttl=0").
type DBStats struct {
	Keys    int   // keys, including expired keys not yet deleted
	Expires int   // keys with a TTL
	AvgTTL  int64 // running estimate of the remaining TTL, in milliseconds
}

// Stats returns the store's statistics. It needs no lock.
func (s *Store) Stats() Stats {
	st := Stats{
		ExpiredKeys:           s.expiredKeys.Load(),
		ExpiredStalePerc:      math.Float64frombits(s.stalePerc.Load()),
		ExpiredTimeCapReached: s.timeCapReached.Load(),
		DB:                    make([]DBStats, s.databases),
	}
	for db := range st.DB {
		st.DB[db] = DBStats{Keys: s.DBSize(db), Expires: s.expires(db), AvgTTL: s.dbStats[db].avgTTL.Load()}
	}
	return st
}
