package store

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
)

// HyperLogLogs are string values in Redis's exact representation, so that GET, SET, DUMP
// and RESTORE exchange them with redis-server byte for byte:
//
//	"HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached cardinality | registers
//
// The cached cardinality is 8 bytes little-endian; the most significant bit of its last
// byte set means the cache is stale. The dense registers are 16384 packed 6-bit counters,
// least significant bits first. The sparse registers are a run-length code of opcodes:
//
//	ZERO  00xxxxxx           xxxxxx+1 registers (1..64) set to 0
//	XZERO 01xxxxxx yyyyyyyy  xxxxxxyyyyyyyy+1 registers (1..16384) set to 0
//	VAL   1vvvvvxx           xx+1 registers (1..4) set to vvvvv+1 (1..32)
//
// A sparse HLL turns dense, never back, when it would grow past hll-sparse-max-bytes or a
// register would exceed 32. Elements are hashed with MurmurHash64A (seed 0xadc83b19); the
// cardinality is Otmar Ertl's estimator, as in Redis 7.0.

// Errors of the HyperLogLog commands.
var (
	// ErrNotHLL is returned when a string value is not a HyperLogLog.
	ErrNotHLL = errors.New("key is not a valid HyperLogLog string value")
	// ErrInvalidHLL is returned when a HyperLogLog's registers are corrupted.
	ErrInvalidHLL = errors.New("corrupted HLL object detected")
)

const (
	hllP           = 14                                  // bits of the hash that select a register
	hllQ           = 64 - hllP                           // bits of the hash that count zeros
	hllRegisters   = 1 << hllP                           // 16384
	hllBits        = 6                                   // bits per dense register
	hllRegisterMax = 1<<hllBits - 1                      // 63
	hllHdrSize     = 16                                  // magic, encoding, unused, cache
	hllDenseSize   = hllHdrSize + hllRegisters*hllBits/8 // 12304
	hllDense       = 0
	hllSparse      = 1
	hllSeed        = 0xadc83b19
	hllAlphaInf    = 0.721347520444481703680 // 1/(2 ln 2)

	sparseXZeroBit   = 0x40
	sparseValBit     = 0x80
	sparseValMax     = 32    // largest value of a VAL opcode
	sparseValMaxLen  = 4     // longest run of a VAL opcode
	sparseZeroMaxLen = 64    // longest run of a ZERO opcode
	sparseXZeroMax   = 16384 // longest run of an XZERO opcode
)

// MurmurHash64A returns Austin Appleby's 64-bit MurmurHash of data with seed, the hash
// Redis's HyperLogLog uses (little-endian words).
func MurmurHash64A(data []byte, seed uint32) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := uint64(seed) ^ uint64(len(data))*m
	n := len(data) &^ 7
	for i := 0; i < n; i += 8 {
		k := binary.LittleEndian.Uint64(data[i:])
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
	}
	if tail := data[n:]; len(tail) > 0 {
		for i := len(tail) - 1; i >= 0; i-- {
			h ^= uint64(tail[i]) << (8 * i)
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// hllPatLen returns the register an element goes to and the length of the run of zero bits
// (plus one) that follows in its hash, from 1 to 51.
func hllPatLen(elem []byte) (reg int, count int) {
	h := MurmurHash64A(elem, hllSeed)
	reg = int(h & (hllRegisters - 1))
	h >>= hllP
	h |= 1 << hllQ
	return reg, bits.TrailingZeros64(h) + 1
}

// newHLL returns an empty sparse HyperLogLog, as PFADD creates it: one XZERO opcode for all
// registers and a valid cached cardinality of 0.
func newHLL() []byte {
	b := make([]byte, hllHdrSize+2, hllHdrSize+16)
	copy(b, "HYLL")
	b[4] = hllSparse
	b[hllHdrSize] = sparseXZeroBit | (sparseXZeroMax-1)>>8
	b[hllHdrSize+1] = (sparseXZeroMax - 1) & 0xff
	return b
}

// isHLL reports whether b looks like a HyperLogLog: the magic, a known encoding and, when
// dense, the exact length. The registers are checked only when used.
func isHLL(b []byte) bool {
	if len(b) < hllHdrSize || string(b[:4]) != "HYLL" || b[4] > hllSparse {
		return false
	}
	return b[4] != hllDense || len(b) == hllDenseSize
}

// hllInvalidate marks the cached cardinality stale.
func hllInvalidate(b []byte) { b[15] |= 0x80 }

// at returns b[i], or 0 past the end, where C code reads the string's terminator.
func at(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

func sparseIsZero(op byte) bool  { return op&0xc0 == 0 }
func sparseIsXZero(op byte) bool { return op&0xc0 == sparseXZeroBit }
func sparseIsVal(op byte) bool   { return op&sparseValBit != 0 }
func sparseZeroLen(op byte) int  { return int(op&0x3f) + 1 }
func sparseValValue(op byte) int { return int(op>>2&0x1f) + 1 }
func sparseValLen(op byte) int   { return int(op&3) + 1 }
func sparseXZeroLen(b []byte, p int) int {
	return (int(b[p]&0x3f)<<8 | int(at(b, p+1))) + 1
}
func sparseVal(val, n int) byte { return byte((val-1)<<2|(n-1)) | sparseValBit }

// denseGet returns dense register i of regs.
func denseGet(regs []byte, i int) int {
	pos := i * hllBits
	byt, fb := pos/8, uint(pos&7)
	v := uint(regs[byt]) >> fb
	if byt+1 < len(regs) {
		v |= uint(regs[byt+1]) << (8 - fb)
	}
	return int(v & hllRegisterMax)
}

// denseSet sets dense register i of regs to val.
func denseSet(regs []byte, i, val int) {
	pos := i * hllBits
	byt, fb := pos/8, uint(pos&7)
	v := uint(val)
	regs[byt] &^= byte(hllRegisterMax << fb)
	regs[byt] |= byte(v << fb)
	if byt+1 < len(regs) {
		regs[byt+1] &^= byte(hllRegisterMax >> (8 - fb))
		regs[byt+1] |= byte(v >> (8 - fb))
	}
}

// denseSetMax raises dense register i to count and reports whether it changed.
func denseSetMax(regs []byte, i, count int) bool {
	if count > denseGet(regs, i) {
		denseSet(regs, i, count)
		return true
	}
	return false
}

// sparseToDense returns the dense form of the sparse HLL b, with b's header (cache
// included), or ok false when the opcodes do not cover exactly all registers.
func sparseToDense(b []byte) (dense []byte, ok bool) {
	if b[4] == hllDense {
		return b, true
	}
	dense = make([]byte, hllDenseSize)
	copy(dense, b[:hllHdrSize])
	dense[4] = hllDense
	regs := dense[hllHdrSize:]
	idx := 0
	for p := hllHdrSize; p < len(b); {
		switch op := b[p]; {
		case sparseIsZero(op):
			idx += sparseZeroLen(op)
			p++
		case sparseIsXZero(op):
			idx += sparseXZeroLen(b, p)
			p += 2
		default:
			n, val := sparseValLen(op), sparseValValue(op)
			if idx+n > hllRegisters {
				return nil, false
			}
			for ; n > 0; n-- {
				denseSet(regs, idx, val)
				idx++
			}
			p++
		}
	}
	return dense, idx == hllRegisters
}

// sparseSet raises register index of the sparse HLL b to count, as Redis's hllSparseSet
// does opcode for opcode, and returns the new HLL (possibly converted to dense) and 1 when
// it changed, 0 when the register was already as high, -1 when b is corrupted.
func sparseSet(b []byte, index, count int, maxBytes int64) ([]byte, int) {
	if count > sparseValMax {
		return promote(b, index, count)
	}
	// Work in a buffer with room for the 3 bytes a split may add and the terminator
	// byte the C code reads, all zero.
	end := len(b)
	w := b
	if cap(w) < end+4 {
		w = make([]byte, end, end+end/4+8)
		copy(w, b)
	}
	w = w[:end+4]
	clear(w[end:])

	p, first, span, prev := hllHdrSize, 0, 0, -1
	for p < end {
		oplen := 1
		switch op := w[p]; {
		case sparseIsZero(op):
			span = sparseZeroLen(op)
		case sparseIsVal(op):
			span = sparseValLen(op)
		default:
			span = sparseXZeroLen(w, p)
			oplen = 2
		}
		if index <= first+span-1 {
			break
		}
		prev = p
		p += oplen
		first += span
	}
	if span == 0 || p >= end {
		return b, -1
	}
	next := p + 1
	if sparseIsXZero(w[p]) {
		next = p + 2
	}
	if next >= end {
		next = -1
	}
	op := w[p]
	isZero, isXZero := sparseIsZero(op), sparseIsXZero(op)
	var runlen int
	switch {
	case isZero:
		runlen = sparseZeroLen(op)
	case isXZero:
		runlen = sparseXZeroLen(w, p)
	default:
		runlen = sparseValLen(op)
	}

	switch {
	case !isZero && !isXZero && sparseValValue(op) >= count:
		return b, 0
	case (!isZero && !isXZero || isZero) && runlen == 1:
		w[p] = sparseVal(count, 1)
	default:
		// Split the opcode into up to three: the registers before index, index, and the
		// registers after it.
		var seq [5]byte
		n := 0
		last := first + span - 1
		zeros := func(l int) {
			if l > sparseZeroMaxLen {
				seq[n] = byte((l-1)>>8) | sparseXZeroBit
				seq[n+1] = byte((l - 1) & 0xff)
				n += 2
			} else {
				seq[n] = byte(l - 1)
				n++
			}
		}
		if isZero || isXZero {
			if index != first {
				zeros(index - first)
			}
			seq[n] = sparseVal(count, 1)
			n++
			if index != last {
				zeros(last - index)
			}
		} else {
			cur := sparseValValue(op)
			if index != first {
				seq[n] = sparseVal(cur, index-first)
				n++
			}
			seq[n] = sparseVal(count, 1)
			n++
			if index != last {
				seq[n] = sparseVal(cur, last-index)
				n++
			}
		}
		oldlen := 1
		if isXZero {
			oldlen = 2
		}
		delta := n - oldlen
		if delta > 0 && int64(end+delta) > maxBytes {
			return promote(b, index, count)
		}
		if delta != 0 && next >= 0 {
			copy(w[next+delta:], w[next:end])
		}
		end += delta
		w[end] = 0 // the terminator, before the copy, as in Redis
		copy(w[p:], seq[:n])
	}

	// Merge adjacent VAL opcodes of the same value, scanning up to 5 opcodes from the one
	// before the change.
	p = prev
	if p < 0 {
		p = hllHdrSize
	}
	for scan := 5; p < end && scan > 0; scan-- {
		if sparseIsXZero(w[p]) {
			p += 2
			continue
		}
		if sparseIsZero(w[p]) {
			p++
			continue
		}
		if p+1 < end && sparseIsVal(w[p+1]) {
			v1, v2 := sparseValValue(w[p]), sparseValValue(w[p+1])
			if v1 == v2 {
				if l := sparseValLen(w[p]) + sparseValLen(w[p+1]); l <= sparseValMaxLen {
					w[p+1] = sparseVal(v1, l)
					copy(w[p:], w[p+1:end+1])
					end--
					w[end] = 0
					continue
				}
			}
		}
		p++
	}
	w = w[:end]
	hllInvalidate(w)
	return w, 1
}

// promote converts the sparse HLL b to dense and raises register index to count there.
func promote(b []byte, index, count int) ([]byte, int) {
	dense, ok := sparseToDense(b)
	if !ok {
		return b, -1
	}
	if denseSetMax(dense[hllHdrSize:], index, count) {
		return dense, 1
	}
	return dense, 0
}

// hllAdd adds elem to the HLL b and returns the new HLL and 1 when a register changed, 0
// when none did, -1 when b is corrupted.
func hllAdd(b []byte, elem []byte, maxBytes int64) ([]byte, int) {
	reg, count := hllPatLen(elem)
	if b[4] == hllDense {
		if denseSetMax(b[hllHdrSize:], reg, count) {
			return b, 1
		}
		return b, 0
	}
	return sparseSet(b, reg, count, maxBytes)
}

// hllMerge raises each of the registers regs (one byte per register) to the HLL b's and
// reports whether b's registers are well formed.
func hllMerge(regs []byte, b []byte) bool {
	if b[4] == hllDense {
		src := b[hllHdrSize:]
		for i := range hllRegisters {
			if v := byte(denseGet(src, i)); v > regs[i] {
				regs[i] = v
			}
		}
		return true
	}
	i := 0
	for p := hllHdrSize; p < len(b); {
		switch op := b[p]; {
		case sparseIsZero(op):
			i += sparseZeroLen(op)
			p++
		case sparseIsXZero(op):
			i += sparseXZeroLen(b, p)
			p += 2
		default:
			n, val := sparseValLen(op), byte(sparseValValue(op))
			if i+n > hllRegisters {
				return false
			}
			for ; n > 0; n-- {
				if val > regs[i] {
					regs[i] = val
				}
				i++
			}
			p++
		}
	}
	return i == hllRegisters
}

// hllHisto returns how many registers of the HLL b hold each value, and false when b's
// sparse opcodes do not cover exactly all registers.
func hllHisto(b []byte) (h [64]int, ok bool) {
	if b[4] == hllDense {
		regs := b[hllHdrSize:]
		for i := range hllRegisters {
			h[denseGet(regs, i)]++
		}
		return h, true
	}
	idx := 0
	for p := hllHdrSize; p < len(b); {
		switch op := b[p]; {
		case sparseIsZero(op):
			n := sparseZeroLen(op)
			idx += n
			h[0] += n
			p++
		case sparseIsXZero(op):
			n := sparseXZeroLen(b, p)
			idx += n
			h[0] += n
			p += 2
		default:
			n := sparseValLen(op)
			idx += n
			h[sparseValValue(op)] += n
			p++
		}
	}
	return h, idx == hllRegisters
}

// hllEstimate returns the cardinality estimated from a register histogram, with Otmar
// Ertl's estimator ("New cardinality estimation algorithms for HyperLogLog sketches").
func hllEstimate(h *[64]int) uint64 {
	const m = float64(hllRegisters)
	z := m * hllTau((m-float64(h[hllQ+1]))/m)
	for j := hllQ; j >= 1; j-- {
		z += float64(h[j])
		z *= 0.5
	}
	z += m * hllSigma(float64(h[0])/m)
	return uint64(math.Round(float64(hllAlphaInf*m*m) / z))
}

func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x = float64(x * x)
		zPrime := z
		z += float64(x * y)
		y += y
		if zPrime == z {
			return z
		}
	}
}

func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		zPrime := z
		y *= 0.5
		t := 1 - x
		z -= float64(float64(t*t) * y)
		if zPrime == z {
			return z / 3
		}
	}
}

// hllCount returns the cardinality of the HLL b, or false when it is corrupted.
func hllCount(b []byte) (uint64, bool) {
	h, ok := hllHisto(b)
	if !ok {
		return 0, false
	}
	return hllEstimate(&h), true
}

// newHLLValue returns a new string value at key holding an empty HyperLogLog.
func newHLLValue(key []byte) *Value {
	b := newHLL()
	v := newValue(key, TypeString, len(b))
	v.enc = encRaw
	v.setBuf(b)
	return v
}

// hllValue returns the HLL bytes of v, or ErrWrongType or ErrNotHLL.
func hllValue(v *Value) ([]byte, error) {
	if v.typ != TypeString {
		return nil, ErrWrongType
	}
	if v.enc == encInt || !isHLL(v.buf()) {
		return nil, ErrNotHLL
	}
	return v.buf(), nil
}

// PFAdd adds elems to the HyperLogLog at key, creating it when absent, and reports whether
// the key was created or a register changed, as PFADD does. maxBytes is
// hll-sparse-max-bytes. It returns [ErrWrongType], [ErrNotHLL] for a string that is not a
// HyperLogLog, or [ErrInvalidHLL] for corrupted registers, in which case the elements
// before the corruption was detected stay added. The caller must hold the key's shard lock.
func (s *Store) PFAdd(db int, key []byte, elems [][]byte, maxBytes int64) (bool, error) {
	now := nowMs()
	d, i, v := s.find(db, key, now)
	updated := false
	if v == nil {
		v = newHLLValue(key)
		v.init(now)
		d.add(i, v)
		updated = true
	} else {
		v.touch(now)
		if _, err := hllValue(v); err != nil {
			return false, err
		}
		v.makeRaw()
	}
	for _, e := range elems {
		b, r := hllAdd(v.buf(), e, maxBytes)
		v.setBuf(b)
		if r < 0 {
			return false, ErrInvalidHLL
		}
		if r > 0 {
			updated = true
		}
	}
	if updated {
		hllInvalidate(v.buf())
	}
	return updated, nil
}

// PFCount returns the estimated cardinality of the union of the HyperLogLogs at keys, as
// PFCOUNT does; absent keys count as empty. With a single key it returns the cached
// cardinality, or computes it and updates the cache, reporting cached true: the value has
// changed (it becomes raw-encoded either way, as Redis unshares it). It returns
// [ErrWrongType], [ErrNotHLL] or [ErrInvalidHLL]. The caller must hold the keys' shard
// locks.
func (s *Store) PFCount(db int, keys [][]byte) (n int64, cached bool, err error) {
	if len(keys) == 1 {
		v := s.Lookup(db, keys[0])
		if v == nil {
			return 0, false, nil
		}
		if _, err := hllValue(v); err != nil {
			return 0, false, err
		}
		v.makeRaw()
		b := v.buf()
		if b[15]&0x80 == 0 {
			return int64(binary.LittleEndian.Uint64(b[8:16])), false, nil
		}
		card, ok := hllCount(b)
		if !ok {
			return 0, false, ErrInvalidHLL
		}
		binary.LittleEndian.PutUint64(b[8:16], card)
		return int64(card), true, nil
	}
	var regs [hllRegisters]byte
	for _, key := range keys {
		v := s.Lookup(db, key)
		if v == nil {
			continue
		}
		b, err := hllValue(v)
		if err != nil {
			return 0, false, err
		}
		if !hllMerge(regs[:], b) {
			return 0, false, ErrInvalidHLL
		}
	}
	var h [64]int
	for _, r := range regs {
		h[r]++
	}
	return int64(hllEstimate(&h)), false, nil
}

// PFMerge stores at dest the union of the HyperLogLogs at dest and srcs, as PFMERGE does:
// absent keys count as empty, dest is created sparse when absent (and keeps its TTL
// otherwise), and becomes dense when any input is dense. maxBytes is hll-sparse-max-bytes.
// It returns [ErrWrongType], [ErrNotHLL] or [ErrInvalidHLL], changing nothing. The caller
// must hold the keys' shard locks.
func (s *Store) PFMerge(db int, dest []byte, srcs [][]byte, maxBytes int64) error {
	var regs [hllRegisters]byte
	dense := false
	for j := -1; j < len(srcs); j++ {
		key := dest
		if j >= 0 {
			key = srcs[j]
		}
		v := s.Lookup(db, key)
		if v == nil {
			continue
		}
		b, err := hllValue(v)
		if err != nil {
			return err
		}
		if b[4] == hllDense {
			dense = true
		}
		if !hllMerge(regs[:], b) {
			return ErrInvalidHLL
		}
	}
	now := nowMs()
	d, i, v := s.find(db, dest, now)
	if v == nil {
		v = newHLLValue(dest)
		v.init(now)
		d.add(i, v)
	} else {
		v.touch(now)
		v.makeRaw()
	}
	if dense {
		b, ok := sparseToDense(v.buf())
		if !ok {
			return ErrInvalidHLL
		}
		v.setBuf(b)
	}
	for j, r := range regs {
		if r == 0 {
			continue
		}
		if b := v.buf(); b[4] == hllDense {
			denseSetMax(b[hllHdrSize:], j, int(r))
		} else {
			b, _ = sparseSet(b, j, int(r), maxBytes)
			v.setBuf(b)
		}
	}
	hllInvalidate(v.buf())
	return nil
}
