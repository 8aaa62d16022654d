package rpc

// builtinCommands assembles the Redis commands kvrpcd serves, one slice per data type or
// area, each declared in the file of its handlers.
func builtinCommands() []*Command {
	var all []*Command
	for _, group := range [][]*Command{
		stringCommands(),
		keyCommands(),
		listCommands(),
		blockingListCommands(),
		hashCommands(),
		setCommands(),
		zsetCommands(),
		blockingZSetCommands(),
		geoCommands(),
		sortCommands(),
		bitmapCommands(),
		hllCommands(),
		pubsubCommands(),
		transactionCommands(),
		connectionCommands(),
		serverCommands(),
		memoryCommands(),
		slowlogCommands(),
		latencyCommands(),
		monitorCommands(),
	} {
		all = append(all, group...)
	}
	return all
}
