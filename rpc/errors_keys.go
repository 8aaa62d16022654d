package rpc

// Canonical error replies of the generic key commands (cmd_keys.go), word for word as
// redis-server 7.0 sends them.
const (
	msgIntRange        = "ERR value is out of range, value must between -2147483648 and 2147483647"
	msgInvalidCursor   = "ERR invalid cursor"
	msgExpireNXOptions = "ERR NX and XX, GT or LT options at the same time are not compatible"
	msgExpireGTLT      = "ERR GT and LT options at the same time are not compatible"
	msgUnsupportedOpt  = "ERR Unsupported option " // followed by the option as sent
	msgFirstDBIndex    = "ERR invalid first DB index"
	msgSecondDBIndex   = "ERR invalid second DB index"
	msgLFUNotSelected  = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	msgLFUSelected     = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	msgClusterMove     = "ERR MOVE is not allowed in cluster mode"
	msgClusterCopy     = "ERR Copying to another database is not allowed in cluster mode"
	msgClusterSelect   = "ERR SELECT is not allowed in cluster mode"
	msgClusterSwapDB   = "ERR SWAPDB is not allowed in cluster mode"
)
