package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// hllRegs decodes the registers of the HLL at key.
func hllRegs(t *testing.T, s *Store, key string) []byte {
	t.Helper()
	regs := make([]byte, hllRegisters)
	if !hllMerge(regs, []byte(str(s, 0, key))) {
		t.Fatalf("%s: malformed registers", key)
	}
	return regs
}

// checkSparse verifies that the sparse opcodes of b cover exactly all registers.
func checkSparse(t *testing.T, b []byte) {
	t.Helper()
	if b[4] != hllSparse {
		return
	}
	if _, ok := hllHisto(b); !ok {
		t.Fatalf("sparse opcodes do not cover %d registers: % x", hllRegisters, b[hllHdrSize:])
	}
}

func TestMurmurHash64A(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
	}{
		{"", 0xd8dfea6585bc9732},
		{"a", 0x53d2470a9b43b1a7},
		{"foo", 0xe64609b8b0141cb4},
		{"hello world", 0xa919bc3051f624b7},
		{"0123456789abcdef", 0x9f8565428eaa573d},
		{"0123456789abcdefg", 0xf6c82f549aceb6e9},
	} {
		if got := MurmurHash64A([]byte(tc.in), hllSeed); got != tc.want {
			t.Errorf("MurmurHash64A(%q) = %#x, want %#x", tc.in, got, tc.want)
		}
	}
}

func TestHLLNew(t *testing.T) {
	s := New(1)
	ok, err := s.PFAdd(0, []byte("h"), nil, 3000)
	if err != nil || !ok {
		t.Fatalf("PFAdd = %v, %v", ok, err)
	}
	want := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff"
	if got := str(s, 0, "h"); got != want {
		t.Fatalf("new HLL = %q, want %q", got, want)
	}
	if got := enc(s, 0, "h"); got != "raw" {
		t.Fatalf("encoding %q", got)
	}
	if ok, _ := s.PFAdd(0, []byte("h"), nil, 3000); ok {
		t.Fatal("PFAdd without elements on an existing key reported a change")
	}
	if n, _, err := s.PFCount(0, [][]byte{[]byte("h")}); n != 0 || err != nil {
		t.Fatalf("PFCount = %d, %v", n, err)
	}
}

func TestHLLErrors(t *testing.T) {
	s := New(1)
	putList(s, 0, "list")
	set(s, 0, "str", "hello")
	set(s, 0, "int", "12345678901234567")
	set(s, 0, "dense", "HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	set(s, 0, "badsparse", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xf0")
	set(s, 0, "badenc", "HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff")
	for _, tc := range []struct {
		key  string
		want error
	}{
		{"list", ErrWrongType},
		{"str", ErrNotHLL},
		{"int", ErrNotHLL},
		{"dense", ErrNotHLL},
		{"badenc", ErrNotHLL},
		{"badsparse", ErrInvalidHLL},
	} {
		_, _, err := s.PFCount(0, [][]byte{[]byte(tc.key)})
		if !errors.Is(err, tc.want) {
			t.Errorf("PFCount %s: %v, want %v", tc.key, err, tc.want)
		}
		_, _, err = s.PFCount(0, [][]byte{[]byte("absent"), []byte(tc.key)})
		if !errors.Is(err, tc.want) {
			t.Errorf("PFCount absent %s: %v, want %v", tc.key, err, tc.want)
		}
		err = s.PFMerge(0, []byte("dst"), [][]byte{[]byte(tc.key)}, 3000)
		if !errors.Is(err, tc.want) {
			t.Errorf("PFMerge %s: %v, want %v", tc.key, err, tc.want)
		}
		if tc.want != ErrInvalidHLL {
			if _, err := s.PFAdd(0, []byte(tc.key), [][]byte{[]byte("a")}, 3000); !errors.Is(err, tc.want) {
				t.Errorf("PFAdd %s: %v, want %v", tc.key, err, tc.want)
			}
		}
	}
	if s.Exists(0, []byte("dst")) {
		t.Error("failed PFMerge created its destination")
	}
}

// TestHLLModel adds random elements and compares the registers and the count with a plain
// array of registers, for several sparse size limits.
func TestHLLModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, maxBytes := range []int64{0, 40, 300, 3000, 20000} {
		s := New(1)
		var model [hllRegisters]byte
		n := 0
		for round := range 60 {
			var elems [][]byte
			for range r.IntN(50) * (1 + round/20) {
				elems = append(elems, []byte(strconv.Itoa(r.IntN(40000))))
			}
			changed := false
			for _, e := range elems {
				reg, count := hllPatLen(e)
				if byte(count) > model[reg] {
					model[reg] = byte(count)
					changed = true
				}
			}
			n++
			ok, err := s.PFAdd(0, []byte("h"), elems, maxBytes)
			if err != nil {
				t.Fatal(err)
			}
			if ok != (changed || n == 1) {
				t.Fatalf("max %d round %d: PFAdd = %v, want %v", maxBytes, round, ok, changed)
			}
			b := []byte(str(s, 0, "h"))
			checkSparse(t, b)
			if b[4] == hllSparse && int64(len(b)) > max(maxBytes, hllHdrSize+2) {
				t.Fatalf("sparse HLL of %d bytes above the limit %d", len(b), maxBytes)
			}
			if got := hllRegs(t, s, "h"); string(got) != string(model[:]) {
				t.Fatalf("max %d round %d: registers differ", maxBytes, round)
			}
			var h [64]int
			for _, v := range model {
				h[v]++
			}
			want := int64(hllEstimate(&h))
			got, _, err := s.PFCount(0, [][]byte{[]byte("h")})
			if err != nil || got != want {
				t.Fatalf("PFCount = %d, %v; want %d", got, err, want)
			}
			if got, _, _ := s.PFCount(0, [][]byte{[]byte("h"), []byte("absent")}); got != want {
				t.Fatalf("PFCount of two = %d, want %d", got, want)
			}
		}
	}
}

// pfRedis is a redis-server to compare HyperLogLogs with; it skips the test when
// redis-server is absent, unless CI is set.
func pfRedis(t *testing.T) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil && os.Getenv("CI") != "" {
		t.Fatal("redis-server is needed in CI")
	}
	return startRedis(t)
}

// compareHLL checks that key has the same bytes in s and rs.
func compareHLL(t *testing.T, s *Store, rs *redisServer, key, what string) {
	t.Helper()
	want := rs.do(t, "GET", key)
	if got := str(s, 0, key); got != want {
		t.Fatalf("%s: %s differs from redis-server:\n got %q\nwant %q", what, key, trim(got), trim(want))
	}
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// TestHLLRedis sends the same random PFADD, PFCOUNT and PFMERGE to the store and to
// redis-server and compares the replies and the bytes of every HyperLogLog.
func TestHLLRedis(t *testing.T) {
	rs := pfRedis(t)
	r := rand.New(rand.NewPCG(3, 4))
	for _, maxBytes := range []int64{3000, 100, 8000} {
		rs.do(t, "FLUSHALL")
		rs.do(t, "CONFIG", "SET", "hll-sparse-max-bytes", strconv.FormatInt(maxBytes, 10))
		s := New(1)
		keys := []string{"a", "b", "c", "d"}
		seen := map[byte]bool{}
		for step := range 150 {
			key := keys[r.IntN(len(keys))]
			switch op := r.IntN(10); {
			case op < 6:
				args := []string{"PFADD", key}
				var elems [][]byte
				n := r.IntN(8) * (1 + r.IntN(3)*r.IntN(30))
				if r.IntN(15) == 0 {
					n = 1000
				}
				for range n {
					e := strconv.Itoa(r.IntN(100000))
					if r.IntN(4) == 0 {
						e = string(rune('a'+r.IntN(26))) + e
					}
					args = append(args, e)
					elems = append(elems, []byte(e))
				}
				want := rs.do(t, args...)
				ok, err := s.PFAdd(0, []byte(key), elems, maxBytes)
				if err != nil {
					t.Fatal(err)
				}
				if got := map[bool]string{false: "0", true: "1"}[ok]; got != want {
					t.Fatalf("step %d PFADD %s = %s, want %s", step, key, got, want)
				}
			case op < 8:
				n := 1 + r.IntN(3)
				args := []string{"PFCOUNT"}
				var ks [][]byte
				for range n {
					k := keys[r.IntN(len(keys))]
					args = append(args, k)
					ks = append(ks, []byte(k))
				}
				want := rs.do(t, args...)
				got, _, err := s.PFCount(0, ks)
				if err != nil {
					t.Fatal(err)
				}
				if strconv.FormatInt(got, 10) != want {
					t.Fatalf("step %d %v = %d, want %s", step, args, got, want)
				}
			default:
				args := []string{"PFMERGE", key}
				var ks [][]byte
				for range r.IntN(3) {
					k := keys[r.IntN(len(keys))]
					args = append(args, k)
					ks = append(ks, []byte(k))
				}
				if want := rs.do(t, args...); want != "OK" {
					t.Fatalf("redis-server: %v = %s", args, want)
				}
				if err := s.PFMerge(0, []byte(key), ks, maxBytes); err != nil {
					t.Fatal(err)
				}
			}
			for _, k := range keys {
				if k != key && step%10 != 0 {
					continue
				}
				compareHLL(t, s, rs, k, fmt.Sprintf("max %d step %d", maxBytes, step))
				if b := str(s, 0, k); b != "<nil>" {
					seen[b[4]] = true
				}
			}
		}
		if !seen[hllDense] || !seen[hllSparse] {
			t.Errorf("max %d: encodings seen %v, want both", maxBytes, seen)
		}
	}
}

// TestHLLRedisLarge adds 100k elements, going dense, and compares with redis-server.
func TestHLLRedisLarge(t *testing.T) {
	rs := pfRedis(t)
	s := New(1)
	r := rand.New(rand.NewPCG(5, 6))
	const batch = 1000
	for i := 0; i < 100000; i += batch {
		args := []string{"PFADD", "big"}
		var elems [][]byte
		for j := range batch {
			e := "e" + strconv.Itoa(i+j) + ":" + strconv.Itoa(r.IntN(1000))
			args = append(args, e)
			elems = append(elems, []byte(e))
		}
		want := rs.do(t, args...)
		ok, err := s.PFAdd(0, []byte("big"), elems, 3000)
		if err != nil {
			t.Fatal(err)
		}
		if got := map[bool]string{false: "0", true: "1"}[ok]; got != want {
			t.Fatalf("PFADD at %d = %s, want %s", i, got, want)
		}
		if i%10000 == 0 || i < 5000 {
			want := rs.do(t, "PFCOUNT", "big")
			got, _, _ := s.PFCount(0, [][]byte{[]byte("big")})
			if strconv.FormatInt(got, 10) != want {
				t.Fatalf("PFCOUNT at %d = %d, want %s", i, got, want)
			}
			compareHLL(t, s, rs, "big", fmt.Sprintf("after %d", i+batch))
		}
	}
	compareHLL(t, s, rs, "big", "before PFCOUNT")
	want := rs.do(t, "PFCOUNT", "big")
	got, _, _ := s.PFCount(0, [][]byte{[]byte("big")})
	if strconv.FormatInt(got, 10) != want {
		t.Fatalf("PFCOUNT = %d, want %s", got, want)
	}
	compareHLL(t, s, rs, "big", "after PFCOUNT")

	// Merge the dense HLL with a sparse one into a new key, and count them together.
	rs.do(t, "PFADD", "small", "x", "y", "z")
	s.PFAdd(0, []byte("small"), [][]byte{[]byte("x"), []byte("y"), []byte("z")}, 3000)
	rs.do(t, "PFMERGE", "merged", "small", "big")
	if err := s.PFMerge(0, []byte("merged"), [][]byte{[]byte("small"), []byte("big")}, 3000); err != nil {
		t.Fatal(err)
	}
	compareHLL(t, s, rs, "merged", "PFMERGE")
	rs.do(t, "PFMERGE", "small", "big")
	if err := s.PFMerge(0, []byte("small"), [][]byte{[]byte("big")}, 3000); err != nil {
		t.Fatal(err)
	}
	compareHLL(t, s, rs, "small", "PFMERGE into sparse")
	want = rs.do(t, "PFCOUNT", "small", "big", "nokey")
	got, _, _ = s.PFCount(0, [][]byte{[]byte("small"), []byte("big"), []byte("nokey")})
	if strconv.FormatInt(got, 10) != want {
		t.Fatalf("PFCOUNT of three = %d, want %s", got, want)
	}
}

// TestHLLRedisCorrupt compares the handling of hand-made and damaged HLLs.
func TestHLLRedisCorrupt(t *testing.T) {
	rs := pfRedis(t)
	r := rand.New(rand.NewPCG(7, 8))
	s := New(1)
	base := newHLL()
	invalid := 0
	for i := range 200 {
		b := append([]byte(nil), base...)
		// Append random opcodes after a short prefix, so that lengths go wrong both ways.
		b = b[:hllHdrSize]
		for range 1 + r.IntN(6) {
			switch r.IntN(3) {
			case 0:
				b = append(b, byte(r.IntN(64)))
			case 1:
				b = append(b, sparseXZeroBit|byte(r.IntN(64)), byte(r.IntN(256)))
			default:
				b = append(b, sparseValBit|byte(r.IntN(128)))
			}
		}
		if r.IntN(3) == 0 {
			b[15] = 0x80
		}
		key := "k" + strconv.Itoa(i)
		rs.do(t, "SET", key, string(b))
		set(s, 0, key, string(b))
		elem := strconv.Itoa(r.IntN(1000))
		want := rs.do(t, "PFADD", key, elem)
		_, err := s.PFAdd(0, []byte(key), [][]byte{[]byte(elem)}, 3000)
		if want[0] == '-' {
			invalid++
		}
		if (want == "-INVALIDOBJ Corrupted HLL object detected") != errors.Is(err, ErrInvalidHLL) {
			t.Fatalf("PFADD on % x: %v, redis-server %s", b, err, want)
		}
		compareHLL(t, s, rs, key, "PFADD on a hand-made HLL")
		want = rs.do(t, "PFCOUNT", key)
		got, _, err := s.PFCount(0, [][]byte{[]byte(key)})
		if want[0] == '-' {
			if !errors.Is(err, ErrInvalidHLL) {
				t.Fatalf("PFCOUNT on % x: %d, %v; redis-server %s", b, got, err, want)
			}
		} else if strconv.FormatInt(got, 10) != want {
			t.Fatalf("PFCOUNT on % x: %d, %v; redis-server %s", b, got, err, want)
		}
		compareHLL(t, s, rs, key, "PFCOUNT on a hand-made HLL")
	}
	if invalid == 0 || invalid == 200 {
		t.Errorf("%d of 200 hand-made HLLs invalid, want some", invalid)
	}
}
