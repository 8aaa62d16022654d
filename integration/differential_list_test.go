package integration

import "strconv"

// Lists are deterministic: every reply is compared exactly.

var (
	listElems   = []string{"", "a", "b", "c", "0", "1", "12", "-1", "x y", "hello"}
	listIndexes = []string{"-100", "-3", "-1", "0", "1", "5", "100", "9223372036854775807",
		"-9223372036854775808", "9223372036854775808", "x"}
	listCounts = []string{"-1", "0", "1", "3", "100", "x"}
)

func (g *commandGen) listElem() string {
	if g.chance(0.1) {
		return g.value()
	}
	return g.pick(listElems)
}

func (g *commandGen) listIndex() string {
	if g.chance(0.5) {
		return strconv.Itoa(g.intn(11) - 5)
	}
	return g.pick(listIndexes)
}

func (g *commandGen) listEnd() string {
	if g.chance(0.9) {
		return g.pick([]string{"LEFT", "RIGHT"})
	}
	return g.pick([]string{"left", "MIDDLE", ""})
}

// listCmd returns a list command, mostly on a list key.
func (g *commandGen) listCmd() diffCmd {
	k := func() string { return g.keyOf(listKeys) }
	switch x := g.intn(100); {
	case x < 25:
		cmd := []string{g.name(g.pick([]string{"LPUSH", "RPUSH", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX"})), k()}
		for range 1 + g.intn(5) {
			cmd = append(cmd, g.listElem())
		}
		return exact("lists", cmd...)
	case x < 35:
		cmd := []string{g.name(g.pick([]string{"LPOP", "RPOP"})), k()}
		if g.chance(0.5) {
			cmd = append(cmd, g.pick(listCounts))
		}
		return exact("lists", cmd...)
	case x < 42:
		return exact("lists", g.name("LLEN"), k())
	case x < 55:
		return exact("lists", g.name("LRANGE"), k(), g.listIndex(), g.listIndex())
	case x < 59:
		return exact("lists", g.name("LTRIM"), k(), g.listIndex(), g.listIndex())
	case x < 64:
		return exact("lists", g.name("LINDEX"), k(), g.listIndex())
	case x < 68:
		return exact("lists", g.name("LSET"), k(), g.listIndex(), g.listElem())
	case x < 72:
		where := g.pick([]string{"BEFORE", "AFTER", "before", "MIDDLE"})
		return exact("lists", g.name("LINSERT"), k(), where, g.listElem(), g.listElem())
	case x < 76:
		count := g.pick([]string{"-2", "-1", "0", "1", "2", "9223372036854775807", "-9223372036854775808", "x"})
		return exact("lists", g.name("LREM"), k(), count, g.listElem())
	case x < 82:
		cmd := []string{g.name("LPOS"), k(), g.listElem()}
		for range g.intn(4) {
			switch g.intn(4) {
			case 0:
				cmd = append(cmd, "RANK", g.pick([]string{"1", "-1", "2", "-2", "0", "-9223372036854775808", "x"}))
			case 1:
				cmd = append(cmd, "COUNT", g.pick([]string{"0", "1", "2", "-1"}))
			case 2:
				cmd = append(cmd, "MAXLEN", g.pick([]string{"0", "1", "3", "-1"}))
			default:
				cmd = append(cmd, g.pick([]string{"FOO", "RANK", "COUNT"}))
			}
		}
		return exact("lists", cmd...)
	case x < 89:
		src := k()
		dst := src
		if g.chance(0.6) {
			dst = k()
		}
		if g.chance(0.25) {
			return exact("lists", g.name("RPOPLPUSH"), src, dst)
		}
		return exact("lists", g.name("LMOVE"), src, dst, g.listEnd(), g.listEnd())
	case x < 96:
		var cmd []string
		switch nk := g.pick([]string{"0", "1", "2", "2", "3", "9223372036854775807", "x"}); nk {
		case "1", "2", "3":
			n, _ := strconv.Atoi(nk)
			cmd = append([]string{g.name("LMPOP"), nk}, g.keysOf(listKeys, n)...)
		default:
			cmd = append([]string{g.name("LMPOP"), nk}, g.keysOf(listKeys, 2)...)
		}
		cmd = append(cmd, g.listEnd())
		for range g.intn(3) {
			cmd = append(cmd, "COUNT", g.pick([]string{"0", "1", "10", "-1", "x"}))
		}
		return exact("lists", cmd...)
	default:
		return exact("lists", g.name("OBJECT"), "ENCODING", k())
	}
}

// keysOf returns n keys, each from own mostly.
func (g *commandGen) keysOf(own []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.keyOf(own)
	}
	return out
}
