package store

import "math/rand/v2"

// DBSize returns the number of keys in db, counting expired keys not yet
// deleted, as DBSIZE does. It needs no lock; while other goroutines write,
// the count is a snapshot of a moving target.
func (s *Store) DBSize(db int) int {
	var n int64
	for i := range s.shards {
		n += s.shards[i].dbs[db].keys.Load()
	}
	return int(n)
}

// expires returns the number of keys with a TTL in db; it needs no lock.
func (s *Store) expires(db int) int {
	var n int64
	for i := range s.shards {
		n += s.shards[i].dbs[db].expires.Load()
	}
	return int(n)
}

// FlushDB deletes every key of db. The caller must hold all locks.
func (s *Store) FlushDB(db int) {
	for i := range s.shards {
		s.shards[i].dbs[db].reset()
	}
	s.dbStats[db].avgTTL.Store(0)
}

// FlushAll deletes every key of every database. The caller must hold all
// locks.
func (s *Store) FlushAll() {
	for db := range s.databases {
		s.FlushDB(db)
	}
}

// SwapDB exchanges the contents of databases a and b. The caller must hold
// all locks.
func (s *Store) SwapDB(a, b int) {
	if a == b {
		return
	}
	for i := range s.shards {
		s.shards[i].dbs[a].swap(&s.shards[i].dbs[b])
	}
	ta, tb := s.dbStats[a].avgTTL.Load(), s.dbStats[b].avgTTL.Load()
	s.dbStats[a].avgTTL.Store(tb)
	s.dbStats[b].avgTTL.Store(ta)
}

// ForEach calls fn for every live key of db, in no particular order, until
// fn returns false. Expired keys are skipped and may be deleted. fn may
// delete the key it is given but must not add keys. The caller must hold
// all locks.
func (s *Store) ForEach(db int, fn func(key string, v *Value) bool) {
	now := nowMs()
	for sh := range s.shards {
		d := &s.shards[sh].dbs[db]
		if d.slots == nil {
			continue
		}
		for i := range d.slots {
			for _, v := range d.slots[i].vals {
				if v == nil {
					continue
				}
				if v.expired(now) {
					s.expire(d, i, v)
					continue
				}
				if !fn(v.key(), v) {
					return
				}
			}
		}
	}
}

// Scan calls fn for the live keys of whole slots, starting at the slot
// cursor, until at least count keys were visited or the slots run out, and
// returns the cursor to continue from, 0 when the scan is complete. Start a
// scan with cursor 0. As SCAN guarantees, every key present for the whole
// of a scan is visited at least once (exactly once here, since keys never
// change slot), whatever is added or deleted between calls. Expired keys are
// skipped and may be deleted. The caller must hold all locks.
func (s *Store) Scan(db int, cursor uint64, count int, fn func(key string, v *Value)) (next uint64) {
	if cursor >= Slots || s.DBSize(db) == 0 {
		return 0
	}
	now := nowMs()
	visited := 0
	for slot := int(cursor); slot < Slots; slot++ {
		d := &s.shards[slot>>shardShift].dbs[db]
		if d.slots == nil {
			slot |= slotsPerShard - 1 // skip the rest of the empty shard
			continue
		}
		i := slot & (slotsPerShard - 1)
		for _, v := range d.slots[i].vals {
			if v == nil {
				continue
			}
			if v.expired(now) {
				s.expire(d, i, v)
				continue
			}
			fn(v.key(), v)
			visited++
		}
		if visited >= count && slot+1 < Slots {
			return uint64(slot + 1)
		}
	}
	return 0
}

// RandomKey returns a key of db chosen uniformly at random, or false when
// db is empty. Expired keys it draws are deleted and it draws again. The
// caller must hold all locks.
func (s *Store) RandomKey(db int) (string, bool) {
	now := nowMs()
	for {
		n := int64(s.DBSize(db))
		if n == 0 {
			return "", false
		}
		d, i, key, v := s.nthKey(db, rand.Int64N(n))
		if v == nil {
			return "", false // counts out of step with the maps; cannot happen
		}
		if !v.expired(now) {
			return key, true
		}
		s.expire(d, i, v)
	}
}

// nthKey returns the r-th key of db in shard, slot and map order, walking
// the per-shard and per-slot counts.
func (s *Store) nthKey(db int, r int64) (*shardDB, int, string, *Value) {
	for sh := range s.shards {
		d := &s.shards[sh].dbs[db]
		n := d.keys.Load()
		if r >= n {
			r -= n
			continue
		}
		for i := range d.slots {
			t := &d.slots[i]
			if r >= int64(t.n) {
				r -= int64(t.n)
				continue
			}
			for _, v := range t.vals {
				if v == nil {
					continue
				}
				if r == 0 {
					return d, i, v.key(), v
				}
				r--
			}
		}
	}
	return nil, 0, "", nil
}

// CountKeysInSlot returns the number of keys of db in slot, counting
// expired keys not yet deleted, as CLUSTER COUNTKEYSINSLOT does. The caller
// must hold the slot's shard lock (shard slot>>6) or all locks.
func (s *Store) CountKeysInSlot(db, slot int) int {
	d := &s.shards[slot>>shardShift].dbs[db]
	if d.slots == nil {
		return 0
	}
	return int(d.slots[slot&(slotsPerShard-1)].n)
}

// KeysInSlot returns up to count keys of db in slot, as CLUSTER
// GETKEYSINSLOT does. The caller must hold the slot's shard lock (shard
// slot>>6) or all locks.
func (s *Store) KeysInSlot(db, slot, count int) []string {
	d := &s.shards[slot>>shardShift].dbs[db]
	if d.slots == nil || count <= 0 {
		return nil
	}
	t := &d.slots[slot&(slotsPerShard-1)]
	keys := make([]string, 0, min(count, int(t.n)))
	for _, v := range t.vals {
		if len(keys) == count {
			break
		}
		if v != nil {
			keys = append(keys, v.key())
		}
	}
	return keys
}
