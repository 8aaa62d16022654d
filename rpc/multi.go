package rpc

import (
	"slices"
	"sync"

	"github.com/kvrpcd/kvrpcd/store"
)

// Transactions: MULTI queues commands, EXEC runs them with the shards of every key they (and
// the watched keys) touch locked, so no other client sees a state in between, on every loop
// model. WATCH is optimistic locking: a change to a watched key, by any client, marks its
// watchers dirty, and a dirty EXEC answers a null array.
//
// Watchers are marked exactly where Redis marks them. Handlers report each key they modify
// with signalModified (signalModifiedIn for the other database of MOVE and COPY ... DB),
// which marks the key's watchers as Redis's touchWatchedKey does, so a write that changes
// nothing (DEL of a missing key, SET ... NX that does not set) marks nobody. Expiry marks
// the watchers of the expired key. FLUSHDB and FLUSHALL mark the watchers of the keys that
// exist in the emptied database, SWAPDB those of keys that exist in either database
// (touchAllWatchedKeysInDb).
//
// Redis 7 ignores a watched key that had already expired at WATCH. kvrpcd's WATCH, EXEC,
// FLUSHDB, FLUSHALL and SWAPDB look keys up with the store's deleting lookup, so such a key
// is deleted when first looked at; the deletion marks the watchers that watched it alive,
// who would fail in Redis too (a watched key expired by EXEC counts as modified), and the
// client whose lookup deleted it is not yet watching it. Transactions end as in Redis; what
// differs is when an expired key's deletion (and its "expired" event) happens.

// queued is a command waiting for EXEC, with its own copy of the arguments.
type queued struct {
	cmd  *Command
	args [][]byte
}

// watched is a key a client watches.
type watched struct {
	waitKey
}

// watchers are the clients watching each key.
type watchers struct {
	mu    sync.Mutex
	byKey map[waitKey][]*Client
}

// transactionCommands are MULTI, EXEC, DISCARD, WATCH and UNWATCH.
func transactionCommands() []*Command {
	flags := NoScript | Loading | Stale | Fast | AllowBusy
	return []*Command{
		{Name: "multi", Arity: 1, Flags: flags, Group: GroupTransactions, Run: multiCommand,
			Doc: Doc{Summary: "Mark the start of a transaction block", Since: "1.2.0", Complexity: "O(1)"}},
		{Name: "exec", Arity: 1, Flags: NoScript | Loading | Stale | SkipSlowlog, Group: GroupTransactions, Run: execCommand,
			Doc: Doc{Summary: "Execute all commands issued after MULTI", Since: "1.2.0", Complexity: "Depends on commands in the transaction"}},
		{Name: "discard", Arity: 1, Flags: flags, Group: GroupTransactions, Run: discardCommand,
			Doc: Doc{Summary: "Discard all commands issued after MULTI", Since: "2.0.0", Complexity: "O(N), when N is the number of queued commands"}},
		{Name: "watch", Arity: -2, Flags: flags, Group: GroupTransactions, Run: watchCommand,
			Keys: []KeySpec{{Flags: KeyRO, BeginIndex: 1, LastKey: -1, KeyStep: 1}},
			Doc: Doc{Summary: "Watch the given keys to determine execution of the MULTI/EXEC block", Since: "2.2.0",
				Complexity: "O(1) for every key.", Args: []Arg{{Name: "key", Type: ArgKey, Multiple: true}}}},
		{Name: "unwatch", Arity: 1, Flags: flags, Group: GroupTransactions, Run: unwatchCommand,
			Doc: Doc{Summary: "Forget about all watched keys", Since: "2.2.0", Complexity: "O(1)"}},
	}
}

// inMulti reports whether the client is queueing or executing a transaction: blocking
// commands then answer at once, as if they timed out.
func (c *Client) inMulti() bool { return c.multi }

// queues reports whether cmd is to be queued rather than run: in MULTI, every command but
// the ones that end or shape the transaction.
func (c *Client) queues(cmd *Command) bool {
	if !c.multi || c.execing {
		return false
	}
	switch cmd.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return false
	}
	return true
}

// queue adds a command to the transaction.
func (c *Client) queue(cmd *Command, args [][]byte) {
	q := queued{cmd: cmd, args: make([][]byte, len(args))}
	for i, a := range args {
		q.args[i] = append([]byte(nil), a...)
	}
	c.queued = append(c.queued, q)
	c.w.Simple("QUEUED")
}

// abortMulti marks the transaction to be discarded at EXEC (a command failed to queue).
func (c *Client) abortMulti() {
	if c.multi {
		c.multiAborted = true
	}
}

func (c *Client) discardMulti() {
	c.multi, c.multiAborted = false, false
	clear(c.queued)
	c.queued = c.queued[:0]
	c.unwatchAll()
}

func multiCommand(c *Client, _ [][]byte) {
	if c.multi {
		c.Error("ERR MULTI calls can not be nested")
		return
	}
	c.multi = true
	c.w.Raw(replyOK)
}

func discardCommand(c *Client, _ [][]byte) {
	if !c.multi {
		c.Error("ERR DISCARD without MULTI")
		return
	}
	c.discardMulti()
	c.w.Raw(replyOK)
}

func execCommand(c *Client, _ [][]byte) {
	if !c.multi {
		c.Error("ERR EXEC without MULTI")
		return
	}
	if c.multiAborted {
		c.discardMulti()
		c.Error("EXECABORT Transaction discarded because of previous errors.")
		return
	}
	s := c.srv
	// Lock every shard the queued commands and the watched keys live in, at once.
	all := false
	var shards []int
	for _, q := range c.queued {
		if q.cmd.Flags&AllKeys != 0 {
			all = true
			break
		}
		c.keys, _ = q.cmd.keyPositions(q.args, c.keys[:0])
		for _, p := range c.keys {
			shards = append(shards, store.ShardOf(q.args[p]))
		}
	}
	for _, w := range c.watching {
		shards = append(shards, store.ShardOf([]byte(w.key)))
	}
	slices.Sort(shards)
	shards = slices.Compact(shards)
	if all {
		s.store.LockAll()
	} else {
		s.store.Lock(shards)
	}
	c.expireWatched()
	if c.watchDirty.Load() {
		if all {
			s.store.UnlockAll()
		} else {
			s.store.Unlock(shards)
		}
		c.discardMulti()
		c.w.NullArray()
		return
	}
	c.execing = true
	c.w.Array(len(c.queued))
	for _, q := range c.queued {
		c.keys, _ = q.cmd.keyPositions(q.args, c.keys[:0])
		c.invoke(q.cmd, q.args)
	}
	c.execing = false
	if all {
		s.store.UnlockAll()
	} else {
		s.store.Unlock(shards)
	}
	c.discardMulti()
}

func watchCommand(c *Client, args [][]byte) {
	if c.multi {
		c.Error("ERR WATCH inside MULTI is not allowed")
		return
	}
	// A dirty transaction fails whatever else it watches, so Redis adds nothing.
	if c.watchDirty.Load() {
		c.w.Raw(replyOK)
		return
	}
	s := c.srv
	for _, k := range args[1:] {
		wk := waitKey{c.db, string(k)}
		if slices.ContainsFunc(c.watching, func(w watched) bool { return w.waitKey == wk }) {
			continue
		}
		// Delete the key if it has expired, before watching it: Redis ignores a key that
		// had expired at WATCH, and its deletion then marks nobody.
		s.store.Exists(c.db, k)
		c.watching = append(c.watching, watched{waitKey: wk})
		s.watch.mu.Lock()
		if s.watch.byKey == nil {
			s.watch.byKey = make(map[waitKey][]*Client)
		}
		s.watch.byKey[wk] = append(s.watch.byKey[wk], c)
		s.watch.mu.Unlock()
		s.nwatching.Add(1)
	}
	c.w.Raw(replyOK)
}

func unwatchCommand(c *Client, _ [][]byte) {
	c.unwatchAll()
	c.w.Raw(replyOK)
}

// unwatchAll forgets every watched key and the dirty mark.
func (c *Client) unwatchAll() {
	if len(c.watching) > 0 {
		s := c.srv
		s.watch.mu.Lock()
		for _, w := range c.watching {
			q := s.watch.byKey[w.waitKey]
			if i := slices.Index(q, c); i >= 0 {
				q = slices.Delete(q, i, i+1)
			}
			if len(q) == 0 {
				delete(s.watch.byKey, w.waitKey)
			} else {
				s.watch.byKey[w.waitKey] = q
			}
		}
		s.watch.mu.Unlock()
		s.nwatching.Add(-int64(len(c.watching)))
		c.watching = c.watching[:0]
	}
	c.watchDirty.Store(false)
}

// expireWatched deletes the watched keys that have expired, which marks the client dirty:
// Redis's EXEC fails when a watched key has expired since WATCH (isWatchedKeyExpired). The
// caller holds the watched keys' shards.
func (c *Client) expireWatched() {
	for _, w := range c.watching {
		if c.watchDirty.Load() {
			return
		}
		c.srv.store.Exists(w.db, []byte(w.key))
	}
}

// touchWatchedKey marks the clients watching key of db dirty (Redis's touchWatchedKey). The
// caller holds the key's shard; watch.mu is taken last.
func touchWatchedKey[K string | []byte](s *Server, db int, key K) {
	s.watch.mu.Lock()
	for _, w := range s.watch.byKey[waitKey{db, string(key)}] {
		w.watchDirty.Store(true)
	}
	s.watch.mu.Unlock()
}

// touchAllWatchedKeysInDb marks the watchers of the keys of database emptied that exist in it
// or, for SWAPDB, in database replacedWith (-1 for none): FLUSHDB, FLUSHALL and SWAPDB call it
// before they change the keyspace, with every shard locked.
func (s *Server) touchAllWatchedKeysInDb(emptied, replacedWith int) {
	if s.nwatching.Load() == 0 {
		return
	}
	var keys []string
	s.watch.mu.Lock()
	for wk := range s.watch.byKey {
		if wk.db == emptied {
			keys = append(keys, wk.key)
		}
	}
	s.watch.mu.Unlock()
	// The lookups may delete expired keys, whose expiry takes watch.mu: it is not held here.
	for _, k := range keys {
		b := []byte(k)
		if s.store.Exists(emptied, b) || replacedWith >= 0 && s.store.Exists(replacedWith, b) {
			touchWatchedKey(s, emptied, k)
		}
	}
}
