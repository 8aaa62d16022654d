package rpc

import (
	"math"
	"math/rand/v2"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// hashCommands declares the commands of the hash type, as redis-server 7.0 describes them.
func hashCommands() []*Command {
	key := Arg{Name: "key", Type: ArgKey}
	field := Arg{Name: "field", Type: ArgString}
	fields := Arg{Name: "field", Type: ArgString, Multiple: true}
	fieldValue := Arg{Name: "field_value", Type: ArgBlock, Multiple: true, Args: []Arg{field, {Name: "value", Type: ArgString}}}
	const sizeComplexity = "O(N) where N is the size of the hash."
	incrKeys := firstKey(KeyRW | KeyAccess | KeyUpdate)
	allKeys := firstKey(KeyRO | KeyAccess)
	orderTips := []string{"nondeterministic_output_order"}

	return []*Command{
		{
			Name: "hset", Arity: -4, Flags: Write | DenyOOM | Fast, Group: GroupHash,
			Keys: firstKey(KeyRW | KeyUpdate), Run: hsetCommand,
			Doc: Doc{Summary: "Set the string value of a hash field", Since: "2.0.0",
				Complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
				History:    [][2]string{{"4.0.0", "Accepts multiple `field` and `value` arguments."}},
				Args:       []Arg{key, fieldValue}},
		},
		{
			Name: "hsetnx", Arity: 4, Flags: Write | DenyOOM | Fast, Group: GroupHash,
			Keys: firstKey(KeyRW | KeyInsert), Run: hsetnxCommand,
			Doc: Doc{Summary: "Set the value of a hash field, only if the field does not exist", Since: "2.0.0",
				Complexity: "O(1)", Args: []Arg{key, field, {Name: "value", Type: ArgString}}},
		},
		{
			Name: "hget", Arity: 3, Flags: ReadOnly | Fast, Group: GroupHash,
			Keys: firstKey(KeyRO | KeyAccess), Run: hgetCommand,
			Doc: Doc{Summary: "Get the value of a hash field", Since: "2.0.0", Complexity: "O(1)",
				Args: []Arg{key, field}},
		},
		{
			Name: "hmget", Arity: -3, Flags: ReadOnly | Fast, Group: GroupHash,
			Keys: firstKey(KeyRO | KeyAccess), Run: hmgetCommand,
			Doc: Doc{Summary: "Get the values of all the given hash fields", Since: "2.0.0",
				Complexity: "O(N) where N is the number of fields being requested.", Args: []Arg{key, fields}},
		},
		{
			Name: "hmset", Arity: -4, Flags: Write | DenyOOM | Fast, Group: GroupHash,
			Keys: firstKey(KeyRW | KeyUpdate), Run: hmsetCommand,
			Doc: Doc{Summary: "Set multiple hash fields to multiple values", Since: "2.0.0",
				Complexity: "O(N) where N is the number of fields being set.", DeprecatedSince: "4.0.0",
				ReplacedBy: "`HSET` with multiple field-value pairs", Args: []Arg{key, fieldValue}},
		},
		{
			Name: "hdel", Arity: -3, Flags: Write | Fast, Group: GroupHash,
			Keys: firstKey(KeyRW | KeyDelete), Run: hdelCommand,
			Doc: Doc{Summary: "Delete one or more hash fields", Since: "2.0.0",
				Complexity: "O(N) where N is the number of fields to be removed.",
				History:    [][2]string{{"2.4.0", "Accepts multiple `field` arguments."}},
				Args:       []Arg{key, fields}},
		},
		{
			Name: "hlen", Arity: 2, Flags: ReadOnly | Fast, Group: GroupHash,
			Keys: firstKey(KeyRO), Run: hlenCommand,
			Doc: Doc{Summary: "Get the number of fields in a hash", Since: "2.0.0", Complexity: "O(1)",
				Args: []Arg{key}},
		},
		{
			Name: "hstrlen", Arity: 3, Flags: ReadOnly | Fast, Group: GroupHash,
			Keys: firstKey(KeyRO), Run: hstrlenCommand,
			Doc: Doc{Summary: "Get the length of the value of a hash field", Since: "3.2.0", Complexity: "O(1)",
				Args: []Arg{key, field}},
		},
		{
			Name: "hexists", Arity: 3, Flags: ReadOnly | Fast, Group: GroupHash,
			Keys: firstKey(KeyRO), Run: hexistsCommand,
			Doc: Doc{Summary: "Determine if a hash field exists", Since: "2.0.0", Complexity: "O(1)",
				Args: []Arg{key, field}},
		},
		{
			Name: "hkeys", Arity: 2, Flags: ReadOnly, Group: GroupHash,
			Keys: allKeys, Tips: orderTips, Run: hkeysCommand,
			Doc: Doc{Summary: "Get all the fields in a hash", Since: "2.0.0", Complexity: sizeComplexity,
				Args: []Arg{key}},
		},
		{
			Name: "hvals", Arity: 2, Flags: ReadOnly, Group: GroupHash,
			Keys: allKeys, Tips: orderTips, Run: hvalsCommand,
			Doc: Doc{Summary: "Get all the values in a hash", Since: "2.0.0", Complexity: sizeComplexity,
				Args: []Arg{key}},
		},
		{
			Name: "hgetall", Arity: 2, Flags: ReadOnly, Group: GroupHash,
			Keys: allKeys, Tips: orderTips, Run: hgetallCommand,
			Doc: Doc{Summary: "Get all the fields and values in a hash", Since: "2.0.0", Complexity: sizeComplexity,
				Args: []Arg{key}},
		},
		{
			Name: "hincrby", Arity: 4, Flags: Write | DenyOOM | Fast, Group: GroupHash,
			Keys: incrKeys, Run: hincrbyCommand,
			Doc: Doc{Summary: "Increment the integer value of a hash field by the given number", Since: "2.0.0",
				Complexity: "O(1)", Args: []Arg{key, field, {Name: "increment", Type: ArgInteger}}},
		},
		{
			Name: "hincrbyfloat", Arity: 4, Flags: Write | DenyOOM | Fast, Group: GroupHash,
			Keys: incrKeys, Run: hincrbyfloatCommand,
			Doc: Doc{Summary: "Increment the float value of a hash field by the given amount", Since: "2.6.0",
				Complexity: "O(1)", Args: []Arg{key, field, {Name: "increment", Type: ArgDouble}}},
		},
		{
			Name: "hrandfield", Arity: -2, Flags: ReadOnly, Group: GroupHash,
			Keys: firstKey(KeyRO | KeyAccess), Tips: []string{"nondeterministic_output"}, Run: hrandfieldCommand,
			Doc: Doc{Summary: "Get one or multiple random fields from a hash", Since: "6.2.0",
				Complexity: "O(N) where N is the number of fields returned",
				Args: []Arg{key, {Name: "options", Type: ArgBlock, Optional: true, Args: []Arg{
					{Name: "count", Type: ArgInteger},
					{Name: "withvalues", Type: ArgPureToken, Token: "WITHVALUES", Optional: true},
				}}}},
		},
		{
			Name: "hscan", Arity: -3, Flags: ReadOnly, Group: GroupHash,
			Keys: firstKey(KeyRO | KeyAccess), Tips: []string{"nondeterministic_output"}, Run: hscanCommand,
			Doc: Doc{Summary: "Incrementally iterate hash fields and associated values", Since: "2.8.0",
				Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
				Args: []Arg{key, {Name: "cursor", Type: ArgInteger},
					{Name: "pattern", Type: ArgPattern, Token: "MATCH", Optional: true},
					{Name: "count", Type: ArgInteger, Token: "COUNT", Optional: true},
				}},
		},
	}
}

// readHash looks key up for reading. It returns nil for an absent key; for a key of another
// type it replies WRONGTYPE and returns ok false.
func readHash(c *Client, key []byte) (h *store.Hash, ok bool) {
	h, err := c.srv.store.Hash(c.db, key)
	if err != nil {
		c.storeErr(err)
		return nil, false
	}
	return h, true
}

// readHashMiss is readHash for the read-only commands, whose lookup of an absent key is a
// "keymiss".
func readHashMiss(c *Client, key []byte) (h *store.Hash, ok bool) {
	h, ok = readHash(c, key)
	if ok && h == nil {
		c.keyMiss(key)
	}
	return h, ok
}

// writeHash looks key up for writing, creating an empty hash when it is absent; on an
// error it replies and returns nil.
func writeHash(c *Client, key []byte) *store.Hash {
	h, err := c.srv.store.HashForWrite(c.db, key)
	if err != nil {
		c.storeErr(err)
		return nil
	}
	return h
}

func hsetCommand(c *Client, args [][]byte) {
	if n := hsetPairs(c, "hset", args); n >= 0 {
		c.w.Int(int64(n))
		c.changed(args[1], config.NotifyHash, "hset")
	}
}

func hmsetCommand(c *Client, args [][]byte) {
	if hsetPairs(c, "hmset", args) >= 0 {
		c.w.Raw(replyOK)
		c.changed(args[1], config.NotifyHash, "hset")
	}
}

// hsetPairs sets the field-value pairs of HSET and HMSET and returns how many fields were
// created, or -1 after replying with an error.
func hsetPairs(c *Client, name string, args [][]byte) int {
	if len(args)%2 == 1 {
		c.errorf(msgMSetArity, name)
		return -1
	}
	h := writeHash(c, args[1])
	if h == nil {
		return -1
	}
	h.Fit(args[2:])
	created := 0
	for i := 2; i < len(args); i += 2 {
		if h.Set(args[i], args[i+1]) {
			created++
		}
	}
	return created
}

func hsetnxCommand(c *Client, args [][]byte) {
	h := writeHash(c, args[1])
	if h == nil {
		return
	}
	if h.Exists(args[2]) {
		c.w.Raw(replyZero)
		return
	}
	h.Fit(args[2:4])
	h.Set(args[2], args[3])
	c.w.Raw(replyOne)
	c.changed(args[1], config.NotifyHash, "hset")
}

func hgetCommand(c *Client, args [][]byte) {
	h, ok := readHashMiss(c, args[1])
	if !ok {
		return
	}
	if h != nil {
		if v, found := h.Get(args[2]); found {
			c.w.BulkString(v)
			return
		}
	}
	c.w.Null()
}

func hmgetCommand(c *Client, args [][]byte) {
	h, ok := readHashMiss(c, args[1])
	if !ok {
		return
	}
	c.w.Array(len(args) - 2)
	for _, f := range args[2:] {
		if h != nil {
			if v, found := h.Get(f); found {
				c.w.BulkString(v)
				continue
			}
		}
		c.w.Null()
	}
}

func hdelCommand(c *Client, args [][]byte) {
	h, ok := readHash(c, args[1])
	if !ok {
		return
	}
	deleted := 0
	if h != nil {
		for _, f := range args[2:] {
			if h.Delete(f) {
				deleted++
				if h.Len() == 0 {
					break
				}
			}
		}
		removed := c.srv.store.DeleteIfEmpty(c.db, args[1])
		if deleted > 0 {
			c.changed(args[1], config.NotifyHash, "hdel")
			if removed {
				c.notify(config.NotifyGeneric, "del", args[1])
			}
		}
	}
	c.w.Int(int64(deleted))
}

func hlenCommand(c *Client, args [][]byte) {
	h, ok := readHashMiss(c, args[1])
	if !ok {
		return
	}
	n := 0
	if h != nil {
		n = h.Len()
	}
	c.w.Int(int64(n))
}

func hstrlenCommand(c *Client, args [][]byte) {
	h, ok := readHashMiss(c, args[1])
	if !ok {
		return
	}
	n := 0
	if h != nil {
		v, _ := h.Get(args[2])
		n = len(v)
	}
	c.w.Int(int64(n))
}

func hexistsCommand(c *Client, args [][]byte) {
	h, ok := readHashMiss(c, args[1])
	if !ok {
		return
	}
	if h != nil && h.Exists(args[2]) {
		c.w.Raw(replyOne)
		return
	}
	c.w.Raw(replyZero)
}

func hkeysCommand(c *Client, args [][]byte)   { hgetallGeneric(c, args[1], true, false) }
func hvalsCommand(c *Client, args [][]byte)   { hgetallGeneric(c, args[1], false, true) }
func hgetallCommand(c *Client, args [][]byte) { hgetallGeneric(c, args[1], true, true) }

// hgetallGeneric replies with the fields, the values or both (a map) of the hash at key.
func hgetallGeneric(c *Client, key []byte, fields, values bool) {
	h, ok := readHashMiss(c, key)
	if !ok {
		return
	}
	n := 0
	if h != nil {
		n = h.Len()
	}
	if fields && values {
		c.w.Map(n)
	} else {
		c.w.Array(n)
	}
	for i := range n {
		e := h.Entry(i)
		if fields {
			c.w.BulkString(e.Field)
		}
		if values {
			c.w.BulkString(e.Value)
		}
	}
}

func hincrbyCommand(c *Client, args [][]byte) {
	incr, err := parseInt(args[3])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	h := writeHash(c, args[1])
	if h == nil {
		return
	}
	n, err := h.IncrBy(args[2], incr)
	if err != nil {
		c.srv.store.DeleteIfEmpty(c.db, args[1])
		hashErr(c, err)
		return
	}
	c.w.Int(n)
	c.changed(args[1], config.NotifyHash, "hincrby")
}

func hincrbyfloatCommand(c *Client, args [][]byte) {
	v, err := c.srv.store.HIncrByFloat(c.db, args[1], args[2], args[3])
	if err != nil {
		hashErr(c, err)
		return
	}
	c.w.BulkString(v)
	c.changed(args[1], config.NotifyHash, "hincrbyfloat")
}

func hrandfieldCommand(c *Client, args [][]byte) {
	if len(args) == 2 {
		h, ok := readHashMiss(c, args[1])
		if !ok {
			return
		}
		if h == nil {
			c.w.Null()
			return
		}
		c.w.BulkString(h.Entry(h.RandomIndex()).Field)
		return
	}
	count, err := parseInt(args[2])
	switch {
	case err != nil:
		c.Error(msgNotInteger)
		return
	case count == math.MinInt64:
		c.Error(msgLongRange)
		return
	case len(args) > 4 || len(args) == 4 && !is(cString(args[3]), "withvalues"):
		c.Error(msgSyntax)
		return
	}
	withValues := len(args) == 4
	if withValues && (count < -math.MaxInt64/2 || count > math.MaxInt64/2) {
		c.Error(msgValueRange)
		return
	}
	h, ok := readHashMiss(c, args[1])
	if !ok {
		return
	}
	if h == nil || count == 0 {
		c.w.Array(0)
		return
	}
	resp3 := c.w.Proto == 3
	header := func(n int) {
		if withValues && !resp3 {
			c.w.Array(2 * n)
		} else {
			c.w.Array(n)
		}
	}
	entry := func(e store.HashEntry) {
		if withValues && resp3 {
			c.w.Array(2)
		}
		c.w.BulkString(e.Field)
		if withValues {
			c.w.BulkString(e.Value)
		}
	}
	if count < 0 || count == 1 {
		// Repetitions allowed, random order: the count is served as asked.
		n := count
		if n < 0 {
			n = -n
		}
		header(int(n))
		if n > 1 && h.Encoding() == "listpack" {
			// Reaching an entry of a listpack walks it: read them once, then pick.
			entries := make([]store.HashEntry, h.Len())
			for i := range entries {
				entries[i] = h.Entry(i)
			}
			for range n {
				entry(entries[rand.IntN(len(entries))])
			}
			return
		}
		for range n {
			entry(h.Entry(h.RandomIndex()))
		}
		return
	}
	size := h.Len()
	if count >= int64(size) {
		header(size)
		for i := range size {
			entry(h.Entry(i))
		}
		return
	}
	header(int(count))
	for _, i := range h.RandomIndexes(int(count)) {
		entry(h.Entry(i))
	}
}

func hscanCommand(c *Client, args [][]byte) {
	cursor, ok := parseScanCursor(args[2])
	if !ok {
		c.Error(msgInvalidCursor)
		return
	}
	h, ok := readHashMiss(c, args[1])
	if !ok {
		return
	}
	if h == nil {
		c.w.Array(2)
		c.w.BulkString("0")
		c.w.Array(0)
		return
	}
	count := int64(10)
	var pattern []byte
	for i := 3; i < len(args); i += 2 {
		more := len(args) - i
		opt := cString(args[i])
		switch {
		case is(opt, "count") && more >= 2:
			n, err := parseInt(args[i+1])
			if err != nil {
				c.Error(msgNotInteger)
				return
			}
			if n < 1 {
				c.Error(msgSyntax)
				return
			}
			count = n
		case is(opt, "match") && more >= 2:
			pattern = args[i+1]
			if len(pattern) == 1 && pattern[0] == '*' {
				pattern = nil
			}
		default:
			c.Error(msgSyntax)
			return
		}
	}
	var found []store.HashEntry
	var scratch []byte
	next := h.Scan(cursor, int(min(count, math.MaxInt32)), func(e store.HashEntry) {
		if pattern != nil {
			scratch = append(scratch[:0], e.Field...)
			if !config.Match(pattern, scratch, false) {
				return
			}
		}
		found = append(found, e)
	})
	c.w.Array(2)
	c.w.BulkInt(int64(next))
	c.w.Array(2 * len(found))
	for _, e := range found {
		c.w.BulkString(e.Field)
		c.w.BulkString(e.Value)
	}
}
