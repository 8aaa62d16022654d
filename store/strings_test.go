package store

import (
	"errors"
	"math"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestSetString(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(2)
		k := []byte("k")
		s.SetString(0, k, []byte("v1"), 0, false)
		if got := str(s, 0, "k"); got != "v1" || ttl(s, 0, "k") != 0 {
			t.Fatalf("after SET: %q ttl %d", got, ttl(s, 0, "k"))
		}
		at := in(time.Minute)
		s.SetString(0, k, []byte("v2"), at, false)
		if ttl(s, 0, "k") != at {
			t.Fatal("SET EX did not set the TTL")
		}
		s.SetString(0, k, []byte("v3"), 0, true)
		if str(s, 0, "k") != "v3" || ttl(s, 0, "k") != at {
			t.Fatal("SET KEEPTTL lost the TTL")
		}
		s.SetString(0, k, []byte("v4"), in(time.Hour), true)
		if ttl(s, 0, "k") != at {
			t.Fatal("SET KEEPTTL took the new deadline")
		}
		s.SetString(0, k, []byte("v5"), 0, false)
		if str(s, 0, "k") != "v5" || ttl(s, 0, "k") != 0 {
			t.Fatal("SET did not clear the TTL")
		}
		// KEEPTTL on a new key sets the given deadline.
		s.SetString(0, []byte("n"), []byte("x"), at, true)
		if ttl(s, 0, "n") != at {
			t.Fatal("SET KEEPTTL of a new key lost its deadline")
		}
		// Databases are separate.
		if str(s, 1, "k") != "<nil>" {
			t.Fatal("key leaked into db 1")
		}
		// The store copies key and value.
		key, val := []byte("c"), []byte("abc")
		s.SetString(0, key, val, 0, false)
		key[0], val[0] = 'x', 'x'
		if str(s, 0, "c") != "abc" {
			t.Fatal("store kept the caller's bytes")
		}
		// SET of an expired key creates a fresh one.
		s.SetString(0, k, []byte("old"), in(time.Second), false)
		time.Sleep(2 * time.Second)
		s.SetString(0, k, []byte("new"), 0, true)
		if str(s, 0, "k") != "new" || ttl(s, 0, "k") != 0 {
			t.Fatal("SET KEEPTTL over an expired key kept its TTL")
		}
		// A wrong-type value is overwritten.
		putList(s, 0, "l")
		set(s, 0, "l", "s")
		if str(s, 0, "l") != "s" || s.Peek(0, []byte("l")).Type() != TypeString {
			t.Fatal("SET did not overwrite a list")
		}
		checkCounts(t, s, 0)
	})
}

func TestSetStringReusesBuffer(t *testing.T) {
	s := New(1)
	k := []byte("k")
	set(s, 0, "k", strings.Repeat("a", 100))
	p := &s.Peek(0, k).buf()[0]
	set(s, 0, "k", strings.Repeat("b", 90))
	if &s.Peek(0, k).buf()[0] != p || str(s, 0, "k") != strings.Repeat("b", 90) {
		t.Fatal("overwrite did not reuse the buffer")
	}
	// A much smaller value gets a buffer of its own.
	set(s, 0, "k", strings.Repeat("c", 10000))
	set(s, 0, "k", "d")
	if cap(s.Peek(0, k).buf()) > 100 {
		t.Fatalf("small value keeps a %d byte buffer", cap(s.Peek(0, k).buf()))
	}
}

func TestIncrBy(t *testing.T) {
	tests := []struct {
		name  string
		init  string // "" for absent
		delta int64
		want  int64
		err   error
	}{
		{"absent", "", 5, 5, nil},
		{"int", "10", 5, 15, nil},
		{"negative", "10", -15, -5, nil},
		{"embstr int", "99999999999999999999", 1, 0, ErrNotInteger},
		{"not int", "abc", 1, 0, ErrNotInteger},
		{"leading zero", "01", 1, 0, ErrNotInteger},
		{"float", "1.5", 1, 0, ErrNotInteger},
		{"max", "9223372036854775806", 1, math.MaxInt64, nil},
		{"overflow", "9223372036854775807", 1, 0, ErrOverflow},
		{"underflow", "-9223372036854775808", -1, 0, ErrOverflow},
		{"min", "-9223372036854775807", -1, math.MinInt64, nil},
		{"big delta", "-1", math.MinInt64, 0, ErrOverflow},
		{"zero delta", "7", 0, 7, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(1)
			if tt.init != "" {
				set(s, 0, "k", tt.init)
			}
			got, err := s.IncrBy(0, []byte("k"), tt.delta)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Fatalf("IncrBy = %d, %v; want %d, %v", got, err, tt.want, tt.err)
			}
			if err == nil && (enc(s, 0, "k") != "int" || s.Peek(0, []byte("k")).ival() != tt.want) {
				t.Fatalf("stored %s %q", enc(s, 0, "k"), str(s, 0, "k"))
			}
			if err != nil && str(s, 0, "k") != tt.init {
				t.Fatalf("failed IncrBy changed the value to %q", str(s, 0, "k"))
			}
		})
	}
	s := New(1)
	putList(s, 0, "l")
	if _, err := s.IncrBy(0, []byte("l"), 1); err != ErrWrongType {
		t.Fatalf("IncrBy of a list: %v", err)
	}
	// An embstr holding an integer (an INCRBYFLOAT result) increments.
	if _, err := s.IncrByFloat(0, []byte("f"), []byte("10")); err != nil {
		t.Fatal(err)
	}
	if n, err := s.IncrBy(0, []byte("f"), 1); n != 11 || err != nil || enc(s, 0, "f") != "int" {
		t.Fatalf("IncrBy of an embstr 10 = %d, %v, %s", n, err, enc(s, 0, "f"))
	}
}

func TestIncrByFloat(t *testing.T) {
	// Expected values are replies of redis-server 7.0.
	tests := []struct {
		init, incr string // init "" for absent
		want       string
		err        error
	}{
		{"10.5", "0.1", "10.6", nil},
		{"0.1", "0.2", "0.3", nil},
		{"5.0e3", "2.0e2", "5200", nil},
		{"", "1.5", "1.5", nil},
		{"10", "5", "15", nil},
		{"-0.0", "0", "0", nil},
		{"0", "-0.0", "0", nil},
		{"1", "-1", "0", nil},
		{"-1", "0.00000000000000000001", "-1", nil},
		{"1", "-1e-20", "1", nil},
		{"1", "0x10", "17", nil},
		{"1", "0x1p3", "9", nil},
		{"1", "0x.8", "1.5", nil},
		{"1", "0x1.", "2", nil},
		{"1", "0X1P-1", "1.5", nil},
		{"1", ".5", "1.5", nil},
		{"1", "5.", "6", nil},
		{"1", "+5", "6", nil},
		{"1", "1E+2", "101", nil},
		{"1", "1e-4940", "1", nil},
		{"1", "1e-4950", "1", nil},
		{"0", "0.000003814697265625", "0.00000381469726562", nil},
		{"0", "0.000001907348632812", "0.00000190734863281", nil},
		{"3.0000000000000000001", "0", "3", nil},
		{"9223372036854775807", "1", "9223372036854775808", nil},
		{"1e308", "1e308", "199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096", nil},
		{"1", "inf", "", ErrNaN},
		{"inf", "1", "", ErrNaN},
		{"1", "infinity", "", ErrNaN},
		{"1", "-INF", "", ErrNaN},
		{"1.18973149535723176502e+4932", "1.18973149535723176502e+4932", "", ErrNaN},
		{"1", "nan", "", ErrNotFloat},
		{"1", "nan(1)", "", ErrNotFloat},
		{"1", " 1", "", ErrNotFloat},
		{"1", "1 ", "", ErrNotFloat},
		{"1", "", "", ErrNotFloat},
		{"1", "1p3", "", ErrNotFloat},
		{"1", "1e", "", ErrNotFloat},
		{"1", "1e+", "", ErrNotFloat},
		{"1", ".", "", ErrNotFloat},
		{"1", "1_0", "", ErrNotFloat},
		{"0x", "1", "", ErrNotFloat},
		{"1", "1e5000", "", ErrNotFloat},
		{"1", "1e-5000", "", ErrNotFloat},
		{"1", "1e-4951", "", ErrNotFloat},
		{"1.1897314953572317651e+4932", "0", "", ErrNotFloat},
		{"abc", "1", "", ErrNotFloat},
		{"1", "1.2.3", "", ErrNotFloat},
		{"1", "--1", "", ErrNotFloat},
		{"1", "1\x00", "", ErrNotFloat},
		{"1", strings.Repeat("1", 5120), "", ErrNotFloat},
	}
	for _, tt := range tests {
		s := New(1)
		if tt.init != "" {
			set(s, 0, "k", tt.init)
		}
		got, err := s.IncrByFloat(0, []byte("k"), []byte(tt.incr))
		if string(got) != tt.want || err != tt.err {
			t.Errorf("%q + %q = %q, %v; want %q, %v", tt.init, tt.incr, got, err, tt.want, tt.err)
			continue
		}
		if err != nil {
			if want := tt.init; want == "" && str(s, 0, "k") != "<nil>" || want != "" && str(s, 0, "k") != want {
				t.Errorf("%q + %q failed but changed the value to %q", tt.init, tt.incr, str(s, 0, "k"))
			}
			continue
		}
		wantEnc := "embstr"
		if len(tt.want) > 44 {
			wantEnc = "raw"
		}
		if str(s, 0, "k") != tt.want || enc(s, 0, "k") != wantEnc {
			t.Errorf("%q + %q stored %s %q", tt.init, tt.incr, enc(s, 0, "k"), str(s, 0, "k"))
		}
		// The returned text is the caller's.
		got[0] = '#'
		if str(s, 0, "k") != tt.want {
			t.Errorf("%q + %q: returned text aliases the store", tt.init, tt.incr)
		}
	}
	s := New(1)
	putList(s, 0, "l")
	if _, err := s.IncrByFloat(0, []byte("l"), []byte("1")); err != ErrWrongType {
		t.Fatalf("IncrByFloat of a list: %v", err)
	}
}

func TestAppend(t *testing.T) {
	tests := []struct {
		init    string // "" for absent
		val     string
		want    string
		wantEnc string
	}{
		{"", "123", "123", "int"},
		{"", "hello", "hello", "embstr"},
		{"", strings.Repeat("x", 50), strings.Repeat("x", 50), "raw"},
		{"hello", "x", "hellox", "raw"},
		{"hello", "", "hello", "raw"},
		{"12", "3", "123", "raw"},
		{"-5", "", "-5", "raw"},
	}
	for _, tt := range tests {
		s := New(1)
		if tt.init != "" {
			set(s, 0, "k", tt.init)
		}
		n, err := s.Append(0, []byte("k"), []byte(tt.val))
		if err != nil || n != len(tt.want) || str(s, 0, "k") != tt.want || enc(s, 0, "k") != tt.wantEnc {
			t.Errorf("APPEND %q to %q = %d, %v: %s %q; want %s %q", tt.val, tt.init, n, err,
				enc(s, 0, "k"), str(s, 0, "k"), tt.wantEnc, tt.want)
		}
	}
	s := New(1)
	putList(s, 0, "l")
	if _, err := s.Append(0, []byte("l"), []byte("x")); err != ErrWrongType {
		t.Fatalf("Append to a list: %v", err)
	}
	s.SetMaxStringLen(10)
	set(s, 0, "k", "12345")
	if _, err := s.Append(0, []byte("k"), []byte("67890")); err != nil {
		t.Fatalf("Append to the limit: %v", err)
	}
	if _, err := s.Append(0, []byte("k"), []byte("!")); err != ErrTooLong {
		t.Fatalf("Append beyond the limit: %v", err)
	}
	if str(s, 0, "k") != "1234567890" {
		t.Fatalf("failed Append changed the value to %q", str(s, 0, "k"))
	}
}

func TestSetRange(t *testing.T) {
	tests := []struct {
		init    string // "" for absent
		offset  int
		val     string
		n       int
		want    string // "<nil>" when no key is created
		wantEnc string
	}{
		{"", 2, "ab", 4, "\x00\x00ab", "raw"},
		{"", 0, "12", 2, "12", "raw"},
		{"", 5, "", 0, "<nil>", "<nil>"},
		{"hello", 0, "", 5, "hello", "embstr"},
		{"hello", 1, "EL", 5, "hELlo", "raw"},
		{"hello", 5, "!", 6, "hello!", "raw"},
		{"hello", 7, "!", 8, "hello\x00\x00!", "raw"},
		{"123", 1, "0", 3, "103", "raw"},
		{"123", 10, "", 3, "123", "int"},
	}
	for _, tt := range tests {
		s := New(1)
		if tt.init != "" {
			set(s, 0, "k", tt.init)
		}
		n, err := s.SetRange(0, []byte("k"), tt.offset, []byte(tt.val))
		if err != nil || n != tt.n || str(s, 0, "k") != tt.want || enc(s, 0, "k") != tt.wantEnc {
			t.Errorf("SETRANGE %q %d %q = %d, %v: %s %q; want %d, %s %q", tt.init, tt.offset, tt.val, n, err,
				enc(s, 0, "k"), str(s, 0, "k"), tt.n, tt.wantEnc, tt.want)
		}
	}
	s := New(1)
	putList(s, 0, "l")
	if _, err := s.SetRange(0, []byte("l"), 0, []byte("x")); err != ErrWrongType {
		t.Fatalf("SetRange of a list: %v", err)
	}
	if _, err := s.SetRange(0, []byte("l"), 0, nil); err != ErrWrongType {
		t.Fatalf("empty SetRange of a list: %v", err)
	}
	s.SetMaxStringLen(10)
	if _, err := s.SetRange(0, []byte("k"), 9, []byte("ab")); err != ErrTooLong {
		t.Fatalf("SetRange beyond the limit: %v", err)
	}
	if s.Exists(0, []byte("k")) {
		t.Fatal("failed SetRange created the key")
	}
	if n, err := s.SetRange(0, []byte("k"), 8, []byte("ab")); n != 10 || err != nil {
		t.Fatalf("SetRange to the limit = %d, %v", n, err)
	}
	if _, err := s.SetRange(0, []byte("k"), math.MaxInt, []byte("ab")); err != ErrTooLong {
		t.Fatalf("SetRange at a huge offset: %v", err)
	}
	// Empty values are not checked against the limit.
	if n, err := s.SetRange(0, []byte("k"), 100, nil); n != 10 || err != nil {
		t.Fatalf("empty SetRange beyond the limit = %d, %v", n, err)
	}
}

// TestStringTTL checks which string writes keep and which clear the TTL.
func TestStringTTL(t *testing.T) {
	tests := []struct {
		name string
		op   func(s *Store, k []byte)
		keep bool
	}{
		{"SET", func(s *Store, k []byte) { s.SetString(0, k, []byte("1"), 0, false) }, false},
		{"SET KEEPTTL", func(s *Store, k []byte) { s.SetString(0, k, []byte("1"), 0, true) }, true},
		{"INCRBY", func(s *Store, k []byte) { s.IncrBy(0, k, 1) }, true},
		{"INCRBYFLOAT", func(s *Store, k []byte) { s.IncrByFloat(0, k, []byte("1.5")) }, true},
		{"APPEND", func(s *Store, k []byte) { s.Append(0, k, []byte("1")) }, true},
		{"SETRANGE", func(s *Store, k []byte) { s.SetRange(0, k, 0, []byte("2")) }, true},
		{"Lookup", func(s *Store, k []byte) { s.Lookup(0, k) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := New(1)
				k := []byte("k")
				at := in(time.Minute)
				s.SetString(0, k, []byte("10"), at, false)
				tt.op(s, k)
				want := int64(0)
				if tt.keep {
					want = at
				}
				if got := ttl(s, 0, "k"); got != want {
					t.Fatalf("TTL after %s = %d, want %d", tt.name, got, want)
				}
				checkCounts(t, s, 0)
				// A kept TTL still expires the key.
				time.Sleep(2 * time.Minute)
				if tt.keep && s.Exists(0, k) {
					t.Fatalf("key outlived its TTL after %s", tt.name)
				}
			})
		})
	}
}
