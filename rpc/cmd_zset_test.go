package rpc

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestZParseScore(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1", 1, true},
		{"-2.5", -2.5, true},
		{"+3", 3, true},
		{".5", 0.5, true},
		{"5.", 5, true},
		{"1e3", 1000, true},
		{"1E-2", 0.01, true},
		{"inf", math.Inf(1), true},
		{"-Infinity", math.Inf(-1), true},
		{"0x10", 16, true},
		{"0x1p4", 16, true},
		{"4e-320", 4e-320, true},
		{"0", 0, true},
		{"0e5", 0, true},
		{"", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"nan", 0, false},
		{"1e400", 0, false},
		{"1e-400", 0, false},
		{"1e", 0, false},
		{"abc", 0, false},
		{"1\x00", 0, false},
		{"1_0", 0, false},
	}
	for _, tt := range tests {
		got, ok := zParseScore([]byte(tt.in))
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("zParseScore(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestZParseRangeScore(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ex   bool
		ok   bool
	}{
		{"1", 1, false, true},
		{"(1", 1, true, true},
		{"", 0, false, true},
		{"(", 0, true, true},
		{" 2", 2, false, true},
		{"2 ", 0, false, false},
		{"-inf", math.Inf(-1), false, true},
		{"(+inf", math.Inf(1), true, true},
		{"1e400", math.Inf(1), false, true},
		{"3\x00junk", 3, false, true},
		{"nan", 0, false, false},
		{"[1", 0, false, false},
	}
	for _, tt := range tests {
		got, ex, ok := zParseRangeScore([]byte(tt.in))
		if ok != tt.ok || ok && (got != tt.want || ex != tt.ex) {
			t.Errorf("zParseRangeScore(%q) = %v, %v, %v; want %v, %v, %v", tt.in, got, ex, ok, tt.want, tt.ex, tt.ok)
		}
	}
}

// TestZRandMember checks the random replies: distinct members for a positive count,
// repetitions allowed for a negative one, scores matching members.
func TestZRandMember(t *testing.T) {
	for _, entries := range []string{"128", "0"} {
		c := strClient(t)
		strDo(t, c, "CONFIG", "SET", "zset-max-listpack-entries", entries)
		args := []string{"ZADD", "z"}
		for i := range 20 {
			args = append(args, fmt.Sprint(i), fmt.Sprintf("m%d", i))
		}
		strDo(t, c, args...)
		for range 50 {
			got := strings.Split(strDo(t, c, "ZRANDMEMBER", "z", "5"), "\n")
			seen := map[string]bool{}
			for _, line := range got {
				seen[line[strings.Index(line, "\"")+1:]] = true
			}
			if len(got) != 5 || len(seen) != 5 {
				t.Fatalf("ZRANDMEMBER z 5 = %q", got)
			}
			got = strings.Split(strDo(t, c, "ZRANDMEMBER", "z", "-30", "WITHSCORES"), "\n")
			if len(got) != 60 {
				t.Fatalf("ZRANDMEMBER z -30 WITHSCORES: %d lines", len(got))
			}
			for i := 0; i < len(got); i += 2 {
				m := got[i][strings.Index(got[i], "\"m")+2:]
				s := got[i+1][strings.Index(got[i+1], "\"")+1:]
				if strings.TrimSuffix(m, "\"") != strings.TrimSuffix(s, "\"") {
					t.Fatalf("member %s has score %s", got[i], got[i+1])
				}
			}
			if one := strDo(t, c, "ZRANDMEMBER", "z"); !strings.HasPrefix(one, "\"m") {
				t.Fatalf("ZRANDMEMBER z = %s", one)
			}
		}
	}
}

// TestZScanSkiplist checks that a full ZSCAN of a skiplist set returns every member once.
func TestZScanSkiplist(t *testing.T) {
	c := strClient(t)
	strDo(t, c, "CONFIG", "SET", "zset-max-listpack-entries", "0")
	var want []string
	args := []string{"ZADD", "z"}
	for i := range 95 {
		m := fmt.Sprintf("m%02d", i)
		want = append(want, m)
		args = append(args, fmt.Sprint(i), m)
	}
	strDo(t, c, args...)
	var got []string
	cursor := "0"
	for {
		reply := strings.Split(strDo(t, c, "ZSCAN", "z", cursor, "COUNT", "7"), "\n")
		cursor = strings.Trim(reply[0][strings.Index(reply[0], "\""):], "\"")
		for i := 1; i < len(reply); i += 2 {
			line := reply[i]
			got = append(got, strings.Trim(line[strings.Index(line, "\""):], "\""))
		}
		if cursor == "0" {
			break
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("ZSCAN returned %v", got)
	}
}
