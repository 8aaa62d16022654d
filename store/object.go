package store

// object is the data of a value of an aggregate type: list, hash, set or sorted set. Each
// type lives in a file of its own (list.go, hash.go, ...) with an exported struct that
// implements object, and two Store methods that find it:
//
//	func (s *Store) Hash(db int, key []byte) (*Hash, error)         // nil when absent
//	func (s *Store) HashForWrite(db int, key []byte) (*Hash, error) // created when absent
//
// both built on lookupObject and createObject. Redis deletes a key whose collection
// becomes empty: after removing elements, the caller calls [Store.DeleteIfEmpty].
type object interface {
	// Len returns the number of elements.
	Len() int
	// Encoding returns the name OBJECT ENCODING reports ("listpack", "hashtable", ...).
	Encoding() string
	// clone returns a deep copy, for COPY.
	clone() object
	// memoryUsage estimates the bytes of the object and its elements, measuring samples
	// elements of those allocated one by one (all when samples <= 0); see
	// [Value.MemoryUsage].
	memoryUsage(samples int) int
}

// lookupObject returns the object of type typ stored at key, the zero T when the key is
// absent, or ErrWrongType when it holds another type. It counts as an access. The caller
// must hold the key's shard lock.
func lookupObject[T object](s *Store, db int, key []byte, typ Type) (T, error) {
	var zero T
	v := s.Lookup(db, key)
	if v == nil {
		return zero, nil
	}
	if v.typ != typ {
		return zero, ErrWrongType
	}
	return v.object().(T), nil
}

// createObject is lookupObject that stores a new object made by mk when the key is absent.
func createObject[T object](s *Store, db int, key []byte, typ Type, mk func() T) (T, error) {
	obj, err := lookupObject[T](s, db, key, typ)
	if err != nil || any(obj) != any(*new(T)) {
		return obj, err
	}
	obj = mk()
	d, i := s.locate(db, key)
	v := newValue(key, typ, 0)
	v.setObject(obj)
	v.init(nowMs())
	d.add(i, v)
	return obj, nil
}

// putObject stores obj at key in place of any value of any type and its TTL, as Redis's
// setKey does for the results of SINTERSTORE, SORT ... STORE and the like: the key counts as
// added (KeyAdded) only when it was absent.
func putObject[T object](s *Store, db int, key []byte, typ Type, obj T) {
	d, i, old := s.find(db, key, 0)
	v := newValue(key, typ, 0)
	v.setObject(obj)
	v.init(nowMs())
	d.replace(i, old, v)
}

// DeleteIfEmpty deletes key when it holds a collection with no elements, as Redis does
// after every command that removes elements, and reports whether it did. The caller must
// hold the key's shard lock.
func (s *Store) DeleteIfEmpty(db int, key []byte) bool {
	d, i := s.locate(db, key)
	v := d.get(i, key)
	if v == nil || v.obj == nil || v.object().Len() > 0 {
		return false
	}
	d.remove(i, v)
	return true
}

// EncodingLimits are the thresholds at which collections leave their compact encodings,
// from Redis's parameters of the same names.
type EncodingLimits struct {
	ListMaxListpackSize    int64 // list-max-listpack-size: entries if positive, -1..-5 for 4..64 KiB nodes
	ListCompressDepth      int64 // list-compress-depth
	HashMaxListpackEntries int64 // hash-max-listpack-entries
	HashMaxListpackValue   int64 // hash-max-listpack-value
	SetMaxIntsetEntries    int64 // set-max-intset-entries
	ZSetMaxListpackEntries int64 // zset-max-listpack-entries
	ZSetMaxListpackValue   int64 // zset-max-listpack-value
}

// DefaultEncodingLimits are Redis 7.0's defaults.
var DefaultEncodingLimits = EncodingLimits{
	ListMaxListpackSize:    -2,
	HashMaxListpackEntries: 512,
	HashMaxListpackValue:   64,
	SetMaxIntsetEntries:    512,
	ZSetMaxListpackEntries: 128,
	ZSetMaxListpackValue:   64,
}

// SetEncodingLimits sets the thresholds for collections converted or created from now on,
// as CONFIG SET does in Redis: existing values keep their encoding until they change.
func (s *Store) SetEncodingLimits(l EncodingLimits) { s.limits.Store(&l) }

// Limits returns the current encoding thresholds.
func (s *Store) Limits() *EncodingLimits { return s.limits.Load() }
