package store

import "bytes"

// Lookup returns the value of key in db, or nil when the key is absent or
// has expired (an expired key is deleted). It counts as an access: it
// updates the value's access time and LFU counter. The caller must hold the
// key's shard lock.
func (s *Store) Lookup(db int, key []byte) *Value {
	_, _, v := s.find(db, key, 0)
	if v != nil {
		v.touch(s.accessMs())
	}
	return v
}

// Peek is [Store.Lookup] without the access: it leaves the access time and
// LFU counter alone, as Redis's LOOKUP_NOTOUCH lookups (TYPE, OBJECT,
// EXISTS, TTL) do. The caller must hold the key's shard lock.
func (s *Store) Peek(db int, key []byte) *Value {
	_, _, v := s.find(db, key, 0)
	return v
}

// Exists reports whether key is present in db, deleting it if it has
// expired. It does not count as an access. The caller must hold the key's
// shard lock.
func (s *Store) Exists(db int, key []byte) bool {
	_, _, v := s.find(db, key, 0)
	return v != nil
}

// Delete deletes key from db and reports whether it was present. An expired
// key is deleted as expired and reported absent, as Redis's DEL does. The
// caller must hold the key's shard lock.
func (s *Store) Delete(db int, key []byte) bool {
	d, i, v := s.find(db, key, 0)
	if v == nil {
		return false
	}
	d.remove(i, v)
	return true
}

// SetExpire sets the TTL deadline of key to at, in unix milliseconds, and
// reports whether the key exists. A deadline not after the current time
// deletes the key at once (and still reports true), as EXPIRE does with a
// past time; such a deletion is not counted as an expiry. The caller must
// hold the key's shard lock.
func (s *Store) SetExpire(db int, key []byte, at int64) bool {
	now := nowMs()
	d, i, v := s.find(db, key, now)
	if v == nil {
		return false
	}
	if at <= now {
		d.remove(i, v)
		return true
	}
	v.touch(now)
	d.setExpire(v, at)
	return true
}

// Persist removes the TTL of key and reports whether it had one. The caller
// must hold the key's shard lock.
func (s *Store) Persist(db int, key []byte) bool {
	now := nowMs()
	d, _, v := s.find(db, key, now)
	if v == nil {
		return false
	}
	v.touch(now)
	if v.exp == nil {
		return false
	}
	d.setExpire(v, 0)
	return true
}

// Rename renames src to dst in db, replacing dst, and keeps src's value,
// TTL and access statistics. It returns [ErrNoSuchKey] when src is absent.
// With nx it leaves an existing dst alone and returns false. When src and
// dst are the same key nothing changes and it returns !nx, as RENAME and
// RENAMENX reply. The caller must hold the shard locks of both keys.
func (s *Store) Rename(db int, src, dst []byte, nx bool) (bool, error) {
	now := nowMs()
	ds, is, v := s.find(db, src, now)
	if v == nil {
		return false, ErrNoSuchKey
	}
	v.touch(now)
	if bytes.Equal(src, dst) {
		return !nx, nil
	}
	dd, id, w := s.find(db, dst, now)
	if w != nil {
		if nx {
			w.touch(now)
			return false, nil
		}
		dd.remove(id, w)
	}
	ds.remove(is, v)
	v.rekey(dst)
	dd.add(id, v)
	return true, nil
}

// Copy copies src in srcDB to dst in dstDB with its TTL, and reports
// whether it did. It does nothing and returns false when src is absent,
// when dst exists and replace is false, or when src and dst are the same
// key of the same database (the caller reports that case as an error
// first). The copy shares no memory with the original and starts with fresh
// access statistics. The error is reserved for types that cannot be copied.
// The caller must hold the shard locks of both keys.
func (s *Store) Copy(srcDB int, src []byte, dstDB int, dst []byte, replace bool) (bool, error) {
	if srcDB == dstDB && bytes.Equal(src, dst) {
		return false, nil
	}
	now := nowMs()
	_, _, v := s.find(srcDB, src, now)
	if v == nil {
		return false, nil
	}
	v.touch(now)
	dd, id, w := s.find(dstDB, dst, now)
	if w != nil {
		if !replace {
			w.touch(now)
			return false, nil
		}
		dd.remove(id, w)
	}
	dd.add(id, v.clone(dst, now))
	return true, nil
}

// Move moves key from srcDB to dstDB with its TTL and reports whether it
// did: false when the key is absent from srcDB, present in dstDB, or the
// databases are the same. The caller must hold the key's shard lock.
func (s *Store) Move(srcDB, dstDB int, key []byte) bool {
	if srcDB == dstDB {
		return false
	}
	now := nowMs()
	ds, i, v := s.find(srcDB, key, now)
	if v == nil {
		return false
	}
	v.touch(now)
	dd, _, w := s.find(dstDB, key, now)
	if w != nil {
		w.touch(now)
		return false
	}
	ds.remove(i, v)
	dd.add(i, v)
	return true
}
