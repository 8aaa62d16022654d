package rpc

import (
	"bytes"
	"math"
	"slices"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// setCommands declares the set commands.
func setCommands() []*Command {
	key := Arg{Name: "key", Type: ArgKey}
	member := Arg{Name: "member", Type: ArgString}
	members := Arg{Name: "member", Type: ArgString, Multiple: true}
	keys := Arg{Name: "key", Type: ArgKey, Multiple: true}
	multiHistory := [][2]string{{"2.4.0", "Accepts multiple `member` arguments."}}
	multiKeys := []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, LastKey: -1, KeyStep: 1}}
	storeKeys := func(dst KeyFlag) []KeySpec {
		return []KeySpec{{Flags: dst, BeginIndex: 1, KeyStep: 1},
			{Flags: KeyRO | KeyAccess, BeginIndex: 2, LastKey: -1, KeyStep: 1}}
	}
	storeArgs := []Arg{{Name: "destination", Type: ArgKey}, {Name: "key", Type: ArgKey, KeySpec: 1, Multiple: true}}
	order := []string{"nondeterministic_output_order"}
	nondeterministic := []string{"nondeterministic_output"}
	interComplexity := "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets."
	unionComplexity := "O(N) where N is the total number of elements in all given sets."

	return []*Command{
		{Name: "sadd", Arity: -3, Flags: Write | DenyOOM | Fast, Group: GroupSet,
			Keys: firstKey(KeyRW | KeyInsert), Run: saddCommand,
			Doc: Doc{Summary: "Add one or more members to a set", Since: "1.0.0",
				Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
				History:    multiHistory, Args: []Arg{key, members}}},
		{Name: "srem", Arity: -3, Flags: Write | Fast, Group: GroupSet,
			Keys: firstKey(KeyRW | KeyDelete), Run: sremCommand,
			Doc: Doc{Summary: "Remove one or more members from a set", Since: "1.0.0",
				Complexity: "O(N) where N is the number of members to be removed.",
				History:    multiHistory, Args: []Arg{key, members}}},
		{Name: "scard", Arity: 2, Flags: ReadOnly | Fast, Group: GroupSet,
			Keys: firstKey(KeyRO), Run: scardCommand,
			Doc: Doc{Summary: "Get the number of members in a set", Since: "1.0.0", Complexity: "O(1)",
				Args: []Arg{key}}},
		{Name: "sismember", Arity: 3, Flags: ReadOnly | Fast, Group: GroupSet,
			Keys: firstKey(KeyRO), Run: sismemberCommand,
			Doc: Doc{Summary: "Determine if a given value is a member of a set", Since: "1.0.0", Complexity: "O(1)",
				Args: []Arg{key, member}}},
		{Name: "smismember", Arity: -3, Flags: ReadOnly | Fast, Group: GroupSet,
			Keys: firstKey(KeyRO | KeyAccess), Run: smismemberCommand,
			Doc: Doc{Summary: "Returns the membership associated with the given elements for a set", Since: "6.2.0",
				Complexity: "O(N) where N is the number of elements being checked for membership",
				Args:       []Arg{key, members}}},
		{Name: "smembers", Arity: 2, Flags: ReadOnly, Group: GroupSet,
			Keys: firstKey(KeyRO | KeyAccess), Tips: order, Run: sinterCommand,
			Doc: Doc{Summary: "Get all the members in a set", Since: "1.0.0",
				Complexity: "O(N) where N is the set cardinality.", Args: []Arg{key}}},
		{Name: "spop", Arity: -2, Flags: Write | Fast, Group: GroupSet,
			Keys: firstKey(KeyRW | KeyAccess | KeyDelete), Tips: nondeterministic, Run: spopCommand,
			Doc: Doc{Summary: "Remove and return one or multiple random members from a set", Since: "1.0.0",
				Complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
				History:    [][2]string{{"3.2.0", "Added the `count` argument."}},
				Args:       []Arg{key, {Name: "count", Type: ArgInteger, Since: "3.2.0", Optional: true}}}},
		{Name: "srandmember", Arity: -2, Flags: ReadOnly, Group: GroupSet,
			Keys: firstKey(KeyRO | KeyAccess), Tips: nondeterministic, Run: srandmemberCommand,
			Doc: Doc{Summary: "Get one or multiple random members from a set", Since: "1.0.0",
				Complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
				History:    [][2]string{{"2.6.0", "Added the optional `count` argument."}},
				Args:       []Arg{key, {Name: "count", Type: ArgInteger, Since: "2.6.0", Optional: true}}}},
		{Name: "smove", Arity: 4, Flags: Write | Fast, Group: GroupSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, KeyStep: 1},
				{Flags: KeyRW | KeyInsert, BeginIndex: 2, KeyStep: 1}},
			Run: smoveCommand,
			Doc: Doc{Summary: "Move a member from one set to another", Since: "1.0.0", Complexity: "O(1)",
				Args: []Arg{{Name: "source", Type: ArgKey}, {Name: "destination", Type: ArgKey, KeySpec: 1}, member}}},
		{Name: "sinter", Arity: -2, Flags: ReadOnly, Group: GroupSet,
			Keys: multiKeys, Tips: order, Run: sinterCommand,
			Doc: Doc{Summary: "Intersect multiple sets", Since: "1.0.0", Complexity: interComplexity,
				Args: []Arg{keys}}},
		{Name: "sintercard", Arity: -3, Flags: ReadOnly, Group: GroupSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyNum: true, FirstKey: 1, KeyStep: 1}},
			Run:  sintercardCommand,
			Doc: Doc{Summary: "Intersect multiple sets and return the cardinality of the result", Since: "7.0.0",
				Complexity: interComplexity,
				Args: []Arg{{Name: "numkeys", Type: ArgInteger}, keys,
					{Name: "limit", Type: ArgInteger, Token: "LIMIT", Optional: true}}}},
		{Name: "sinterstore", Arity: -3, Flags: Write | DenyOOM, Group: GroupSet,
			Keys: storeKeys(KeyRW | KeyUpdate), Run: sinterstoreCommand,
			Doc: Doc{Summary: "Intersect multiple sets and store the resulting set in a key", Since: "1.0.0",
				Complexity: interComplexity, Args: storeArgs}},
		{Name: "sunion", Arity: -2, Flags: ReadOnly, Group: GroupSet,
			Keys: multiKeys, Tips: order, Run: sunionCommand,
			Doc: Doc{Summary: "Add multiple sets", Since: "1.0.0", Complexity: unionComplexity,
				Args: []Arg{keys}}},
		{Name: "sunionstore", Arity: -3, Flags: Write | DenyOOM, Group: GroupSet,
			Keys: storeKeys(KeyOW | KeyUpdate), Run: sunionstoreCommand,
			Doc: Doc{Summary: "Add multiple sets and store the resulting set in a key", Since: "1.0.0",
				Complexity: unionComplexity, Args: storeArgs}},
		{Name: "sdiff", Arity: -2, Flags: ReadOnly, Group: GroupSet,
			Keys: multiKeys, Tips: order, Run: sdiffCommand,
			Doc: Doc{Summary: "Subtract multiple sets", Since: "1.0.0", Complexity: unionComplexity,
				Args: []Arg{keys}}},
		{Name: "sdiffstore", Arity: -3, Flags: Write | DenyOOM, Group: GroupSet,
			Keys: storeKeys(KeyOW | KeyUpdate), Run: sdiffstoreCommand,
			Doc: Doc{Summary: "Subtract multiple sets and store the resulting set in a key", Since: "1.0.0",
				Complexity: unionComplexity, Args: storeArgs}},
		{Name: "sscan", Arity: -3, Flags: ReadOnly, Group: GroupSet,
			Keys: firstKey(KeyRO | KeyAccess), Tips: nondeterministic, Run: sscanCommand,
			Doc: Doc{Summary: "Incrementally iterate Set elements", Since: "2.8.0",
				Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
				Args: []Arg{key, {Name: "cursor", Type: ArgInteger},
					{Name: "pattern", Type: ArgPattern, Token: "MATCH", Optional: true},
					{Name: "count", Type: ArgInteger, Token: "COUNT", Optional: true}}}},
	}
}

func saddCommand(c *Client, args [][]byte) {
	st, err := c.srv.store.SetForWrite(c.db, args[1])
	if err != nil {
		c.storeErr(err)
		return
	}
	n := int64(0)
	for _, m := range args[2:] {
		if st.Add(m) {
			n++
		}
	}
	if n > 0 {
		c.changed(args[1], config.NotifySet, "sadd")
	}
	c.w.Int(n)
}

func sremCommand(c *Client, args [][]byte) {
	st, err := c.srv.store.Set(c.db, args[1])
	if err != nil {
		c.storeErr(err)
		return
	}
	if st == nil {
		c.w.Raw(replyZero)
		return
	}
	n := int64(0)
	for _, m := range args[2:] {
		if st.Remove(m) {
			n++
			if st.Len() == 0 {
				break
			}
		}
	}
	removed := c.srv.store.DeleteIfEmpty(c.db, args[1])
	if n > 0 {
		c.changed(args[1], config.NotifySet, "srem")
		if removed {
			c.notify(config.NotifyGeneric, "del", args[1])
		}
	}
	c.w.Int(n)
}

// readSetMiss looks up the set at key for a read-only command: an absent key is a
// "keymiss".
func readSetMiss(c *Client, key []byte) (*store.Set, error) {
	st, err := c.srv.store.Set(c.db, key)
	if st == nil && err == nil {
		c.keyMiss(key)
	}
	return st, err
}

func scardCommand(c *Client, args [][]byte) {
	st, err := readSetMiss(c, args[1])
	switch {
	case err != nil:
		c.storeErr(err)
	case st == nil:
		c.w.Raw(replyZero)
	default:
		c.w.Int(int64(st.Len()))
	}
}

func sismemberCommand(c *Client, args [][]byte) {
	st, err := readSetMiss(c, args[1])
	switch {
	case err != nil:
		c.storeErr(err)
	case st != nil && st.Contains(args[2]):
		c.w.Raw(replyOne)
	default:
		c.w.Raw(replyZero)
	}
}

func smismemberCommand(c *Client, args [][]byte) {
	st, err := readSetMiss(c, args[1])
	if err != nil {
		c.storeErr(err)
		return
	}
	c.w.Array(len(args) - 2)
	for _, m := range args[2:] {
		if st != nil && st.Contains(m) {
			c.w.Raw(replyOne)
		} else {
			c.w.Raw(replyZero)
		}
	}
}

// writeSet replies with the members of st as a set (an array in RESP2).
func writeSet(c *Client, st *store.Set) {
	c.w.Set(st.Len())
	st.Each(func(m []byte) bool { c.w.Bulk(m); return true })
}

// lookupSets returns the sets stored at keys, nil for each absent key, or ErrWrongType
// when any key holds another type.
func lookupSets(c *Client, keys [][]byte) ([]*store.Set, error) {
	sets := make([]*store.Set, len(keys))
	for i, k := range keys {
		st, err := readSetMiss(c, k)
		if err != nil {
			return nil, err
		}
		sets[i] = st
	}
	return sets, nil
}

// sinterCommand serves SINTER and SMEMBERS.
func sinterCommand(c *Client, args [][]byte) {
	sets, err := lookupSets(c, args[1:])
	if err != nil {
		c.storeErr(err)
		return
	}
	switch {
	case len(sets) == 1 && sets[0] != nil:
		writeSet(c, sets[0])
	default:
		writeSet(c, c.srv.store.InterSets(sets))
	}
}

func sunionCommand(c *Client, args [][]byte) {
	setOp(c, args[1:], nil, (*store.Store).UnionSets, "")
}
func sdiffCommand(c *Client, args [][]byte) { setOp(c, args[1:], nil, (*store.Store).DiffSets, "") }

func sinterstoreCommand(c *Client, args [][]byte) {
	setOp(c, args[2:], args[1], (*store.Store).InterSets, "sinterstore")
}

func sunionstoreCommand(c *Client, args [][]byte) {
	setOp(c, args[2:], args[1], (*store.Store).UnionSets, "sunionstore")
}

func sdiffstoreCommand(c *Client, args [][]byte) {
	setOp(c, args[2:], args[1], (*store.Store).DiffSets, "sdiffstore")
}

// setOp computes op over the sets at keys; it replies with the result, or, when dst is
// not nil, stores it at dst (deleting dst when it is empty), replies with its size and
// reports event for dst.
func setOp(c *Client, keys [][]byte, dst []byte, op func(*store.Store, []*store.Set) *store.Set, event string) {
	sets, err := lookupSets(c, keys)
	if err != nil {
		c.storeErr(err)
		return
	}
	if dst != nil && event == "sinterstore" && slices.Contains(sets, nil) {
		// Redis returns early for an absent set, deleting dst before it replies.
		if c.srv.store.Delete(c.db, dst) {
			c.changed(dst, config.NotifyGeneric, "del")
		}
		c.w.Raw(replyZero)
		return
	}
	res := op(c.srv.store, sets)
	if dst == nil {
		writeSet(c, res)
		return
	}
	n := res.Len()
	deleted := c.srv.store.PutSet(c.db, dst, res)
	stored(c, dst, n, deleted, config.NotifySet, event)
}

func sintercardCommand(c *Client, args [][]byte) {
	numkeys, err := parseInt(args[1])
	if err != nil || numkeys < 1 {
		c.Error(msgNumKeysPositive)
		return
	}
	if numkeys > int64(len(args)-2) {
		c.Error(msgNumKeysTooMany)
		return
	}
	end := 2 + int(numkeys)
	limit := int64(0)
	for i := end; i < len(args); i++ {
		if is(cString(args[i]), "limit") && i+1 < len(args) {
			i++
			limit, err = parseInt(args[i])
			if err != nil || limit < 0 {
				c.Error(msgLimitNegative)
				return
			}
			continue
		}
		c.Error(msgSyntax)
		return
	}
	sets, err := lookupSets(c, args[2:end])
	if err != nil {
		c.storeErr(err)
		return
	}
	c.w.Int(int64(store.InterCard(sets, int(min(limit, math.MaxInt32)))))
}

func spopCommand(c *Client, args [][]byte) {
	if len(args) > 3 {
		c.Error(msgSyntax)
		return
	}
	s := c.srv.store
	if len(args) == 2 {
		st, err := s.Set(c.db, args[1])
		switch {
		case err != nil:
			c.storeErr(err)
		case st == nil:
			c.w.Null()
		default:
			m := st.Pop()
			c.notify(config.NotifySet, "spop", args[1])
			c.w.Bulk(m)
			c.deleteIfEmpty(args[1])
			c.signalModified(args[1])
		}
		return
	}
	count, err := parseInt(args[2])
	if err != nil || count < 0 {
		c.Error(msgPositive)
		return
	}
	st, err := s.Set(c.db, args[1])
	switch {
	case err != nil:
		c.storeErr(err)
	case st == nil || count == 0:
		c.w.Set(0)
	case count >= int64(st.Len()):
		// The whole set, in the order of a fresh copy, as Redis replies with SUNION of it.
		c.notify(config.NotifySet, "spop", args[1])
		writeSet(c, s.UnionSets([]*store.Set{st}))
		s.Delete(c.db, args[1])
		c.notify(config.NotifyGeneric, "del", args[1])
		c.signalModified(args[1])
	default:
		c.notify(config.NotifySet, "spop", args[1])
		popped := st.PopN(int(count))
		c.w.Set(len(popped))
		for _, m := range popped {
			c.w.Bulk(m)
		}
		c.signalModified(args[1])
	}
}

func srandmemberCommand(c *Client, args [][]byte) {
	if len(args) > 3 {
		c.Error(msgSyntax)
		return
	}
	if len(args) == 2 {
		st, err := readSetMiss(c, args[1])
		switch {
		case err != nil:
			c.storeErr(err)
		case st == nil:
			c.w.Null()
		default:
			c.w.Bulk(st.Random())
		}
		return
	}
	count, err := parseInt(args[2])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	if count == math.MinInt64 {
		c.Error(msgRandCountRange)
		return
	}
	st, err := readSetMiss(c, args[1])
	switch {
	case err != nil:
		c.storeErr(err)
	case st == nil || count == 0:
		c.w.Array(0)
	case count < 0 || count == 1:
		// Members may repeat.
		n := int(min(-count, math.MaxInt32))
		if count == 1 {
			n = 1
		}
		c.w.Array(n)
		for range n {
			c.w.Bulk(st.Random())
		}
	case count >= int64(st.Len()):
		c.w.Array(st.Len())
		st.Each(func(m []byte) bool { c.w.Bulk(m); return true })
	default:
		picked := st.RandomDistinct(int(count))
		c.w.Array(len(picked))
		for _, m := range picked {
			c.w.Bulk(m)
		}
	}
}

func smoveCommand(c *Client, args [][]byte) {
	s := c.srv.store
	src, srcErr := s.Set(c.db, args[1])
	dst, dstErr := s.Set(c.db, args[2])
	switch {
	case src == nil && srcErr == nil:
		c.w.Raw(replyZero)
		return
	case srcErr != nil:
		c.storeErr(srcErr)
		return
	case dstErr != nil:
		c.storeErr(dstErr)
		return
	}
	if bytes.Equal(args[1], args[2]) {
		if src.Contains(args[3]) {
			c.w.Raw(replyOne)
		} else {
			c.w.Raw(replyZero)
		}
		return
	}
	if !src.Remove(args[3]) {
		c.w.Raw(replyZero)
		return
	}
	c.notify(config.NotifySet, "srem", args[1])
	c.deleteIfEmpty(args[1])
	if dst == nil {
		var err error
		if dst, err = s.SetForWrite(c.db, args[2]); err != nil {
			c.storeErr(err)
			return
		}
	}
	c.signalModified(args[1])
	if dst.Add(args[3]) {
		c.changed(args[2], config.NotifySet, "sadd")
	}
	c.w.Raw(replyOne)
}

func sscanCommand(c *Client, args [][]byte) {
	cursor, ok := parseScanCursor(args[2])
	if !ok {
		c.Error(msgInvalidCursor)
		return
	}
	st, err := readSetMiss(c, args[1])
	if err != nil {
		c.storeErr(err)
		return
	}
	if st == nil {
		c.w.Array(2)
		c.w.BulkInt(0)
		c.w.Array(0)
		return
	}
	count := int64(10)
	var pattern []byte
	for i := 3; i < len(args); i += 2 {
		more := len(args) - i
		switch {
		case is(cString(args[i]), "count") && more >= 2:
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
		case is(cString(args[i]), "match") && more >= 2:
			pattern = args[i+1]
			if len(pattern) == 1 && pattern[0] == '*' {
				pattern = nil
			}
		default:
			c.Error(msgSyntax)
			return
		}
	}
	var found [][]byte
	next := st.Scan(cursor, int(min(count, math.MaxInt32)), func(m []byte) {
		if pattern == nil || config.Match(pattern, m, false) {
			found = append(found, bytes.Clone(m))
		}
	})
	c.w.Array(2)
	c.w.BulkInt(int64(next))
	c.w.Array(len(found))
	for _, m := range found {
		c.w.Bulk(m)
	}
}
