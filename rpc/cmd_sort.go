package rpc

import (
	"bytes"
	"math"
	"slices"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// sortCommands declares SORT and SORT_RO, as redis-server 7.0 describes them. Their BY and
// GET patterns name keys that only the sorted values reveal, so both are flagged AllKeys:
// dispatch locks every shard for them.
func sortCommands() []*Command {
	return []*Command{
		{Name: "sort", Arity: -2, Flags: Write | DenyOOM | AllKeys, Group: GroupGeneric, ACL: ACLSet | ACLSortedSet | ACLList | ACLDangerous | ACLNoGroup,
			Keys: sortKeySpecs(true), Run: sortCommand,
			Doc: Doc{Summary: "Sort the elements in a list, set or sorted set",
				Since:      "1.0.0",
				Complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "pattern", Type: ArgPattern, Token: "BY", Optional: true},
					{Name: "offset_count", Type: ArgBlock, Token: "LIMIT", Optional: true, Args: []Arg{{Name: "offset", Type: ArgInteger}, {Name: "count", Type: ArgInteger}}},
					{Name: "pattern", Type: ArgPattern, Token: "GET", Optional: true, Multiple: true},
					{Name: "order", Type: ArgOneOf, Optional: true, Args: []Arg{{Name: "asc", Type: ArgPureToken, Token: "ASC"}, {Name: "desc", Type: ArgPureToken, Token: "DESC"}}},
					{Name: "sorting", Type: ArgPureToken, Token: "ALPHA", Optional: true},
					{Name: "destination", Type: ArgKey, Token: "STORE", KeySpec: 2, Optional: true},
				}},
		},
		{Name: "sort_ro", Arity: -2, Flags: ReadOnly | AllKeys, Group: GroupGeneric, ACL: ACLSet | ACLSortedSet | ACLList | ACLDangerous | ACLNoGroup,
			Keys: sortKeySpecs(false), Run: sortROCommand,
			Doc: Doc{Summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
				Since:      "7.0.0",
				Complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "pattern", Type: ArgPattern, Token: "BY", Optional: true},
					{Name: "offset_count", Type: ArgBlock, Token: "LIMIT", Optional: true, Args: []Arg{{Name: "offset", Type: ArgInteger}, {Name: "count", Type: ArgInteger}}},
					{Name: "pattern", Type: ArgPattern, Token: "GET", Optional: true, Multiple: true},
					{Name: "order", Type: ArgOneOf, Optional: true, Args: []Arg{{Name: "asc", Type: ArgPureToken, Token: "ASC"}, {Name: "desc", Type: ArgPureToken, Token: "DESC"}}},
					{Name: "sorting", Type: ArgPureToken, Token: "ALPHA", Optional: true},
				}},
		},
	}
}

// sortKeySpecs returns SORT's key specs (withStore) or SORT_RO's.
func sortKeySpecs(withStore bool) []KeySpec {
	ks := []KeySpec{
		{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1},
		{Notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort", Flags: KeyRO | KeyAccess, Unknown: true},
	}
	if withStore {
		ks = append(ks, KeySpec{Notes: "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array", Flags: KeyOW | KeyUpdate, Unknown: true})
	}
	return ks
}

func sortCommand(c *Client, args [][]byte)   { sortGeneric(c, args, false) }
func sortROCommand(c *Client, args [][]byte) { sortGeneric(c, args, true) }

// sortItem is one element to sort with its sort key.
type sortItem struct {
	elem  []byte
	score float64
	cmp   []byte // the BY value for ALPHA
	has   bool   // whether the BY value exists
}

// sortGeneric is Redis's sortCommandGeneric.
func sortGeneric(c *Client, args [][]byte, readonly bool) {
	desc, alpha, dontSort := false, false, false
	var limitStart, limitCount int64 = 0, -1
	var sortBy, storeKey []byte
	var gets [][]byte
	for j := 2; j < len(args); j++ {
		arg := cString(args[j])
		left := len(args) - j - 1
		switch {
		case is(arg, "asc"):
			desc = false
		case is(arg, "desc"):
			desc = true
		case is(arg, "alpha"):
			alpha = true
		case is(arg, "limit") && left >= 2:
			var err1, err2 error
			limitStart, err1 = parseInt(args[j+1])
			if err1 == nil {
				limitCount, err2 = parseInt(args[j+2])
			}
			if err1 != nil || err2 != nil {
				c.Error(msgNotInteger)
				return
			}
			j += 2
		case !readonly && is(arg, "store") && left >= 1:
			storeKey = args[j+1]
			j++
		case is(arg, "by") && left >= 1:
			sortBy = args[j+1]
			if bytes.IndexByte(cString(sortBy), '*') < 0 {
				dontSort = true
			}
			j++
		case is(arg, "get") && left >= 1:
			gets = append(gets, args[j+1])
			j++
		default:
			c.Error(msgSyntax)
			return
		}
	}
	s := c.srv.store
	// Peek for the type; the typed lookups below count the one access.
	v := s.Peek(c.db, args[1])
	typ := store.TypeList
	if v == nil {
		c.keyMiss(args[1])
	} else {
		typ = v.Type()
		if typ != store.TypeList && typ != store.TypeSet && typ != store.TypeZSet {
			s.Lookup(c.db, args[1])
			c.Error(msgWrongType)
			return
		}
	}
	var list *store.List
	var set *store.Set
	var zset *store.ZSet
	n := 0
	switch typ {
	case store.TypeList:
		list, _ = s.List(c.db, args[1])
		if list != nil {
			n = list.Len()
		}
	case store.TypeSet:
		set, _ = s.Set(c.db, args[1])
		n = set.Len()
		if dontSort && storeKey != nil {
			// The order of a set is not defined: Redis sorts what it stores.
			dontSort, alpha, sortBy = false, true, nil
		}
	case store.TypeZSet:
		zset, _ = s.ZSet(c.db, args[1])
		zset.ConvertToSkiplist()
		n = zset.Len()
	}

	start := max(limitStart, 0)
	end := int64(n) - 1
	if limitCount >= 0 {
		end = start + limitCount - 1
	}
	if start >= int64(n) {
		start, end = int64(n)-1, int64(n)-2
	}
	end = min(end, int64(n)-1)

	var items []sortItem
	switch {
	case dontSort && typ != store.TypeSet:
		// The native order, only the LIMIT range of it, reversed by DESC.
		if end >= start {
			for i := start; i <= end; i++ {
				idx := int(i)
				if desc {
					idx = n - 1 - int(i)
				}
				var elem []byte
				if list != nil {
					elem, _ = list.Index(idx)
				} else {
					m, _ := zset.At(idx)
					elem = []byte(m)
				}
				items = append(items, sortItem{elem: elem})
			}
			end -= start
			start = 0
		} else {
			end -= start
			start = 0
		}
	case list != nil:
		list.Range(0, n-1, func(e []byte) { items = append(items, sortItem{elem: e}) })
	case set != nil:
		set.Each(func(m []byte) bool {
			items = append(items, sortItem{elem: bytes.Clone(m)})
			return true
		})
	case zset != nil:
		zset.Range(0, n-1, false, func(m string, _ float64) { items = append(items, sortItem{elem: []byte(m)}) })
	}

	convErr := false
	if !dontSort {
		for i := range items {
			it := &items[i]
			by := it.elem
			if sortBy != nil {
				var ok bool
				if by, ok = sortLookup(c, sortBy, it.elem); !ok {
					continue
				}
			}
			if alpha {
				if sortBy != nil {
					it.cmp, it.has = by, true
				}
				continue
			}
			f, used, rangeErr := zStrtod(by)
			if used != len(cString(by)) || rangeErr || math.IsNaN(f) ||
				f != 0 && math.Abs(f) < 0x1p-1022 { // glibc's strtod reports ERANGE for subnormals
				convErr = true
			}
			if used == 0 {
				f = 0
			}
			it.score = f
		}
		cmp := sortCompare(alpha, sortBy != nil, storeKey != nil, desc)
		if sortBy != nil && (start != 0 || end != int64(len(items))-1) {
			store.PartialSort(items, cmp, int(start), int(end))
		} else {
			slices.SortStableFunc(items, func(a, b sortItem) int { return cmp(&a, &b) })
		}
	}

	outLen := end - start + 1
	if len(gets) > 0 {
		outLen *= int64(len(gets))
	}
	if convErr {
		c.Error(msgSortScore)
		return
	}
	if storeKey == nil {
		c.w.Array(int(outLen))
		for j := start; j <= end; j++ {
			elem := items[j].elem
			if len(gets) == 0 {
				c.w.Bulk(elem)
			}
			for _, g := range gets {
				if val, ok := sortLookup(c, g, elem); ok {
					c.w.Bulk(val)
				} else {
					c.w.Null()
				}
			}
		}
		return
	}
	var out [][]byte
	for j := start; j <= end; j++ {
		elem := items[j].elem
		if len(gets) == 0 {
			out = append(out, bytes.Clone(elem))
		}
		for _, g := range gets {
			val, _ := sortLookup(c, g, elem)
			out = append(out, bytes.Clone(val))
		}
	}
	deleted := s.PutList(c.db, storeKey, out)
	switch {
	case outLen > 0:
		c.changed(storeKey, config.NotifyList, "sortstore")
	case deleted:
		c.changed(storeKey, config.NotifyGeneric, "del")
	}
	c.w.Int(outLen)
}

// sortLookup is Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first
// '*' of the pattern is replaced by the element to make a key, and "->field" after it reads
// a hash field instead of a string. ok is false when there is no such value.
func sortLookup(c *Client, pattern, elem []byte) ([]byte, bool) {
	cpat := cString(pattern)
	if len(cpat) == 1 && cpat[0] == '#' {
		return elem, true
	}
	star := bytes.IndexByte(cpat, '*')
	if star < 0 {
		return nil, false
	}
	var field []byte
	if f := bytes.Index(cpat[star+1:], []byte("->")); f >= 0 && star+1+f+2 < len(cpat) {
		field = pattern[star+1+f+2:]
	}
	postLen := len(pattern) - star - 1
	if field != nil {
		postLen -= len(field) + 2
	}
	key := make([]byte, 0, star+len(elem)+postLen)
	key = append(append(append(key, pattern[:star]...), elem...), pattern[star+1:star+1+postLen]...)
	st := c.srv.store
	if field != nil {
		h, err := st.Hash(c.db, key)
		if h == nil && err == nil {
			c.keyMiss(key)
		}
		if err != nil || h == nil {
			return nil, false
		}
		val, ok := h.Get(field)
		if !ok {
			return nil, false
		}
		return []byte(val), true
	}
	v := st.Lookup(c.db, key)
	if v == nil {
		c.keyMiss(key)
	}
	if v == nil || v.Type() != store.TypeString {
		return nil, false
	}
	return v.AppendString(nil), true
}

// sortCompare is Redis's sortCompare for the given options.
func sortCompare(alpha, byPattern, storing, desc bool) func(a, b *sortItem) int {
	binary := func(a, b []byte) int { return bytes.Compare(a, b) }
	// Without STORE, Redis compares with strcoll, which stops at a NUL byte (kvrpcd assumes
	// the C locale).
	coll := func(a, b []byte) int { return bytes.Compare(cString(a), cString(b)) }
	return func(a, b *sortItem) int {
		var r int
		switch {
		case !alpha:
			switch {
			case a.score > b.score:
				r = 1
			case a.score < b.score:
				r = -1
			default:
				r = binary(a.elem, b.elem)
			}
		case byPattern:
			switch {
			case !a.has || !b.has:
				switch {
				case a.has == b.has:
					r = 0
				case !a.has:
					r = -1
				default:
					r = 1
				}
			case storing:
				r = binary(a.cmp, b.cmp)
			default:
				r = coll(a.cmp, b.cmp)
			}
		case storing:
			r = binary(a.elem, b.elem)
		default:
			r = coll(a.elem, b.elem)
		}
		if desc {
			return -r
		}
		return r
	}
}
