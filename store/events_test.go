package store

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestKeyEvents checks that additions and expiries reach the OnKeyEvent function with the
// right database and key, and that overwrites and deletes are not reported.
func TestKeyEvents(t *testing.T) {
	s := New(2)
	var got []string
	s.OnKeyEvent(func(ev KeyEvent, db int, key string) {
		got = append(got, fmt.Sprintf("%d %d %s", ev, db, key))
	})
	s.LockAll()
	defer s.UnlockAll()
	set(s, 0, "a", "1")
	set(s, 0, "a", "2")                          // overwrite: no event
	s.Rename(0, []byte("a"), []byte("b"), false) // b is new
	s.Move(0, 1, []byte("b"))                    // new in db 1
	s.SetString(1, []byte("c"), []byte("x"), in(-time.Second), false)
	s.Exists(1, []byte("c")) // lazily expired
	s.Delete(1, []byte("b")) // delete: no event
	want := []string{
		fmt.Sprintf("%d 0 a", KeyAdded),
		fmt.Sprintf("%d 0 b", KeyAdded),
		fmt.Sprintf("%d 1 b", KeyAdded),
		fmt.Sprintf("%d 1 c", KeyAdded),
		fmt.Sprintf("%d 1 c", KeyExpired),
	}
	if !slices.Equal(got, want) {
		t.Fatalf("events:\n got %q\nwant %q", got, want)
	}
}

// TestKeyEventsOverwrite checks that storing a computed value over an existing key
// (SINTERSTORE, SORT ... STORE, ZUNIONSTORE) reports no KeyAdded, as Redis's setKey
// overwrites in place, while storing it at an absent key does.
func TestKeyEventsOverwrite(t *testing.T) {
	s := New(1)
	added := 0
	s.OnKeyEvent(func(ev KeyEvent, _ int, _ string) {
		if ev == KeyAdded {
			added++
		}
	})
	s.LockAll()
	defer s.UnlockAll()
	set(s, 0, "k", "v")
	for _, put := range []func(){
		func() { st := s.NewSet(); st.Add([]byte("m")); s.PutSet(0, []byte("k"), st) },
		func() { s.PutList(0, []byte("k"), [][]byte{[]byte("e")}) },
		func() { s.SetZSet(0, []byte("k"), []ZEntry{{Member: "m", Score: 1}}) },
	} {
		put()
	}
	if added != 1 {
		t.Fatalf("KeyAdded %d times over an existing key, want once (the SET)", added)
	}
	if v := s.Peek(0, []byte("k")); v == nil || v.Type() != TypeZSet {
		t.Fatalf("k after the overwrites: %v", v)
	}
	s.PutList(0, []byte("k"), nil) // deletes
	s.PutList(0, []byte("k"), [][]byte{[]byte("e")})
	if added != 2 {
		t.Fatalf("KeyAdded %d times, want 2 after storing at an absent key", added)
	}
}
