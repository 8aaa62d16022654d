package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// hashStore returns a store whose hashes convert at the given limits.
func hashStore(entries, value int64) *Store {
	s := New(16)
	l := DefaultEncodingLimits
	l.HashMaxListpackEntries = entries
	l.HashMaxListpackValue = value
	s.SetEncodingLimits(l)
	return s
}

// pairs returns the entries of h in iteration order as "field=value".
func pairs(h *Hash) []string {
	var out []string
	for i := range h.Len() {
		e := h.Entry(i)
		out = append(out, e.Field+"="+e.Value)
	}
	return out
}

func TestHashListpackOrder(t *testing.T) {
	s := hashStore(128, 64)
	h, err := s.HashForWrite(0, []byte("h"))
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"a", "4"}, {"d", "5"}} {
		h.Set([]byte(kv[0]), []byte(kv[1]))
	}
	h.Delete([]byte("b"))
	want := []string{"a=4", "c=3", "d=5"}
	if got := pairs(h); !slices.Equal(got, want) {
		t.Errorf("entries = %v, want %v", got, want)
	}
	if got := enc(s, 0, "h"); got != "listpack" {
		t.Errorf("encoding = %s", got)
	}
	if got := s.Peek(0, []byte("h")).Type(); got != TypeHash {
		t.Errorf("type = %v", got)
	}
}

func TestHashConversion(t *testing.T) {
	tests := []struct {
		name string
		ops  func(h *Hash)
		want string
	}{
		{"entries at limit", func(h *Hash) { setN(h, 3) }, "listpack"},
		{"entries past limit", func(h *Hash) { setN(h, 4) }, "hashtable"},
		{"overwrites count once", func(h *Hash) {
			for range 10 {
				h.Set([]byte("f"), []byte("v"))
			}
		}, "listpack"},
		{"value at limit", func(h *Hash) { h.Set([]byte("f"), []byte("12345678")) }, "listpack"},
		{"value past limit", func(h *Hash) { h.Set([]byte("f"), []byte("123456789")) }, "hashtable"},
		{"field past limit", func(h *Hash) { h.Set([]byte("123456789"), []byte("v")) }, "hashtable"},
		{"fit long argument", func(h *Hash) { h.Fit([][]byte{[]byte("f"), []byte("123456789")}) }, "hashtable"},
		{"fit short arguments", func(h *Hash) { h.Fit([][]byte{[]byte("f"), []byte("12345678")}) }, "listpack"},
		{"incr long field", func(h *Hash) { _, _ = h.IncrBy([]byte("123456789"), 1) }, "hashtable"},
		{"incr long result", func(h *Hash) { _, _ = h.IncrBy([]byte("f"), 123456789) }, "hashtable"},
		{"never back", func(h *Hash) {
			setN(h, 4)
			for i := range 4 {
				h.Delete([]byte(strconv.Itoa(i)))
			}
			h.Set([]byte("f"), []byte("v"))
		}, "hashtable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := hashStore(3, 8)
			h, _ := s.HashForWrite(0, []byte("h"))
			tt.ops(h)
			if got := h.Encoding(); got != tt.want {
				t.Errorf("encoding = %s, want %s", got, tt.want)
			}
		})
	}
}

func setN(h *Hash, n int) {
	for i := range n {
		h.Set([]byte(strconv.Itoa(i)), []byte("v"))
	}
}

func TestHashWrongTypeAndEmpty(t *testing.T) {
	s := hashStore(128, 64)
	set(s, 0, "s", "x")
	if _, err := s.Hash(0, []byte("s")); !errors.Is(err, ErrWrongType) {
		t.Errorf("Hash on string: %v", err)
	}
	if _, err := s.HashForWrite(0, []byte("s")); !errors.Is(err, ErrWrongType) {
		t.Errorf("HashForWrite on string: %v", err)
	}
	if h, err := s.Hash(0, []byte("none")); h != nil || err != nil {
		t.Errorf("Hash on absent key = %v, %v", h, err)
	}
	h, _ := s.HashForWrite(0, []byte("h"))
	h.Set([]byte("f"), []byte("v"))
	h.Delete([]byte("f"))
	if !s.DeleteIfEmpty(0, []byte("h")) || s.Exists(0, []byte("h")) {
		t.Error("empty hash not deleted")
	}
}

func TestHashIncrBy(t *testing.T) {
	s := hashStore(128, 64)
	h, _ := s.HashForWrite(0, []byte("h"))
	h.Set([]byte("max"), []byte("9223372036854775807"))
	h.Set([]byte("min"), []byte("-9223372036854775808"))
	h.Set([]byte("text"), []byte("007"))
	tests := []struct {
		field string
		delta int64
		want  int64
		err   error
	}{
		{"new", 5, 5, nil},
		{"new", -7, -2, nil},
		{"max", 1, 0, ErrOverflow},
		{"max", -1, 9223372036854775806, nil},
		{"min", -1, 0, ErrOverflow},
		{"min", 1, -9223372036854775807, nil},
		{"text", 1, 0, ErrHashNotInteger},
	}
	for _, tt := range tests {
		got, err := h.IncrBy([]byte(tt.field), tt.delta)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("IncrBy(%s, %d) = %d, %v; want %d, %v", tt.field, tt.delta, got, err, tt.want, tt.err)
		}
	}
}

func TestHIncrByFloat(t *testing.T) {
	s := hashStore(128, 64)
	set(s, 0, "s", "x")
	h, _ := s.HashForWrite(0, []byte("h"))
	h.Set([]byte("text"), []byte("abc"))
	h.Set([]byte("inf"), []byte("inf"))
	tests := []struct {
		key, field, incr string
		want             string
		err              error
	}{
		{"h", "f", "10.5", "10.5", nil},
		{"h", "f", "0.1", "10.6", nil},
		{"h", "g", "0.1", "0.1", nil},
		{"h", "g", "0.2", "0.3", nil},
		{"h", "e", "5.0e3", "5000", nil},
		{"h", "z", "-0.0", "0", nil},
		{"h", "f", "abc", "", ErrNotFloat},
		{"h", "f", "inf", "", ErrNotFinite},
		{"h", "f", "nan", "", ErrNotFloat},
		{"h", "text", "1", "", ErrHashNotFloat},
		{"h", "inf", "1", "", ErrNaN},
		{"s", "f", "x", "", ErrNotFloat},
		{"s", "f", "inf", "", ErrNotFinite},
		{"s", "f", "1", "", ErrWrongType},
		{"n", "f", "x", "", ErrNotFloat},
	}
	for _, tt := range tests {
		got, err := s.HIncrByFloat(0, []byte(tt.key), []byte(tt.field), []byte(tt.incr))
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("HIncrByFloat(%s, %s, %s) = %q, %v; want %q, %v", tt.key, tt.field, tt.incr, got, err, tt.want, tt.err)
		}
	}
	if s.Exists(0, []byte("n")) {
		t.Error("a failed HIncrByFloat created its key")
	}
}

func TestHashClone(t *testing.T) {
	for _, limit := range []int64{128, 1} {
		s := hashStore(limit, 64)
		h, _ := s.HashForWrite(0, []byte("h"))
		setN(h, 3)
		c := h.clone().(*Hash)
		c.Set([]byte("x"), []byte("y"))
		c.Delete([]byte("0"))
		if h.Len() != 3 || !h.Exists([]byte("0")) || h.Exists([]byte("x")) {
			t.Errorf("limit %d: clone shares data with the original: %v", limit, pairs(h))
		}
		if c.Encoding() != h.Encoding() {
			t.Errorf("limit %d: clone encoding %s, original %s", limit, c.Encoding(), h.Encoding())
		}
	}
}

// TestHashModel applies random operations to hashes of both encodings and to a map, and
// compares them after every step.
func TestHashModel(t *testing.T) {
	for _, limit := range []int64{8, 1 << 20} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(limit)))
			s := hashStore(limit, 64)
			h, _ := s.HashForWrite(0, []byte("h"))
			model := map[string]string{}
			var order []string // insertion order, for the listpack
			for step := range 3000 {
				f := []byte(strconv.Itoa(r.IntN(40)))
				v := strconv.Itoa(r.IntN(1000))
				switch r.IntN(4) {
				case 0, 1:
					_, had := model[string(f)]
					if created := h.Set(f, []byte(v)); created == had {
						t.Fatalf("step %d: Set(%s) created = %v", step, f, created)
					}
					if !had {
						order = append(order, string(f))
					}
					model[string(f)] = v
				case 2:
					_, had := model[string(f)]
					if got := h.Delete(f); got != had {
						t.Fatalf("step %d: Delete(%s) = %v", step, f, got)
					}
					delete(model, string(f))
					order = slices.DeleteFunc(order, func(x string) bool { return x == string(f) })
				case 3:
					want, had := model[string(f)]
					got, ok := h.Get(f)
					if ok != had || got != want {
						t.Fatalf("step %d: Get(%s) = %q, %v; want %q, %v", step, f, got, ok, want, had)
					}
				}
				if h.Len() != len(model) {
					t.Fatalf("step %d: Len = %d, want %d", step, h.Len(), len(model))
				}
				got := map[string]string{}
				var gotOrder []string
				for i := range h.Len() {
					e := h.Entry(i)
					got[e.Field] = e.Value
					gotOrder = append(gotOrder, e.Field)
				}
				if len(got) != len(model) {
					t.Fatalf("step %d: duplicate entries %v", step, gotOrder)
				}
				for k, v := range model {
					if got[k] != v {
						t.Fatalf("step %d: entry %s = %q, want %q", step, k, got[k], v)
					}
				}
				if h.Encoding() == "listpack" && !slices.Equal(gotOrder, order) {
					t.Fatalf("step %d: order %v, want %v", step, gotOrder, order)
				}
			}
			if limit == 8 && h.Encoding() != "hashtable" {
				t.Errorf("encoding = %s", h.Encoding())
			}
		})
	}
}

// TestHashScanGuarantee checks that a hashtable scan returns every field present for the
// whole iteration, while fields are added and deleted between calls.
func TestHashScanGuarantee(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	for round := range 50 {
		s := hashStore(1, 64)
		h, _ := s.HashForWrite(0, []byte("h"))
		for i := range 200 {
			h.Set([]byte("k"+strconv.Itoa(i)), []byte("v"))
		}
		stable := map[string]bool{}
		for i := range 200 {
			stable["k"+strconv.Itoa(i)] = true
		}
		seen := map[string]bool{}
		cursor := uint64(0)
		next := 1000
		for {
			cursor = h.Scan(cursor, 1+r.IntN(20), func(e HashEntry) { seen[e.Field] = true })
			if cursor == 0 {
				break
			}
			for range r.IntN(6) {
				f := "k" + strconv.Itoa(r.IntN(200))
				if h.Delete([]byte(f)) {
					delete(stable, f)
				}
			}
			for range r.IntN(6) {
				h.Set([]byte("k"+strconv.Itoa(next)), []byte("v"))
				next++
			}
		}
		for f := range stable {
			if !seen[f] {
				t.Fatalf("round %d: field %s present throughout was not returned", round, f)
			}
		}
	}
}

func TestHashScanListpackWhole(t *testing.T) {
	s := hashStore(128, 64)
	h, _ := s.HashForWrite(0, []byte("h"))
	setN(h, 20)
	for _, cursor := range []uint64{0, 7, 1 << 40} {
		n := 0
		if next := h.Scan(cursor, 1, func(HashEntry) { n++ }); next != 0 || n != 20 {
			t.Errorf("Scan(%d) = %d after %d entries, want 0 after 20", cursor, next, n)
		}
	}
}

func TestHashRandomIndexes(t *testing.T) {
	for _, limit := range []int64{128, 1} {
		s := hashStore(limit, 64)
		h, _ := s.HashForWrite(0, []byte("h"))
		setN(h, 30)
		for _, count := range []int{1, 5, 9, 10, 11, 29, 30, 31} {
			idx := h.RandomIndexes(count)
			if len(idx) != min(count, 30) {
				t.Fatalf("RandomIndexes(%d) returned %d", count, len(idx))
			}
			sorted := slices.Clone(idx)
			slices.Sort(sorted)
			if len(slices.Compact(sorted)) != len(idx) || sorted[0] < 0 || sorted[len(sorted)-1] >= 30 {
				t.Fatalf("RandomIndexes(%d) = %v", count, idx)
			}
			if h.Encoding() == "listpack" && !slices.IsSorted(idx) {
				t.Errorf("listpack RandomIndexes(%d) not in order: %v", count, idx)
			}
		}
	}
}

// TestHashListpackImmutable checks that strings handed out by a listpack keep their text
// while the hash changes.
func TestHashListpackImmutable(t *testing.T) {
	s := hashStore(128, 64)
	h, _ := s.HashForWrite(0, []byte("h"))
	setN(h, 5)
	v, _ := h.Get([]byte("2"))
	e := h.Entry(3)
	field, value := []byte("x"), []byte("y")
	h.Fit([][]byte{field, value})
	h.Set(field, value)
	field[0], value[0] = 'z', 'z'
	h.Set([]byte("2"), []byte("changed"))
	h.Delete([]byte("3"))
	h.Set([]byte("new"), []byte("entry"))
	if v != "v" || e != (HashEntry{"3", "v"}) {
		t.Errorf("handed-out strings changed: %q, %v", v, e)
	}
	want := []string{"0=v", "1=v", "2=changed", "4=v", "x=y", "new=entry"}
	if got := pairs(h); !slices.Equal(got, want) {
		t.Errorf("entries = %v, want %v", got, want)
	}
}

func TestHashListpackEntries(t *testing.T) {
	long := string(make([]byte, 200)) // a length of two uvarint bytes
	tests := []struct {
		name string
		kvs  [][2]string
	}{
		{"empty field and value", [][2]string{{"", ""}, {"a", ""}, {"", "b"}}},
		{"long value", [][2]string{{"a", long}, {"b", "1"}, {long, "c"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := hashStore(128, 1000)
			h, _ := s.HashForWrite(0, []byte("h"))
			var want []string
			for _, kv := range tt.kvs {
				h.Set([]byte(kv[0]), []byte(kv[1]))
			}
			seen := map[string]string{}
			for _, kv := range tt.kvs {
				seen[kv[0]] = kv[1]
			}
			for _, kv := range tt.kvs {
				if v, ok := seen[kv[0]]; ok {
					want = append(want, kv[0]+"="+v)
					delete(seen, kv[0])
				}
			}
			if got := pairs(h); !slices.Equal(got, want) {
				t.Errorf("entries = %q, want %q", got, want)
			}
			for i := h.Len() - 1; i >= 0; i-- { // backwards, past the cached position
				if e := h.Entry(i); e.Field+"="+e.Value != want[i] {
					t.Errorf("Entry(%d) = %q, want %q", i, e, want[i])
				}
			}
			if h.Encoding() != "listpack" {
				t.Errorf("encoding = %s", h.Encoding())
			}
		})
	}
}

func TestHashAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, limit := range []int64{128, 1} {
		s := hashStore(limit, 64)
		h, _ := s.HashForWrite(0, []byte("h"))
		setN(h, 10)
		field, value := []byte("5"), []byte("v")
		tests := []struct {
			name string
			fn   func()
		}{
			{"Get", func() { h.Get(field) }},
			{"Get absent", func() { h.Get([]byte("nope")) }},
			{"Exists", func() { h.Exists(field) }},
			{"Len", func() { h.Len() }},
			{"Entry walk", func() {
				for i := range h.Len() {
					h.Entry(i)
				}
			}},
			{"Scan", func() { h.Scan(0, 100, func(HashEntry) {}) }},
			{"Set same value", func() { h.Set(field, value) }},
		}
		for _, tt := range tests {
			if n := testing.AllocsPerRun(100, tt.fn); n != 0 {
				t.Errorf("%s, %s: %v allocations, want 0", h.Encoding(), tt.name, n)
			}
		}
	}
}

// TestHashFitReserves checks that a listpack HSET of many fields allocates its listpack
// once.
func TestHashFitReserves(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	s := hashStore(128, 64)
	var args [][]byte
	for i := 1; i <= 10; i++ {
		args = append(args, []byte("f"+strconv.Itoa(i)), []byte("v"+strconv.Itoa(i)))
	}
	n := testing.AllocsPerRun(100, func() {
		h := s.NewHash()
		h.Fit(args)
		for i := 0; i < len(args); i += 2 {
			h.Set(args[i], args[i+1])
		}
	})
	if n > 2 { // the Hash, unless it stays on the stack, and its listpack
		t.Errorf("%v allocations, want at most 2", n)
	}
}
