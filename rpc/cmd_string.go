package rpc

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// stringCommands declares the commands of the string type, as redis-server 7.0 describes them.
func stringCommands() []*Command {
	key := Arg{Name: "key", Type: ArgKey}
	value := Arg{Name: "value", Type: ArgString}
	keyValue := Arg{Name: "key_value", Type: ArgBlock, Multiple: true, Args: []Arg{key, value}}
	rangeArgs := []Arg{key, {Name: "start", Type: ArgInteger}, {Name: "end", Type: ArgInteger}}
	const rangeComplexity = "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings."
	incrKeys := firstKey(KeyRW | KeyAccess | KeyUpdate)

	return []*Command{
		{
			Name: "get", Arity: 2, Flags: ReadOnly | Fast, Group: GroupString,
			Keys: firstKey(KeyRO | KeyAccess), Run: getCommand,
			Doc: Doc{Summary: "Get the value of a key", Since: "1.0.0", Complexity: "O(1)", Args: []Arg{key}},
		},
		{
			Name: "set", Arity: -3, Flags: Write | DenyOOM, Group: GroupString,
			Keys: []KeySpec{{
				Notes:      "RW and ACCESS due to the optional `GET` argument",
				Flags:      KeyRW | KeyAccess | KeyUpdate | KeyVariableFlags,
				BeginIndex: 1, KeyStep: 1,
			}},
			Run: setCommand,
			Doc: Doc{
				Summary: "Set the string value of a key", Since: "1.0.0", Complexity: "O(1)",
				History: [][2]string{
					{"2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."},
					{"6.0.0", "Added the `KEEPTTL` option."},
					{"6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."},
					{"7.0.0", "Allowed the `NX` and `GET` options to be used together."},
				},
				Args: []Arg{key, value,
					{Name: "condition", Type: ArgOneOf, Since: "2.6.12", Optional: true, Args: []Arg{
						{Name: "nx", Type: ArgPureToken, Token: "NX"},
						{Name: "xx", Type: ArgPureToken, Token: "XX"},
					}},
					{Name: "get", Type: ArgPureToken, Token: "GET", Since: "6.2.0", Optional: true},
					{Name: "expiration", Type: ArgOneOf, Optional: true, Args: []Arg{
						{Name: "seconds", Type: ArgInteger, Token: "EX", Since: "2.6.12"},
						{Name: "milliseconds", Type: ArgInteger, Token: "PX", Since: "2.6.12"},
						{Name: "unix-time-seconds", Type: ArgUnixTime, Token: "EXAT", Since: "6.2.0"},
						{Name: "unix-time-milliseconds", Type: ArgUnixTime, Token: "PXAT", Since: "6.2.0"},
						{Name: "keepttl", Type: ArgPureToken, Token: "KEEPTTL", Since: "6.0.0"},
					}},
				},
			},
		},
		{
			Name: "setnx", Arity: 3, Flags: Write | DenyOOM | Fast, Group: GroupString,
			Keys: firstKey(KeyOW | KeyInsert), Run: setnxCommand,
			Doc: Doc{Summary: "Set the value of a key, only if the key does not exist", Since: "1.0.0",
				Complexity: "O(1)", Args: []Arg{key, value}},
		},
		{
			Name: "setex", Arity: 4, Flags: Write | DenyOOM, Group: GroupString,
			Keys: firstKey(KeyOW | KeyUpdate), Run: setexCommand,
			Doc: Doc{Summary: "Set the value and expiration of a key", Since: "2.0.0", Complexity: "O(1)",
				Args: []Arg{key, {Name: "seconds", Type: ArgInteger}, value}},
		},
		{
			Name: "psetex", Arity: 4, Flags: Write | DenyOOM, Group: GroupString,
			Keys: firstKey(KeyOW | KeyUpdate), Run: psetexCommand,
			Doc: Doc{Summary: "Set the value and expiration in milliseconds of a key", Since: "2.6.0",
				Complexity: "O(1)", Args: []Arg{key, {Name: "milliseconds", Type: ArgInteger}, value}},
		},
		{
			Name: "getset", Arity: 3, Flags: Write | DenyOOM | Fast, Group: GroupString,
			Keys: firstKey(KeyRW | KeyAccess | KeyUpdate), Run: getsetCommand,
			Doc: Doc{Summary: "Set the string value of a key and return its old value", Since: "1.0.0",
				Complexity: "O(1)", DeprecatedSince: "6.2.0", ReplacedBy: "`SET` with the `!GET` argument",
				Args: []Arg{key, value}},
		},
		{
			Name: "getdel", Arity: 2, Flags: Write | Fast, Group: GroupString,
			Keys: firstKey(KeyRW | KeyAccess | KeyDelete), Run: getdelCommand,
			Doc: Doc{Summary: "Get the value of a key and delete the key", Since: "6.2.0", Complexity: "O(1)",
				Args: []Arg{key}},
		},
		{
			Name: "getex", Arity: -2, Flags: Write | Fast, Group: GroupString,
			Keys: []KeySpec{{
				Notes:      "RW and UPDATE because it changes the TTL",
				Flags:      KeyRW | KeyAccess | KeyUpdate,
				BeginIndex: 1, KeyStep: 1,
			}},
			Run: getexCommand,
			Doc: Doc{
				Summary: "Get the value of a key and optionally set its expiration", Since: "6.2.0",
				Complexity: "O(1)",
				Args: []Arg{key,
					{Name: "expiration", Type: ArgOneOf, Optional: true, Args: []Arg{
						{Name: "seconds", Type: ArgInteger, Token: "EX"},
						{Name: "milliseconds", Type: ArgInteger, Token: "PX"},
						{Name: "unix-time-seconds", Type: ArgUnixTime, Token: "EXAT"},
						{Name: "unix-time-milliseconds", Type: ArgUnixTime, Token: "PXAT"},
						{Name: "persist", Type: ArgPureToken, Token: "PERSIST"},
					}},
				},
			},
		},
		{
			Name: "mget", Arity: -2, Flags: ReadOnly | Fast, Group: GroupString,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, LastKey: -1, KeyStep: 1}},
			Tips: []string{"request_policy:multi_shard"},
			Run:  mgetCommand,
			Doc: Doc{Summary: "Get the values of all the given keys", Since: "1.0.0",
				Complexity: "O(N) where N is the number of keys to retrieve.",
				Args:       []Arg{{Name: "key", Type: ArgKey, Multiple: true}}},
		},
		{
			Name: "mset", Arity: -3, Flags: Write | DenyOOM, Group: GroupString,
			Keys: []KeySpec{{Flags: KeyOW | KeyUpdate, BeginIndex: 1, LastKey: -1, KeyStep: 2}},
			Tips: []string{"request_policy:multi_shard", "response_policy:all_succeeded"},
			Run:  msetCommand,
			Doc: Doc{Summary: "Set multiple keys to multiple values", Since: "1.0.1",
				Complexity: "O(N) where N is the number of keys to set.", Args: []Arg{keyValue}},
		},
		{
			Name: "msetnx", Arity: -3, Flags: Write | DenyOOM, Group: GroupString,
			Keys: []KeySpec{{Flags: KeyOW | KeyInsert, BeginIndex: 1, LastKey: -1, KeyStep: 2}},
			Tips: []string{"request_policy:multi_shard", "response_policy:agg_min"},
			Run:  msetnxCommand,
			Doc: Doc{Summary: "Set multiple keys to multiple values, only if none of the keys exist",
				Since: "1.0.1", Complexity: "O(N) where N is the number of keys to set.", Args: []Arg{keyValue}},
		},
		{
			Name: "append", Arity: 3, Flags: Write | DenyOOM | Fast, Group: GroupString,
			Keys: firstKey(KeyRW | KeyInsert), Run: appendCommand,
			Doc: Doc{Summary: "Append a value to a key", Since: "2.0.0",
				Complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
				Args:       []Arg{key, value}},
		},
		{
			Name: "strlen", Arity: 2, Flags: ReadOnly | Fast, Group: GroupString,
			Keys: firstKey(KeyRO), Run: strlenCommand,
			Doc: Doc{Summary: "Get the length of the value stored in a key", Since: "2.2.0",
				Complexity: "O(1)", Args: []Arg{key}},
		},
		{
			Name: "incr", Arity: 2, Flags: Write | DenyOOM | Fast, Group: GroupString,
			Keys: incrKeys, Run: incrCommand,
			Doc: Doc{Summary: "Increment the integer value of a key by one", Since: "1.0.0",
				Complexity: "O(1)", Args: []Arg{key}},
		},
		{
			Name: "decr", Arity: 2, Flags: Write | DenyOOM | Fast, Group: GroupString,
			Keys: incrKeys, Run: decrCommand,
			Doc: Doc{Summary: "Decrement the integer value of a key by one", Since: "1.0.0",
				Complexity: "O(1)", Args: []Arg{key}},
		},
		{
			Name: "incrby", Arity: 3, Flags: Write | DenyOOM | Fast, Group: GroupString,
			Keys: incrKeys, Run: incrbyCommand,
			Doc: Doc{Summary: "Increment the integer value of a key by the given amount", Since: "1.0.0",
				Complexity: "O(1)", Args: []Arg{key, {Name: "increment", Type: ArgInteger}}},
		},
		{
			Name: "decrby", Arity: 3, Flags: Write | DenyOOM | Fast, Group: GroupString,
			Keys: incrKeys, Run: decrbyCommand,
			Doc: Doc{Summary: "Decrement the integer value of a key by the given number", Since: "1.0.0",
				Complexity: "O(1)", Args: []Arg{key, {Name: "decrement", Type: ArgInteger}}},
		},
		{
			Name: "incrbyfloat", Arity: 3, Flags: Write | DenyOOM | Fast, Group: GroupString,
			Keys: incrKeys, Run: incrbyfloatCommand,
			Doc: Doc{Summary: "Increment the float value of a key by the given amount", Since: "2.6.0",
				Complexity: "O(1)", Args: []Arg{key, {Name: "increment", Type: ArgDouble}}},
		},
		{
			Name: "getrange", Arity: 4, Flags: ReadOnly, Group: GroupString,
			Keys: firstKey(KeyRO | KeyAccess), Run: getrangeCommand,
			Doc: Doc{Summary: "Get a substring of the string stored at a key", Since: "2.4.0",
				Complexity: rangeComplexity, Args: rangeArgs},
		},
		{
			Name: "setrange", Arity: 4, Flags: Write | DenyOOM, Group: GroupString,
			Keys: firstKey(KeyRW | KeyUpdate), Run: setrangeCommand,
			Doc: Doc{Summary: "Overwrite part of a string at key starting at the specified offset",
				Since:      "2.2.0",
				Complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
				Args:       []Arg{key, {Name: "offset", Type: ArgInteger}, value}},
		},
		{
			Name: "substr", Arity: 4, Flags: ReadOnly, Group: GroupString,
			Keys: firstKey(KeyRO | KeyAccess), Run: getrangeCommand,
			Doc: Doc{Summary: "Get a substring of the string stored at a key", Since: "1.0.0",
				Complexity: rangeComplexity, DeprecatedSince: "2.0.0", ReplacedBy: "`GETRANGE`",
				Args: rangeArgs},
		},
		{
			Name: "lcs", Arity: -3, Flags: ReadOnly, Group: GroupString,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, LastKey: 1, KeyStep: 1}},
			Run:  lcsCommand,
			Doc: Doc{Summary: "Find longest common substring", Since: "7.0.0",
				Complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
				Args: []Arg{
					{Name: "key1", Type: ArgKey},
					{Name: "key2", Type: ArgKey}, // Redis 7.0 documents both keys with key spec 0
					{Name: "len", Type: ArgPureToken, Token: "LEN", Optional: true},
					{Name: "idx", Type: ArgPureToken, Token: "IDX", Optional: true},
					{Name: "len", Type: ArgInteger, Token: "MINMATCHLEN", Optional: true},
					{Name: "withmatchlen", Type: ArgPureToken, Token: "WITHMATCHLEN", Optional: true},
				}},
		},
	}
}

// strOpts are the options of SET and GETEX, as Redis's OBJ_* flags.
type strOpts uint16

const (
	optNX strOpts = 1 << iota
	optXX
	optGet
	optKeepTTL
	optPersist
	optEX
	optPX
	optEXAT
	optPXAT

	optExpire = optEX | optPX | optEXAT | optPXAT
)

// parseStrOpts parses the options of SET (set true) or GETEX from args[first:], with the
// compatibility rules of Redis's parseExtendedStringArgumentsOrReply: a repeated option is
// accepted, conflicting ones (NX with XX, two kinds of expiry, KEEPTTL or PERSIST with an
// expiry) are a syntax error. expire is the argument of the expiry option, nil without one.
func parseStrOpts(args [][]byte, first int, set bool) (o strOpts, expire []byte, ok bool) {
	for j := first; j < len(args); j++ {
		opt := cString(args[j])
		// An expiry needs a next argument and excludes KEEPTTL, PERSIST and the other
		// expiries; repeating the same one is allowed.
		more := j < len(args)-1
		var exp strOpts
		switch {
		case set && is(opt, "nx") && o&optXX == 0:
			o |= optNX
		case set && is(opt, "xx") && o&optNX == 0:
			o |= optXX
		case set && is(opt, "get"):
			o |= optGet
		case set && is(opt, "keepttl") && o&(optPersist|optExpire) == 0:
			o |= optKeepTTL
		case !set && is(opt, "persist") && o&(optKeepTTL|optExpire) == 0:
			o |= optPersist
		case is(opt, "ex") && more && o&(optKeepTTL|optPersist|optExpire&^optEX) == 0:
			exp = optEX
		case is(opt, "px") && more && o&(optKeepTTL|optPersist|optExpire&^optPX) == 0:
			exp = optPX
		case is(opt, "exat") && more && o&(optKeepTTL|optPersist|optExpire&^optEXAT) == 0:
			exp = optEXAT
		case is(opt, "pxat") && more && o&(optKeepTTL|optPersist|optExpire&^optPXAT) == 0:
			exp = optPXAT
		default:
			return 0, nil, false
		}
		if exp != 0 {
			o |= exp
			j++
			expire = args[j]
		}
	}
	return o, expire, true
}

// expireAt converts the expiry argument of SET, SETEX, PSETEX or GETEX to an absolute unix time
// in milliseconds, as Redis's getExpireMillisecondsOrReply does: the value must be positive and
// must not overflow when converted to milliseconds and made absolute. On an error it replies and
// returns ok false.
func expireAt(c *Client, name string, arg []byte, o strOpts) (at int64, ok bool) {
	ms, err := parseInt(arg)
	if err != nil {
		c.Error(msgNotInteger)
		return 0, false
	}
	seconds := o&(optEX|optEXAT) != 0
	if ms <= 0 || seconds && ms > math.MaxInt64/1000 {
		c.errorf(msgInvalidExpire, name)
		return 0, false
	}
	if seconds {
		ms *= 1000
	}
	if o&(optEX|optPX) != 0 {
		ms += time.Now().UnixMilli() // wraps around on overflow, caught below as in Redis
	}
	if ms <= 0 {
		c.errorf(msgInvalidExpire, name)
		return 0, false
	}
	return ms, true
}

// readString looks key up for reading (a "keymiss" when absent). It returns nil for an absent key; for a key of another
// type it replies WRONGTYPE and returns ok false.
func readString(c *Client, key []byte) (v *store.Value, ok bool) {
	v = c.srv.store.Lookup(c.db, key)
	if v == nil {
		c.keyMiss(key)
	}
	if v != nil && v.Type() != store.TypeString {
		c.Error(msgWrongType)
		return nil, false
	}
	return v, true
}

// replyString writes the string value v as a bulk reply, or a null reply when v is nil. It
// formats straight into the output buffer, so it does not allocate once the buffer has room.
func replyString(c *Client, v *store.Value) {
	if v == nil {
		c.w.Null()
		return
	}
	b := append(c.w.Buf, '$')
	b = strconv.AppendInt(b, int64(v.StrLen()), 10)
	b = append(b, '\r', '\n')
	b = v.AppendString(b)
	c.w.Buf = append(b, '\r', '\n')
}

func getCommand(c *Client, args [][]byte) {
	if v, ok := readString(c, args[1]); ok {
		replyString(c, v)
	}
}

func setCommand(c *Client, args [][]byte) {
	o, expire, ok := parseStrOpts(args, 3, true)
	if !ok {
		c.Error(msgSyntax)
		return
	}
	setGeneric(c, "set", o, args[1], args[2], expire, replyOK, nil)
}

func setnxCommand(c *Client, args [][]byte) {
	setGeneric(c, "setnx", optNX, args[1], args[2], nil, replyOne, replyZero)
}

func setexCommand(c *Client, args [][]byte) {
	setGeneric(c, "setex", optEX, args[1], args[3], args[2], replyOK, nil)
}

func psetexCommand(c *Client, args [][]byte) {
	setGeneric(c, "psetex", optPX, args[1], args[3], args[2], replyOK, nil)
}

// setGeneric is SET with options o, as Redis's setGenericCommand: the expiry is checked first,
// then GET replies with the old value (or WRONGTYPE, setting nothing), then NX/XX decide. done
// is the reply when the key is set and aborted the one when NX/XX prevent it (nil: a null).
func setGeneric(c *Client, name string, o strOpts, key, val, expire []byte, done, aborted []byte) {
	var at int64
	if expire != nil {
		var ok bool
		if at, ok = expireAt(c, name, expire, o); !ok {
			return
		}
	}
	st := c.srv.store
	if o&optGet != 0 {
		v, ok := readString(c, key)
		if !ok {
			return
		}
		replyString(c, v)
	}
	if o&(optNX|optXX) != 0 {
		found := st.Exists(c.db, key)
		if o&optNX != 0 && found || o&optXX != 0 && !found {
			switch {
			case o&optGet != 0:
			case aborted == nil:
				c.w.Null()
			default:
				c.w.Raw(aborted)
			}
			return
		}
	}
	st.SetString(c.db, key, val, at, o&optKeepTTL != 0)
	c.changed(key, config.NotifyString, "set")
	if expire != nil {
		c.notify(config.NotifyGeneric, "expire", key)
	}
	if o&optGet == 0 {
		c.w.Raw(done)
	}
}

func getsetCommand(c *Client, args [][]byte) {
	v, ok := readString(c, args[1])
	if !ok {
		return
	}
	replyString(c, v)
	c.srv.store.SetString(c.db, args[1], args[2], 0, false)
	c.changed(args[1], config.NotifyString, "set")
}

func getdelCommand(c *Client, args [][]byte) {
	v, ok := readString(c, args[1])
	if !ok {
		return
	}
	replyString(c, v)
	if v != nil && c.srv.store.Delete(c.db, args[1]) {
		c.changed(args[1], config.NotifyGeneric, "del")
	}
}

func getexCommand(c *Client, args [][]byte) {
	o, expire, ok := parseStrOpts(args, 2, false)
	if !ok {
		c.Error(msgSyntax)
		return
	}
	v, ok := readString(c, args[1])
	if !ok {
		return
	}
	if v == nil {
		c.w.Null()
		return
	}
	var at int64
	if expire != nil {
		if at, ok = expireAt(c, "getex", expire, o); !ok {
			return
		}
	}
	replyString(c, v) // before the key may be deleted below
	st := c.srv.store
	switch {
	case o&(optEXAT|optPXAT) != 0 && at <= time.Now().UnixMilli():
		if st.Delete(c.db, args[1]) {
			c.changed(args[1], config.NotifyGeneric, "del")
		}
	case expire != nil:
		st.SetExpire(c.db, args[1], at)
		c.changed(args[1], config.NotifyGeneric, "expire")
	case o&optPersist != 0:
		if st.Persist(c.db, args[1]) {
			c.changed(args[1], config.NotifyGeneric, "persist")
		}
	}
}

func mgetCommand(c *Client, args [][]byte) {
	st := c.srv.store
	c.w.Array(len(args) - 1)
	for _, key := range args[1:] {
		v := st.Lookup(c.db, key)
		if v == nil {
			c.keyMiss(key) // inside the array, as Redis 7.0 writes it
		} else if v.Type() != store.TypeString {
			v = nil // MGET answers nil for keys of other types
		}
		replyString(c, v)
	}
}

func msetCommand(c *Client, args [][]byte) { msetGeneric(c, args, "mset") }

func msetnxCommand(c *Client, args [][]byte) { msetGeneric(c, args, "msetnx") }

// msetGeneric is MSET and MSETNX; MSETNX sets nothing when any of the keys exists.
func msetGeneric(c *Client, args [][]byte, name string) {
	if len(args)%2 == 0 {
		c.errorf(msgMSetArity, name)
		return
	}
	st := c.srv.store
	nx := name == "msetnx"
	if nx {
		for j := 1; j < len(args); j += 2 {
			if st.Exists(c.db, args[j]) {
				c.w.Raw(replyZero)
				return
			}
		}
	}
	for j := 1; j < len(args); j += 2 {
		st.SetString(c.db, args[j], args[j+1], 0, false)
		c.changed(args[j], config.NotifyString, "set")
	}
	if nx {
		c.w.Raw(replyOne)
	} else {
		c.w.Raw(replyOK)
	}
}

func appendCommand(c *Client, args [][]byte) {
	n, err := c.srv.store.Append(c.db, args[1], args[2])
	if err != nil {
		c.storeErr(err)
		return
	}
	c.changed(args[1], config.NotifyString, "append")
	c.w.Int(int64(n))
}

func strlenCommand(c *Client, args [][]byte) {
	v, ok := readString(c, args[1])
	switch {
	case !ok:
	case v == nil:
		c.w.Raw(replyZero)
	default:
		c.w.Int(int64(v.StrLen()))
	}
}

func incrCommand(c *Client, args [][]byte) { incrBy(c, args[1], 1) }

func decrCommand(c *Client, args [][]byte) { incrBy(c, args[1], -1) }

func incrbyCommand(c *Client, args [][]byte) {
	n, err := parseInt(args[2])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	incrBy(c, args[1], n)
}

func decrbyCommand(c *Client, args [][]byte) {
	n, err := parseInt(args[2])
	switch {
	case err != nil:
		c.Error(msgNotInteger)
	case n == math.MinInt64:
		c.Error(msgDecrOverflow)
	default:
		incrBy(c, args[1], -n)
	}
}

// incrBy adds delta to the integer at key and replies with the result.
func incrBy(c *Client, key []byte, delta int64) {
	n, err := c.srv.store.IncrBy(c.db, key, delta)
	if err != nil {
		c.storeErr(err)
		return
	}
	c.changed(key, config.NotifyString, "incrby")
	c.w.Int(n)
}

func incrbyfloatCommand(c *Client, args [][]byte) {
	text, err := c.srv.store.IncrByFloat(c.db, args[1], args[2])
	if err != nil {
		c.storeErr(err)
		return
	}
	c.changed(args[1], config.NotifyString, "incrbyfloat")
	c.w.Bulk(text)
}

// getrangeCommand is GETRANGE and SUBSTR.
func getrangeCommand(c *Client, args [][]byte) {
	start, err := parseInt(args[2])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	end, err := parseInt(args[3])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	v, ok := readString(c, args[1])
	if !ok {
		return
	}
	if v == nil {
		c.w.Bulk(nil)
		return
	}
	first, last, ok := clampRange(start, end, int64(v.StrLen()))
	if !ok {
		c.w.Bulk(nil)
		return
	}
	replyStringRange(c, v, int(first), int(last))
}

// clampRange turns GETRANGE's start and end (inclusive, negative from the end) into a range
// of a string of n bytes, as Redis's getrangeCommand does; ok is false when it is empty.
func clampRange(start, end, n int64) (first, last int64, ok bool) {
	if start < 0 && end < 0 && start > end {
		return 0, 0, false
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		return 0, 0, false
	}
	return start, end, true
}

// replyStringRange writes bytes first..last (inclusive, within the string) of the string v
// as a bulk reply. The value has no accessor for a part of it, so it is appended whole to
// the output buffer and the part moved into place, which keeps the reply free of
// allocations once the buffer has room.
func replyStringRange(c *Client, v *store.Value, first, last int) {
	b0 := len(c.w.Buf)
	b := v.AppendString(c.w.Buf)
	n := last - first + 1
	var hdr [24]byte
	h := strconv.AppendInt(append(hdr[:0], '$'), int64(n), 10)
	h = append(h, '\r', '\n')
	need := b0 + len(h) + n + 2
	if need > len(b) {
		b = slices.Grow(b, need-len(b))[:need]
	}
	copy(b[b0+len(h):], b[b0+first:b0+first+n])
	copy(b[b0:], h)
	b[need-2], b[need-1] = '\r', '\n'
	c.w.Buf = b[:need]
}

func setrangeCommand(c *Client, args [][]byte) {
	offset, err := parseInt(args[2])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	if offset < 0 {
		c.Error(msgOffsetRange)
		return
	}
	n, err := c.srv.store.SetRange(c.db, args[1], int(offset), args[3])
	if err != nil {
		c.storeErr(err)
		return
	}
	if len(args[3]) > 0 { // an empty value changes nothing
		c.changed(args[1], config.NotifyString, "setrange")
	}
	c.w.Int(int64(n))
}

func lcsCommand(c *Client, args [][]byte) {
	st := c.srv.store
	va := st.Lookup(c.db, args[1])
	if va == nil {
		c.keyMiss(args[1])
	}
	vb := st.Lookup(c.db, args[2])
	if vb == nil {
		c.keyMiss(args[2])
	}
	if va != nil && va.Type() != store.TypeString || vb != nil && vb.Type() != store.TypeString {
		c.Error(msgLCSNotString)
		return
	}
	var getLen, getIdx, withMatchLen bool
	var minMatchLen int64
	for j := 3; j < len(args); j++ {
		opt := cString(args[j])
		switch {
		case is(opt, "idx"):
			getIdx = true
		case is(opt, "len"):
			getLen = true
		case is(opt, "withmatchlen"):
			withMatchLen = true
		case is(opt, "minmatchlen") && j < len(args)-1:
			n, err := parseInt(args[j+1])
			if err != nil {
				c.Error(msgNotInteger)
				return
			}
			minMatchLen = max(n, 0)
			j++
		default:
			c.Error(msgSyntax)
			return
		}
	}
	if getIdx && getLen {
		c.Error(msgLCSIdxAndLen)
		return
	}
	var a, b []byte
	if va != nil {
		a = va.AppendString(nil)
	}
	if vb != nil {
		b = vb.AppendString(nil)
	}
	if int64(len(a)) >= math.MaxUint32-1 || int64(len(b)) >= math.MaxUint32-1 {
		c.Error(msgLCSTooLong)
		return
	}
	if (int64(len(a))+1)*(int64(len(b))+1)*4 > c.srv.cfg.Int("proto-max-bulk-len") {
		c.Error(msgLCSMemory)
		return
	}
	res := lcs(a, b, getIdx || !getLen, minMatchLen)
	switch {
	case getIdx:
		c.w.Map(2)
		c.w.BulkString("matches")
		c.w.Array(len(res.matches))
		for _, m := range res.matches {
			if withMatchLen {
				c.w.Array(3)
			} else {
				c.w.Array(2)
			}
			c.w.Array(2)
			c.w.Int(int64(m.aStart))
			c.w.Int(int64(m.aEnd))
			c.w.Array(2)
			c.w.Int(int64(m.bStart))
			c.w.Int(int64(m.bEnd))
			if withMatchLen {
				c.w.Int(int64(m.aEnd - m.aStart + 1))
			}
		}
		c.w.BulkString("len")
		c.w.Int(int64(res.length))
	case getLen:
		c.w.Int(int64(res.length))
	default:
		c.w.Bulk(res.str)
	}
}

// lcsMatch is one run of matching bytes of an LCS: a[aStart..aEnd] equals b[bStart..bEnd].
type lcsMatch struct{ aStart, aEnd, bStart, bEnd uint32 }

// lcsResult is what LCS computes: its length and, when asked for, the common subsequence and
// the matching runs of at least the minimum length, last run first.
type lcsResult struct {
	length  uint32
	str     []byte
	matches []lcsMatch
}

// lcs computes the longest common subsequence of a and b with Redis's dynamic programming over
// a full (len(a)+1)×(len(b)+1) table, and walks the table back from the end the way Redis does,
// so that ties are broken identically and the same string and runs come out. With walk false
// only the length is computed.
func lcs(a, b []byte, walk bool, minMatchLen int64) lcsResult {
	alen, blen := uint32(len(a)), uint32(len(b))
	w := blen + 1
	table := make([]uint32, (uint64(alen)+1)*uint64(w))
	at := func(i, j uint32) uint32 { return table[uint64(i)*uint64(w)+uint64(j)] }
	for i := uint32(1); i <= alen; i++ {
		row := table[uint64(i)*uint64(w) : uint64(i+1)*uint64(w)]
		prev := table[uint64(i-1)*uint64(w) : uint64(i)*uint64(w)]
		for j := uint32(1); j <= blen; j++ {
			if a[i-1] == b[j-1] {
				row[j] = prev[j-1] + 1
			} else {
				row[j] = max(prev[j], row[j-1])
			}
		}
	}
	res := lcsResult{length: at(alen, blen)}
	if !walk {
		return res
	}
	idx := res.length
	res.str = make([]byte, idx)
	// aStart == alen means that no run is being tracked.
	aStart, aEnd, bStart, bEnd := alen, uint32(0), uint32(0), uint32(0)
	i, j := alen, blen
	for i > 0 && j > 0 {
		emit := false
		if a[i-1] == b[j-1] {
			res.str[idx-1] = a[i-1]
			if aStart == alen {
				aStart, aEnd = i-1, i-1
				bStart, bEnd = j-1, j-1
			} else if aStart == i && bStart == j {
				aStart--
				bStart--
			} else {
				emit = true
			}
			if aStart == 0 || bStart == 0 {
				emit = true
			}
			idx--
			i--
			j--
		} else {
			if at(i-1, j) > at(i, j-1) {
				i--
			} else {
				j--
			}
			if aStart != alen {
				emit = true
			}
		}
		if emit {
			if minMatchLen == 0 || int64(aEnd-aStart+1) >= minMatchLen {
				res.matches = append(res.matches, lcsMatch{aStart, aEnd, bStart, bEnd})
			}
			aStart = alen
		}
	}
	return res
}
