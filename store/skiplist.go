package store

import "math/rand/v2"

// skiplistMaxLevel is Redis's ZSKIPLIST_MAXLEVEL.
const (
	skiplistMaxLevel = 32
	// skiplistThreshold is ZSKIPLIST_P*0xFFFF truncated, as Redis's randomLevel compares.
	skiplistThreshold = uint32(16383)
)

// slNode is one element of a skiplist. level[i].span is the number of elements the
// forward pointer at level i skips over, which gives ranks in O(log n).
type slNode struct {
	member   string
	score    float64
	backward *slNode
	level    []slLevel
}

type slLevel struct {
	forward *slNode
	span    int
}

// skiplist is Redis's zskiplist: elements ordered by score, then by member bytes, with
// spans for rank queries. Members are unique; the caller keeps the member → score map.
type skiplist struct {
	header *slNode
	tail   *slNode
	length int
	level  int
}

func newSkiplist() *skiplist {
	return &skiplist{header: &slNode{level: make([]slLevel, skiplistMaxLevel)}, level: 1}
}

// randomLevel returns a level in [1, skiplistMaxLevel] with a geometric distribution.
func randomLevel() int {
	level := 1
	for level < skiplistMaxLevel && rand.Uint32()&0xFFFF < skiplistThreshold {
		level++
	}
	return level
}

// before reports whether (score, member) sorts before node x.
func before(x *slNode, score float64, member string) bool {
	return x.score < score || x.score == score && x.member < member
}

// insert adds an element that must not be present and returns its node.
func (sl *skiplist) insert(score float64, member string) *slNode {
	var update [skiplistMaxLevel]*slNode
	var rank [skiplistMaxLevel]int
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		if i != sl.level-1 {
			rank[i] = rank[i+1]
		}
		for x.level[i].forward != nil && before(x.level[i].forward, score, member) {
			rank[i] += x.level[i].span
			x = x.level[i].forward
		}
		update[i] = x
	}
	level := randomLevel()
	if level > sl.level {
		for i := sl.level; i < level; i++ {
			rank[i] = 0
			update[i] = sl.header
			update[i].level[i].span = sl.length
		}
		sl.level = level
	}
	x = &slNode{member: member, score: score, level: make([]slLevel, level)}
	for i := range level {
		x.level[i].forward = update[i].level[i].forward
		update[i].level[i].forward = x
		x.level[i].span = update[i].level[i].span - (rank[0] - rank[i])
		update[i].level[i].span = rank[0] - rank[i] + 1
	}
	for i := level; i < sl.level; i++ {
		update[i].level[i].span++
	}
	if update[0] != sl.header {
		x.backward = update[0]
	}
	if x.level[0].forward != nil {
		x.level[0].forward.backward = x
	} else {
		sl.tail = x
	}
	sl.length++
	return x
}

// unlink removes x given the update vector of its predecessors.
func (sl *skiplist) unlink(x *slNode, update *[skiplistMaxLevel]*slNode) {
	for i := range sl.level {
		if update[i].level[i].forward == x {
			update[i].level[i].span += x.level[i].span - 1
			update[i].level[i].forward = x.level[i].forward
		} else {
			update[i].level[i].span--
		}
	}
	if x.level[0].forward != nil {
		x.level[0].forward.backward = x.backward
	} else {
		sl.tail = x.backward
	}
	for sl.level > 1 && sl.header.level[sl.level-1].forward == nil {
		sl.level--
	}
	sl.length--
}

// remove deletes the element (score, member) and reports whether it was there.
func (sl *skiplist) remove(score float64, member string) bool {
	var update [skiplistMaxLevel]*slNode
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && before(x.level[i].forward, score, member) {
			x = x.level[i].forward
		}
		update[i] = x
	}
	x = x.level[0].forward
	if x != nil && x.score == score && x.member == member {
		sl.unlink(x, &update)
		return true
	}
	return false
}

// updateScore moves the element (cur, member), which must be present, to score newScore.
func (sl *skiplist) updateScore(cur float64, member string, newScore float64) {
	var update [skiplistMaxLevel]*slNode
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && before(x.level[i].forward, cur, member) {
			x = x.level[i].forward
		}
		update[i] = x
	}
	x = x.level[0].forward
	// Stays in place when the new score keeps it between its neighbours.
	if (x.backward == nil || x.backward.score < newScore) &&
		(x.level[0].forward == nil || x.level[0].forward.score > newScore) {
		x.score = newScore
		return
	}
	sl.unlink(x, &update)
	sl.insert(newScore, member)
}

// rank returns the 1-based rank of the element (score, member), or 0 when absent.
func (sl *skiplist) rank(score float64, member string) int {
	r := 0
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil &&
			(x.level[i].forward.score < score ||
				x.level[i].forward.score == score && x.level[i].forward.member <= member) {
			r += x.level[i].span
			x = x.level[i].forward
		}
		if x != sl.header && x.member == member {
			return r
		}
	}
	return 0
}

// byRank returns the element at 1-based rank r, or nil when out of range.
func (sl *skiplist) byRank(r int) *slNode {
	traversed := 0
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span <= r {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		if traversed == r {
			if x == sl.header {
				return nil
			}
			return x
		}
	}
	return nil
}

// firstAtLeast returns the first element for which !below(x) holds, given that below is
// true on a prefix of the list, with its 1-based rank; nil when none.
func (sl *skiplist) firstAtLeast(below func(*slNode) bool) (*slNode, int) {
	r := 0
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && below(x.level[i].forward) {
			r += x.level[i].span
			x = x.level[i].forward
		}
	}
	return x.level[0].forward, r + 1
}

// lastWithin returns the last element for which within(x) holds, given that within is
// true on a prefix of the list, with its 1-based rank; nil when none.
func (sl *skiplist) lastWithin(within func(*slNode) bool) (*slNode, int) {
	r := 0
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && within(x.level[i].forward) {
			r += x.level[i].span
			x = x.level[i].forward
		}
	}
	if x == sl.header {
		return nil, 0
	}
	return x, r
}

// removeRankRange deletes the elements of 1-based ranks start..end (inclusive) and calls
// fn with each.
func (sl *skiplist) removeRankRange(start, end int, fn func(member string)) int {
	var update [skiplistMaxLevel]*slNode
	traversed := 0
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span < start {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		update[i] = x
	}
	traversed++
	x = x.level[0].forward
	removed := 0
	for x != nil && traversed <= end {
		next := x.level[0].forward
		sl.unlink(x, &update)
		fn(x.member)
		removed++
		traversed++
		x = next
	}
	return removed
}
