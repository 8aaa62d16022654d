package store

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"
	"unsafe"
)

// Value encodings; see [Value.Encoding].
const (
	encInt    uint8 = iota // string held as ival
	encEmbstr              // string held in buf, set whole, at most embstrMax bytes
	encRaw                 // string held in buf
)

// embstrMax is the longest string Redis keeps in an embedded string object.
const embstrMax = 44

// maxIntLen is the longest decimal text Redis tries to hold as an integer.
const maxIntLen = 20

// lfuInitVal is the LFU counter of a new value (Redis's LFU_INIT_VAL).
const lfuInitVal = 5

// Value is a stored value: its key, type and encoding, its data, its
// expiry deadline and the access statistics OBJECT reports. A *Value
// returned by the store is valid only while the caller holds the lock of
// its key's shard; never keep it.
//
// A Value is kept small, one 48-byte allocation, because every key pays
// for it: the key's bytes and a string's bytes share one allocation at
// mem (the key first, then the string's buffer of scap bytes, of which
// slen are used); an integer-encoded string keeps its int64 in the
// buffer's first 8 bytes; the TTL lives apart, in an expiry only keys with
// a TTL have; and obj is the aggregate's pointer, its type told by typ.
// The key's bytes are never changed once written, so strings aliasing them
// stay valid; a rename or a buffer that must grow builds a new allocation.
type Value struct {
	mem        *byte          // the key's bytes, then a string's buffer
	obj        unsafe.Pointer // aggregates: *List, *Hash, *Set or *ZSet as typ says; nil for strings
	exp        *expiry        // nil when the key has no TTL
	klen       uint32         // length of the key
	slen, scap uint32         // length and capacity of a string's buffer, after the key
	atime      uint32         // last access, unix seconds
	lfuTime    uint16         // last LFU update, unix minutes modulo 2^16, as in Redis
	typ        Type
	enc        uint8
	lfu        uint8 // logarithmic access counter
}

// expiry is the TTL of a key that has one.
type expiry struct {
	at   int64 // deadline, unix ms
	vidx int32 // index+1 in the shard's volatile list; 0 when not in it
}

// newValue returns a value of type typ for key, with the key copied and
// room for a string buffer of room bytes (rounded up to the allocator's
// size class).
func newValue(key []byte, typ Type, room int) *Value {
	v := &Value{typ: typ}
	v.alloc(key, room)
	return v
}

// alloc gives v a new allocation holding key and room bytes of buffer,
// empty. Keys alone (aggregates) get exactly their length, so that short
// ones share the allocator's tiny blocks.
func (v *Value) alloc(key []byte, room int) {
	var m []byte
	if room == 0 {
		m = make([]byte, len(key))
	} else {
		// append of make rounds the capacity up to the size class, all usable.
		m = append([]byte(nil), make([]byte, len(key)+room)...)
	}
	copy(m, key)
	v.klen, v.slen, v.scap = uint32(len(key)), 0, uint32(cap(m)-len(key))
	v.mem = nil
	if cap(m) > 0 {
		v.mem = unsafe.SliceData(m[:cap(m)])
	}
}

// key returns the key. The string aliases v's allocation, whose key bytes
// never change, so it may be kept.
func (v *Value) key() string { return unsafe.String(v.mem, v.klen) }

// buf returns the string's buffer: slen bytes with capacity scap. Bytes
// appended within the capacity land in v's buffer; see [Value.setBuf].
func (v *Value) buf() []byte {
	if v.scap == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(v.mem), v.klen)), v.scap)[:v.slen]
}

// setBuf makes b the string's bytes. b is usually the buffer itself, or an
// append to it within its capacity; anything else is copied in.
func (v *Value) setBuf(b []byte) {
	if v.scap != 0 && cap(b) == int(v.scap) && unsafe.SliceData(b) == unsafe.SliceData(v.buf()) {
		v.slen = uint32(len(b))
		return
	}
	if len(b) > int(v.scap) {
		v.resize(len(b), false)
	}
	v.slen = uint32(copy(v.buf()[:len(b)], b))
}

// grow returns the string's buffer with room for n bytes in all, moving it
// and the key to a new allocation when needed, with capacity to spare for
// further appends.
func (v *Value) grow(n int) []byte {
	if n > int(v.scap) {
		v.resize(n, true)
	}
	return v.buf()
}

// resize moves the key and the string's bytes (as many as fit) to a new
// allocation with a buffer of n bytes, more when spare is set.
func (v *Value) resize(n int, spare bool) {
	if spare && n < 2*int(v.scap) {
		n = min(2*int(v.scap), math.MaxUint32)
	}
	old := v.buf()
	key := unsafe.Slice(v.mem, v.klen)
	v.alloc(key, max(n, 1))
	v.slen = uint32(copy(v.buf()[:min(len(old), n)], old))
}

// ival returns the integer of an integer-encoded string.
func (v *Value) ival() int64 {
	return int64(binary.LittleEndian.Uint64(v.buf()[:8]))
}

// object returns the data of an aggregate value, nil for strings.
func (v *Value) object() object {
	if v.obj == nil {
		return nil
	}
	switch v.typ {
	case TypeList:
		return (*List)(v.obj)
	case TypeHash:
		return (*Hash)(v.obj)
	case TypeSet:
		return (*Set)(v.obj)
	case TypeZSet:
		return (*ZSet)(v.obj)
	}
	return nil
}

// ownBytes returns the bytes of the key and the string data, and the TTL's
// allocation and volatile list entry of a key with one.
func (v *Value) ownBytes() int {
	n := 0
	if v.scap == 0 {
		n = bytesSize(int(v.klen))
	} else {
		n = allocSize(int(v.klen + v.scap))
	}
	if v.exp != nil {
		n += allocSize(int(unsafe.Sizeof(expiry{}))) + int(unsafe.Sizeof(v))
	}
	return n
}

// Type returns the type of the value.
func (v *Value) Type() Type { return v.typ }

// Encoding returns the internal encoding OBJECT ENCODING reports: "int",
// "embstr" or "raw" for strings.
func (v *Value) Encoding() string {
	if obj := v.object(); obj != nil {
		return obj.Encoding()
	}
	switch v.enc {
	case encInt:
		return "int"
	case encEmbstr:
		return "embstr"
	default:
		return "raw"
	}
}

// ExpireAt returns the expiry deadline in unix milliseconds, or 0 when the
// key has no TTL.
func (v *Value) ExpireAt() int64 {
	if v.exp == nil {
		return 0
	}
	return v.exp.at
}

// AppendString appends the string value to dst, formatting integers in
// decimal, and returns the extended slice. It does not allocate when dst
// has room. For values of other types it returns dst unchanged.
func (v *Value) AppendString(dst []byte) []byte {
	if v.typ != TypeString {
		return dst
	}
	if v.enc == encInt {
		return strconv.AppendInt(dst, v.ival(), 10)
	}
	return append(dst, v.buf()...)
}

// StrLen returns the length of the string value, as STRLEN does; 0 for
// values of other types.
func (v *Value) StrLen() int {
	if v.typ != TypeString {
		return 0
	}
	if v.enc == encInt {
		return intLen(v.ival())
	}
	return int(v.slen)
}

// IdleSeconds returns the seconds since the value was last accessed.
func (v *Value) IdleSeconds() int64 {
	idle := time.Now().Unix() - int64(v.atime)
	if idle < 0 {
		return 0
	}
	return idle
}

// Freq returns the LFU access counter after decay, as OBJECT FREQ does.
func (v *Value) Freq() int {
	return int(v.decayedLFU(uint16(time.Now().Unix() / 60)))
}

// init sets the access statistics of a new value.
func (v *Value) init(nowMs int64) {
	sec := nowMs / 1000
	v.atime = uint32(sec)
	v.lfuTime = uint16(sec / 60)
	v.lfu = lfuInitVal
}

// touch records an access: the access time, and the LFU counter decayed
// and then incremented with Redis's logarithmic probability.
func (v *Value) touch(nowMs int64) {
	sec := nowMs / 1000
	v.atime = uint32(sec)
	minutes := uint16(sec / 60)
	v.lfu = lfuLogIncr(v.decayedLFU(minutes))
	v.lfuTime = minutes
}

// expired reports whether the value's TTL has passed at nowMs.
func (v *Value) expired(nowMs int64) bool {
	return v.exp != nil && nowMs > v.exp.at
}

// decayedLFU returns the LFU counter decreased by one per lfu-decay-time
// minutes elapsed since its last update. Minutes are counted modulo 2^16,
// as Redis does, so an update more than 45 days old looks recent.
func (v *Value) decayedLFU(minutes uint16) uint8 {
	decay := lfu.decayTime.Load()
	if decay <= 0 || minutes == v.lfuTime {
		return v.lfu
	}
	periods := int64(minutes-v.lfuTime) / decay
	if periods >= int64(v.lfu) {
		return 0
	}
	return v.lfu - uint8(periods)
}

// lfuLogIncr increments counter with a probability that falls as the
// counter grows, so 255 is reached after about a million accesses with the
// default log factor.
func lfuLogIncr(counter uint8) uint8 {
	if counter == 255 {
		return 255
	}
	base := float64(counter) - lfuInitVal
	if base < 0 {
		base = 0
	}
	if rand.Float64() < 1/(base*float64(lfu.logFactor.Load())+1) {
		counter++
	}
	return counter
}

// lfuParams holds lfu-log-factor and lfu-decay-time.
type lfuParams struct {
	logFactor atomic.Int64
	decayTime atomic.Int64 // minutes
}

// lfu holds the LFU parameters. They are process-wide, like the server
// configuration they come from, because [Value.Freq] has no store to ask.
var lfu = func() *lfuParams {
	p := new(lfuParams)
	p.logFactor.Store(10)
	p.decayTime.Store(1)
	return p
}()

// SetLFU sets lfu-log-factor (how slowly the access counter grows; Redis's
// default is 10) and lfu-decay-time (minutes after which the counter
// decreases by one; 0 disables decay; default 1). The setting is
// process-wide.
func SetLFU(logFactor, decayMinutes int) {
	lfu.logFactor.Store(int64(max(logFactor, 0)))
	lfu.decayTime.Store(int64(max(decayMinutes, 0)))
}

// setString sets v to the string val, choosing the encoding as Redis's
// tryObjectEncoding does: int when val is a canonical integer, else embstr
// or raw by length. It reuses v's buffer when it fits.
func (v *Value) setString(val []byte) {
	v.typ = TypeString
	if len(val) <= maxIntLen {
		if n, ok := parseInt(val); ok {
			v.setInt(n)
			return
		}
	}
	enc := encEmbstr
	if len(val) > embstrMax {
		enc = encRaw
	}
	v.setBytes(val, enc)
}

// setBytes sets v to the string val held in the buffer with encoding enc.
// It reuses the buffer when val fits and the buffer is not much larger.
func (v *Value) setBytes(val []byte, enc uint8) {
	v.typ = TypeString
	v.obj = nil // a string replacing a value of another type drops its data
	v.enc = enc
	if c := int(v.scap); c < len(val) || c > 2*len(val)+64 {
		v.alloc(unsafe.Slice(v.mem, v.klen), len(val))
	}
	v.slen = uint32(copy(v.buf()[:len(val)], val))
}

// setInt sets v to the integer-encoded string n, held in the buffer's
// first 8 bytes.
func (v *Value) setInt(n int64) {
	v.typ = TypeString
	v.obj = nil
	v.enc = encInt
	if v.scap < 8 || v.scap > 64 {
		v.alloc(unsafe.Slice(v.mem, v.klen), 8)
	}
	b := v.buf()[:8]
	binary.LittleEndian.PutUint64(b, uint64(n))
	v.slen = 8
}

// makeRaw turns the string v into the raw encoding, as Redis's
// dbUnshareStringValue does before editing a string in place.
func (v *Value) makeRaw() {
	if v.enc == encInt {
		var tmp [maxIntLen]byte
		v.slen = 0
		v.setBuf(strconv.AppendInt(tmp[:0], v.ival(), 10))
	}
	v.enc = encRaw
}

// int returns the string value as an integer, as Redis's
// getLongLongFromObject reads it.
func (v *Value) int() (int64, bool) {
	if v.enc == encInt {
		return v.ival(), true
	}
	return parseInt(v.buf())
}

// rekey gives v the key key, keeping its string bytes.
func (v *Value) rekey(key []byte) {
	old := v.buf()
	v.alloc(key, len(old))
	v.slen = uint32(copy(v.buf()[:len(old)], old))
}

// clone returns a deep copy of v for key, with fresh access statistics. The
// copy's TTL is not in a volatile list yet.
func (v *Value) clone(key []byte, nowMs int64) *Value {
	c := newValue(key, v.typ, int(v.slen))
	c.enc = v.enc
	c.slen = uint32(copy(c.buf()[:v.slen], v.buf()))
	if v.exp != nil {
		c.exp = &expiry{at: v.exp.at}
	}
	if obj := v.object(); obj != nil {
		c.setObject(obj.clone())
	}
	c.init(nowMs)
	return c
}

// setObject makes obj, an aggregate of the type v.typ names, v's data.
func (v *Value) setObject(obj object) {
	switch o := obj.(type) {
	case *List:
		v.obj = unsafe.Pointer(o)
	case *Hash:
		v.obj = unsafe.Pointer(o)
	case *Set:
		v.obj = unsafe.Pointer(o)
	case *ZSet:
		v.obj = unsafe.Pointer(o)
	default:
		panic("store: unknown object type")
	}
}

// parseInt parses b as Redis's string2ll does: an optional '-' and decimal
// digits without leading zeros, spaces or '+', fitting an int64, at most 20
// bytes.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > maxIntLen {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	if b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if u > (1<<64-1)/10 || u*10 > 1<<64-1-d {
			return 0, false
		}
		u = u*10 + d
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u-1) - 1, true
	}
	if u > 1<<63-1 {
		return 0, false
	}
	return int64(u), true
}

// intLen returns the length of n in decimal.
func intLen(n int64) int {
	l := 1
	u := uint64(n)
	if n < 0 {
		l++
		u = uint64(-(n + 1)) + 1
	}
	for u >= 10 {
		u /= 10
		l++
	}
	return l
}
