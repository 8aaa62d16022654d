package store

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strings"
	"unsafe"
)

// ErrScoreNaN is returned when a sorted-set score update would produce NaN (inf + -inf).
var ErrScoreNaN = errors.New("resulting score is not a number (NaN)")

// ZEntry is one element of a sorted set.
type ZEntry struct {
	Member string
	Score  float64
}

// ZSet is a sorted set: members ordered by score, then by their bytes. Like Redis it starts
// in the compact "listpack" encoding (here one sorted byte buffer, see [zsetAppend]) and
// converts, never back, to the
// "skiplist" encoding (a skiplist with spans plus a member → score map) when it grows past
// zset-max-listpack-entries elements or gets a member longer than zset-max-listpack-value
// bytes.
//
// Positions are 0-based ranks in ascending order. Member strings passed to callbacks are
// owned by the set: valid while the caller holds the key's shard lock.
type ZSet struct {
	lim *Store // source of the encoding limits
	// The listpack encoding: data[:size] holds uvarint(n) then n entries in order, in a
	// buffer of room bytes. Entry bytes once written are never changed (a change builds a
	// new buffer, but for an entry appended at the end into the spare room), so member
	// strings handed out point into it safely. Unused once sl is set.
	data       *byte
	size, room uint32
	sl         *zsetSkip // skiplist encoding
}

// zsetSkip is the skiplist encoding: the skiplist plus a member → score map.
type zsetSkip struct {
	*skiplist
	dict map[string]float64
}

// A listpack entry is uvarint(len(member)), the member's bytes, then the score: uvarint
// (zigzag(i) << 1) for a score equal to the integer i with |i| ≤ 2⁵³, or the byte 1
// followed by the 8 little-endian bytes of its IEEE 754 bits.

// zsetMinRoom is the least room of a listpack buffer an insertion builds.
const zsetMinRoom = 32

// zsetIntMax bounds the integer scores stored in their short form.
const zsetIntMax = 1 << 53

// zsetEntrySize returns the encoded size of an entry.
func zsetEntrySize(member int, score float64) int {
	n := uvarintLen(member) + member
	if h, ok := zsetScoreHeader(score); ok {
		return n + listUvarintLen(h)
	}
	return n + 9
}

// zsetScoreHeader returns the short form of score and whether it has one.
func zsetScoreHeader(score float64) (uint64, bool) {
	if score != math.Trunc(score) || score > zsetIntMax || score < -zsetIntMax {
		return 0, false
	}
	i := int64(score)
	return (uint64(i<<1) ^ uint64(i>>63)) << 1, true
}

// zsetAppend appends the entry (member, score) to b.
func zsetAppend[M string | []byte](b []byte, member M, score float64) []byte {
	b = binary.AppendUvarint(b, uint64(len(member)))
	b = append(b, member...)
	if h, ok := zsetScoreHeader(score); ok {
		return binary.AppendUvarint(b, h)
	}
	b = append(b, 1)
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(score))
}

// zsetDecode decodes the entry at b[off:] and returns it with the offset of the next one.
// The member points into b.
func zsetDecode(b []byte, off int) (member string, score float64, next int) {
	n, w := binary.Uvarint(b[off:])
	off += w
	if n > 0 {
		member = unsafe.String(&b[off], int(n))
	}
	off += int(n)
	h, w := binary.Uvarint(b[off:])
	off += w
	if h&1 == 0 {
		zz := h >> 1
		return member, float64(int64(zz>>1) ^ -int64(zz&1)), off
	}
	return member, math.Float64frombits(binary.LittleEndian.Uint64(b[off:])), off + 8
}

// full returns the listpack buffer, header included.
func (z *ZSet) full() []byte {
	if z.data == nil {
		return nil
	}
	return unsafe.Slice(z.data, z.room)[:z.size]
}

// lp returns the entries of the listpack buffer.
func (z *ZSet) lp() []byte {
	b := z.full()
	_, w := binary.Uvarint(b)
	return b[w:]
}

// lpLen returns the number of entries of the listpack.
func (z *ZSet) lpLen() int {
	n, _ := binary.Uvarint(z.full())
	return int(n)
}

// setLP makes b, made by zsetNewBuf, the listpack buffer; nil or a header alone for none.
func (z *ZSet) setLP(b []byte) {
	z.data, z.size, z.room = nil, 0, 0
	if len(b) > 1 {
		z.data, z.size, z.room = unsafe.SliceData(b), uint32(len(b)), uint32(cap(b))
	}
}

// zsetNewBuf returns a new listpack buffer holding the header of n entries, with room for
// need more bytes rounded up to its allocation's size class (and at least zsetMinRoom, for
// fewer regrowths).
func zsetNewBuf(n, need int) []byte {
	need += uvarintLen(n)
	b := append([]byte(nil), make([]byte, max(need, zsetMinRoom))...)[:0]
	return binary.AppendUvarint(b, uint64(n))
}

// lpOffset returns the offset of the entry of rank r (the buffer's size for r = n).
func (z *ZSet) lpOffset(r int) int {
	b := z.lp()
	off := 0
	for ; r > 0; r-- {
		_, _, off = zsetDecode(b, off)
	}
	return off
}

// lpCut drops the entries from offset from to offset to of the listpack, which then holds
// n entries.
func (z *ZSet) lpCut(from, to, n int) {
	b := z.lp()
	out := zsetNewBuf(n, len(b)-(to-from))
	z.setLP(append(append(out, b[:from]...), b[to:]...))
}

// ZAddFlags are the options of ZADD.
type ZAddFlags uint8

// ZADD options.
const (
	ZAddNX ZAddFlags = 1 << iota
	ZAddXX
	ZAddGT
	ZAddLT
	ZAddIncr
)

// ZAddResult says what [ZSet.Add] did.
type ZAddResult uint8

// Results of [ZSet.Add].
const (
	ZAddNop     ZAddResult = iota // nothing changed (NX, XX, GT or LT said no, or same score)
	ZAddAdded                     // a new member was added
	ZAddUpdated                   // the score of a member changed
	ZAddSame                      // the member was given the score it had
)

// Len returns the number of members.
func (z *ZSet) Len() int {
	if z.sl != nil {
		return z.sl.length
	}
	return z.lpLen()
}

// Encoding returns "listpack" or "skiplist".
func (z *ZSet) Encoding() string {
	if z.sl != nil {
		return "skiplist"
	}
	return "listpack"
}

func (z *ZSet) clone() object {
	c := &ZSet{lim: z.lim}
	if z.sl == nil {
		c.setLP(slices.Clone(z.full()))
		return c
	}
	c.sl = &zsetSkip{skiplist: newSkiplist(), dict: make(map[string]float64, len(z.sl.dict))}
	for x := z.sl.header.level[0].forward; x != nil; x = x.level[0].forward {
		c.sl.insert(x.score, x.member)
		c.sl.dict[x.member] = x.score
	}
	return c
}

// ZSet returns the sorted set at key, nil when the key is absent, or ErrWrongType. The
// caller must hold the key's shard lock.
func (s *Store) ZSet(db int, key []byte) (*ZSet, error) {
	return lookupObject[*ZSet](s, db, key, TypeZSet)
}

// ZSetForWrite returns the sorted set at key, creating an empty one when the key is absent,
// or ErrWrongType. firstLen is the length of the first member the caller will add: Redis
// creates the set in the skiplist encoding when it exceeds zset-max-listpack-value (or when
// zset-max-listpack-entries is 0). The caller must hold the key's shard lock, and must add
// a member or call [Store.DeleteIfEmpty].
func (s *Store) ZSetForWrite(db int, key []byte, firstLen int) (*ZSet, error) {
	return createObject(s, db, key, TypeZSet, func() *ZSet {
		l := s.Limits()
		z := &ZSet{lim: s}
		if l.ZSetMaxListpackEntries == 0 || int64(firstLen) > l.ZSetMaxListpackValue {
			z.toSkiplist()
		}
		return z
	})
}

// SetZSet stores at key, replacing any value and TTL, a sorted set of the given distinct
// members (in any order), encoded as Redis encodes the result of ZUNIONSTORE and the like:
// listpack when it is within both limits. An empty entries deletes key. The entries slice
// is reordered. The caller must hold the key's shard lock.
func (s *Store) SetZSet(db int, key []byte, entries []ZEntry) {
	d, i, old := s.find(db, key, 0)
	if len(entries) == 0 {
		if old != nil {
			d.remove(i, old)
		}
		return
	}
	slices.SortFunc(entries, compareEntries)
	z := &ZSet{lim: s}
	l := s.Limits()
	small := int64(len(entries)) <= l.ZSetMaxListpackEntries
	for _, e := range entries {
		if int64(len(e.Member)) > l.ZSetMaxListpackValue {
			small = false
		}
	}
	if small {
		size := 0
		for _, e := range entries {
			size += zsetEntrySize(len(e.Member), e.Score)
		}
		b := zsetNewBuf(len(entries), size)
		for _, e := range entries {
			b = zsetAppend(b, e.Member, e.Score) // -0 is stored as the integer 0
		}
		z.setLP(b)
	} else {
		z.sl = &zsetSkip{skiplist: newSkiplist(), dict: make(map[string]float64, len(entries))}
		for _, e := range entries {
			z.sl.insert(e.Score, e.Member)
			z.sl.dict[e.Member] = e.Score
		}
	}
	v := newValue(key, TypeZSet, 0)
	v.setObject(z)
	v.init(nowMs())
	d.replace(i, old, v)
}

func compareEntries(a, b ZEntry) int {
	switch {
	case a.Score < b.Score:
		return -1
	case a.Score > b.Score:
		return 1
	}
	return strings.Compare(a.Member, b.Member)
}

// toSkiplist converts a listpack set to the skiplist encoding.
func (z *ZSet) toSkiplist() {
	b := z.lp()
	z.sl = &zsetSkip{skiplist: newSkiplist(), dict: make(map[string]float64, z.lpLen()+1)}
	for off := 0; off < len(b); {
		m, sc, next := zsetDecode(b, off)
		m = strings.Clone(m)
		z.sl.insert(sc, m)
		z.sl.dict[m] = sc
		off = next
	}
	z.setLP(nil)
}

// lpFind returns the rank of member in the listpack, or -1, with its score and the
// offsets of its entry and of the next one.
func (z *ZSet) lpFind(member []byte) (rank int, score float64, off, next int) {
	b := z.lp()
	for i := 0; off < len(b); i++ {
		m, sc, nx := zsetDecode(b, off)
		if m == string(member) {
			return i, sc, off, nx
		}
		off = nx
	}
	return -1, 0, 0, 0
}

// lpInsert inserts (member, score) in order into the listpack b, which holds n entries and
// from which the bytes from offset from to offset to are dropped first (the entry an update
// replaces; from = to for none). A listpack keeps a score of -0 as the integer 0, as Redis's
// does.
func (z *ZSet) lpInsert(b []byte, n, from, to int, member []byte, score float64) {
	var tmp [80]byte
	ent := zsetAppend(tmp[:0], member, score)
	at := 0
	for off := 0; off < len(b); {
		m, sc, next := zsetDecode(b, off)
		if off != from || from == to {
			if sc > score || sc == score && m > string(member) {
				break
			}
		}
		off = next
		at = off
	}
	if full := z.full(); from == to && at == len(b) && len(full)+len(ent) <= cap(full) &&
		uvarintLen(n) == uvarintLen(n-1) {
		// The header and the spare room are no member's.
		binary.PutUvarint(full, uint64(n))
		z.setLP(append(full, ent...))
		return
	}
	// Build old[:at] + ent + old[at:] without the bytes from..to.
	out := zsetNewBuf(n, len(b)-(to-from)+len(ent))
	switch {
	case from == to:
		out = append(append(append(out, b[:at]...), ent...), b[at:]...)
	case at <= from:
		out = append(append(append(append(out, b[:at]...), ent...), b[at:from]...), b[to:]...)
	default: // at ≥ to
		out = append(append(append(append(out, b[:from]...), b[to:at]...), ent...), b[at:]...)
	}
	z.setLP(out)
}

// Score returns the score of member.
func (z *ZSet) Score(member []byte) (float64, bool) {
	if z.sl != nil {
		sc, ok := z.sl.dict[string(member)]
		return sc, ok
	}
	if i, sc, _, _ := z.lpFind(member); i >= 0 {
		return sc, true
	}
	return 0, false
}

// Add adds member with score, or updates its score, as Redis's zsetAdd does with the ZADD
// options in flags: with ZAddIncr, score is added to the current score. It returns the
// member's score afterwards (meaningful unless the result is ZAddNop with the member
// absent) and ErrScoreNaN when score or the incremented score is NaN.
func (z *ZSet) Add(member []byte, score float64, flags ZAddFlags) (float64, ZAddResult, error) {
	if math.IsNaN(score) {
		return 0, ZAddNop, ErrScoreNaN
	}
	cur, exists := z.Score(member)
	if exists {
		if flags&ZAddNX != 0 {
			return cur, ZAddNop, nil
		}
		if flags&ZAddIncr != 0 {
			score += cur
			if math.IsNaN(score) {
				return 0, ZAddNop, ErrScoreNaN
			}
		}
		if flags&ZAddLT != 0 && score >= cur || flags&ZAddGT != 0 && score <= cur {
			return cur, ZAddNop, nil
		}
		if score == cur {
			return score, ZAddSame, nil
		}
		if z.sl != nil {
			z.sl.updateScore(cur, string(member), score)
			z.sl.dict[string(member)] = score
		} else {
			_, _, off, next := z.lpFind(member)
			z.lpInsert(z.lp(), z.lpLen(), off, next, member, score)
		}
		return score, ZAddUpdated, nil
	}
	if flags&ZAddXX != 0 {
		return 0, ZAddNop, nil
	}
	if z.sl == nil {
		l := z.lim.Limits()
		if int64(z.lpLen()+1) > l.ZSetMaxListpackEntries || int64(len(member)) > l.ZSetMaxListpackValue {
			z.toSkiplist()
		}
	}
	if z.sl != nil {
		m := string(member)
		z.sl.insert(score, m)
		z.sl.dict[m] = score
	} else {
		z.lpInsert(z.lp(), z.lpLen()+1, 0, 0, member, score)
	}
	return score, ZAddAdded, nil
}

// Remove deletes member and reports whether it was present.
func (z *ZSet) Remove(member []byte) bool {
	if z.sl != nil {
		sc, ok := z.sl.dict[string(member)]
		if !ok {
			return false
		}
		z.sl.remove(sc, string(member))
		delete(z.sl.dict, string(member))
		return true
	}
	if i, _, off, next := z.lpFind(member); i >= 0 {
		z.lpCut(off, next, z.lpLen()-1)
		return true
	}
	return false
}

// Rank returns the 0-based ascending rank of member and its score.
func (z *ZSet) Rank(member []byte) (int, float64, bool) {
	if z.sl != nil {
		sc, ok := z.sl.dict[string(member)]
		if !ok {
			return 0, 0, false
		}
		return z.sl.rank(sc, string(member)) - 1, sc, true
	}
	if i, sc, _, _ := z.lpFind(member); i >= 0 {
		return i, sc, true
	}
	return 0, 0, false
}

// At returns the element of rank r, which must be in [0, Len()).
func (z *ZSet) At(r int) (string, float64) {
	if z.sl != nil {
		x := z.sl.byRank(r + 1)
		return x.member, x.score
	}
	m, sc, _ := zsetDecode(z.lp(), z.lpOffset(r))
	return m, sc
}

// Range calls fn with the elements of ranks first..last (inclusive, within [0, Len())), in
// ascending order, or descending from last to first when rev is set.
func (z *ZSet) Range(first, last int, rev bool, fn func(member string, score float64)) {
	if first > last {
		return
	}
	if z.sl == nil {
		b := z.lp()
		off := z.lpOffset(first)
		if rev {
			var buf [64]int
			offs := buf[:0]
			for i := first; i <= last; i++ {
				offs = append(offs, off)
				_, _, off = zsetDecode(b, off)
			}
			for i := len(offs) - 1; i >= 0; i-- {
				m, sc, _ := zsetDecode(b, offs[i])
				fn(m, sc)
			}
			return
		}
		for i := first; i <= last; i++ {
			m, sc, next := zsetDecode(b, off)
			fn(m, sc)
			off = next
		}
		return
	}
	if rev {
		x := z.sl.byRank(last + 1)
		for i := last; i >= first; i-- {
			fn(x.member, x.score)
			x = x.backward
		}
		return
	}
	x := z.sl.byRank(first + 1)
	for i := first; i <= last; i++ {
		fn(x.member, x.score)
		x = x.level[0].forward
	}
}

// ScoreRange is a score interval as ZRANGEBYSCORE takes it: "(" makes a bound exclusive.
type ScoreRange struct {
	Min, Max     float64
	MinEx, MaxEx bool
}

func (r *ScoreRange) aboveMin(v float64) bool {
	if r.MinEx {
		return v > r.Min
	}
	return v >= r.Min
}

func (r *ScoreRange) belowMax(v float64) bool {
	if r.MaxEx {
		return v < r.Max
	}
	return v <= r.Max
}

// empty reports whether no score can be in r, as Redis's zslIsInRange checks first.
func (r *ScoreRange) empty() bool {
	return r.Min > r.Max || r.Min == r.Max && (r.MinEx || r.MaxEx)
}

// LexBound is one end of a lexicographic range: "-" (Inf -1), "+" (Inf 1), "[value" or
// "(value" (Ex).
type LexBound struct {
	Value string
	Inf   int8
	Ex    bool
}

// LexRange is a member interval as ZRANGEBYLEX takes it.
type LexRange struct{ Min, Max LexBound }

// cmpLex compares a member or bound a with bound b, as Redis's sdscmplex does with its
// shared minimum and maximum strings.
func cmpLex(a, b LexBound) int {
	if a.Inf == b.Inf && a.Inf != 0 {
		return 0
	}
	switch {
	case a.Inf < 0 || b.Inf > 0:
		return -1
	case a.Inf > 0 || b.Inf < 0:
		return 1
	}
	return strings.Compare(a.Value, b.Value)
}

func (r *LexRange) aboveMin(v string) bool {
	c := cmpLex(LexBound{Value: v}, r.Min)
	if r.Min.Ex {
		return c > 0
	}
	return c >= 0
}

func (r *LexRange) belowMax(v string) bool {
	c := cmpLex(LexBound{Value: v}, r.Max)
	if r.Max.Ex {
		return c < 0
	}
	return c <= 0
}

func (r *LexRange) empty() bool {
	c := cmpLex(r.Min, r.Max)
	return c > 0 || c == 0 && (r.Min.Ex || r.Max.Ex)
}

// ScoreRanks returns the ranks of the first and last elements whose scores lie in r;
// first > last when there are none.
func (z *ZSet) ScoreRanks(r *ScoreRange) (first, last int) {
	if r.empty() {
		return 0, -1
	}
	return z.ranks(func(e ZEntry) bool { return !r.aboveMin(e.Score) },
		func(e ZEntry) bool { return r.belowMax(e.Score) })
}

// lexFirst returns the rank of the element where Redis's zzlFirstInLexRange or
// zslFirstInLexRange starts a forward walk over r, or -1. On a set whose scores differ the
// members are not ordered and, as in Redis, the answer depends on the encoding.
func (z *ZSet) lexFirst(r *LexRange) int {
	if !z.inLexRange(r) {
		return -1
	}
	i := -1
	if z.sl == nil {
		b := z.lp()
		for j, off := 0, 0; off < len(b); j++ {
			m, _, next := zsetDecode(b, off)
			if r.aboveMin(m) {
				i = j
				break
			}
			off = next
		}
	} else if x, rank := z.sl.firstAtLeast(func(x *slNode) bool { return !r.aboveMin(x.member) }); x != nil {
		i = rank - 1
	}
	if i < 0 || !r.belowMax(z.member(i)) {
		return -1
	}
	return i
}

// lexLast is lexFirst for a backward walk (zzlLastInLexRange, zslLastInLexRange).
func (z *ZSet) lexLast(r *LexRange) int {
	if !z.inLexRange(r) {
		return -1
	}
	i := -1
	if z.sl == nil {
		b := z.lp()
		for j, off := 0, 0; off < len(b); j++ {
			m, _, next := zsetDecode(b, off)
			if r.belowMax(m) {
				i = j // the last one wins
			}
			off = next
		}
	} else if x, rank := z.sl.lastWithin(func(x *slNode) bool { return r.belowMax(x.member) }); x != nil {
		i = rank - 1
	}
	if i < 0 || !r.aboveMin(z.member(i)) {
		return -1
	}
	return i
}

// inLexRange is Redis's zzlIsInLexRange / zslIsInLexRange: r is not empty, the last
// member is above its minimum and the first below its maximum.
func (z *ZSet) inLexRange(r *LexRange) bool {
	n := z.Len()
	return !r.empty() && n > 0 && r.aboveMin(z.member(n-1)) && r.belowMax(z.member(0))
}

// member returns the member of rank i.
func (z *ZSet) member(i int) string {
	m, _ := z.At(i)
	return m
}

// lexRun returns how many elements from rank i on (backwards when rev) satisfy ok,
// stopping at limit when it is not negative.
func (z *ZSet) lexRun(i int, rev bool, limit int64, ok func(string) bool) int {
	n := 0
	step := 1
	if rev {
		step = -1
	}
	for ; i >= 0 && i < z.Len() && (limit < 0 || int64(n) < limit); i += step {
		if !ok(z.member(i)) {
			break
		}
		n++
	}
	return n
}

// LexCount counts the members in r, as ZLEXCOUNT does. As in Redis, the result is only
// meaningful when all the elements have the same score.
func (z *ZSet) LexCount(r *LexRange) int {
	first := z.lexFirst(r)
	if first < 0 {
		return 0
	}
	if z.sl == nil {
		return z.lexRun(first, false, -1, r.belowMax)
	}
	count := z.Len() - first
	if last := z.lexLast(r); last >= 0 {
		count -= z.Len() - 1 - last
	}
	return count
}

// LexSpan returns the ranks first..last of the members ZRANGEBYLEX r LIMIT offset limit
// returns (offset ≥ 0; limit < 0 for all), walking from the top when rev; first > last
// when there are none. As in Redis, the result is only meaningful when all the elements
// have the same score.
func (z *ZSet) LexSpan(r *LexRange, rev bool, offset, limit int64) (first, last int) {
	if rev {
		i := z.lexLast(r)
		if i < 0 || offset > int64(i) {
			return 0, -1
		}
		i -= int(offset)
		n := z.lexRun(i, true, limit, r.aboveMin)
		return i - n + 1, i
	}
	i := z.lexFirst(r)
	if i < 0 || offset >= int64(z.Len()-i) {
		return 0, -1
	}
	i += int(offset)
	n := z.lexRun(i, false, limit, r.belowMax)
	return i, i + n - 1
}

// RemoveLex deletes the members in r, as ZREMRANGEBYLEX does, and returns how many.
func (z *ZSet) RemoveLex(r *LexRange) int {
	var first int
	if z.sl == nil {
		first = z.lexFirst(r)
	} else {
		// zslDeleteRangeByLex does not check the range first.
		x, rank := z.sl.firstAtLeast(func(x *slNode) bool { return !r.aboveMin(x.member) })
		first = -1
		if x != nil {
			first = rank - 1
		}
	}
	if first < 0 {
		return 0
	}
	return z.RemoveRanks(first, first+z.lexRun(first, false, -1, r.belowMax)-1)
}

// ranks finds the rank interval where below is false and within is true, both holding on
// a prefix of the order.
func (z *ZSet) ranks(below, within func(ZEntry) bool) (first, last int) {
	if z.sl == nil {
		b := z.lp()
		n := z.lpLen()
		first, last = n, -1
		var e ZEntry
		for i, off := 0, 0; off < len(b); i++ {
			e.Member, e.Score, off = zsetDecode(b, off)
			if first == n && !below(e) {
				first = i
			}
			if within(e) {
				last = i
			}
		}
		if first > last {
			return 0, -1
		}
		return first, last
	}
	node := func(f func(ZEntry) bool) func(*slNode) bool {
		return func(x *slNode) bool { return f(ZEntry{Member: x.member, Score: x.score}) }
	}
	x, r1 := z.sl.firstAtLeast(node(below))
	y, r2 := z.sl.lastWithin(node(within))
	if x == nil || y == nil || r1 > r2 {
		return 0, -1
	}
	return r1 - 1, r2 - 1
}

// RemoveRanks deletes the elements of ranks first..last (inclusive, within [0, Len())) and
// returns how many it deleted.
func (z *ZSet) RemoveRanks(first, last int) int {
	if first > last {
		return 0
	}
	if z.sl == nil {
		from := z.lpOffset(first)
		to := from
		b := z.lp()
		for i := first; i <= last; i++ {
			_, _, to = zsetDecode(b, to)
		}
		z.lpCut(from, to, z.lpLen()-(last-first+1))
		return last - first + 1
	}
	return z.sl.removeRankRange(first+1, last+1, func(m string) { delete(z.sl.dict, m) })
}
