package store

import (
	"fmt"
	"testing"
	"time"
)

func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	s := New(1)
	key := []byte("user:1000")
	vol := []byte("session:1")
	val := []byte("some value of moderate length")
	set(s, 0, "user:1000", string(val))
	s.SetString(0, vol, val, in(time.Hour), false)
	dst := make([]byte, 0, 64)
	tests := []struct {
		name string
		fn   func()
	}{
		{"Lookup+AppendString", func() { dst = s.Lookup(0, key).AppendString(dst[:0]) }},
		{"Lookup volatile", func() { dst = s.Lookup(0, vol).AppendString(dst[:0]) }},
		{"Lookup int", func() { s.SetString(0, key, []byte("12345"), 0, false); dst = s.Lookup(0, key).AppendString(dst[:0]) }},
		{"Lookup absent", func() { s.Lookup(0, []byte("nope")) }},
		{"SetString overwrite", func() { s.SetString(0, key, val, 0, false) }},
		{"SetString overwrite TTL", func() { s.SetString(0, vol, val, in(time.Hour), false) }},
		{"SetString overwrite KEEPTTL", func() { s.SetString(0, vol, val, 0, true) }},
		{"IncrBy", func() { s.IncrBy(0, []byte("counter"), 1) }},
		{"Exists", func() { s.Exists(0, key) }},
		{"Peek+StrLen", func() { s.Peek(0, key).StrLen() }},
	}
	for _, tt := range tests {
		tt.fn() // create what the first call creates
		if n := testing.AllocsPerRun(1000, tt.fn); n != 0 {
			t.Errorf("%s: %v allocations, want 0", tt.name, n)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	s := New(16)
	for i := range 10000 {
		set(s, 0, fmt.Sprintf("key:%d", i), "some value")
	}
	key := []byte("key:1234")
	sh := []int{ShardOf(key)}
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		s.Lock(sh)
		dst = s.Lookup(0, key).AppendString(dst[:0])
		s.Unlock(sh)
	}
}

func BenchmarkSetString(b *testing.B) {
	s := New(16)
	key := []byte("key:1234")
	val := []byte("some value")
	sh := []int{ShardOf(key)}
	b.ReportAllocs()
	for b.Loop() {
		s.Lock(sh)
		s.SetString(0, key, val, 0, false)
		s.Unlock(sh)
	}
}

func BenchmarkSetStringNew(b *testing.B) {
	s := New(16)
	keys := make([][]byte, 1<<16)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "key:%d", i)
	}
	val := []byte("some value")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := keys[i&(len(keys)-1)]
		if i&(len(keys)-1) == 0 {
			s.LockAll()
			s.FlushAll()
			s.UnlockAll()
		}
		s.SetString(0, k, val, 0, false)
		i++
	}
}

func BenchmarkLookupParallel(b *testing.B) {
	s := New(16)
	keys := make([][]byte, 10000)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "key:%d", i)
		s.SetString(0, keys[i], []byte("some value"), 0, false)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		dst := make([]byte, 0, 64)
		sh := make([]int, 1)
		i := 0
		for pb.Next() {
			k := keys[i%len(keys)]
			sh[0] = ShardOf(k)
			s.Lock(sh)
			dst = s.Lookup(0, k).AppendString(dst[:0])
			s.Unlock(sh)
			i += 7
		}
	})
}

func BenchmarkIncrByFloat(b *testing.B) {
	s := New(1)
	key := []byte("f")
	incr := []byte("0.1")
	b.ReportAllocs()
	for b.Loop() {
		s.IncrByFloat(0, key, incr)
	}
}
