package config

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		nocase     bool
		want       bool
	}{
		{"*", "", false, false}, // stringmatchlen itself; KEYS and SCAN special-case "*"
		{"", "", false, true},
		{"*", "anything", false, true},
		{"h?llo", "hello", false, true},
		{"h?llo", "hllo", false, false},
		{"h*llo", "heeeello", false, true},
		{"h[ae]llo", "hallo", false, true},
		{"h[ae]llo", "hillo", false, false},
		{"h[^e]llo", "hallo", false, true},
		{"h[^e]llo", "hello", false, false},
		{"h[a-b]llo", "hbllo", false, true},
		{"h[b-a]llo", "hbllo", false, true},
		{"h\\*llo", "h*llo", false, true},
		{"h\\*llo", "hallo", false, false},
		{"[\\]]", "]", false, true},
		{"[abc", "c", false, true},
		{"[abc", "d", false, false},
		{"a*", "a", false, true},
		{"a**", "a", false, true},
		{"*max-*-entries*", "hash-max-listpack-entries", false, true},
		{"*max-*-entries*", "zset-max-ziplist-value", false, false},
		{"maxmemory*", "maxmemory-policy", false, true},
		{"MAXMEMORY*", "maxmemory-policy", false, false},
		{"MAXMEMORY*", "maxmemory-policy", true, true},
		{"[A-C]", "b", true, true},
		{"[a-c]", "B", true, true},
		{"[a-c]", "B", false, false},
		{"H?LLO", "hello", true, true},
		{"[^A]", "a", true, false},
		{"a*b*c*d", "a-b-c-", false, false},
		{"a*b*c*d", "a-b-c-d", false, true},
	}
	for _, tt := range tests {
		if got := Match([]byte(tt.pattern), []byte(tt.s), tt.nocase); got != tt.want {
			t.Errorf("Match(%q, %q, %v) = %v, want %v", tt.pattern, tt.s, tt.nocase, got, tt.want)
		}
	}
}

// TestMatchNesting checks the recursion limit at the same place as Redis:
// "a*" repeated 1001 times still matches a long run of a's, 1002 times not.
func TestMatchNesting(t *testing.T) {
	s := []byte(strings.Repeat("a", 1200))
	for _, tt := range []struct {
		n    int
		want bool
	}{{999, true}, {1000, true}, {1001, true}, {1002, false}, {1100, false}} {
		if got := Match([]byte(strings.Repeat("a*", tt.n)), s, false); got != tt.want {
			t.Errorf("%d stars: got %v, want %v", tt.n, got, tt.want)
		}
	}
}

// TestMatchRedisCorpus replays cases whose answers were recorded from a real
// redis-server 7.0 with KEYS (which matches "*" against everything).
func TestMatchRedisCorpus(t *testing.T) {
	f, err := os.Open("testdata/stringmatch.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || text[0] == '#' {
			continue
		}
		pattern, s, want, err := parseCorpusLine(text)
		if err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		got := pattern == "*" || Match([]byte(pattern), []byte(s), false)
		if got != want {
			t.Errorf("line %d: Match(%q, %q) = %v, redis says %v", line, pattern, s, got, want)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 1000 {
		t.Fatalf("only %d cases read", n)
	}
}

func parseCorpusLine(text string) (pattern, s string, want bool, err error) {
	pq, err := strconv.QuotedPrefix(text)
	if err != nil {
		return "", "", false, err
	}
	rest := strings.TrimPrefix(text[len(pq):], " ")
	sq, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", "", false, err
	}
	if pattern, err = strconv.Unquote(pq); err != nil {
		return "", "", false, err
	}
	if s, err = strconv.Unquote(sq); err != nil {
		return "", "", false, err
	}
	return pattern, s, strings.TrimSpace(rest[len(sq):]) == "1", nil
}

// FuzzMatch checks properties that hold for any input: no panic, a pattern
// made only of literal bytes matches exactly itself, and case folding agrees
// with case-sensitive matching on lower-case inputs. (Matching with case can
// succeed where matching without fails: Redis folds the ends of a range after
// ordering them, so "[B-a]" matches "B" only with case.)
func FuzzMatch(f *testing.F) {
	for _, seed := range [][2]string{
		{"*", ""}, {"h?llo", "hello"}, {"[a-", "b"}, {"[^", "x"}, {"\\", "\\"},
		{"a*b*c", "axxbyyc"}, {"[\\]]", "]"}, {"*[", "x["},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		got := Match([]byte(pattern), []byte(s), false)
		if !strings.ContainsAny(pattern, "*?[\\") && got != (pattern == s) {
			t.Fatalf("literal %q vs %q: %v", pattern, s, got)
		}
		folded := Match([]byte(pattern), []byte(s), true)
		if lowerAll(pattern) == pattern && lowerAll(s) == s && folded != got {
			t.Fatalf("nocase differs on lower-case input %q %q", pattern, s)
		}
	})
}

func lowerAll(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = lower(b[i])
	}
	return string(b)
}
