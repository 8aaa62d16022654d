package rpc

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kvrpcd/kvrpcd/resp"
)

// newerSubcommands are subcommands kvrpcd takes from Redis versions after 7.0, which a
// redis-server 7.0 cannot describe.
var newerSubcommands = map[string]bool{
	"client|setinfo":  true, // 7.2
	"client|no-touch": true, // 7.2
}

// TestCommandInfoGolden compares COMMAND INFO of every command in kvrpcd's table, in RESP2
// and RESP3, with what a real redis-server 7.0 answers. Flags, ACL categories and tips are
// compared as sets, key specs in order. A container may declare only some of Redis's
// subcommands, but every one it declares must match.
func TestCommandInfoGolden(t *testing.T) {
	addr := startRedisServer(t)
	srv := newConnServer(t, "", Options{})
	for _, proto := range []string{"2", "3"} {
		t.Run("RESP"+proto, func(t *testing.T) {
			local := newConnSession(t, srv)
			remote := dialOracle(t, addr)
			local.do("HELLO", proto)
			remote.do("HELLO", proto)
			for _, cmd := range srv.Commands() {
				ours := local.do("COMMAND", "INFO", cmd.Name)
				theirs := remote.do("COMMAND", "INFO", cmd.Name)
				if len(ours.Elems) != 1 || len(theirs.Elems) != 1 {
					t.Fatalf("COMMAND INFO %s: got %d and %d entries", cmd.Name, len(ours.Elems), len(theirs.Elems))
				}
				if theirs.Elems[0].Null {
					t.Errorf("%s: redis-server %s does not know it", cmd.Name, redisVersion)
					continue
				}
				compareInfo(t, ours.Elems[0], theirs.Elems[0])
			}
		})
	}
}

// compareInfo compares two COMMAND INFO entries and, recursively, their subcommands.
func compareInfo(t *testing.T, ours, theirs resp.Value) {
	t.Helper()
	a, b := splitInfo(t, ours), splitInfo(t, theirs)
	for i, field := range infoFields {
		if a.fields[i] != b.fields[i] {
			t.Errorf("%s: %s differs:\nkvrpcd:       %s\nredis-server: %s", a.name, field, a.fields[i], b.fields[i])
		}
	}
	if a.subsKind != b.subsKind {
		t.Errorf("%s: subcommands are %q, redis-server sends %q", a.name, a.subsKind, b.subsKind)
	}
	for name, sub := range a.subs {
		other, ok := b.subs[name]
		switch {
		case ok:
			compareInfo(t, sub, other)
		case !newerSubcommands[name]:
			t.Errorf("%s: redis-server %s has no subcommand %s", a.name, redisVersion, name)
		}
	}
}

var infoFields = []string{"name", "arity", "flags", "first key", "last key", "step", "ACL categories", "tips", "key specs"}

// infoEntry is a COMMAND INFO entry in canonical text, one string per field, with its
// subcommands by name.
type infoEntry struct {
	name     string
	fields   []string
	subsKind string
	subs     map[string]resp.Value
}

func splitInfo(t *testing.T, v resp.Value) infoEntry {
	t.Helper()
	if v.Kind != resp.KindArray || len(v.Elems) != 10 {
		t.Fatalf("COMMAND INFO entry is not an array of 10: %s", v)
	}
	e := infoEntry{name: string(v.Elems[0].Str), subs: make(map[string]resp.Value)}
	for i, f := range v.Elems[:9] {
		switch i {
		case 2, 6, 7: // sets, which RESP2 sends as arrays
			e.fields = append(e.fields, canonicalReply(f, true))
		case 8:
			e.fields = append(e.fields, canonicalKeySpecs(f))
		default:
			e.fields = append(e.fields, canonicalReply(f, false))
		}
	}
	subs := v.Elems[9]
	e.subsKind = string(rune(subs.Kind))
	if len(subs.Elems) == 0 {
		e.subsKind += "0" // Redis sends an empty set, and a non-empty array
	}
	for _, sub := range subs.Elems {
		if len(sub.Elems) > 0 {
			e.subs[string(sub.Elems[0].Str)] = sub
		}
	}
	return e
}

// canonicalReply renders v with the kind of every value, sorting the elements of sets and, when
// sorted is set, of v itself whatever its kind.
func canonicalReply(v resp.Value, sorted bool) string {
	var b strings.Builder
	b.WriteByte(byte(v.Kind))
	switch {
	case v.Null:
		b.WriteString("null")
	case v.Kind == resp.KindInt || v.Kind == resp.KindBool:
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case v.Elems != nil || v.Kind == resp.KindArray || v.Kind == resp.KindSet || v.Kind == resp.KindMap:
		parts := make([]string, len(v.Elems))
		for i, e := range v.Elems {
			parts[i] = canonicalReply(e, false)
		}
		if sorted || v.Kind == resp.KindSet {
			slices.Sort(parts)
		}
		b.WriteString("[" + strings.Join(parts, " ") + "]")
	default:
		b.WriteString(strconv.Quote(string(v.Str)))
	}
	return b.String()
}

// canonicalKeySpecs renders the key specs in order, each a map whose "flags" are a set.
func canonicalKeySpecs(v resp.Value) string {
	var parts []string
	for _, spec := range v.Elems {
		var fields []string
		for i := 0; i+1 < len(spec.Elems); i += 2 {
			key := canonicalReply(spec.Elems[i], false)
			fields = append(fields, key+"="+canonicalReply(spec.Elems[i+1], string(spec.Elems[i].Str) == "flags"))
		}
		parts = append(parts, string(rune(spec.Kind))+"{"+strings.Join(fields, " ")+"}")
	}
	return string(rune(v.Kind)) + "[" + strings.Join(parts, " ") + "]"
}

// docGaps are the fields of COMMAND DOCS that [Doc] cannot express yet: DEBUG's "syscmd" doc
// flag and the deprecated_since of an argument of CLIENT KILL.
var docGaps = map[string]string{
	"debug":       "doc_flags",
	"client|kill": "arguments",
}

// TestCommandDocsGolden compares COMMAND DOCS of the connection and server commands with a
// real redis-server 7.0, maps compared as sets of pairs and subcommands as in
// TestCommandInfoGolden.
func TestCommandDocsGolden(t *testing.T) {
	addr := startRedisServer(t)
	srv := newConnServer(t, "", Options{})
	local := newConnSession(t, srv)
	remote := dialOracle(t, addr)
	local.do("HELLO", "3")
	remote.do("HELLO", "3")
	for _, cmd := range append(connectionCommands(), serverCommands()...) {
		ours := local.do("COMMAND", "DOCS", cmd.Name)
		theirs := remote.do("COMMAND", "DOCS", cmd.Name)
		if len(ours.Elems) != 2 || len(theirs.Elems) != 2 {
			t.Fatalf("COMMAND DOCS %s: got %d and %d map elements", cmd.Name, len(ours.Elems), len(theirs.Elems))
		}
		compareDocs(t, cmd.Name, ours.Elems[1], theirs.Elems[1])
	}
}

func compareDocs(t *testing.T, name string, ours, theirs resp.Value) {
	t.Helper()
	a, b := docFields(ours), docFields(theirs)
	for key, va := range a {
		if key == "subcommands" || docGaps[name] == key {
			continue
		}
		if vb := b[key]; canonicalDoc(va) != canonicalDoc(vb) {
			t.Errorf("%s: COMMAND DOCS %s differs:\nkvrpcd:       %s\nredis-server: %s", name, key, canonicalDoc(va), canonicalDoc(vb))
		}
	}
	for key := range b {
		if _, ok := a[key]; !ok && key != "subcommands" && docGaps[name] != key {
			t.Errorf("%s: COMMAND DOCS has no %s", name, key)
		}
	}
	subsA, subsB := docFields(a["subcommands"]), docFields(b["subcommands"])
	for sub, va := range subsA {
		vb, ok := subsB[sub]
		switch {
		case ok:
			compareDocs(t, sub, va, vb)
		case !newerSubcommands[sub]:
			t.Errorf("%s: redis-server %s has no subcommand %s", name, redisVersion, sub)
		}
	}
}

// docFields returns a map reply by key.
func docFields(v resp.Value) map[string]resp.Value {
	m := make(map[string]resp.Value)
	for i := 0; i+1 < len(v.Elems); i += 2 {
		m[string(v.Elems[i].Str)] = v.Elems[i+1]
	}
	return m
}

// canonicalDoc is canonicalReply with maps compared as sets of pairs.
func canonicalDoc(v resp.Value) string {
	if v.Kind != resp.KindMap {
		if len(v.Elems) == 0 {
			return canonicalReply(v, false)
		}
		parts := make([]string, len(v.Elems))
		for i, e := range v.Elems {
			parts[i] = canonicalDoc(e)
		}
		if v.Kind == resp.KindSet {
			slices.Sort(parts)
		}
		return string(rune(v.Kind)) + "[" + strings.Join(parts, " ") + "]"
	}
	var pairs []string
	for i := 0; i+1 < len(v.Elems); i += 2 {
		pairs = append(pairs, canonicalDoc(v.Elems[i])+"="+canonicalDoc(v.Elems[i+1]))
	}
	slices.Sort(pairs)
	return "%{" + strings.Join(pairs, " ") + "}"
}

// keySpecForms are application commands that copy the key specs of Redis commands kvrpcd
// does not implement yet, so that every form of key spec (keyword search from the start and
// from the end, range with a limit, keynum, notes, several specs) is compared with
// redis-server in COMMAND INFO and COMMAND GETKEYS.
func keySpecForms() []*Command {
	noop := func(c *Client, _ [][]byte) { c.w.Raw(replyOK) }
	return []*Command{
		{Name: "xread", Arity: -4, Flags: ReadOnly | Blocking, Group: GroupStream, Run: noop,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, Keyword: "STREAMS", LastKey: -1, KeyStep: 1, Limit: 2}}},
		{Name: "zinterstore", Arity: -4, Flags: Write | DenyOOM, Group: GroupSortedSet, Run: noop,
			Keys: []KeySpec{
				{Flags: KeyOW | KeyUpdate, BeginIndex: 1, KeyStep: 1},
				{Flags: KeyRO | KeyAccess, BeginIndex: 2, KeyNum: true, NumKeysIndex: 0, FirstKey: 1, KeyStep: 1},
			}},
		{Name: "eval", Arity: -3, Flags: NoScript | Stale | SkipMonitor | NoMandatoryKeys, Group: GroupScripting, Run: noop,
			Keys: []KeySpec{{Notes: "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE",
				Flags: KeyRW | KeyAccess | KeyUpdate, BeginIndex: 2, KeyNum: true, FirstKey: 1, KeyStep: 1}}},
		{Name: "lmove", Arity: 5, Flags: Write | DenyOOM, Group: GroupList, Run: noop,
			Keys: []KeySpec{
				{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 1, KeyStep: 1},
				{Flags: KeyRW | KeyInsert, BeginIndex: 2, KeyStep: 1},
			}},
		{Name: "migrate", Arity: -6, Flags: Write, Group: GroupGeneric, ACL: ACLDangerous,
			Tips: []string{"nondeterministic_output"}, Run: noop,
			Keys: []KeySpec{
				{Flags: KeyRW | KeyAccess | KeyDelete, BeginIndex: 3, KeyStep: 1},
				{Flags: KeyRW | KeyAccess | KeyDelete | KeyIncomplete, BeginIndex: -2, Keyword: "KEYS", LastKey: -1, KeyStep: 1},
			}},
	}
}

func TestKeySpecFormsGolden(t *testing.T) {
	addr := startRedisServer(t)
	builtin := newConnServer(t, "", Options{})
	var forms []*Command
	for _, cmd := range keySpecForms() {
		if builtin.table[cmd.Name] == nil { // kvrpcd may implement it by now
			forms = append(forms, cmd)
		}
	}
	srv := newConnServer(t, "", Options{Commands: forms})
	getkeys := [][]string{
		{"xread", "count", "1", "streams", "a", "b", "0", "0"},
		{"xread", "STREAMS", "a", "0"},
		{"xread", "count", "1", "x"},
		{"xread", "count", "1", "streams", "a"},
		{"zinterstore", "d", "2", "a", "b"},
		{"zinterstore", "d", "1", "a", "b"},
		{"zinterstore", "d", "3", "a", "b"},
		{"zinterstore", "d", "abc", "a"},
		{"zinterstore", "d", "-1", "a"},
		{"zinterstore", "d", "0", "a"},
		{"eval", "s", "2", "a", "b"},
		{"eval", "s", "0"},
		{"eval", "s", "5", "a", "b"},
		{"eval", "s", "x", "a"},
		{"lmove", "a", "b", "left", "right"},
		// MIGRATE's second spec is incomplete: Redis finds its keys with code of its own,
		// which kvrpcd does not have, so GETKEYS is only compared for its COMMAND INFO.
	}
	for _, proto := range []string{"2", "3"} {
		local := newConnSession(t, srv)
		remote := dialOracle(t, addr)
		local.do("HELLO", proto)
		remote.do("HELLO", proto)
		for _, cmd := range forms {
			compareInfo(t, local.do("COMMAND", "INFO", cmd.Name).Elems[0], remote.do("COMMAND", "INFO", cmd.Name).Elems[0])
		}
		for _, args := range getkeys {
			if srv.table[args[0]] == nil || builtin.table[args[0]] != nil {
				continue
			}
			for _, sub := range []string{"GETKEYS", "GETKEYSANDFLAGS"} {
				full := append([]string{"COMMAND", sub}, args...)
				ours, theirs := canonicalReply(local.do(full...), false), canonicalReply(remote.do(full...), false)
				if ours != theirs {
					t.Errorf("RESP%s %q:\nkvrpcd:       %s\nredis-server: %s", proto, full, ours, theirs)
				}
			}
		}
	}
}
