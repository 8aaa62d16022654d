package integration

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/kvrpcd/kvrpcd/resp"
)

// randomSource names, for each command that picks random members, the
// command that lists the whole key and whether that listing comes in pairs.
var randomSource = map[string]struct {
	list  []string
	pairs bool
}{
	"HRANDFIELD":  {[]string{"HGETALL"}, true},
	"SRANDMEMBER": {[]string{"SMEMBERS"}, false},
	"SPOP":        {[]string{"SMEMBERS"}, false},
	"ZRANDMEMBER": {[]string{"ZRANGE", "", "0", "-1", "WITHSCORES"}, true},
}

// checkRandom compares a random pick. The key's encoding and content are
// read first (and compared). The replies are then compared exactly where
// they are determined (errors, no such key, a count of 0, a key of one
// element), as multisets when the count covers the whole key and the
// order is the server's own (a set, or a hashtable or skiplist encoding),
// and otherwise by length and
// by the membership of every element in the key, with distinct elements for
// a positive count. A set that SPOP changed in different ways is then
// rebuilt alike on both servers.
func (d *diffRun) checkRandom(st *familyStats, c diffCmd) bool {
	name := strings.ToUpper(c.args[0])
	src := randomSource[name]
	enc, ok, cont := d.encoding(st, c.key)
	if !ok {
		return cont
	}
	list := append([]string{src.list[0], c.key}, src.list[min(2, len(src.list)):]...)
	snap, ok, cont := d.helper(st, list, true, src.pairs)
	if !ok {
		return cont
	}
	firsts, whole, isAgg := universe(snap, src.pairs)
	size := len(firsts)

	kv, ref, good := d.exchange(c.args)
	if !good {
		return false
	}
	d.kinds[ref[0]]++
	mode := cmpRandom
	count := int64(1)
	if len(c.args) > 2 {
		n, err := strconv.ParseInt(c.args[2], 10, 64)
		if err != nil {
			mode = cmpExact
		}
		count = n
	}
	switch {
	case ref[0] == '-' || kv[0] == '-' || !isAgg || size <= 1 || count == 0:
		mode = cmpExact
	case len(c.args) > 2 && count >= int64(size):
		// The whole key: in listpack order for a hash or sorted set, in an
		// order of the server's own making for a set (even an intset: SPOP).
		mode = cmpSet
		if !unorderedEncoding(enc) && src.pairs {
			mode = cmpExact
		}
	}
	var same bool
	switch mode {
	case cmpExact:
		st.exact++
		same = bytes.Equal(kv, ref)
	case cmpSet:
		st.sets++
		same = sameMultisets(kv, ref, c.pairs)
	default:
		st.member++
		pool := firsts
		if c.pairs {
			pool = whole
		}
		same = kv[0] == ref[0]
		if err := validPick(kv, len(c.args) > 2, count, size, c.pairs, pool); err != nil {
			same = false
			kv = fmt.Appendf(nil, "%q (%v; the key: %q)", kv, err, snap)
		}
		if err := validPick(ref, len(c.args) > 2, count, size, c.pairs, pool); err != nil {
			same = false
			ref = fmt.Appendf(nil, "%q (%v; the key: %q)", ref, err, snap)
		}
	}
	if !same {
		return d.differ(st, c.args, kv, ref)
	}
	if name == "SPOP" && mode == cmpRandom {
		return d.rebuildSet(st, c.key)
	}
	return true
}

// universe returns the renderings of a key's elements (fields, members)
// and of its pairs, from the reply that lists the key; isAgg is false when
// that reply is not a listing (an error).
func universe(raw []byte, pairs bool) (firsts, whole map[string]bool, isAgg bool) {
	v, _, err := resp.ParseReply(raw)
	if err != nil || v.Null || (v.Kind != resp.KindArray && v.Kind != resp.KindSet && v.Kind != resp.KindMap) {
		return nil, nil, false
	}
	firsts, whole = map[string]bool{}, map[string]bool{}
	if !pairs {
		for _, e := range v.Elems {
			firsts[render(e)] = true
			whole[render(e)] = true
		}
		return firsts, whole, true
	}
	nested := len(v.Elems) > 0 && v.Elems[0].Kind == resp.KindArray
	step := 2
	if nested {
		step = 1
	}
	for i := 0; i+step <= len(v.Elems); i += step {
		a, b := v.Elems[i], resp.Value{}
		if nested && len(a.Elems) == 2 {
			a, b = a.Elems[0], a.Elems[1]
		} else if !nested {
			b = v.Elems[i+1]
		}
		firsts[render(a)] = true
		whole[render(a)+"\x00"+render(b)] = true
	}
	return firsts, whole, true
}

// validPick checks one server's random pick: a single element without a
// count, else min(count, size) distinct elements for a positive count and
// -count elements for a negative one, all of them from pool.
func validPick(raw []byte, counted bool, count int64, size int, pairs bool, pool map[string]bool) error {
	if !counted {
		v, _, err := resp.ParseReply(raw)
		if err != nil || v.Kind != resp.KindBulk || v.Null {
			return fmt.Errorf("not one element")
		}
		if !pool[render(v)] {
			return fmt.Errorf("%q is not in the key", v.Str)
		}
		return nil
	}
	_, items, ok := replyItems(raw, pairs)
	if !ok {
		return fmt.Errorf("not a list")
	}
	want := -count
	if count > 0 {
		want = min(count, int64(size))
	}
	if int64(len(items)) != want {
		return fmt.Errorf("%d elements, want %d", len(items), want)
	}
	seen := map[string]bool{}
	for _, it := range items {
		if !pool[it] {
			return fmt.Errorf("%q is not in the key", it)
		}
		if count > 0 && seen[it] {
			return fmt.Errorf("%q twice", it)
		}
		seen[it] = true
	}
	return nil
}

// rebuildSet gives a set that SPOP changed differently on the two servers
// redis-server's remaining members on both.
func (d *diffRun) rebuildSet(st *familyStats, key string) bool {
	st.helpers++
	_, ref, ok := d.exchange([]string{"SMEMBERS", key}) // they differ: redis-server's wins
	if !ok {
		return false
	}
	v, _, err := resp.ParseReply(ref)
	if err != nil {
		d.t.Errorf("SMEMBERS %q: %q: %v", key, ref, err)
		return false
	}
	// The key may exist on one server only: DEL's replies may differ.
	if _, _, ok := d.exchange([]string{"DEL", key}); !ok {
		return false
	}
	if len(v.Elems) == 0 {
		return true
	}
	sadd := []string{"SADD", key}
	for _, e := range v.Elems {
		sadd = append(sadd, string(e.Str))
	}
	_, ok, cont := d.helper(st, sadd, false, false)
	return ok || cont
}
