package integration

import "strconv"

// Bitmaps are strings: their commands meet string keys on purpose, and
// every reply is compared exactly. Offsets stay small, except those at or
// beyond 2^32 bits, which both servers refuse without allocating.

var bitOffsetsBad = []string{"-1", "4294967296", "x", "9223372036854775808", ""}

func (g *commandGen) bitOffset() string {
	if g.chance(0.1) {
		return g.pick(bitOffsetsBad)
	}
	return strconv.Itoa(g.intn(101))
}

// bitKey returns a bitmap key mostly, else a string key or any key.
func (g *commandGen) bitKey() string {
	if g.chance(0.2) {
		return g.pick(stringKeys)
	}
	return g.keyOf(bitmapKeys)
}

func (g *commandGen) bitRange() []string {
	idx := func() string {
		if g.chance(0.1) {
			return g.pick([]string{"x", "9223372036854775807", "-9223372036854775808"})
		}
		return strconv.Itoa(g.intn(41) - 20)
	}
	var out []string
	switch g.intn(4) {
	case 1:
		out = []string{idx()} // only a start: an error for BITCOUNT
	case 2:
		out = []string{idx(), idx()}
	case 3:
		out = []string{idx(), idx(), g.pick([]string{"BYTE", "BIT", "bit", "FOO"})}
	}
	return out
}

var bitfieldTypes = []string{"i1", "i5", "i8", "i16", "i32", "i63", "i64", "u1", "u4", "u8", "u16", "u32",
	"u63", "u64", "i0", "I8", "i65", "x8"}

var bitfieldValues = []string{"0", "1", "-1", "127", "-128", "255", "256", "9223372036854775807",
	"-9223372036854775808", "4611686018427387904", "x", "1.5"}

func (g *commandGen) bitfieldOffset() string {
	n := strconv.Itoa(g.intn(200))
	switch g.intn(10) {
	case 0, 1:
		return "#" + strconv.Itoa(g.intn(20))
	case 2:
		return g.pick([]string{"-1", "x", "#x", "9999", "4294967296"})
	}
	return n
}

// bitmapCmd returns a bitmap command, or a read of a bitmap key.
func (g *commandGen) bitmapCmd() diffCmd {
	k := g.bitKey
	switch x := g.intn(100); {
	case x < 20:
		return exact("bitmaps", g.name("SETBIT"), k(), g.bitOffset(), g.pick([]string{"0", "1", "1", "2", "x"}))
	case x < 30:
		return exact("bitmaps", g.name("GETBIT"), k(), g.bitOffset())
	case x < 40:
		return exact("bitmaps", append([]string{g.name("BITCOUNT"), k()}, g.bitRange()...)...)
	case x < 50:
		cmd := []string{g.name("BITPOS"), k(), g.pick([]string{"0", "1", "1", "2"})}
		return exact("bitmaps", append(cmd, g.bitRange()...)...)
	case x < 60:
		op := g.pick([]string{"AND", "OR", "XOR", "NOT", "and", "FOO"})
		cmd := []string{g.name("BITOP"), op, k()}
		n := 1 + g.intn(3)
		if op == "NOT" && g.chance(0.7) {
			n = 1
		}
		for range n {
			cmd = append(cmd, k())
		}
		return exact("bitmaps", cmd...)
	case x < 78:
		name := g.pick([]string{"BITFIELD", "BITFIELD", "BITFIELD_RO"})
		cmd := []string{g.name(name), k()}
		for range 1 + g.intn(4) {
			switch g.intn(8) {
			case 0, 1, 2:
				cmd = append(cmd, "GET", g.pick(bitfieldTypes), g.bitfieldOffset())
			case 3, 4:
				cmd = append(cmd, "SET", g.pick(bitfieldTypes), g.bitfieldOffset(), g.pick(bitfieldValues))
			case 5, 6:
				cmd = append(cmd, "INCRBY", g.pick(bitfieldTypes), g.bitfieldOffset(), g.pick(bitfieldValues))
			default:
				cmd = append(cmd, "OVERFLOW", g.pick([]string{"WRAP", "SAT", "FAIL", "sat", "FOO"}))
			}
		}
		if g.chance(0.03) {
			cmd = append(cmd, "GET") // missing its arguments
		}
		return exact("bitmaps", cmd...)
	case x < 88:
		return exact("bitmaps", g.name("GET"), k())
	case x < 94:
		return exact("bitmaps", g.name("STRLEN"), k())
	default:
		return exact("bitmaps", g.name("OBJECT"), "ENCODING", k())
	}
}
