package store

import (
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync/atomic"
	"unsafe"
)

// Set is the data of a set value. Like Redis 7.0 it has two encodings: "intset", a sorted
// slice of int64 used while every member is a canonical decimal integer and the count is at
// most set-max-intset-entries, and "hashtable", a chained hash table of strings. A set
// converts from intset to hashtable when a non-integer member arrives or the count passes
// the limit, and never back.
//
// Members handed to callbacks are valid only during the call and must not be modified.
// A *Set is valid only while the caller holds its key's shard lock.
type Set struct {
	ints   []int64   // the intset encoding, ascending; unused once ht is set
	ht     *strTable // the hashtable encoding; nil while the set is an intset
	limits *atomic.Pointer[EncodingLimits]
}

// maxIntsetEntries caps set-max-intset-entries, as Redis does for its intset internals.
const maxIntsetEntries = 1 << 30

// NewSet returns an empty set that follows the store's encoding limits.
func (s *Store) NewSet() *Set { return &Set{limits: &s.limits} }

// Set returns the set stored at key, nil when the key is absent, or [ErrWrongType]. It
// counts as an access. The caller must hold the key's shard lock.
func (s *Store) Set(db int, key []byte) (*Set, error) {
	return lookupObject[*Set](s, db, key, TypeSet)
}

// SetForWrite returns the set stored at key, creating an empty one when the key is
// absent, or [ErrWrongType]. A caller that adds nothing to a new set must remove it with
// [Store.DeleteIfEmpty]. The caller must hold the key's shard lock.
func (s *Store) SetForWrite(db int, key []byte) (*Set, error) {
	return createObject(s, db, key, TypeSet, s.NewSet)
}

// PutSet stores set at key, replacing any value of any type and its TTL, as the
// SINTERSTORE family does; an empty set deletes the key instead. It reports whether a
// key was deleted. The set must not be used by the caller afterwards. The caller must hold
// the key's shard lock.
func (s *Store) PutSet(db int, key []byte, set *Set) (deleted bool) {
	deleted = s.Delete(db, key)
	if set.Len() == 0 {
		return deleted
	}
	set.limits = &s.limits
	_, _ = createObject(s, db, key, TypeSet, func() *Set { return set })
	return false
}

// Len returns the number of members.
func (st *Set) Len() int {
	if st.ht != nil {
		return st.ht.n
	}
	return len(st.ints)
}

// Encoding returns "intset" or "hashtable".
func (st *Set) Encoding() string {
	if st.ht != nil {
		return "hashtable"
	}
	return "intset"
}

func (st *Set) clone() object {
	c := &Set{limits: st.limits}
	if st.ht != nil {
		c.ht = newStrTable(st.ht.n)
		st.ht.each(func(m string) bool { c.ht.add(stringBytes(m)); return true })
	} else if len(st.ints) > 0 {
		c.ints = slices.Clone(st.ints)
	}
	return c
}

// maxInts returns the current set-max-intset-entries.
func (st *Set) maxInts() int64 {
	l := DefaultEncodingLimits.SetMaxIntsetEntries
	if st.limits != nil {
		if p := st.limits.Load(); p != nil {
			l = p.SetMaxIntsetEntries
		}
	}
	return min(max(l, 0), maxIntsetEntries)
}

// convert moves the members of an intset into a hash table.
func (st *Set) convert() {
	st.ht = newStrTable(len(st.ints))
	var buf [20]byte
	for _, n := range st.ints {
		st.ht.add(strconv.AppendInt(buf[:0], n, 10))
	}
	st.ints = nil
}

// Add adds member, copying it, and reports whether it was new.
func (st *Set) Add(member []byte) bool {
	if st.ht == nil {
		if n, ok := parseInt(member); ok {
			i, found := slices.BinarySearch(st.ints, n)
			if found {
				return false
			}
			st.ints = slices.Insert(st.ints, i, n)
			if int64(len(st.ints)) > st.maxInts() {
				st.convert()
			}
			return true
		}
		st.convert()
	}
	return st.ht.add(member)
}

// Remove removes member and reports whether it was present.
func (st *Set) Remove(member []byte) bool {
	if st.ht != nil {
		return st.ht.remove(member)
	}
	n, ok := parseInt(member)
	if !ok {
		return false
	}
	i, found := slices.BinarySearch(st.ints, n)
	if found {
		st.ints = slices.Delete(st.ints, i, i+1)
	}
	return found
}

// Contains reports whether member is in the set.
func (st *Set) Contains(member []byte) bool {
	if st.ht != nil {
		return st.ht.contains(member)
	}
	n, ok := parseInt(member)
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(st.ints, n)
	return found
}

// Each calls fn for every member, in ascending order for an intset and in table order for
// a hash table, until fn returns false.
func (st *Set) Each(fn func(member []byte) bool) {
	if st.ht != nil {
		st.ht.each(func(m string) bool { return fn(stringBytes(m)) })
		return
	}
	var buf [20]byte
	for _, n := range st.ints {
		if !fn(strconv.AppendInt(buf[:0], n, 10)) {
			return
		}
	}
}

// Random returns a copy of a random member, or nil when the set is empty.
func (st *Set) Random() []byte {
	if st.Len() == 0 {
		return nil
	}
	if st.ht != nil {
		return []byte(st.ht.random())
	}
	return strconv.AppendInt(nil, st.ints[rand.IntN(len(st.ints))], 10)
}

// Pop removes a random member and returns it, or nil when the set is empty.
func (st *Set) Pop() []byte {
	m := st.Random()
	if m != nil {
		st.Remove(m)
	}
	return m
}

// PopN removes count random members, 0 < count < Len, and returns them in random order.
// Like Redis, when few members would remain (five times the remainder at most count) it
// rebuilds the set from the remaining members instead, which can take a hash table back
// to the intset encoding.
func (st *Set) PopN(count int) [][]byte {
	remaining := st.Len() - count
	if remaining*5 > count {
		out := make([][]byte, count)
		for i := range out {
			out[i] = st.Pop()
		}
		return out
	}
	all := st.RandomDistinct(st.Len()) // every member, shuffled
	fresh := &Set{limits: st.limits}
	for _, m := range all[:remaining] {
		fresh.Add(m)
	}
	st.ints, st.ht = fresh.ints, fresh.ht
	return all[remaining:]
}

// RandomDistinct returns count distinct random members, in random order; count must be
// at most Len.
func (st *Set) RandomDistinct(count int) [][]byte {
	all := make([][]byte, 0, st.Len())
	st.Each(func(m []byte) bool { all = append(all, []byte(string(m))); return true })
	for i := range count { // partial Fisher-Yates shuffle
		j := i + rand.IntN(len(all)-i)
		all[i], all[j] = all[j], all[i]
	}
	return all[:count]
}

// Scan calls fn for the members of one step of an incremental iteration that starts at
// cursor 0 and returns the cursor of the next step, 0 when the iteration is complete. An
// intset is returned whole. A hash table is walked a few buckets at a time, aiming at
// count members, in Redis's reverse-binary bucket order, so a member present during the
// whole iteration is returned at least once even when the table grows or shrinks between
// steps.
func (st *Set) Scan(cursor uint64, count int, fn func(member []byte)) uint64 {
	if st.ht == nil {
		st.Each(func(m []byte) bool { fn(m); return true })
		return 0
	}
	n, budget := 0, count*10
	for {
		cursor = st.ht.scan(cursor, func(m string) { fn(stringBytes(m)); n++ })
		budget--
		if cursor == 0 || budget <= 0 || n >= count {
			return cursor
		}
	}
}

// InterSets returns a new set holding the members common to every set in sets; a nil set
// counts as empty.
func (s *Store) InterSets(sets []*Set) *Set {
	out := s.NewSet()
	interEach(sets, 0, func(m []byte) { out.Add(m) })
	return out
}

// InterCard returns the number of members common to every set in sets, counting no further
// than limit when limit is positive; a nil set counts as empty.
func InterCard(sets []*Set, limit int) int {
	n := 0
	interEach(sets, limit, func([]byte) { n++ })
	return n
}

// interEach calls fn for every member of the intersection of sets, walking the smallest
// one, and stops after limit members when limit is positive.
func interEach(sets []*Set, limit int, fn func(m []byte)) {
	if len(sets) == 0 || slices.Contains(sets, nil) {
		return
	}
	sorted := slices.Clone(sets)
	slices.SortStableFunc(sorted, func(a, b *Set) int { return a.Len() - b.Len() })
	n := 0
	sorted[0].Each(func(m []byte) bool {
		for _, o := range sorted[1:] {
			if o != sorted[0] && !o.Contains(m) {
				return true
			}
		}
		fn(m)
		n++
		return limit <= 0 || n < limit
	})
}

// UnionSets returns a new set holding the members of every set in sets; nil sets are
// skipped.
func (s *Store) UnionSets(sets []*Set) *Set {
	out := s.NewSet()
	for _, set := range sets {
		if set != nil {
			set.Each(func(m []byte) bool { out.Add(m); return true })
		}
	}
	return out
}

// DiffSets returns a new set holding the members of the first set that are in none of the
// others; nil sets count as empty.
func (s *Store) DiffSets(sets []*Set) *Set {
	out := s.NewSet()
	if len(sets) == 0 || sets[0] == nil {
		return out
	}
	sets[0].Each(func(m []byte) bool {
		for _, o := range sets[1:] {
			if o != nil && o.Contains(m) {
				return true
			}
		}
		out.Add(m)
		return true
	})
	return out
}

// stringBytes returns the bytes of s without copying; they must not be modified.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// strTable is a chained hash table of distinct strings with a power-of-two bucket count,
// grown when the load passes 1 and shrunk when it falls under 1/8, like a Redis dict
// without the incremental rehashing.
type strTable struct {
	buckets [][]string
	n       int
	seed    maphash.Seed
}

// minStrTable is the smallest bucket count of a table.
const minStrTable = 4

func newStrTable(hint int) *strTable {
	return &strTable{buckets: make([][]string, tableSize(hint)), seed: maphash.MakeSeed()}
}

// tableSize returns the bucket count for n members.
func tableSize(n int) int {
	size := minStrTable
	for size < n {
		size <<= 1
	}
	return size
}

func (t *strTable) bucket(m []byte) int {
	return int(maphash.Bytes(t.seed, m) & uint64(len(t.buckets)-1))
}

func (t *strTable) contains(m []byte) bool {
	for _, e := range t.buckets[t.bucket(m)] {
		if e == string(m) {
			return true
		}
	}
	return false
}

// add adds m, copying it, and reports whether it was new.
func (t *strTable) add(m []byte) bool {
	b := t.bucket(m)
	for _, e := range t.buckets[b] {
		if e == string(m) {
			return false
		}
	}
	t.buckets[b] = append(t.buckets[b], string(m))
	t.n++
	if t.n > len(t.buckets) {
		t.rehash(len(t.buckets) * 2)
	}
	return true
}

func (t *strTable) remove(m []byte) bool {
	b := t.bucket(m)
	bk := t.buckets[b]
	for i, e := range bk {
		if e == string(m) {
			last := len(bk) - 1
			bk[i] = bk[last]
			bk[last] = ""
			t.buckets[b] = bk[:last]
			t.n--
			if len(t.buckets) > minStrTable && t.n*8 < len(t.buckets) {
				t.rehash(tableSize(t.n))
			}
			return true
		}
	}
	return false
}

func (t *strTable) rehash(size int) {
	old := t.buckets
	t.buckets = make([][]string, size)
	for _, bk := range old {
		for _, m := range bk {
			b := t.bucket(stringBytes(m))
			t.buckets[b] = append(t.buckets[b], m)
		}
	}
}

// memoryUsage returns the bytes of the table and its buckets, without the members.
func (t *strTable) memoryUsage() int {
	n := allocSize(int(unsafe.Sizeof(*t))) + allocSize(len(t.buckets)*int(unsafe.Sizeof([]string(nil))))
	for _, bk := range t.buckets {
		n += allocSize(cap(bk) * int(unsafe.Sizeof("")))
	}
	return n
}

func (t *strTable) each(fn func(m string) bool) {
	for _, bk := range t.buckets {
		for _, m := range bk {
			if !fn(m) {
				return
			}
		}
	}
}

// random returns a random member of a non-empty table: a random non-empty bucket, then a
// random member of it, as Redis's dictGetRandomKey does.
func (t *strTable) random() string {
	mask := len(t.buckets) - 1
	for {
		bk := t.buckets[rand.IntN(mask+1)]
		if len(bk) > 0 {
			return bk[rand.IntN(len(bk))]
		}
	}
}

// scan visits the bucket the cursor names and returns the next cursor, incrementing the
// reversed bits of the cursor as Redis's dictScan does.
func (t *strTable) scan(cursor uint64, fn func(m string)) uint64 {
	mask := uint64(len(t.buckets) - 1)
	for _, m := range t.buckets[cursor&mask] {
		fn(m)
	}
	cursor |= ^mask
	cursor = bits.Reverse64(cursor)
	cursor++
	return bits.Reverse64(cursor)
}
