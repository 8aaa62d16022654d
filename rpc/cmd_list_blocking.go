package rpc

import "time"

// blockingListCommands are the list commands that wait for data: BLPOP, BRPOP, BLMOVE,
// BRPOPLPUSH and BLMPOP. See blocking.go for how a client waits.
func blockingListCommands() []*Command {
	timeoutHistory := [][2]string{{"6.0.0", "`timeout` is interpreted as a double instead of an integer."}}
	popKeys := []KeySpec{{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, LastKey: -2, KeyStep: 1}}
	moveKeys := []KeySpec{
		{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, KeyStep: 1},
		{Flags: KeyRW | KeyInsert, BeginIndex: 2, KeyStep: 1},
	}
	where := func(name string) Arg {
		return Arg{Name: name, Type: ArgOneOf, Args: []Arg{
			{Name: "left", Type: ArgPureToken, Token: "LEFT"},
			{Name: "right", Type: ArgPureToken, Token: "RIGHT"},
		}}
	}
	return []*Command{
		{
			Name: "blpop", Arity: -3, Flags: Write | NoScript | Blocking, Group: GroupList,
			Keys: popKeys, Run: blpopCommand,
			Doc: Doc{Summary: "Remove and get the first element in a list, or block until one is available",
				Since: "2.0.0", Complexity: "O(N) where N is the number of provided keys.", History: timeoutHistory,
				Args: []Arg{{Name: "key", Type: ArgKey, Multiple: true}, {Name: "timeout", Type: ArgDouble}}},
		},
		{
			Name: "brpop", Arity: -3, Flags: Write | NoScript | Blocking, Group: GroupList,
			Keys: popKeys, Run: brpopCommand,
			Doc: Doc{Summary: "Remove and get the last element in a list, or block until one is available",
				Since: "2.0.0", Complexity: "O(N) where N is the number of provided keys.", History: timeoutHistory,
				Args: []Arg{{Name: "key", Type: ArgKey, Multiple: true}, {Name: "timeout", Type: ArgDouble}}},
		},
		{
			Name: "blmove", Arity: 6, Flags: Write | DenyOOM | NoScript | Blocking, Group: GroupList,
			Keys: moveKeys, Run: blmoveCommand,
			Doc: Doc{Summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
				Since: "6.2.0", Complexity: "O(1)",
				Args: []Arg{{Name: "source", Type: ArgKey}, {Name: "destination", Type: ArgKey, KeySpec: 1},
					where("wherefrom"), where("whereto"), {Name: "timeout", Type: ArgDouble}}},
		},
		{
			Name: "brpoplpush", Arity: 4, Flags: Write | DenyOOM | NoScript | Blocking, Group: GroupList,
			Keys: moveKeys, Run: brpoplpushCommand,
			Doc: Doc{Summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
				Since: "2.2.0", Complexity: "O(1)", DeprecatedSince: "6.2.0",
				ReplacedBy: "`BLMOVE` with the `RIGHT` and `LEFT` arguments", History: timeoutHistory,
				Args: []Arg{{Name: "source", Type: ArgKey}, {Name: "destination", Type: ArgKey, KeySpec: 1},
					{Name: "timeout", Type: ArgDouble}}},
		},
		{
			Name: "blmpop", Arity: -5, Flags: Write | Blocking, Group: GroupList,
			Keys: []KeySpec{{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 2, KeyNum: true, FirstKey: 1, KeyStep: 1}},
			Run:  blmpopCommand,
			Doc: Doc{Summary: "Pop elements from a list, or block until one is available", Since: "7.0.0",
				Complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
				Args: []Arg{{Name: "timeout", Type: ArgDouble}, {Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, Multiple: true}, where("where"),
					{Name: "count", Type: ArgInteger, Token: "COUNT", Optional: true}}},
		},
	}
}

// timedOutNullArray is the reply of a blocking list command that timed out.
func timedOutNullArray(c *Client) { c.w.NullArray() }

func blpopCommand(c *Client, args [][]byte) { bpopGeneric(c, args, true) }
func brpopCommand(c *Client, args [][]byte) { bpopGeneric(c, args, false) }

// bpopGeneric is BLPOP and BRPOP: the first non-empty list of the keys, in order, gives its
// head (left) or tail, replied as [key, element].
func bpopGeneric(c *Client, args [][]byte, left bool) {
	timeout, ok := parseTimeout(c, args[len(args)-1])
	if !ok {
		return
	}
	keys := args[1 : len(args)-1]
	for _, key := range keys {
		l, ok := readList(c, key)
		if !ok {
			return
		}
		if l == nil || l.Len() == 0 {
			continue
		}
		c.w.Array(2)
		c.w.Bulk(key)
		c.w.Bulk(pop(l, left))
		listRemoved(c, key, left)
		return
	}
	blockOrTimeout(c, keys, timeout, timedOutNullArray)
}

// blockOrTimeout blocks the client, or inside MULTI answers at once as a timeout would.
func blockOrTimeout(c *Client, keys [][]byte, timeout time.Duration, timeoutReply func(*Client)) {
	if c.inMulti() {
		timeoutReply(c)
		return
	}
	c.block(keys, timeout, timeoutReply)
}

func blmoveCommand(c *Client, args [][]byte) {
	from, ok1 := parseWhere(cString(args[3]))
	to, ok2 := parseWhere(cString(args[4]))
	if !ok1 || !ok2 {
		c.Error(msgSyntax)
		return
	}
	bmoveGeneric(c, args[1], args[2], from, to, args[5])
}

func brpoplpushCommand(c *Client, args [][]byte) {
	bmoveGeneric(c, args[1], args[2], false, true, args[3])
}

// bmoveGeneric is BLMOVE: LMOVE that waits while the source is empty.
func bmoveGeneric(c *Client, src, dst []byte, from, to bool, timeoutArg []byte) {
	timeout, ok := parseTimeout(c, timeoutArg)
	if !ok || moveServe(c, src, dst, from, to) {
		return
	}
	blockOrTimeout(c, [][]byte{src}, timeout, timedOutNullArray)
}

// blmpopCommand is BLMPOP: LMPOP that waits while every list is empty.
func blmpopCommand(c *Client, args [][]byte) {
	timeout, ok := parseTimeout(c, args[1])
	if !ok {
		return
	}
	keys, left, count, ok := parseLMPop(c, args[1:])
	if !ok || lmpopServe(c, keys, left, count) {
		return
	}
	blockOrTimeout(c, keys, timeout, timedOutNullArray)
}
