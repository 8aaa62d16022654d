package store

import "hash/maphash"

// table is the keys of one slot of one database: an open-addressing hash table of values,
// keyed by each value's own key, with linear probing and a byte of the hash per entry so
// that most probes of other keys cost no memory access to their values. It takes 9 bytes
// an entry at a load between 54% and 81%, where a Go map of string to *Value takes 25.
//
// Deleted entries leave a tombstone, which keeps iteration safe while entries are deleted
// (the only change [Store.ForEach] and [Store.Scan] allow) and is reused by later
// insertions or dropped by the next rehash.
type table struct {
	vals []*Value // nil where tags says empty or deleted
	tags []uint8  // tagEmpty, tagDeleted, or 0x80 | 7 bits of the hash
	n    int32    // live entries
	used int32    // live entries and tombstones
}

const (
	tagEmpty   = 0
	tagDeleted = 1
	// tableMinSize is the size of a slot's first table.
	tableMinSize = 4
)

// tableSeed seeds the hash of keys within a slot. It is process-wide: tables are rebuilt,
// never shared between processes.
var tableSeed = maphash.MakeSeed()

// keyHash returns the hash of key within its slot's table.
func keyHash(key []byte) uint64 { return maphash.Bytes(tableSeed, key) }

// keyHashString is keyHash of a string; both give the same hash for the same bytes.
func keyHashString(key string) uint64 { return maphash.String(tableSeed, key) }

// tagOf returns the tag of hash h, never tagEmpty or tagDeleted.
func tagOf(h uint64) uint8 { return uint8(h>>57) | 0x80 }

// home returns the first position to probe for hash h in a table of size entries: the
// low 32 bits scaled to size, so sizes need not be powers of two.
func home(h uint64, size int) int { return int(uint64(uint32(h)) * uint64(size) >> 32) }

// tableLimit returns the most entries and tombstones a table of size entries holds: 13/16.
func tableLimit(size int) int { return size * 13 / 16 }

// get returns the value of key, nil when absent.
func (t *table) get(key []byte) *Value {
	size := len(t.vals)
	if size == 0 {
		return nil
	}
	h := keyHash(key)
	tag := tagOf(h)
	for i := home(h, size); ; {
		switch t.tags[i] {
		case tagEmpty:
			return nil
		case tag:
			if v := t.vals[i]; v.key() == string(key) {
				return v
			}
		}
		if i++; i == size {
			i = 0
		}
	}
}

// insert adds v, whose key must be absent.
func (t *table) insert(v *Value) {
	if int(t.used) >= tableLimit(len(t.vals)) {
		t.rehash()
	}
	h := keyHashString(v.key())
	size := len(t.vals)
	i := home(h, size)
	for t.tags[i] > tagDeleted {
		if i++; i == size {
			i = 0
		}
	}
	if t.tags[i] == tagEmpty {
		t.used++
	}
	t.tags[i], t.vals[i] = tagOf(h), v
	t.n++
}

// delete removes v, which must be in the table. The last entry's removal frees the
// table's memory.
func (t *table) delete(v *Value) {
	if t.n == 1 {
		*t = table{}
		return
	}
	size := len(t.vals)
	for i := home(keyHashString(v.key()), size); ; {
		if t.vals[i] == v {
			t.tags[i], t.vals[i] = tagDeleted, nil
			t.n--
			return
		}
		if i++; i == size {
			i = 0
		}
	}
}

// rehash rebuilds the table without tombstones, half as large again when the live
// entries fill more than three quarters of the limit, so that rehashes stay rare whether
// the table grows or churns.
func (t *table) rehash() {
	size := len(t.vals)
	switch {
	case size == 0:
		size = tableMinSize
	case int(t.n)*4 >= tableLimit(size)*3:
		size += size / 2
	}
	old := t.vals
	t.vals, t.tags, t.used, t.n = make([]*Value, size), make([]uint8, size), 0, 0
	for _, v := range old {
		if v != nil {
			t.insert(v)
		}
	}
}
