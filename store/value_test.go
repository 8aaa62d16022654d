package store

import (
	"math"
	"strconv"
	"testing"
	"testing/synctest"
	"time"
)

func TestParseInt(t *testing.T) {
	tests := []struct {
		in string
		n  int64
		ok bool
	}{
		{"0", 0, true},
		{"1", 1, true},
		{"-1", -1, true},
		{"123", 123, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775809", 0, false},
		{"18446744073709551616", 0, false},
		{"99999999999999999999", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"-0", 0, false},
		{"00", 0, false},
		{"01", 0, false},
		{"+1", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"1a", 0, false},
		{"1.0", 0, false},
		{"000000000000000000001", 0, false},
	}
	for _, tt := range tests {
		n, ok := parseInt([]byte(tt.in))
		if n != tt.n || ok != tt.ok {
			t.Errorf("parseInt(%q) = %d, %v; want %d, %v", tt.in, n, ok, tt.n, tt.ok)
		}
	}
}

func TestIntLen(t *testing.T) {
	for _, n := range []int64{0, 1, 9, 10, 99, 100, -1, -9, -10, 12345, math.MaxInt64, math.MinInt64, math.MinInt64 + 1} {
		if got, want := intLen(n), len(strconv.FormatInt(n, 10)); got != want {
			t.Errorf("intLen(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestValueString(t *testing.T) {
	s := New(1)
	tests := []struct {
		val string
		enc string
	}{
		{"123", "int"},
		{"-9223372036854775808", "int"},
		{"hello", "embstr"},
		{"00123", "embstr"},
		{"-0", "embstr"},
		{"99999999999999999999", "embstr"},
		{"", "embstr"},
		{string(make([]byte, 44)), "embstr"},
		{string(make([]byte, 45)), "raw"},
	}
	for _, tt := range tests {
		set(s, 0, "k", tt.val)
		v := s.Lookup(0, []byte("k"))
		if got := string(v.AppendString([]byte("x"))); got != "x"+tt.val {
			t.Errorf("AppendString after SET %q = %q", tt.val, got)
		}
		if v.StrLen() != len(tt.val) {
			t.Errorf("StrLen after SET %q = %d", tt.val, v.StrLen())
		}
		if v.Encoding() != tt.enc {
			t.Errorf("Encoding after SET %q = %q, want %q", tt.val, v.Encoding(), tt.enc)
		}
		if v.Type() != TypeString || v.Type().String() != "string" {
			t.Errorf("Type after SET %q = %v", tt.val, v.Type())
		}
	}
	putList(s, 0, "l")
	v := s.Peek(0, []byte("l"))
	if v.StrLen() != 0 || len(v.AppendString(nil)) != 0 {
		t.Error("string accessors of a list value are not empty")
	}
}

func TestIdleSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(1)
		set(s, 0, "k", "v")
		time.Sleep(10 * time.Second)
		if got := s.Peek(0, []byte("k")).IdleSeconds(); got != 10 {
			t.Fatalf("idle after 10s = %d", got)
		}
		time.Sleep(5 * time.Second)
		if got := s.Lookup(0, []byte("k")).IdleSeconds(); got != 0 {
			t.Fatalf("idle after Lookup = %d", got)
		}
		time.Sleep(3 * time.Second)
		s.Exists(0, []byte("k"))
		if got := s.Peek(0, []byte("k")).IdleSeconds(); got != 3 {
			t.Fatalf("idle after Exists = %d, want 3 (no touch)", got)
		}
	})
}

func TestFreq(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(1)
		key := []byte("k")
		set(s, 0, "k", "v")
		if got := s.Peek(0, key).Freq(); got != lfuInitVal {
			t.Fatalf("freq of a new key = %d, want %d", got, lfuInitVal)
		}
		// Up to the initial value plus one every access increments.
		s.Lookup(0, key)
		if got := s.Peek(0, key).Freq(); got != lfuInitVal+1 {
			t.Fatalf("freq after one access = %d, want %d", got, lfuInitVal+1)
		}
		for range 10000 {
			s.Lookup(0, key)
		}
		f := s.Peek(0, key).Freq()
		// With log factor 10, n accesses give a counter near 5+sqrt(n/5).
		if f < 40 || f > 60 {
			t.Fatalf("freq after 10000 accesses = %d", f)
		}
		// One decrement per minute of lfu-decay-time.
		time.Sleep(3 * time.Minute)
		if got := s.Peek(0, key).Freq(); got != f-3 {
			t.Fatalf("freq after 3 minutes = %d, want %d", got, f-3)
		}
		time.Sleep(time.Hour)
		if got := s.Peek(0, key).Freq(); got != 0 {
			t.Fatalf("freq after an hour = %d, want 0", got)
		}
		// An overwrite keeps the counter (and counts as an access).
		set(s, 0, "k", "w")
		if got := s.Peek(0, key).Freq(); got != 1 {
			t.Fatalf("freq after overwrite = %d, want 1", got)
		}
	})
}

func TestLFUParams(t *testing.T) {
	defer SetLFU(10, 1)
	synctest.Test(t, func(t *testing.T) {
		SetLFU(0, 0)
		s := New(1)
		key := []byte("k")
		set(s, 0, "k", "v")
		for range 100 {
			s.Lookup(0, key)
		}
		// Log factor 0: every access increments.
		if got := s.Peek(0, key).Freq(); got != lfuInitVal+100 {
			t.Fatalf("freq = %d, want %d", got, lfuInitVal+100)
		}
		for range 300 {
			s.Lookup(0, key)
		}
		if got := s.Peek(0, key).Freq(); got != 255 {
			t.Fatalf("freq = %d, want 255", got)
		}
		// Decay time 0: no decay.
		time.Sleep(time.Hour)
		if got := s.Peek(0, key).Freq(); got != 255 {
			t.Fatalf("freq after an hour without decay = %d, want 255", got)
		}
	})
}
