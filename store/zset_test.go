package store

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// zmembers renders the members of z in order with their scores: "a=1 b=2".
func zmembers(z *ZSet) string {
	var parts []string
	z.Range(0, z.Len()-1, false, func(m string, sc float64) {
		parts = append(parts, m+"="+strconv.FormatFloat(sc, 'g', -1, 64))
	})
	return strings.Join(parts, " ")
}

func TestZSetEncoding(t *testing.T) {
	tests := []struct {
		name    string
		entries int64
		value   int64
		first   string   // member that creates the key
		add     []string // members added after it
		want    string
	}{
		{"small", 3, 5, "a", []string{"b", "c"}, "listpack"},
		{"too many", 3, 5, "a", []string{"b", "c", "d"}, "skiplist"},
		{"long member later", 3, 5, "a", []string{"bbbbbb"}, "skiplist"},
		{"long first member", 3, 5, "aaaaaa", nil, "skiplist"},
		{"member at the limit", 3, 5, "aaaaa", nil, "listpack"},
		{"no listpack", 0, 5, "a", nil, "skiplist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(1)
			l := DefaultEncodingLimits
			l.ZSetMaxListpackEntries, l.ZSetMaxListpackValue = tt.entries, tt.value
			s.SetEncodingLimits(l)
			z, err := s.ZSetForWrite(0, []byte("k"), len(tt.first))
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range append([]string{tt.first}, tt.add...) {
				if _, res, _ := z.Add([]byte(m), float64(i), 0); res != ZAddAdded {
					t.Fatalf("Add(%q) = %v", m, res)
				}
			}
			if got := enc(s, 0, "k"); got != tt.want {
				t.Fatalf("encoding %s, want %s", got, tt.want)
			}
			// Removing elements never converts back.
			z.RemoveRanks(0, z.Len()-2)
			if got := enc(s, 0, "k"); got != tt.want {
				t.Fatalf("encoding after removal %s, want %s", got, tt.want)
			}
		})
	}
}

func TestZSetAdd(t *testing.T) {
	s := New(1)
	z, _ := s.ZSetForWrite(0, []byte("k"), 1)
	steps := []struct {
		member string
		score  float64
		flags  ZAddFlags
		want   float64
		res    ZAddResult
		err    error
	}{
		{"a", 1, 0, 1, ZAddAdded, nil},
		{"a", 1, 0, 1, ZAddSame, nil},
		{"a", 2, ZAddNX, 1, ZAddNop, nil},
		{"b", 2, ZAddXX, 0, ZAddNop, nil},
		{"a", 0, ZAddGT, 1, ZAddNop, nil},
		{"a", 5, ZAddGT, 5, ZAddUpdated, nil},
		{"a", 6, ZAddLT, 5, ZAddNop, nil},
		{"a", 2, ZAddIncr, 7, ZAddUpdated, nil},
		{"a", math.Inf(1), ZAddIncr, math.Inf(1), ZAddUpdated, nil},
		{"a", math.Inf(-1), ZAddIncr, 0, ZAddNop, ErrScoreNaN},
		{"b", math.NaN(), 0, 0, ZAddNop, ErrScoreNaN},
	}
	for i, st := range steps {
		got, res, err := z.Add([]byte(st.member), st.score, st.flags)
		if got != st.want || res != st.res || err != st.err {
			t.Fatalf("step %d: Add(%q, %v, %v) = %v, %v, %v; want %v, %v, %v", i, st.member, st.score, st.flags, got, res, err, st.want, st.res, st.err)
		}
	}
}

func TestZSetNegativeZero(t *testing.T) {
	for _, entries := range []int64{128, 0} {
		s := New(1)
		l := DefaultEncodingLimits
		l.ZSetMaxListpackEntries = entries
		s.SetEncodingLimits(l)
		z, _ := s.ZSetForWrite(0, []byte("k"), 1)
		z.Add([]byte("x"), math.Copysign(0, -1), 0)
		sc, _ := z.Score([]byte("x"))
		// A listpack stores -0 as the integer 0; a skiplist keeps the double.
		if math.Signbit(sc) != (entries == 0) {
			t.Errorf("entries %d: score sign %v", entries, math.Signbit(sc))
		}
	}
}

func TestZSetLex(t *testing.T) {
	lex := func(min, max string) *LexRange {
		b := func(s string) LexBound {
			switch s[0] {
			case '-':
				return LexBound{Inf: -1, Ex: true}
			case '+':
				return LexBound{Inf: 1, Ex: true}
			case '(':
				return LexBound{Value: s[1:], Ex: true}
			}
			return LexBound{Value: s[1:]}
		}
		return &LexRange{Min: b(min), Max: b(max)}
	}
	for _, entries := range []int64{128, 0} {
		s := New(1)
		l := DefaultEncodingLimits
		l.ZSetMaxListpackEntries = entries
		s.SetEncodingLimits(l)
		z, _ := s.ZSetForWrite(0, []byte("k"), 1)
		for _, m := range []string{"a", "b", "c", "d", "e"} {
			z.Add([]byte(m), 0, 0)
		}
		tests := []struct {
			min, max  string
			count     int
			rev       bool
			off, lim  int64
			first, ls int
		}{
			{"-", "+", 5, false, 0, -1, 0, 4},
			{"[b", "(d", 2, false, 0, -1, 1, 2},
			{"(b", "[d", 2, true, 0, 1, 3, 3},
			{"[b", "[d", 3, true, 1, -1, 1, 2},
			{"[c", "[c", 1, false, 0, -1, 2, 2},
			{"(c", "[c", 0, false, 0, -1, 0, -1},
			{"+", "-", 0, false, 0, -1, 0, -1},
			{"-", "-", 0, false, 0, -1, 0, -1},
			{"[x", "+", 0, false, 0, -1, 0, -1},
			{"-", "+", 5, false, 5, -1, 0, -1},
		}
		for _, tt := range tests {
			r := lex(tt.min, tt.max)
			if got := z.LexCount(r); got != tt.count {
				t.Errorf("entries %d: LexCount(%s, %s) = %d, want %d", entries, tt.min, tt.max, got, tt.count)
			}
			f, l := z.LexSpan(r, tt.rev, tt.off, tt.lim)
			if f != tt.first || l != tt.ls {
				t.Errorf("entries %d: LexSpan(%s, %s, %v, %d, %d) = %d, %d, want %d, %d", entries, tt.min, tt.max, tt.rev, tt.off, tt.lim, f, l, tt.first, tt.ls)
			}
		}
		if n := z.RemoveLex(lex("(a", "[c")); n != 2 || z.Len() != 3 {
			t.Errorf("entries %d: RemoveLex removed %d, left %d", entries, n, z.Len())
		}
	}
}

func TestSetZSet(t *testing.T) {
	s := New(1)
	set(s, 0, "k", "string")
	s.SetExpire(0, []byte("k"), nowMs()+100000)
	s.SetZSet(0, []byte("k"), []ZEntry{{"b", 2}, {"a", 1}, {"c", 2}})
	z, err := s.ZSet(0, []byte("k"))
	if err != nil || z == nil {
		t.Fatal(z, err)
	}
	if got := zmembers(z); got != "a=1 b=2 c=2" {
		t.Fatalf("got %s", got)
	}
	if ttl(s, 0, "k") != 0 {
		t.Fatal("SetZSet kept the TTL")
	}
	if enc(s, 0, "k") != "listpack" {
		t.Fatal(enc(s, 0, "k"))
	}
	// COPY makes an independent deep copy.
	if ok, err := s.Copy(0, []byte("k"), 0, []byte("c"), false); !ok || err != nil {
		t.Fatal(ok, err)
	}
	z.Remove([]byte("a"))
	c, _ := s.ZSet(0, []byte("c"))
	if got := zmembers(c); got != "a=1 b=2 c=2" {
		t.Fatalf("copy changed: %s", got)
	}
	s.SetZSet(0, []byte("k"), nil)
	if s.Exists(0, []byte("k")) {
		t.Fatal("empty SetZSet kept the key")
	}
	if _, err := s.ZSetForWrite(0, []byte("str"), 1); err != nil {
		t.Fatal(err)
	}
	set(s, 0, "str", "v")
	if _, err := s.ZSet(0, []byte("str")); err != ErrWrongType {
		t.Fatalf("ZSet on a string: %v", err)
	}
}

func TestZSetListpackScores(t *testing.T) {
	tests := []struct {
		name  string
		score float64
		size  int // encoded size of the entry of member "m"
	}{
		{"zero", 0, 3},
		{"small int", 7, 3},
		{"negative int", -7, 3},
		{"large int", 1 << 40, 9},
		{"int limit", 1 << 53, 10},
		{"past int limit", 1<<53 + 2, 11},
		{"negative int limit", -(1 << 53), 10},
		{"fraction", 1.5, 11},
		{"tiny", math.SmallestNonzeroFloat64, 11},
		{"inf", math.Inf(1), 11},
		{"-inf", math.Inf(-1), 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := zsetAppend(nil, "m", tt.score)
			if len(b) != tt.size || zsetEntrySize(1, tt.score) != tt.size {
				t.Errorf("size %d (computed %d), want %d", len(b), zsetEntrySize(1, tt.score), tt.size)
			}
			m, sc, next := zsetDecode(b, 0)
			if m != "m" || sc != tt.score || next != len(b) {
				t.Errorf("decoded %q %v %d, want m %v %d", m, sc, next, tt.score, len(b))
			}
		})
	}
}

// TestZSetListpackStrings checks that member strings handed out stay unchanged when the
// set changes afterwards, as callers that pop elements rely on.
func TestZSetListpackStrings(t *testing.T) {
	s := New(1)
	z, _ := s.ZSetForWrite(0, []byte("k"), 1)
	for i, m := range []string{"a", "b", "c"} {
		z.Add([]byte(m), float64(i), 0)
	}
	first, _ := z.At(0)
	last, _ := z.At(2)
	z.RemoveRanks(2, 2)
	z.Add([]byte("z"), 10, 0) // appended where "c" was
	z.Remove([]byte("a"))
	z.Add([]byte("b"), -1, 0) // moved
	if first != "a" || last != "c" {
		t.Fatalf("members became %q %q, want a c", first, last)
	}
	if got, want := zmembers(z), "b=-1 z=10"; got != want {
		t.Fatalf("set %q, want %q", got, want)
	}
	c := z.clone().(*ZSet)
	z.Add([]byte("y"), 20, 0)
	c.Add([]byte("x"), 30, 0)
	if got, want := zmembers(z)+" | "+zmembers(c), "b=-1 z=10 y=20 | b=-1 z=10 x=30"; got != want {
		t.Fatalf("set and clone %q, want %q", got, want)
	}
}

func TestZSetListpackAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	s := New(1)
	z, _ := s.ZSetForWrite(0, []byte("k"), 2)
	for i := range 10 {
		z.Add([]byte("m"+strconv.Itoa(i)), float64(i)+0.5, 0)
	}
	m5 := []byte("m5")
	sr := ScoreRange{Min: 2, Max: 7}
	tests := []struct {
		name string
		fn   func()
	}{
		{"Score", func() { z.Score(m5) }},
		{"Rank", func() { z.Rank(m5) }},
		{"At", func() { z.At(7) }},
		{"Range", func() { z.Range(2, 8, false, func(string, float64) {}) }},
		{"Range rev", func() { z.Range(2, 8, true, func(string, float64) {}) }},
		{"ScoreRanks", func() { z.ScoreRanks(&sr) }},
		{"Add same score", func() { z.Add(m5, 5.5, 0) }},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, tt.fn); n != 0 {
			t.Errorf("%s: %v allocations, want 0", tt.name, n)
		}
	}
}
