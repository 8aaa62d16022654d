package rpc

import "github.com/kvrpcd/kvrpcd/config"

// blockingZSetCommands are the sorted-set commands that wait for data: BZPOPMIN, BZPOPMAX
// and BZMPOP. See blocking.go for how a client waits.
func blockingZSetCommands() []*Command {
	history := [][2]string{{"6.0.0", "`timeout` is interpreted as a double instead of an integer."}}
	popKeys := []KeySpec{{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, LastKey: -2, KeyStep: 1}}
	popArgs := []Arg{{Name: "key", Type: ArgKey, Multiple: true}, {Name: "timeout", Type: ArgDouble}}
	return []*Command{
		{
			Name: "bzpopmin", Arity: -3, Flags: Write | NoScript | Blocking | Fast, Group: GroupSortedSet,
			Keys: popKeys, Run: bzpopminCommand,
			Doc: Doc{Summary: "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
				Since: "5.0.0", Complexity: "O(log(N)) with N being the number of elements in the sorted set.",
				History: history, Args: popArgs},
		},
		{
			Name: "bzpopmax", Arity: -3, Flags: Write | NoScript | Blocking | Fast, Group: GroupSortedSet,
			Keys: popKeys, Run: bzpopmaxCommand,
			Doc: Doc{Summary: "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
				Since: "5.0.0", Complexity: "O(log(N)) with N being the number of elements in the sorted set.",
				History: history, Args: popArgs},
		},
		{
			Name: "bzmpop", Arity: -5, Flags: Write | Blocking, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 2, KeyNum: true, FirstKey: 1, KeyStep: 1}},
			Run:  bzmpopCommand,
			Doc: Doc{Summary: "Remove and return members with scores in a sorted set or block until one is available",
				Since: "7.0.0", Complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
				Args: []Arg{{Name: "timeout", Type: ArgDouble}, {Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, Multiple: true},
					{Name: "where", Type: ArgOneOf, Args: []Arg{
						{Name: "min", Type: ArgPureToken, Token: "MIN"},
						{Name: "max", Type: ArgPureToken, Token: "MAX"},
					}},
					{Name: "count", Type: ArgInteger, Token: "COUNT", Optional: true}}},
		},
	}
}

func bzpopminCommand(c *Client, args [][]byte) { bzpopGeneric(c, args, false) }
func bzpopmaxCommand(c *Client, args [][]byte) { bzpopGeneric(c, args, true) }

// bzpopGeneric is BZPOPMIN and BZPOPMAX: the first non-empty sorted set of the keys gives its
// lowest (or highest) member, replied as [key, member, score].
func bzpopGeneric(c *Client, args [][]byte, maxEnd bool) {
	timeout, ok := parseTimeout(c, args[len(args)-1])
	if !ok {
		return
	}
	keys := args[1 : len(args)-1]
	for _, key := range keys {
		z, ok := readZSet(c, key)
		if !ok {
			return
		}
		if z == nil {
			continue
		}
		r := 0
		if maxEnd {
			r = z.Len() - 1
		}
		c.w.Array(3)
		c.w.Bulk(key)
		if maxEnd { // inside the reply, as Redis's genericZpopCommand reports it
			c.notify(config.NotifyZset, "zpopmax", key)
		} else {
			c.notify(config.NotifyZset, "zpopmin", key)
		}
		c.signalModified(key)
		z.Range(r, r, maxEnd, func(m string, score float64) {
			c.w.BulkString(m)
			c.w.Double(score)
		})
		z.RemoveRanks(r, r)
		c.deleteIfEmpty(key)
		return
	}
	blockOrTimeout(c, keys, timeout, timedOutNullArray)
}

// bzmpopCommand is BZMPOP: ZMPOP that waits while every sorted set is empty.
func bzmpopCommand(c *Client, args [][]byte) {
	timeout, ok := parseTimeout(c, args[1])
	if !ok {
		return
	}
	keys, maxEnd, count, ok := parseZMPop(c, args[1:])
	if !ok {
		return
	}
	for _, key := range keys {
		z, ok := readZSet(c, key)
		if !ok {
			return
		}
		if z != nil {
			zpopGeneric(c, keys, maxEnd, true, count, true, true)
			return
		}
	}
	blockOrTimeout(c, keys, timeout, timedOutNullArray)
}
