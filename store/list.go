package store

import (
	"bytes"
	"encoding/binary"
)

// List is the data of a list value, kept like a Redis quicklist: a deque of packed nodes.
// Each node is one []byte: a two-byte little-endian element count, then the elements one
// after the other, each as uvarint(len), the bytes, and the same length again as a varint
// written backwards, so that a node can be walked from either end. A small list is a
// single node, one allocation however many elements it holds.
//
// Pushes and pops at both ends touch only the end node. Access by index walks the node
// counts and then the elements of one node; a cursor remembers the last position looked
// up so that walking a long list one index at a time stays linear.
//
// Redis 7.0 keeps every list in a quicklist, so OBJECT ENCODING always reports
// "quicklist" whatever the size; the listpack encoding of small lists came in 7.2.
//
// A *List is valid only while the caller holds its key's shard lock.
type List struct {
	nodes  [][]byte    // ring of nodes; len(nodes) is zero or a power of two
	nh, nn int32       // ring index of the first node, number of nodes
	n      int         // number of elements
	cur    *listCursor // last position looked up in a list of several nodes
}

// listCursor is a remembered element position: element i starts at byte off of node k
// (counted from the first node). i is -1 when the cursor is stale.
type listCursor struct{ i, k, off int }

const (
	// listNodeBytes is the size a node may grow to before a new one is started; a larger
	// element gets a node of its own.
	listNodeBytes = 4096
	// listNodeHeader is the size of a node's element count.
	listNodeHeader = 2
)

// Len returns the number of elements.
func (l *List) Len() int { return l.n }

// Encoding returns "quicklist", the only list encoding Redis 7.0 reports.
func (l *List) Encoding() string { return "quicklist" }

func (l *List) clone() object {
	c := &List{n: l.n, nn: l.nn}
	if l.nn > 0 {
		c.nodes = make([][]byte, len(l.nodes))
		for k := range int(l.nn) {
			c.nodes[k] = bytes.Clone(l.node(k))
		}
	}
	return c
}

// listNodeCount returns the number of elements in node buf.
func listNodeCount(buf []byte) int { return int(binary.LittleEndian.Uint16(buf)) }

// listSetNodeCount stores the number of elements of node buf.
func listSetNodeCount(buf []byte, c int) { binary.LittleEndian.PutUint16(buf, uint16(c)) }

// listUvarintLen returns the size of x as a uvarint.
func listUvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// listEntrySize returns the bytes an element of length n takes in a node.
func listEntrySize(n int) int { return 2*listUvarintLen(uint64(n)) + n }

// listPutEntry writes the entry of v at the start of dst, which must be listEntrySize(len(v))
// long.
func listPutEntry(dst, v []byte) {
	k := binary.PutUvarint(dst, uint64(len(v)))
	copy(dst[k:], v)
	end := len(dst)
	for j := range k {
		dst[end-1-j] = dst[j]
	}
}

// listEntryAt returns the element whose entry starts at off in buf and the offset of the
// next entry.
func listEntryAt(buf []byte, off int) ([]byte, int) {
	n, k := binary.Uvarint(buf[off:])
	start := off + k
	end := start + int(n)
	return buf[start:end], end + k
}

// listEntryBefore returns the element whose entry ends at end in buf and the offset where
// that entry starts.
func listEntryBefore(buf []byte, end int) ([]byte, int) {
	var n uint64
	i := end - 1
	for shift := 0; ; shift += 7 {
		b := buf[i]
		n |= uint64(b&0x7f) << shift
		if b < 0x80 {
			break
		}
		i--
	}
	k := end - i
	stop := end - k
	start := stop - int(n)
	return buf[start:stop], start - k
}

// listGrowBuf returns buf with room for extra more bytes. Small nodes grow to the next
// multiple of 16 bytes (a size class of the allocator), larger ones by a quarter, so that
// a small list wastes little memory.
func listGrowBuf(buf []byte, extra int) []byte {
	need := len(buf) + extra
	if need <= cap(buf) {
		return buf
	}
	size := (need + 15) &^ 15 // the allocator's size classes up to 256 bytes
	if need > 256 {
		size = max(need, cap(buf)+cap(buf)/4)
	}
	nb := make([]byte, len(buf), size)
	copy(nb, buf)
	return nb
}

// listNewNode returns a node holding v alone.
func listNewNode(v []byte) []byte {
	buf := make([]byte, listNodeHeader+listEntrySize(len(v)))
	listSetNodeCount(buf, 1)
	listPutEntry(buf[listNodeHeader:], v)
	return buf
}

// listFits reports whether an element of length n may be added to node buf.
func listFits(buf []byte, n int) bool {
	return len(buf)+listEntrySize(n) <= listNodeBytes && listNodeCount(buf) < 0xffff
}

// ring returns the ring index of node k.
func (l *List) ring(k int) int { return (int(l.nh) + k) & (len(l.nodes) - 1) }

// node returns node k (0 is the first).
func (l *List) node(k int) []byte { return l.nodes[l.ring(k)] }

// setNode replaces node k.
func (l *List) setNode(k int, buf []byte) { l.nodes[l.ring(k)] = buf }

// stale forgets the cursor, after any change to the list.
func (l *List) stale() {
	if l.cur != nil {
		l.cur.i = -1
	}
}

// resizeRing moves the nodes into a ring of the given size.
func (l *List) resizeRing(size int) {
	nodes := make([][]byte, size)
	for k := range int(l.nn) {
		nodes[k] = l.node(k)
	}
	l.nodes, l.nh = nodes, 0
}

// growRing makes room for one more node.
func (l *List) growRing() {
	if int(l.nn) == len(l.nodes) {
		size := 1
		for size <= int(l.nn) {
			size <<= 1
		}
		l.resizeRing(size)
	}
}

// shrinkRing releases memory after nodes are removed, keeping the ring a quarter full.
func (l *List) shrinkRing() {
	switch {
	case l.nn == 0:
		l.nodes, l.nh, l.cur = nil, 0, nil
	case len(l.nodes) > 1 && int(l.nn) <= len(l.nodes)/4:
		l.resizeRing(len(l.nodes) / 2)
	}
	if l.nn <= 1 {
		l.cur = nil
	}
}

// pushNodeLeft adds buf as the first node.
func (l *List) pushNodeLeft(buf []byte) {
	l.growRing()
	l.nh = int32((int(l.nh) - 1) & (len(l.nodes) - 1))
	l.nodes[l.nh] = buf
	l.nn++
}

// pushNodeRight adds buf as the last node.
func (l *List) pushNodeRight(buf []byte) {
	l.growRing()
	l.nodes[l.ring(int(l.nn))] = buf
	l.nn++
}

// dropNodeLeft removes the first node.
func (l *List) dropNodeLeft() {
	l.nodes[l.nh] = nil
	l.nh = int32((int(l.nh) + 1) & (len(l.nodes) - 1))
	l.nn--
	l.shrinkRing()
}

// dropNodeRight removes the last node.
func (l *List) dropNodeRight() {
	l.nodes[l.ring(int(l.nn)-1)] = nil
	l.nn--
	l.shrinkRing()
}

// linear returns the nodes in order, in a new slice.
func (l *List) linear() [][]byte {
	out := make([][]byte, l.nn)
	for k := range out {
		out[k] = l.node(k)
	}
	return out
}

// setLinear replaces the nodes with the given ones, in order, dropping empty ones and
// merging neighbours that fit in one node.
func (l *List) setLinear(nodes [][]byte) {
	w := 0
	for _, buf := range nodes {
		c := listNodeCount(buf)
		switch {
		case c == 0:
		case w > 0 && len(nodes[w-1])+len(buf)-listNodeHeader <= listNodeBytes:
			prev := append(nodes[w-1], buf[listNodeHeader:]...)
			listSetNodeCount(prev, listNodeCount(prev)+c)
			nodes[w-1] = prev
		default:
			nodes[w] = buf
			w++
		}
	}
	clear(nodes[w:])
	nodes = nodes[:w]
	l.nn, l.nh = int32(len(nodes)), 0
	if len(nodes) == 0 {
		l.nodes, l.cur = nil, nil
		return
	}
	size := 1
	for size < len(nodes) {
		size <<= 1
	}
	l.nodes = make([][]byte, size)
	copy(l.nodes, nodes)
	if l.nn <= 1 {
		l.cur = nil
	}
}

// PushLeft inserts a copy of v at the head.
func (l *List) PushLeft(v []byte) {
	l.stale()
	l.n++
	if l.nn == 0 || !listFits(l.node(0), len(v)) {
		l.pushNodeLeft(listNewNode(v))
		return
	}
	buf := l.node(0)
	size := listEntrySize(len(v))
	buf = listGrowBuf(buf, size)
	old := len(buf)
	buf = buf[:old+size]
	copy(buf[listNodeHeader+size:], buf[listNodeHeader:old])
	listPutEntry(buf[listNodeHeader:listNodeHeader+size], v)
	listSetNodeCount(buf, listNodeCount(buf)+1)
	l.setNode(0, buf)
}

// PushRight appends a copy of v at the tail.
func (l *List) PushRight(v []byte) {
	l.stale()
	l.n++
	last := int(l.nn) - 1
	if l.nn == 0 || !listFits(l.node(last), len(v)) {
		l.pushNodeRight(listNewNode(v))
		return
	}
	buf := l.node(last)
	size := listEntrySize(len(v))
	buf = listGrowBuf(buf, size)
	old := len(buf)
	buf = buf[:old+size]
	listPutEntry(buf[old:], v)
	listSetNodeCount(buf, listNodeCount(buf)+1)
	l.setNode(last, buf)
}

// PopLeft removes and returns the first element, nil when the list is empty. The caller
// may keep the returned slice.
func (l *List) PopLeft() []byte {
	if l.n == 0 {
		return nil
	}
	l.stale()
	l.n--
	buf := l.node(0)
	e, next := listEntryAt(buf, listNodeHeader)
	v := bytes.Clone(e)
	if c := listNodeCount(buf) - 1; c == 0 {
		l.dropNodeLeft()
	} else {
		buf = append(buf[:listNodeHeader], buf[next:]...)
		listSetNodeCount(buf, c)
		l.setNode(0, buf)
	}
	return v
}

// PopRight removes and returns the last element, nil when the list is empty. The caller
// may keep the returned slice.
func (l *List) PopRight() []byte {
	if l.n == 0 {
		return nil
	}
	l.stale()
	l.n--
	last := int(l.nn) - 1
	buf := l.node(last)
	e, start := listEntryBefore(buf, len(buf))
	v := bytes.Clone(e)
	if c := listNodeCount(buf) - 1; c == 0 {
		l.dropNodeRight()
	} else {
		buf = buf[:start]
		listSetNodeCount(buf, c)
		l.setNode(last, buf)
	}
	return v
}

// locate returns the node k and the byte offset off in it of element i, which must be in
// range.
func (l *List) locate(i int) (k, off int) {
	if l.nn == 1 {
		return 0, l.seek(0, i, listNodeCount(l.node(0)))
	}
	if c := l.cur; c != nil && c.i >= 0 {
		switch i {
		case c.i:
			return c.k, c.off
		case c.i + 1:
			buf := l.node(c.k)
			_, next := listEntryAt(buf, c.off)
			k, off = c.k, next
			if next == len(buf) {
				k, off = c.k+1, listNodeHeader
			}
			c.i, c.k, c.off = i, k, off
			return k, off
		case c.i - 1:
			k = c.k
			if c.off == listNodeHeader {
				k--
				_, off = listEntryBefore(l.node(k), len(l.node(k)))
			} else {
				_, off = listEntryBefore(l.node(k), c.off)
			}
			c.i, c.k, c.off = i, k, off
			return k, off
		}
	}
	first := 0 // index of the first element of node k
	if i < l.n/2 {
		for k = 0; ; k++ {
			c := listNodeCount(l.node(k))
			if i < first+c {
				break
			}
			first += c
		}
	} else {
		first = l.n
		for k = int(l.nn) - 1; ; k-- {
			first -= listNodeCount(l.node(k))
			if i >= first {
				break
			}
		}
	}
	buf := l.node(k)
	off = l.seek(k, i-first, listNodeCount(buf))
	if l.cur == nil {
		l.cur = new(listCursor)
	}
	l.cur.i, l.cur.k, l.cur.off = i, k, off
	return k, off
}

// seek returns the byte offset of element j of node k, which holds c elements, walking
// from the nearer end.
func (l *List) seek(k, j, c int) int {
	buf := l.node(k)
	if j <= c/2 {
		off := listNodeHeader
		for range j {
			_, off = listEntryAt(buf, off)
		}
		return off
	}
	off := len(buf)
	for range c - j {
		_, off = listEntryBefore(buf, off)
	}
	return off
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
	k, off := l.locate(i)
	v, _ := listEntryAt(l.node(k), off)
	return v, true
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
	k, off := l.locate(i)
	l.stale()
	buf := l.node(k)
	_, end := listEntryAt(buf, off)
	l.splice(k, off, end, v, 0)
	return true
}

// splice replaces the bytes off..end of node k with the entry of v, adding added to the
// node's count, and splits the node when it has grown too large.
func (l *List) splice(k, off, end int, v []byte, added int) {
	buf := l.node(k)
	size := listEntrySize(len(v))
	if d := size - (end - off); d > 0 {
		buf = listGrowBuf(buf, d)
		old := len(buf)
		buf = buf[:old+d]
		copy(buf[end+d:], buf[end:old])
	} else if d < 0 {
		buf = append(buf[:off+size], buf[end:]...)
	}
	listPutEntry(buf[off:off+size], v)
	listSetNodeCount(buf, listNodeCount(buf)+added)
	l.setNode(k, buf)
	if len(buf) > listNodeBytes && listNodeCount(buf) > 1 {
		l.split(k)
	}
}

// split repacks node k, which has grown too large, into nodes of at most listNodeBytes
// (an element larger than that alone in its node).
func (l *List) split(k int) {
	buf := l.node(k)
	var parts [][]byte
	var cur []byte
	for off := listNodeHeader; off < len(buf); {
		start := off
		_, off = listEntryAt(buf, off)
		if cur == nil || len(cur)+off-start > listNodeBytes {
			if cur != nil {
				parts = append(parts, cur)
			}
			cur = make([]byte, listNodeHeader, min(listNodeBytes, listNodeHeader+len(buf)-start))
		}
		cur = append(cur, buf[start:off]...)
		listSetNodeCount(cur, listNodeCount(cur)+1)
	}
	parts = append(parts, cur)
	nodes := l.linear()
	nodes = append(nodes[:k], append(parts, nodes[k+1:]...)...)
	l.setLinear(nodes)
}

// Range calls fn with the elements from start to stop inclusive, which must be within
// 0..Len()-1, in order. The slices are the list's own: do not modify or keep them.
func (l *List) Range(start, stop int, fn func(v []byte)) {
	if start > stop {
		return
	}
	k, off := l.locate(start)
	buf := l.node(k)
	for i := start; i <= stop; i++ {
		if off == len(buf) {
			k++
			buf, off = l.node(k), listNodeHeader
		}
		var v []byte
		v, off = listEntryAt(buf, off)
		fn(v)
	}
}

// Find returns the position of the first element equal to v, -1 when there is none.
func (l *List) Find(v []byte) int {
	i := 0
	for k := range int(l.nn) {
		buf := l.node(k)
		for off := listNodeHeader; off < len(buf); i++ {
			var e []byte
			e, off = listEntryAt(buf, off)
			if bytes.Equal(e, v) {
				return i
			}
		}
	}
	return -1
}

// Insert inserts a copy of v before position i, 0 <= i <= Len().
func (l *List) Insert(i int, v []byte) {
	switch {
	case i == 0:
		l.PushLeft(v)
		return
	case i == l.n:
		l.PushRight(v)
		return
	}
	k, off := l.locate(i)
	l.stale()
	l.n++
	l.splice(k, off, off, v, 1)
}

// Remove removes up to count elements equal to v, as LREM does: from the head when
// count > 0, from the tail when count < 0, all of them when count is 0. It returns how
// many it removed.
func (l *List) Remove(count int, v []byte) int {
	matches := 0
	for k := range int(l.nn) {
		buf := l.node(k)
		for off := listNodeHeader; off < len(buf); {
			var e []byte
			e, off = listEntryAt(buf, off)
			if bytes.Equal(e, v) {
				matches++
			}
		}
	}
	if matches == 0 {
		return 0
	}
	// Remove the matches numbered skip+1 .. skip+limit, counting from the head.
	skip, limit := 0, matches
	switch {
	case count > 0:
		limit = min(count, matches)
	case count < 0 && -count < matches:
		limit = -count
		skip = matches - limit
	}
	l.stale()
	seen, removed := 0, 0
	for k := range int(l.nn) {
		buf := l.node(k)
		w, c := listNodeHeader, 0
		for off := listNodeHeader; off < len(buf); {
			start := off
			var e []byte
			e, off = listEntryAt(buf, off)
			if removed < limit && bytes.Equal(e, v) {
				seen++
				if seen > skip {
					removed++
					continue
				}
			}
			w += copy(buf[w:], buf[start:off])
			c++
		}
		buf = buf[:w]
		listSetNodeCount(buf, c)
		l.setNode(k, buf)
	}
	l.n -= removed
	l.setLinear(l.linear())
	return removed
}

// Trim keeps only the elements from start to stop inclusive; an empty range (start > stop,
// or start >= Len()) removes every element. start and stop must not be negative.
func (l *List) Trim(start, stop int) {
	stop = min(stop, l.n-1)
	if start > stop {
		*l = List{}
		return
	}
	l.stale()
	l.dropLeft(start)
	l.dropRight(l.n - (stop - start + 1))
}

// dropLeft removes the first m elements.
func (l *List) dropLeft(m int) {
	l.n -= m
	for m > 0 {
		buf := l.node(0)
		c := listNodeCount(buf)
		if m >= c {
			l.dropNodeLeft()
			m -= c
			continue
		}
		off := l.seek(0, m, c)
		buf = append(buf[:listNodeHeader], buf[off:]...)
		listSetNodeCount(buf, c-m)
		l.setNode(0, buf)
		return
	}
}

// dropRight removes the last m elements.
func (l *List) dropRight(m int) {
	l.n -= m
	for m > 0 {
		last := int(l.nn) - 1
		buf := l.node(last)
		c := listNodeCount(buf)
		if m >= c {
			l.dropNodeRight()
			m -= c
			continue
		}
		off := l.seek(last, c-m, c)
		buf = buf[:off]
		listSetNodeCount(buf, c-m)
		l.setNode(last, buf)
		return
	}
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

// PutList stores a list of elems, copied, at key in place of any value of any type and its
// TTL, as SORT ... STORE does; no elems deletes key instead. It reports whether a key was
// deleted. The caller must hold the key's shard lock.
func (s *Store) PutList(db int, key []byte, elems [][]byte) (deleted bool) {
	if len(elems) == 0 {
		return s.Delete(db, key)
	}
	l := new(List)
	for _, e := range elems {
		l.PushRight(e)
	}
	putObject(s, db, key, TypeList, l)
	return false
}
