package store

import (
	"errors"
	"testing"
)

func TestObjectLifecycle(t *testing.T) {
	s := New(2)
	key := []byte("coll")
	mk := func() *List { return &List{} }

	if o, err := lookupObject[*List](s, 0, key, TypeList); o != nil || err != nil {
		t.Fatalf("lookup of an absent key = %v, %v", o, err)
	}
	o, err := createObject(s, 0, key, TypeList, mk)
	if err != nil || o == nil {
		t.Fatalf("create = %v, %v", o, err)
	}
	o.PushRight([]byte("a"))
	again, err := createObject(s, 0, key, TypeList, mk)
	if err != nil || again != o {
		t.Fatalf("create of an existing key made a new object: %p vs %p, %v", again, o, err)
	}
	if v := s.Peek(0, key); v.Type() != TypeList || v.Encoding() != "quicklist" {
		t.Fatalf("type %v encoding %q", v.Type(), v.Encoding())
	}

	// COPY deep-copies the object.
	if ok, err := s.Copy(0, key, 1, key, false); !ok || err != nil {
		t.Fatalf("Copy = %v, %v", ok, err)
	}
	copied, _ := lookupObject[*List](s, 1, key, TypeList)
	copied.Set(0, []byte("changed"))
	if e, _ := o.Index(0); string(e) != "a" {
		t.Fatal("the copy shares its elements with the original")
	}

	s.SetString(0, []byte("str"), []byte("v"), 0, false)
	if _, err := lookupObject[*List](s, 0, []byte("str"), TypeList); !errors.Is(err, ErrWrongType) {
		t.Fatalf("lookup of a string as a list: %v, want ErrWrongType", err)
	}

	if s.DeleteIfEmpty(0, key) {
		t.Fatal("deleted a non-empty collection")
	}
	o.PopLeft()
	if !s.DeleteIfEmpty(0, key) || s.Exists(0, key) {
		t.Fatal("an empty collection was not deleted")
	}
	if s.DeleteIfEmpty(0, []byte("str")) {
		t.Fatal("deleted a string")
	}
}
