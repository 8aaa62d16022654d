package integration

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/kvrpcd/kvrpcd/resp"
)

// Sorted sets are ordered by score and member, so nearly every reply is
// compared exactly: ZSCAN is exact on listpack-encoded sets and a full
// iteration otherwise, ZRANDMEMBER is a random pick (see checkRandom), and
// the lexicographic ranges are exact where all scores are equal (see
// checkLex).

var (
	zsetMembers = []string{"a", "b", "c", "m0", "m1", "m2", "m3", "", "a-long-member-name", "1"}
	zsetScores  = []string{"inf", "-inf", "+inf", "nan", "1e400", "0x10", "", "abc", "-0", "1.5", "3",
		"1e-5", "9007199254740993", "-2.5", "(1"}
	zsetBounds = []string{"-inf", "+inf", "inf", "(1", "(-1", "0", "1", "2.5", "(2.5", "5", "-3", "x", "(", "nan"}
	zsetLex    = []string{"-", "+", "[a", "(a", "[m", "(m1", "[", "a", "[b", "(c", "[z"}
)

func (g *commandGen) zsetMember() string { return g.pick(zsetMembers) }

func (g *commandGen) zsetScore() string {
	if g.chance(0.75) {
		return strconv.Itoa(g.intn(11) - 5)
	}
	return g.pick(zsetScores)
}

func (g *commandGen) zsetBound() string {
	if g.chance(0.5) {
		return strconv.Itoa(g.intn(11) - 5)
	}
	return g.pick(zsetBounds)
}

func (g *commandGen) zsetLimit() []string {
	if !g.chance(0.3) {
		return nil
	}
	return []string{"LIMIT", g.pick([]string{"0", "1", "-1", "2"}), g.pick([]string{"-1", "0", "1", "3", "x"})}
}

// zsetCmd returns a sorted set command, mostly on a sorted set key.
func (g *commandGen) zsetCmd() diffCmd {
	k := func() string { return g.keyOf(zsetKeys) }
	switch x := g.intn(100); {
	case x < 20:
		cmd := []string{g.name("ZADD"), k()}
		for range g.intn(3) {
			cmd = append(cmd, g.pick([]string{"NX", "XX", "GT", "LT", "CH", "INCR", "CH", "nx", "FOO"}))
		}
		for range 1 + g.intn(3) {
			cmd = append(cmd, g.zsetScore(), g.zsetMember())
		}
		if g.chance(0.05) {
			cmd = cmd[:len(cmd)-1]
		}
		return exact("zsets", cmd...)
	case x < 35:
		cmd := []string{g.name("ZRANGE"), k()}
		by := g.intn(3)
		switch by {
		case 0:
			cmd = append(cmd, g.listIndex(), g.listIndex())
		case 1:
			cmd = append(cmd, g.zsetBound(), g.zsetBound(), "BYSCORE")
		default:
			cmd = append(cmd, g.pick(zsetLex), g.pick(zsetLex), "BYLEX")
		}
		if g.chance(0.3) {
			cmd = append(cmd, "REV")
		}
		cmd = append(cmd, g.zsetLimit()...)
		if g.chance(0.4) {
			cmd = append(cmd, "WITHSCORES")
		}
		if by == 2 {
			return lex(cmd)
		}
		return exact("zsets", cmd...)
	case x < 41:
		name := g.pick([]string{"ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZREVRANGE"})
		cmd := []string{g.name(name), k()}
		switch {
		case strings.HasSuffix(name, "LEX"):
			cmd = append(cmd, g.pick(zsetLex), g.pick(zsetLex))
		case strings.HasSuffix(name, "SCORE"):
			cmd = append(cmd, g.zsetBound(), g.zsetBound())
			if g.chance(0.4) {
				cmd = append(cmd, "WITHSCORES")
			}
		default:
			cmd = append(cmd, g.listIndex(), g.listIndex())
			if g.chance(0.4) {
				cmd = append(cmd, "WITHSCORES")
			}
		}
		cmd = append(cmd, g.zsetLimit()...)
		if strings.HasSuffix(name, "LEX") {
			return lex(cmd)
		}
		return exact("zsets", cmd...)
	case x < 46:
		cmd := []string{g.name(g.pick([]string{"ZRANK", "ZREVRANK", "ZSCORE"})), k(), g.zsetMember()}
		return exact("zsets", cmd...)
	case x < 49:
		cmd := []string{g.name("ZMSCORE"), k()}
		for range 1 + g.intn(3) {
			cmd = append(cmd, g.zsetMember())
		}
		return exact("zsets", cmd...)
	case x < 54:
		return exact("zsets", g.name("ZINCRBY"), k(), g.zsetScore(), g.zsetMember())
	case x < 58:
		return exact("zsets", g.name("ZCOUNT"), k(), g.zsetBound(), g.zsetBound())
	case x < 61:
		return lex([]string{g.name("ZLEXCOUNT"), k(), g.pick(zsetLex), g.pick(zsetLex)})
	case x < 64:
		return exact("zsets", g.name("ZCARD"), k())
	case x < 68:
		cmd := []string{g.name("ZREM"), k()}
		for range 1 + g.intn(3) {
			cmd = append(cmd, g.zsetMember())
		}
		return exact("zsets", cmd...)
	case x < 71:
		switch g.intn(3) {
		case 0:
			return exact("zsets", g.name("ZREMRANGEBYSCORE"), k(), g.zsetBound(), g.zsetBound())
		case 1:
			return lex([]string{g.name("ZREMRANGEBYLEX"), k(), g.pick(zsetLex), g.pick(zsetLex)})
		default:
			return exact("zsets", g.name("ZREMRANGEBYRANK"), k(), g.listIndex(), g.listIndex())
		}
	case x < 76:
		cmd := []string{g.name(g.pick([]string{"ZPOPMIN", "ZPOPMAX"})), k()}
		if g.chance(0.6) {
			cmd = append(cmd, g.pick([]string{"0", "1", "2", "5", "-1", "x"}))
		}
		return exact("zsets", cmd...)
	case x < 84:
		name := g.pick([]string{"ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"})
		cmd := []string{g.name(name)}
		store := strings.HasSuffix(name, "STORE")
		if store {
			cmd = append(cmd, k())
		}
		n := 1 + g.intn(3)
		nk := strconv.Itoa(n)
		if g.chance(0.05) {
			nk = g.pick([]string{"0", "-1", "x", "9"})
		}
		cmd = append(cmd, nk)
		cmd = append(cmd, g.keysOf(zsetKeys, n)...)
		if name != "ZDIFF" && name != "ZDIFFSTORE" {
			if g.chance(0.4) {
				cmd = append(cmd, "WEIGHTS")
				for range n {
					cmd = append(cmd, g.pick([]string{"1", "2", "-1", "0", "0.5", "inf", "x"}))
				}
			}
			if g.chance(0.4) {
				cmd = append(cmd, "AGGREGATE", g.pick([]string{"SUM", "MIN", "MAX", "min", "FOO"}))
			}
		}
		if !store && g.chance(0.5) {
			cmd = append(cmd, "WITHSCORES")
		}
		return exact("zsets", cmd...)
	case x < 86:
		cmd := []string{g.name("ZINTERCARD"), "2", k(), k()}
		if g.chance(0.3) {
			cmd = append(cmd, "LIMIT", g.pick([]string{"0", "1", "-1", "x"}))
		}
		return exact("zsets", cmd...)
	case x < 88:
		cmd := []string{g.name("ZMPOP"), "2", k(), k(), g.pick([]string{"MIN", "MAX", "FOO"})}
		if g.chance(0.5) {
			cmd = append(cmd, "COUNT", g.pick([]string{"0", "1", "3", "-1"}))
		}
		return exact("zsets", cmd...)
	case x < 90:
		return exact("zsets", g.name("ZRANGESTORE"), k(), k(), g.listIndex(), g.listIndex())
	case x < 95:
		key := k()
		c := diffCmd{args: []string{g.name("ZRANDMEMBER"), key}, family: "zsets", cmp: cmpRandom, key: key}
		if g.chance(0.8) {
			c.args = append(c.args, g.pick(hashRandCounts))
			if g.chance(0.4) {
				c.args = append(c.args, g.pick([]string{"WITHSCORES", "WITHSCORES", "withscores", "FOO"}))
				c.pairs = strings.EqualFold(c.args[3], "WITHSCORES")
			}
		}
		return c
	case x < 98:
		return g.typeScan("ZSCAN", "zsets", k(), []string{"*", "m*", "?", "[ab]", ""}, true)
	default:
		return exact("zsets", g.name("OBJECT"), "ENCODING", k())
	}
}

// lex returns a lexicographic range command on the sorted set args[1].
func lex(args []string) diffCmd {
	return diffCmd{args: args, family: "zsets", cmp: cmpLex, key: args[1]}
}

// checkLex compares a lexicographic range command. Its result is specified
// only where all the scores are equal: there it is compared exactly, and
// otherwise only by the reply type, after which a sorted set that
// ZREMRANGEBYLEX may have changed differently is rebuilt alike.
func (d *diffRun) checkLex(st *familyStats, c diffCmd) bool {
	list := []string{"ZRANGE", c.key, "0", "-1", "WITHSCORES"}
	snap, ok, cont := d.helper(st, list, false, false)
	if !ok {
		return cont
	}
	mixed := false
	if v, _, err := resp.ParseReply(snap); err == nil && v.Kind == resp.KindArray {
		scores := map[string]bool{}
		for _, p := range scorePairs(v) {
			scores[render(p[1])] = true
		}
		mixed = len(scores) > 1
	}
	kv, ref, good := d.exchange(c.args)
	if !good {
		return false
	}
	d.kinds[ref[0]]++
	if !mixed {
		st.exact++
		if bytes.Equal(kv, ref) {
			return true
		}
		return d.differ(st, c.args, kv, ref)
	}
	st.shape++
	if kv[0] != ref[0] || (ref[0] == '-' && !bytes.Equal(kv, ref)) {
		return d.differ(st, c.args, kv, ref)
	}
	if strings.EqualFold(c.args[0], "ZREMRANGEBYLEX") && ref[0] != '-' {
		return d.rebuildZset(st, c.key)
	}
	return true
}

// scorePairs returns the member-score pairs of a ZRANGE WITHSCORES reply,
// flat (RESP2) or nested (RESP3).
func scorePairs(v resp.Value) [][2]resp.Value {
	var out [][2]resp.Value
	for i := 0; i < len(v.Elems); i++ {
		e := v.Elems[i]
		switch {
		case e.Kind == resp.KindArray && len(e.Elems) == 2:
			out = append(out, [2]resp.Value{e.Elems[0], e.Elems[1]})
		case i+1 < len(v.Elems):
			out = append(out, [2]resp.Value{e, v.Elems[i+1]})
			i++
		}
	}
	return out
}

// rebuildZset gives a sorted set that may differ between the servers
// redis-server's members and scores on both.
func (d *diffRun) rebuildZset(st *familyStats, key string) bool {
	st.helpers++
	_, ref, ok := d.exchange([]string{"ZRANGE", key, "0", "-1", "WITHSCORES"}) // redis-server's wins
	if !ok {
		return false
	}
	v, _, err := resp.ParseReply(ref)
	if err != nil {
		d.t.Errorf("ZRANGE %q: %q: %v", key, ref, err)
		return false
	}
	// The key may exist on one server only: DEL's replies may differ.
	if _, _, ok := d.exchange([]string{"DEL", key}); !ok {
		return false
	}
	pairs := scorePairs(v)
	if len(pairs) == 0 {
		return true
	}
	zadd := []string{"ZADD", key}
	for _, p := range pairs {
		zadd = append(zadd, string(p[1].Str), string(p[0].Str))
	}
	_, ok, cont := d.helper(st, zadd, false, false)
	return ok || cont
}
