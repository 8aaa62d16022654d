package store

import (
	"errors"
	"testing"
)

// testObject is a minimal aggregate type for the generic lookup helpers.
type testObject struct{ elems []string }

func (o *testObject) Len() int         { return len(o.elems) }
func (o *testObject) Encoding() string { return "test" }
func (o *testObject) clone() object    { return &testObject{elems: append([]string(nil), o.elems...)} }

func TestObjectLifecycle(t *testing.T) {
	s := New(2)
	key := []byte("coll")
	mk := func() *testObject { return &testObject{} }

	if o, err := lookupObject[*testObject](s, 0, key, TypeList); o != nil || err != nil {
		t.Fatalf("lookup of an absent key = %v, %v", o, err)
	}
	o, err := createObject(s, 0, key, TypeList, mk)
	if err != nil || o == nil {
		t.Fatalf("create = %v, %v", o, err)
	}
	o.elems = append(o.elems, "a")
	again, err := createObject(s, 0, key, TypeList, mk)
	if err != nil || again != o {
		t.Fatalf("create of an existing key made a new object: %p vs %p, %v", again, o, err)
	}
	if v := s.Peek(0, key); v.Type() != TypeList || v.Encoding() != "test" {
		t.Fatalf("type %v encoding %q", v.Type(), v.Encoding())
	}

	// COPY deep-copies the object.
	if ok, err := s.Copy(0, key, 1, key, false); !ok || err != nil {
		t.Fatalf("Copy = %v, %v", ok, err)
	}
	copied, _ := lookupObject[*testObject](s, 1, key, TypeList)
	copied.elems[0] = "changed"
	if o.elems[0] != "a" {
		t.Fatal("the copy shares its elements with the original")
	}

	s.SetString(0, []byte("str"), []byte("v"), 0, false)
	if _, err := lookupObject[*testObject](s, 0, []byte("str"), TypeList); !errors.Is(err, ErrWrongType) {
		t.Fatalf("lookup of a string as a list: %v, want ErrWrongType", err)
	}

	if s.DeleteIfEmpty(0, key) {
		t.Fatal("deleted a non-empty collection")
	}
	o.elems = nil
	if !s.DeleteIfEmpty(0, key) || s.Exists(0, key) {
		t.Fatal("an empty collection was not deleted")
	}
	if s.DeleteIfEmpty(0, []byte("str")) {
		t.Fatal("deleted a string")
	}
}
