package store

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// naiveBit returns bit i of b, the most significant bit of b[0] being bit 0.
func naiveBit(b []byte, i int64) int {
	if i>>3 >= int64(len(b)) {
		return 0
	}
	return int(b[i/8]>>(7-i%8)) & 1
}

// TestBitmapModel compares BitCount, BitPos and the bitfield functions with bit-by-bit
// computations on random strings and ranges.
func TestBitmapModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, 1+rng.IntN(20))
		for i := range b {
			switch rng.IntN(3) {
			case 0:
				b[i] = 0
			case 1:
				b[i] = 0xff
			default:
				b[i] = byte(rng.Uint32())
			}
		}
		nbits := int64(len(b)) * 8
		from := rng.Int64N(nbits)
		to := from + rng.Int64N(nbits-from)
		var count int64
		first := [2]int64{-1, -1}
		for i := from; i <= to; i++ {
			bit := naiveBit(b, i)
			count += int64(bit)
			if first[bit] < 0 {
				first[bit] = i
			}
		}
		if got := BitCount(b, from, to); got != count {
			t.Fatalf("BitCount(%x, %d, %d) = %d, want %d", b, from, to, got, count)
		}
		for bit := range 2 {
			if got := BitPos(b, bit, from, to); got != first[bit] {
				t.Fatalf("BitPos(%x, %d, %d, %d) = %d, want %d", b, bit, from, to, got, first[bit])
			}
		}
		width := 1 + rng.IntN(64)
		offset := rng.Int64N(nbits + 16)
		var want uint64
		for j := range int64(width) {
			want = want<<1 | uint64(naiveBit(b, offset+j))
		}
		if got := GetBitfield(b, offset, width); got != want {
			t.Fatalf("GetBitfield(%x, %d, %d) = %d, want %d", b, offset, width, got, want)
		}
		if offset+int64(width) <= nbits {
			v := rng.Uint64() & (1<<width - 1)
			if width == 64 {
				v = rng.Uint64()
			}
			c := append([]byte(nil), b...)
			SetBitfield(c, offset, width, v)
			if got := GetBitfield(c, offset, width); got != v {
				t.Fatalf("SetBitfield then GetBitfield = %d, want %d", got, v)
			}
			for i := range nbits {
				if (i < offset || i >= offset+int64(width)) && naiveBit(c, i) != naiveBit(b, i) {
					t.Fatalf("SetBitfield(%d, %d) changed bit %d", offset, width, i)
				}
			}
		}
	}
}

func TestSetGetBit(t *testing.T) {
	b := make([]byte, 2)
	if old := SetBit(b, 9, 1); old != 0 || b[1] != 0x40 {
		t.Fatalf("SetBit: old %d, bytes %x", old, b)
	}
	if old := SetBit(b, 9, 0); old != 1 || b[1] != 0 {
		t.Fatalf("SetBit clear: old %d, bytes %x", old, b)
	}
	if GetBit(b, 100) != 0 {
		t.Error("GetBit beyond the end is not 0")
	}
}

func TestStoreBitmap(t *testing.T) {
	s := New(1)
	defer s.Close()
	key := []byte("k")
	if b, found, err := s.Bitmap(0, key, nil); b != nil || found || err != nil {
		t.Fatalf("Bitmap of absent key = %v %v %v", b, found, err)
	}
	b, err := s.BitmapForWrite(0, key, 3)
	if err != nil || len(b) != 3 {
		t.Fatalf("BitmapForWrite = %x, %v", b, err)
	}
	SetBit(b, 0, 1)
	if got := str(s, 0, "k"); got != "\x80\x00\x00" || enc(s, 0, "k") != "raw" {
		t.Errorf("value %q encoding %s", got, enc(s, 0, "k"))
	}
	set(s, 0, "n", "12")
	if b, found, err := s.Bitmap(0, []byte("n"), nil); string(b) != "12" || !found || err != nil {
		t.Errorf("Bitmap of an integer = %q %v %v", b, found, err)
	}
	s.SetExpire(0, []byte("n"), in(time.Hour))
	b, _ = s.BitmapForWrite(0, []byte("n"), 4)
	if string(b) != "12\x00\x00" || enc(s, 0, "n") != "raw" || ttl(s, 0, "n") == 0 {
		t.Errorf("grown integer: %q %s ttl %d", b, enc(s, 0, "n"), ttl(s, 0, "n"))
	}
	s.SetBitmap(0, []byte("n"), []byte("7"))
	if str(s, 0, "n") != "7" || enc(s, 0, "n") != "raw" || ttl(s, 0, "n") != 0 {
		t.Errorf("SetBitmap: %q %s ttl %d", str(s, 0, "n"), enc(s, 0, "n"), ttl(s, 0, "n"))
	}
	s.SetBitmap(0, []byte("n"), nil)
	if s.Exists(0, []byte("n")) {
		t.Error("SetBitmap of nothing kept the key")
	}
	l, _ := s.ListForWrite(0, []byte("l"))
	l.PushRight([]byte("a"))
	if _, _, err := s.Bitmap(0, []byte("l"), nil); !errors.Is(err, ErrWrongType) {
		t.Errorf("Bitmap of a list: %v", err)
	}
	if _, err := s.BitmapForWrite(0, []byte("l"), 1); !errors.Is(err, ErrWrongType) {
		t.Errorf("BitmapForWrite of a list: %v", err)
	}
	s.SetBitmap(0, []byte("l"), []byte("x"))
	if v := s.Peek(0, []byte("l")); v.Type() != TypeString || str(s, 0, "l") != "x" {
		t.Errorf("SetBitmap over a list: %v %q", v.Type(), str(s, 0, "l"))
	}
	checkCounts(t, s, 0)
}
