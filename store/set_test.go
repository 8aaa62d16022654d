package store

import (
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
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
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, tt.fn); n != 0 {
			t.Errorf("%s: %v allocations, want 0", tt.name, n)
		}
	}
}
