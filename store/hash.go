package store

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"
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
// encodings. "listpack" packs the entries into one byte slice in insertion order (an
// overwritten field keeps its place, a deleted one closes the gap) and is searched
// linearly; it is used while the hash has at most hash-max-listpack-entries fields and no
// field or value longer than hash-max-listpack-value bytes. "hashtable" keeps a dense slice
// of entries with an index by field; deleting moves the last entry into the gap. A hash
// converts to hashtable when a limit is passed and never back.
//
// The listpack is a sequence of entries, each the uvarint length of the field, the field,
// the uvarint length of the value and the value. Strings handed out point into it, so its
// bytes are never changed once written: a new entry is appended after the last one, and
// any other change builds a new slice.
//
// A *Hash is valid only while the caller holds its key's shard lock.
type Hash struct {
	// data, size and room are the listpack's pointer, length and capacity, kept as two
	// 32-bit numbers so that a small hash is a single 32-byte allocation besides its
	// listpack. room is hashtableRoom once the hash is a hashtable.
	data       *byte
	size, room uint32
	// ref is the store's *atomic.Pointer[EncodingLimits] while listpack and the
	// *hashTable once hashtable.
	ref unsafe.Pointer
	// at and off are the index and listpack offset of an entry, so that a walk through
	// the entries with [Hash.Entry] reads each once; 0, 0 is always valid.
	at, off uint32
}

// hashtableRoom is Hash.room of a hashtable.
const hashtableRoom = ^uint32(0)

// maxListpack is the longest listpack; a longer one converts to hashtable.
const maxListpack = 1<<31 - 1

// hashTable is the data of a hashtable-encoded hash.
type hashTable struct {
	entries []HashEntry
	index   map[string]int // position in entries by field
}

// HashEntry is one field and its value.
type HashEntry struct {
	Field, Value string
}

// NewHash returns an empty hash that follows the store's encoding limits.
func (s *Store) NewHash() *Hash { return &Hash{ref: unsafe.Pointer(&s.limits)} }

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

// table returns the hashtable, nil while the hash is a listpack.
func (h *Hash) table() *hashTable {
	if h.room != hashtableRoom {
		return nil
	}
	return (*hashTable)(h.ref)
}

// limits returns the encoding limits of a listpack.
func (h *Hash) limits() *EncodingLimits {
	return (*atomic.Pointer[EncodingLimits])(h.ref).Load()
}

// lp returns the listpack.
func (h *Hash) lp() []byte {
	if h.data == nil {
		return nil
	}
	return unsafe.Slice(h.data, h.room)[:h.size]
}

// setLP makes b the listpack, whose length and capacity are at most maxListpack.
func (h *Hash) setLP(b []byte) {
	h.data, h.size, h.room = unsafe.SliceData(b), uint32(len(b)), uint32(cap(b))
	if cap(b) == 0 {
		h.data = nil
	}
	h.at, h.off = 0, 0
}

// lpString returns b[i:i+n] as a string without copying; the bytes are never modified.
func lpString(b []byte, i, n int) string {
	if n == 0 {
		return ""
	}
	return unsafe.String(&b[i], n)
}

// lpLen reads the uvarint at b[i] and returns it and the offset after it.
func lpLen(b []byte, i int) (n, next int) {
	if c := b[i]; c < 0x80 {
		return int(c), i + 1
	}
	v, w := binary.Uvarint(b[i:])
	return int(v), i + w
}

// lpEntry decodes the entry at offset i of b: the offsets and lengths of its field and
// value, and the offset of the next entry.
func lpEntry(b []byte, i int) (fi, fn, vi, vn, next int) {
	fn, fi = lpLen(b, i)
	vn, vi = lpLen(b, fi+fn)
	return fi, fn, vi, vn, vi + vn
}

// lpAppend appends the entry field, value to b.
func lpAppend(b, field []byte, value string) []byte {
	b = binary.AppendUvarint(b, uint64(len(field)))
	b = append(b, field...)
	b = binary.AppendUvarint(b, uint64(len(value)))
	return append(b, value...)
}

// lpEntrySize returns the encoded size of an entry.
func lpEntrySize(fn, vn int) int {
	return uvarintLen(fn) + fn + uvarintLen(vn) + vn
}

// uvarintLen returns the encoded size of the uvarint n.
func uvarintLen(n int) int {
	w := 1
	for ; n >= 0x80; n >>= 7 {
		w++
	}
	return w
}

// Len returns the number of fields.
func (h *Hash) Len() int {
	if t := h.table(); t != nil {
		return len(t.entries)
	}
	b := h.lp()
	n := 0
	for i := 0; i < len(b); n++ {
		_, _, _, _, i = lpEntry(b, i)
	}
	return n
}

// Encoding returns "listpack" or "hashtable".
func (h *Hash) Encoding() string {
	if h.table() != nil {
		return "hashtable"
	}
	return "listpack"
}

func (h *Hash) clone() object {
	t := h.table()
	if t == nil {
		c := &Hash{ref: h.ref}
		if h.size > 0 {
			c.setLP(slices.Clone(h.lp()))
		}
		return c
	}
	ct := &hashTable{entries: slices.Clone(t.entries), index: make(map[string]int, len(t.index))}
	for k, i := range t.index {
		ct.index[k] = i
	}
	return &Hash{room: hashtableRoom, ref: unsafe.Pointer(ct)}
}

// lpFind returns the offset of field's entry in the listpack and the number of entries
// before it, or -1 and the number of entries.
func (h *Hash) lpFind(field []byte) (off, idx int) {
	b := h.lp()
	for i := 0; i < len(b); idx++ {
		fi, fn, _, _, next := lpEntry(b, i)
		if fn == len(field) && string(b[fi:fi+fn]) == string(field) {
			return i, idx
		}
		i = next
	}
	return -1, idx
}

// Get returns the value of field and whether the field exists.
func (h *Hash) Get(field []byte) (string, bool) {
	if t := h.table(); t != nil {
		if i, ok := t.index[string(field)]; ok {
			return t.entries[i].Value, true
		}
		return "", false
	}
	off, _ := h.lpFind(field)
	if off < 0 {
		return "", false
	}
	b := h.lp()
	_, _, vi, vn, _ := lpEntry(b, off)
	return lpString(b, vi, vn), true
}

// Exists reports whether field exists.
func (h *Hash) Exists(field []byte) bool {
	if t := h.table(); t != nil {
		_, ok := t.index[string(field)]
		return ok
	}
	off, _ := h.lpFind(field)
	return off >= 0
}

// Entry returns the i-th entry in iteration order, 0 <= i < Len. The order is insertion
// order for listpack and arbitrary for hashtable; it is stable while the hash is unchanged.
// Reading the entries of a listpack in order costs O(1) each.
func (h *Hash) Entry(i int) HashEntry {
	if t := h.table(); t != nil {
		return t.entries[i]
	}
	b := h.lp()
	at, off := 0, 0
	if i >= int(h.at) {
		at, off = int(h.at), int(h.off)
	}
	for ; at < i; at++ {
		_, _, _, _, off = lpEntry(b, off)
	}
	h.at, h.off = uint32(at), uint32(off)
	fi, fn, vi, vn, _ := lpEntry(b, off)
	return HashEntry{Field: lpString(b, fi, fn), Value: lpString(b, vi, vn)}
}

// Fit prepares the hash for setting the given fields and values, as Redis's
// hashTypeTryConversion does before HSET, HMSET and HSETNX: a listpack converts to
// hashtable when any of them is longer than hash-max-listpack-value, whether or not the
// field already exists. A listpack that stays one makes room for them all.
func (h *Hash) Fit(args [][]byte) {
	if h.table() != nil {
		return
	}
	limit := h.limits().HashMaxListpackValue
	need := 0
	for _, a := range args {
		if int64(len(a)) > limit {
			h.convert()
			return
		}
		need += uvarintLen(len(a)) + len(a)
	}
	if want := int(h.size) + need; want > int(h.room) && want <= maxListpack {
		b := make([]byte, h.size, want)
		copy(b, h.lp())
		h.setLP(b)
	}
}

// Set sets field to value and reports whether the field was created. As Redis's
// hashTypeSet it converts a listpack when the field or value is longer than
// hash-max-listpack-value, or when the field count passes hash-max-listpack-entries.
func (h *Hash) Set(field, value []byte) (created bool) {
	return h.set(field, unsafe.String(unsafe.SliceData(value), len(value)), false)
}

// set is Set with the value as a string. A hashtable keeps value itself when owned is
// true and a copy otherwise; a listpack copies it.
func (h *Hash) set(field []byte, value string, owned bool) bool {
	if h.table() == nil {
		l := h.limits()
		if int64(len(field)) > l.HashMaxListpackValue || int64(len(value)) > l.HashMaxListpackValue ||
			int(h.size)+lpEntrySize(len(field), len(value)) > maxListpack {
			h.convert()
		} else {
			created, n := h.lpSet(field, value)
			// As Redis's hashTypeSet, every write checks the length, so a limit lowered by
			// CONFIG SET converts the hash at its next write even when no field is added.
			if int64(n) > l.HashMaxListpackEntries {
				h.convert()
			}
			return created
		}
	}
	t := h.table()
	i, ok := t.index[string(field)]
	if ok && t.entries[i].Value == value {
		return false
	}
	if !owned {
		value = strings.Clone(value)
	}
	if ok {
		t.entries[i].Value = value
		return false
	}
	t.entries = append(t.entries, HashEntry{Field: string(field), Value: value})
	t.index[t.entries[len(t.entries)-1].Field] = len(t.entries) - 1
	return true
}

// lpSet sets field to value in the listpack and returns whether the field was created and
// the number of entries after.
func (h *Hash) lpSet(field []byte, value string) (created bool, n int) {
	b := h.lp()
	off, idx := h.lpFind(field)
	if off < 0 {
		// Bytes past the end were never handed out: append in place when there is room.
		h.setLP(lpAppend(b, field, value))
		return true, idx + 1
	}
	_, _, vi, vn, next := lpEntry(b, off)
	if vn == len(value) && string(b[vi:vi+vn]) == value {
		return false, idx + 1 + h.lpCount(next)
	}
	nb := make([]byte, 0, len(b)-(next-off)+lpEntrySize(len(field), len(value)))
	nb = append(nb, b[:off]...)
	nb = lpAppend(nb, field, value)
	nb = append(nb, b[next:]...)
	h.setLP(nb)
	return false, idx + 1 + h.lpCount(len(b[:off])+lpEntrySize(len(field), len(value)))
}

// lpCount returns the number of entries from offset i to the end of the listpack.
func (h *Hash) lpCount(i int) int {
	b := h.lp()
	n := 0
	for ; i < len(b); n++ {
		_, _, _, _, i = lpEntry(b, i)
	}
	return n
}

// convert turns a listpack into a hashtable.
func (h *Hash) convert() {
	b := h.lp()
	t := &hashTable{}
	for i := 0; i < len(b); {
		fi, fn, vi, vn, next := lpEntry(b, i)
		t.entries = append(t.entries, HashEntry{Field: string(b[fi : fi+fn]), Value: string(b[vi : vi+vn])})
		i = next
	}
	t.index = make(map[string]int, len(t.entries)+1)
	for i, e := range t.entries {
		t.index[e.Field] = i
	}
	*h = Hash{room: hashtableRoom, ref: unsafe.Pointer(t)}
}

// Delete removes field and reports whether it existed. The caller deletes the key when
// the hash becomes empty ([Store.DeleteIfEmpty]).
func (h *Hash) Delete(field []byte) bool {
	t := h.table()
	if t == nil {
		off, _ := h.lpFind(field)
		if off < 0 {
			return false
		}
		b := h.lp()
		_, _, _, _, next := lpEntry(b, off)
		var nb []byte
		if rest := len(b) - (next - off); rest > 0 {
			nb = make([]byte, 0, rest)
			nb = append(append(nb, b[:off]...), b[next:]...)
		}
		h.setLP(nb)
		return true
	}
	i, ok := t.index[string(field)]
	if !ok {
		return false
	}
	delete(t.index, t.entries[i].Field)
	last := len(t.entries) - 1
	if i != last {
		t.entries[i] = t.entries[last]
		t.index[t.entries[i].Field] = i
	}
	t.entries[last] = HashEntry{}
	t.entries = t.entries[:last]
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
	h.set(field, strconv.FormatInt(cur, 10), true)
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
	h.set(field, text, true)
	return text, nil
}

// RandomIndexes returns count distinct positions (0 <= count <= Len) for HRANDFIELD with a
// positive count: in iteration order for listpack, as Redis samples a listpack in order,
// and in random order for hashtable.
func (h *Hash) RandomIndexes(count int) []int {
	n := h.Len()
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
	if h.table() == nil {
		slices.Sort(idx)
	}
	return idx
}

// RandomIndex returns a random position, for HRANDFIELD; the hash must not be empty.
func (h *Hash) RandomIndex() int { return rand.IntN(h.Len()) }

// Scan visits entries for HSCAN, starting at cursor (0 to begin), and returns the cursor
// of the next call, 0 when the iteration is complete. A listpack is visited whole in one
// call, as Redis does. A hashtable is visited about count entries at a time, from the end
// of its entry slice towards the start, so that the entry a deletion moves into a gap has
// always been visited already or will be: every field present for the whole iteration is
// returned at least once.
func (h *Hash) Scan(cursor uint64, count int, fn func(e HashEntry)) uint64 {
	t := h.table()
	if t == nil {
		b := h.lp()
		for i := 0; i < len(b); {
			fi, fln, vi, vn, next := lpEntry(b, i)
			fn(HashEntry{Field: lpString(b, fi, fln), Value: lpString(b, vi, vn)})
			i = next
		}
		return 0
	}
	n := len(t.entries)
	if cursor == 0 && count >= n {
		for _, e := range t.entries {
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
		fn(t.entries[i])
	}
	return uint64(bottom)
}
