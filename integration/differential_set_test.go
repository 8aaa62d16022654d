package integration

import (
	"strconv"
	"strings"
)

// Sets: SMEMBERS, SINTER, SUNION and SDIFF are compared as multisets; SSCAN
// exactly on intset-encoded sets and by a full iteration otherwise; SPOP
// and SRANDMEMBER as random picks (see checkRandom). The rest is exact.

var (
	setExtraMembers = []string{"x", "01", "-0", "", "abc"}
	setCounts       = []string{"-1", "abc", "-0", "-9223372036854775808", "0", "1", "2", "3", "5", "20",
		"-2", "-5", "-20"}
)

func (g *commandGen) setMember() string {
	if g.chance(0.8) {
		return strconv.Itoa(g.intn(15) - 2)
	}
	return g.pick(setExtraMembers)
}

// setCmd returns a set command, mostly on a set key.
func (g *commandGen) setCmd() diffCmd {
	k := func() string { return g.keyOf(setKeys) }
	switch x := g.intn(100); {
	case x < 22:
		cmd := []string{g.name("SADD"), k()}
		for range 1 + g.intn(4) {
			cmd = append(cmd, g.setMember())
		}
		return exact("sets", cmd...)
	case x < 30:
		cmd := []string{g.name("SREM"), k()}
		for range 1 + g.intn(3) {
			cmd = append(cmd, g.setMember())
		}
		return exact("sets", cmd...)
	case x < 34:
		return exact("sets", g.name("SCARD"), k())
	case x < 39:
		return exact("sets", g.name("SISMEMBER"), k(), g.setMember())
	case x < 43:
		cmd := []string{g.name("SMISMEMBER"), k()}
		for range 1 + g.intn(3) {
			cmd = append(cmd, g.setMember())
		}
		return exact("sets", cmd...)
	case x < 48:
		return exact("sets", g.name("SMOVE"), k(), k(), g.setMember())
	case x < 56:
		name := g.pick([]string{"SMEMBERS", "SINTER", "SUNION", "SDIFF"})
		args := []string{g.name(name), k()}
		if name != "SMEMBERS" {
			args = append(args, g.keysOf(setKeys, g.intn(3))...)
		}
		return diffCmd{args: args, family: "sets", cmp: cmpSet}
	case x < 62:
		cmd := []string{g.name(g.pick([]string{"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"})), k()}
		return exact("sets", append(cmd, g.keysOf(setKeys, 1+g.intn(3))...)...)
	case x < 68:
		cmd := []string{g.name("SINTERCARD")}
		switch nk := g.pick([]string{"1", "2", "2", "3", "0", "-1", "5", "x"}); nk {
		case "1", "2", "3":
			n, _ := strconv.Atoi(nk)
			cmd = append(cmd, nk)
			cmd = append(cmd, g.keysOf(setKeys, n)...)
		default:
			cmd = append(cmd, nk)
			cmd = append(cmd, g.keysOf(setKeys, 2)...)
		}
		if g.chance(0.4) {
			cmd = append(cmd, "LIMIT")
			if g.chance(0.9) {
				cmd = append(cmd, g.pick([]string{"0", "1", "2", "-1", "abc"}))
			}
		}
		return exact("sets", cmd...)
	case x < 78:
		key := k()
		name := g.pick([]string{"SPOP", "SRANDMEMBER", "SRANDMEMBER"})
		c := diffCmd{args: []string{g.name(name), key}, family: "sets", cmp: cmpRandom, key: key}
		if g.chance(0.7) {
			count := g.pick(setCounts)
			if strings.EqualFold(name, "SPOP") && strings.HasPrefix(count, "-") && count != "-1" && count != "-9223372036854775808" && count != "-0" {
				count = count[1:] // negative counts are errors for SPOP: a few are enough
			}
			c.args = append(c.args, count)
		}
		if g.chance(0.03) {
			c.args = append(c.args, "1", "extra") // wrong arity or syntax
		}
		return c
	case x < 88:
		return g.typeScan("SSCAN", "sets", k(), setPatterns, false)
	default:
		return exact("sets", g.name("OBJECT"), "ENCODING", k())
	}
}

var setPatterns = []string{"*", "1*", "?", "-*", "[0-5]", "x", ""}
