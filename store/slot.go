package store

const (
	// Slots is the number of hash slots, as in Redis Cluster.
	Slots = 16384
	// Shards is the number of lock shards; shard i holds the 64 slots
	// [64*i, 64*i+64).
	Shards = 256
	// slotsPerShard is the number of consecutive slots in a shard.
	slotsPerShard = Slots / Shards
	// shardShift turns a slot into its shard.
	shardShift = 6
)

// crc16Table is the table of CRC-16/XMODEM (polynomial 0x1021, initial
// value 0), the checksum Redis Cluster hashes keys with.
var crc16Table = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x1021
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

// crc16 returns the CRC-16/XMODEM checksum of b.
func crc16[T string | []byte](b T) uint16 {
	var c uint16
	for i := 0; i < len(b); i++ {
		c = c<<8 ^ crc16Table[byte(c>>8)^b[i]]
	}
	return c
}

// Slot returns the hash slot of key: the CRC-16 of the key modulo 16384,
// or of its hash tag when the key has one. The hash tag is the text between
// the first '{' and the first '}' after it, when that text is not empty, so
// "{user1}.name" and "{user1}.mail" share a slot.
func Slot(key []byte) int { return slotOf(key) }

// slotOf is [Slot] for keys held as strings or byte slices.
func slotOf[T string | []byte](key T) int {
	for s := 0; s < len(key); s++ {
		if key[s] != '{' {
			continue
		}
		for e := s + 1; e < len(key); e++ {
			if key[e] == '}' {
				if e == s+1 {
					break
				}
				return int(crc16(key[s+1:e]) & (Slots - 1))
			}
		}
		break
	}
	return int(crc16(key) & (Slots - 1))
}

// ShardOf returns the lock shard of key: Slot(key) >> 6.
func ShardOf(key []byte) int {
	return Slot(key) >> shardShift
}
