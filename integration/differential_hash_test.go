package integration

import "strings"

// Hashes: HGETALL, HKEYS and HVALS are compared exactly on listpack-encoded
// hashes (insertion order) and as multisets on hashtable-encoded ones;
// HSCAN likewise exactly or by the union of a full iteration; HRANDFIELD
// as a random pick (see checkRandom).

var (
	hashFields = []string{"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "field-long-name", ""}
	hashValues = []string{"v", "abc", "007", "-0", " 1", "1", "10", "-5", "1.5", "3.0e3", "inf", "",
		"9223372036854775806", "-9223372036854775807", "a-long-value", "0x10"}
	hashIncrs = []string{"1", "-1", "5", "9223372036854775807", "-9223372036854775808", "abc", "1.5",
		"", " 1", "-0", "007"}
	hashFloatIncrs = []string{"1.5", "-2.25", "3", "inf", "-inf", "nan", "", "0x10", "1e308", "-1e308",
		"abc", "5e-324", " 1"}
	hashRandCounts = []string{"0", "1", "2", "3", "5", "10", "100", "-1", "-2", "-5", "-10", "abc",
		"-9223372036854775808"}
)

func (g *commandGen) hashField() string { return g.pick(hashFields) }

func (g *commandGen) hashValue() string {
	if g.chance(0.1) {
		return g.value()
	}
	return g.pick(hashValues)
}

// hashCmd returns a hash command, mostly on a hash key.
func (g *commandGen) hashCmd() diffCmd {
	k := func() string { return g.keyOf(hashKeys) }
	switch x := g.intn(100); {
	case x < 22:
		cmd := []string{g.name(g.pick([]string{"HSET", "HSET", "HMSET"})), k()}
		for range 1 + g.intn(3) {
			cmd = append(cmd, g.hashField(), g.hashValue())
		}
		if g.chance(0.05) {
			cmd = cmd[:len(cmd)-1] // an odd number of arguments
		}
		return exact("hashes", cmd...)
	case x < 27:
		return exact("hashes", g.name("HSETNX"), k(), g.hashField(), g.hashValue())
	case x < 35:
		return exact("hashes", g.name("HGET"), k(), g.hashField())
	case x < 41:
		cmd := []string{g.name("HDEL"), k()}
		for range 1 + g.intn(3) {
			cmd = append(cmd, g.hashField())
		}
		return exact("hashes", cmd...)
	case x < 46:
		cmd := []string{g.name("HMGET"), k()}
		for range 1 + g.intn(4) {
			cmd = append(cmd, g.hashField())
		}
		return exact("hashes", cmd...)
	case x < 51:
		return exact("hashes", g.name("HLEN"), k())
	case x < 56:
		return exact("hashes", g.name(g.pick([]string{"HEXISTS", "HSTRLEN"})), k(), g.hashField())
	case x < 63:
		return exact("hashes", g.name("HINCRBY"), k(), g.hashField(), g.pick(hashIncrs))
	case x < 69:
		return exact("hashes", g.name("HINCRBYFLOAT"), k(), g.hashField(), g.pick(hashFloatIncrs))
	case x < 79:
		name := g.pick([]string{"HGETALL", "HKEYS", "HVALS"})
		key := k()
		c := diffCmd{args: []string{g.name(name), key}, family: "hashes", cmp: cmpEncoded, key: key, pairs: name == "HGETALL"}
		if g.chance(0.03) {
			c.args = append(c.args, "extra") // wrong arity
		}
		return c
	case x < 88:
		key := k()
		c := diffCmd{args: []string{g.name("HRANDFIELD"), key}, family: "hashes", cmp: cmpRandom, key: key}
		switch g.intn(10) {
		case 0:
		case 1:
			c.args = append(c.args, g.pick([]string{"4611686018427387904", "-4611686018427387904"}), "WITHVALUES")
			c.pairs = true
		default:
			c.args = append(c.args, g.pick(hashRandCounts))
			if g.chance(0.4) {
				c.args = append(c.args, g.pick([]string{"WITHVALUES", "WITHVALUES", "withvalues", "FOO"}))
				c.pairs = strings.EqualFold(c.args[3], "WITHVALUES")
			}
		}
		return c
	case x < 96:
		return g.typeScan("HSCAN", "hashes", k(), hashFieldPatterns, true)
	default:
		return exact("hashes", g.name("OBJECT"), "ENCODING", k())
	}
}

var hashFieldPatterns = []string{"*", "f*", "f[0-3]", "*name*", "?", ""}

// typeScan returns an HSCAN, SSCAN or ZSCAN, compared exactly on a compact
// encoding and by a full iteration otherwise.
func (g *commandGen) typeScan(name, family, key string, patterns []string, pairs bool) diffCmd {
	cursor := "0"
	switch g.intn(8) {
	case 0:
		cursor = g.pick([]string{"1", "5", "100"})
	case 1:
		cursor = g.pick([]string{"abc", "-1", "18446744073709551616", ""})
	}
	c := diffCmd{args: []string{g.name(name), key, cursor}, family: family, cmp: cmpScanEncoded, key: key, cursor: 2, pairs: pairs}
	if g.chance(0.4) {
		c.args = append(c.args, "MATCH", g.pick(patterns))
	}
	if g.chance(0.4) {
		c.args = append(c.args, "COUNT", g.pick([]string{"1", "2", "10", "1000"}))
	}
	if g.chance(0.05) {
		c.args = append(c.args, g.pick([]string{"COUNT", "MATCH", "FOO", "TYPE"}), g.pick([]string{"0", "-1", "x"}))
	}
	return c
}
