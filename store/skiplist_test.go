package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkSkiplist verifies the skiplist's invariants: order, backward links, tail, length
// and spans (each span equals the number of level-0 steps it covers).
func checkSkiplist(t *testing.T, sl *skiplist) {
	t.Helper()
	rank := map[*slNode]int{sl.header: 0}
	n := 0
	var prev *slNode
	for x := sl.header.level[0].forward; x != nil; x = x.level[0].forward {
		n++
		rank[x] = n
		if x.backward != prev {
			t.Fatalf("node %q: wrong backward link", x.member)
		}
		if prev != nil && !before(prev, x.score, x.member) {
			t.Fatalf("order broken at %q", x.member)
		}
		prev = x
	}
	if n != sl.length || sl.tail != prev {
		t.Fatalf("length %d / tail mismatch, walked %d", sl.length, n)
	}
	for x := sl.header; x != nil; x = x.level[0].forward {
		for i := 0; i < len(x.level) && i < sl.level; i++ {
			f := x.level[i].forward
			want := sl.length - rank[x]
			if f != nil {
				want = rank[f] - rank[x]
			}
			if f == nil && x != sl.header {
				continue // spans past the tail are not used
			}
			if f != nil && x.level[i].span != want {
				t.Fatalf("span of %q at level %d = %d, want %d", x.member, i, x.level[i].span, want)
			}
		}
	}
}

// TestSkiplistModel runs random operations on a skiplist and on a sorted slice and compares
// every answer.
func TestSkiplistModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sl := newSkiplist()
	var model []ZEntry
	find := func(m string) int {
		return slices.IndexFunc(model, func(e ZEntry) bool { return e.Member == m })
	}
	for step := range 20000 {
		m := fmt.Sprintf("m%d", rng.IntN(300))
		sc := float64(rng.IntN(50))
		switch op := rng.IntN(10); {
		case op < 4:
			if i := find(m); i >= 0 {
				sl.updateScore(model[i].Score, m, sc)
				model[i].Score = sc
			} else {
				sl.insert(sc, m)
				model = append(model, ZEntry{m, sc})
			}
			slices.SortFunc(model, compareEntries)
		case op < 6:
			i := find(m)
			old := 0.0
			if i >= 0 {
				old = model[i].Score
				model = slices.Delete(model, i, i+1)
			}
			if got := sl.remove(old, m); got != (i >= 0) {
				t.Fatalf("step %d: remove %q = %v", step, m, got)
			}
		case op < 8:
			if i := find(m); i >= 0 {
				if r := sl.rank(model[i].Score, m); r != i+1 {
					t.Fatalf("step %d: rank %q = %d, want %d", step, m, r, i+1)
				}
			}
			if len(model) > 0 {
				r := rng.IntN(len(model))
				if x := sl.byRank(r + 1); x == nil || x.member != model[r].Member {
					t.Fatalf("step %d: byRank %d wrong", step, r+1)
				}
			}
		case op < 9 && len(model) > 0:
			lo := rng.IntN(len(model))
			hi := lo + rng.IntN(3)
			hi = min(hi, len(model)-1)
			var got []string
			sl.removeRankRange(lo+1, hi+1, func(m string) { got = append(got, m) })
			var want []string
			for _, e := range model[lo : hi+1] {
				want = append(want, e.Member)
			}
			model = slices.Delete(model, lo, hi+1)
			if !slices.Equal(got, want) {
				t.Fatalf("step %d: removeRankRange = %v, want %v", step, got, want)
			}
		default:
			lo := float64(rng.IntN(50))
			x, r := sl.firstAtLeast(func(x *slNode) bool { return x.score < lo })
			i := slices.IndexFunc(model, func(e ZEntry) bool { return e.Score >= lo })
			if (x == nil) != (i < 0) || x != nil && (x.member != model[i].Member || r != i+1) {
				t.Fatalf("step %d: firstAtLeast %v wrong", step, lo)
			}
		}
		if step%500 == 0 {
			checkSkiplist(t, sl)
		}
	}
	checkSkiplist(t, sl)
}

// TestZSetModel drives both encodings of ZSet with random commands and compares them with
// a sorted slice.
func TestZSetModel(t *testing.T) {
	for _, entries := range []int64{1 << 30, 16, 0} {
		t.Run(fmt.Sprint(entries), func(t *testing.T) {
			s := New(1)
			l := DefaultEncodingLimits
			l.ZSetMaxListpackEntries = entries
			s.SetEncodingLimits(l)
			rng := rand.New(rand.NewPCG(3, uint64(entries)))
			z, _ := s.ZSetForWrite(0, []byte("z"), 1)
			var model []ZEntry
			for step := range 5000 {
				m := fmt.Sprintf("%c", 'a'+rng.IntN(40))
				sc := float64(rng.IntN(10))
				switch rng.IntN(6) {
				case 0, 1:
					if _, _, err := z.Add([]byte(m), sc, ZAddIncr); err != nil {
						t.Fatal(err)
					}
					if i := slices.IndexFunc(model, func(e ZEntry) bool { return e.Member == m }); i >= 0 {
						model[i].Score += sc
					} else {
						model = append(model, ZEntry{m, sc})
					}
					slices.SortFunc(model, compareEntries)
				case 2:
					i := slices.IndexFunc(model, func(e ZEntry) bool { return e.Member == m })
					if i >= 0 {
						model = slices.Delete(model, i, i+1)
					}
					if z.Remove([]byte(m)) != (i >= 0) {
						t.Fatalf("step %d: Remove %q", step, m)
					}
				case 3:
					r := ScoreRange{Min: float64(rng.IntN(12)), Max: float64(rng.IntN(12)), MinEx: rng.IntN(2) == 0, MaxEx: rng.IntN(2) == 0}
					first, last := z.ScoreRanks(&r)
					wf, wl := 0, -1
					for i, e := range model {
						if r.aboveMin(e.Score) && r.belowMax(e.Score) {
							if wl < 0 {
								wf = i
							}
							wl = i
						}
					}
					if last-first != wl-wf || wl >= 0 && first != wf {
						t.Fatalf("step %d: ScoreRanks(%+v) = %d,%d want %d,%d", step, r, first, last, wf, wl)
					}
				case 4:
					if len(model) > 0 {
						lo := rng.IntN(len(model))
						hi := min(lo+rng.IntN(4), len(model)-1)
						if n := z.RemoveRanks(lo, hi); n != hi-lo+1 {
							t.Fatalf("RemoveRanks = %d", n)
						}
						model = slices.Delete(model, lo, hi+1)
					}
				case 5:
					if i := slices.IndexFunc(model, func(e ZEntry) bool { return e.Member == m }); i >= 0 {
						r, sc, ok := z.Rank([]byte(m))
						if !ok || r != i || sc != model[i].Score {
							t.Fatalf("step %d: Rank %q = %d %v", step, m, r, sc)
						}
					}
				}
				var got []ZEntry
				z.Range(0, z.Len()-1, false, func(m string, sc float64) { got = append(got, ZEntry{m, sc}) })
				if !slices.Equal(got, model) {
					t.Fatalf("step %d: contents %v, want %v", step, got, model)
				}
			}
			want := "listpack"
			if entries < 40 {
				want = "skiplist"
			}
			if z.Len() > 0 && z.Encoding() != want && entries != 16 {
				t.Fatalf("encoding %s", z.Encoding())
			}
		})
	}
}
