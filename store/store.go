package store

import (
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// defaultMaxStringLen is Redis's default proto-max-bulk-len, 512 MB.
const defaultMaxStringLen = 512 << 20

// Store is the keyspace: a fixed number of databases, each split over the
// 256 shards. Database numbers passed to its methods must lie in
// [0, Databases()); the caller checks them. See the package documentation
// for the locking contract.
type Store struct {
	shards    [Shards]shard
	databases int
	dbStats   []dbStats

	maxStringLen atomic.Int64
	coarseMs     atomic.Int64 // refreshed by the active expire goroutine; 0 when it does not run
	limits       atomic.Pointer[EncodingLimits]

	expiredKeys    atomic.Int64
	stalePerc      atomic.Uint64 // float64 bits, percent
	timeCapReached atomic.Int64
	activeExpire   atomic.Bool
	onEvent        KeyEventFunc

	expireMu     sync.Mutex // serialises ActiveExpireCycle
	expireCursor int        // next db*Shards+shard to visit; guarded by expireMu

	started   atomic.Bool
	done      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup
}

// dbStats holds the per-database figures that are not per shard.
type dbStats struct {
	avgTTL atomic.Int64 // ms, Redis's running estimate
}

// shard is one lock shard: a mutex and, for each database, the keys of its
// 64 slots. It fills a cache line so neighbouring mutexes do not share one.
type shard struct {
	mu  sync.Mutex
	dbs []shardDB
	_   [64 - 8 - 24]byte
}

// shardDB is the part of one database that lives in one shard.
type shardDB struct {
	slots   *[slotsPerShard]table // allocated on first insert
	vol     []*Value              // keys with a TTL, for active expiry
	volNext int                   // active expiry cursor into vol
	keys    atomic.Int64          // written under the lock, read without
	expires atomic.Int64          // len(vol), readable without the lock
	db      int                   // the database's number, for key events
	s       *Store
}

// tableEntryBytes is a key's share of its slot's table: a pointer and a tag byte, at a
// load of 13/16.
const tableEntryBytes = (8 + 1) * 16 / 13

// New returns a store with the given number of databases (at least 1).
// Active expiry is enabled but not running until [Store.StartActiveExpire].
func New(databases int) *Store {
	databases = max(databases, 1)
	s := &Store{
		databases: databases,
		dbStats:   make([]dbStats, databases),
		done:      make(chan struct{}),
	}
	for i := range s.shards {
		s.shards[i].dbs = make([]shardDB, databases)
		for db := range s.shards[i].dbs {
			s.shards[i].dbs[db].db, s.shards[i].dbs[db].s = db, s
		}
	}
	s.maxStringLen.Store(defaultMaxStringLen)
	s.SetEncodingLimits(DefaultEncodingLimits)
	s.activeExpire.Store(true)
	return s
}

// Databases returns the number of databases.
func (s *Store) Databases() int { return s.databases }

// SetMaxStringLen sets the longest string APPEND and SETRANGE may build
// (proto-max-bulk-len, 512 MB by default); longer results fail with
// [ErrTooLong]. n <= 0 removes the limit, but for the 4 GiB a value can
// hold.
func (s *Store) SetMaxStringLen(n int64) {
	if n <= 0 || n > math.MaxUint32 {
		n = math.MaxUint32
	}
	s.maxStringLen.Store(n)
}

// Close stops the active expire goroutine, if any, and waits for it. The
// store stays usable. Close may be called more than once.
func (s *Store) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.wg.Wait()
}

// Lock locks the given shards, which must be ascending and distinct.
func (s *Store) Lock(shards []int) {
	for _, i := range shards {
		s.shards[i].mu.Lock()
	}
}

// Unlock unlocks the given shards, locked with [Store.Lock].
func (s *Store) Unlock(shards []int) {
	for _, i := range shards {
		s.shards[i].mu.Unlock()
	}
}

// LockAll locks every shard, for keyspace-wide commands.
func (s *Store) LockAll() {
	for i := range s.shards {
		s.shards[i].mu.Lock()
	}
}

// UnlockAll unlocks every shard, locked with [Store.LockAll].
func (s *Store) UnlockAll() {
	for i := range s.shards {
		s.shards[i].mu.Unlock()
	}
}

// nowMs returns the current time in unix milliseconds.
func nowMs() int64 { return time.Now().UnixMilli() }

// accessMs returns the time to record as a value's last access. Access times have a
// resolution of seconds (OBJECT IDLETIME, LRU, LFU minutes), so while the active expire
// goroutine runs they come from the clock it refreshes hz times a second, as Redis's LRU
// clock does, and the hot path does not read the system clock for them.
func (s *Store) accessMs() int64 {
	if ms := s.coarseMs.Load(); ms != 0 {
		return ms
	}
	return nowMs()
}

// locate returns the shard part of db holding key and the key's slot index
// within the shard.
func (s *Store) locate(db int, key []byte) (*shardDB, int) {
	slot := Slot(key)
	return &s.shards[slot>>shardShift].dbs[db], slot & (slotsPerShard - 1)
}

// get returns the value of key, expired or not.
func (d *shardDB) get(i int, key []byte) *Value {
	if d.slots == nil {
		return nil
	}
	return d.slots[i].get(key)
}

// add stores v under v.key, which must be absent, and lists it as volatile
// when it has a TTL.
func (d *shardDB) add(i int, v *Value) {
	d.insert(i, v)
	d.s.event(KeyAdded, d, v.key())
}

// replace stores v under v.key in place of old, the value the key had or nil, as Redis's
// setKey does: the key counts as added (KeyAdded) only when it was absent.
func (d *shardDB) replace(i int, old, v *Value) {
	if old == nil {
		d.add(i, v)
		return
	}
	d.remove(i, old)
	d.insert(i, v)
}

// insert stores v under v.key, which must be absent, and lists it as volatile when it has a
// TTL.
func (d *shardDB) insert(i int, v *Value) {
	if d.slots == nil {
		d.slots = new([slotsPerShard]table)
	}
	d.slots[i].insert(v)
	d.keys.Add(1)
	if v.exp != nil {
		v.exp.vidx = 0
		d.addVolatile(v)
	}
}

// remove deletes v, stored in slot index i.
func (d *shardDB) remove(i int, v *Value) {
	d.slots[i].delete(v)
	d.keys.Add(-1)
	if v.exp != nil && v.exp.vidx != 0 {
		d.removeVolatile(v)
	}
}

// setExpire sets the TTL deadline of the stored value v; 0 removes it.
func (d *shardDB) setExpire(v *Value, at int64) {
	switch {
	case at != 0 && v.exp == nil:
		v.exp = &expiry{at: at}
		d.addVolatile(v)
	case at != 0:
		v.exp.at = at
	case v.exp != nil:
		d.removeVolatile(v)
		v.exp = nil
	}
}

// addVolatile lists v, which has a TTL, as volatile.
func (d *shardDB) addVolatile(v *Value) {
	d.vol = append(d.vol, v)
	v.exp.vidx = int32(len(d.vol))
	d.expires.Add(1)
}

// removeVolatile drops v from the volatile list, moving the last entry into
// its place.
func (d *shardDB) removeVolatile(v *Value) {
	i := int(v.exp.vidx) - 1
	last := len(d.vol) - 1
	if i != last {
		d.vol[i] = d.vol[last]
		d.vol[i].exp.vidx = int32(i + 1)
	}
	d.vol[last] = nil
	d.vol = d.vol[:last]
	v.exp.vidx = 0
	d.expires.Add(-1)
}

// reset empties d.
func (d *shardDB) reset() {
	d.slots = nil
	d.vol = nil
	d.volNext = 0
	d.keys.Store(0)
	d.expires.Store(0)
}

// swap exchanges the contents of d and e.
func (d *shardDB) swap(e *shardDB) {
	d.slots, e.slots = e.slots, d.slots
	d.vol, e.vol = e.vol, d.vol
	d.volNext, e.volNext = e.volNext, d.volNext
	dk, ek := d.keys.Load(), e.keys.Load()
	d.keys.Store(ek)
	e.keys.Store(dk)
	dx, ex := d.expires.Load(), e.expires.Load()
	d.expires.Store(ex)
	e.expires.Store(dx)
}

// find returns the live value of key with its shard part and slot index,
// deleting it first if it has expired. v is nil when the key is absent.
//
// now is the current time in unix ms, or 0 to read the clock only when the value has a TTL.
func (s *Store) find(db int, key []byte, now int64) (d *shardDB, i int, v *Value) {
	d, i = s.locate(db, key)
	v = d.get(i, key)
	if v != nil && v.exp != nil && now == 0 {
		now = nowMs()
	}
	if v != nil && v.expired(now) {
		s.expire(d, i, v)
		v = nil
	}
	return d, i, v
}

// expire deletes the expired value v and counts it.
func (s *Store) expire(d *shardDB, i int, v *Value) {
	d.remove(i, v)
	s.expiredKeys.Add(1)
	s.event(KeyExpired, d, v.key())
}
