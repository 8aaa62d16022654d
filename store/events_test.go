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
