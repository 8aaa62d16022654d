package rpc

// Canonical error replies of the string commands (cmd_string.go), word for word as
// redis-server 7.0 sends them.
const (
	msgDecrOverflow = "ERR decrement would overflow"
	msgOffsetRange  = "ERR offset is out of range"
	msgLCSNotString = "ERR The specified keys must contain string values"
	msgLCSIdxAndLen = "ERR If you want both the length and indexes, please just use IDX."
	msgLCSTooLong   = "ERR String too long for LCS"
	msgLCSMemory    = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
	msgMSetArity    = "ERR wrong number of arguments for '%s' command"
)
