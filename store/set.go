package store

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync/atomic"
)

// Set is the data of a set value. Like Redis 7.0 it has two encodings: "intset", sorted
// int64s used while every member is a canonical decimal integer and the count is at most
// set-max-intset-entries, and "hashtable", a [memberTable] of strings. A set converts
// from intset to hashtable when a non-integer member arrives or the count passes the
// limit, and never back. An intset keeps its integers in the table's arena, little-endian
// and ascending, with no index, so that a Set stays one 64-byte allocation.
//
// Members handed to callbacks are valid only during the call and must not be modified.
// A *Set is valid only while the caller holds its key's shard lock.
type Set struct {
	tab    memberTable
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
	if set.Len() == 0 {
		return s.Delete(db, key)
	}
	set.limits = &s.limits
	putObject(s, db, key, TypeSet, set)
	return false
}

// Len returns the number of members.
func (st *Set) Len() int {
	if st.hashtable() {
		return int(st.tab.n)
	}
	return st.intCount()
}

// hashtable reports whether the set has the hashtable encoding.
func (st *Set) hashtable() bool { return st.tab.slots != nil }

// Encoding returns "intset" or "hashtable".
func (st *Set) Encoding() string {
	if st.hashtable() {
		return "hashtable"
	}
	return "intset"
}

func (st *Set) clone() object {
	c := &Set{limits: st.limits}
	c.tab = st.tab.clone()
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

// intCount returns the number of members of an intset.
func (st *Set) intCount() int { return len(st.tab.arena) / 8 }

// intAt returns the i-th member of an intset.
func (st *Set) intAt(i int) int64 {
	return int64(binary.LittleEndian.Uint64(st.tab.arena[8*i:]))
}

// intFind returns the position of n in an intset and true, or the position where n would
// be inserted and false.
func (st *Set) intFind(n int64) (int, bool) {
	lo, hi := 0, st.intCount()
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if st.intAt(mid) < n {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < st.intCount() && st.intAt(lo) == n
}

// intInsert inserts n at position i of an intset.
func (st *Set) intInsert(i int, n int64) {
	st.tab.reserve(8)
	a := st.tab.arena[:len(st.tab.arena)+8]
	copy(a[8*i+8:], a[8*i:])
	binary.LittleEndian.PutUint64(a[8*i:], uint64(n))
	st.tab.arena = a
}

// intDelete removes the member at position i of an intset.
func (st *Set) intDelete(i int) {
	a := st.tab.arena
	copy(a[8*i:], a[8*i+8:])
	st.tab.arena = a[:len(a)-8]
}

// convert moves the members of an intset into a hash table with room for hint members.
func (st *Set) convert(hint int) {
	ints := st.tab.arena
	st.tab = newMemberTable(hint)
	var buf [20]byte
	for i := 0; i < len(ints); i += 8 {
		st.tab.add(strconv.AppendInt(buf[:0], int64(binary.LittleEndian.Uint64(ints[i:])), 10))
	}
}

// Add adds member, copying it, and reports whether it was new.
func (st *Set) Add(member []byte) bool {
	if !st.hashtable() {
		if n, ok := parseInt(member); ok {
			i, found := st.intFind(n)
			if found {
				return false
			}
			st.intInsert(i, n)
			if int64(st.intCount()) > st.maxInts() {
				st.convert(st.intCount())
			}
			return true
		}
		st.convert(st.intCount() + 1)
	}
	return st.tab.add(member)
}

// Remove removes member and reports whether it was present.
func (st *Set) Remove(member []byte) bool {
	if st.hashtable() {
		return st.tab.remove(member)
	}
	n, ok := parseInt(member)
	if !ok {
		return false
	}
	i, found := st.intFind(n)
	if found {
		st.intDelete(i)
	}
	return found
}

// Contains reports whether member is in the set.
func (st *Set) Contains(member []byte) bool {
	if st.hashtable() {
		return st.tab.contains(member)
	}
	n, ok := parseInt(member)
	if !ok {
		return false
	}
	_, found := st.intFind(n)
	return found
}

// Each calls fn for every member, in ascending order for an intset and in insertion order
// for a hash table, until fn returns false.
func (st *Set) Each(fn func(member []byte) bool) {
	if st.hashtable() {
		st.tab.each(fn)
		return
	}
	var buf [20]byte
	for i := range st.intCount() {
		if !fn(strconv.AppendInt(buf[:0], st.intAt(i), 10)) {
			return
		}
	}
}

// Random returns a copy of a member chosen uniformly, or nil when the set is empty.
func (st *Set) Random() []byte {
	if st.Len() == 0 {
		return nil
	}
	return st.appendAt(nil, st.randomPos())
}

// randomPos returns the position of a member chosen uniformly in a non-empty set: an
// index of ints, or a live slot of the table.
func (st *Set) randomPos() int {
	if st.hashtable() {
		return st.tab.randomSlot()
	}
	return rand.IntN(st.intCount())
}

// appendAt appends the member at position pos (see randomPos) to dst.
func (st *Set) appendAt(dst []byte, pos int) []byte {
	if st.hashtable() {
		return append(dst, st.tab.slotMember(st.tab.slots[pos])...)
	}
	return strconv.AppendInt(dst, st.intAt(pos), 10)
}

// Pop removes a member chosen uniformly and returns it, or nil when the set is empty.
func (st *Set) Pop() []byte {
	if st.Len() == 0 {
		return nil
	}
	pos := st.randomPos()
	m := st.appendAt(nil, pos)
	if st.hashtable() {
		st.tab.removeAt(pos)
	} else {
		st.intDelete(pos)
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
	st.tab = fresh.tab
	return all[remaining:]
}

// RandomDistinct returns copies of count distinct random members, in random order; count
// must be at most Len. A small count draws members at random, rejecting repeats, so it
// costs O(count) on a large set; a large one shuffles the positions of all members.
func (st *Set) RandomDistinct(count int) [][]byte {
	var pos []int
	if count*3 <= st.Len() {
		pos = make([]int, 0, count)
		seen := make(map[int]struct{}, count)
		for len(pos) < count {
			p := st.randomPos()
			if _, dup := seen[p]; !dup {
				seen[p] = struct{}{}
				pos = append(pos, p)
			}
		}
	} else {
		if st.hashtable() {
			pos = st.tab.liveSlots()
		} else {
			pos = make([]int, st.intCount())
			for i := range pos {
				pos[i] = i
			}
		}
		for i := range count { // partial Fisher-Yates shuffle
			j := i + rand.IntN(len(pos)-i)
			pos[i], pos[j] = pos[j], pos[i]
		}
		pos = pos[:count]
	}
	// One buffer for all the copies: two passes, so that it never moves.
	size := 0
	for _, p := range pos {
		if st.hashtable() {
			size += len(st.tab.slotMember(st.tab.slots[p]))
		} else {
			size += intLen(st.intAt(p))
		}
	}
	buf := make([]byte, 0, size)
	out := make([][]byte, len(pos))
	for i, p := range pos {
		start := len(buf)
		buf = st.appendAt(buf, p)
		out[i] = buf[start:len(buf):len(buf)]
	}
	return out
}

// Scan calls fn for the members of one step of an incremental iteration that starts at
// cursor 0 and returns the cursor of the next step, 0 when the iteration is complete. An
// intset is returned whole. A hash table is walked a few home slots at a time, aiming at
// count members, in Redis's reverse-binary order, so a member present during the whole
// iteration is returned at least once even when the table grows or shrinks between
// steps.
func (st *Set) Scan(cursor uint64, count int, fn func(member []byte)) uint64 {
	if !st.hashtable() {
		st.Each(func(m []byte) bool { fn(m); return true })
		return 0
	}
	n, budget := 0, count*10
	for {
		cursor = st.tab.scan(cursor, func(m []byte) { fn(m); n++ })
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
