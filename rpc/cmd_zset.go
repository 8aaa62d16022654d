package rpc

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/resp"
	"github.com/kvrpcd/kvrpcd/store"
)

// zsetCommands declares the commands of the sorted-set type, as redis-server 7.0 describes
// them. The blocking pops (BZPOPMIN, BZPOPMAX, BZMPOP) are not served.
func zsetCommands() []*Command {
	return []*Command{
		{Name: "zadd", Arity: -4, Flags: Write | DenyOOM | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyUpdate, BeginIndex: 1, KeyStep: 1}}, Run: zaddCommand,
			Doc: Doc{Summary: "Add one or more members to a sorted set, or update its score if it already exists",
				Since:      "1.2.0",
				Complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
				History:    [][2]string{{"2.4.0", "Accepts multiple elements."}, {"3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."}, {"6.2.0", "Added the `GT` and `LT` options."}},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "condition", Type: ArgOneOf, Optional: true, Since: "3.0.2", Args: []Arg{{Name: "nx", Type: ArgPureToken, Token: "NX"}, {Name: "xx", Type: ArgPureToken, Token: "XX"}}},
					{Name: "comparison", Type: ArgOneOf, Optional: true, Since: "6.2.0", Args: []Arg{{Name: "gt", Type: ArgPureToken, Token: "GT"}, {Name: "lt", Type: ArgPureToken, Token: "LT"}}},
					{Name: "change", Type: ArgPureToken, Token: "CH", Optional: true, Since: "3.0.2"},
					{Name: "increment", Type: ArgPureToken, Token: "INCR", Optional: true, Since: "3.0.2"},
					{Name: "score_member", Type: ArgBlock, Multiple: true, Args: []Arg{{Name: "score", Type: ArgDouble}, {Name: "member", Type: ArgString}}}}}},
		{Name: "zincrby", Arity: 4, Flags: Write | DenyOOM | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyAccess | KeyUpdate, BeginIndex: 1, KeyStep: 1}}, Run: zincrbyCommand,
			Doc: Doc{Summary: "Increment the score of a member in a sorted set",
				Since:      "1.2.0",
				Complexity: "O(log(N)) where N is the number of elements in the sorted set.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "increment", Type: ArgInteger},
					{Name: "member", Type: ArgString}}}},
		{Name: "zrem", Arity: -3, Flags: Write | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyDelete, BeginIndex: 1, KeyStep: 1}}, Run: zremCommand,
			Doc: Doc{Summary: "Remove one or more members from a sorted set",
				Since:      "1.2.0",
				Complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
				History:    [][2]string{{"2.4.0", "Accepts multiple elements."}},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "member", Type: ArgString, Multiple: true}}}},
		{Name: "zcard", Arity: 2, Flags: ReadOnly | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO, BeginIndex: 1, KeyStep: 1}}, Run: zcardCommand,
			Doc: Doc{Summary: "Get the number of members in a sorted set",
				Since:      "1.2.0",
				Complexity: "O(1)",
				Args: []Arg{
					{Name: "key", Type: ArgKey}}}},
		{Name: "zscore", Arity: 3, Flags: ReadOnly | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zscoreCommand,
			Doc: Doc{Summary: "Get the score associated with the given member in a sorted set",
				Since:      "1.2.0",
				Complexity: "O(1)",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "member", Type: ArgString}}}},
		{Name: "zmscore", Arity: -3, Flags: ReadOnly | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zmscoreCommand,
			Doc: Doc{Summary: "Get the score associated with the given members in a sorted set",
				Since:      "6.2.0",
				Complexity: "O(N) where N is the number of members being requested.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "member", Type: ArgString, Multiple: true}}}},
		{Name: "zcount", Arity: 4, Flags: ReadOnly | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zcountCommand,
			Doc: Doc{Summary: "Count the members in a sorted set with scores within the given values",
				Since:      "2.0.0",
				Complexity: "O(log(N)) with N being the number of elements in the sorted set.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "min", Type: ArgDouble},
					{Name: "max", Type: ArgDouble}}}},
		{Name: "zlexcount", Arity: 4, Flags: ReadOnly | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zlexcountCommand,
			Doc: Doc{Summary: "Count the number of members in a sorted set between a given lexicographical range",
				Since:      "2.8.9",
				Complexity: "O(log(N)) with N being the number of elements in the sorted set.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "min", Type: ArgString},
					{Name: "max", Type: ArgString}}}},
		{Name: "zrank", Arity: 3, Flags: ReadOnly | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zrankCommand,
			Doc: Doc{Summary: "Determine the index of a member in a sorted set",
				Since:      "2.0.0",
				Complexity: "O(log(N))",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "member", Type: ArgString}}}},
		{Name: "zrevrank", Arity: 3, Flags: ReadOnly | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zrevrankCommand,
			Doc: Doc{Summary: "Determine the index of a member in a sorted set, with scores ordered from high to low",
				Since:      "2.0.0",
				Complexity: "O(log(N))",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "member", Type: ArgString}}}},
		{Name: "zrange", Arity: -4, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zrangeCommand,
			Doc: Doc{Summary: "Return a range of members in a sorted set",
				Since:      "1.2.0",
				Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
				History:    [][2]string{{"6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options."}},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "start", Type: ArgString},
					{Name: "stop", Type: ArgString},
					{Name: "sortby", Type: ArgOneOf, Optional: true, Since: "6.2.0", Args: []Arg{{Name: "byscore", Type: ArgPureToken, Token: "BYSCORE"}, {Name: "bylex", Type: ArgPureToken, Token: "BYLEX"}}},
					{Name: "rev", Type: ArgPureToken, Token: "REV", Optional: true, Since: "6.2.0"},
					{Name: "offset_count", Type: ArgBlock, Token: "LIMIT", Optional: true, Since: "6.2.0", Args: []Arg{{Name: "offset", Type: ArgInteger}, {Name: "count", Type: ArgInteger}}},
					{Name: "withscores", Type: ArgPureToken, Token: "WITHSCORES", Optional: true}}}},
		{Name: "zrangestore", Arity: -5, Flags: Write | DenyOOM, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyOW | KeyUpdate, BeginIndex: 1, KeyStep: 1}, {Flags: KeyRO | KeyAccess, BeginIndex: 2, KeyStep: 1}}, Run: zrangestoreCommand,
			Doc: Doc{Summary: "Store a range of members from sorted set into another key",
				Since:      "6.2.0",
				Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
				Args: []Arg{
					{Name: "dst", Type: ArgKey},
					{Name: "src", Type: ArgKey, KeySpec: 1},
					{Name: "min", Type: ArgString},
					{Name: "max", Type: ArgString},
					{Name: "sortby", Type: ArgOneOf, Optional: true, Args: []Arg{{Name: "byscore", Type: ArgPureToken, Token: "BYSCORE"}, {Name: "bylex", Type: ArgPureToken, Token: "BYLEX"}}},
					{Name: "rev", Type: ArgPureToken, Token: "REV", Optional: true},
					{Name: "offset_count", Type: ArgBlock, Token: "LIMIT", Optional: true, Args: []Arg{{Name: "offset", Type: ArgInteger}, {Name: "count", Type: ArgInteger}}}}}},
		{Name: "zrangebyscore", Arity: -4, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zrangebyscoreCommand,
			Doc: Doc{Summary: "Return a range of members in a sorted set, by score",
				Since:           "1.0.5",
				Complexity:      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
				DeprecatedSince: "6.2.0",
				ReplacedBy:      "`ZRANGE` with the `BYSCORE` argument",
				History:         [][2]string{{"2.0.0", "Added the `WITHSCORES` modifier."}},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "min", Type: ArgDouble},
					{Name: "max", Type: ArgDouble},
					{Name: "withscores", Type: ArgPureToken, Token: "WITHSCORES", Optional: true, Since: "2.0.0"},
					{Name: "offset_count", Type: ArgBlock, Token: "LIMIT", Optional: true, Args: []Arg{{Name: "offset", Type: ArgInteger}, {Name: "count", Type: ArgInteger}}}}}},
		{Name: "zrevrangebyscore", Arity: -4, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zrevrangebyscoreCommand,
			Doc: Doc{Summary: "Return a range of members in a sorted set, by score, with scores ordered from high to low",
				Since:           "2.2.0",
				Complexity:      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
				DeprecatedSince: "6.2.0",
				ReplacedBy:      "`ZRANGE` with the `REV` and `BYSCORE` arguments",
				History:         [][2]string{{"2.1.6", "`min` and `max` can be exclusive."}},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "max", Type: ArgDouble},
					{Name: "min", Type: ArgDouble},
					{Name: "withscores", Type: ArgPureToken, Token: "WITHSCORES", Optional: true},
					{Name: "offset_count", Type: ArgBlock, Token: "LIMIT", Optional: true, Args: []Arg{{Name: "offset", Type: ArgInteger}, {Name: "count", Type: ArgInteger}}}}}},
		{Name: "zrangebylex", Arity: -4, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zrangebylexCommand,
			Doc: Doc{Summary: "Return a range of members in a sorted set, by lexicographical range",
				Since:           "2.8.9",
				Complexity:      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
				DeprecatedSince: "6.2.0",
				ReplacedBy:      "`ZRANGE` with the `BYLEX` argument",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "min", Type: ArgString},
					{Name: "max", Type: ArgString},
					{Name: "offset_count", Type: ArgBlock, Token: "LIMIT", Optional: true, Args: []Arg{{Name: "offset", Type: ArgInteger}, {Name: "count", Type: ArgInteger}}}}}},
		{Name: "zrevrangebylex", Arity: -4, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zrevrangebylexCommand,
			Doc: Doc{Summary: "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
				Since:           "2.8.9",
				Complexity:      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
				DeprecatedSince: "6.2.0",
				ReplacedBy:      "`ZRANGE` with the `REV` and `BYLEX` arguments",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "max", Type: ArgString},
					{Name: "min", Type: ArgString},
					{Name: "offset_count", Type: ArgBlock, Token: "LIMIT", Optional: true, Args: []Arg{{Name: "offset", Type: ArgInteger}, {Name: "count", Type: ArgInteger}}}}}},
		{Name: "zrevrange", Arity: -4, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: zrevrangeCommand,
			Doc: Doc{Summary: "Return a range of members in a sorted set, by index, with scores ordered from high to low",
				Since:           "1.2.0",
				Complexity:      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
				DeprecatedSince: "6.2.0",
				ReplacedBy:      "`ZRANGE` with the `REV` argument",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "start", Type: ArgInteger},
					{Name: "stop", Type: ArgInteger},
					{Name: "withscores", Type: ArgPureToken, Token: "WITHSCORES", Optional: true}}}},
		{Name: "zremrangebyrank", Arity: 4, Flags: Write, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyDelete, BeginIndex: 1, KeyStep: 1}}, Run: zremrangebyrankCommand,
			Doc: Doc{Summary: "Remove all members in a sorted set within the given indexes",
				Since:      "2.0.0",
				Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "start", Type: ArgInteger},
					{Name: "stop", Type: ArgInteger}}}},
		{Name: "zremrangebyscore", Arity: 4, Flags: Write, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyDelete, BeginIndex: 1, KeyStep: 1}}, Run: zremrangebyscoreCommand,
			Doc: Doc{Summary: "Remove all members in a sorted set within the given scores",
				Since:      "1.2.0",
				Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "min", Type: ArgDouble},
					{Name: "max", Type: ArgDouble}}}},
		{Name: "zremrangebylex", Arity: 4, Flags: Write, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyDelete, BeginIndex: 1, KeyStep: 1}}, Run: zremrangebylexCommand,
			Doc: Doc{Summary: "Remove all members in a sorted set between the given lexicographical range",
				Since:      "2.8.9",
				Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "min", Type: ArgString},
					{Name: "max", Type: ArgString}}}},
		{Name: "zpopmin", Arity: -2, Flags: Write | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, KeyStep: 1}}, Run: zpopminCommand,
			Doc: Doc{Summary: "Remove and return members with the lowest scores in a sorted set",
				Since:      "5.0.0",
				Complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "count", Type: ArgInteger, Optional: true}}}},
		{Name: "zpopmax", Arity: -2, Flags: Write | Fast, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, KeyStep: 1}}, Run: zpopmaxCommand,
			Doc: Doc{Summary: "Remove and return members with the highest scores in a sorted set",
				Since:      "5.0.0",
				Complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "count", Type: ArgInteger, Optional: true}}}},
		{Name: "zmpop", Arity: -4, Flags: Write, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, KeyNum: true, FirstKey: 1, KeyStep: 1}}, Run: zmpopCommand,
			Doc: Doc{Summary: "Remove and return members with scores in a sorted set",
				Since:      "7.0.0",
				Complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
				Args: []Arg{
					{Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, Multiple: true},
					{Name: "where", Type: ArgOneOf, Args: []Arg{{Name: "min", Type: ArgPureToken, Token: "MIN"}, {Name: "max", Type: ArgPureToken, Token: "MAX"}}},
					{Name: "count", Type: ArgInteger, Token: "COUNT", Optional: true}}}},
		{Name: "zrandmember", Arity: -2, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Tips: []string{"nondeterministic_output"}, Run: zrandmemberCommand,
			Doc: Doc{Summary: "Get one or multiple random elements from a sorted set",
				Since:      "6.2.0",
				Complexity: "O(N) where N is the number of elements returned",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "options", Type: ArgBlock, Optional: true, Args: []Arg{{Name: "count", Type: ArgInteger}, {Name: "withscores", Type: ArgPureToken, Token: "WITHSCORES", Optional: true}}}}}},
		{Name: "zunion", Arity: -3, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyNum: true, FirstKey: 1, KeyStep: 1}}, Run: zunionCommand,
			Doc: Doc{Summary: "Add multiple sorted sets",
				Since:      "6.2.0",
				Complexity: "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
				Args: []Arg{
					{Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, Multiple: true},
					{Name: "weight", Type: ArgInteger, Token: "WEIGHTS", Optional: true, Multiple: true},
					{Name: "aggregate", Type: ArgOneOf, Token: "AGGREGATE", Optional: true, Args: []Arg{{Name: "sum", Type: ArgPureToken, Token: "SUM"}, {Name: "min", Type: ArgPureToken, Token: "MIN"}, {Name: "max", Type: ArgPureToken, Token: "MAX"}}},
					{Name: "withscores", Type: ArgPureToken, Token: "WITHSCORES", Optional: true}}}},
		{Name: "zinter", Arity: -3, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyNum: true, FirstKey: 1, KeyStep: 1}}, Run: zinterCommand,
			Doc: Doc{Summary: "Intersect multiple sorted sets",
				Since:      "6.2.0",
				Complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
				Args: []Arg{
					{Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, Multiple: true},
					{Name: "weight", Type: ArgInteger, Token: "WEIGHTS", Optional: true, Multiple: true},
					{Name: "aggregate", Type: ArgOneOf, Token: "AGGREGATE", Optional: true, Args: []Arg{{Name: "sum", Type: ArgPureToken, Token: "SUM"}, {Name: "min", Type: ArgPureToken, Token: "MIN"}, {Name: "max", Type: ArgPureToken, Token: "MAX"}}},
					{Name: "withscores", Type: ArgPureToken, Token: "WITHSCORES", Optional: true}}}},
		{Name: "zdiff", Arity: -3, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyNum: true, FirstKey: 1, KeyStep: 1}}, Run: zdiffCommand,
			Doc: Doc{Summary: "Subtract multiple sorted sets",
				Since:      "6.2.0",
				Complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
				Args: []Arg{
					{Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, Multiple: true},
					{Name: "withscores", Type: ArgPureToken, Token: "WITHSCORES", Optional: true}}}},
		{Name: "zunionstore", Arity: -4, Flags: Write | DenyOOM, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyOW | KeyUpdate, BeginIndex: 1, KeyStep: 1}, {Flags: KeyRO | KeyAccess, BeginIndex: 2, KeyNum: true, FirstKey: 1, KeyStep: 1}}, Run: zunionstoreCommand,
			Doc: Doc{Summary: "Add multiple sorted sets and store the resulting sorted set in a new key",
				Since:      "2.0.0",
				Complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
				Args: []Arg{
					{Name: "destination", Type: ArgKey},
					{Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, KeySpec: 1, Multiple: true},
					{Name: "weight", Type: ArgInteger, Token: "WEIGHTS", Optional: true, Multiple: true},
					{Name: "aggregate", Type: ArgOneOf, Token: "AGGREGATE", Optional: true, Args: []Arg{{Name: "sum", Type: ArgPureToken, Token: "SUM"}, {Name: "min", Type: ArgPureToken, Token: "MIN"}, {Name: "max", Type: ArgPureToken, Token: "MAX"}}}}}},
		{Name: "zinterstore", Arity: -4, Flags: Write | DenyOOM, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyOW | KeyUpdate, BeginIndex: 1, KeyStep: 1}, {Flags: KeyRO | KeyAccess, BeginIndex: 2, KeyNum: true, FirstKey: 1, KeyStep: 1}}, Run: zinterstoreCommand,
			Doc: Doc{Summary: "Intersect multiple sorted sets and store the resulting sorted set in a new key",
				Since:      "2.0.0",
				Complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
				Args: []Arg{
					{Name: "destination", Type: ArgKey},
					{Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, KeySpec: 1, Multiple: true},
					{Name: "weight", Type: ArgInteger, Token: "WEIGHTS", Optional: true, Multiple: true},
					{Name: "aggregate", Type: ArgOneOf, Token: "AGGREGATE", Optional: true, Args: []Arg{{Name: "sum", Type: ArgPureToken, Token: "SUM"}, {Name: "min", Type: ArgPureToken, Token: "MIN"}, {Name: "max", Type: ArgPureToken, Token: "MAX"}}}}}},
		{Name: "zdiffstore", Arity: -4, Flags: Write | DenyOOM, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyOW | KeyUpdate, BeginIndex: 1, KeyStep: 1}, {Flags: KeyRO | KeyAccess, BeginIndex: 2, KeyNum: true, FirstKey: 1, KeyStep: 1}}, Run: zdiffstoreCommand,
			Doc: Doc{Summary: "Subtract multiple sorted sets and store the resulting sorted set in a new key",
				Since:      "6.2.0",
				Complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
				Args: []Arg{
					{Name: "destination", Type: ArgKey},
					{Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, KeySpec: 1, Multiple: true}}}},
		{Name: "zintercard", Arity: -3, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyNum: true, FirstKey: 1, KeyStep: 1}}, Run: zintercardCommand,
			Doc: Doc{Summary: "Intersect multiple sorted sets and return the cardinality of the result",
				Since:      "7.0.0",
				Complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
				Args: []Arg{
					{Name: "numkeys", Type: ArgInteger},
					{Name: "key", Type: ArgKey, Multiple: true},
					{Name: "limit", Type: ArgInteger, Token: "LIMIT", Optional: true}}}},
		{Name: "zscan", Arity: -3, Flags: ReadOnly, Group: GroupSortedSet,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Tips: []string{"nondeterministic_output"}, Run: zscanCommand,
			Doc: Doc{Summary: "Incrementally iterate sorted sets elements and associated scores",
				Since:      "2.8.0",
				Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "cursor", Type: ArgInteger},
					{Name: "pattern", Type: ArgPattern, Token: "MATCH", Optional: true},
					{Name: "count", Type: ArgInteger, Token: "COUNT", Optional: true}}}},
	}
}

// zIsSpace reports whether ch is a C isspace character.
func zIsSpace(ch byte) bool {
	return ch == ' ' || ch >= '\t' && ch <= '\r'
}

// zStrtod parses the longest prefix of b that C's strtod accepts and returns its value, the
// number of bytes used (0 when nothing converts) and whether the value overflowed or
// underflowed to zero (strtod's ERANGE cases that Redis's string2d rejects).
func zStrtod(b []byte) (f float64, n int, rangeErr bool) {
	i := 0
	for i < len(b) && zIsSpace(b[i]) {
		i++
	}
	start := i
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		i++
	}
	word := func(w string) bool {
		return len(b)-i >= len(w) && strings.EqualFold(string(b[i:i+len(w)]), w)
	}
	digitsFrom := func(j int, hex bool) int {
		for j < len(b) && ('0' <= b[j] && b[j] <= '9' || hex && ('a' <= b[j]|0x20 && b[j]|0x20 <= 'f')) {
			j++
		}
		return j
	}
	switch {
	case word("infinity"):
		i += 8
	case word("inf"):
		i += 3
	case word("nan"):
		i += 3
		if i < len(b) && b[i] == '(' {
			j := i + 1
			for j < len(b) && (b[j] == '_' || '0' <= b[j] && b[j] <= '9' || 'a' <= b[j]|0x20 && b[j]|0x20 <= 'z') {
				j++
			}
			if j < len(b) && b[j] == ')' {
				i = j + 1
			}
		}
		return math.NaN(), i, false
	default:
		hex := word("0x") && (i+2 < len(b) && digitsFrom(i+2, true) > i+2 ||
			i+3 < len(b) && b[i+2] == '.' && digitsFrom(i+3, true) > i+3)
		mant := i
		if hex {
			i += 2
			mant = i
		}
		j := digitsFrom(i, hex)
		nd := j - i
		if j < len(b) && b[j] == '.' {
			k := digitsFrom(j+1, hex)
			nd += k - j - 1
			j = k
		}
		if nd == 0 {
			return 0, 0, false
		}
		i = j
		mantEnd := j
		exp := byte('e')
		if hex {
			exp = 'p'
		}
		hasExp := false
		if i < len(b) && b[i]|0x20 == exp {
			k := i + 1
			if k < len(b) && (b[k] == '+' || b[k] == '-') {
				k++
			}
			if e := digitsFrom(k, false); e > k {
				i = e
				hasExp = true
			}
		}
		text := string(b[start:i])
		if hex && !hasExp {
			text += "p0"
		}
		f, err := strconv.ParseFloat(text, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, 0, false
		}
		nonzero := "123456789"
		if hex {
			nonzero = "123456789abcdefABCDEF"
		}
		// Overflow to infinity, or a non-zero mantissa underflowing to zero.
		if err != nil || f == 0 && bytes.ContainsAny(b[mant:mantEnd], nonzero) {
			rangeErr = true
		}
		return f, i, rangeErr
	}
	f, _ = strconv.ParseFloat(string(b[start:i]), 64)
	return f, i, false
}

// zParseScore parses a score or weight as Redis's string2d: the whole argument must be a
// number strtod reads, without leading space, not NaN, neither overflowing nor underflowing
// to zero.
func zParseScore(b []byte) (float64, bool) {
	if len(b) == 0 || zIsSpace(b[0]) {
		return 0, false
	}
	f, n, rangeErr := zStrtod(b)
	if n != len(b) || rangeErr || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// zParseRangeScore parses one end of a score range as Redis's zslParseRange: "(" makes it
// exclusive, the rest is read by strtod up to the C string's end.
func zParseRangeScore(b []byte) (f float64, ex bool, ok bool) {
	b = cString(b)
	if len(b) > 0 && b[0] == '(' {
		ex = true
		b = b[1:]
	}
	f, n, _ := zStrtod(b)
	if n != len(b) || math.IsNaN(f) {
		return 0, false, false
	}
	return f, ex, true
}

func zParseScoreRange(minArg, maxArg []byte) (r store.ScoreRange, ok bool) {
	var ok1, ok2 bool
	r.Min, r.MinEx, ok1 = zParseRangeScore(minArg)
	r.Max, r.MaxEx, ok2 = zParseRangeScore(maxArg)
	return r, ok1 && ok2
}

// zParseLexBound parses one end of a lex range as Redis's zslParseLexRangeItem.
func zParseLexBound(b []byte) (store.LexBound, bool) {
	if len(b) == 0 {
		return store.LexBound{}, false
	}
	switch b[0] {
	case '+', '-':
		if len(b) > 1 && b[1] != 0 {
			return store.LexBound{}, false
		}
		inf := int8(1)
		if b[0] == '-' {
			inf = -1
		}
		return store.LexBound{Inf: inf, Ex: true}, true
	case '(':
		return store.LexBound{Value: string(b[1:]), Ex: true}, true
	case '[':
		return store.LexBound{Value: string(b[1:])}, true
	}
	return store.LexBound{}, false
}

func zParseLexRange(minArg, maxArg []byte) (r store.LexRange, ok bool) {
	var ok1, ok2 bool
	r.Min, ok1 = zParseLexBound(minArg)
	r.Max, ok2 = zParseLexBound(maxArg)
	return r, ok1 && ok2
}

// zLong parses an integer argument as getLongFromObjectOrReply, writing the error reply.
func zLong(c *Client, b []byte) (int64, bool) {
	n, err := parseInt(b)
	if err != nil {
		c.Error(msgNotInteger)
		return 0, false
	}
	return n, true
}

// readZSet looks up a sorted set for reading; it writes WRONGTYPE and reports false on a
// key of another type. z is nil when the key is absent.
func readZSet(c *Client, key []byte) (*store.ZSet, bool) {
	z, err := c.srv.store.ZSet(c.db, key)
	if err != nil {
		c.storeErr(err)
		return nil, false
	}
	return z, true
}

// readZSetMiss is readZSet for the commands that look the key up for reading, where an
// absent key is a "keymiss".
func readZSetMiss(c *Client, key []byte) (*store.ZSet, bool) {
	z, ok := readZSet(c, key)
	if ok && z == nil {
		c.keyMiss(key)
	}
	return z, ok
}

// stored replies to a command that stored a collection of n elements at dst (an empty one
// deletes dst; existed says whether dst was there) and reports it, as Redis's store
// variants do: the reply comes between signalModified and the event of class.
func stored(c *Client, dst []byte, n int, existed bool, class int64, event string) {
	if n > 0 {
		c.signalModified(dst)
		c.w.Int(int64(n))
		c.notify(class, event, dst)
		return
	}
	c.w.Raw(replyZero)
	if existed {
		c.changed(dst, config.NotifyGeneric, "del")
	}
}

// zWriteEntries writes (member, score) pairs: a flat array in RESP2 (or without scores),
// an array of [member, score] pairs in RESP3 when withScores.
func zWriteEntries(c *Client, entries []store.ZEntry, withScores bool) {
	zWriteHeader(c, len(entries), withScores)
	for _, e := range entries {
		zWriteEntry(c, e.Member, e.Score, withScores)
	}
}

func zWriteHeader(c *Client, n int, withScores bool) {
	switch {
	case !withScores:
		c.w.Array(n)
	case c.w.Proto == 3:
		c.w.Array(n)
	default:
		c.w.Array(2 * n)
	}
}

func zWriteEntry(c *Client, member string, score float64, withScores bool) {
	if !withScores {
		c.w.BulkString(member)
		return
	}
	if c.w.Proto == 3 {
		c.w.Array(2)
	}
	c.w.BulkString(member)
	c.w.Double(score)
}

func zaddCommand(c *Client, args [][]byte)    { zaddGeneric(c, args, 0) }
func zincrbyCommand(c *Client, args [][]byte) { zaddGeneric(c, args, store.ZAddIncr) }

// zaddGeneric is ZADD and ZINCRBY, as Redis's zaddGenericCommand.
func zaddGeneric(c *Client, args [][]byte, flags store.ZAddFlags) {
	scoreIdx := 2
	ch := false
	for ; scoreIdx < len(args); scoreIdx++ {
		opt := cString(args[scoreIdx])
		switch {
		case is(opt, "nx"):
			flags |= store.ZAddNX
		case is(opt, "xx"):
			flags |= store.ZAddXX
		case is(opt, "ch"):
			ch = true
		case is(opt, "incr"):
			flags |= store.ZAddIncr
		case is(opt, "gt"):
			flags |= store.ZAddGT
		case is(opt, "lt"):
			flags |= store.ZAddLT
		default:
			goto scores
		}
	}
scores:
	elements := len(args) - scoreIdx
	if elements%2 != 0 || elements == 0 {
		c.Error(msgSyntax)
		return
	}
	elements /= 2
	nx, xx := flags&store.ZAddNX != 0, flags&store.ZAddXX != 0
	gt, lt := flags&store.ZAddGT != 0, flags&store.ZAddLT != 0
	incr := flags&store.ZAddIncr != 0
	switch {
	case nx && xx:
		c.Error(msgZXXNX)
		return
	case gt && nx || lt && nx || gt && lt:
		c.Error(msgZGTLTNX)
		return
	case incr && elements > 1:
		c.Error(msgZIncrPair)
		return
	}
	for j := range elements {
		if _, ok := zParseScore(args[scoreIdx+2*j]); !ok {
			c.Error(msgNotFloat)
			return
		}
	}
	s := c.srv.store
	key := args[1]
	var z *store.ZSet
	var err error
	if xx {
		z, err = s.ZSet(c.db, key)
	} else {
		z, err = s.ZSetForWrite(c.db, key, len(args[scoreIdx+1]))
	}
	if err != nil {
		c.storeErr(err)
		return
	}
	var added, updated, processed int64
	var score float64
	if z != nil {
		for j := range elements {
			sc, _ := zParseScore(args[scoreIdx+2*j])
			newScore, res, err := z.Add(args[scoreIdx+2*j+1], sc, flags)
			if err != nil {
				s.DeleteIfEmpty(c.db, key)
				c.Error(msgZNaN)
				return
			}
			switch res {
			case store.ZAddAdded:
				added++
			case store.ZAddUpdated:
				updated++
			}
			if res != store.ZAddNop {
				processed++
			}
			score = newScore
		}
		s.DeleteIfEmpty(c.db, key)
	}
	switch {
	case !incr && ch:
		c.w.Int(added + updated)
	case !incr:
		c.w.Int(added)
	case processed > 0:
		c.w.Double(score)
	default:
		c.w.Null()
	}
	if added+updated > 0 {
		if incr {
			c.changed(key, config.NotifyZset, "zincr")
		} else {
			c.changed(key, config.NotifyZset, "zadd")
		}
	}
}

func zremCommand(c *Client, args [][]byte) {
	z, ok := readZSet(c, args[1])
	if !ok {
		return
	}
	n := int64(0)
	if z != nil {
		for _, m := range args[2:] {
			if z.Remove(m) {
				n++
				if z.Len() == 0 {
					break
				}
			}
		}
		removed := c.srv.store.DeleteIfEmpty(c.db, args[1])
		if n > 0 {
			c.notify(config.NotifyZset, "zrem", args[1])
			if removed {
				c.notify(config.NotifyGeneric, "del", args[1])
			}
			c.signalModified(args[1])
		}
	}
	c.w.Int(n)
}

func zcardCommand(c *Client, args [][]byte) {
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.w.Raw(replyZero)
		return
	}
	c.w.Int(int64(z.Len()))
}

func zscoreCommand(c *Client, args [][]byte) {
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	if z != nil {
		if sc, found := z.Score(args[2]); found {
			c.w.Double(sc)
			return
		}
	}
	c.w.Null()
}

func zmscoreCommand(c *Client, args [][]byte) {
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	c.w.Array(len(args) - 2)
	for _, m := range args[2:] {
		if z != nil {
			if sc, found := z.Score(m); found {
				c.w.Double(sc)
				continue
			}
		}
		c.w.Null()
	}
}

func zcountCommand(c *Client, args [][]byte) {
	r, ok := zParseScoreRange(args[2], args[3])
	if !ok {
		c.Error(msgZMinMaxFloat)
		return
	}
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.w.Raw(replyZero)
		return
	}
	first, last := z.ScoreRanks(&r)
	c.w.Int(int64(last - first + 1))
}

func zlexcountCommand(c *Client, args [][]byte) {
	r, ok := zParseLexRange(args[2], args[3])
	if !ok {
		c.Error(msgZLexRange)
		return
	}
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.w.Raw(replyZero)
		return
	}
	c.w.Int(int64(z.LexCount(&r)))
}

func zrankCommand(c *Client, args [][]byte)    { zrankGeneric(c, args, false) }
func zrevrankCommand(c *Client, args [][]byte) { zrankGeneric(c, args, true) }

func zrankGeneric(c *Client, args [][]byte, rev bool) {
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	if z != nil {
		if r, _, found := z.Rank(args[2]); found {
			if rev {
				r = z.Len() - 1 - r
			}
			c.w.Int(int64(r))
			return
		}
	}
	c.w.Null()
}

// zRangeKind is how ZRANGE reads its min and max.
type zRangeKind uint8

const (
	zByAuto zRangeKind = iota
	zByRank
	zByScore
	zByLex
)

// zDir is the direction of a range; zDirAuto lets a REV option decide.
type zDir uint8

const (
	zDirAuto zDir = iota
	zDirForward
	zDirReverse
)

func zrangeCommand(c *Client, args [][]byte) { zrangeGeneric(c, args, 1, false, zByAuto, zDirAuto) }
func zrangestoreCommand(c *Client, args [][]byte) {
	zrangeGeneric(c, args, 2, true, zByAuto, zDirAuto)
}
func zrevrangeCommand(c *Client, args [][]byte) {
	zrangeGeneric(c, args, 1, false, zByRank, zDirReverse)
}
func zrangebyscoreCommand(c *Client, args [][]byte) {
	zrangeGeneric(c, args, 1, false, zByScore, zDirForward)
}
func zrevrangebyscoreCommand(c *Client, args [][]byte) {
	zrangeGeneric(c, args, 1, false, zByScore, zDirReverse)
}
func zrangebylexCommand(c *Client, args [][]byte) {
	zrangeGeneric(c, args, 1, false, zByLex, zDirForward)
}
func zrevrangebylexCommand(c *Client, args [][]byte) {
	zrangeGeneric(c, args, 1, false, zByLex, zDirReverse)
}

// zrangeGeneric is the ZRANGE family, as Redis's zrangeGenericCommand: options, then the
// range, then the key.
func zrangeGeneric(c *Client, args [][]byte, argStart int, storeDst bool, kind zRangeKind, dir zDir) {
	key := args[argStart]
	minIdx, maxIdx := argStart+1, argStart+2
	withScores := false
	offset, limit := int64(0), int64(-1)
	for j := argStart + 3; j < len(args); j++ {
		left := len(args) - j - 1
		opt := cString(args[j])
		switch {
		case !storeDst && is(opt, "withscores"):
			withScores = true
		case is(opt, "limit") && left >= 2:
			var ok bool
			if offset, ok = zLong(c, args[j+1]); !ok {
				return
			}
			if limit, ok = zLong(c, args[j+2]); !ok {
				return
			}
			j += 2
		case dir == zDirAuto && is(opt, "rev"):
			dir = zDirReverse
		case kind == zByAuto && is(opt, "bylex"):
			kind = zByLex
		case kind == zByAuto && is(opt, "byscore"):
			kind = zByScore
		default:
			c.Error(msgSyntax)
			return
		}
	}
	if dir == zDirAuto {
		dir = zDirForward
	}
	if kind == zByAuto {
		kind = zByRank
	}
	if limit != -1 && kind == zByRank {
		c.Error(msgZLimitRank)
		return
	}
	if withScores && kind == zByLex {
		c.Error(msgZScoresLex)
		return
	}
	rev := dir == zDirReverse
	if rev && kind != zByRank {
		minIdx, maxIdx = maxIdx, minIdx
	}
	var start, end int64
	var sr store.ScoreRange
	var lr store.LexRange
	switch kind {
	case zByRank:
		var ok bool
		if start, ok = zLong(c, args[minIdx]); !ok {
			return
		}
		if end, ok = zLong(c, args[maxIdx]); !ok {
			return
		}
	case zByScore:
		var ok bool
		if sr, ok = zParseScoreRange(args[minIdx], args[maxIdx]); !ok {
			c.Error(msgZMinMaxFloat)
			return
		}
	case zByLex:
		var ok bool
		if lr, ok = zParseLexRange(args[minIdx], args[maxIdx]); !ok {
			c.Error(msgZLexRange)
			return
		}
	}
	z, ok := readZSetMiss(c, key)
	if !ok {
		return
	}
	first, last := 0, -1
	if z != nil {
		switch kind {
		case zByRank:
			first, last = zRankRange(start, end, z.Len())
			if rev {
				first, last = z.Len()-1-last, z.Len()-1-first
			}
		case zByScore:
			first, last = z.ScoreRanks(&sr)
			first, last = zApplyLimit(first, last, offset, limit, rev)
		case zByLex:
			if offset >= 0 {
				first, last = z.LexSpan(&lr, rev, offset, limit)
			}
		}
	}
	if storeDst {
		var entries []store.ZEntry
		if z != nil {
			z.Range(first, last, rev, func(m string, sc float64) {
				entries = append(entries, store.ZEntry{Member: m, Score: sc})
			})
		}
		existed := len(entries) == 0 && c.srv.store.Exists(c.db, args[1])
		c.srv.store.SetZSet(c.db, args[1], entries)
		stored(c, args[1], len(entries), existed, config.NotifyZset, "zrangestore")
		return
	}
	n := max(last-first+1, 0)
	zWriteHeader(c, n, withScores)
	if z != nil {
		z.Range(first, last, rev, func(m string, sc float64) { zWriteEntry(c, m, sc, withScores) })
	}
}

// zRankRange turns ZRANGE's start and end (negative: from the end) into ranks within
// [0, n); first > last when the range is empty.
func zRankRange(start, end int64, n int) (first, last int) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if end < 0 {
		end += ln
	}
	start = max(start, 0)
	if start > end || start >= ln {
		return 0, -1
	}
	end = min(end, ln-1)
	return int(start), int(end)
}

// zApplyLimit narrows the ranks first..last by LIMIT offset count, counting from last when
// rev. As in Redis, a negative offset skips everything and a negative count takes all.
func zApplyLimit(first, last int, offset, limit int64, rev bool) (int, int) {
	n := int64(last - first + 1)
	if n <= 0 || offset < 0 || offset >= n {
		return 0, -1
	}
	k := n - offset
	if limit >= 0 {
		k = min(k, limit)
	}
	if k == 0 {
		return 0, -1
	}
	if rev {
		hi := int64(last) - offset
		return int(hi - k + 1), int(hi)
	}
	lo := int64(first) + offset
	return int(lo), int(lo + k - 1)
}

func zremrangebyrankCommand(c *Client, args [][]byte)  { zremrangeGeneric(c, args, zByRank) }
func zremrangebyscoreCommand(c *Client, args [][]byte) { zremrangeGeneric(c, args, zByScore) }
func zremrangebylexCommand(c *Client, args [][]byte)   { zremrangeGeneric(c, args, zByLex) }

// zremrangeEvents are the events of ZREMRANGEBY*, by range kind.
var zremrangeEvents = map[zRangeKind]string{
	zByRank: "zremrangebyrank", zByScore: "zremrangebyscore", zByLex: "zremrangebylex",
}

func zremrangeGeneric(c *Client, args [][]byte, kind zRangeKind) {
	var start, end int64
	var sr store.ScoreRange
	var lr store.LexRange
	var ok bool
	switch kind {
	case zByRank:
		if start, ok = zLong(c, args[2]); !ok {
			return
		}
		if end, ok = zLong(c, args[3]); !ok {
			return
		}
	case zByScore:
		if sr, ok = zParseScoreRange(args[2], args[3]); !ok {
			c.Error(msgZMinMaxFloat)
			return
		}
	case zByLex:
		if lr, ok = zParseLexRange(args[2], args[3]); !ok {
			c.Error(msgZLexRange)
			return
		}
	}
	z, ok := readZSet(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.w.Raw(replyZero)
		return
	}
	var first, last int
	switch kind {
	case zByRank:
		first, last = zRankRange(start, end, z.Len())
	case zByScore:
		first, last = z.ScoreRanks(&sr)
	}
	var n int
	if kind == zByLex {
		n = z.RemoveLex(&lr)
	} else {
		n = z.RemoveRanks(first, last)
	}
	removed := c.srv.store.DeleteIfEmpty(c.db, args[1])
	if n > 0 {
		c.signalModified(args[1])
		c.notify(config.NotifyZset, zremrangeEvents[kind], args[1])
		if removed {
			c.notify(config.NotifyGeneric, "del", args[1])
		}
	}
	c.w.Int(int64(n))
}

func zpopminCommand(c *Client, args [][]byte) { zpopMinMax(c, args, false) }
func zpopmaxCommand(c *Client, args [][]byte) { zpopMinMax(c, args, true) }

func zpopMinMax(c *Client, args [][]byte, maxEnd bool) {
	if len(args) > 3 {
		c.Error(msgSyntax)
		return
	}
	count := int64(-1)
	if len(args) == 3 {
		n, err := parseInt(args[2])
		if err != nil || n < 0 {
			c.Error(msgPositive)
			return
		}
		count = n
	}
	zpopGeneric(c, args[1:2], maxEnd, false, count, c.w.Proto == 3 && count != -1, false)
}

// zpopGeneric pops from the first non-empty sorted set among keys, as Redis's
// genericZpopCommand: count -1 pops one; emitKey (ZMPOP) wraps the reply with the key.
func zpopGeneric(c *Client, keys [][]byte, maxEnd, emitKey bool, count int64, nested, nilWhenEmpty bool) {
	var z *store.ZSet
	var key []byte
	for _, k := range keys {
		var ok bool
		if z, ok = readZSet(c, k); !ok {
			return
		}
		if z != nil {
			key = k
			break
		}
	}
	if count == 0 {
		c.w.Array(0)
		return
	}
	if z == nil {
		if nilWhenEmpty {
			c.w.NullArray()
		} else {
			c.w.Array(0)
		}
		return
	}
	if count == -1 {
		count = 1
	}
	n := int(min(count, int64(z.Len())))
	first, last := 0, n-1
	if maxEnd {
		first, last = z.Len()-n, z.Len()-1
	}
	if emitKey {
		c.w.Array(2)
		c.w.Bulk(key)
	}
	if nested {
		c.w.Array(n)
	} else {
		c.w.Array(2 * n)
	}
	// Redis reports the pop once, before the first element of its reply.
	if maxEnd {
		c.notify(config.NotifyZset, "zpopmax", key)
	} else {
		c.notify(config.NotifyZset, "zpopmin", key)
	}
	c.signalModified(key)
	z.Range(first, last, maxEnd, func(m string, sc float64) {
		if nested {
			c.w.Array(2)
		}
		c.w.BulkString(m)
		c.w.Double(sc)
	})
	z.RemoveRanks(first, last)
	c.deleteIfEmpty(key)
}

// zNumKeys parses a numkeys argument that must lie in [1, LONG_MAX], writing msg otherwise.
func zNumKeys(c *Client, b []byte, msg string) (int64, bool) {
	n, err := parseInt(b)
	if err != nil || n < 1 {
		c.Error(msg)
		return 0, false
	}
	return n, true
}

func zmpopCommand(c *Client, args [][]byte) {
	keys, maxEnd, count, ok := parseZMPop(c, args)
	if ok {
		zpopGeneric(c, keys, maxEnd, true, count, true, true)
	}
}

// parseZMPop parses ZMPOP's arguments from args[1] (numkeys) on; BZMPOP passes its own
// shifted by one. It replies and returns ok false on an error.
func parseZMPop(c *Client, args [][]byte) (keys [][]byte, maxEnd bool, count int64, ok bool) {
	numKeys, ok := zNumKeys(c, args[1], msgZNumKeys)
	if !ok {
		return nil, false, 0, false
	}
	whereIdx := 1 + numKeys + 1
	if whereIdx >= int64(len(args)) {
		c.Error(msgSyntax)
		return nil, false, 0, false
	}
	switch where := cString(args[whereIdx]); {
	case is(where, "min"):
	case is(where, "max"):
		maxEnd = true
	default:
		c.Error(msgSyntax)
		return nil, false, 0, false
	}
	count = -1
	for j := int(whereIdx) + 1; j < len(args); j++ {
		if count == -1 && is(cString(args[j]), "count") && j+1 < len(args) {
			j++
			if count, ok = zNumKeys(c, args[j], msgZCount); !ok {
				return nil, false, 0, false
			}
			continue
		}
		c.Error(msgSyntax)
		return nil, false, 0, false
	}
	if count == -1 {
		count = 1
	}
	return args[2:whereIdx], maxEnd, count, true
}

func zrandmemberCommand(c *Client, args [][]byte) {
	if len(args) == 2 {
		z, ok := readZSetMiss(c, args[1])
		switch {
		case !ok:
		case z == nil:
			c.w.Null()
		default:
			m, _ := z.At(rand.IntN(z.Len()))
			c.w.BulkString(m)
		}
		return
	}
	l, err := parseInt(args[2])
	switch {
	case err != nil:
		c.Error(msgNotInteger)
		return
	case l == math.MinInt64:
		c.Error(msgZRandRange)
		return
	case len(args) > 4 || len(args) == 4 && !is(cString(args[3]), "withscores"):
		c.Error(msgSyntax)
		return
	}
	withScores := len(args) == 4
	if withScores && (l < -math.MaxInt64/2 || l > math.MaxInt64/2) {
		c.Error(msgZValueRange)
		return
	}
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	if z == nil || l == 0 {
		c.w.Array(0)
		return
	}
	size := int64(z.Len())
	switch {
	case l < 0 || l == 1:
		count := l
		if count < 0 {
			count = -count
		}
		zWriteHeader(c, int(count), withScores)
		for range count {
			m, sc := z.At(rand.IntN(int(size)))
			zWriteEntry(c, m, sc, withScores)
		}
	case l >= size:
		// The whole set, in descending order as Redis 7.0 sends it.
		zWriteHeader(c, int(size), withScores)
		z.Range(0, int(size)-1, true, func(m string, sc float64) { zWriteEntry(c, m, sc, withScores) })
	default:
		picked := rand.Perm(int(size))[:l]
		zWriteHeader(c, int(l), withScores)
		for _, r := range picked {
			m, sc := z.At(r)
			zWriteEntry(c, m, sc, withScores)
		}
	}
}

func zscanCommand(c *Client, args [][]byte) {
	cursor, ok := parseScanCursor(args[2])
	if !ok {
		c.Error(msgInvalidCursor)
		return
	}
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.w.Array(2)
		c.w.BulkString("0")
		c.w.Array(0)
		return
	}
	count := int64(10)
	var pattern []byte
	for i := 3; i < len(args); i += 2 {
		more := len(args) - i
		switch opt := cString(args[i]); {
		case is(opt, "count") && more >= 2:
			n, ok := zLong(c, args[i+1])
			if !ok {
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
	// A listpack is returned whole in one call, as Redis does; a skiplist set is walked
	// in rank order, the cursor being the next rank.
	first, last := 0, z.Len()-1
	next := uint64(0)
	if z.Encoding() != "listpack" {
		if cursor >= uint64(z.Len()) {
			first, last = 0, -1
		} else {
			first = int(cursor)
			if uint64(count) < uint64(z.Len())-cursor {
				last = first + int(count) - 1
				next = uint64(last + 1)
			}
		}
	}
	var found []store.ZEntry
	var scratch []byte
	z.Range(first, last, false, func(m string, sc float64) {
		if pattern != nil {
			scratch = append(scratch[:0], m...)
			if !config.Match(pattern, scratch, false) {
				return
			}
		}
		found = append(found, store.ZEntry{Member: m, Score: sc})
	})
	c.w.Array(2)
	c.w.BulkInt(int64(next))
	c.w.Array(2 * len(found))
	var buf [32]byte
	for _, e := range found {
		c.w.BulkString(e.Member)
		c.w.Bulk(resp.AppendDouble(buf[:0], e.Score))
	}
}

// zSource is one input of ZUNION, ZINTER and ZDIFF: a sorted set, or a set whose members
// all score 1.
type zSource struct {
	z      *store.ZSet
	set    *store.Set
	weight float64
}

func (s *zSource) len() int {
	switch {
	case s.z != nil:
		return s.z.Len()
	case s.set != nil:
		return s.set.Len()
	}
	return 0
}

func (s *zSource) each(fn func(m string, sc float64)) {
	switch {
	case s.z != nil:
		s.z.Range(0, s.z.Len()-1, false, fn)
	case s.set != nil:
		s.set.Each(func(m []byte) bool {
			fn(string(m), 1)
			return true
		})
	}
}

func (s *zSource) score(m string) (float64, bool) {
	switch {
	case s.z != nil:
		return s.z.Score([]byte(m))
	case s.set != nil:
		return 1, s.set.Contains([]byte(m))
	}
	return 0, false
}

// zSetOp is the operation of zsetopGeneric.
type zSetOp uint8

const (
	zOpUnion zSetOp = iota
	zOpInter
	zOpDiff
)

// zStoreEvents are the events of ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE, by operation.
var zStoreEvents = [...]string{zOpUnion: "zunionstore", zOpInter: "zinterstore", zOpDiff: "zdiffstore"}

// zAggregate is the AGGREGATE option.
type zAggregate uint8

const (
	zAggSum zAggregate = iota
	zAggMin
	zAggMax
)

func zaggregate(agg zAggregate, target *float64, val float64) {
	switch agg {
	case zAggSum:
		*target += val
		if math.IsNaN(*target) {
			*target = 0
		}
	case zAggMin: // a NaN val leaves target alone, as C's comparison does
		if val < *target {
			*target = val
		}
	case zAggMax:
		if val > *target {
			*target = val
		}
	}
}

func zunionCommand(c *Client, args [][]byte) { zsetopGeneric(c, args, nil, 1, zOpUnion, false) }
func zinterCommand(c *Client, args [][]byte) { zsetopGeneric(c, args, nil, 1, zOpInter, false) }
func zdiffCommand(c *Client, args [][]byte)  { zsetopGeneric(c, args, nil, 1, zOpDiff, false) }
func zunionstoreCommand(c *Client, args [][]byte) {
	zsetopGeneric(c, args, args[1], 2, zOpUnion, false)
}
func zinterstoreCommand(c *Client, args [][]byte) {
	zsetopGeneric(c, args, args[1], 2, zOpInter, false)
}
func zdiffstoreCommand(c *Client, args [][]byte) {
	zsetopGeneric(c, args, args[1], 2, zOpDiff, false)
}

func zintercardCommand(c *Client, args [][]byte) {
	zsetopGeneric(c, args, nil, 1, zOpInter, true)
}

// zsetopGeneric is ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, as Redis's
// zunionInterDiffGenericCommand: numkeys, the keys' types, then the options.
func zsetopGeneric(c *Client, args [][]byte, dst []byte, numKeysIdx int, op zSetOp, cardOnly bool) {
	setNum, ok := zLong(c, args[numKeysIdx])
	if !ok {
		return
	}
	if setNum < 1 {
		c.errorf(msgZInputKeys, strings.ToLower(string(args[0])))
		return
	}
	if setNum > int64(len(args)-numKeysIdx-1) {
		c.Error(msgSyntax)
		return
	}
	st := c.srv.store
	src := make([]zSource, setNum)
	j := numKeysIdx + 1
	for i := range src {
		src[i].weight = 1
		key := args[j]
		j++
		v := st.Peek(c.db, key)
		if v == nil {
			c.keyMiss(key)
			continue
		}
		var err error
		switch v.Type() {
		case store.TypeZSet:
			src[i].z, err = st.ZSet(c.db, key)
		case store.TypeSet:
			src[i].set, err = st.Set(c.db, key)
		default:
			err = store.ErrWrongType
		}
		if err != nil {
			c.storeErr(err)
			return
		}
	}
	agg := zAggSum
	withScores := false
	limit := int64(0)
	for j < len(args) {
		remaining := len(args) - j
		opt := cString(args[j])
		switch {
		case op != zOpDiff && !cardOnly && remaining >= len(src)+1 && is(opt, "weights"):
			j++
			for i := range src {
				w, ok := zParseScore(args[j])
				if !ok {
					c.Error(msgZWeightFloat)
					return
				}
				src[i].weight = w
				j++
			}
		case op != zOpDiff && !cardOnly && remaining >= 2 && is(opt, "aggregate"):
			switch a := cString(args[j+1]); {
			case is(a, "sum"):
				agg = zAggSum
			case is(a, "min"):
				agg = zAggMin
			case is(a, "max"):
				agg = zAggMax
			default:
				c.Error(msgSyntax)
				return
			}
			j += 2
		case dst == nil && !cardOnly && is(opt, "withscores"):
			withScores = true
			j++
		case cardOnly && remaining >= 2 && is(opt, "limit"):
			n, err := parseInt(args[j+1])
			switch {
			case err != nil:
				c.Error(msgZLimitNegative)
				return
			case n < 0:
				c.Error(msgZLimitNegative)
				return
			}
			limit = n
			j += 2
		default:
			c.Error(msgSyntax)
			return
		}
	}
	result := zsetop(src, op, agg, cardOnly, limit)
	switch {
	case cardOnly:
		c.w.Int(int64(len(result)))
	case dst != nil:
		existed := len(result) == 0 && st.Exists(c.db, dst)
		st.SetZSet(c.db, dst, result)
		stored(c, dst, len(result), existed, config.NotifyZset, zStoreEvents[op])
	default:
		slices.SortFunc(result, zCompare)
		zWriteEntries(c, result, withScores)
	}
}

func zCompare(a, b store.ZEntry) int {
	switch {
	case a.Score < b.Score:
		return -1
	case a.Score > b.Score:
		return 1
	}
	return strings.Compare(a.Member, b.Member)
}

// zweighted multiplies a score by a source's weight; NaN (0 × inf) counts as 0.
func zweighted(sc, weight float64) float64 {
	v := sc * weight
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// zsetop computes a union, intersection or difference of the sources, unordered. With
// cardOnly it stops after limit elements of an intersection (0: no limit).
func zsetop(src []zSource, op zSetOp, agg zAggregate, cardOnly bool, limit int64) []store.ZEntry {
	var result []store.ZEntry
	switch op {
	case zOpInter:
		slices.SortStableFunc(src, func(a, b zSource) int { return a.len() - b.len() })
		if src[0].len() == 0 {
			return nil
		}
		done := false
		src[0].each(func(m string, sc float64) {
			if done {
				return
			}
			score := zweighted(sc, src[0].weight)
			for i := 1; i < len(src); i++ {
				other, ok := src[i].score(m)
				if !ok {
					return
				}
				// Unlike the first score, a NaN product here is aggregated as is.
				zaggregate(agg, &score, other*src[i].weight)
			}
			result = append(result, store.ZEntry{Member: m, Score: score})
			if cardOnly && limit > 0 && int64(len(result)) >= limit {
				done = true
			}
		})
	case zOpUnion:
		slices.SortStableFunc(src, func(a, b zSource) int { return a.len() - b.len() })
		index := make(map[string]int)
		for i := range src {
			src[i].each(func(m string, sc float64) {
				score := zweighted(sc, src[i].weight)
				if k, ok := index[m]; ok {
					zaggregate(agg, &result[k].Score, score)
					return
				}
				index[m] = len(result)
				result = append(result, store.ZEntry{Member: m, Score: score})
			})
		}
	case zOpDiff:
		src[0].each(func(m string, sc float64) {
			for i := 1; i < len(src); i++ {
				if _, ok := src[i].score(m); ok {
					return
				}
			}
			result = append(result, store.ZEntry{Member: m, Score: sc})
		})
	}
	return result
}
