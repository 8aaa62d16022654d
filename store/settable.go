package store

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// memberTable is the hashtable encoding of a set: the members' bytes packed one after
// another in one arena, and an open-addressing index of 8 bytes a slot (linear probing
// kept in Robin Hood order, a power-of-two slot count, at most 3/4 of the slots used)
// that points into it. A Go map or a chained table pays a string header, a bucket entry
// and an allocation per member; this pays the member's length and a byte or so of prefix
// in the arena, plus 11 to 21 bytes of index, in two allocations for the whole set.
//
// Along a run of occupied slots, members appear in the order of their home slots (the
// low bits of their hashes), each at or after its home: an insertion shifts the rest of
// the run forward by one, and a removal shifts it back (no tombstones). So a lookup stops
// at the first member whose home lies after its own, and a SCAN step finds the members
// of one home slot next to each other.
//
// An arena entry is a uvarint of the member's length shifted left by one, whose low bit
// marks a removed member, then the member's bytes. Removing a member marks its entry
// dead; the dead bytes go at the next rebuild, which happens when the index fills up,
// when it is mostly empty, or when the dead bytes pass the live ones, so every operation
// stays O(1) amortized.
//
// A slot is 0 (empty) or the entry's offset plus one shifted left by fragBits, under the
// low fragBits bits of the member's hash. Those bits filter probes without reading the
// arena, and they are also the slot's home bits while the index has at most 2^fragBits
// slots; 40 bits of offset allow an arena of a terabyte.
type memberTable struct {
	slots []uint64
	arena []byte
	n     uint32 // live members; a set's index outgrows memory long before 2^32
	dead  uint32 // bytes of dead entries in arena; compacted before 2^31
}

const (
	slotEmpty = 0
	fragBits  = 24
	fragMask  = 1<<fragBits - 1
	// minMemberTable is the smallest slot count of an index.
	minMemberTable = 4
)

// homeFrag is the part of a fragment that dist trusts for the home slot: all of it. Tests
// lower it to take the path of indexes larger than a fragment can address.
var homeFrag = fragMask

// memberSeed seeds the hash of set members. It is process-wide: indexes are rebuilt,
// never shared between processes.
var memberSeed = maphash.MakeSeed()

func memberHash(m []byte) uint64 { return maphash.Bytes(memberSeed, m) }

// maxUsed returns the most members an index of size slots holds.
func maxUsed(size int) int { return size / 4 * 3 }

// indexSize returns the slot count for n members: the smallest power of two that n
// fills at most to the half, so that an index rebuilt for n members takes a quarter of
// its size in insertions before it must be rebuilt again.
func indexSize(n int) int {
	size := minMemberTable
	for size < 2*n {
		size <<= 1
	}
	return size
}

// newMemberTable returns an empty table with room for hint members.
func newMemberTable(hint int) memberTable {
	size := minMemberTable
	for maxUsed(size) < hint {
		size <<= 1
	}
	return memberTable{slots: make([]uint64, size)}
}

func makeSlot(off int, h uint64) uint64 { return uint64(off+1)<<fragBits | h&fragMask }

// entry returns the member whose entry starts at off, and the entry's end.
func (t *memberTable) entry(off int) (m []byte, end int) { return entryAt(t.arena, off) }

// entryAt returns the member of the arena entry at off, and the entry's end.
func entryAt(arena []byte, off int) (m []byte, end int) {
	if v := arena[off]; v < 0x80 { // a member shorter than 64 bytes
		end = off + 1 + int(v>>1)
		return arena[off+1 : end], end
	}
	v, k := binary.Uvarint(arena[off:])
	end = off + k + int(v>>1)
	return arena[off+k : end], end
}

// slotMember returns the member of live slot s.
func (t *memberTable) slotMember(s uint64) []byte {
	m, _ := t.entry(int(s>>fragBits) - 1)
	return m
}

// dist returns how far live slot s, found at slot i, lies after its home slot: the low
// bits of its member's hash.
func (t *memberTable) dist(s uint64, i int) int {
	mask := len(t.slots) - 1
	if mask <= homeFrag {
		return (i - int(s)) & mask
	}
	return (i - int(memberHash(t.slotMember(s)))) & mask
}

// find returns the slot of m, whose hash is h, and true; or, when m is absent, the slot
// where m belongs in Robin Hood order and false.
func (t *memberTable) find(m []byte, h uint64) (int, bool) {
	mask := len(t.slots) - 1
	frag := h & fragMask
	for i, d := int(h)&mask, 0; ; i, d = (i+1)&mask, d+1 {
		switch s := t.slots[i]; {
		case s == slotEmpty || t.dist(s, i) < d:
			return i, false
		case s&fragMask == frag && bytes.Equal(t.slotMember(s), m):
			return i, true
		}
	}
}

// insertAt puts slot s at slot i, where find placed it, shifting the rest of the run
// forward by one.
func (t *memberTable) insertAt(i int, s uint64) {
	mask := len(t.slots) - 1
	for s != slotEmpty {
		t.slots[i], s = s, t.slots[i]
		i = (i + 1) & mask
	}
}

func (t *memberTable) contains(m []byte) bool {
	_, ok := t.find(m, memberHash(m))
	return ok
}

// add adds m, copying it, and reports whether it was new.
func (t *memberTable) add(m []byte) bool {
	h := memberHash(m)
	i, ok := t.find(m, h)
	if ok {
		return false
	}
	if int(t.n) >= maxUsed(len(t.slots)) {
		t.rebuild(indexSize(int(t.n) + 1))
		i, _ = t.find(m, h)
	}
	t.insertAt(i, makeSlot(t.appendEntry(m), h))
	t.n++
	return true
}

// appendEntry appends an entry for m to the arena and returns its offset.
func (t *memberTable) appendEntry(m []byte) int {
	off := len(t.arena)
	var hdr [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(hdr[:], uint64(len(m))<<1)
	t.reserve(k + len(m))
	t.arena = append(append(t.arena, hdr[:k]...), m...)
	return off
}

// reserve makes room in the arena for k more bytes. The arena grows by half, not double,
// and to the end of the allocator's size class, because most sets stop growing early
// and keep whatever capacity they got.
func (t *memberTable) reserve(k int) {
	if need := len(t.arena) + k; need > cap(t.arena) {
		grown := make([]byte, len(t.arena), allocSize(max(need, cap(t.arena)+cap(t.arena)/2)))
		copy(grown, t.arena)
		t.arena = grown
	}
}

func (t *memberTable) remove(m []byte) bool {
	i, ok := t.find(m, memberHash(m))
	if ok {
		t.removeAt(i)
	}
	return ok
}

// removeAt removes the member of live slot i.
func (t *memberTable) removeAt(i int) {
	off := int(t.slots[i]>>fragBits) - 1
	_, end := t.entry(off)
	t.arena[off] |= 1 // the low bit of a uvarint's first byte is the value's low bit
	t.dead += uint32(end - off)
	// Shift the rest of the run back by one, up to a member already at its home.
	mask := len(t.slots) - 1
	for j := (i + 1) & mask; ; i, j = j, (j+1)&mask {
		s := t.slots[j]
		if s == slotEmpty || t.dist(s, j) == 0 {
			break
		}
		t.slots[i] = s
	}
	t.slots[i] = slotEmpty
	t.n--
	switch size := len(t.slots); {
	case t.n == 0:
		// The shrinking below keeps the index at most 8 slots by now.
		clear(t.slots)
		t.arena, t.dead = nil, 0
	case size > minMemberTable && int(t.n) < size/8:
		t.rebuild(indexSize(int(t.n)))
	case t.dead >= 64 && 2*int(t.dead) > len(t.arena) || t.dead >= 1<<31:
		t.rebuild(size)
	}
}

// rebuild gives the table an index of size slots, and drops the arena's dead entries
// when it has any. It needs no hashing while the fragments hold the home bits: a
// compaction moves the live entries, in index order, and rewrites their slots in place;
// a resize moves every slot to its home in the new index.
func (t *memberTable) rebuild(size int) {
	old, oldArena := t.slots, t.arena
	compact := t.dead > 0
	if compact {
		t.arena = make([]byte, 0, allocSize(len(oldArena)-int(t.dead)))
		t.dead = 0
	}
	if size == len(old) {
		for i, s := range old {
			if s != slotEmpty && compact {
				old[i] = t.moveEntry(oldArena, s)
			}
		}
		return
	}
	t.slots = make([]uint64, size)
	mask := size - 1
	for _, s := range old {
		if s == slotEmpty {
			continue
		}
		if compact {
			s = t.moveEntry(oldArena, s)
		}
		home := int(s) & mask
		if mask > homeFrag {
			home = int(memberHash(t.slotMember(s))) & mask
		}
		i, d := home, 0
		for r := t.slots[i]; r != slotEmpty && t.dist(r, i) >= d; r = t.slots[i] {
			i, d = (i+1)&mask, d+1
		}
		t.insertAt(i, s)
	}
}

// moveEntry appends the entry of slot s, which lies in arena old, to the arena and
// returns the slot pointing to its new place.
func (t *memberTable) moveEntry(old []byte, s uint64) uint64 {
	off := int(s>>fragBits) - 1
	_, end := entryAt(old, off)
	s = makeSlot(len(t.arena), s)
	t.arena = append(t.arena, old[off:end]...)
	return s
}

// each calls fn for every member in arena order until fn returns false.
func (t *memberTable) each(fn func(m []byte) bool) {
	for off := 0; off < len(t.arena); {
		m, end := t.entry(off)
		if t.arena[off]&1 == 0 && !fn(m) {
			return
		}
		off = end
	}
}

// randomSlot returns a live slot chosen uniformly; the table must not be empty. At least
// one slot in eight is live (see removeAt), so few draws miss.
func (t *memberTable) randomSlot() int {
	mask := uint64(len(t.slots) - 1)
	for {
		if i := rand.Uint64() & mask; t.slots[i] != slotEmpty {
			return int(i)
		}
	}
}

// liveSlots returns the live slots.
func (t *memberTable) liveSlots() []int {
	out := make([]int, 0, t.n)
	for i, s := range t.slots {
		if s != slotEmpty {
			out = append(out, i)
		}
	}
	return out
}

// scan calls fn for the members whose home is the slot the cursor names, and returns the
// next cursor, incrementing the cursor's reversed bits as Redis's dictScan does. Those
// members sit together in the run through their home, after the members of earlier
// homes. Because a step covers exactly the members whose hash ends in the cursor's bits,
// a member present for the whole iteration is returned at least once even when the
// index is resized between steps.
func (t *memberTable) scan(cursor uint64, fn func(m []byte)) uint64 {
	mask := uint64(len(t.slots) - 1)
	home := int(cursor & mask)
	for i, k := home, 0; ; i, k = (i+1)&int(mask), k+1 {
		s := t.slots[i]
		if s == slotEmpty {
			break
		}
		if d := t.dist(s, i); d == k {
			fn(t.slotMember(s))
		} else if d < k {
			break // a later home
		}
	}
	return nextCursor(cursor, mask)
}

// nextCursor returns the cursor after cursor in an index of mask+1 slots: the cursor's
// low bits incremented in reverse, as Redis's dictScan does by reversing, incrementing
// and reversing again. Here the reversed cursor's trailing ones, its leading ones, turn
// to zeros and the zero after them to a one, which needs no bit reversal.
func nextCursor(cursor, mask uint64) uint64 {
	cursor |= ^mask
	ones := bits.LeadingZeros64(^cursor)
	if ones == 64 {
		return 0
	}
	top := uint64(1) << (63 - ones)
	return cursor&(top-1) | top
}

func (t *memberTable) clone() memberTable {
	c := *t
	c.slots = slices.Clone(t.slots)
	c.arena = slices.Clone(t.arena)
	return c
}

// memoryUsage returns the bytes of the index and the arena.
func (t *memberTable) memoryUsage() int {
	return allocSize(cap(t.slots)*8) + bytesSize(cap(t.arena))
}
