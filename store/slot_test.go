package store

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

func TestSlot(t *testing.T) {
	// Expected slots are CLUSTER KEYSLOT replies of redis-server 7.0.
	tests := []struct {
		key  string
		slot int
	}{
		{"", 0},
		{"123456789", 12739},
		{"foo", 12182},
		{"bar", 5061},
		{"{user1000}.following", 3443},
		{"user1000", 3443},
		{"foo{}{bar}", 8363},
		{"foo{{bar}}zap", 4015},
		{"foo{bar}{zap}", 5061},
		{"{}", 15257},
		{"a{b", 13340},
		{"}{x}", 16287},
		{"{a}", 15495},
	}
	for _, tt := range tests {
		if got := Slot([]byte(tt.key)); got != tt.slot {
			t.Errorf("Slot(%q) = %d, want %d", tt.key, got, tt.slot)
		}
		if got := slotOf(tt.key); got != tt.slot {
			t.Errorf("slotOf(%q) = %d, want %d", tt.key, got, tt.slot)
		}
		if got := ShardOf([]byte(tt.key)); got != tt.slot>>6 {
			t.Errorf("ShardOf(%q) = %d, want %d", tt.key, got, tt.slot>>6)
		}
	}
}

func TestCRC16(t *testing.T) {
	// The CRC-16/XMODEM check value.
	if got := crc16([]byte("123456789")); got != 0x31c3 {
		t.Fatalf("crc16 = %#x, want 0x31c3", got)
	}
	// Four bytes at a time must agree with the bit-by-bit definition at every length.
	bitwise := func(b []byte) uint16 {
		var c uint16
		for _, x := range b {
			c ^= uint16(x) << 8
			for range 8 {
				if c&0x8000 != 0 {
					c = c<<1 ^ 0x1021
				} else {
					c <<= 1
				}
			}
		}
		return c
	}
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 64 {
		for range 20 {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			if got, want := crc16(b), bitwise(b); got != want {
				t.Fatalf("crc16(%x) = %#x, want %#x", b, got, want)
			}
		}
	}
}

func TestShardLayout(t *testing.T) {
	if Slots/Shards != slotsPerShard || 1<<shardShift != slotsPerShard {
		t.Fatal("shard constants disagree")
	}
	if n := unsafe.Sizeof(shard{}); n != 64 {
		t.Fatalf("shard is %d bytes, want one cache line", n)
	}
}
