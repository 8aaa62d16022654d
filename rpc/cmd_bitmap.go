package rpc

import (
	"math"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// bitmapCommands declares the bit commands on string values, as redis-server 7.0 describes
// them.
func bitmapCommands() []*Command {
	return []*Command{
		{
			Name: "setbit", Arity: 4, Flags: Write | DenyOOM, Group: GroupBitmap,
			Keys: firstKey(KeyRW | KeyAccess | KeyUpdate),
			Run:  setbitCommand,
			Doc: Doc{Summary: "Sets or clears the bit at offset in the string value stored at key", Since: "2.2.0", Complexity: "O(1)",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "offset", Type: ArgInteger},
					{Name: "value", Type: ArgInteger},
				},
			},
		},
		{
			Name: "getbit", Arity: 3, Flags: ReadOnly | Fast, Group: GroupBitmap,
			Keys: firstKey(KeyRO | KeyAccess),
			Run:  getbitCommand,
			Doc: Doc{Summary: "Returns the bit value at offset in the string value stored at key", Since: "2.2.0", Complexity: "O(1)",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "offset", Type: ArgInteger},
				},
			},
		},
		{
			Name: "bitcount", Arity: -2, Flags: ReadOnly, Group: GroupBitmap,
			Keys: firstKey(KeyRO | KeyAccess),
			Run:  bitcountCommand,
			Doc: Doc{Summary: "Count set bits in a string", Since: "2.6.0", Complexity: "O(N)",
				History: [][2]string{
					{"7.0.0", "Added the `BYTE|BIT` option."},
				},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "index", Type: ArgBlock, Optional: true, Args: []Arg{
						{Name: "start", Type: ArgInteger},
						{Name: "end", Type: ArgInteger},
						{Name: "index_unit", Type: ArgOneOf, Optional: true, Since: "7.0.0", Args: []Arg{
							{Name: "byte", Type: ArgPureToken, Token: "BYTE"},
							{Name: "bit", Type: ArgPureToken, Token: "BIT"},
						}},
					}},
				},
			},
		},
		{
			Name: "bitpos", Arity: -3, Flags: ReadOnly, Group: GroupBitmap,
			Keys: firstKey(KeyRO | KeyAccess),
			Run:  bitposCommand,
			Doc: Doc{Summary: "Find first bit set or clear in a string", Since: "2.8.7", Complexity: "O(N)",
				History: [][2]string{
					{"7.0.0", "Added the `BYTE|BIT` option."},
				},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "bit", Type: ArgInteger},
					{Name: "index", Type: ArgBlock, Optional: true, Args: []Arg{
						{Name: "start", Type: ArgInteger},
						{Name: "end_index", Type: ArgBlock, Optional: true, Args: []Arg{
							{Name: "end", Type: ArgInteger},
							{Name: "index_unit", Type: ArgOneOf, Optional: true, Since: "7.0.0", Args: []Arg{
								{Name: "byte", Type: ArgPureToken, Token: "BYTE"},
								{Name: "bit", Type: ArgPureToken, Token: "BIT"},
							}},
						}},
					}},
				},
			},
		},
		{
			Name: "bitop", Arity: -4, Flags: Write | DenyOOM, Group: GroupBitmap,
			Keys: []KeySpec{
				{Flags: KeyOW | KeyUpdate, BeginIndex: 2, KeyStep: 1},
				{Flags: KeyRO | KeyAccess, BeginIndex: 3, LastKey: -1, KeyStep: 1},
			},
			Run: bitopCommand,
			Doc: Doc{Summary: "Perform bitwise operations between strings", Since: "2.6.0", Complexity: "O(N)",
				Args: []Arg{
					{Name: "operation", Type: ArgString},
					{Name: "destkey", Type: ArgKey},
					{Name: "key", Type: ArgKey, KeySpec: 1, Multiple: true},
				},
			},
		},
		{
			Name: "bitfield", Arity: -2, Flags: Write | DenyOOM, Group: GroupBitmap,
			Keys: []KeySpec{
				{Notes: "This command allows both access and modification of the key", Flags: KeyRW | KeyAccess | KeyUpdate | KeyVariableFlags, BeginIndex: 1, KeyStep: 1},
			},
			Run: bitfieldCommand,
			Doc: Doc{Summary: "Perform arbitrary bitfield integer operations on strings", Since: "3.2.0", Complexity: "O(1) for each subcommand specified",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "operation", Type: ArgOneOf, Optional: true, Multiple: true, Args: []Arg{
						{Name: "encoding_offset", Type: ArgBlock, Token: "GET", Args: []Arg{
							{Name: "encoding", Type: ArgString},
							{Name: "offset", Type: ArgInteger},
						}},
						{Name: "write", Type: ArgBlock, Args: []Arg{
							{Name: "wrap_sat_fail", Type: ArgOneOf, Token: "OVERFLOW", Optional: true, Args: []Arg{
								{Name: "wrap", Type: ArgPureToken, Token: "WRAP"},
								{Name: "sat", Type: ArgPureToken, Token: "SAT"},
								{Name: "fail", Type: ArgPureToken, Token: "FAIL"},
							}},
							{Name: "write_operation", Type: ArgOneOf, Args: []Arg{
								{Name: "encoding_offset_value", Type: ArgBlock, Token: "SET", Args: []Arg{
									{Name: "encoding", Type: ArgString},
									{Name: "offset", Type: ArgInteger},
									{Name: "value", Type: ArgInteger},
								}},
								{Name: "encoding_offset_increment", Type: ArgBlock, Token: "INCRBY", Args: []Arg{
									{Name: "encoding", Type: ArgString},
									{Name: "offset", Type: ArgInteger},
									{Name: "increment", Type: ArgInteger},
								}},
							}},
						}},
					}},
				},
			},
		},
		{
			Name: "bitfield_ro", Arity: -2, Flags: ReadOnly | Fast, Group: GroupBitmap,
			Keys: firstKey(KeyRO | KeyAccess),
			Run:  bitfieldROCommand,
			Doc: Doc{Summary: "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD", Since: "6.0.0", Complexity: "O(1) for each subcommand specified",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "encoding_offset", Type: ArgBlock, Token: "GET", Optional: true, Multiple: true, Args: []Arg{
						{Name: "encoding", Type: ArgString},
						{Name: "offset", Type: ArgInteger},
					}},
				},
			},
		},
	}
}

// bitOffset parses a bit offset as Redis's getBitOffsetFromArgument: a non-negative integer
// whose byte lies below proto-max-bulk-len. With hash, "#n" means n*width (BITFIELD); the
// product wraps around like Redis's. It replies with an error and returns ok false when the
// offset is invalid.
func bitOffset(c *Client, arg []byte, hash bool, width int) (int64, bool) {
	useHash := hash && len(arg) > 0 && arg[0] == '#'
	if useHash {
		arg = arg[1:]
	}
	n, err := parseInt(arg)
	if useHash {
		n *= int64(width)
	}
	if err != nil || n < 0 || n>>3 >= c.srv.maxBulkLen.Load() {
		c.Error(msgBitOffset)
		return 0, false
	}
	return n, true
}

// readBitmap returns the bytes of the string at key and whether it exists; on WRONGTYPE it
// replies and returns ok false. An integer-encoded value is formatted into a new buffer.
func readBitmap(c *Client, key []byte) (b []byte, found, ok bool) {
	b, found, err := c.srv.store.Bitmap(c.db, key, nil)
	if err != nil {
		c.storeErr(err)
		return nil, false, false
	}
	return b, found, true
}

// readBitmapMiss is readBitmap for the commands that look the key up for reading, where an
// absent key is a "keymiss".
func readBitmapMiss(c *Client, key []byte) (b []byte, found, ok bool) {
	b, found, ok = readBitmap(c, key)
	if ok && !found {
		c.keyMiss(key)
	}
	return b, found, ok
}

// bitmapForWrite is [store.Store.BitmapForWrite] that also reports whether the string was
// created or grown, which Redis counts as a change even when no bit flips.
func bitmapForWrite(c *Client, key []byte, n int) (b []byte, grown bool, err error) {
	oldLen := -1
	if v := c.srv.store.Peek(c.db, key); v != nil && v.Type() == store.TypeString {
		oldLen = v.StrLen()
	}
	b, err = c.srv.store.BitmapForWrite(c.db, key, n)
	return b, err == nil && len(b) > oldLen, err
}

func setbitCommand(c *Client, args [][]byte) {
	offset, ok := bitOffset(c, args[2], false, 0)
	if !ok {
		return
	}
	on, err := parseInt(args[3])
	if err != nil || on&^1 != 0 {
		c.Error(msgBitValue)
		return
	}
	b, grown, err := bitmapForWrite(c, args[1], int(offset>>3)+1)
	if err != nil {
		c.storeErr(err)
		return
	}
	old := store.SetBit(b, offset, int(on))
	if grown || int64(old) != on {
		c.changed(args[1], config.NotifyString, "setbit")
	}
	c.w.Int(int64(old))
}

func getbitCommand(c *Client, args [][]byte) {
	offset, ok := bitOffset(c, args[2], false, 0)
	if !ok {
		return
	}
	b, _, ok := readBitmapMiss(c, args[1])
	if !ok {
		return
	}
	c.w.Int(int64(store.GetBit(b, offset)))
}

// parseBitUnit parses BITCOUNT's and BITPOS's BYTE|BIT option; isBit reports BIT.
func parseBitUnit(arg []byte) (isBit, ok bool) {
	switch arg = cString(arg); {
	case is(arg, "bit"):
		return true, true
	case is(arg, "byte"):
		return false, true
	}
	return false, false
}

// bitRange turns the start and end of BITCOUNT or BITPOS (inclusive, negative from the end,
// in bytes or with isBit in bits) into a range of bit positions of a string of n bytes, as
// Redis clamps them; ok is false when the range is empty.
func bitRange(start, end int64, n int, isBit bool) (from, to int64, ok bool) {
	total := int64(n)
	if isBit {
		total <<= 3
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start, end = max(start, 0), max(end, 0)
	end = min(end, total-1)
	if start > end {
		return 0, 0, false
	}
	if isBit {
		return start, end, true
	}
	return start << 3, end<<3 | 7, true
}

func bitcountCommand(c *Client, args [][]byte) {
	b, found, ok := readBitmapMiss(c, args[1])
	if !ok {
		return
	}
	if !found {
		c.w.Raw(replyZero)
		return
	}
	var start, end int64
	isBit := false
	switch len(args) {
	case 2:
		start, end = 0, -1
	case 4, 5:
		var err1, err2 error
		start, err1 = parseInt(args[2])
		if err1 != nil {
			c.Error(msgNotInteger)
			return
		}
		end, err2 = parseInt(args[3])
		if err2 != nil {
			c.Error(msgNotInteger)
			return
		}
		// Redis answers an empty negative range before it looks at the unit.
		if start < 0 && end < 0 && start > end {
			c.w.Raw(replyZero)
			return
		}
		if len(args) == 5 {
			if isBit, ok = parseBitUnit(args[4]); !ok {
				c.Error(msgSyntax)
				return
			}
		}
	default:
		c.Error(msgSyntax)
		return
	}
	from, to, ok := bitRange(start, end, len(b), isBit)
	if !ok {
		c.w.Raw(replyZero)
		return
	}
	c.w.Int(store.BitCount(b, from, to))
}

func bitposCommand(c *Client, args [][]byte) {
	bit, err := parseInt(args[2])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	if bit != 0 && bit != 1 {
		c.Error(msgBitArgument)
		return
	}
	b, found, ok := readBitmapMiss(c, args[1])
	if !ok {
		return
	}
	if !found {
		c.w.Int(-bit)
		return
	}
	start, end := int64(0), int64(-1)
	isBit, endGiven := false, false
	switch len(args) {
	case 3:
	case 4, 5, 6:
		if start, err = parseInt(args[3]); err != nil {
			c.Error(msgNotInteger)
			return
		}
		if len(args) == 6 {
			if isBit, ok = parseBitUnit(args[5]); !ok {
				c.Error(msgSyntax)
				return
			}
		}
		if len(args) >= 5 {
			if end, err = parseInt(args[4]); err != nil {
				c.Error(msgNotInteger)
				return
			}
			endGiven = true
		}
	default:
		c.Error(msgSyntax)
		return
	}
	from, to, ok := bitRange(start, end, len(b), isBit)
	if !ok {
		c.w.Int(-1)
		return
	}
	pos := store.BitPos(b, int(bit), from, to)
	if pos < 0 && bit == 0 && !endGiven {
		// Without an explicit end the string counts as padded with zero bits.
		pos = to + 1
	}
	c.w.Int(pos)
}

func bitopCommand(c *Client, args [][]byte) {
	op := cString(args[1])
	switch {
	case is(op, "and"), is(op, "or"), is(op, "xor"):
	case is(op, "not"):
		if len(args) != 4 {
			c.Error(msgBitopNot)
			return
		}
	default:
		c.Error(msgSyntax)
		return
	}
	srcs := make([][]byte, 0, len(args)-3)
	maxLen := 0
	for _, key := range args[3:] {
		b, _, ok := readBitmapMiss(c, key)
		if !ok {
			return
		}
		srcs = append(srcs, b)
		maxLen = max(maxLen, len(b))
	}
	res := make([]byte, maxLen)
	copy(res, srcs[0])
	switch {
	case is(op, "not"):
		for i := range res {
			res[i] = ^res[i]
		}
	case is(op, "and"):
		for _, src := range srcs[1:] {
			for i := range res {
				if i < len(src) {
					res[i] &= src[i]
				} else {
					res[i] = 0
				}
			}
		}
	case is(op, "or"):
		for _, src := range srcs[1:] {
			for i := range src {
				res[i] |= src[i]
			}
		}
	default:
		for _, src := range srcs[1:] {
			for i := range src {
				res[i] ^= src[i]
			}
		}
	}
	if maxLen > 0 {
		c.srv.store.SetBitmap(c.db, args[2], res)
		c.changed(args[2], config.NotifyString, "set")
	} else if c.srv.store.Delete(c.db, args[2]) {
		c.changed(args[2], config.NotifyGeneric, "del")
	}
	c.w.Int(int64(maxLen))
}

// Overflow behaviours of BITFIELD.
const (
	overflowWrap = iota
	overflowSat
	overflowFail
)

// bitfieldOp is one GET, SET or INCRBY of a BITFIELD command.
type bitfieldOp struct {
	offset   int64
	value    int64 // SET's value or INCRBY's increment
	width    int
	signed   bool
	write    bool // SET or INCRBY
	incr     bool // INCRBY
	overflow int
}

// parseBitfieldType parses an integer type such as i16 or u8: signed up to 64 bits,
// unsigned up to 63.
func parseBitfieldType(arg []byte) (signed bool, width int, ok bool) {
	arg = cString(arg)
	if len(arg) == 0 || arg[0] != 'i' && arg[0] != 'u' {
		return false, 0, false
	}
	signed = arg[0] == 'i'
	n, err := parseInt(arg[1:])
	if err != nil || n < 1 || signed && n > 64 || !signed && n > 63 {
		return false, 0, false
	}
	return signed, int(n), true
}

func bitfieldCommand(c *Client, args [][]byte)   { bitfieldGeneric(c, args, false) }
func bitfieldROCommand(c *Client, args [][]byte) { bitfieldGeneric(c, args, true) }

// bitfieldGeneric is BITFIELD and, with readOnly, BITFIELD_RO. Every operation is parsed
// before the key is looked up; a command with a SET or INCRBY grows the string to its
// furthest written bit (creating it) even when every write then fails its overflow check.
func bitfieldGeneric(c *Client, args [][]byte, readOnly bool) {
	var ops []bitfieldOp
	overflow := overflowWrap
	writes := false
	highest := int64(-1) // furthest bit written
	for j := 2; j < len(args); j++ {
		rem := len(args) - j - 1
		sub := cString(args[j])
		var op bitfieldOp
		switch {
		case is(sub, "get") && rem >= 2:
		case is(sub, "set") && rem >= 3:
			op.write = true
		case is(sub, "incrby") && rem >= 3:
			op.write, op.incr = true, true
		case is(sub, "overflow") && rem >= 1:
			j++
			switch kind := cString(args[j]); {
			case is(kind, "wrap"):
				overflow = overflowWrap
			case is(kind, "sat"):
				overflow = overflowSat
			case is(kind, "fail"):
				overflow = overflowFail
			default:
				c.Error(msgBitfieldOverflow)
				return
			}
			continue
		default:
			c.Error(msgSyntax)
			return
		}
		var ok bool
		if op.signed, op.width, ok = parseBitfieldType(args[j+1]); !ok {
			c.Error(msgBitfieldType)
			return
		}
		if op.offset, ok = bitOffset(c, args[j+2], true, op.width); !ok {
			return
		}
		if op.write {
			writes = true
			highest = max(highest, op.offset+int64(op.width)-1)
			var err error
			if op.value, err = parseInt(args[j+3]); err != nil {
				c.Error(msgNotInteger)
				return
			}
			j++
		}
		op.overflow = overflow
		ops = append(ops, op)
		j += 2
	}
	var b []byte
	var grown bool
	if !writes {
		var ok bool
		if b, _, ok = readBitmapMiss(c, args[1]); !ok {
			return
		}
	} else {
		if readOnly {
			c.Error(msgBitfieldRO)
			return
		}
		var err error
		if b, grown, err = bitmapForWrite(c, args[1], int(highest>>3)+1); err != nil {
			c.storeErr(err)
			return
		}
	}
	changes := 0
	c.w.Array(len(ops))
	for i := range ops {
		op := &ops[i]
		old := store.GetBitfield(b, op.offset, op.width)
		if !op.write {
			if op.signed {
				c.w.Int(signExtend(old, op.width))
			} else {
				c.w.Int(int64(old))
			}
			continue
		}
		var stored uint64
		var reply int64
		var overflowed bool
		if op.signed {
			oldVal := signExtend(old, op.width)
			var v int64
			if op.incr {
				v, overflowed = signedOverflow(oldVal, op.value, op.width, op.overflow)
				reply = v
			} else {
				v, overflowed = signedOverflow(op.value, 0, op.width, op.overflow)
				reply = oldVal
			}
			stored = uint64(v)
		} else {
			if op.incr {
				stored, overflowed = unsignedOverflow(old, op.value, op.width, op.overflow)
				reply = int64(stored)
			} else {
				stored, overflowed = unsignedOverflow(uint64(op.value), 0, op.width, op.overflow)
				reply = int64(old)
			}
		}
		if overflowed && op.overflow == overflowFail {
			c.w.Null()
			continue
		}
		store.SetBitfield(b, op.offset, op.width, stored)
		if grown || old != stored&(^uint64(0)>>(64-op.width)) {
			changes++
		}
		c.w.Int(reply)
	}
	if changes > 0 {
		c.changed(args[1], config.NotifyString, "setbit")
	}
}

// signExtend reads the low width bits of v as a two's complement integer.
func signExtend(v uint64, width int) int64 {
	if width < 64 && v&(1<<(width-1)) != 0 {
		v |= math.MaxUint64 << width
	}
	return int64(v)
}

// signedOverflow adds incr to value in a signed integer of width bits and returns the
// result and whether it overflowed, as Redis's checkSignedBitfieldOverflow: on overflow the
// result wraps around or saturates as kind says (with FAIL it is not used).
func signedOverflow(value, incr int64, width, kind int) (int64, bool) {
	maxV := int64(math.MaxInt64)
	if width < 64 {
		maxV = 1<<(width-1) - 1
	}
	minV := -maxV - 1
	maxIncr := int64(uint64(maxV) - uint64(value))
	minIncr := minV - value
	limit := int64(0)
	switch {
	case value > maxV || width != 64 && incr > maxIncr || value >= 0 && incr > 0 && incr > maxIncr:
		limit = maxV
	case value < minV || width != 64 && incr < minIncr || value < 0 && incr < 0 && incr < minIncr:
		limit = minV
	default:
		return value + incr, false
	}
	if kind != overflowWrap {
		return limit, true
	}
	sum := uint64(value) + uint64(incr)
	if width < 64 {
		mask := uint64(math.MaxUint64) << width
		if sum&(1<<(width-1)) != 0 {
			sum |= mask
		} else {
			sum &^= mask
		}
	}
	return int64(sum), true
}

// unsignedOverflow adds incr to value in an unsigned integer of width bits (at most 63) and
// returns the result and whether it overflowed, as Redis's checkUnsignedBitfieldOverflow.
func unsignedOverflow(value uint64, incr int64, width, kind int) (uint64, bool) {
	maxV := uint64(1)<<width - 1
	maxIncr := int64(maxV - value)
	minIncr := -int64(value)
	var limit uint64
	switch {
	case value > maxV || incr > 0 && incr > maxIncr:
		limit = maxV
	case incr < 0 && incr < minIncr:
		limit = 0
	default:
		return value + uint64(incr), false
	}
	if kind != overflowWrap {
		return limit, true
	}
	return (value + uint64(incr)) &^ (math.MaxUint64 << width), true
}
