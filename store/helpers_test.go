package store

import (
	"testing"
	"time"
)

// str returns the string value of key in db, or "<nil>" when it is absent.
func str(s *Store, db int, key string) string {
	v := s.Peek(db, []byte(key))
	if v == nil {
		return "<nil>"
	}
	return string(v.AppendString(nil))
}

// enc returns the encoding of key in db, or "<nil>" when it is absent.
func enc(s *Store, db int, key string) string {
	v := s.Peek(db, []byte(key))
	if v == nil {
		return "<nil>"
	}
	return v.Encoding()
}

// ttl returns the TTL deadline of key in db, or -2 when it is absent.
func ttl(s *Store, db int, key string) int64 {
	v := s.Peek(db, []byte(key))
	if v == nil {
		return -2
	}
	return v.ExpireAt()
}

// set stores the string val at key in db without TTL.
func set(s *Store, db int, key, val string) {
	s.SetString(db, []byte(key), []byte(val), 0, false)
}

// putList stores a value of another type than string at key, for
// wrong-type checks before the list type exists.
func putList(s *Store, db int, key string) {
	d, i := s.locate(db, []byte(key))
	v := newValue([]byte(key), TypeList, 0)
	v.init(nowMs())
	d.add(i, v)
}

// in returns the unix ms deadline d from now.
func in(d time.Duration) int64 { return time.Now().Add(d).UnixMilli() }

// checkCounts verifies the per-shard key and volatile counts of db against
// its maps.
func checkCounts(t *testing.T, s *Store, db int) {
	t.Helper()
	for sh := range s.shards {
		d := &s.shards[sh].dbs[db]
		keys, vol := 0, 0
		if d.slots != nil {
			for i := range d.slots {
				keys += int(d.slots[i].n)
				for _, v := range d.slots[i].vals {
					if v == nil {
						continue
					}
					if v.exp != nil {
						vol++
						if v.exp.vidx == 0 || d.vol[v.exp.vidx-1] != v {
							t.Fatalf("key %q has a TTL but a bad volatile index %d", v.key(), v.exp.vidx)
						}
					}
				}
			}
		}
		if int64(keys) != d.keys.Load() || int64(vol) != d.expires.Load() || vol != len(d.vol) {
			t.Fatalf("shard %d db %d: %d keys %d volatile, counters say %d and %d (list %d)",
				sh, db, keys, vol, d.keys.Load(), d.expires.Load(), len(d.vol))
		}
	}
}
