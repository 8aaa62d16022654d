package store

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// listElems returns the elements of l as strings.
func listElems(l *List) []string {
	out := make([]string, 0, l.Len())
	if l.Len() > 0 {
		l.Range(0, l.Len()-1, func(v []byte) { out = append(out, string(v)) })
	}
	return out
}

func newListOf(elems ...string) *List {
	l := new(List)
	for _, e := range elems {
		l.PushRight([]byte(e))
	}
	return l
}

func TestListOps(t *testing.T) {
	tests := []struct {
		name string
		op   func(l *List)
		want []string
	}{
		{"push left", func(l *List) { l.PushLeft([]byte("z")) }, []string{"z", "a", "b", "c", "b", "a"}},
		{"push right", func(l *List) { l.PushRight([]byte("z")) }, []string{"a", "b", "c", "b", "a", "z"}},
		{"pop left", func(l *List) { l.PopLeft() }, []string{"b", "c", "b", "a"}},
		{"pop right", func(l *List) { l.PopRight() }, []string{"a", "b", "c", "b"}},
		{"set -1", func(l *List) { l.Set(-1, []byte("z")) }, []string{"a", "b", "c", "b", "z"}},
		{"insert 0", func(l *List) { l.Insert(0, []byte("z")) }, []string{"z", "a", "b", "c", "b", "a"}},
		{"insert 4", func(l *List) { l.Insert(4, []byte("z")) }, []string{"a", "b", "c", "b", "z", "a"}},
		{"insert end", func(l *List) { l.Insert(5, []byte("z")) }, []string{"a", "b", "c", "b", "a", "z"}},
		{"remove all b", func(l *List) { l.Remove(0, []byte("b")) }, []string{"a", "c", "a"}},
		{"remove first a", func(l *List) { l.Remove(1, []byte("a")) }, []string{"b", "c", "b", "a"}},
		{"remove last b", func(l *List) { l.Remove(-1, []byte("b")) }, []string{"a", "b", "c", "a"}},
		{"remove none", func(l *List) { l.Remove(0, []byte("x")) }, []string{"a", "b", "c", "b", "a"}},
		{"trim middle", func(l *List) { l.Trim(1, 3) }, []string{"b", "c", "b"}},
		{"trim past end", func(l *List) { l.Trim(3, 100) }, []string{"b", "a"}},
		{"trim empty", func(l *List) { l.Trim(4, 2) }, []string{}},
		{"trim beyond", func(l *List) { l.Trim(9, 20) }, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newListOf("a", "b", "c", "b", "a")
			tt.op(l)
			if got := listElems(l); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestListIndex(t *testing.T) {
	l := newListOf("a", "b", "c")
	for _, tt := range []struct {
		i    int
		want string
		ok   bool
	}{{0, "a", true}, {2, "c", true}, {-1, "c", true}, {-3, "a", true}, {3, "", false}, {-4, "", false}} {
		v, ok := l.Index(tt.i)
		if string(v) != tt.want || ok != tt.ok {
			t.Errorf("Index(%d) = %q, %v; want %q, %v", tt.i, v, ok, tt.want, tt.ok)
		}
	}
	if l.Set(3, []byte("x")) || l.Set(-4, []byte("x")) {
		t.Error("Set out of range succeeded")
	}
	if got := l.Find([]byte("c")); got != 2 {
		t.Errorf("Find(c) = %d", got)
	}
	if got := l.Find([]byte("x")); got != -1 {
		t.Errorf("Find(x) = %d", got)
	}
}

// TestListCopies checks that the list keeps copies of what it is given.
func TestListCopies(t *testing.T) {
	b := []byte("abc")
	l := new(List)
	l.PushRight(b)
	l.PushLeft(b)
	l.Insert(1, b)
	l.Set(0, b)
	b[0] = 'X'
	if got := listElems(l); !slices.Equal(got, []string{"abc", "abc", "abc"}) {
		t.Errorf("list changed with its argument: %q", got)
	}
	c := l.clone().(*List)
	c.PushRight([]byte("d"))
	v, _ := c.Index(0)
	v[0] = 'Y'
	if got := listElems(l); !slices.Equal(got, []string{"abc", "abc", "abc"}) {
		t.Errorf("list changed with its clone: %q", got)
	}
}

// TestListModel runs random operations on a List and on a plain slice and compares them
// after each step.
func TestListModel(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		l := new(List)
		var model [][]byte
		elem := func() []byte { return fmt.Appendf(nil, "e%d", rng.IntN(8)) }
		for step := range 600 {
			var desc string
			switch op := rng.IntN(9); op {
			case 0, 1:
				v := elem()
				desc = fmt.Sprintf("PushLeft(%s)", v)
				l.PushLeft(v)
				model = append([][]byte{v}, model...)
			case 2, 3:
				v := elem()
				desc = fmt.Sprintf("PushRight(%s)", v)
				l.PushRight(v)
				model = append(model, v)
			case 4:
				desc = "PopLeft"
				got := l.PopLeft()
				var want []byte
				if len(model) > 0 {
					want, model = model[0], model[1:]
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("seed %d step %d: PopLeft = %q, want %q", seed, step, got, want)
				}
			case 5:
				desc = "PopRight"
				got := l.PopRight()
				var want []byte
				if len(model) > 0 {
					want, model = model[len(model)-1], model[:len(model)-1]
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("seed %d step %d: PopRight = %q, want %q", seed, step, got, want)
				}
			case 6:
				i := rng.IntN(len(model) + 1)
				v := elem()
				desc = fmt.Sprintf("Insert(%d, %s)", i, v)
				l.Insert(i, v)
				model = slices.Insert(model, i, v)
			case 7:
				count := rng.IntN(5) - 2
				v := elem()
				desc = fmt.Sprintf("Remove(%d, %s)", count, v)
				got := l.Remove(count, v)
				want := modelRemove(&model, count, v)
				if got != want {
					t.Fatalf("seed %d step %d: %s = %d, want %d", seed, step, desc, got, want)
				}
			case 8:
				if rng.IntN(10) != 0 {
					continue // trims empty the list too fast
				}
				start, stop := rng.IntN(len(model)+2), rng.IntN(len(model)+2)
				desc = fmt.Sprintf("Trim(%d, %d)", start, stop)
				l.Trim(start, stop)
				stop = min(stop, len(model)-1)
				if start > stop {
					model = nil
				} else {
					model = model[start : stop+1]
				}
			}
			if l.Len() != len(model) {
				t.Fatalf("seed %d step %d after %s: Len %d, want %d", seed, step, desc, l.Len(), len(model))
			}
			for i, want := range model {
				if got, _ := l.Index(i); !bytes.Equal(got, want) {
					t.Fatalf("seed %d step %d after %s: element %d = %q, want %q", seed, step, desc, i, got, want)
				}
			}
		}
	}
}

// modelRemove is LREM on a slice.
func modelRemove(model *[][]byte, count int, v []byte) int {
	m := *model
	removed := 0
	if count >= 0 {
		out := m[:0:0]
		for _, e := range m {
			if bytes.Equal(e, v) && (count == 0 || removed < count) {
				removed++
				continue
			}
			out = append(out, e)
		}
		*model = out
		return removed
	}
	var out [][]byte
	for i := len(m) - 1; i >= 0; i-- {
		if bytes.Equal(m[i], v) && removed < -count {
			removed++
			continue
		}
		out = append([][]byte{m[i]}, out...)
	}
	*model = out
	return removed
}

func TestStoreList(t *testing.T) {
	s := New(1)
	defer s.Close()
	key := []byte("l")
	if l, err := s.List(0, key); l != nil || err != nil {
		t.Fatalf("List of absent key = %v, %v", l, err)
	}
	l, err := s.ListForWrite(0, key)
	if err != nil {
		t.Fatal(err)
	}
	l.PushRight([]byte("a"))
	if got := enc(s, 0, "l"); got != "quicklist" {
		t.Errorf("encoding %q", got)
	}
	if v := s.Peek(0, key); v.Type() != TypeList {
		t.Errorf("type %v", v.Type())
	}
	if s.DeleteIfEmpty(0, key) {
		t.Error("DeleteIfEmpty deleted a list with an element")
	}
	l2, _ := s.List(0, key)
	if l2 != l {
		t.Error("List returned another list")
	}
	l.PopLeft()
	if !s.DeleteIfEmpty(0, key) || s.Exists(0, key) {
		t.Error("empty list not deleted")
	}
	set(s, 0, "str", "x")
	if _, err := s.List(0, []byte("str")); !errors.Is(err, ErrWrongType) {
		t.Errorf("List of a string: %v", err)
	}
	if _, err := s.ListForWrite(0, []byte("str")); !errors.Is(err, ErrWrongType) {
		t.Errorf("ListForWrite of a string: %v", err)
	}
	l, _ = s.ListForWrite(0, key)
	l.PushRight([]byte("a"))
	if ok, err := s.Copy(0, key, 0, []byte("c"), false); !ok || err != nil {
		t.Fatalf("Copy: %v %v", ok, err)
	}
	c, _ := s.List(0, []byte("c"))
	c.PushRight([]byte("b"))
	if l.Len() != 1 || c.Len() != 2 {
		t.Errorf("copy shares data: %d %d", l.Len(), c.Len())
	}
	checkCounts(t, s, 0)
}

// TestListModelNodes is TestListModel with elements of many sizes, so that lists span
// several nodes and elements larger than a node take one of their own.
func TestListModelNodes(t *testing.T) {
	sizes := []int{0, 1, 2, 5, 126, 127, 128, 300, 1000, 4090, 5000, 20000}
	for seed := range uint64(8) {
		rng := rand.New(rand.NewPCG(seed, 2))
		l := new(List)
		var model [][]byte
		elem := func() []byte {
			n := rng.IntN(4)
			if rng.IntN(4) == 0 {
				n = sizes[rng.IntN(len(sizes))]
			}
			v := bytes.Repeat([]byte{byte('a' + rng.IntN(3))}, n)
			return v
		}
		for step := range 500 {
			var desc string
			switch op := rng.IntN(12); op {
			case 0, 1, 2:
				v := elem()
				desc = fmt.Sprintf("PushLeft(%d bytes)", len(v))
				l.PushLeft(v)
				model = append([][]byte{v}, model...)
			case 3, 4, 5:
				v := elem()
				desc = fmt.Sprintf("PushRight(%d bytes)", len(v))
				l.PushRight(v)
				model = append(model, v)
			case 6:
				desc = "PopLeft"
				got := l.PopLeft()
				var want []byte
				if len(model) > 0 {
					want, model = model[0], model[1:]
				}
				if !bytes.Equal(got, want) || (got == nil) != (want == nil) {
					t.Fatalf("seed %d step %d: PopLeft = %q, want %q", seed, step, got, want)
				}
			case 7:
				desc = "PopRight"
				got := l.PopRight()
				var want []byte
				if len(model) > 0 {
					want, model = model[len(model)-1], model[:len(model)-1]
				}
				if !bytes.Equal(got, want) || (got == nil) != (want == nil) {
					t.Fatalf("seed %d step %d: PopRight = %q, want %q", seed, step, got, want)
				}
			case 8:
				i := rng.IntN(len(model) + 1)
				v := elem()
				desc = fmt.Sprintf("Insert(%d, %d bytes)", i, len(v))
				l.Insert(i, v)
				model = slices.Insert(model, i, v)
			case 9:
				if len(model) == 0 {
					continue
				}
				i := rng.IntN(len(model))
				v := elem()
				desc = fmt.Sprintf("Set(%d, %d bytes)", i, len(v))
				if !l.Set(i-len(model)*rng.IntN(2), v) {
					t.Fatalf("seed %d step %d: %s out of range", seed, step, desc)
				}
				model[i] = v
			case 10:
				count := rng.IntN(5) - 2
				v := elem()
				desc = fmt.Sprintf("Remove(%d, %d bytes)", count, len(v))
				got := l.Remove(count, v)
				want := modelRemove(&model, count, v)
				if got != want {
					t.Fatalf("seed %d step %d: %s = %d, want %d", seed, step, desc, got, want)
				}
			case 11:
				if rng.IntN(8) != 0 {
					continue
				}
				start, stop := rng.IntN(len(model)+2), rng.IntN(len(model)+2)
				desc = fmt.Sprintf("Trim(%d, %d)", start, stop)
				l.Trim(start, stop)
				stop = min(stop, len(model)-1)
				if start > stop {
					model = nil
				} else {
					model = model[start : stop+1]
				}
			}
			checkListModel(t, l, model, fmt.Sprintf("seed %d step %d after %s", seed, step, desc), rng)
		}
		c := l.clone().(*List)
		checkListModel(t, c, model, fmt.Sprintf("seed %d clone", seed), rng)
	}
}

// checkListModel compares l with model through every read method.
func checkListModel(t *testing.T, l *List, model [][]byte, where string, rng *rand.Rand) {
	t.Helper()
	if l.Len() != len(model) {
		t.Fatalf("%s: Len %d, want %d", where, l.Len(), len(model))
	}
	n := len(model)
	if n == 0 {
		return
	}
	var got [][]byte
	l.Range(0, n-1, func(v []byte) { got = append(got, v) })
	for i := range model {
		if !bytes.Equal(got[i], model[i]) {
			t.Fatalf("%s: Range element %d = %d bytes, want %d", where, i, len(got[i]), len(model[i]))
		}
	}
	for i := n - 1; i >= 0; i-- { // backwards, one step at a time
		if v, ok := l.Index(i); !ok || !bytes.Equal(v, model[i]) {
			t.Fatalf("%s: Index(%d) = %d bytes, want %d", where, i, len(v), len(model[i]))
		}
	}
	for range 5 {
		start := rng.IntN(n)
		stop := start + rng.IntN(n-start)
		i := start
		l.Range(start, stop, func(v []byte) {
			if !bytes.Equal(v, model[i]) {
				t.Fatalf("%s: Range(%d, %d) element %d wrong", where, start, stop, i)
			}
			i++
		})
		if i != stop+1 {
			t.Fatalf("%s: Range(%d, %d) gave %d elements", where, start, stop, i-start)
		}
		if v, _ := l.Index(-1 - rng.IntN(n)); v == nil {
			t.Fatalf("%s: negative Index missing", where)
		}
		j := rng.IntN(n)
		want := slices.IndexFunc(model, func(m []byte) bool { return bytes.Equal(m, model[j]) })
		if got := l.Find(model[j]); got != want {
			t.Fatalf("%s: Find = %d, want %d", where, got, want)
		}
	}
	if _, ok := l.Index(n); ok {
		t.Fatalf("%s: Index(Len()) found", where)
	}
}

func TestListCompact(t *testing.T) {
	l := newListOf("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10")
	if l.nn != 1 || len(l.nodes) != 1 {
		t.Fatalf("10 small elements in %d nodes (ring %d), want 1", l.nn, len(l.nodes))
	}
	if b := l.node(0); cap(b) > 48 {
		t.Errorf("node of %d bytes has capacity %d, want at most 48", len(b), cap(b))
	}
	for range 10000 {
		l.PushRight([]byte("element"))
	}
	for i := range int(l.nn) {
		if b := l.node(i); len(b) > listNodeBytes {
			t.Errorf("node %d is %d bytes, more than %d", i, len(b), listNodeBytes)
		}
	}
	for l.Len() > 0 {
		l.PopLeft()
	}
	if l.nodes != nil || l.nn != 0 || l.cur != nil {
		t.Errorf("empty list keeps nodes: %d in a ring of %d", l.nn, len(l.nodes))
	}
}

func BenchmarkListPushPop(b *testing.B) {
	l := new(List)
	v := []byte("some element")
	for range 100000 {
		l.PushRight(v)
	}
	b.ReportAllocs()
	for b.Loop() {
		l.PushLeft(v)
		l.PopRight()
	}
}

func BenchmarkListIndexScan(b *testing.B) {
	l := new(List)
	for i := range 100000 {
		l.PushRight(fmt.Appendf(nil, "element:%d", i))
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range l.Len() {
			l.Index(i)
		}
	}
}
