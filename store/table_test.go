package store

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestTableModel drives a table with random inserts and deletes, churn included, and
// checks it against a Go map after every step.
func TestTableModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var tb table
	model := map[string]*Value{}
	for step := range 20000 {
		key := "k" + strconv.Itoa(rng.IntN(300))
		if v := model[key]; v != nil {
			if tb.get([]byte(key)) != v {
				t.Fatalf("step %d: get(%q) lost the value", step, key)
			}
			tb.delete(v)
			delete(model, key)
		} else {
			if tb.get([]byte(key)) != nil {
				t.Fatalf("step %d: get(%q) found a deleted key", step, key)
			}
			v := newValue([]byte(key), TypeString, 0)
			tb.insert(v)
			model[key] = v
		}
		if int(tb.n) != len(model) || tb.used >= int32(max(len(tb.vals), 1)) {
			t.Fatalf("step %d: n %d used %d size %d, model %d", step, tb.n, tb.used, len(tb.vals), len(model))
		}
	}
	seen := 0
	for _, v := range tb.vals {
		if v != nil {
			if model[v.key()] != v {
				t.Fatalf("table holds %q, which the model does not", v.key())
			}
			seen++
		}
	}
	if seen != len(model) {
		t.Fatalf("iteration saw %d values, want %d", seen, len(model))
	}
	// The table stays within its load bounds while it grows.
	tb = table{}
	for i := range 1000 {
		tb.insert(newValue([]byte("g"+strconv.Itoa(i)), TypeString, 0))
	}
	if load := float64(tb.n) / float64(len(tb.vals)); load < 0.5 || load > 13.0/16 {
		t.Fatalf("load %.2f after growth", load)
	}
	for _, v := range tb.vals {
		if v != nil {
			tb.delete(v)
		}
	}
	if tb.vals != nil || tb.n != 0 || tb.used != 0 {
		t.Fatalf("an emptied table keeps %d entries, %d used", len(tb.vals), tb.used)
	}
}

// TestForEachDeletesWholeSlot deletes every key of one slot from inside ForEach.
func TestForEachDeletesWholeSlot(t *testing.T) {
	s := New(1)
	for i := range 500 {
		set(s, 0, "{same}"+strconv.Itoa(i), "v")
	}
	visited := 0
	s.LockAll()
	s.ForEach(0, func(key string, v *Value) bool {
		visited++
		s.Delete(0, []byte(key))
		return true
	})
	s.UnlockAll()
	if visited != 500 || s.DBSize(0) != 0 {
		t.Fatalf("visited %d, %d keys left", visited, s.DBSize(0))
	}
	checkCounts(t, s, 0)
}

// TestRenameKeepsKeyStrings checks that a key string handed out earlier stays intact when
// the value is renamed or its buffer moves.
func TestRenameKeepsKeyStrings(t *testing.T) {
	s := New(1)
	set(s, 0, "a", "x")
	var old string
	s.ForEach(0, func(key string, v *Value) bool { old = key; return true })
	if _, err := s.Append(0, []byte("a"), make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rename(0, []byte("a"), []byte("bb"), false); err != nil {
		t.Fatal(err)
	}
	if old != "a" || s.Peek(0, []byte("bb")).StrLen() != 1001 {
		t.Fatalf("old key %q, new length %d", old, s.Peek(0, []byte("bb")).StrLen())
	}
}
