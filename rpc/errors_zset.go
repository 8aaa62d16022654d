package rpc

// Canonical error replies of the sorted-set commands (cmd_zset.go), word for word as
// redis-server 7.0 sends them.
const (
	msgZMinMaxFloat   = "ERR min or max is not a float"
	msgZLexRange      = "ERR min or max not valid string range item"
	msgZNaN           = "ERR resulting score is not a number (NaN)"
	msgZXXNX          = "ERR XX and NX options at the same time are not compatible"
	msgZGTLTNX        = "ERR GT, LT, and/or NX options at the same time are not compatible"
	msgZIncrPair      = "ERR INCR option supports a single increment-element pair"
	msgZLimitRank     = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	msgZScoresLex     = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
	msgZNumKeys       = "ERR numkeys should be greater than 0"
	msgZCount         = "ERR count should be greater than 0"
	msgZInputKeys     = "ERR at least 1 input key is needed for '%s' command"
	msgZWeightFloat   = "ERR weight value is not a float"
	msgZLimitNegative = "ERR LIMIT can't be negative"
	msgZValueRange    = "ERR value is out of range"
	msgZRandRange     = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
)
