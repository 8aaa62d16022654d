package rpc

// Canonical error replies of the set commands (cmd_set.go), word for word as redis-server
// 7.0 sends them.
const (
	msgNumKeysPositive = "ERR numkeys should be greater than 0"
	msgNumKeysTooMany  = "ERR Number of keys can't be greater than number of args"
	msgLimitNegative   = "ERR LIMIT can't be negative"
	msgRandCountRange  = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
)
