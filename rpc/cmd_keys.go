package rpc

import (
	"bytes"
	"math"
	"strings"
	"time"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// keyCommands declares the generic key commands (DEL, EXPIRE, SCAN, OBJECT, ...) and the
// database-wide ones that Redis files under server and connection (DBSIZE, FLUSHDB,
// FLUSHALL, SWAPDB, SELECT).
func keyCommands() []*Command {
	key := Arg{Name: "key", Type: ArgKey}
	keys := Arg{Name: "key", Type: ArgKey, Multiple: true}
	multiKeys := func(f KeyFlag) []KeySpec { return []KeySpec{{Flags: f, BeginIndex: 1, LastKey: -1, KeyStep: 1}} }
	twoKeys := func(src, dst KeyFlag) []KeySpec {
		return []KeySpec{{Flags: src, BeginIndex: 1, KeyStep: 1}, {Flags: dst, BeginIndex: 2, KeyStep: 1}}
	}
	renameArgs := []Arg{key, {Name: "newkey", Type: ArgKey, KeySpec: 1}}
	condition := Arg{Name: "condition", Type: ArgOneOf, Since: "7.0.0", Optional: true, Args: []Arg{
		{Name: "nx", Type: ArgPureToken, Token: "NX"},
		{Name: "xx", Type: ArgPureToken, Token: "XX"},
		{Name: "gt", Type: ArgPureToken, Token: "GT"},
		{Name: "lt", Type: ArgPureToken, Token: "LT"},
	}}
	expireHistory := [][2]string{{"7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."}}
	ttlHistory := [][2]string{{"2.8.0", "Added the -2 reply."}}
	flushArgs := []Arg{{Name: "async", Type: ArgOneOf, Optional: true, Args: []Arg{
		{Name: "async", Type: ArgPureToken, Token: "ASYNC", Since: "4.0.0"},
		{Name: "sync", Type: ArgPureToken, Token: "SYNC", Since: "6.2.0"},
	}}}
	flushHistory := [][2]string{
		{"4.0.0", "Added the `ASYNC` flushing mode modifier."},
		{"6.2.0", "Added the `SYNC` flushing mode modifier."},
	}
	multiShardSum := []string{"request_policy:multi_shard", "response_policy:agg_sum"}
	objectKey := []KeySpec{{Flags: KeyRO, BeginIndex: 2, KeyStep: 1}}
	nondeterministic := []string{"nondeterministic_output"}

	return []*Command{
		{Name: "del", Arity: -2, Flags: Write, Group: GroupGeneric,
			Keys: multiKeys(KeyRM | KeyDelete), Tips: multiShardSum, Run: delCommand,
			Doc: Doc{Summary: "Delete a key", Since: "1.0.0",
				Complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
				Args:       []Arg{keys}}},
		{Name: "unlink", Arity: -2, Flags: Write | Fast, Group: GroupGeneric,
			Keys: multiKeys(KeyRM | KeyDelete), Tips: multiShardSum, Run: delCommand,
			Doc: Doc{Summary: "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.", Since: "4.0.0",
				Complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
				Args:       []Arg{keys}}},
		{Name: "exists", Arity: -2, Flags: ReadOnly | Fast, Group: GroupGeneric,
			Keys: multiKeys(KeyRO), Tips: multiShardSum, Run: existsCommand,
			Doc: Doc{Summary: "Determine if a key exists", Since: "1.0.0",
				Complexity: "O(N) where N is the number of keys to check.",
				History:    [][2]string{{"3.0.3", "Accepts multiple `key` arguments."}},
				Args:       []Arg{keys}}},
		{Name: "type", Arity: 2, Flags: ReadOnly | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRO), Run: typeCommand,
			Doc: Doc{Summary: "Determine the type stored at key", Since: "1.0.0", Complexity: "O(1)",
				Args: []Arg{key}}},
		{Name: "keys", Arity: 2, Flags: ReadOnly | AllKeys, Group: GroupGeneric, ACL: ACLDangerous,
			Tips: []string{"request_policy:all_shards", "nondeterministic_output_order"}, Run: keysCommand,
			Doc: Doc{Summary: "Find all keys matching the given pattern", Since: "1.0.0",
				Complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
				Args:       []Arg{{Name: "pattern", Type: ArgPattern}}}},
		{Name: "scan", Arity: -2, Flags: ReadOnly | AllKeys, Group: GroupGeneric,
			Tips: []string{"nondeterministic_output", "request_policy:special"}, Run: scanCommand,
			Doc: Doc{Summary: "Incrementally iterate the keys space", Since: "2.8.0",
				Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
				History:    [][2]string{{"6.0.0", "Added the `TYPE` subcommand."}},
				Args: []Arg{
					{Name: "cursor", Type: ArgInteger},
					{Name: "pattern", Type: ArgPattern, Token: "MATCH", Optional: true},
					{Name: "count", Type: ArgInteger, Token: "COUNT", Optional: true},
					{Name: "type", Type: ArgString, Token: "TYPE", Since: "6.0.0", Optional: true},
				}}},
		{Name: "randomkey", Arity: 1, Flags: ReadOnly | AllKeys, Group: GroupGeneric,
			Tips: []string{"request_policy:all_shards", "nondeterministic_output"}, Run: randomkeyCommand,
			Doc: Doc{Summary: "Return a random key from the keyspace", Since: "1.0.0", Complexity: "O(1)"}},
		{Name: "rename", Arity: 3, Flags: Write, Group: GroupGeneric,
			Keys: twoKeys(KeyRW|KeyAccess|KeyDelete, KeyOW|KeyUpdate), Run: renameCommand,
			Doc: Doc{Summary: "Rename a key", Since: "1.0.0", Complexity: "O(1)", Args: renameArgs}},
		{Name: "renamenx", Arity: 3, Flags: Write | Fast, Group: GroupGeneric,
			Keys: twoKeys(KeyRW|KeyAccess|KeyDelete, KeyOW|KeyInsert), Run: renamenxCommand,
			Doc: Doc{Summary: "Rename a key, only if the new key does not exist", Since: "1.0.0", Complexity: "O(1)",
				History: [][2]string{{"3.2.0", "The command no longer returns an error when source and destination names are the same."}},
				Args:    renameArgs}},
		{Name: "copy", Arity: -3, Flags: Write | DenyOOM, Group: GroupGeneric,
			Keys: twoKeys(KeyRO|KeyAccess, KeyOW|KeyUpdate), Run: copyCommand,
			Doc: Doc{Summary: "Copy a key", Since: "6.2.0",
				Complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
				Args: []Arg{
					{Name: "source", Type: ArgKey},
					{Name: "destination", Type: ArgKey, KeySpec: 1},
					{Name: "destination-db", Type: ArgInteger, Token: "DB", Optional: true},
					{Name: "replace", Type: ArgPureToken, Token: "REPLACE", Optional: true},
				}}},
		{Name: "move", Arity: 3, Flags: Write | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRW | KeyAccess | KeyUpdate), Run: moveCommand,
			Doc: Doc{Summary: "Move a key to another database", Since: "1.0.0", Complexity: "O(1)",
				Args: []Arg{key, {Name: "db", Type: ArgInteger}}}},
		{Name: "touch", Arity: -2, Flags: ReadOnly | Fast, Group: GroupGeneric,
			Keys: multiKeys(KeyRO), Tips: multiShardSum, Run: touchCommand,
			Doc: Doc{Summary: "Alters the last access time of a key(s). Returns the number of existing keys specified.", Since: "3.2.1",
				Complexity: "O(N) where N is the number of keys that will be touched.",
				Args:       []Arg{keys}}},
		{Name: "expire", Arity: -3, Flags: Write | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRW | KeyUpdate), Run: expireCommand,
			Doc: Doc{Summary: "Set a key's time to live in seconds", Since: "1.0.0", Complexity: "O(1)",
				History: expireHistory, Args: []Arg{key, {Name: "seconds", Type: ArgInteger}, condition}}},
		{Name: "pexpire", Arity: -3, Flags: Write | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRW | KeyUpdate), Run: pexpireCommand,
			Doc: Doc{Summary: "Set a key's time to live in milliseconds", Since: "2.6.0", Complexity: "O(1)",
				History: expireHistory, Args: []Arg{key, {Name: "milliseconds", Type: ArgInteger}, condition}}},
		{Name: "expireat", Arity: -3, Flags: Write | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRW | KeyUpdate), Run: expireatCommand,
			Doc: Doc{Summary: "Set the expiration for a key as a UNIX timestamp", Since: "1.2.0", Complexity: "O(1)",
				History: expireHistory, Args: []Arg{key, {Name: "unix-time-seconds", Type: ArgUnixTime}, condition}}},
		{Name: "pexpireat", Arity: -3, Flags: Write | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRW | KeyUpdate), Run: pexpireatCommand,
			Doc: Doc{Summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds", Since: "2.6.0", Complexity: "O(1)",
				History: expireHistory, Args: []Arg{key, {Name: "unix-time-milliseconds", Type: ArgUnixTime}, condition}}},
		{Name: "ttl", Arity: 2, Flags: ReadOnly | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRO | KeyAccess), Tips: nondeterministic, Run: ttlCommand,
			Doc: Doc{Summary: "Get the time to live for a key in seconds", Since: "1.0.0", Complexity: "O(1)",
				History: ttlHistory, Args: []Arg{key}}},
		{Name: "pttl", Arity: 2, Flags: ReadOnly | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRO | KeyAccess), Tips: nondeterministic, Run: pttlCommand,
			Doc: Doc{Summary: "Get the time to live for a key in milliseconds", Since: "2.6.0", Complexity: "O(1)",
				History: ttlHistory, Args: []Arg{key}}},
		{Name: "expiretime", Arity: 2, Flags: ReadOnly | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRO | KeyAccess), Run: expiretimeCommand,
			Doc: Doc{Summary: "Get the expiration Unix timestamp for a key", Since: "7.0.0", Complexity: "O(1)",
				Args: []Arg{key}}},
		{Name: "pexpiretime", Arity: 2, Flags: ReadOnly | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRO | KeyAccess), Run: pexpiretimeCommand,
			Doc: Doc{Summary: "Get the expiration Unix timestamp for a key in milliseconds", Since: "7.0.0", Complexity: "O(1)",
				Args: []Arg{key}}},
		{Name: "persist", Arity: 2, Flags: Write | Fast, Group: GroupGeneric,
			Keys: firstKey(KeyRW | KeyUpdate), Run: persistCommand,
			Doc: Doc{Summary: "Remove the expiration from a key", Since: "2.2.0", Complexity: "O(1)",
				Args: []Arg{key}}},
		{Name: "object", Arity: -2, Group: GroupGeneric,
			Doc: Doc{Summary: "A container for object introspection commands", Since: "2.2.3", Complexity: "Depends on subcommand."},
			Subcommands: []*Command{
				{Name: "object|help", Arity: 2, Flags: Loading | Stale, Group: GroupGeneric, Run: objectHelpCommand,
					Doc: Doc{Summary: "Show helpful text about the different subcommands", Since: "6.2.0", Complexity: "O(1)"}},
				{Name: "object|idletime", Arity: 3, Flags: ReadOnly, Group: GroupGeneric,
					Keys: objectKey, Tips: nondeterministic, Run: objectIdletimeCommand,
					Doc: Doc{Summary: "Get the time since a Redis object was last accessed", Since: "2.2.3", Complexity: "O(1)",
						Args: []Arg{key}}},
				{Name: "object|freq", Arity: 3, Flags: ReadOnly, Group: GroupGeneric,
					Keys: objectKey, Tips: nondeterministic, Run: objectFreqCommand,
					Doc: Doc{Summary: "Get the logarithmic access frequency counter of a Redis object", Since: "4.0.0", Complexity: "O(1)",
						Args: []Arg{key}}},
				{Name: "object|encoding", Arity: 3, Flags: ReadOnly, Group: GroupGeneric,
					Keys: objectKey, Tips: nondeterministic, Run: objectEncodingCommand,
					Doc: Doc{Summary: "Inspect the internal encoding of a Redis object", Since: "2.2.3", Complexity: "O(1)",
						Args: []Arg{key}}},
				{Name: "object|refcount", Arity: 3, Flags: ReadOnly, Group: GroupGeneric,
					Keys: objectKey, Tips: nondeterministic, Run: objectRefcountCommand,
					Doc: Doc{Summary: "Get the number of references to the value of the key", Since: "2.2.3", Complexity: "O(1)",
						Args: []Arg{key}}},
			}},
		{Name: "dbsize", Arity: 1, Flags: ReadOnly | Fast, Group: GroupServer, ACL: ACLKeyspace,
			Tips: []string{"request_policy:all_shards", "response_policy:agg_sum"}, Run: dbsizeCommand,
			Doc: Doc{Summary: "Return the number of keys in the selected database", Since: "1.0.0", Complexity: "O(1)"}},
		{Name: "flushdb", Arity: -1, Flags: Write | AllKeys, Group: GroupServer, ACL: ACLKeyspace | ACLDangerous,
			Tips: []string{"request_policy:all_shards", "response_policy:all_succeeded"}, Run: flushdbCommand,
			Doc: Doc{Summary: "Remove all keys from the current database", Since: "1.0.0",
				Complexity: "O(N) where N is the number of keys in the selected database",
				History:    flushHistory, Args: flushArgs}},
		{Name: "flushall", Arity: -1, Flags: Write | AllKeys, Group: GroupServer, ACL: ACLKeyspace | ACLDangerous,
			Tips: []string{"request_policy:all_shards", "response_policy:all_succeeded"}, Run: flushallCommand,
			Doc: Doc{Summary: "Remove all keys from all databases", Since: "1.0.0",
				Complexity: "O(N) where N is the total number of keys in all databases",
				History:    flushHistory, Args: flushArgs}},
		{Name: "select", Arity: 2, Flags: Loading | Stale | Fast, Group: GroupConnection, Run: selectCommand,
			Doc: Doc{Summary: "Change the selected database for the current connection", Since: "1.0.0", Complexity: "O(1)",
				Args: []Arg{{Name: "index", Type: ArgInteger}}}},
		{Name: "swapdb", Arity: 3, Flags: Write | Fast | AllKeys, Group: GroupServer, ACL: ACLKeyspace | ACLDangerous,
			Run: swapdbCommand,
			Doc: Doc{Summary: "Swaps two Redis databases", Since: "4.0.0",
				Complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
				Args:       []Arg{{Name: "index1", Type: ArgInteger}, {Name: "index2", Type: ArgInteger}}}},
	}
}

// delCommand serves DEL and UNLINK: values are freed at once either way, which for UNLINK
// is what Redis does too below its lazyfree threshold.
func delCommand(c *Client, args [][]byte) {
	n := int64(0)
	for _, k := range args[1:] {
		if c.srv.store.Delete(c.db, k) {
			c.changed(k, config.NotifyGeneric, "del")
			n++
		}
	}
	c.w.Int(n)
}

// existsCommand counts a key once per time it is named, without touching its access time.
func existsCommand(c *Client, args [][]byte) {
	n := int64(0)
	for _, k := range args[1:] {
		if c.srv.store.Exists(c.db, k) {
			n++
		} else {
			c.keyMiss(k)
		}
	}
	c.w.Int(n)
}

// touchCommand counts the keys that exist, updating their access time.
func touchCommand(c *Client, args [][]byte) {
	n := int64(0)
	for _, k := range args[1:] {
		if c.srv.store.Lookup(c.db, k) != nil {
			n++
		} else {
			c.keyMiss(k)
		}
	}
	c.w.Int(n)
}

func typeCommand(c *Client, args [][]byte) {
	if v := c.srv.store.Peek(c.db, args[1]); v != nil {
		c.w.Simple(v.Type().String())
		return
	}
	c.keyMiss(args[1])
	c.w.Simple(store.TypeNone.String())
}

func keysCommand(c *Client, args [][]byte) {
	pattern := args[1]
	all := len(pattern) == 1 && pattern[0] == '*'
	var found []string
	var scratch []byte
	c.srv.store.ForEach(c.db, func(key string, _ *store.Value) bool {
		scratch = append(scratch[:0], key...)
		if all || config.Match(pattern, scratch, false) {
			found = append(found, key)
		}
		return true
	})
	c.w.Array(len(found))
	for _, k := range found {
		c.w.BulkString(k)
	}
}

// parseScanCursor reads a SCAN cursor as Redis does, with strtoul: an optional sign (a negative
// number wraps around), decimal digits, nothing else; an empty cursor is 0.
func parseScanCursor(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	neg := false
	switch b[0] {
	case '-':
		neg = true
		b = b[1:]
	case '+':
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var v uint64
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		d := uint64(ch - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, true
}

func scanCommand(c *Client, args [][]byte) {
	cursor, ok := parseScanCursor(args[1])
	if !ok {
		c.Error(msgInvalidCursor)
		return
	}
	count := int64(10)
	var pattern []byte
	typeFilter := false
	var typ store.Type
	for i := 2; i < len(args); i += 2 {
		more := len(args) - i
		switch {
		case is(args[i], "count") && more >= 2:
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
		case is(args[i], "match") && more >= 2:
			pattern = args[i+1]
			if len(pattern) == 1 && pattern[0] == '*' {
				pattern = nil
			}
		case is(args[i], "type") && more >= 2:
			typeFilter = true
			t, known := store.ParseType(string(args[i+1]))
			if !known {
				t = store.TypeNone // no key has this type: Redis 7.0 filters every key out
			}
			typ = t
		default:
			c.Error(msgSyntax)
			return
		}
	}
	now := time.Now().UnixMilli()
	var found, expired []string
	var scratch []byte
	next := c.srv.store.Scan(c.db, cursor, int(min(count, math.MaxInt32)), func(key string, v *store.Value) {
		if pattern != nil {
			scratch = append(scratch[:0], key...)
			if !config.Match(pattern, scratch, false) {
				return
			}
		}
		if typeFilter && v.Type() != typ {
			return
		}
		if at := v.ExpireAt(); at != 0 && now > at {
			expired = append(expired, key)
			return
		}
		found = append(found, key)
	})
	for _, k := range expired {
		c.srv.store.Exists(c.db, []byte(k)) // expires it, as Redis's SCAN does
	}
	c.w.Array(2)
	c.w.BulkInt(int64(next))
	c.w.Array(len(found))
	for _, k := range found {
		c.w.BulkString(k)
	}
}

// randomKeyTries bounds how many expired keys RANDOMKEY deletes before it answers with one
// anyway, as Redis bounds its own retries.
const randomKeyTries = 100

func randomkeyCommand(c *Client, _ [][]byte) {
	s := c.srv.store
	for range randomKeyTries {
		key, ok := s.RandomKey(c.db)
		if !ok {
			c.w.Null()
			return
		}
		if s.Exists(c.db, []byte(key)) {
			c.w.BulkString(key)
			return
		}
	}
	if key, ok := s.RandomKey(c.db); ok {
		c.w.BulkString(key)
		return
	}
	c.w.Null()
}

func renameCommand(c *Client, args [][]byte)   { renameGeneric(c, args, false) }
func renamenxCommand(c *Client, args [][]byte) { renameGeneric(c, args, true) }

func renameGeneric(c *Client, args [][]byte, nx bool) {
	s := c.srv.store
	if bytes.Equal(args[1], args[2]) {
		// Nothing to do, but a missing key is still an error.
		switch {
		case s.Lookup(c.db, args[1]) == nil:
			c.Error(msgNoSuchKey)
		case nx:
			c.w.Raw(replyZero)
		default:
			c.w.Raw(replyOK)
		}
		return
	}
	ok, err := s.Rename(c.db, args[1], args[2], nx)
	if err == nil && (ok || !nx) {
		c.signalModified(args[1])
		c.signalModified(args[2])
		c.notify(config.NotifyGeneric, "rename_from", args[1])
		c.notify(config.NotifyGeneric, "rename_to", args[2])
	}
	switch {
	case err != nil:
		c.storeErr(err)
	case !nx:
		c.w.Raw(replyOK)
	case ok:
		c.w.Raw(replyOne)
	default:
		c.w.Raw(replyZero)
	}
}

// dbIntArg parses a 32-bit integer argument as Redis's getIntFromObjectOrReply does: on
// failure it writes the error reply (msg for either kind of failure when msg is set) and
// reports false.
func dbIntArg(c *Client, b []byte, msg string) (int, bool) {
	n, err := parseInt(b)
	if err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
		return int(n), true
	}
	switch {
	case msg != "":
		c.Error(msg)
	case err != nil:
		c.Error(msgNotInteger)
	default:
		c.Error(msgIntRange)
	}
	return 0, false
}

// dbIndexArg parses a database number that must name one of the store's databases.
func dbIndexArg(c *Client, b []byte) (int, bool) {
	db, ok := dbIntArg(c, b, "")
	if !ok {
		return 0, false
	}
	if db < 0 || db >= c.srv.store.Databases() {
		c.Error(msgDBIndex)
		return 0, false
	}
	return db, true
}

func (s *Server) clusterEnabled() bool { return s.cfg.Bool("cluster-enabled") }

func copyCommand(c *Client, args [][]byte) {
	dst, replace := c.db, false
	for j := 3; j < len(args); j++ {
		switch {
		case is(args[j], "replace"):
			replace = true
		case is(args[j], "db") && j+1 < len(args):
			db, ok := dbIndexArg(c, args[j+1])
			if !ok {
				return
			}
			dst = db
			j++
		default:
			c.Error(msgSyntax)
			return
		}
	}
	if (c.db != 0 || dst != 0) && c.srv.clusterEnabled() {
		c.Error(msgClusterCopy)
		return
	}
	if dst == c.db && bytes.Equal(args[1], args[2]) {
		c.Error(msgSameObject)
		return
	}
	ok, err := c.srv.store.Copy(c.db, args[1], dst, args[2], replace)
	switch {
	case err != nil:
		c.storeErr(err)
	case ok:
		c.signalModifiedIn(dst, args[2])
		c.notifyIn(dst, config.NotifyGeneric, "copy_to", args[2])
		c.w.Raw(replyOne)
	default:
		if !c.srv.store.Exists(c.db, args[1]) {
			c.keyMiss(args[1]) // Redis looks the source up for reading
		}
		c.w.Raw(replyZero)
	}
}

func moveCommand(c *Client, args [][]byte) {
	if c.srv.clusterEnabled() {
		c.Error(msgClusterMove)
		return
	}
	dst, ok := dbIndexArg(c, args[2])
	if !ok {
		return
	}
	if dst == c.db {
		c.Error(msgSameObject)
		return
	}
	if c.srv.store.Move(c.db, dst, args[1]) {
		c.signalModified(args[1])
		c.signalModifiedIn(dst, args[1])
		c.notify(config.NotifyGeneric, "move_from", args[1])
		c.notifyIn(dst, config.NotifyGeneric, "move_to", args[1])
		c.w.Raw(replyOne)
		return
	}
	c.w.Raw(replyZero)
}

// Conditions of EXPIRE and its siblings.
const (
	expireNX = 1 << iota
	expireXX
	expireGT
	expireLT
)

func expireCommand(c *Client, args [][]byte) {
	expireGeneric(c, args, "expire", time.Now().UnixMilli(), true)
}
func pexpireCommand(c *Client, args [][]byte) {
	expireGeneric(c, args, "pexpire", time.Now().UnixMilli(), false)
}
func expireatCommand(c *Client, args [][]byte)  { expireGeneric(c, args, "expireat", 0, true) }
func pexpireatCommand(c *Client, args [][]byte) { expireGeneric(c, args, "pexpireat", 0, false) }

// expireGeneric sets a key's expiry to base plus the time argument (seconds or
// milliseconds), checking in Redis's order: options, number, overflow, key, condition.
// name is the command's name for the overflow error.
func expireGeneric(c *Client, args [][]byte, name string, base int64, seconds bool) {
	flags := 0
	for _, opt := range args[3:] {
		switch {
		case is(opt, "nx"):
			flags |= expireNX
		case is(opt, "xx"):
			flags |= expireXX
		case is(opt, "gt"):
			flags |= expireGT
		case is(opt, "lt"):
			flags |= expireLT
		default:
			c.Error(msgUnsupportedOpt + string(cString(opt)))
			return
		}
	}
	if flags&expireNX != 0 && flags != expireNX {
		c.Error(msgExpireNXOptions)
		return
	}
	if flags&(expireGT|expireLT) == expireGT|expireLT {
		c.Error(msgExpireGTLT)
		return
	}
	when, err := parseInt(args[2])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	if seconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			c.errorf(msgInvalidExpire, name)
			return
		}
		when *= 1000
	}
	if when > math.MaxInt64-base {
		c.errorf(msgInvalidExpire, name)
		return
	}
	when += base

	s := c.srv.store
	v := s.Lookup(c.db, args[1])
	if v == nil {
		c.w.Raw(replyZero)
		return
	}
	if flags != 0 {
		current := v.ExpireAt()
		hasTTL := current != 0
		if flags&expireNX != 0 && hasTTL ||
			flags&expireXX != 0 && !hasTTL ||
			flags&expireGT != 0 && (!hasTTL || when <= current) ||
			flags&expireLT != 0 && hasTTL && when >= current {
			c.w.Raw(replyZero)
			return
		}
	}
	if when <= time.Now().UnixMilli() {
		s.Delete(c.db, args[1])
		c.changed(args[1], config.NotifyGeneric, "del")
		c.w.Raw(replyOne)
		return
	}
	s.SetExpire(c.db, args[1], when)
	c.w.Raw(replyOne) // before the event, as Redis orders them
	c.changed(args[1], config.NotifyGeneric, "expire")
}

func ttlCommand(c *Client, args [][]byte)         { ttlGeneric(c, args, true, false) }
func pttlCommand(c *Client, args [][]byte)        { ttlGeneric(c, args, false, false) }
func expiretimeCommand(c *Client, args [][]byte)  { ttlGeneric(c, args, true, true) }
func pexpiretimeCommand(c *Client, args [][]byte) { ttlGeneric(c, args, false, true) }

// ttlGeneric replies a key's remaining time to live, or with abs its expiry time, in seconds
// (rounded to the nearest) or milliseconds: -2 for a missing key, -1 without a TTL.
func ttlGeneric(c *Client, args [][]byte, seconds, abs bool) {
	v := c.srv.store.Peek(c.db, args[1])
	if v == nil {
		c.keyMiss(args[1])
		c.w.Int(-2)
		return
	}
	at := v.ExpireAt()
	if at == 0 {
		c.w.Int(-1)
		return
	}
	t := at
	if !abs {
		t = max(at-time.Now().UnixMilli(), 0)
	}
	if seconds {
		// Unsigned, so that the rounding of a time near the int64 limit does not wrap.
		t = int64((uint64(t) + 500) / 1000)
	}
	c.w.Int(t)
}

func persistCommand(c *Client, args [][]byte) {
	if c.srv.store.Persist(c.db, args[1]) {
		c.changed(args[1], config.NotifyGeneric, "persist")
		c.w.Raw(replyOne)
		return
	}
	c.w.Raw(replyZero)
}

var objectHelpLines = []string{
	"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"ENCODING <key>",
	"    Return the kind of internal representation used in order to store the value",
	"    associated with a <key>.",
	"FREQ <key>",
	"    Return the access frequency index of the <key>. The returned integer is",
	"    proportional to the logarithm of the recent access frequency of the key.",
	"IDLETIME <key>",
	"    Return the idle time of the <key>, that is the approximated number of",
	"    seconds elapsed since the last access to the key.",
	"REFCOUNT <key>",
	"    Return the number of references of the value associated with the specified",
	"    <key>.",
	"HELP",
	"    Prints this help.",
}

func objectHelpCommand(c *Client, _ [][]byte) {
	c.w.Array(len(objectHelpLines))
	for _, l := range objectHelpLines {
		c.w.Simple(l)
	}
}

// objectLookupKey finds OBJECT's key without touching it, replying null when it is missing.
func objectLookupKey(c *Client, key []byte) *store.Value {
	v := c.srv.store.Peek(c.db, key)
	if v == nil {
		c.w.Null()
	}
	return v
}

func objectEncodingCommand(c *Client, args [][]byte) {
	if v := objectLookupKey(c, args[2]); v != nil {
		c.w.BulkString(v.Encoding())
	}
}

// sharedIntegers is Redis's OBJ_SHARED_INTEGERS: string values 0 to 9999 are shared objects,
// whose reference count reads as INT_MAX.
const sharedIntegers = 10000

func objectRefcountCommand(c *Client, args [][]byte) {
	v := objectLookupKey(c, args[2])
	if v == nil {
		return
	}
	if v.Type() == store.TypeString && v.Encoding() == "int" && c.srv.sharesIntegers() {
		var buf [24]byte
		if n, err := parseInt(v.AppendString(buf[:0])); err == nil && n >= 0 && n < sharedIntegers {
			c.w.Int(math.MaxInt32)
			return
		}
	}
	c.w.Int(1)
}

// sharesIntegers reports whether Redis would store small integers as shared objects: not
// when maxmemory is set with an LRU or LFU policy, which needs a clock per object.
func (s *Server) sharesIntegers() bool {
	if s.cfg.Int("maxmemory") == 0 {
		return true
	}
	p := s.cfg.String("maxmemory-policy")
	return !strings.HasSuffix(p, "-lru") && !strings.HasSuffix(p, "-lfu")
}

// lfuPolicy reports whether the maxmemory policy is an LFU one.
func (s *Server) lfuPolicy() bool { return strings.HasSuffix(s.cfg.String("maxmemory-policy"), "-lfu") }

func objectIdletimeCommand(c *Client, args [][]byte) {
	v := objectLookupKey(c, args[2])
	if v == nil {
		return
	}
	if c.srv.lfuPolicy() {
		c.Error(msgLFUSelected)
		return
	}
	c.w.Int(v.IdleSeconds())
}

func objectFreqCommand(c *Client, args [][]byte) {
	v := objectLookupKey(c, args[2])
	if v == nil {
		return
	}
	if !c.srv.lfuPolicy() {
		c.Error(msgLFUNotSelected)
		return
	}
	c.w.Int(int64(v.Freq()))
}

func dbsizeCommand(c *Client, _ [][]byte) { c.w.Int(int64(c.srv.store.DBSize(c.db))) }

// flushModeArg checks FLUSHDB's and FLUSHALL's optional SYNC or ASYNC. Both free memory at once.
func flushModeArg(c *Client, args [][]byte) bool {
	if len(args) > 2 || len(args) == 2 && !is(args[1], "sync") && !is(args[1], "async") {
		c.Error(msgSyntax)
		return false
	}
	return true
}

func flushdbCommand(c *Client, args [][]byte) {
	if flushModeArg(c, args) {
		c.srv.touchAllWatchedKeysInDb(c.db, -1)
		c.srv.store.FlushDB(c.db)
		c.srv.trackingFlushed(c)
		c.w.Raw(replyOK)
	}
}

func flushallCommand(c *Client, args [][]byte) {
	if flushModeArg(c, args) {
		for db := range c.srv.store.Databases() {
			c.srv.touchAllWatchedKeysInDb(db, -1)
		}
		c.srv.store.FlushAll()
		c.srv.trackingFlushed(c)
		c.w.Raw(replyOK)
	}
}

func selectCommand(c *Client, args [][]byte) {
	db, ok := dbIntArg(c, args[1], "")
	if !ok {
		return
	}
	if db != 0 && c.srv.clusterEnabled() {
		c.Error(msgClusterSelect)
		return
	}
	if db < 0 || db >= c.srv.store.Databases() {
		c.Error(msgDBIndex)
		return
	}
	c.db = db
	c.w.Raw(replyOK)
}

func swapdbCommand(c *Client, args [][]byte) {
	if c.srv.clusterEnabled() {
		c.Error(msgClusterSwapDB)
		return
	}
	a, ok := dbIntArg(c, args[1], msgFirstDBIndex)
	if !ok {
		return
	}
	b, ok := dbIntArg(c, args[2], msgSecondDBIndex)
	if !ok {
		return
	}
	n := c.srv.store.Databases()
	if a < 0 || a >= n || b < 0 || b >= n {
		c.Error(msgDBIndex)
		return
	}
	if a != b {
		c.srv.touchAllWatchedKeysInDb(a, b)
		c.srv.touchAllWatchedKeysInDb(b, a)
	}
	c.srv.store.SwapDB(a, b)
	c.w.Raw(replyOK)
}
