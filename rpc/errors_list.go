package rpc

// Canonical error replies of the list commands (cmd_list.go), word for word as
// redis-server 7.0 sends them.
const (
	msgRankZero       = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	msgCountNegative  = "ERR COUNT can't be negative"
	msgMaxLenNegative = "ERR MAXLEN can't be negative"
	msgNumKeys        = "ERR numkeys should be greater than 0"
	msgCountPositive  = "ERR count should be greater than 0"
)

// Canonical error replies of the bit commands (cmd_bitmap.go).
const (
	msgBitOffset        = "ERR bit offset is not an integer or out of range"
	msgBitValue         = "ERR bit is not an integer or out of range"
	msgBitArgument      = "ERR The bit argument must be 1 or 0."
	msgBitopNot         = "ERR BITOP NOT must be called with a single source key."
	msgBitfieldType     = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
	msgBitfieldOverflow = "ERR Invalid OVERFLOW type specified"
	msgBitfieldRO       = "ERR BITFIELD_RO only supports the GET subcommand"
)
