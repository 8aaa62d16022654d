package store

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync/atomic"
)

// Errors of the hash increments, with Redis's texts.
var (
	// ErrHashNotInteger is returned by HINCRBY when the field holds no integer.
	ErrHashNotInteger = errors.New("hash value is not an integer")
	// ErrHashNotFloat is returned by HINCRBYFLOAT when the field holds no number.
	ErrHashNotFloat = errors.New("hash value is not a float")
	// ErrNotFinite is returned by HINCRBYFLOAT when the increment itself is infinite.
	ErrNotFinite = errors.New("value is NaN or Infinity")
)

// Hash is the data of a hash value: fields mapped to values. Like Redis 7.0 it has two
// encodings. "listpack" keeps the entries in a slice in insertion order (an overwritten
// field keeps its place, a deleted one closes the gap) and is searched linearly; it is
// used while the hash has at most hash-max-listpack-entries fields and no field or value
// longer than hash-max-listpack-value bytes. "hashtable" keeps a dense slice of entries
// with an index by field; deleting moves the last entry into the gap. A hash converts to
// hashtable when a limit is passed and never back.
//
// A *Hash is valid only while the caller holds its key's shard lock.
type Hash struct {
	entries []HashEntry
	index   map[string]int // position in entries by field; nil while listpack
	limits  *atomic.Pointer[EncodingLimits]
}

// HashEntry is one field and its value.
type HashEntry struct {
	Field, Value string
}

// NewHash returns an empty hash that follows the store's encoding limits.
func (s *Store) NewHash() *Hash { return &Hash{limits: &s.limits} }

// Hash returns the hash stored at key, nil when the key is absent, or [ErrWrongType]. It
// counts as an access. The caller must hold the key's shard lock.
func (s *Store) Hash(db int, key []byte) (*Hash, error) {
	return lookupObject[*Hash](s, db, key, TypeHash)
}

// HashForWrite returns the hash stored at key, creating an empty one when the key is
// absent, or [ErrWrongType]. A caller that adds nothing to a new hash must remove it with
// [Store.DeleteIfEmpty]. The caller must hold the key's shard lock.
func (s *Store) HashForWrite(db int, key []byte) (*Hash, error) {
	return createObject(s, db, key, TypeHash, s.NewHash)
}

// Len returns the number of fields.
func (h *Hash) Len() int { return len(h.entries) }

// Encoding returns "listpack" or "hashtable".
func (h *Hash) Encoding() string {
	if h.index != nil {
		return "hashtable"
	}
	return "listpack"
}

func (h *Hash) clone() object {
	c := &Hash{entries: slices.Clone(h.entries), limits: h.limits}
	if h.index != nil {
		c.index = make(map[string]int, len(h.index))
		for k, i := range h.index {
			c.index[k] = i
		}
	}
	return c
}

// find returns the position of field, or -1.
func (h *Hash) find(field []byte) int {
	if h.index != nil {
		if i, ok := h.index[string(field)]; ok {
			return i
		}
		return -1
	}
	for i := range h.entries {
		if h.entries[i].Field == string(field) {
			return i
		}
	}
	return -1
}

// Get returns the value of field and whether the field exists.
func (h *Hash) Get(field []byte) (string, bool) {
	if i := h.find(field); i >= 0 {
		return h.entries[i].Value, true
	}
	return "", false
}

// Exists reports whether field exists.
func (h *Hash) Exists(field []byte) bool { return h.find(field) >= 0 }

// Entry returns the i-th entry in iteration order, 0 <= i < Len. The order is insertion
// order for listpack and arbitrary for hashtable; it is stable while the hash is unchanged.
func (h *Hash) Entry(i int) HashEntry { return h.entries[i] }

// Fit prepares the hash for setting the given fields and values, as Redis's
// hashTypeTryConversion does before HSET, HMSET and HSETNX: a listpack converts to
// hashtable when any of them is longer than hash-max-listpack-value, whether or not the
// field already exists.
func (h *Hash) Fit(args [][]byte) {
	if h.index != nil {
		return
	}
	limit := h.limits.Load().HashMaxListpackValue
	for _, a := range args {
		if int64(len(a)) > limit {
			h.convert()
			return
		}
	}
}

// Set sets field to value and reports whether the field was created. As Redis's
// hashTypeSet it converts a listpack when the field or value is longer than
// hash-max-listpack-value, or when the field count passes hash-max-listpack-entries.
func (h *Hash) Set(field, value []byte) (created bool) {
	return h.set(field, string(value))
}

func (h *Hash) set(field []byte, value string) bool {
	l := h.limits.Load()
	if h.index == nil && (int64(len(field)) > l.HashMaxListpackValue || int64(len(value)) > l.HashMaxListpackValue) {
		h.convert()
	}
	created := false
	if i := h.find(field); i >= 0 {
		h.entries[i].Value = value
	} else {
		h.entries = append(h.entries, HashEntry{Field: string(field), Value: value})
		if h.index != nil {
			h.index[h.entries[len(h.entries)-1].Field] = len(h.entries) - 1
		}
		created = true
	}
	// As Redis's hashTypeSet, every write checks the length, so a limit lowered by CONFIG
	// SET converts the hash at its next write even when no field is added.
	if h.index == nil && int64(len(h.entries)) > l.HashMaxListpackEntries {
		h.convert()
	}
	return created
}

// convert turns a listpack into a hashtable.
func (h *Hash) convert() {
	h.index = make(map[string]int, len(h.entries)+1)
	for i, e := range h.entries {
		h.index[e.Field] = i
	}
}

// Delete removes field and reports whether it existed. The caller deletes the key when
// the hash becomes empty ([Store.DeleteIfEmpty]).
func (h *Hash) Delete(field []byte) bool {
	i := h.find(field)
	if i < 0 {
		return false
	}
	if h.index == nil {
		h.entries = slices.Delete(h.entries, i, i+1)
		return true
	}
	delete(h.index, h.entries[i].Field)
	last := len(h.entries) - 1
	if i != last {
		h.entries[i] = h.entries[last]
		h.index[h.entries[i].Field] = i
	}
	h.entries[last] = HashEntry{}
	h.entries = h.entries[:last]
	return true
}

// IncrBy adds delta to the integer value of field (0 when absent) and returns the result,
// as HINCRBY does. It returns [ErrHashNotInteger] or [ErrOverflow], changing nothing.
func (h *Hash) IncrBy(field []byte, delta int64) (int64, error) {
	var cur int64
	if v, ok := h.Get(field); ok {
		n, ok := parseInt([]byte(v))
		if !ok {
			return 0, ErrHashNotInteger
		}
		cur = n
	}
	if delta < 0 && cur < 0 && delta < -1<<63-cur || delta > 0 && cur > 0 && delta > 1<<63-1-cur {
		return 0, ErrOverflow
	}
	cur += delta
	h.set(field, strconv.FormatInt(cur, 10))
	return cur, nil
}

// HIncrByFloat adds the number incr to field of the hash at key and returns the new value's
// text, as HINCRBYFLOAT does, checking in Redis's order: [ErrNotFloat] when incr is not a
// number, [ErrNotFinite] when it is infinite, [ErrWrongType], [ErrHashNotFloat] when the
// field holds no number, [ErrNaN] when the sum is not finite. The arithmetic is INCRBYFLOAT's
// (80-bit long double). An absent key or field counts as 0. The caller must hold the key's
// shard lock.
func (s *Store) HIncrByFloat(db int, key, field, incr []byte) (string, error) {
	inc, ok := parseLongDouble(incr)
	if !ok {
		return "", ErrNotFloat
	}
	if inc.IsInf() {
		return "", ErrNotFinite
	}
	h, err := s.HashForWrite(db, key)
	if err != nil {
		return "", err
	}
	cur := zeroLongDouble()
	if v, ok := h.Get(field); ok {
		// An "inf" value parses, as with Redis's string2ld; the sum then fails.
		if cur, ok = parseLongDouble([]byte(v)); !ok {
			return "", ErrHashNotFloat
		}
	}
	sum, ok := addLongDouble(cur, inc)
	if !ok {
		s.DeleteIfEmpty(db, key)
		return "", ErrNaN
	}
	text := string(formatLongDouble(sum))
	h.set(field, text)
	return text, nil
}

// RandomIndexes returns count distinct positions (0 <= count <= Len) for HRANDFIELD with a
// positive count: in iteration order for listpack, as Redis samples a listpack in order,
// and in random order for hashtable.
func (h *Hash) RandomIndexes(count int) []int {
	n := len(h.entries)
	count = min(count, n)
	var idx []int
	if count*3 > n {
		idx = make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		for i := range count {
			j := i + rand.IntN(n-i)
			idx[i], idx[j] = idx[j], idx[i]
		}
		idx = idx[:count]
	} else {
		seen := make(map[int]struct{}, count)
		for len(idx) < count {
			i := rand.IntN(n)
			if _, dup := seen[i]; !dup {
				seen[i] = struct{}{}
				idx = append(idx, i)
			}
		}
	}
	if h.index == nil {
		slices.Sort(idx)
	}
	return idx
}

// RandomIndex returns a random position, for HRANDFIELD; the hash must not be empty.
func (h *Hash) RandomIndex() int { return rand.IntN(len(h.entries)) }

// Scan visits entries for HSCAN, starting at cursor (0 to begin), and returns the cursor
// of the next call, 0 when the iteration is complete. A listpack is visited whole in one
// call, as Redis does. A hashtable is visited about count entries at a time, from the end
// of its entry slice towards the start, so that the entry a deletion moves into a gap has
// always been visited already or will be: every field present for the whole iteration is
// returned at least once.
func (h *Hash) Scan(cursor uint64, count int, fn func(e HashEntry)) uint64 {
	n := len(h.entries)
	if h.index == nil || cursor == 0 && count >= n {
		for _, e := range h.entries {
			fn(e)
		}
		return 0
	}
	// cursor c > 0 means positions below c remain to be visited.
	top := n
	if cursor != 0 && cursor < uint64(n) {
		top = int(cursor)
	}
	bottom := max(top-max(count, 1), 0)
	for i := top - 1; i >= bottom; i-- {
		fn(h.entries[i])
	}
	return uint64(bottom)
}
