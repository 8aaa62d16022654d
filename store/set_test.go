package store

import (
	"errors"
	"fmt"
	"maps"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// setMembers returns the members of st, sorted.
func setMembers(st *Set) []string {
	var out []string
	st.Each(func(m []byte) bool { out = append(out, string(m)); return true })
	slices.Sort(out)
	return out
}

// newTestSet returns a detached set holding members.
func newTestSet(s *Store, members ...string) *Set {
	st := s.NewSet()
	for _, m := range members {
		st.Add([]byte(m))
	}
	return st
}

func TestSetEncoding(t *testing.T) {
	tests := []struct {
		name    string
		max     int64
		members []string
		want    string
	}{
		{"empty", 512, nil, "intset"},
		{"integers", 512, []string{"1", "-5", "9223372036854775807", "-9223372036854775808"}, "intset"},
		{"non canonical", 512, []string{"1", "01"}, "hashtable"},
		{"plus sign", 512, []string{"+1"}, "hashtable"},
		{"too large", 512, []string{"9223372036854775808"}, "hashtable"},
		{"string", 512, []string{"1", "a"}, "hashtable"},
		{"at limit", 3, []string{"1", "2", "3", "3"}, "intset"},
		{"past limit", 3, []string{"1", "2", "3", "4"}, "hashtable"},
		{"zero limit", 0, []string{"1"}, "hashtable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(1)
			defer s.Close()
			l := DefaultEncodingLimits
			l.SetMaxIntsetEntries = tt.max
			s.SetEncodingLimits(l)
			st := newTestSet(s, tt.members...)
			if got := st.Encoding(); got != tt.want {
				t.Errorf("encoding %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSetPopNRebuild(t *testing.T) {
	s := New(1)
	defer s.Close()
	for _, tt := range []struct {
		size, count int
		want        string
	}{
		{6, 5, "intset"},     // one remains: 1*5 <= 5, rebuilt
		{10, 2, "hashtable"}, // many remain: popped one by one
	} {
		st := newTestSet(s, "a")
		for i := range tt.size {
			st.Add([]byte(strconv.Itoa(i)))
		}
		st.Remove([]byte("a"))
		if got := len(st.PopN(tt.count)); got != tt.count || st.Len() != tt.size-tt.count {
			t.Fatalf("PopN(%d) of %d: popped %d, %d left", tt.count, tt.size, got, st.Len())
		}
		if st.Encoding() != tt.want {
			t.Errorf("PopN(%d) of %d: encoding %s, want %s", tt.count, tt.size, st.Encoding(), tt.want)
		}
	}
}

func TestSetNeverConvertsBack(t *testing.T) {
	s := New(1)
	defer s.Close()
	st := newTestSet(s, "1", "a")
	st.Remove([]byte("a"))
	if st.Encoding() != "hashtable" || !st.Contains([]byte("1")) || st.Len() != 1 {
		t.Fatalf("got %s %v", st.Encoding(), setMembers(st))
	}
}

func TestSetIntsetOrder(t *testing.T) {
	s := New(1)
	defer s.Close()
	st := newTestSet(s, "10", "-3", "7", "0", "7")
	var got []string
	st.Each(func(m []byte) bool { got = append(got, string(m)); return true })
	if want := []string{"-3", "0", "7", "10"}; !slices.Equal(got, want) {
		t.Fatalf("order %q, want %q", got, want)
	}
}

func TestSetStoreAccess(t *testing.T) {
	s := New(1)
	defer s.Close()
	if st, err := s.Set(0, []byte("k")); st != nil || err != nil {
		t.Fatalf("absent: %v %v", st, err)
	}
	st, err := s.SetForWrite(0, []byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	st.Add([]byte("a"))
	if v := s.Peek(0, []byte("k")); v == nil || v.Type() != TypeSet || v.Encoding() != "hashtable" {
		t.Fatalf("stored value %+v", v)
	}
	set(s, 0, "str", "x")
	if _, err := s.Set(0, []byte("str")); !errors.Is(err, ErrWrongType) {
		t.Fatalf("wrong type: %v", err)
	}
	st.Remove([]byte("a"))
	if !s.DeleteIfEmpty(0, []byte("k")) || s.Exists(0, []byte("k")) {
		t.Fatal("empty set not deleted")
	}
	// PutSet replaces any value and its TTL; an empty result deletes.
	s.SetString(0, []byte("str"), []byte("x"), in(3600e9), false)
	if s.PutSet(0, []byte("str"), newTestSet(s, "1", "2")) {
		t.Fatal("PutSet of a non-empty set reported a deletion")
	}
	if enc(s, 0, "str") != "intset" || ttl(s, 0, "str") != 0 {
		t.Fatalf("after PutSet: %s ttl %d", enc(s, 0, "str"), ttl(s, 0, "str"))
	}
	if !s.PutSet(0, []byte("str"), s.NewSet()) || s.Exists(0, []byte("str")) {
		t.Fatal("PutSet of an empty set did not delete")
	}
}

func TestSetClone(t *testing.T) {
	s := New(1)
	defer s.Close()
	for _, members := range [][]string{{"1", "2"}, {"a", "b", "3"}} {
		st := newTestSet(s, members...)
		c := st.clone().(*Set)
		st.Add([]byte("new"))
		if c.Encoding() != newTestSet(s, members...).Encoding() || !slices.Equal(setMembers(c), setMembers(newTestSet(s, members...))) {
			t.Errorf("clone of %q: %s %q", members, c.Encoding(), setMembers(c))
		}
	}
}

func TestSetAlgebra(t *testing.T) {
	s := New(1)
	defer s.Close()
	a := newTestSet(s, "1", "2", "3", "x")
	b := newTestSet(s, "2", "3", "4")
	c := newTestSet(s, "3", "x", "5")
	tests := []struct {
		name string
		got  *Set
		want []string
	}{
		{"inter", s.InterSets([]*Set{a, b, c}), []string{"3"}},
		{"inter missing", s.InterSets([]*Set{a, nil}), nil},
		{"inter self", s.InterSets([]*Set{a, a}), []string{"1", "2", "3", "x"}},
		{"union", s.UnionSets([]*Set{a, nil, b}), []string{"1", "2", "3", "4", "x"}},
		{"diff", s.DiffSets([]*Set{a, b}), []string{"1", "x"}},
		{"diff missing first", s.DiffSets([]*Set{nil, b}), nil},
		{"diff self", s.DiffSets([]*Set{a, a}), nil},
	}
	for _, tt := range tests {
		if got := setMembers(tt.got); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if n := InterCard([]*Set{a, b}, 0); n != 2 {
		t.Errorf("InterCard = %d, want 2", n)
	}
	if n := InterCard([]*Set{a, b}, 1); n != 1 {
		t.Errorf("InterCard limit 1 = %d, want 1", n)
	}
	if e := s.InterSets([]*Set{newTestSet(s, "1", "2"), b}).Encoding(); e != "intset" {
		t.Errorf("integer intersection encoding %s", e)
	}
}

// TestSetModel runs random operations on sets of both encodings and compares them with a
// map.
func TestSetModel(t *testing.T) {
	s := New(1)
	defer s.Close()
	l := DefaultEncodingLimits
	l.SetMaxIntsetEntries = 40
	s.SetEncodingLimits(l)
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		st := s.NewSet()
		model := map[string]bool{}
		strings := round%2 == 0
		member := func() string {
			if strings && r.IntN(20) == 0 {
				return "m" + strconv.Itoa(r.IntN(100))
			}
			return strconv.Itoa(r.IntN(100) - 50)
		}
		for range 600 {
			m := member()
			switch op := r.IntN(10); {
			case op < 5:
				if got, want := st.Add([]byte(m)), !model[m]; got != want {
					t.Fatalf("Add(%q) = %v, want %v", m, got, want)
				}
				model[m] = true
			case op < 7:
				if got, want := st.Remove([]byte(m)), model[m]; got != want {
					t.Fatalf("Remove(%q) = %v, want %v", m, got, want)
				}
				delete(model, m)
			case op < 8 && st.Len() > 1 && r.IntN(2) == 0:
				n := 1 + r.IntN(st.Len()-1)
				for _, g := range st.PopN(n) {
					if !model[string(g)] {
						t.Fatalf("PopN returned %q, not a member", g)
					}
					delete(model, string(g))
				}
				if st.Len() != len(model) {
					t.Fatalf("PopN(%d) left %d members, want %d", n, st.Len(), len(model))
				}
			case op < 8:
				if got := st.Pop(); got != nil {
					if !model[string(got)] {
						t.Fatalf("Pop returned %q, not a member", got)
					}
					delete(model, string(got))
				} else if len(model) != 0 {
					t.Fatal("Pop returned nil from a non-empty set")
				}
			case op < 9:
				if st.Len() > 1 {
					n := 1 + r.IntN(st.Len()-1)
					got := st.RandomDistinct(n)
					seen := map[string]bool{}
					for _, g := range got {
						if !model[string(g)] || seen[string(g)] {
							t.Fatalf("RandomDistinct returned %q", got)
						}
						seen[string(g)] = true
					}
					if len(got) != n {
						t.Fatalf("RandomDistinct(%d) returned %d", n, len(got))
					}
				}
			default:
				if got, want := st.Contains([]byte(m)), model[m]; got != want {
					t.Fatalf("Contains(%q) = %v, want %v", m, got, want)
				}
			}
			if st.Len() != len(model) {
				t.Fatalf("Len %d, model %d", st.Len(), len(model))
			}
		}
		want := slices.Sorted(maps.Keys(model))
		if got := setMembers(st); !slices.Equal(got, want) {
			t.Fatalf("members %q, want %q", got, want)
		}
		if ht := st.Encoding() == "hashtable"; !ht && (len(model) > 40) {
			t.Fatalf("intset of %d members", len(model))
		}
	}
}

// TestSetScanGuarantee checks that a full SSCAN-style iteration returns every member present
// throughout, even while the table grows and shrinks between steps.
func TestSetScanGuarantee(t *testing.T) {
	s := New(1)
	defer s.Close()
	r := rand.New(rand.NewPCG(3, 4))
	st := s.NewSet()
	for i := range 300 {
		st.Add([]byte("k" + strconv.Itoa(i)))
	}
	stable := setMembers(st)[:100] // "k0".."k..." never removed below
	keep := map[string]bool{}
	for _, m := range stable {
		keep[m] = true
	}
	seen := map[string]bool{}
	cursor, steps := uint64(0), 0
	for {
		cursor = st.Scan(cursor, 5, func(m []byte) { seen[string(m)] = true })
		steps++
		// Churn: grow or shrink the table between steps.
		for range 20 {
			m := []byte("k" + strconv.Itoa(r.IntN(2000)))
			if keep[string(m)] {
				continue
			}
			if steps%20 < 10 {
				st.Add(m)
			} else {
				st.Remove(m)
			}
		}
		if cursor == 0 || steps > 100000 {
			break
		}
	}
	for _, m := range stable {
		if !seen[m] {
			t.Fatalf("member %q missed by the scan", m)
		}
	}
	// An intset is returned whole with cursor 0.
	is := newTestSet(s, "3", "1", "2")
	var got []string
	if c := is.Scan(0, 1, func(m []byte) { got = append(got, string(m)) }); c != 0 || !slices.Equal(got, []string{"1", "2", "3"}) {
		t.Fatalf("intset scan: cursor %d, %q", c, got)
	}
}

func TestSetAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	s := New(1)
	defer s.Close()
	ints := newTestSet(s, "1", "2", "3")
	strs := newTestSet(s, "a", "b", "c")
	tests := []struct {
		name string
		fn   func()
	}{
		{"intset contains", func() { ints.Contains([]byte("2")) }},
		{"intset add existing", func() { ints.Add([]byte("2")) }},
		{"hashtable contains", func() { strs.Contains([]byte("b")) }},
		{"hashtable add existing", func() { strs.Add([]byte("b")) }},
		{"hashtable remove absent", func() { strs.Remove([]byte("z")) }},
		{"hashtable remove and add", func() { strs.Remove([]byte("c")); strs.Add([]byte("c")) }},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, tt.fn); n != 0 {
			t.Errorf("%s: %v allocations, want 0", tt.name, n)
		}
	}
}

// checkTable verifies the invariants of a hashtable set: every member sits in its probe
// run (no empty slot between its home and its slot), the index, the arena and n agree,
// and dead counts the arena's removed entries.
func checkTable(t *testing.T, st *Set) {
	t.Helper()
	tab := &st.tab
	mask := len(tab.slots) - 1
	offs := map[int]bool{}
	for i, sl := range tab.slots {
		if sl == slotEmpty {
			continue
		}
		m := tab.slotMember(sl)
		h := memberHash(m)
		d := tab.dist(sl, i)
		if sl&fragMask != h&fragMask || d != (i-int(h))&mask {
			t.Fatalf("slot %d of %.20q: fragment or home wrong", i, m)
		}
		for j := int(h) & mask; j != i; j = (j + 1) & mask {
			if tab.slots[j] == slotEmpty {
				t.Fatalf("slot %d of %.20q: empty slot %d in its run", i, m, j)
			}
		}
		// Robin Hood order: homes never decrease along a run.
		if next := tab.slots[(i+1)&mask]; next != slotEmpty && tab.dist(next, (i+1)&mask) > d+1 {
			t.Fatalf("slot %d: the next member's home lies before %.20q's", i, m)
		}
		offs[int(sl>>fragBits)-1] = true
	}
	live, dead := 0, 0
	for off := 0; off < len(tab.arena); {
		_, end := tab.entry(off)
		if tab.arena[off]&1 == 0 {
			live++
			if !offs[off] {
				t.Fatalf("live entry at %d not indexed", off)
			}
		} else {
			dead += end - off
		}
		off = end
	}
	if live != int(tab.n) || len(offs) != int(tab.n) || dead != int(tab.dead) {
		t.Fatalf("n %d, indexed %d, live entries %d; dead %d, counted %d", tab.n, len(offs), live, tab.dead, dead)
	}
	if int(tab.n) > maxUsed(len(tab.slots)) || (len(tab.slots) > minMemberTable && int(tab.n) < len(tab.slots)/8) {
		t.Fatalf("%d members in %d slots", tab.n, len(tab.slots))
	}
}

// smallHomeFrag makes the table trust only 4 bits of a slot's fragment for its home, so
// that tables of a few hundred members take the path of indexes of over 2^24 slots.
func smallHomeFrag(t *testing.T) {
	old := homeFrag
	homeFrag = 0xf
	t.Cleanup(func() { homeFrag = old })
}

// tableMember returns the i-th member of the table tests: lengths from empty to long
// enough for a two- and three-byte length prefix.
func tableMember(i int) string {
	switch i % 7 {
	case 0:
		return "m" + strconv.Itoa(i)
	case 1:
		return strconv.Itoa(i) + strings.Repeat("x", 70)
	case 2:
		if i%70 == 2 {
			return strconv.Itoa(i) + strings.Repeat("y", 9000)
		}
		return strconv.Itoa(i) + strings.Repeat("y", 200)
	case 3:
		if i == 3 {
			return ""
		}
	}
	return "member:" + strconv.Itoa(i)
}

// TestSetTableModel drives hashtable sets through growth, shrinking, arena compaction and
// every kind of removal, comparing them with a map and checking the table's invariants.
func TestSetTableModel(t *testing.T) {
	for _, small := range []bool{false, true} {
		t.Run(fmt.Sprintf("smallHomeFrag=%v", small), func(t *testing.T) {
			if small {
				smallHomeFrag(t)
			}
			s := New(1)
			defer s.Close()
			r := rand.New(rand.NewPCG(5, 6))
			st := newTestSet(s, "x")
			model := map[string]bool{"x": true}
			for round := range 30 {
				// Grow towards a size that changes every round, then shrink, in phases.
				span := 50 + r.IntN(2000)
				for range 1500 {
					m := tableMember(r.IntN(span))
					switch op := r.IntN(20); {
					case op < 9 && round%3 != 2:
						if got, want := st.Add([]byte(m)), !model[m]; got != want {
							t.Fatalf("Add(%.20q) = %v, want %v", m, got, want)
						}
						model[m] = true
					case op < 15:
						if got, want := st.Remove([]byte(m)), model[m]; got != want {
							t.Fatalf("Remove(%.20q) = %v, want %v", m, got, want)
						}
						delete(model, m)
					case op < 17 && st.Len() > 1:
						p := st.Pop()
						if !model[string(p)] {
							t.Fatalf("Pop returned %.20q, not a member", p)
						}
						delete(model, string(p))
					case op < 18 && st.Len() > 3:
						n := 1 + r.IntN(st.Len()-1)
						seen := map[string]bool{}
						for _, g := range st.RandomDistinct(n) {
							if !model[string(g)] || seen[string(g)] {
								t.Fatalf("RandomDistinct(%d) returned %.20q twice or not a member", n, g)
							}
							seen[string(g)] = true
						}
						if len(seen) != n {
							t.Fatalf("RandomDistinct(%d) returned %d", n, len(seen))
						}
					default:
						if got, want := st.Contains([]byte(m)), model[m]; got != want {
							t.Fatalf("Contains(%.20q) = %v, want %v", m, got, want)
						}
					}
				}
				if st.Encoding() != "hashtable" || st.Len() != len(model) {
					t.Fatalf("round %d: %s of %d, model %d", round, st.Encoding(), st.Len(), len(model))
				}
				checkTable(t, st)
				if got, want := setMembers(st), slices.Sorted(maps.Keys(model)); !slices.Equal(got, want) {
					t.Fatalf("round %d: members differ from the model", round)
				}
				c := st.clone().(*Set)
				checkTable(t, c)
				if !slices.Equal(setMembers(c), setMembers(st)) {
					t.Fatalf("round %d: clone differs", round)
				}
			}
		})
	}
}

// TestSetTableScanGuarantee checks Redis's SSCAN guarantee on a large table while members
// come and go between steps, with the index growing past its size at the start and
// shrinking below it: every member present for the whole iteration is returned.
func TestSetTableScanGuarantee(t *testing.T) {
	for _, small := range []bool{false, true} {
		t.Run(fmt.Sprintf("smallHomeFrag=%v", small), func(t *testing.T) {
			if small {
				smallHomeFrag(t)
			}
			s := New(1)
			defer s.Close()
			r := rand.New(rand.NewPCG(7, 8))
			for _, count := range []int{1, 10, 100} {
				st := s.NewSet()
				for i := range 3000 {
					st.Add([]byte("s" + strconv.Itoa(i)))
				}
				seen := map[string]int{}
				cursor, steps := uint64(0), 0
				for {
					cursor = st.Scan(cursor, count, func(m []byte) { seen[string(m)]++ })
					steps++
					// Members s0..s499 stay; others come and go, the set growing to
					// about 20000 and then shrinking to about 500.
					for range 200 {
						m := []byte("s" + strconv.Itoa(500+r.IntN(30000)))
						if steps < 60 {
							st.Add(m)
						} else {
							st.Remove(m)
							st.Remove([]byte("s" + strconv.Itoa(500+r.IntN(30000))))
						}
					}
					if cursor == 0 || steps > 1e6 {
						break
					}
				}
				for i := range 500 {
					if seen["s"+strconv.Itoa(i)] == 0 {
						t.Fatalf("count %d: member s%d missed by the scan (%d steps)", count, i, steps)
					}
				}
				checkTable(t, st)
			}
		})
	}
}

// TestNextCursor compares the cursor increment with Redis's reverse, increment, reverse.
func TestNextCursor(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 100000 {
		mask := uint64(1)<<r.IntN(40) - 1
		cursor := r.Uint64()
		if r.IntN(4) == 0 {
			cursor = mask // the last cursor of a full iteration
		}
		want := bits.Reverse64(bits.Reverse64(cursor|^mask) + 1)
		if got := nextCursor(cursor, mask); got != want {
			t.Fatalf("nextCursor(%#x, %#x) = %#x, want %#x", cursor, mask, got, want)
		}
	}
}

// TestSetTableScanExact checks that without changes a scan returns each member once.
func TestSetTableScanExact(t *testing.T) {
	s := New(1)
	defer s.Close()
	st := s.NewSet()
	for i := range 1000 {
		st.Add([]byte(tableMember(i)))
	}
	seen := map[string]int{}
	for c := st.Scan(0, 7, func(m []byte) { seen[string(m)]++ }); c != 0; {
		c = st.Scan(c, 7, func(m []byte) { seen[string(m)]++ })
	}
	if len(seen) != 1000 {
		t.Fatalf("scan returned %d distinct members, want 1000", len(seen))
	}
	for m, n := range seen {
		if n != 1 {
			t.Fatalf("%.20q returned %d times", m, n)
		}
	}
}

// TestSetRandomUniform checks that Random, Pop and small RandomDistinct draws pick
// every member about equally often, also after removals have moved members in the index.
func TestSetRandomUniform(t *testing.T) {
	s := New(1)
	defer s.Close()
	st := s.NewSet()
	for i := range 40 {
		st.Add([]byte("u" + strconv.Itoa(i)))
	}
	for i := range 32 {
		st.Remove([]byte("u" + strconv.Itoa(i))) // 8 remain: u32..u39
	}
	checkTable(t, st)
	const draws = 80000 // 10000 a member; a deviation of 1500 is over 15 sigma
	for name, draw := range map[string]func() []byte{
		"Random":         st.Random,
		"RandomDistinct": func() []byte { return st.RandomDistinct(2)[1] },
		"Pop": func() []byte {
			m := st.Pop()
			st.Add(m)
			return m
		},
	} {
		counts := map[string]int{}
		for range draws {
			counts[string(draw())]++
		}
		if len(counts) != 8 {
			t.Fatalf("%s: drew %d distinct members, want 8", name, len(counts))
		}
		for m, n := range counts {
			if n < 8500 || n > 11500 {
				t.Errorf("%s: %s drawn %d times of %d, want about 10000", name, m, n, draws)
			}
		}
	}
}

// TestSetSmallMemory pins the footprint of the commonest set, ten short members: the Set,
// an index of 16 slots and an arena of one size class, three allocations.
func TestSetSmallMemory(t *testing.T) {
	s := New(1)
	defer s.Close()
	st := s.NewSet()
	for i := 1; i <= 10; i++ {
		st.Add([]byte("m" + strconv.Itoa(i)))
	}
	if got, want := st.memoryUsage(0), 64+16*8+48; got != want {
		t.Errorf("memoryUsage %d, want %d", got, want)
	}
	if raceEnabled {
		return
	}
	ms := benchMembers(10)
	if n := testing.AllocsPerRun(100, func() {
		st := s.NewSet()
		for _, m := range ms {
			st.Add(m)
		}
	}); n > 8 {
		t.Errorf("building a 10-member set: %v allocations, want at most 8", n)
	}
}

// benchMembers returns n distinct short non-integer members.
func benchMembers(n int) [][]byte {
	ms := make([][]byte, n)
	for i := range ms {
		ms[i] = []byte("member:" + strconv.Itoa(i))
	}
	return ms
}

// BenchmarkSetAddSmall builds sets of ten short members, the shape most keys of a keyspace
// of sets have.
func BenchmarkSetAddSmall(b *testing.B) {
	s := New(1)
	defer s.Close()
	ms := benchMembers(10)
	b.ReportAllocs()
	for b.Loop() {
		st := s.NewSet()
		for _, m := range ms {
			st.Add(m)
		}
	}
}

// BenchmarkSetAddLarge adds members one by one to a set that grows to 100k members.
func BenchmarkSetAddLarge(b *testing.B) {
	s := New(1)
	defer s.Close()
	ms := benchMembers(100000)
	st := s.NewSet()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(ms) {
			st, i = s.NewSet(), 0
		}
		st.Add(ms[i])
		i++
	}
}

// BenchmarkSetContains looks up present and absent members of a 100k-member set.
func BenchmarkSetContains(b *testing.B) {
	s := New(1)
	defer s.Close()
	ms := benchMembers(200000)
	st := s.NewSet()
	for _, m := range ms[:100000] {
		st.Add(m)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		st.Contains(ms[i%len(ms)])
		i += 7
	}
}

// BenchmarkSetChurn removes a member and adds another to a 10k-member set, as a set under
// steady SREM/SADD traffic sees.
func BenchmarkSetChurn(b *testing.B) {
	s := New(1)
	defer s.Close()
	ms := benchMembers(20000)
	st := s.NewSet()
	for _, m := range ms[:10000] {
		st.Add(m)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		st.Remove(ms[i%len(ms)])
		st.Add(ms[(i+10000)%len(ms)])
		i++
	}
}

// BenchmarkSetPopAdd pops a random member of a 10k-member set and adds it back.
func BenchmarkSetPopAdd(b *testing.B) {
	s := New(1)
	defer s.Close()
	st := s.NewSet()
	for _, m := range benchMembers(10000) {
		st.Add(m)
	}
	b.ReportAllocs()
	for b.Loop() {
		st.Add(st.Pop())
	}
}

// BenchmarkSetRandomDistinct picks 10 distinct random members of a 10k-member set, as
// SRANDMEMBER key 10 does.
func BenchmarkSetRandomDistinct(b *testing.B) {
	s := New(1)
	defer s.Close()
	st := s.NewSet()
	for _, m := range benchMembers(10000) {
		st.Add(m)
	}
	b.ReportAllocs()
	for b.Loop() {
		st.RandomDistinct(10)
	}
}

// BenchmarkSetEach walks every member of a 10k-member set, as SMEMBERS does.
func BenchmarkSetEach(b *testing.B) {
	s := New(1)
	defer s.Close()
	st := s.NewSet()
	for _, m := range benchMembers(10000) {
		st.Add(m)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		st.Each(func(m []byte) bool { n += len(m); return true })
	}
}

// BenchmarkSetScan runs a whole SSCAN-style iteration, COUNT 10, over a 10k-member set.
func BenchmarkSetScan(b *testing.B) {
	s := New(1)
	defer s.Close()
	st := s.NewSet()
	for _, m := range benchMembers(10000) {
		st.Add(m)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for c := st.Scan(0, 10, func([]byte) { n++ }); c != 0; {
			c = st.Scan(c, 10, func([]byte) { n++ })
		}
	}
}
