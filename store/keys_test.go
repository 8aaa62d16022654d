package store

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestLazyExpiry(t *testing.T) {
	tests := []struct {
		name string
		op   func(s *Store, k []byte) bool // reports whether it saw the key
	}{
		{"Lookup", func(s *Store, k []byte) bool { return s.Lookup(0, k) != nil }},
		{"Peek", func(s *Store, k []byte) bool { return s.Peek(0, k) != nil }},
		{"Exists", func(s *Store, k []byte) bool { return s.Exists(0, k) }},
		{"Delete", func(s *Store, k []byte) bool { return s.Delete(0, k) }},
		{"SetExpire", func(s *Store, k []byte) bool { return s.SetExpire(0, k, in(time.Hour)) }},
		{"Persist", func(s *Store, k []byte) bool { return s.Persist(0, k) }},
		{"Rename", func(s *Store, k []byte) bool { _, err := s.Rename(0, k, []byte("x"), false); return err == nil }},
		{"Copy", func(s *Store, k []byte) bool { ok, _ := s.Copy(0, k, 0, []byte("x"), false); return ok }},
		{"Move", func(s *Store, k []byte) bool { return s.Move(0, 1, k) }},
		{"IncrBy", func(s *Store, k []byte) bool { n, _ := s.IncrBy(0, k, 1); return n != 1 }},
		{"Append", func(s *Store, k []byte) bool { n, _ := s.Append(0, k, []byte("x")); return n != 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := New(2)
				k := []byte("k")
				s.SetString(0, k, []byte("1"), in(time.Second), false)
				time.Sleep(time.Second)
				// Expiry is strictly after the deadline.
				if !s.Exists(0, k) {
					t.Fatal("key expired at its deadline")
				}
				time.Sleep(time.Millisecond)
				if tt.op(s, k) {
					t.Fatalf("%s saw an expired key", tt.name)
				}
				if got := s.Stats().ExpiredKeys; got != 1 {
					t.Fatalf("expired keys = %d, want 1", got)
				}
				checkCounts(t, s, 0)
				checkCounts(t, s, 1)
			})
		})
	}
}

func TestLookupPeekExists(t *testing.T) {
	s := New(1)
	k := []byte("k")
	if s.Lookup(0, k) != nil || s.Peek(0, k) != nil || s.Exists(0, k) {
		t.Fatal("absent key found")
	}
	set(s, 0, "k", "v")
	if v := s.Lookup(0, k); v == nil || string(v.AppendString(nil)) != "v" {
		t.Fatal("Lookup missed the key")
	}
	if s.Peek(0, k) == nil || !s.Exists(0, k) {
		t.Fatal("Peek or Exists missed the key")
	}
	// Peek does not count as an access, Lookup does.
	f := s.Peek(0, k).Freq()
	s.Peek(0, k)
	s.Exists(0, k)
	if s.Peek(0, k).Freq() != f {
		t.Fatal("Peek or Exists touched the key")
	}
}

func TestDelete(t *testing.T) {
	s := New(1)
	set(s, 0, "k", "v")
	if !s.Delete(0, []byte("k")) || s.Exists(0, []byte("k")) {
		t.Fatal("Delete failed")
	}
	if s.Delete(0, []byte("k")) {
		t.Fatal("Delete of an absent key reported true")
	}
	s.SetString(0, []byte("v"), []byte("x"), in(time.Hour), false)
	s.Delete(0, []byte("v"))
	checkCounts(t, s, 0)
	if s.DBSize(0) != 0 {
		t.Fatalf("DBSize = %d after deleting everything", s.DBSize(0))
	}
}

func TestSetExpirePersist(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(1)
		k := []byte("k")
		if s.SetExpire(0, k, in(time.Hour)) || s.Persist(0, k) {
			t.Fatal("TTL set on an absent key")
		}
		set(s, 0, "k", "v")
		if s.Persist(0, k) {
			t.Fatal("Persist of a key without TTL reported true")
		}
		at := in(time.Hour)
		if !s.SetExpire(0, k, at) || ttl(s, 0, "k") != at {
			t.Fatal("SetExpire failed")
		}
		at2 := in(2 * time.Hour)
		if !s.SetExpire(0, k, at2) || ttl(s, 0, "k") != at2 {
			t.Fatal("SetExpire did not move the deadline")
		}
		checkCounts(t, s, 0)
		if !s.Persist(0, k) || ttl(s, 0, "k") != 0 {
			t.Fatal("Persist failed")
		}
		checkCounts(t, s, 0)
		// A deadline not after now deletes the key without counting an
		// expiry.
		if !s.SetExpire(0, k, nowMs()) || s.Exists(0, k) {
			t.Fatal("SetExpire in the past kept the key")
		}
		set(s, 0, "k", "v")
		if !s.SetExpire(0, k, 0) || s.Exists(0, k) {
			t.Fatal("SetExpire at 0 kept the key")
		}
		if got := s.Stats().ExpiredKeys; got != 0 {
			t.Fatalf("expired keys = %d, want 0", got)
		}
		checkCounts(t, s, 0)
		// The key expires at the deadline.
		set(s, 0, "k", "v")
		s.SetExpire(0, k, in(time.Minute))
		time.Sleep(time.Minute + time.Millisecond)
		if s.Exists(0, k) {
			t.Fatal("key outlived its deadline")
		}
	})
}

func TestRename(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Keys in different shards.
		src, dst := []byte("foo"), []byte("bar")
		if ShardOf(src) == ShardOf(dst) {
			t.Fatal("test keys share a shard")
		}
		tests := []struct {
			name    string
			dstVal  string // "" for absent
			nx      bool
			ok      bool
			wantSrc string
			wantDst string
			srcTTL  int64
		}{
			{"plain", "", false, true, "<nil>", "a", 0},
			{"replace", "b", false, true, "<nil>", "a", 0},
			{"nx free", "", true, true, "<nil>", "a", 0},
			{"nx taken", "b", true, false, "a", "b", 0},
			{"ttl", "b", false, true, "<nil>", "a", in(time.Hour)},
		}
		for _, tt := range tests {
			s := New(1)
			s.SetString(0, src, []byte("a"), tt.srcTTL, false)
			if tt.dstVal != "" {
				s.SetString(0, dst, []byte(tt.dstVal), in(time.Minute), false)
			}
			ok, err := s.Rename(0, src, dst, tt.nx)
			if ok != tt.ok || err != nil {
				t.Errorf("%s: Rename = %v, %v", tt.name, ok, err)
			}
			if str(s, 0, "foo") != tt.wantSrc || str(s, 0, "bar") != tt.wantDst {
				t.Errorf("%s: src %q dst %q", tt.name, str(s, 0, "foo"), str(s, 0, "bar"))
			}
			if tt.ok && ttl(s, 0, "bar") != tt.srcTTL {
				t.Errorf("%s: dst TTL %d, want %d", tt.name, ttl(s, 0, "bar"), tt.srcTTL)
			}
			checkCounts(t, s, 0)
		}
		s := New(1)
		if _, err := s.Rename(0, src, dst, false); err != ErrNoSuchKey {
			t.Fatalf("Rename of an absent key: %v", err)
		}
		set(s, 0, "foo", "a")
		if ok, err := s.Rename(0, src, src, false); !ok || err != nil || str(s, 0, "foo") != "a" {
			t.Fatal("RENAME k k failed")
		}
		if ok, err := s.Rename(0, src, src, true); ok || err != nil || str(s, 0, "foo") != "a" {
			t.Fatal("RENAMENX k k did not reply 0")
		}
		// The renamed key expires on schedule.
		s.SetExpire(0, src, in(time.Second))
		s.Rename(0, src, dst, false)
		time.Sleep(2 * time.Second)
		if s.Exists(0, dst) || s.DBSize(0) != 0 {
			t.Fatal("renamed key outlived its TTL")
		}
	})
}

func TestCopy(t *testing.T) {
	s := New(2)
	src, dst := []byte("foo"), []byte("bar")
	if ok, err := s.Copy(0, src, 0, dst, false); ok || err != nil {
		t.Fatal("Copy of an absent key succeeded")
	}
	at := in(time.Hour)
	s.SetString(0, src, []byte("hello"), at, false)
	s.Append(0, src, []byte("!"))
	if ok, _ := s.Copy(0, src, 0, src, true); ok {
		t.Fatal("Copy onto itself succeeded")
	}
	if ok, err := s.Copy(0, src, 0, dst, false); !ok || err != nil {
		t.Fatal("Copy failed")
	}
	if str(s, 0, "bar") != "hello!" || ttl(s, 0, "bar") != at || enc(s, 0, "bar") != "raw" {
		t.Fatalf("copy is %s %q ttl %d", enc(s, 0, "bar"), str(s, 0, "bar"), ttl(s, 0, "bar"))
	}
	// The copy is deep.
	s.SetRange(0, src, 0, []byte("J"))
	if str(s, 0, "bar") != "hello!" {
		t.Fatal("copy shares memory with the original")
	}
	if ok, _ := s.Copy(0, src, 0, dst, false); ok || str(s, 0, "bar") != "hello!" {
		t.Fatal("Copy without REPLACE overwrote the destination")
	}
	if ok, _ := s.Copy(0, src, 0, dst, true); !ok || str(s, 0, "bar") != "Jello!" {
		t.Fatal("Copy with REPLACE failed")
	}
	// Across databases, and to the same key name.
	set(s, 0, "n", "42")
	if ok, _ := s.Copy(0, []byte("n"), 1, []byte("n"), false); !ok || str(s, 1, "n") != "42" || enc(s, 1, "n") != "int" || ttl(s, 1, "n") != 0 {
		t.Fatal("Copy to db 1 failed")
	}
	checkCounts(t, s, 0)
	checkCounts(t, s, 1)
}

func TestMove(t *testing.T) {
	s := New(2)
	k := []byte("k")
	if s.Move(0, 1, k) {
		t.Fatal("Move of an absent key succeeded")
	}
	at := in(time.Hour)
	s.SetString(0, k, []byte("v"), at, false)
	if s.Move(0, 0, k) {
		t.Fatal("Move to the same db succeeded")
	}
	if !s.Move(0, 1, k) || s.Exists(0, k) || str(s, 1, "k") != "v" || ttl(s, 1, "k") != at {
		t.Fatal("Move failed")
	}
	set(s, 0, "k", "w")
	if s.Move(0, 1, k) || str(s, 0, "k") != "w" || str(s, 1, "k") != "v" {
		t.Fatal("Move onto an existing key succeeded")
	}
	checkCounts(t, s, 0)
	checkCounts(t, s, 1)
}
