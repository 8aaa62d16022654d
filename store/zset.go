package store

import (
	"errors"
	"math"
	"slices"
	"strings"
)

// ErrScoreNaN is returned when a sorted-set score update would produce NaN (inf + -inf).
var ErrScoreNaN = errors.New("resulting score is not a number (NaN)")

// ZEntry is one element of a sorted set.
type ZEntry struct {
	Member string
	Score  float64
}

// ZSet is a sorted set: members ordered by score, then by their bytes. Like Redis it starts
// in the compact "listpack" encoding (here a sorted slice) and converts, never back, to the
// "skiplist" encoding (a skiplist with spans plus a member → score map) when it grows past
// zset-max-listpack-entries elements or gets a member longer than zset-max-listpack-value
// bytes.
//
// Positions are 0-based ranks in ascending order. Member strings passed to callbacks are
// owned by the set: valid while the caller holds the key's shard lock.
type ZSet struct {
	lim  *Store    // source of the encoding limits
	lp   []ZEntry  // listpack encoding, sorted; unused once sl is set
	sl   *skiplist // skiplist encoding
	dict map[string]float64
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
	return len(z.lp)
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
		c.lp = slices.Clone(z.lp)
		return c
	}
	c.sl = newSkiplist()
	c.dict = make(map[string]float64, len(z.dict))
	for x := z.sl.header.level[0].forward; x != nil; x = x.level[0].forward {
		c.sl.insert(x.score, x.member)
		c.dict[x.member] = x.score
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
	d, i, v := s.find(db, key, 0)
	if v != nil {
		d.remove(i, v)
	}
	if len(entries) == 0 {
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
		z.lp = slices.Clone(entries)
		for i := range z.lp {
			if z.lp[i].Score == 0 {
				z.lp[i].Score = 0 // no -0 in a listpack
			}
		}
	} else {
		z.sl = newSkiplist()
		z.dict = make(map[string]float64, len(entries))
		for _, e := range entries {
			z.sl.insert(e.Score, e.Member)
			z.dict[e.Member] = e.Score
		}
	}
	v = &Value{key: string(key), typ: TypeZSet, obj: z}
	v.init(nowMs())
	d.add(i, v)
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
	z.sl = newSkiplist()
	z.dict = make(map[string]float64, len(z.lp)+1)
	for _, e := range z.lp {
		z.sl.insert(e.Score, e.Member)
		z.dict[e.Member] = e.Score
	}
	z.lp = nil
}

// lpFind returns the index of member in the listpack, or -1.
func (z *ZSet) lpFind(member []byte) int {
	for i := range z.lp {
		if z.lp[i].Member == string(member) {
			return i
		}
	}
	return -1
}

// lpInsert inserts (member, score) in order into the listpack. A listpack keeps a score
// of -0 as the integer 0, as Redis's does.
func (z *ZSet) lpInsert(member string, score float64) {
	if score == 0 {
		score = 0
	}
	e := ZEntry{Member: member, Score: score}
	i, _ := slices.BinarySearchFunc(z.lp, e, compareEntries)
	z.lp = slices.Insert(z.lp, i, e)
}

// Score returns the score of member.
func (z *ZSet) Score(member []byte) (float64, bool) {
	if z.sl != nil {
		sc, ok := z.dict[string(member)]
		return sc, ok
	}
	if i := z.lpFind(member); i >= 0 {
		return z.lp[i].Score, true
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
			z.dict[string(member)] = score
		} else {
			i := z.lpFind(member)
			m := z.lp[i].Member
			z.lp = slices.Delete(z.lp, i, i+1)
			z.lpInsert(m, score)
		}
		return score, ZAddUpdated, nil
	}
	if flags&ZAddXX != 0 {
		return 0, ZAddNop, nil
	}
	if z.sl == nil {
		l := z.lim.Limits()
		if int64(len(z.lp)+1) > l.ZSetMaxListpackEntries || int64(len(member)) > l.ZSetMaxListpackValue {
			z.toSkiplist()
		}
	}
	m := string(member)
	if z.sl != nil {
		z.sl.insert(score, m)
		z.dict[m] = score
	} else {
		z.lpInsert(m, score)
	}
	return score, ZAddAdded, nil
}

// Remove deletes member and reports whether it was present.
func (z *ZSet) Remove(member []byte) bool {
	if z.sl != nil {
		sc, ok := z.dict[string(member)]
		if !ok {
			return false
		}
		z.sl.remove(sc, string(member))
		delete(z.dict, string(member))
		return true
	}
	if i := z.lpFind(member); i >= 0 {
		z.lp = slices.Delete(z.lp, i, i+1)
		return true
	}
	return false
}

// Rank returns the 0-based ascending rank of member and its score.
func (z *ZSet) Rank(member []byte) (int, float64, bool) {
	if z.sl != nil {
		sc, ok := z.dict[string(member)]
		if !ok {
			return 0, 0, false
		}
		return z.sl.rank(sc, string(member)) - 1, sc, true
	}
	if i := z.lpFind(member); i >= 0 {
		return i, z.lp[i].Score, true
	}
	return 0, 0, false
}

// At returns the element of rank r, which must be in [0, Len()).
func (z *ZSet) At(r int) (string, float64) {
	if z.sl != nil {
		x := z.sl.byRank(r + 1)
		return x.member, x.score
	}
	return z.lp[r].Member, z.lp[r].Score
}

// Range calls fn with the elements of ranks first..last (inclusive, within [0, Len())), in
// ascending order, or descending from last to first when rev is set.
func (z *ZSet) Range(first, last int, rev bool, fn func(member string, score float64)) {
	if first > last {
		return
	}
	if z.sl == nil {
		if rev {
			for i := last; i >= first; i-- {
				fn(z.lp[i].Member, z.lp[i].Score)
			}
			return
		}
		for i := first; i <= last; i++ {
			fn(z.lp[i].Member, z.lp[i].Score)
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
	return z.ranks(func(e *ZEntry) bool { return !r.aboveMin(e.Score) },
		func(e *ZEntry) bool { return r.belowMax(e.Score) })
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
		for j := range z.lp {
			if r.aboveMin(z.lp[j].Member) {
				i = j
				break
			}
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
		for j := len(z.lp) - 1; j >= 0; j-- {
			if r.belowMax(z.lp[j].Member) {
				i = j
				break
			}
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
func (z *ZSet) ranks(below, within func(*ZEntry) bool) (first, last int) {
	if z.sl == nil {
		first = len(z.lp)
		for i := range z.lp {
			if !below(&z.lp[i]) {
				first = i
				break
			}
		}
		last = -1
		for i := len(z.lp) - 1; i >= 0; i-- {
			if within(&z.lp[i]) {
				last = i
				break
			}
		}
		if first > last {
			return 0, -1
		}
		return first, last
	}
	var e ZEntry
	node := func(f func(*ZEntry) bool) func(*slNode) bool {
		return func(x *slNode) bool {
			e.Member, e.Score = x.member, x.score
			return f(&e)
		}
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
		z.lp = slices.Delete(z.lp, first, last+1)
		return last - first + 1
	}
	return z.sl.removeRankRange(first+1, last+1, func(m string) { delete(z.dict, m) })
}
