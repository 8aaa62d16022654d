package store

import (
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"
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

// Value is a stored value: its type and encoding, its data, its expiry
// deadline and the access statistics OBJECT reports. A *Value returned by
// the store is valid only while the caller holds the lock of its key's
// shard; never keep it.
//
// typ and enc say which fields hold the data: strings use ival (encoding
// "int") or buf; other types add their own fields.
type Value struct {
	key      string // the key this value is stored under
	expireAt int64  // unix ms; 0 when the key has no TTL
	ival     int64
	buf      []byte
	obj      object // the data of an aggregate type; nil for strings
	vidx     int32  // index+1 in the shard's volatile list; 0 when not in it
	atime    uint32 // last access, unix seconds
	lfuTime  uint32 // last LFU update, unix minutes
	typ      Type
	enc      uint8
	lfu      uint8 // logarithmic access counter
}

// Type returns the type of the value.
func (v *Value) Type() Type { return v.typ }

// Encoding returns the internal encoding OBJECT ENCODING reports: "int",
// "embstr" or "raw" for strings.
func (v *Value) Encoding() string {
	if v.obj != nil {
		return v.obj.Encoding()
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
func (v *Value) ExpireAt() int64 { return v.expireAt }

// AppendString appends the string value to dst, formatting integers in
// decimal, and returns the extended slice. It does not allocate when dst
// has room. For values of other types it returns dst unchanged.
func (v *Value) AppendString(dst []byte) []byte {
	if v.typ != TypeString {
		return dst
	}
	if v.enc == encInt {
		return strconv.AppendInt(dst, v.ival, 10)
	}
	return append(dst, v.buf...)
}

// StrLen returns the length of the string value, as STRLEN does; 0 for
// values of other types.
func (v *Value) StrLen() int {
	if v.typ != TypeString {
		return 0
	}
	if v.enc == encInt {
		return intLen(v.ival)
	}
	return len(v.buf)
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
	return int(v.decayedLFU(uint32(time.Now().Unix() / 60)))
}

// init sets the access statistics of a new value.
func (v *Value) init(nowMs int64) {
	sec := nowMs / 1000
	v.atime = uint32(sec)
	v.lfuTime = uint32(sec / 60)
	v.lfu = lfuInitVal
}

// touch records an access: the access time, and the LFU counter decayed
// and then incremented with Redis's logarithmic probability.
func (v *Value) touch(nowMs int64) {
	sec := nowMs / 1000
	v.atime = uint32(sec)
	minutes := uint32(sec / 60)
	v.lfu = lfuLogIncr(v.decayedLFU(minutes))
	v.lfuTime = minutes
}

// expired reports whether the value's TTL has passed at nowMs.
func (v *Value) expired(nowMs int64) bool {
	return v.expireAt != 0 && nowMs > v.expireAt
}

// decayedLFU returns the LFU counter decreased by one per lfu-decay-time
// minutes elapsed since its last update.
func (v *Value) decayedLFU(minutes uint32) uint8 {
	decay := lfu.decayTime.Load()
	if decay <= 0 || minutes <= v.lfuTime {
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

// setBytes sets v to the string val held in buf with encoding enc.
func (v *Value) setBytes(val []byte, enc uint8) {
	v.typ = TypeString
	v.obj = nil // a string replacing a value of another type drops its data
	v.enc = enc
	v.ival = 0
	if c := cap(v.buf); c >= len(val) && c <= 2*len(val)+64 {
		v.buf = append(v.buf[:0], val...)
		return
	}
	v.buf = append([]byte(nil), val...)
}

// setInt sets v to the integer-encoded string n, keeping a small buffer
// for later reuse.
func (v *Value) setInt(n int64) {
	v.typ = TypeString
	v.obj = nil
	v.enc = encInt
	v.ival = n
	if cap(v.buf) > 64 {
		v.buf = nil
	} else {
		v.buf = v.buf[:0]
	}
}

// makeRaw turns the string v into the raw encoding, as Redis's
// dbUnshareStringValue does before editing a string in place.
func (v *Value) makeRaw() {
	if v.enc == encInt {
		v.buf = strconv.AppendInt(v.buf[:0], v.ival, 10)
		v.ival = 0
	}
	v.enc = encRaw
}

// int returns the string value as an integer, as Redis's
// getLongLongFromObject reads it.
func (v *Value) int() (int64, bool) {
	if v.enc == encInt {
		return v.ival, true
	}
	return parseInt(v.buf)
}

// clone returns a deep copy of v for key, with fresh access statistics.
func (v *Value) clone(key string, nowMs int64) *Value {
	c := &Value{key: key, expireAt: v.expireAt, ival: v.ival, typ: v.typ, enc: v.enc}
	if v.buf != nil {
		c.buf = append([]byte(nil), v.buf...)
	}
	if v.obj != nil {
		c.obj = v.obj.clone()
	}
	c.init(nowMs)
	return c
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
