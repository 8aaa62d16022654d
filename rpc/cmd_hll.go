package rpc

import (
	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// hllCommands declares the HyperLogLog commands, as redis-server 7.0 describes them.
// HyperLogLogs are string values in Redis's own representation (see package store).
func hllCommands() []*Command {
	return []*Command{
		{
			Name: "pfadd", Arity: -2, Flags: Write | DenyOOM | Fast, Group: GroupHyperLogLog,
			Keys: firstKey(KeyRW | KeyInsert),
			Run:  pfaddCommand,
			Doc: Doc{Summary: "Adds the specified elements to the specified HyperLogLog.", Since: "2.8.9",
				Complexity: "O(1) to add every element.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "element", Type: ArgString, Optional: true, Multiple: true},
				},
			},
		},
		{
			Name: "pfcount", Arity: -2, Flags: ReadOnly, Group: GroupHyperLogLog,
			Keys: []KeySpec{{
				Notes:      "RW because it may change the internal representation of the key, and propagate to replicas",
				Flags:      KeyRW | KeyAccess,
				BeginIndex: 1, LastKey: -1, KeyStep: 1,
			}},
			Run: pfcountCommand,
			Doc: Doc{Summary: "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).", Since: "2.8.9",
				Complexity: "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
				Args: []Arg{
					{Name: "key", Type: ArgKey, Multiple: true},
				},
			},
		},
		{
			Name: "pfmerge", Arity: -2, Flags: Write | DenyOOM, Group: GroupHyperLogLog,
			Keys: []KeySpec{
				{Flags: KeyRW | KeyAccess | KeyInsert, BeginIndex: 1, KeyStep: 1},
				{Flags: KeyRO | KeyAccess, BeginIndex: 2, LastKey: -1, KeyStep: 1},
			},
			Run: pfmergeCommand,
			Doc: Doc{Summary: "Merge N different HyperLogLogs into a single one.", Since: "2.8.9",
				Complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
				Args: []Arg{
					{Name: "destkey", Type: ArgKey},
					{Name: "sourcekey", Type: ArgKey, KeySpec: 1, Multiple: true},
				},
			},
		},
	}
}

// hllSparseMaxBytes returns hll-sparse-max-bytes, the size past which a sparse HyperLogLog
// turns dense.
func (c *Client) hllSparseMaxBytes() int64 { return c.srv.cfg.Int("hll-sparse-max-bytes") }

func pfaddCommand(c *Client, args [][]byte) {
	updated, err := c.srv.store.PFAdd(c.db, args[1], args[2:], c.hllSparseMaxBytes())
	if err != nil {
		c.hllErr(err)
		return
	}
	if updated {
		c.changed(args[1], config.NotifyString, "pfadd")
		c.w.Raw(replyOne)
	} else {
		c.w.Raw(replyZero)
	}
}

func pfcountCommand(c *Client, args [][]byte) {
	hllKeyMisses(c, args[1:])
	n, cached, err := c.srv.store.PFCount(c.db, args[1:])
	if err != nil {
		c.hllErr(err)
		return
	}
	if cached {
		c.signalModified(args[1]) // the cached cardinality changed: Redis counts it a write
	}
	c.w.Int(n)
}

func pfmergeCommand(c *Client, args [][]byte) {
	hllKeyMisses(c, args[1:]) // the destination too: Redis reads it as a source
	if err := c.srv.store.PFMerge(c.db, args[1], args[2:], c.hllSparseMaxBytes()); err != nil {
		c.hllErr(err)
		return
	}
	c.changed(args[1], config.NotifyString, "pfadd") // Redis reports a merge as a mass add
	c.w.Raw(replyOK)
}

// hllKeyMisses reports a "keymiss" for each absent key of PFCOUNT and PFMERGE, which Redis
// reads one by one until a key of another type stops the command.
func hllKeyMisses(c *Client, keys [][]byte) {
	if c.srv.notifyFlags.Load()&config.NotifyKeyMiss == 0 {
		return
	}
	for _, k := range keys {
		v := c.srv.store.Peek(c.db, k)
		if v == nil {
			c.keyMiss(k)
		} else if v.Type() != store.TypeString {
			return
		}
	}
}
