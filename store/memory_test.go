package store

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestAllocSize(t *testing.T) {
	for _, tt := range []struct{ n, want int }{
		{0, 0}, {1, 8}, {8, 8}, {9, 16}, {33, 48}, {88, 96}, {1025, 1152},
		{32768, 32768}, {32769, 40960},
	} {
		if got := allocSize(tt.n); got != tt.want {
			t.Errorf("allocSize(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

// memoryShapes are the values of the MemoryUsage tests: fill makes key i of each.
var memoryShapes = []struct {
	name, encoding string
	fill           func(s *Store, key []byte, i int)
}{
	{"int", "int", func(s *Store, key []byte, i int) {
		s.SetString(0, key, []byte(strconv.Itoa(i+1_000_000)), 0, false)
	}},
	{"embstr", "embstr", func(s *Store, key []byte, i int) {
		s.SetString(0, key, []byte("val:"+strconv.Itoa(i)), 0, false)
	}},
	{"raw", "raw", func(s *Store, key []byte, i int) {
		s.SetString(0, key, []byte(strings.Repeat("v", 200)), 0, false)
	}},
	{"volatile", "embstr", func(s *Store, key []byte, i int) {
		s.SetString(0, key, []byte("val:"+strconv.Itoa(i)), nowMs()+3_600_000, false)
	}},
	{"list", "quicklist", func(s *Store, key []byte, i int) {
		l, _ := s.ListForWrite(0, key)
		for j := range 10 {
			l.PushRight([]byte("e" + strconv.Itoa(j)))
		}
	}},
	{"hash listpack", "listpack", func(s *Store, key []byte, i int) {
		h, _ := s.HashForWrite(0, key)
		for j := range 10 {
			h.Set([]byte("f"+strconv.Itoa(j)), []byte("v"+strconv.Itoa(j)))
		}
	}},
	{"hash hashtable", "hashtable", func(s *Store, key []byte, i int) {
		h, _ := s.HashForWrite(0, key)
		for j := range 600 {
			h.Set([]byte("field:"+strconv.Itoa(j)), []byte("value:"+strconv.Itoa(j)))
		}
	}},
	{"set intset", "intset", func(s *Store, key []byte, i int) {
		st, _ := s.SetForWrite(0, key)
		for j := range 10 {
			st.Add([]byte(strconv.Itoa(j)))
		}
	}},
	{"set hashtable", "hashtable", func(s *Store, key []byte, i int) {
		st, _ := s.SetForWrite(0, key)
		for j := range 10 {
			st.Add([]byte("m" + strconv.Itoa(j)))
		}
	}},
	{"zset listpack", "listpack", func(s *Store, key []byte, i int) {
		z, _ := s.ZSetForWrite(0, key, 6)
		for j := range 10 {
			z.Add([]byte("m"+strconv.Itoa(j)), float64(j), 0)
		}
	}},
	{"zset skiplist", "skiplist", func(s *Store, key []byte, i int) {
		z, _ := s.ZSetForWrite(0, key, 6)
		for j := range 200 {
			z.Add([]byte("member:"+strconv.Itoa(j)), float64(j), 0)
		}
	}},
}

// heapAlloc returns the bytes of live heap objects after a collection.
func heapAlloc() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// TestMemoryUsageMatchesHeap fills a store with many values of one shape and checks that
// MemoryUsage's estimate per key stays close to what the heap grew by per key.
func TestMemoryUsageMatchesHeap(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation sizes")
	}
	for _, shape := range memoryShapes {
		t.Run(shape.name, func(t *testing.T) {
			keys := 20000
			if shape.encoding == "hashtable" && shape.name == "hash hashtable" || shape.encoding == "skiplist" {
				keys = 300
			}
			names := make([][]byte, keys)
			for i := range names {
				// One slot, so that the per-slot tables' fixed cost is paid once.
				names[i] = []byte("{k}:" + strconv.Itoa(i))
			}
			s := New(1)
			before := heapAlloc()
			for i, k := range names {
				s.Lock([]int{ShardOf(k)})
				shape.fill(s, k, i)
				s.Unlock([]int{ShardOf(k)})
			}
			grown := float64(heapAlloc()-before) / float64(keys)
			var est float64
			s.LockAll()
			for _, k := range names {
				v := s.Peek(0, k)
				if got := v.Encoding(); got != shape.encoding {
					t.Fatalf("encoding %s, want %s", got, shape.encoding)
				}
				est += float64(v.MemoryUsage(0))
			}
			s.UnlockAll()
			est /= float64(keys)
			t.Logf("heap %.1f B/key, MemoryUsage %.1f B/key", grown, est)
			if est < grown*0.85 || est > grown*1.2 {
				t.Errorf("MemoryUsage %.1f B/key, heap grew %.1f B/key", est, grown)
			}
			runtime.KeepAlive(s)
		})
	}
}

func TestMemoryUsageSamples(t *testing.T) {
	s := New(1)
	key := []byte("h")
	h, _ := s.HashForWrite(0, key)
	h.Set([]byte("big"), []byte(strings.Repeat("x", 4000)))
	for j := range 600 {
		h.Set([]byte("f"+strconv.Itoa(j)), []byte("v"))
	}
	v := s.Peek(0, key)
	all, five, one := v.MemoryUsage(0), v.MemoryUsage(DefaultMemorySamples), v.MemoryUsage(1)
	// One sample sees only the big field and extrapolates it to every field; five dilute
	// it; all of them count it once.
	if !(one > five && five > all) {
		t.Errorf("MemoryUsage(1) = %d, (5) = %d, (0) = %d: want decreasing", one, five, all)
	}
	if v.MemoryUsage(601) != all || v.MemoryUsage(-1) != all {
		t.Errorf("samples beyond the count or negative should measure everything")
	}

	// Strings grow with their length and take the size classes' steps.
	set(s, 0, "a", "x")
	set(s, 0, "b", strings.Repeat("x", 100))
	set(s, 0, "c", strings.Repeat("x", 1000))
	a, b, c := s.Peek(0, []byte("a")).MemoryUsage(5), s.Peek(0, []byte("b")).MemoryUsage(5), s.Peek(0, []byte("c")).MemoryUsage(5)
	if !(a < b && b < c) || c-a < 1000 {
		t.Errorf("string usage %d, %d, %d: want increasing by at least the length", a, b, c)
	}
}
