package store

import "bytes"

// List is the data of a list value: a ring buffer of elements. A ring buffer gives O(1)
// amortized pushes and pops at both ends and O(1) access by index (LINDEX, LSET, LRANGE
// from any offset); inserting or removing in the middle moves the shorter side, at most
// half the elements. Each element is a copy the list owns.
//
// Redis 7.0 keeps every list in a quicklist, so OBJECT ENCODING always reports
// "quicklist" whatever the size; the listpack encoding of small lists came in 7.2.
//
// A *List is valid only while the caller holds its key's shard lock.
type List struct {
	ring [][]byte // len(ring) is zero or a power of two
	head int      // index in ring of the first element
	n    int      // number of elements
}

// minListRing is the smallest ring a list allocates.
const minListRing = 4

// Len returns the number of elements.
func (l *List) Len() int { return l.n }

// Encoding returns "quicklist", the only list encoding Redis 7.0 reports.
func (l *List) Encoding() string { return "quicklist" }

func (l *List) clone() object {
	c := &List{n: l.n}
	if l.n > 0 {
		c.ring = make([][]byte, ringSize(l.n))
		for i := range l.n {
			c.ring[i] = bytes.Clone(l.at(i))
		}
	}
	return c
}

// ringSize returns the ring length that holds n elements.
func ringSize(n int) int {
	size := minListRing
	for size < n {
		size <<= 1
	}
	return size
}

// slot returns the ring index of element i.
func (l *List) slot(i int) int { return (l.head + i) & (len(l.ring) - 1) }

// at returns element i, which must be in range.
func (l *List) at(i int) []byte { return l.ring[l.slot(i)] }

// resize moves the elements into a ring of the given size.
func (l *List) resize(size int) {
	ring := make([][]byte, size)
	for i := range l.n {
		ring[i] = l.at(i)
	}
	l.ring, l.head = ring, 0
}

// grow makes room for one more element.
func (l *List) grow() {
	if l.n == len(l.ring) {
		l.resize(ringSize(l.n + 1))
	}
}

// shrink releases memory after removals, keeping the ring at least a quarter full.
func (l *List) shrink() {
	if len(l.ring) > minListRing && l.n <= len(l.ring)/4 {
		l.resize(ringSize(max(l.n*2, minListRing)))
	}
}

// PushLeft inserts a copy of v at the head.
func (l *List) PushLeft(v []byte) {
	l.grow()
	l.head = (l.head - 1) & (len(l.ring) - 1)
	l.ring[l.head] = bytes.Clone(v)
	l.n++
}

// PushRight appends a copy of v at the tail.
func (l *List) PushRight(v []byte) {
	l.grow()
	l.ring[l.slot(l.n)] = bytes.Clone(v)
	l.n++
}

// PopLeft removes and returns the first element, nil when the list is empty. The caller
// may keep the returned slice.
func (l *List) PopLeft() []byte {
	if l.n == 0 {
		return nil
	}
	v := l.ring[l.head]
	l.ring[l.head] = nil
	l.head = (l.head + 1) & (len(l.ring) - 1)
	l.n--
	l.shrink()
	return v
}

// PopRight removes and returns the last element, nil when the list is empty. The caller
// may keep the returned slice.
func (l *List) PopRight() []byte {
	if l.n == 0 {
		return nil
	}
	s := l.slot(l.n - 1)
	v := l.ring[s]
	l.ring[s] = nil
	l.n--
	l.shrink()
	return v
}

// Index returns element i (0 is the head; negative counts from the tail, -1 being the
// last) and whether it exists. The slice is the list's own: do not modify or keep it.
func (l *List) Index(i int) ([]byte, bool) {
	if i < 0 {
		i += l.n
	}
	if i < 0 || i >= l.n {
		return nil, false
	}
	return l.at(i), true
}

// Set replaces element i (negative counts from the tail) with a copy of v and reports
// whether i was in range.
func (l *List) Set(i int, v []byte) bool {
	if i < 0 {
		i += l.n
	}
	if i < 0 || i >= l.n {
		return false
	}
	l.ring[l.slot(i)] = bytes.Clone(v)
	return true
}

// Range calls fn with the elements from start to stop inclusive, which must be within
// 0..Len()-1, in order. The slices are the list's own: do not modify or keep them.
func (l *List) Range(start, stop int, fn func(v []byte)) {
	for i := start; i <= stop; i++ {
		fn(l.at(i))
	}
}

// Find returns the position of the first element equal to v, -1 when there is none.
func (l *List) Find(v []byte) int {
	for i := range l.n {
		if bytes.Equal(l.at(i), v) {
			return i
		}
	}
	return -1
}

// Insert inserts a copy of v before position i, 0 <= i <= Len(), moving the shorter side.
func (l *List) Insert(i int, v []byte) {
	l.grow()
	mask := len(l.ring) - 1
	if i < l.n-i {
		l.head = (l.head - 1) & mask
		for j := range i {
			l.ring[l.slot(j)] = l.ring[l.slot(j+1)]
		}
	} else {
		for j := l.n; j > i; j-- {
			l.ring[l.slot(j)] = l.ring[l.slot(j-1)]
		}
	}
	l.ring[l.slot(i)] = bytes.Clone(v)
	l.n++
}

// Remove removes up to count elements equal to v, as LREM does: from the head when
// count > 0, from the tail when count < 0, all of them when count is 0. It returns how
// many it removed.
func (l *List) Remove(count int, v []byte) int {
	keep := make([]bool, l.n)
	removed := 0
	limit := count
	if limit < 0 {
		limit = -limit
	}
	for k := range l.n {
		i := k
		if count < 0 {
			i = l.n - 1 - k
		}
		if (limit == 0 || removed < limit) && bytes.Equal(l.at(i), v) {
			removed++
			continue
		}
		keep[i] = true
	}
	if removed == 0 {
		return 0
	}
	w := 0
	for i := range l.n {
		if keep[i] {
			l.ring[l.slot(w)] = l.at(i)
			w++
		}
	}
	for i := w; i < l.n; i++ {
		l.ring[l.slot(i)] = nil
	}
	l.n = w
	l.shrink()
	return removed
}

// Trim keeps only the elements from start to stop inclusive; an empty range (start > stop,
// or start >= Len()) removes every element. start and stop must not be negative.
func (l *List) Trim(start, stop int) {
	stop = min(stop, l.n-1)
	if start > stop {
		start, stop = 0, -1
	}
	for i := stop + 1; i < l.n; i++ {
		l.ring[l.slot(i)] = nil
	}
	for i := range start {
		l.ring[l.slot(i)] = nil
	}
	l.head = l.slot(start)
	l.n = stop - start + 1
	if l.n == 0 {
		l.head = 0
	}
	l.shrink()
}

// List returns the list stored at key, nil when the key is absent, or [ErrWrongType]. It
// counts as an access. The caller must hold the key's shard lock.
func (s *Store) List(db int, key []byte) (*List, error) {
	return lookupObject[*List](s, db, key, TypeList)
}

// ListForWrite returns the list stored at key, creating an empty one when the key is
// absent, or [ErrWrongType]. A caller that adds nothing to a new list must remove it with
// [Store.DeleteIfEmpty]. The caller must hold the key's shard lock.
func (s *Store) ListForWrite(db int, key []byte) (*List, error) {
	return createObject(s, db, key, TypeList, func() *List { return new(List) })
}
