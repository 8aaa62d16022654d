package rpc

import (
	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// listCommands declares the non-blocking commands of the list type, as redis-server 7.0
// describes them.
func listCommands() []*Command {
	return []*Command{
		{
			Name: "lpush", Arity: -3, Flags: Write | DenyOOM | Fast, Group: GroupList,
			Keys: firstKey(KeyRW | KeyInsert),
			Run:  lpushCommand,
			Doc: Doc{Summary: "Prepend one or multiple elements to a list", Since: "1.0.0", Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
				History: [][2]string{
					{"2.4.0", "Accepts multiple `element` arguments."},
				},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "element", Type: ArgString, Multiple: true},
				},
			},
		},
		{
			Name: "rpush", Arity: -3, Flags: Write | DenyOOM | Fast, Group: GroupList,
			Keys: firstKey(KeyRW | KeyInsert),
			Run:  rpushCommand,
			Doc: Doc{Summary: "Append one or multiple elements to a list", Since: "1.0.0", Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
				History: [][2]string{
					{"2.4.0", "Accepts multiple `element` arguments."},
				},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "element", Type: ArgString, Multiple: true},
				},
			},
		},
		{
			Name: "lpushx", Arity: -3, Flags: Write | DenyOOM | Fast, Group: GroupList,
			Keys: firstKey(KeyRW | KeyInsert),
			Run:  lpushxCommand,
			Doc: Doc{Summary: "Prepend an element to a list, only if the list exists", Since: "2.2.0", Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
				History: [][2]string{
					{"4.0.0", "Accepts multiple `element` arguments."},
				},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "element", Type: ArgString, Multiple: true},
				},
			},
		},
		{
			Name: "rpushx", Arity: -3, Flags: Write | DenyOOM | Fast, Group: GroupList,
			Keys: firstKey(KeyRW | KeyInsert),
			Run:  rpushxCommand,
			Doc: Doc{Summary: "Append an element to a list, only if the list exists", Since: "2.2.0", Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
				History: [][2]string{
					{"4.0.0", "Accepts multiple `element` arguments."},
				},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "element", Type: ArgString, Multiple: true},
				},
			},
		},
		{
			Name: "lpop", Arity: -2, Flags: Write | Fast, Group: GroupList,
			Keys: firstKey(KeyRW | KeyAccess | KeyDelete),
			Run:  lpopCommand,
			Doc: Doc{Summary: "Remove and get the first elements in a list", Since: "1.0.0", Complexity: "O(N) where N is the number of elements returned",
				History: [][2]string{
					{"6.2.0", "Added the `count` argument."},
				},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "count", Type: ArgInteger, Optional: true, Since: "6.2.0"},
				},
			},
		},
		{
			Name: "rpop", Arity: -2, Flags: Write | Fast, Group: GroupList,
			Keys: firstKey(KeyRW | KeyAccess | KeyDelete),
			Run:  rpopCommand,
			Doc: Doc{Summary: "Remove and get the last elements in a list", Since: "1.0.0", Complexity: "O(N) where N is the number of elements returned",
				History: [][2]string{
					{"6.2.0", "Added the `count` argument."},
				},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "count", Type: ArgInteger, Optional: true, Since: "6.2.0"},
				},
			},
		},
		{
			Name: "llen", Arity: 2, Flags: ReadOnly | Fast, Group: GroupList,
			Keys: firstKey(KeyRO),
			Run:  llenCommand,
			Doc: Doc{Summary: "Get the length of a list", Since: "1.0.0", Complexity: "O(1)",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
				},
			},
		},
		{
			Name: "lrange", Arity: 4, Flags: ReadOnly, Group: GroupList,
			Keys: firstKey(KeyRO | KeyAccess),
			Run:  lrangeCommand,
			Doc: Doc{Summary: "Get a range of elements from a list", Since: "1.0.0", Complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "start", Type: ArgInteger},
					{Name: "stop", Type: ArgInteger},
				},
			},
		},
		{
			Name: "lindex", Arity: 3, Flags: ReadOnly, Group: GroupList,
			Keys: firstKey(KeyRO | KeyAccess),
			Run:  lindexCommand,
			Doc: Doc{Summary: "Get an element from a list by its index", Since: "1.0.0", Complexity: "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "index", Type: ArgInteger},
				},
			},
		},
		{
			Name: "lset", Arity: 4, Flags: Write | DenyOOM, Group: GroupList,
			Keys: firstKey(KeyRW | KeyUpdate),
			Run:  lsetCommand,
			Doc: Doc{Summary: "Set the value of an element in a list by its index", Since: "1.0.0", Complexity: "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "index", Type: ArgInteger},
					{Name: "element", Type: ArgString},
				},
			},
		},
		{
			Name: "linsert", Arity: 5, Flags: Write | DenyOOM, Group: GroupList,
			Keys: firstKey(KeyRW | KeyInsert),
			Run:  linsertCommand,
			Doc: Doc{Summary: "Insert an element before or after another element in a list", Since: "2.2.0", Complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "where", Type: ArgOneOf, Args: []Arg{
						{Name: "before", Type: ArgPureToken, Token: "BEFORE"},
						{Name: "after", Type: ArgPureToken, Token: "AFTER"},
					}},
					{Name: "pivot", Type: ArgString},
					{Name: "element", Type: ArgString},
				},
			},
		},
		{
			Name: "lrem", Arity: 4, Flags: Write, Group: GroupList,
			Keys: firstKey(KeyRW | KeyDelete),
			Run:  lremCommand,
			Doc: Doc{Summary: "Remove elements from a list", Since: "1.0.0", Complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "count", Type: ArgInteger},
					{Name: "element", Type: ArgString},
				},
			},
		},
		{
			Name: "ltrim", Arity: 4, Flags: Write, Group: GroupList,
			Keys: firstKey(KeyRW | KeyDelete),
			Run:  ltrimCommand,
			Doc: Doc{Summary: "Trim a list to the specified range", Since: "1.0.0", Complexity: "O(N) where N is the number of elements to be removed by the operation.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "start", Type: ArgInteger},
					{Name: "stop", Type: ArgInteger},
				},
			},
		},
		{
			Name: "lpos", Arity: -3, Flags: ReadOnly, Group: GroupList,
			Keys: firstKey(KeyRO | KeyAccess),
			Run:  lposCommand,
			Doc: Doc{Summary: "Return the index of matching elements on a list", Since: "6.0.6", Complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "element", Type: ArgString},
					{Name: "rank", Type: ArgInteger, Token: "RANK", Optional: true},
					{Name: "num-matches", Type: ArgInteger, Token: "COUNT", Optional: true},
					{Name: "len", Type: ArgInteger, Token: "MAXLEN", Optional: true},
				},
			},
		},
		{
			Name: "lmove", Arity: 5, Flags: Write | DenyOOM, Group: GroupList,
			Keys: []KeySpec{
				{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, KeyStep: 1},
				{Flags: KeyRW | KeyInsert, BeginIndex: 2, KeyStep: 1},
			},
			Run: lmoveCommand,
			Doc: Doc{Summary: "Pop an element from a list, push it to another list and return it", Since: "6.2.0", Complexity: "O(1)",
				Args: []Arg{
					{Name: "source", Type: ArgKey},
					{Name: "destination", Type: ArgKey, KeySpec: 1},
					{Name: "wherefrom", Type: ArgOneOf, Args: []Arg{
						{Name: "left", Type: ArgPureToken, Token: "LEFT"},
						{Name: "right", Type: ArgPureToken, Token: "RIGHT"},
					}},
					{Name: "whereto", Type: ArgOneOf, Args: []Arg{
						{Name: "left", Type: ArgPureToken, Token: "LEFT"},
						{Name: "right", Type: ArgPureToken, Token: "RIGHT"},
					}},
				},
			},
		},
		{
			Name: "rpoplpush", Arity: 3, Flags: Write | DenyOOM, Group: GroupList,
			Keys: []KeySpec{
				{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, KeyStep: 1},
				{Flags: KeyRW | KeyInsert, BeginIndex: 2, KeyStep: 1},
			},
			Run: rpoplpushCommand,
			Doc: Doc{Summary: "Remove the last element in a list, prepend it to another list and return it", Since: "1.2.0", Complexity: "O(1)", DeprecatedSince: "6.2.0", ReplacedBy: "`LMOVE` with the `RIGHT` and `LEFT` arguments",
				Args: []Arg{
					{Name: "source", Type: ArgKey},
					{Name: "destination", Type: ArgKey, KeySpec: 1},
				},
			},
		},
		{
			Name: "lmpop", Arity: -4, Flags: Write, Group: GroupList,
			Keys: []KeySpec{
				{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, KeyNum: true, FirstKey: 1, KeyStep: 1},
			},
			Run: lmpopCommand,
			Doc: Doc{Summary: "Pop elements from a list", Since: "7.0.0", Complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
				Args: []Arg{
					{Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, Multiple: true},
					{Name: "where", Type: ArgOneOf, Args: []Arg{
						{Name: "left", Type: ArgPureToken, Token: "LEFT"},
						{Name: "right", Type: ArgPureToken, Token: "RIGHT"},
					}},
					{Name: "count", Type: ArgInteger, Token: "COUNT", Optional: true},
				},
			},
		},
	}
}

// readList looks key up for reading. It returns nil for an absent key; for a key of another
// type it replies WRONGTYPE and returns ok false.
func readList(c *Client, key []byte) (l *store.List, ok bool) {
	l, err := c.srv.store.List(c.db, key)
	if err != nil {
		c.storeErr(err)
		return nil, false
	}
	return l, true
}

// readListMiss is readList for the read-only commands, whose lookup of an absent key is a
// "keymiss".
func readListMiss(c *Client, key []byte) (l *store.List, ok bool) {
	l, ok = readList(c, key)
	if ok && l == nil {
		c.keyMiss(key)
	}
	return l, ok
}

// listRemoved reports that elements were popped from the head (left) or tail of the list
// at key, as Redis's listElementsRemoved: the pop event, then the key's deletion when the
// list is empty, then signalModified.
func listRemoved(c *Client, key []byte, left bool) {
	if left {
		c.notify(config.NotifyList, "lpop", key)
	} else {
		c.notify(config.NotifyList, "rpop", key)
	}
	c.deleteIfEmpty(key)
	c.signalModified(key)
}

// pushed reports a push at the head (left) or tail of the list at key.
func pushed(c *Client, key []byte, left bool) {
	c.signalModified(key)
	if left {
		c.notify(config.NotifyList, "lpush", key)
	} else {
		c.notify(config.NotifyList, "rpush", key)
	}
}

// parseWhere parses LEFT or RIGHT; left reports which.
func parseWhere(arg []byte) (left, ok bool) {
	switch {
	case is(arg, "left"):
		return true, true
	case is(arg, "right"):
		return false, true
	}
	return false, false
}

// push adds v at the head (left) or tail of l.
func push(l *store.List, left bool, v []byte) {
	if left {
		l.PushLeft(v)
	} else {
		l.PushRight(v)
	}
}

// pop removes the head (left) or tail element of l.
func pop(l *store.List, left bool) []byte {
	if left {
		return l.PopLeft()
	}
	return l.PopRight()
}

func lpushCommand(c *Client, args [][]byte)  { pushGeneric(c, args, true, false) }
func rpushCommand(c *Client, args [][]byte)  { pushGeneric(c, args, false, false) }
func lpushxCommand(c *Client, args [][]byte) { pushGeneric(c, args, true, true) }
func rpushxCommand(c *Client, args [][]byte) { pushGeneric(c, args, false, true) }

// pushGeneric is LPUSH, RPUSH and, with onlyExisting, LPUSHX and RPUSHX.
func pushGeneric(c *Client, args [][]byte, left, onlyExisting bool) {
	st := c.srv.store
	var l *store.List
	var err error
	if onlyExisting {
		l, err = st.List(c.db, args[1])
	} else {
		l, err = st.ListForWrite(c.db, args[1])
	}
	if err != nil {
		c.storeErr(err)
		return
	}
	if l == nil {
		c.w.Raw(replyZero)
		return
	}
	for _, v := range args[2:] {
		push(l, left, v)
	}
	c.w.Int(int64(l.Len()))
	pushed(c, args[1], left)
}

func lpopCommand(c *Client, args [][]byte) { popGeneric(c, args, "lpop", true) }
func rpopCommand(c *Client, args [][]byte) { popGeneric(c, args, "rpop", false) }

// popGeneric is LPOP and RPOP, with an optional count.
func popGeneric(c *Client, args [][]byte, name string, left bool) {
	if len(args) > 3 {
		c.errorf("ERR wrong number of arguments for '%s' command", name)
		return
	}
	hasCount := len(args) == 3
	var count int64
	if hasCount {
		var err error
		if count, err = parseInt(args[2]); err != nil || count < 0 {
			c.Error(msgPositive)
			return
		}
	}
	l, ok := readList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		if hasCount {
			c.w.NullArray()
		} else {
			c.w.Null()
		}
		return
	}
	if !hasCount {
		c.w.Bulk(pop(l, left))
	} else {
		n := min(count, int64(l.Len()))
		c.w.Array(int(n))
		for range n {
			c.w.Bulk(pop(l, left))
		}
		if n == 0 {
			return // a count of 0 changes nothing
		}
	}
	listRemoved(c, args[1], left)
}

func llenCommand(c *Client, args [][]byte) {
	l, ok := readListMiss(c, args[1])
	switch {
	case !ok:
	case l == nil:
		c.w.Raw(replyZero)
	default:
		c.w.Int(int64(l.Len()))
	}
}

// listRange converts LRANGE's start and stop (inclusive, negative from the end) into
// positions in a list of n elements; ok is false when the range is empty.
func listRange(start, stop int64, n int) (first, last int, ok bool) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if stop < 0 {
		stop += ln
	}
	start = max(start, 0)
	if start > stop || start >= ln {
		return 0, 0, false
	}
	stop = min(stop, ln-1)
	return int(start), int(stop), true
}

func lrangeCommand(c *Client, args [][]byte) {
	start, err1 := parseInt(args[2])
	stop, err2 := parseInt(args[3])
	if err1 != nil || err2 != nil {
		c.Error(msgNotInteger)
		return
	}
	l, ok := readListMiss(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.w.Array(0)
		return
	}
	first, last, ok := listRange(start, stop, l.Len())
	if !ok {
		c.w.Array(0)
		return
	}
	c.w.Array(last - first + 1)
	l.Range(first, last, c.w.Bulk)
}

func lindexCommand(c *Client, args [][]byte) {
	l, ok := readListMiss(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.w.Null()
		return
	}
	i, err := parseInt(args[2])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	v, found := l.Index(int(i))
	if !found {
		c.w.Null()
		return
	}
	c.w.Bulk(v)
}

func lsetCommand(c *Client, args [][]byte) {
	l, ok := readList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.Error(msgNoSuchKey)
		return
	}
	i, err := parseInt(args[2])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	if !l.Set(int(i), args[3]) {
		c.Error(msgOutOfRange)
		return
	}
	c.w.Raw(replyOK)
	c.changed(args[1], config.NotifyList, "lset")
}

func linsertCommand(c *Client, args [][]byte) {
	var after bool
	switch where := cString(args[2]); {
	case is(where, "after"):
		after = true
	case is(where, "before"):
	default:
		c.Error(msgSyntax)
		return
	}
	l, ok := readList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.w.Raw(replyZero)
		return
	}
	i := l.Find(args[3])
	if i < 0 {
		c.w.Int(-1)
		return
	}
	if after {
		i++
	}
	l.Insert(i, args[4])
	c.changed(args[1], config.NotifyList, "linsert")
	c.w.Int(int64(l.Len()))
}

func lremCommand(c *Client, args [][]byte) {
	count, err := parseInt(args[2])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	l, ok := readList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.w.Raw(replyZero)
		return
	}
	// Counts beyond the list's length all mean "every match"; clamping keeps them in int.
	count = max(min(count, int64(l.Len())+1), -int64(l.Len())-1)
	n := l.Remove(int(count), args[3])
	if n > 0 {
		c.changed(args[1], config.NotifyList, "lrem")
	}
	c.deleteIfEmpty(args[1])
	c.w.Int(int64(n))
}

func ltrimCommand(c *Client, args [][]byte) {
	start, err1 := parseInt(args[2])
	stop, err2 := parseInt(args[3])
	if err1 != nil || err2 != nil {
		c.Error(msgNotInteger)
		return
	}
	l, ok := readList(c, args[1])
	if !ok {
		return
	}
	if l != nil {
		if first, last, ok := listRange(start, stop, l.Len()); ok {
			l.Trim(first, last)
		} else {
			l.Trim(1, 0)
		}
		c.notify(config.NotifyList, "ltrim", args[1])
		c.deleteIfEmpty(args[1])
		c.signalModified(args[1])
	}
	c.w.Raw(replyOK)
}

func lposCommand(c *Client, args [][]byte) {
	rank, count, maxLen := int64(1), int64(-1), int64(0)
	for j := 3; j < len(args); j++ {
		opt := cString(args[j])
		more := j < len(args)-1
		var err error
		switch {
		case is(opt, "rank") && more:
			j++
			if rank, err = parseInt(args[j]); err != nil {
				c.Error(msgNotInteger)
				return
			}
			if rank == 0 {
				c.Error(msgRankZero)
				return
			}
		case is(opt, "count") && more:
			j++
			if count, err = parseInt(args[j]); err != nil || count < 0 {
				c.Error(msgCountNegative)
				return
			}
		case is(opt, "maxlen") && more:
			j++
			if maxLen, err = parseInt(args[j]); err != nil || maxLen < 0 {
				c.Error(msgMaxLenNegative)
				return
			}
		default:
			c.Error(msgSyntax)
			return
		}
	}
	l, ok := readListMiss(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		if count != -1 {
			c.w.Array(0)
		} else {
			c.w.Null()
		}
		return
	}
	fromTail := rank < 0
	if fromTail {
		// Redis negates the rank in a C long: math.MinInt64 stays negative, and then every
		// match reaches it.
		rank = -rank
	}
	n := l.Len()
	var found []int64
	matches := int64(0)
	for k := 0; k < n && (maxLen == 0 || int64(k) < maxLen); k++ {
		i := k
		if fromTail {
			i = n - 1 - k
		}
		v, _ := l.Index(i)
		if string(v) != string(args[2]) {
			continue
		}
		matches++
		if matches < rank {
			continue
		}
		found = append(found, int64(i))
		if count != 0 && int64(len(found)) >= max(count, 1) {
			break
		}
	}
	if count == -1 {
		if len(found) == 0 {
			c.w.Null()
		} else {
			c.w.Int(found[0])
		}
		return
	}
	c.w.Array(len(found))
	for _, i := range found {
		c.w.Int(i)
	}
}

func lmoveCommand(c *Client, args [][]byte) {
	from, ok1 := parseWhere(cString(args[3]))
	to, ok2 := parseWhere(cString(args[4]))
	if !ok1 || !ok2 {
		c.Error(msgSyntax)
		return
	}
	moveGeneric(c, args[1], args[2], from, to)
}

func rpoplpushCommand(c *Client, args [][]byte) { moveGeneric(c, args[1], args[2], false, true) }

// moveGeneric is LMOVE: it pops from src's head (from) or tail and pushes onto dst's head
// (to) or tail, replying with the element, or nil when src is absent.
func moveGeneric(c *Client, src, dst []byte, from, to bool) {
	if !moveServe(c, src, dst, from, to) {
		c.w.Null()
	}
}

// moveServe moves one element as LMOVE does and replies with it. It returns false, with no
// reply written, when src is absent; dst is checked before anything is popped.
func moveServe(c *Client, src, dst []byte, from, to bool) bool {
	st := c.srv.store
	l, ok := readList(c, src)
	if !ok {
		return true
	}
	if l == nil {
		return false
	}
	d, err := st.ListForWrite(c.db, dst)
	if err != nil {
		c.storeErr(err)
		return true
	}
	v := pop(l, from)
	push(d, to, v)
	pushed(c, dst, to)
	c.w.Bulk(v)
	listRemoved(c, src, from)
	return true
}

func lmpopCommand(c *Client, args [][]byte) {
	keys, left, count, ok := parseLMPop(c, args)
	if ok && !lmpopServe(c, keys, left, count) {
		c.w.NullArray()
	}
}

// parseLMPop parses LMPOP's arguments from args[1] (numkeys) on; BLMPOP passes its own
// shifted by one. It replies and returns ok false on an error.
func parseLMPop(c *Client, args [][]byte) (keys [][]byte, left bool, count int64, ok bool) {
	numKeys, err := parseInt(args[1])
	if err != nil || numKeys <= 0 {
		c.Error(msgNumKeys)
		return nil, false, 0, false
	}
	if numKeys > int64(len(args)) {
		c.Error(msgSyntax)
		return nil, false, 0, false
	}
	whereIdx := 2 + numKeys
	if whereIdx >= int64(len(args)) {
		c.Error(msgSyntax)
		return nil, false, 0, false
	}
	left, ok = parseWhere(cString(args[whereIdx]))
	if !ok {
		c.Error(msgSyntax)
		return nil, false, 0, false
	}
	count = -1
	for j := int(whereIdx) + 1; j < len(args); j++ {
		if count == -1 && is(cString(args[j]), "count") && j < len(args)-1 {
			j++
			if count, err = parseInt(args[j]); err != nil || count <= 0 {
				c.Error(msgCountPositive)
				return nil, false, 0, false
			}
			continue
		}
		c.Error(msgSyntax)
		return nil, false, 0, false
	}
	return args[2:whereIdx], left, max(count, 1), true
}

// lmpopServe pops up to count elements from the first non-empty list of keys and replies
// with [key, [elements]]. It returns false, with no reply written, when every list is empty;
// a key of another type gets WRONGTYPE (and true).
func lmpopServe(c *Client, keys [][]byte, left bool, count int64) bool {
	for _, key := range keys {
		l, ok := readList(c, key)
		if !ok {
			return true
		}
		if l == nil || l.Len() == 0 {
			continue
		}
		n := min(count, int64(l.Len()))
		c.w.Array(2)
		c.w.Bulk(key)
		c.w.Array(int(n))
		for range n {
			c.w.Bulk(pop(l, left))
		}
		listRemoved(c, key, left)
		return true
	}
	return false
}
