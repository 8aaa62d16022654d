package store

import "unsafe"

// DefaultMemorySamples is the number of nested elements MEMORY USAGE samples when its
// SAMPLES option is not given.
const DefaultMemorySamples = 5

// MemoryUsage estimates the bytes the value and its key take in memory, as MEMORY USAGE
// reports them: the value's own structures, its key, its share of the keyspace table and
// the data, each allocation rounded up to the Go allocator's size class. Elements held in
// one block (a listpack, an intset, a list node) are counted exactly; for collections that
// allocate per element, samples elements are measured and their average multiplied by the
// element count, as Redis does; samples <= 0 measures every element. The caller must hold
// the key's shard lock.
func (v *Value) MemoryUsage(samples int) int {
	n := valueBytes + tableEntryBytes + v.ownBytes()
	if v.typ != TypeString {
		if obj := v.object(); obj != nil {
			n += obj.memoryUsage(samples)
		}
	}
	return n
}

// valueBytes is the allocation of a Value.
var valueBytes = allocSize(int(unsafe.Sizeof(Value{})))

// goSizeClasses are the object sizes of the Go allocator's small size classes
// (internal/runtime/gc's SizeClassToSize, without class 0).
var goSizeClasses = [...]uint16{8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192,
	208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024,
	1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144,
	6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072,
	20480, 21760, 24576, 27264, 28672, 32768}

// allocSize returns the bytes the Go allocator takes for an allocation of n bytes: the
// size class it falls in, or whole 8 KiB pages beyond the largest class.
func allocSize(n int) int {
	if n <= 0 {
		return 0
	}
	if n > int(goSizeClasses[len(goSizeClasses)-1]) {
		return (n + 8191) &^ 8191
	}
	lo, hi := 0, len(goSizeClasses)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if int(goSizeClasses[mid]) < n {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return int(goSizeClasses[lo])
}

// bytesSize returns the bytes a copied string or byte slice of n bytes takes: pointer-free
// blocks under 16 bytes share the allocator's tiny blocks, so they cost about their length.
func bytesSize(n int) int {
	if n < 16 {
		return n
	}
	return allocSize(n)
}

// goMapSize estimates the bytes of a Go map of n entries whose key and element take slot
// bytes together: the map header plus groups of 8 slots and 8 control bytes, at a load of
// at most 7/8 and a power-of-two capacity.
func goMapSize(n, slot int) int {
	const header = 48
	if n == 0 {
		return header
	}
	capacity := 8
	for capacity*7/8 < n {
		capacity *= 2
	}
	groups := capacity / 8
	if groups == 1 {
		return header + allocSize(8+8*slot)
	}
	// A table struct and a directory of one table besides the groups.
	return header + 32 + 8 + groups*(8+8*slot)
}

// sampled returns the estimated total of count elements from sizes measured on the first
// of them (all when samples <= 0): each calls fn until fn returns false, fn(size) adding
// one element's size. The average of the measured elements is multiplied by count.
func sampled(count, samples int, each func(fn func(size int) bool)) int {
	if count == 0 {
		return 0
	}
	if samples <= 0 || samples > count {
		samples = count
	}
	total, seen := 0, 0
	each(func(size int) bool {
		total += size
		seen++
		return seen < samples
	})
	if seen == 0 {
		return 0
	}
	return int(float64(total) / float64(seen) * float64(count))
}

// memoryUsage of a list: the List, its node ring and every node, each one allocation.
func (l *List) memoryUsage(samples int) int {
	n := allocSize(int(unsafe.Sizeof(*l))) + allocSize(len(l.nodes)*int(unsafe.Sizeof([]byte(nil))))
	if l.cur != nil {
		n += allocSize(int(unsafe.Sizeof(*l.cur)))
	}
	return n + sampled(int(l.nn), samples, func(fn func(int) bool) {
		for k := range int(l.nn) {
			if !fn(allocSize(cap(l.node(k)))) {
				return
			}
		}
	})
}

// memoryUsage of a hash: the Hash and its listpack, or its table of entries, its index
// and the field and value strings.
func (h *Hash) memoryUsage(samples int) int {
	n := allocSize(int(unsafe.Sizeof(*h)))
	t := h.table()
	if t == nil {
		return n + bytesSize(int(h.room))
	}
	n += allocSize(int(unsafe.Sizeof(*t))) + allocSize(cap(t.entries)*int(unsafe.Sizeof(HashEntry{})))
	n += goMapSize(len(t.entries), int(unsafe.Sizeof(""))+int(unsafe.Sizeof(0)))
	return n + sampled(len(t.entries), samples, func(fn func(int) bool) {
		for _, e := range t.entries {
			if !fn(bytesSize(len(e.Field)) + bytesSize(len(e.Value))) {
				return
			}
		}
	})
}

// memoryUsage of a set: the Set and its table's index and arena, which hold every
// member (an intset's too), so nothing needs sampling.
func (st *Set) memoryUsage(int) int {
	return allocSize(int(unsafe.Sizeof(*st))) + st.tab.memoryUsage()
}

// memoryUsage of a sorted set: the ZSet and its listpack, or its skiplist nodes, their
// member strings and the member → score map.
func (z *ZSet) memoryUsage(samples int) int {
	n := allocSize(int(unsafe.Sizeof(*z)))
	if z.sl == nil {
		return n + bytesSize(int(z.room))
	}
	levelSize := int(unsafe.Sizeof(slLevel{}))
	nodeSize := allocSize(int(unsafe.Sizeof(slNode{})))
	n += allocSize(int(unsafe.Sizeof(*z.sl))) + allocSize(int(unsafe.Sizeof(skiplist{})))
	n += nodeSize + allocSize(skiplistMaxLevel*levelSize) // the header
	n += goMapSize(z.sl.length, int(unsafe.Sizeof(""))+8)
	return n + sampled(z.sl.length, samples, func(fn func(int) bool) {
		for x := z.sl.header.level[0].forward; x != nil; x = x.level[0].forward {
			if !fn(nodeSize + allocSize(len(x.level)*levelSize) + bytesSize(len(x.member))) {
				return
			}
		}
	})
}
