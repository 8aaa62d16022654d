package store

import (
	"encoding/binary"
	"math/bits"
	"strconv"
)

// Bitmaps are string values read and written bit by bit. Bit 0 is the most significant bit
// of the first byte, as in Redis; bits past the end of the string read as 0.

// Bitmap returns the bytes of the string at key for reading bits, and whether the key
// exists. An integer-encoded value is formatted into scratch. It returns [ErrWrongType]
// when the key holds another type. The bytes are the value's own: do not modify or keep
// them. It counts as an access. The caller must hold the key's shard lock.
func (s *Store) Bitmap(db int, key []byte, scratch []byte) (b []byte, found bool, err error) {
	v := s.Lookup(db, key)
	if v == nil {
		return nil, false, nil
	}
	if v.typ != TypeString {
		return nil, true, ErrWrongType
	}
	if v.enc == encInt {
		return strconv.AppendInt(scratch[:0], v.ival(), 10), true, nil
	}
	return v.buf(), true, nil
}

// BitmapForWrite returns the bytes of the string at key for changing bits in place, grown
// with zero bytes to at least n bytes; an absent key is created with n zero bytes. The value
// becomes raw-encoded, as Redis unshares a string before a bit command edits it; its TTL
// is kept. It returns [ErrWrongType] when the key holds another type. The bytes are valid
// until the caller releases the key's shard lock. The caller must hold that lock.
func (s *Store) BitmapForWrite(db int, key []byte, n int) ([]byte, error) {
	now := nowMs()
	d, i, v := s.find(db, key, now)
	if v == nil {
		v = newValue(key, TypeString, n)
		v.enc, v.slen = encRaw, uint32(n)
		v.init(now)
		d.add(i, v)
		return v.buf(), nil
	}
	if v.typ != TypeString {
		return nil, ErrWrongType
	}
	v.touch(now)
	v.makeRaw()
	if l := int(v.slen); l < n {
		b := v.grow(n)[:n]
		clear(b[l:])
		v.slen = uint32(n)
	}
	return v.buf(), nil
}

// SetBitmap sets key to a raw-encoded copy of val without TTL, as BITOP stores its result;
// an empty val deletes the key instead. The caller must hold the key's shard lock.
func (s *Store) SetBitmap(db int, key, val []byte) {
	if len(val) == 0 {
		s.Delete(db, key)
		return
	}
	now := s.accessMs()
	d, i, v := s.find(db, key, 0)
	if v == nil {
		v = newValue(key, TypeString, len(val))
		v.init(now)
		v.setBytes(val, encRaw)
		d.add(i, v)
		return
	}
	v.touch(now)
	v.obj = nil
	v.setBytes(val, encRaw)
	d.setExpire(v, 0)
}

// BitCount returns the number of set bits among bits from to to, inclusive, of b; both
// must be within b.
func BitCount(b []byte, from, to int64) int64 {
	if from > to {
		return 0
	}
	first, last := from>>3, to>>3
	n := popcount(b[first : last+1])
	// Take away the bits of the edge bytes outside the range.
	n -= int64(bits.OnesCount8(b[first] &^ (0xff >> (from & 7))))
	n -= int64(bits.OnesCount8(b[last] & (0xff >> (to&7 + 1))))
	return n
}

// popcount returns the number of set bits in b.
func popcount(b []byte) int64 {
	var n int
	for len(b) >= 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	for _, c := range b {
		n += bits.OnesCount8(c)
	}
	return int64(n)
}

// BitPos returns the position of the first bit equal to bit (0 or 1) among bits from to
// to, inclusive, of b, or -1 when there is none; both must be within b.
func BitPos(b []byte, bit int, from, to int64) int64 {
	var skip byte // a byte made only of bits that do not match
	if bit == 0 {
		skip = 0xff
	}
	for pos := from; pos <= to; {
		if pos&7 == 0 && pos+7 <= to && b[pos>>3] == skip {
			pos += 8
			continue
		}
		if int(b[pos>>3]>>(7-pos&7))&1 == bit {
			return pos
		}
		pos++
	}
	return -1
}

// GetBit returns bit offset of b, 0 beyond its end.
func GetBit(b []byte, offset int64) int {
	if offset>>3 >= int64(len(b)) {
		return 0
	}
	return int(b[offset>>3]>>(7-offset&7)) & 1
}

// SetBit sets bit offset of b, which must be within b, to bit and returns its old value.
func SetBit(b []byte, offset int64, bit int) int {
	mask := byte(1) << (7 - offset&7)
	old := 0
	if b[offset>>3]&mask != 0 {
		old = 1
	}
	if bit != 0 {
		b[offset>>3] |= mask
	} else {
		b[offset>>3] &^= mask
	}
	return old
}

// GetBitfield returns the width bits (1 to 64) of b from bit offset as an unsigned
// integer, the first bit being the most significant; bits beyond b's end read as 0.
func GetBitfield(b []byte, offset int64, width int) uint64 {
	var v uint64
	for j := range int64(width) {
		v = v<<1 | uint64(GetBit(b, offset+j))
	}
	return v
}

// SetBitfield writes the low width bits (1 to 64) of v into b from bit offset, the most
// significant first; the bits must be within b.
func SetBitfield(b []byte, offset int64, width int, v uint64) {
	for j := range width {
		SetBit(b, offset+int64(j), int(v>>(width-1-j))&1)
	}
}
