package store

// SetString sets key in db to the string val, copying key and val. The
// value is integer-encoded when val is a canonical integer. expireAt is the
// new TTL deadline in unix milliseconds, 0 for none; an existing TTL is
// removed unless keepTTL is set, in which case an existing key keeps its
// TTL and expireAt is ignored. Overwriting counts as an access of the old
// value, whose LFU counter carries over, and reuses its memory when it
// fits, so setting an existing key does not allocate. The caller must hold
// the key's shard lock.
func (s *Store) SetString(db int, key, val []byte, expireAt int64, keepTTL bool) {
	now := s.accessMs()
	d, i, v := s.find(db, key, 0)
	if v == nil {
		v = newString(key, val)
		if expireAt != 0 {
			v.exp = &expiry{at: expireAt}
		}
		v.init(now)
		d.add(i, v)
		return
	}
	v.touch(now)
	v.setString(val)
	if !keepTTL {
		d.setExpire(v, expireAt)
	}
}

// IncrBy adds delta to the integer string at key and returns the result,
// as INCRBY does. An absent key counts as 0; the TTL is kept. It returns
// [ErrWrongType], [ErrNotInteger] when the value is not an integer, or
// [ErrOverflow]. The caller must hold the key's shard lock.
func (s *Store) IncrBy(db int, key []byte, delta int64) (int64, error) {
	now := s.accessMs()
	d, i, v := s.find(db, key, 0)
	if v == nil {
		v = newValue(key, TypeString, 8)
		v.init(now)
		v.setInt(delta)
		d.add(i, v)
		return delta, nil
	}
	if v.typ != TypeString {
		return 0, ErrWrongType
	}
	v.touch(now)
	old, ok := v.int()
	if !ok {
		return 0, ErrNotInteger
	}
	if (delta < 0 && old < 0 && delta < minInt64-old) ||
		(delta > 0 && old > 0 && delta > maxInt64-old) {
		return 0, ErrOverflow
	}
	v.setInt(old + delta)
	return old + delta, nil
}

// newString returns a new string value of key set to val, in one
// allocation sized for the encoding val gets.
func newString(key, val []byte) *Value {
	room := len(val)
	if len(val) <= maxIntLen {
		if _, ok := parseInt(val); ok {
			room = 8
		}
	}
	v := newValue(key, TypeString, room)
	v.setString(val)
	return v
}

const (
	maxInt64 = 1<<63 - 1
	minInt64 = -1 << 63
)

// IncrByFloat adds the number incr to the string at key and returns the
// new value's text, which the caller may keep, as INCRBYFLOAT does: in
// 80-bit long double arithmetic, formatted with 17 decimals and trailing
// zeros removed. An absent key counts as 0; the TTL is kept. It returns
// [ErrWrongType], [ErrNotFloat] when the value or incr is not a number, or
// [ErrNaN] when the sum is not finite. The caller must hold the key's shard
// lock.
func (s *Store) IncrByFloat(db int, key []byte, incr []byte) ([]byte, error) {
	now := nowMs()
	d, i, v := s.find(db, key, now)
	cur := zeroLongDouble()
	if v != nil {
		if v.typ != TypeString {
			return nil, ErrWrongType
		}
		v.touch(now)
		var ok bool
		if v.enc == encInt {
			cur = intLongDouble(v.ival())
		} else if cur, ok = parseLongDouble(v.buf()); !ok {
			return nil, ErrNotFloat
		}
	}
	inc, ok := parseLongDouble(incr)
	if !ok {
		return nil, ErrNotFloat
	}
	sum, ok := addLongDouble(cur, inc)
	if !ok {
		return nil, ErrNaN
	}
	text := formatLongDouble(sum)
	enc := encEmbstr
	if len(text) > embstrMax {
		enc = encRaw
	}
	if v == nil {
		v = newValue(key, TypeString, len(text))
		v.init(now)
		v.setBytes(text, enc)
		d.add(i, v)
	} else {
		v.setBytes(text, enc)
	}
	return text, nil
}

// Append appends val to the string at key and returns the new length, as
// APPEND does. An absent key is set to val; an existing value becomes raw.
// The TTL is kept. It returns [ErrWrongType], or [ErrTooLong] when the
// result would exceed the maximum string length. The caller must hold the
// key's shard lock.
func (s *Store) Append(db int, key, val []byte) (int, error) {
	now := nowMs()
	d, i, v := s.find(db, key, now)
	if v == nil {
		v = newString(key, val)
		v.init(now)
		d.add(i, v)
		return v.StrLen(), nil
	}
	if v.typ != TypeString {
		return 0, ErrWrongType
	}
	v.touch(now)
	if int64(v.StrLen())+int64(len(val)) > s.maxStringLen.Load() {
		return 0, ErrTooLong
	}
	v.makeRaw()
	l := int(v.slen)
	copy(v.grow(l + len(val))[l:l+len(val)], val)
	v.slen += uint32(len(val))
	return int(v.slen), nil
}

// SetRange overwrites the string at key from offset with val, padding with
// zero bytes, and returns the new length, as SETRANGE does. offset must not
// be negative (the caller rejects that first). An empty val changes nothing
// and returns the current length, 0 for an absent key, which is not
// created. The TTL is kept. It returns [ErrWrongType], or [ErrTooLong] when
// the result would exceed the maximum string length. The caller must hold
// the key's shard lock.
func (s *Store) SetRange(db int, key []byte, offset int, val []byte) (int, error) {
	now := nowMs()
	d, i, v := s.find(db, key, now)
	if v != nil && v.typ != TypeString {
		return 0, ErrWrongType
	}
	if v != nil {
		v.touch(now)
	}
	if len(val) == 0 {
		if v == nil {
			return 0, nil
		}
		return v.StrLen(), nil
	}
	if offset < 0 || int64(offset) > s.maxStringLen.Load()-int64(len(val)) {
		return 0, ErrTooLong
	}
	end := offset + len(val)
	if v == nil {
		v = newValue(key, TypeString, end)
		v.enc, v.slen = encRaw, uint32(end)
		v.init(now)
		copy(v.buf()[offset:], val)
		d.add(i, v)
		return end, nil
	}
	v.makeRaw()
	if l := int(v.slen); end > l {
		clear(v.grow(end)[l:end])
		v.slen = uint32(end)
	}
	copy(v.buf()[offset:], val)
	return int(v.slen), nil
}
