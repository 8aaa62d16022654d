// Package store is the kvrpcd keyspace: numbered databases of keys mapped to
// values, key expiry, and the slot-sharded locking the command layer builds
// on. It speaks Go values and the ErrXxx errors of errors.go, never protocol
// bytes, and it copies every key and value it keeps, so callers may pass
// slices that point into a read buffer.
//
// # Layout
//
// Every key belongs to one of the 16384 Redis Cluster hash slots ([Slot]),
// and the slots are split into 256 shards of 64 consecutive slots
// ([ShardOf]). A shard holds, for each database, one hash table per slot
// (allocated on first use) and the list of its volatile keys. Per-slot
// tables give the keys of a slot cheaply ([Store.KeysInSlot],
// [Store.CountKeysInSlot]) and a SCAN cursor that survives inserts and
// deletes ([Store.Scan]).
//
// # Memory
//
// Every key pays for its [Value], so the layout is kept tight: a 48-byte
// Value holding the key and a string's bytes in one allocation, the TTL in
// a record only keys with a TTL have, and slot tables of 9 bytes per entry
// (see table.go). [Value.MemoryUsage] estimates the bytes of one key from
// these sizes. Keys and strings are limited to 4 GiB each.
//
// # Concurrency
//
// Each shard has its own mutex, and the store does not take it for the
// caller: every method that reads or writes keys requires the caller to hold
// the lock of the shard of every key it names ([Store.Lock] with the sorted,
// distinct [ShardOf] values of the command's keys), and the keyspace-wide
// methods ([Store.FlushDB], [Store.FlushAll], [Store.SwapDB],
// [Store.ForEach], [Store.Scan], [Store.RandomKey]) require all locks
// ([Store.LockAll]). Locks must be taken in ascending shard order, which
// Lock and LockAll do, so no two callers can deadlock.
//
// A *[Value] returned by the store is only valid while the caller holds the
// lock of its key's shard; it may be reused for another value or dropped as
// soon as the lock is released, so never keep it.
//
// The exceptions are [Store.DBSize] and [Store.Stats], which read atomic
// counters and need no lock, and [Store.ActiveExpireCycle], which takes the
// shard locks itself, one at a time, and must be called without holding any.
//
// # Expiry
//
// A key with a TTL stores its deadline as unix milliseconds and is expired
// once the current time is strictly greater than the deadline, as in Redis.
// Expired keys are removed in two ways. Lazily: every method that looks a key
// up (Lookup, Peek, Exists, the writes) first deletes the key if it has
// expired and then behaves as if it were absent. Actively:
// [Store.ActiveExpireCycle] samples up to 20 volatile keys of each shard and
// database, deletes the expired ones, samples the same shard again while more
// than 10% of a sample had expired, and stops when its time budget is spent,
// remembering where to resume. [Store.StartActiveExpire] runs it hz times a
// second in a goroutine until [Store.Close]. Time is read with [time.Now], so
// tests can fake it with testing/synctest.
//
// # Strings
//
// String values are encoded as Redis encodes them, which OBJECT ENCODING
// shows: canonical decimal integers of at most 20 bytes are kept as an int64
// ("int"), other values set whole are "embstr" up to 44 bytes and "raw"
// beyond, and values edited in place by APPEND or SETRANGE are "raw".
// INCRBYFLOAT computes in the 80-bit long double arithmetic of Redis on x86.
package store
